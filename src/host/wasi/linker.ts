/**
 * Glue between WASI and purewasm's typed core API (Linker/Store/Instance). Imports only
 * types from the package entry, so loading it does not pull in the engine.
 */

import type { Caller, Instance, Linker, Memory, Store } from '../../index.js';
import { WASI_FUNCTION_TYPES, WASI_MODULE, type WasiFunctionName } from './signatures.js';
import type { WASI } from './wasi.js';

/**
 * Defines every `wasi_snapshot_preview1` function in `linker`. Each call uses the calling
 * instance's memory 0 (the WASI ABI's memory), so one linker serves any number of instances.
 */
export function defineWasi(linker: Linker, wasi: WASI): Linker {
  for (const name of Object.keys(WASI_FUNCTION_TYPES) as WasiFunctionName[]) {
    const { params, results } = WASI_FUNCTION_TYPES[name];
    const syscall = wasi.wasiImport[name];
    linker.funcWrap(WASI_MODULE, name, { params: [...params], results: [...results] }, (caller: Caller, ...args: (number | bigint)[]) => {
      const memory = caller.memory();
      if (memory !== undefined) wasi.bindMemory(memory);
      return syscall(...args);
    });
  }
  return linker;
}

/**
 * `wasi.start()` for an instance of the core API: runs its `_start` export in `store`
 * and returns the exit code (proc_exit and `returnOnExit` behave as in `start()`).
 */
export function startWasi(wasi: WASI, store: Store, instance: Instance): number {
  return wasi.start({ exports: coreExports(store, instance) });
}

/** `wasi.initialize()` for an instance of the core API. */
export function initializeWasi(wasi: WASI, store: Store, instance: Instance): void {
  wasi.initialize({ exports: coreExports(store, instance) });
}

/** The instance's memory and entry points in the shape start()/initialize() read. */
function coreExports(store: Store, instance: Instance): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  const memory: Memory | undefined = instance.getMemory(store, 'memory');
  if (memory !== undefined) exports.memory = memory;
  for (const name of ['_start', '_initialize']) {
    const func = instance.getFunc(store, name);
    if (func !== undefined) exports[name] = () => func.call(store, []);
  }
  return exports;
}
