/**
 * The playground page: pick an example, drop a .wasm or type WebAssembly text,
 * choose an export and its arguments, set fuel, memory and time limits, run, and
 * see the results or the trap, the output, fuel used, peak memory and the fuel
 * profile. The build bundles this file with the imports of purewasm and
 * purewasm/wasi pointing at the browser build (dist/browser), not at src/.
 */
import { CompileError, Engine, LinkError, Linker, Module, RuntimeError, Store, type FuncTypeDesc, type Tier, type ValTypeName, type Value } from '../src/index.js';
import { WASI, defineWasi, memfs, startWasi } from '../src/host/wasi/index.js';
import { FuelProfiler } from '../src/cli/profile.js';
import { EXAMPLES, type Example } from './examples.js';
import { FlameGraph, stackTree } from './flamegraph.js';


function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

const ui = {
  nativeStatus: element('native-status'),
  example: element<HTMLSelectElement>('example'),
  exampleDescription: element('example-description'),
  dropZone: element('drop-zone'),
  file: element<HTMLInputElement>('file'),
  source: element<HTMLTextAreaElement>('source'),
  sourceStatus: element('source-status'),
  exportName: element<HTMLSelectElement>('export'),
  signature: element('signature'),
  args: element<HTMLInputElement>('args'),
  fuel: element<HTMLInputElement>('fuel'),
  memory: element<HTMLInputElement>('memory'),
  time: element<HTMLInputElement>('time'),
  tier: element<HTMLSelectElement>('tier'),
  stdin: element<HTMLInputElement>('stdin'),
  run: element<HTMLButtonElement>('run'),
  result: element('result'),
  fuelUsed: element('fuel-used'),
  peakMemory: element('peak-memory'),
  wallTime: element('wall-time'),
  tierUsed: element('tier-used'),
  stdout: element('stdout'),
  profileBody: element('profile').querySelector('tbody')!,
};
const flameGraph = new FlameGraph(element('flame'), element('flame-details'));

/** What runs: a binary (an example's, or a dropped file) or the text in the editor. */
type Source = { kind: 'binary'; name: string; bytes: Uint8Array } | { kind: 'text'; name: string; text: string };
let source: Source | undefined;

const TEXT_UNSUPPORTED =
  'This build of purewasm cannot read WebAssembly text yet (new Module(engine, text) is not supported): ' +
  'drop a .wasm file or pick an example to run its binary.';

/** Whether `new Module(engine, text)` accepts WebAssembly text in this build. */
const textSupported = ((): boolean => {
  try {
    new Module(new Engine(), '(module)' as unknown as Uint8Array);
    return true;
  } catch {
    return false;
  }
})();

function compile(engine: Engine, from: Source): Module {
  if (from.kind === 'binary') return new Module(engine, from.bytes);
  if (!textSupported) throw new TextUnsupportedError(TEXT_UNSUPPORTED);
  return new Module(engine, from.text as unknown as Uint8Array);
}

class TextUnsupportedError extends Error {
  override name = 'TextUnsupportedError';
}

