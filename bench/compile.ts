/**
 * `npx tsx bench/compile.ts [--runs=N] [--purewasm=PATH]`: start-up costs of
 * purewasm on the largest real modules among the devDependencies (binaryen,
 * sql.js, wabt): decode alone, `new Module` with lazy lowering (decode and
 * validate) and with eager lowering (also lower every body), without and with
 * fuel metering, instantiation with stub imports, the size of the
 * lowered IR, and V8's own WebAssembly.compile for contrast. Each time is the
 * median of N runs (default 5) after one warm-up run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Purewasm = typeof import('../src/index.js');
type Decoder = typeof import('../src/decoder/index.js');
type PurewasmModule = InstanceType<Purewasm['Module']>;
type PurewasmEngine = InstanceType<Purewasm['Engine']>;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const thisScript = fileURLToPath(import.meta.url);
const DEFAULT_RUNS = 5;

/**
 * V8 configurations WebAssembly.compile is timed in, each in a child process
 * (V8 flags are fixed at start-up). By default this V8 compiles lazily: compile
 * only validates, and each function is compiled by Liftoff on its first call.
 */
const V8_CONFIGS = [
  { header: 'V8 lazy ms', flags: [] },
  { header: 'V8 Liftoff ms', flags: ['--no-wasm-lazy-compilation'] },
  { header: 'V8 TurboFan ms', flags: ['--no-wasm-lazy-compilation', '--no-liftoff'] },
] as const;

const USAGE = `usage: npx tsx bench/compile.ts [--runs=N] [--purewasm=PATH]
  --runs=N          timed runs per measurement, after one warm-up (default ${DEFAULT_RUNS}); the median is shown
  --purewasm=PATH   load purewasm from PATH (default dist/src/index.js: run \`npm run build\` first)`;

