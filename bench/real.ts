/**
 * `npm run bench:real [-- NAME...] [--seconds=N] [--purewasm=PATH]`: real
 * programs from the devDependencies, unmodified, on V8's native WebAssembly
 * (TurboFan, `--no-liftoff`, as in bench/run.ts) and on purewasm installed as
 * `globalThis.WebAssembly`, on each of its tiers, with polywasm beside them.
 * Each program and engine runs in a child process of its own, as an app
 * would. Per program: the package's start-up (compile and instantiate), its
 * first task, and the steady-state time per task (median of samples after a
 * warm-up); every task's result must be the same as V8's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const thisScript = fileURLToPath(import.meta.url);
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_PUREWASM = resolve(repoRoot, 'dist/src/js-api/index.js');
/** Children run as plain JavaScript from dist/ (`npm run build` compiles this file), as bench/run.ts's do: tsx's loader would slow purewasm. */
const compiledScript = resolve(repoRoot, 'dist/bench/real.js');
const childCommand = existsSync(compiledScript) ? [compiledScript] : ['--import', 'tsx', thisScript];
const DEFAULT_SECONDS = 4;
/** Share of the time spent warming up before samples are taken. */
const WARM_UP_SHARE = 0.3;
/** A sample repeats the task until it lasts this long. */
const MIN_SAMPLE_MS = 5;
const MIN_SAMPLES = 5;

const USAGE = `usage: npm run bench:real -- [NAME...] [--seconds=N] [--jitless] [--purewasm=PATH]
  NAME             only programs whose name contains NAME
  --jitless        also run purewasm's tiers and polywasm under \`node --jitless\` (no JIT and no native WebAssembly,
                   as in Safari's Lockdown Mode); slowdowns are against the V8 time of the same run
  --seconds=N      time per program and engine, warm-up included (default ${DEFAULT_SECONDS})
  --purewasm=PATH  purewasm's js-api module (default dist/src/js-api/index.js: run \`npm run build\` first); another
                   build must sit under a package.json with "type": "module", as dist/ does`;

/** A task returns a string that must be the same on every engine. */
type Task = () => Promise<string> | string;

interface Program {
  readonly name: string;
  readonly description: string;
  /** Loads the package (compiles and instantiates its Wasm) and returns the task. */
  readonly load: () => Promise<Task>;
}

