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

async function loadV8(bytes: Uint8Array<ArrayBuffer>): Promise<LoadedWorkload> {
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, {});
  const run = instance.exports['run'];
  if (typeof run !== 'function') throw new Error('the workload does not export a function `run`');
  return { run: run as (n: number) => unknown };
}

type Purewasm = typeof import('../src/index.js');

async function loadPurewasm(bytes: Uint8Array<ArrayBuffer>, job: Job): Promise<LoadedWorkload> {
  if (job.purewasmEntry === null) throw new Error('purewasm not found: neither dist/src/index.js nor src/index.ts exists');
  const purewasm = (await import(pathToFileURL(job.purewasmEntry).href)) as Purewasm;
  const engine = new purewasm.Engine({ consumeFuel: job.consumeFuel });
  const module = new purewasm.Module(engine, bytes);
  const store = new purewasm.Store(engine);
  if (job.consumeFuel) store.setFuel(FUEL_BUDGET);
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
};