interface Subject {
  readonly name: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** Thrown by the replaced WebAssembly.instantiate: the bytes are all we want, V8 need not compile them. */
class Captured extends Error {}

/**
 * The Wasm binary an Emscripten package embeds (as a string in its JS):
 * WebAssembly.instantiate is replaced, while `load` runs, by one that keeps
 * its first argument and fails, which makes the package's initialization fail.
 */
async function captureInstantiated(load: () => Promise<unknown>): Promise<Uint8Array<ArrayBuffer>> {
  const original = WebAssembly.instantiate;
  const originalError = console.error;
  let captured: Uint8Array<ArrayBuffer> | undefined;
  WebAssembly.instantiate = ((source: BufferSource) => {
    const view = ArrayBuffer.isView(source) ? source : new Uint8Array(source);
    captured = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
    return Promise.reject(new Captured('captured'));
  }) as typeof WebAssembly.instantiate;
  console.error = () => {}; // the package reports its failed initialization; that failure is the point
  try {
    await load().catch(() => {});
  } finally {
    WebAssembly.instantiate = original;
    console.error = originalError;
  }
  if (captured === undefined) throw new Error('the package never called WebAssembly.instantiate');
  return captured;
}

async function loadSubjects(): Promise<Subject[]> {
  const binaryen = await captureInstantiated(() => import('binaryen'));
  const wabt = await captureInstantiated(async () => {
    const init = require('wabt') as () => Promise<unknown>;
    return init();
  });
  const sqlJs = new Uint8Array(readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm')));
  return [
    { name: 'binaryen', bytes: binaryen },
    { name: 'sql.js', bytes: sqlJs },
    { name: 'wabt', bytes: wabt },
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median ms of `runs` calls of `fn` after one warm-up call; `prepare` runs untimed before each. */
async function time<S>(runs: number, prepare: (run: number) => S, fn: (state: S) => unknown): Promise<number> {
  await fn(prepare(-1));
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const state = prepare(run);
    const start = performance.now();
    await fn(state);
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * A linker that satisfies every import of `module` in `store` with a stub of
 * the right type: functions that throw, fresh memories and tables, zero globals.
 */
function stubLinker(purewasm: Purewasm, engine: PurewasmEngine, store: InstanceType<Purewasm['Store']>, module: PurewasmModule) {
  const linker = new purewasm.Linker(engine);
  for (const imp of module.imports()) {
    const type = imp.type;
    if (imp.kind === 'func' && 'results' in type) {
      linker.funcWrap(imp.module, imp.name, type, () => {
        throw new Error(`stub import ${imp.module}.${imp.name} called`);
      });
    } else if ('element' in type) {
      linker.define(imp.module, imp.name, new purewasm.Table(store, type, null));
    } else if ('value' in type) {
      const zero = type.value === 'i64' ? 0n : type.value === 'funcref' || type.value === 'externref' ? null : 0;
      linker.define(imp.module, imp.name, new purewasm.Global(store, type, zero));
    } else if ('min' in type) {
      linker.define(imp.module, imp.name, new purewasm.Memory(store, type));
    } else {
      linker.define(imp.module, imp.name, new purewasm.Tag(store, type));
    }
  }
  return linker;
}

/**
 * `bytes` with a custom section appended that holds `run`: V8 may reuse the
 * compilation of identical bytes, and each run must compile afresh.
 */
function uniqueCopy(bytes: Uint8Array<ArrayBuffer>, run: number): Uint8Array<ArrayBuffer> {
  const name = 'bench';
  // Custom section (id 0) of one-byte LEB sizes: name length, name, 4-byte payload.
  const content = [name.length, ...Array.from(name, (c) => c.charCodeAt(0)), ...new Uint8Array(new Int32Array([run]).buffer)];
  const copy = new Uint8Array(bytes.length + 2 + content.length);
  copy.set(bytes);
  copy.set([0, content.length, ...content], bytes.length);
  return copy;
}

/** Child mode (`--v8-compile=FILE`): prints the median ms of WebAssembly.compile of FILE under this process's flags. */
async function v8CompileChild(file: string, runs: number): Promise<void> {
  const bytes = new Uint8Array(readFileSync(file));
  const ms = await time(runs, (run) => uniqueCopy(bytes, run + 1), (unique) => WebAssembly.compile(unique));
  process.stdout.write(`${JSON.stringify(ms)}\n`);
}

/** WebAssembly.compile's median ms in each of V8_CONFIGS. */
function timeV8Compile(bytes: Uint8Array, runs: number): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'purewasm-bench-'));
  try {
    const file = join(dir, 'module.wasm');
    writeFileSync(file, bytes);
    return V8_CONFIGS.map(({ flags }) => {
      const child = spawnSync(process.execPath, [...flags, '--import', 'tsx', thisScript, `--v8-compile=${file}`, `--runs=${runs}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (child.status !== 0) throw new Error(`V8 compile child (${flags.join(' ')}) failed: ${child.stderr}`);
      return JSON.parse(child.stdout) as number;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Row {
  name: string;
  bytes: number;
  funcs: number;
  decodeMs: number;
  /** new Module with lazy lowering (the default): decode and validate; bodies are lowered on first call. */
  compileMs: number;
  /** new Module lowering every body at once, without and with fuel metering. */
  eagerMs: number;
  eagerFuelMs: number;
  /** A number, or why instantiation failed (a trap in the start function). */
  instantiateMs: number | string;
  irBytes: number;
  codeBytes: number;
  /** One per V8_CONFIGS entry. */
  v8CompileMs: number[];
}

async function measure(subject: Subject, purewasm: Purewasm, decoder: Decoder, runs: number): Promise<Row> {
  const { bytes } = subject;
  const plain = new purewasm.Engine();
  const eager = new purewasm.Engine({ lazyLowering: false });
  const eagerMetered = new purewasm.Engine({ lazyLowering: false, consumeFuel: true });
  const none = () => undefined;

  const decodeMs = await time(runs, none, () => decoder.decodeModule(bytes));
  const compileMs = await time(runs, none, () => new purewasm.Module(plain, bytes));
  const eagerMs = await time(runs, none, () => new purewasm.Module(eager, bytes));
  const eagerFuelMs = await time(runs, none, () => new purewasm.Module(eagerMetered, bytes));

  const module = new purewasm.Module(plain, bytes);
  let instantiateMs: number | string;
  try {
    instantiateMs = await time(
      runs,
      () => {
        const store = new purewasm.Store(plain);
        return { store, linker: stubLinker(purewasm, plain, store, module) };
      },
      ({ store, linker }) => linker.instantiate(store, module),
    );
  } catch (error) {
    instantiateMs = `fails: ${error instanceof Error ? error.message : String(error)}`;
  }

  const funcs = new purewasm.Module(eager, bytes).validated.funcs;
  const irBytes = funcs.reduce((sum, f) => sum + f.code.byteLength, 0);
  const codeBytes = module.validated.decoded.codes.reduce((sum, body) => sum + (body.codeEnd - body.codeStart), 0);
  const v8CompileMs = timeV8Compile(bytes, runs);
  return {
    name: subject.name,
    bytes: bytes.length,
    funcs: funcs.length,
    decodeMs,
    compileMs,
    eagerMs,
    eagerFuelMs,
    instantiateMs,
    irBytes,
    codeBytes,
    v8CompileMs,
  };
}

function render(rows: readonly Row[]): string {
  const ms = (value: number) => value.toFixed(value >= 100 ? 0 : 1);
  const mbPerS = (bytes: number, msValue: number) => (bytes / 1e6 / (msValue / 1000)).toFixed(1);
  const columns: { header: string; cells: string[] }[] = [
    { header: 'module', cells: rows.map((r) => r.name) },
    { header: 'size MB', cells: rows.map((r) => (r.bytes / 1e6).toFixed(2)) },
    { header: 'funcs', cells: rows.map((r) => String(r.funcs)) },
    { header: 'decode ms', cells: rows.map((r) => ms(r.decodeMs)) },
    { header: 'new Module ms', cells: rows.map((r) => ms(r.compileMs)) },
    { header: 'MB/s', cells: rows.map((r) => mbPerS(r.bytes, r.compileMs)) },
    { header: 'eager ms', cells: rows.map((r) => ms(r.eagerMs)) },
    { header: 'eager MB/s', cells: rows.map((r) => mbPerS(r.bytes, r.eagerMs)) },
    { header: 'eager+fuel ms', cells: rows.map((r) => ms(r.eagerFuelMs)) },
    { header: 'instantiate ms', cells: rows.map((r) => (typeof r.instantiateMs === 'number' ? ms(r.instantiateMs) : r.instantiateMs)) },
    { header: 'IR B/code B', cells: rows.map((r) => (r.irBytes / r.codeBytes).toFixed(2)) },
    { header: 'IR B/Wasm B', cells: rows.map((r) => (r.irBytes / r.bytes).toFixed(2)) },
    ...V8_CONFIGS.map(({ header }, i) => ({ header, cells: rows.map((r) => ms(r.v8CompileMs[i]!)) })),
    { header: 'eager / V8 Liftoff', cells: rows.map((r) => `${(r.eagerMs / r.v8CompileMs[1]!).toFixed(1)}x`) },
  ];
  const widths = columns.map((c) => Math.max(c.header.length, ...c.cells.map((s) => s.length)));
  const row = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  return [
    row(columns.map((c) => c.header)),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map((_, i) => row(columns.map((c) => c.cells[i]!))),
  ].join('\n');
}

function parseArgs(args: readonly string[]): { runs: number; entry: string; v8Compile: string | null } {
  let runs = DEFAULT_RUNS;
  let entry = `${repoRoot}dist/src/index.js`;
  let v8Compile: string | null = null;
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--runs' && value && Number.isSafeInteger(Number(value)) && Number(value) > 0) runs = Number(value);
    else if (flag === '--purewasm' && value) entry = resolve(value);
    else if (flag === '--v8-compile' && value) v8Compile = value;
    else {
      process.stderr.write(`${arg === '--help' || arg === '-h' ? '' : `unknown option ${arg}\n\n`}${USAGE}\n`);
      process.exit(arg === '--help' || arg === '-h' ? 0 : 2);
    }
  }
  if (!existsSync(entry)) {
    process.stderr.write(`${entry} does not exist: run \`npm run build\` first\n`);
    process.exit(2);
  }
  return { runs, entry, v8Compile };
}

async function main(): Promise<void> {
  const { runs, entry, v8Compile } = parseArgs(process.argv.slice(2));
  if (v8Compile !== null) return v8CompileChild(v8Compile, runs);
  const purewasm = (await import(pathToFileURL(entry).href)) as Purewasm;
  // The decoder of the same build, next to its index module.
  const decoder = (await import(pathToFileURL(entry.replace(/index\.([jt]s)$/, 'decoder/index.$1')).href)) as Decoder;
  process.stderr.write(`node ${process.version}, V8 ${process.versions.v8}; purewasm from ${entry}; median of ${runs} runs after 1 warm-up\n`);

  const rows: Row[] = [];
  for (const subject of await loadSubjects()) {
    process.stderr.write(`measuring ${subject.name} (${(subject.bytes.length / 1e6).toFixed(2)} MB)...\n`);
    rows.push(await measure(subject, purewasm, decoder, runs));
  }
  process.stdout.write(`\n${render(rows)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