/** 1 MiB of deterministic bytes for the hashers. */
function hashInput(): Uint8Array {
  const bytes = new Uint8Array(1 << 20);
  let state = 0x9e3779b9;
  for (let i = 0; i < bytes.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) | 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

interface Hasher {
  init(): Hasher;
  update(data: Uint8Array): Hasher;
  digest(format: 'hex'): string;
}

function hasherProgram(name: string, description: string, create: () => Promise<Hasher>): Program {
  return {
    name,
    description,
    async load() {
      const hasher = await create();
      const input = hashInput();
      return () => hasher.init().update(input).digest('hex');
    },
  };
}

interface SqlDatabase {
  run(sql: string): void;
  exec(sql: string): { values: unknown[][] }[];
  prepare(sql: string): { run(params: unknown[]): void; free(): void };
  close(): void;
}

/** A fresh database per task: 2,000 inserts in one transaction, then an indexed lookup, a join and a GROUP BY. */
async function loadSqlite(): Promise<Task> {
  const initSqlJs = require('sql.js') as () => Promise<{ Database: new () => SqlDatabase }>;
  const SQL = await initSqlJs();
  return () => {
    const db = new SQL.Database();
    try {
      db.run('CREATE TABLE item (id INTEGER PRIMARY KEY, grp TEXT NOT NULL, price REAL NOT NULL, qty INTEGER NOT NULL)');
      db.run('CREATE TABLE grp (name TEXT PRIMARY KEY, weight INTEGER NOT NULL)');
      db.run('BEGIN');
      const insert = db.prepare('INSERT INTO item VALUES (?, ?, ?, ?)');
      for (let i = 0; i < 2000; i++) insert.run([i, `g${(i * 7919) % 31}`, (i % 113) / 4, (i * 31) % 97]);
      insert.free();
      for (let g = 0; g < 31; g++) db.run(`INSERT INTO grp VALUES ('g${g}', ${g % 5})`);
      db.run('COMMIT');
      db.run('CREATE INDEX item_qty ON item (qty)');
      const results = [
        db.exec('SELECT COUNT(*), SUM(price) FROM item WHERE qty BETWEEN 10 AND 20'),
        db.exec('SELECT g.weight, COUNT(*), ROUND(AVG(i.price), 3) FROM item i JOIN grp g ON g.name = i.grp GROUP BY g.weight ORDER BY 1'),
        db.exec("SELECT grp, MAX(qty) FROM item WHERE grp LIKE 'g1%' GROUP BY grp ORDER BY 2 DESC, 1 LIMIT 3"),
      ];
      return JSON.stringify(results.map((result) => result[0]?.values));
    } finally {
      db.close();
    }
  };
}

/** wabt's text parser and binary writer on a module of 300 functions. */
async function loadWabt(): Promise<Task> {
  const init = require('wabt') as () => Promise<{
    parseWat(file: string, text: string): { toBinary(options: object): { buffer: Uint8Array }; destroy(): void };
  }>;
  const wabt = await init();
  const funcs = Array.from({ length: 300 }, (_, i) => `
  (func $f${i} (export "f${i}") (param $x i32) (param $y i64) (result i64)
    (local $t i64)
    (local.set $t (i64.mul (i64.extend_i32_u (local.get $x)) (i64.const ${i + 3})))
    (if (result i64) (i32.gt_u (local.get $x) (i32.const ${i}))
      (then (i64.add (local.get $t) (local.get $y)))
      (else (i64.xor (local.get $t) (i64.shl (local.get $y) (i64.const ${i % 63}))))))`);
  const text = `(module (memory 1)${funcs.join('')})`;
  return () => {
    const parsed = wabt.parseWat('bench.wat', text);
    try {
      const { buffer } = parsed.toBinary({});
      let hash = 0;
      for (const byte of buffer) hash = (Math.imul(hash, 31) + byte) | 0;
      return `${buffer.length}:${hash}`;
    } finally {
      parsed.destroy();
    }
  };
}

const PROGRAMS: readonly Program[] = [
  { name: 'sqlite', description: 'sql.js: 2,000 inserts, an index, a join and GROUP BYs', load: loadSqlite },
  hasherProgram('xxhash64', 'hash-wasm xxhash64 of 1 MiB (i64 multiply and rotate)', async () => (await import('hash-wasm')).createXXHash64()),
  hasherProgram('sha256', 'hash-wasm SHA-256 of 1 MiB (i32)', async () => (await import('hash-wasm')).createSHA256()),
  hasherProgram('sha512', 'hash-wasm SHA-512 of 1 MiB (i64)', async () => (await import('hash-wasm')).createSHA512()),
  hasherProgram('blake3', 'hash-wasm BLAKE3 of 1 MiB (i32)', async () => (await import('hash-wasm')).createBLAKE3()),
  {
    name: 'argon2id',
    description: 'hash-wasm Argon2id, 1 MiB, 2 passes (BLAKE2b, i64)',
    async load() {
      const { argon2id } = await import('hash-wasm');
      return () => argon2id({ password: 'password', salt: 'somesalt', iterations: 2, memorySize: 1024, parallelism: 1, hashLength: 32, outputType: 'hex' });
    },
  },
  { name: 'wabt', description: 'wabt: parse and write a 300-function module', load: loadWabt },
];

/** purewasm runs on each tier; polywasm (another Wasm-to-JS compiler) is a column for contrast, not an oracle. */
type EngineName = 'v8' | 'purewasm-compiled' | 'purewasm-interpreter' | 'polywasm';

interface ChildResult {
  loadMs: number;
  firstMs: number;
  msPerTask: number;
  samples: number;
  result: string;
}

const RESULT_PREFIX = 'REAL-BENCH ';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function child(engine: EngineName, name: string, seconds: number, purewasmPath: string): Promise<void> {
  const program = PROGRAMS.find((p) => p.name === name);
  if (program === undefined) throw new Error(`unknown program ${name}`);
  if (engine === 'purewasm-compiled' || engine === 'purewasm-interpreter') {
    type Install = (options: { force: boolean; tier: string }) => boolean;
    const { install } = (await import(pathToFileURL(purewasmPath).href)) as { install: Install };
    if (!install({ force: true, tier: engine === 'purewasm-compiled' ? 'compiled' : 'interpreter' })) throw new Error('purewasm did not install');
  } else if (engine === 'polywasm') {
    const { WebAssembly: polywasm } = await import('polywasm');
    Object.defineProperty(globalThis, 'WebAssembly', { value: polywasm, writable: true, enumerable: false, configurable: true });
  }
  const loadStart = performance.now();
  const task = await program.load();
  const loadMs = performance.now() - loadStart;
  const firstStart = performance.now();
  const result = await task();
  const firstMs = performance.now() - firstStart;

  const budgetMs = seconds * 1000;
  const warmUpStart = performance.now();
  let warmUpTasks = 0;
  while (performance.now() - warmUpStart < budgetMs * WARM_UP_SHARE || warmUpTasks < 2) {
    if ((await task()) !== result) throw new Error(`${name}: the result changed between runs`);
    warmUpTasks++;
  }
  const tasksPerSample = Math.max(1, Math.ceil(MIN_SAMPLE_MS / ((performance.now() - warmUpStart) / warmUpTasks)));
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < MIN_SAMPLES || performance.now() - start < budgetMs * (1 - WARM_UP_SHARE)) {
    const sampleStart = performance.now();
    for (let i = 0; i < tasksPerSample; i++) await task();
    samples.push((performance.now() - sampleStart) / tasksPerSample);
  }
  const report: ChildResult = { loadMs, firstMs, msPerTask: median(samples), samples: samples.length, result };
  process.stdout.write(RESULT_PREFIX + JSON.stringify(report) + '\n');
}

