/** How each engine instantiates a workload and exposes its `run(n)`. */
import { pathToFileURL } from 'node:url';
import type { EngineKind } from './modes.js';
import type { Job } from './protocol.js';

export interface LoadedWorkload {
  run(n: number): unknown;
  /** Fuel left in the store, when the mode meters fuel. */
  fuelLeft?(): number;
}

/** Large enough that no benchmark ever runs out, small enough to stay a safe integer after any charge. */
const FUEL_BUDGET = 1e15;

type WebAssemblyApi = typeof globalThis.WebAssembly;

/** Through the standard JS API, which both V8 and polywasm implement. */
function loadWithJsApi(api: WebAssemblyApi, bytes: Uint8Array<ArrayBuffer>): LoadedWorkload {
  const module = new api.Module(bytes);
  const instance = new api.Instance(module, {});
  const run = instance.exports['run'];
  if (typeof run !== 'function') throw new Error('the workload does not export a function `run`');
  return { run: run as (n: number) => unknown };
}

async function loadV8(bytes: Uint8Array<ArrayBuffer>): Promise<LoadedWorkload> {
  if (typeof WebAssembly === 'undefined') throw new Error('this node process has no WebAssembly (--jitless?)');
  return loadWithJsApi(WebAssembly, bytes);
}

async function loadPolywasm(bytes: Uint8Array<ArrayBuffer>): Promise<LoadedWorkload> {
  // Imported only here: it is a polyfill, and must not be mistaken for V8's WebAssembly anywhere else.
  const { WebAssembly: polywasm } = await import('polywasm');
  return loadWithJsApi(polywasm, bytes);
}

type Purewasm = typeof import('../src/index.js');

async function loadPurewasm(bytes: Uint8Array<ArrayBuffer>, job: Job): Promise<LoadedWorkload> {
  if (job.purewasmEntry === null) throw new Error('purewasm not found: neither dist/src/index.js nor src/index.ts exists');
  const purewasm = (await import(pathToFileURL(job.purewasmEntry).href)) as Purewasm;
  const engine = new purewasm.Engine({ consumeFuel: job.consumeFuel, tier: job.tier });
  const module = new purewasm.Module(engine, bytes);
  const store = new purewasm.Store(engine);
  if (job.consumeFuel) store.setFuel(FUEL_BUDGET);
  if (job.interrupt) store.setInterrupt(() => false);
  const instance = new purewasm.Linker(engine).instantiate(store, module);
  const run = instance.getFunc(store, 'run');
  if (!run) throw new Error('the workload does not export a function `run`');
  const loaded: LoadedWorkload = { run: (n) => run.call(store, [n])[0] };
  if (job.consumeFuel) loaded.fuelLeft = () => store.getFuel();
  return loaded;
}

export const LOADERS: Record<EngineKind, (bytes: Uint8Array<ArrayBuffer>, job: Job) => Promise<LoadedWorkload>> = {
  v8: loadV8,
  purewasm: loadPurewasm,
  polywasm: loadPolywasm,
};