const formatInteger = (value: number): string => value.toLocaleString('en-US');
const formatBytes = (bytes: number): string =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(2)} MiB (${formatInteger(bytes)} bytes)` : `${formatInteger(bytes)} bytes`;

function setResult(outcome: 'ok' | 'trap' | 'error' | 'idle' | 'running', text: string): void {
  ui.result.className = `result ${outcome}`;
  ui.result.dataset.outcome = outcome;
  ui.result.textContent = text;
}

/** The function exports of the current source, with their types; shows a compile error instead when there is one. */
function refreshExports(preferred?: string): void {
  ui.exportName.replaceChildren();
  ui.signature.textContent = '';
  if (source === undefined) return;
  let module: Module;
  try {
    module = compile(new Engine(), source);
  } catch (error) {
    ui.sourceStatus.textContent = error instanceof TextUnsupportedError ? error.message : `Does not compile: ${(error as Error).message}`;
    ui.sourceStatus.dataset.problem = 'true';
    return;
  }
  delete ui.sourceStatus.dataset.problem;
  ui.sourceStatus.textContent =
    source.kind === 'binary' ? `Runs the binary ${source.name} (${formatInteger(source.bytes.length)} bytes).` : 'Runs the text above.';
  for (const item of module.exports()) {
    if (item.kind !== 'func') continue;
    const type = item.type as FuncTypeDesc;
    const option = document.createElement('option');
    option.value = item.name;
    option.textContent = item.name;
    option.dataset.params = type.params.join(',');
    option.dataset.results = type.results.join(',');
    ui.exportName.append(option);
  }
  if (preferred !== undefined && Array.from(ui.exportName.options).some((option) => option.value === preferred)) ui.exportName.value = preferred;
  showSignature();
}

function selectedParams(): ValTypeName[] {
  const params = ui.exportName.selectedOptions[0]?.dataset.params ?? '';
  return params === '' ? [] : (params.split(',') as ValTypeName[]);
}

function isWasiStart(module: Module): boolean {
  return ui.exportName.value === '_start' && module.imports().some((item) => item.module === 'wasi_snapshot_preview1');
}

function showSignature(): void {
  const option = ui.exportName.selectedOptions[0];
  if (option === undefined) return;
  const results = option.dataset.results ?? '';
  ui.signature.textContent =
    option.value === '_start' ? '(command-line arguments, for a WASI program)' : `(${selectedParams().join(', ')}) -> (${results.split(',').filter(Boolean).join(', ')})`;
}

/** A decimal or 0x-hex integer that fits `bits` bits signed or unsigned, as its signed value. */
function parseInteger(text: string, bits: 32 | 64): bigint {
  const match = /^([-+]?)(0x[0-9a-f]+|\d+)$/.exec(text.toLowerCase());
  if (match === null) throw new Error(`"${text}" is not an i${bits}`);
  const magnitude = BigInt(match[2]!);
  const value = match[1] === '-' ? -magnitude : magnitude;
  if (value < -(2n ** BigInt(bits - 1)) || value >= 2n ** BigInt(bits)) throw new Error(`${text} does not fit an i${bits}`);
  return BigInt.asIntN(bits, value);
}

/** Parses one argument for a parameter of type `type`; throws a message for the user. */
function parseArgument(text: string, type: ValTypeName): Value {
  const lower = text.toLowerCase();
  switch (type) {
    case 'i32':
      return Number(parseInteger(text, 32));
    case 'i64':
      return parseInteger(text, 64);
    case 'f32':
    case 'f64': {
      if (lower === 'nan') return NaN;
      if (lower === 'inf' || lower === '+inf') return Infinity;
      if (lower === '-inf') return -Infinity;
      const value = Number(text);
      if (text.trim() === '' || Number.isNaN(value)) throw new Error(`"${text}" is not a number`);
      return value;
    }
    default:
      throw new Error(`this page cannot pass a ${type} argument`);
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === null) return 'null';
  return String(value);
}

const TRAP_TITLES: Partial<Record<RuntimeError['trap'], string>> = {
  outOfFuel: 'Out of fuel',
  interrupted: 'Time limit',
};

function positiveInteger(input: HTMLInputElement, what: string): number {
  const value = Number(input.value);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${what} must be a positive whole number`);
  return value;
}