/** `nodeFlags`: `--no-liftoff` times V8's TurboFan as bench/run.ts does; `--jitless` runs purewasm without a JIT. */
function runChild(engine: EngineName, nodeFlags: string, name: string, seconds: number, purewasmPath: string): ChildResult {
  const args = [nodeFlags, ...childCommand, '--child', engine, name, `--seconds=${seconds}`, `--purewasm=${purewasmPath}`];
  const proc = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = proc.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (proc.status !== 0 || line === undefined) {
    throw new Error(`${name} on ${engine} failed (exit ${proc.status}):\n${proc.stderr.slice(-4000)}`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
}

function format(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (key: string) => args.find((a) => a.startsWith(`--${key}=`))?.slice(key.length + 3);
  const seconds = Number(option('seconds') ?? DEFAULT_SECONDS);
  const purewasmPath = resolve(option('purewasm') ?? DEFAULT_PUREWASM);
  if (args.includes('--help') || !(seconds > 0)) {
    console.log(USAGE);
    process.exitCode = args.includes('--help') ? 0 : 2;
    return;
  }
  const childIndex = args.indexOf('--child');
  if (childIndex >= 0) {
    child(args[childIndex + 1] as EngineName, args[childIndex + 2]!, seconds, purewasmPath).catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
    return;
  }
  const filters = args.filter((a) => !a.startsWith('--'));
  const programs = PROGRAMS.filter((p) => filters.length === 0 || filters.some((f) => p.name.includes(f)));
  if (programs.length === 0) {
    console.log(`no program matches; known: ${PROGRAMS.map((p) => p.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const hostModes = args.includes('--jitless') ? ['--no-liftoff', '--jitless'] : ['--no-liftoff'];
  const columns = hostModes.flatMap((flags) =>
    (['purewasm-compiled', 'purewasm-interpreter', 'polywasm'] as const).map((engine) => ({
      engine,
      flags,
      label: `${engine.replace('purewasm-', '')}${flags === '--jitless' ? ' --jitless' : ''}`,
    })));
  console.log(`real programs, ${seconds} s per program and engine; ms per task (median), and the slowdown against V8 TurboFan in the same run`);
  const steady = [`| program | task | V8 ms | ${columns.map((c) => `${c.label} ms | slowdown`).join(' | ')} |`, `|---|---|---:|${columns.map(() => '---:|---:|').join('')}`];
  const startUp = [`| program | V8 start-up ms | ${columns.map((c) => `${c.label} start-up + first task ms`).join(' | ')} |`, `|---|---:|${columns.map(() => '---:|').join('')}`];
  const slowdowns = columns.map((): number[] => []);
  for (const program of programs) {
    const v8 = runChild('v8', '--no-liftoff', program.name, seconds, purewasmPath);
    const cells: string[] = [];
    const startCells: string[] = [];
    columns.forEach((column, i) => {
      let run: ChildResult;
      try {
        run = runChild(column.engine, column.flags, program.name, seconds, purewasmPath);
      } catch (error) {
        // polywasm does not run every program; purewasm must.
        if (column.engine !== 'polywasm') throw error;
        cells.push('fails | —');
        startCells.push('fails');
        return;
      }
      if (run.result !== v8.result) {
        cells.push(`wrong result | —`);
        startCells.push('—');
        if (column.engine !== 'polywasm') process.exitCode = 1;
        return;
      }
      const slowdown = run.msPerTask / v8.msPerTask;
      slowdowns[i]!.push(slowdown);
      cells.push(`${format(run.msPerTask)} | ${slowdown.toFixed(slowdown >= 10 ? 0 : 1)}×`);
      startCells.push(`${format(run.loadMs)} + ${format(run.firstMs)}`);
    });
    steady.push(`| ${program.name} | ${program.description} | ${format(v8.msPerTask)} | ${cells.join(' | ')} |`);
    startUp.push(`| ${program.name} | ${format(v8.loadMs)} | ${startCells.join(' | ')} |`);
  }
  steady.push(`| geomean | | | ${slowdowns.map((list) => ` | ${list.length === 0 ? '—' : `${geometricMean(list).toFixed(1)}× (${list.length})`}`).join(' | ')} |`);
  console.log(steady.join('\n'));
  console.log('\nstart-up (compile and instantiate the package\'s Wasm) and first task, ms');
  console.log(startUp.join('\n'));
}

function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

main();