/** Lets the page paint "Running…" before the guest takes the thread. */
const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function run(): Promise<void> {
  if (source === undefined) return;
  ui.run.disabled = true;
  setResult('running', 'Running…');
  ui.stdout.textContent = '';
  flameGraph.clear();
  ui.profileBody.replaceChildren();
  for (const stat of [ui.fuelUsed, ui.peakMemory, ui.wallTime, ui.tierUsed]) stat.textContent = '-';
  await nextFrame();

  let fuelBudget = 0;
  let store: Store | undefined;
  let engine: Engine | undefined;
  const profiler = new FuelProfiler();
  const started = performance.now();
  const output: string[] = [];
  const stdoutDecoder = new TextDecoder();
  const stderrDecoder = new TextDecoder();
  try {
    fuelBudget = positiveInteger(ui.fuel, 'Fuel');
    const memoryBytes = positiveInteger(ui.memory, 'Memory') * (1 << 20);
    const timeMs = positiveInteger(ui.time, 'Time');
    engine = new Engine({ consumeFuel: true, tier: ui.tier.value as Tier });
    const module = compile(engine, source);
    store = new Store(engine);
    store.setLimits({ maxMemoryBytes: memoryBytes });
    store.setFuel(fuelBudget);
    store.setProfiler(profiler);
    const deadline = performance.now() + timeMs;
    store.setInterrupt(() => performance.now() > deadline);

    const words = ui.args.value.trim() === '' ? [] : ui.args.value.trim().split(/[\s,]+/);
    const wasi = new WASI({
      args: [source.name.replace(/\.wasm$/, ''), ...words],
      env: { GREETING: 'hello from the playground' },
      stdin: ui.stdin.value,
      preopens: { '/sandbox': memfs({ 'input.txt': 'one\ntwo\nthree\n' }) },
      stdout: (chunk: Uint8Array) => output.push(stdoutDecoder.decode(chunk, { stream: true })),
      stderr: (chunk: Uint8Array) => output.push(stderrDecoder.decode(chunk, { stream: true })),
    });
    const linker = defineWasi(new Linker(engine), wasi);
    linker.funcWrap('env', 'log', { params: ['i32', 'i32'], results: [] }, (caller, ptr: number, len: number) => {
      const memory = caller.memory('memory');
      if (memory === undefined) throw new Error('env.log needs an exported memory');
      output.push(`${new TextDecoder().decode(memory.data().slice(ptr, ptr + len))}\n`);
    });
    const instance = linker.instantiate(store, module);

    if (isWasiStart(module)) {
      const exitCode = startWasi(wasi, store, instance);
      setResult(exitCode === 0 ? 'ok' : 'trap', `_start exited with code ${exitCode}`);
    } else {
      const func = instance.getFunc(store, ui.exportName.value);
      if (func === undefined) throw new Error('pick an exported function');
      const params = selectedParams();
      if (words.length !== params.length) throw new Error(`${ui.exportName.value} takes ${params.length} argument(s), got ${words.length}`);
      const args = params.map((type, i) => parseArgument(words[i]!, type));
      const results = func.call(store, args);
      const call = `${ui.exportName.value}(${args.map(formatValue).join(', ')})`;
      setResult('ok', results.length === 0 ? `${call} returned` : `${call} = ${results.map(formatValue).join(', ')}`);
    }
  } catch (error) {
    if (error instanceof RuntimeError) {
      const title = TRAP_TITLES[error.trap] ?? 'Trap';
      const detail = error.trap === 'interrupted' ? `stopped after ${ui.time.value} ms` : error.message;
      setResult('trap', `${title}: ${detail} (${error.trap})`);
    } else if (error instanceof CompileError) {
      setResult('error', `Compile error: ${error.message}`);
    } else if (error instanceof LinkError) {
      setResult('error', `Link error: ${error.message}`);
    } else {
      setResult('error', error instanceof Error ? error.message : String(error));
    }
  } finally {
    const wallMs = performance.now() - started;
    output.push(stdoutDecoder.decode(), stderrDecoder.decode());
    ui.stdout.textContent = output.join('');
    if (store !== undefined && engine !== undefined) {
      const fuelUsed = fuelBudget - store.getFuel();
      profiler.finish(fuelUsed);
      ui.fuelUsed.textContent = formatInteger(fuelUsed);
      ui.peakMemory.textContent = formatBytes(store.memoryPeakBytes);
      ui.tierUsed.textContent = engine.tier;
      showProfile(profiler, fuelUsed);
    }
    ui.wallTime.textContent = `${wallMs.toFixed(0)} ms`;
    ui.run.disabled = false;
  }
}

function showProfile(profiler: FuelProfiler, fuelUsed: number): void {
  const ranking = profiler.ranking();
  const percent = (part: number): string => (fuelUsed === 0 ? '-' : `${((100 * part) / fuelUsed).toFixed(1)}%`);
  ui.profileBody.replaceChildren(
    ...ranking.map((fn) => {
      const row = document.createElement('tr');
      for (const cell of [fn.name, formatInteger(fn.calls), formatInteger(fn.selfFuel), percent(fn.selfFuel), formatInteger(fn.totalFuel), percent(fn.totalFuel)]) {
        const td = document.createElement('td');
        td.textContent = cell;
        row.append(td);
      }
      return row;
    }),
  );
  if (ranking.length > 0) flameGraph.show(stackTree(profiler.folded(), 'all'), ranking);
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function loadExample(example: Example): Promise<void> {
  ui.exampleDescription.textContent = example.description;
  const [bytes, text] = await Promise.all([fetchBytes(example.wasm), example.wat === undefined ? undefined : fetch(example.wat).then((r) => r.text())]);
  source = { kind: 'binary', name: example.wasm.split('/').pop()!, bytes };
  ui.source.value = text ?? '';
  ui.source.placeholder = text === undefined ? `(${example.title}: compiled from C, no text to show; paste your own here)` : '';
  ui.args.value = example.args;
  ui.fuel.value = String(example.fuel ?? 10_000_000);
  ui.memory.value = String(example.memoryMiB ?? 16);
  refreshExports(example.export);
  setResult('idle', 'Press Run.');
}

async function loadFile(file: File): Promise<void> {
  ui.example.value = '';
  ui.exampleDescription.textContent = '';
  const bytes = new Uint8Array(await file.arrayBuffer());
  const isBinary = bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (isBinary) {
    source = { kind: 'binary', name: file.name, bytes };
    ui.source.value = '';
    ui.source.placeholder = `(${file.name}: a binary module; paste text here to run text instead)`;
  } else {
    ui.source.value = new TextDecoder().decode(bytes);
    source = { kind: 'text', name: file.name, text: ui.source.value };
  }
  refreshExports();
  setResult('idle', 'Press Run.');
}

function init(): void {
  ui.nativeStatus.textContent =
    typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'undefined' ? 'this browser has none right now.' : 'this browser has one, left unused.';
  for (const example of EXAMPLES) {
    const option = document.createElement('option');
    option.value = example.id;
    option.textContent = example.title;
    ui.example.append(option);
  }
  const custom = document.createElement('option');
  custom.value = '';
  custom.textContent = '(your own module)';
  ui.example.append(custom);

  ui.example.addEventListener('change', () => {
    const example = EXAMPLES.find((candidate) => candidate.id === ui.example.value);
    if (example !== undefined) void loadExample(example);
  });
  let typing: ReturnType<typeof setTimeout> | undefined;
  ui.source.addEventListener('input', () => {
    source = { kind: 'text', name: 'module.wat', text: ui.source.value };
    clearTimeout(typing);
    typing = setTimeout(() => refreshExports(ui.exportName.value), 300);
  });
  ui.exportName.addEventListener('change', showSignature);
  ui.file.addEventListener('change', () => {
    const file = ui.file.files?.[0];
    if (file !== undefined) void loadFile(file);
  });
  ui.dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    ui.dropZone.classList.add('dragging');
  });
  ui.dropZone.addEventListener('dragleave', () => ui.dropZone.classList.remove('dragging'));
  ui.dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    ui.dropZone.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void loadFile(file);
  });
  ui.run.addEventListener('click', () => void run());
  void loadExample(EXAMPLES[0]!).then(() => {
    document.body.dataset.ready = 'true';
  });
}

init();
