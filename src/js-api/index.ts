/**
 * purewasm/js-api: a `WebAssembly` namespace following the WebAssembly
 * JavaScript Interface (and the streaming functions of the Web API), running
 * on purewasm. Importing it has no side effect; `install()` puts it on
 * `globalThis`.
 */

import type { Tier } from '../host/engine.js';
import { setAgentTier } from './agent.js';
import { WebAssembly } from './namespace.js';

export { WebAssembly };
export { setAgentTier as setTier };
export type { Imports, ResponseLike, WebAssemblyInstantiatedSource, WebAssemblyNamespace } from './namespace.js';
export type { WebAssemblyErrorConstructor } from './errors.js';
export type { Module, ModuleExportDescriptor, ModuleImportDescriptor, ImportExportKind } from './module.js';
export type { Instance, Exports, ExportValue } from './instance.js';
export type { Memory, MemoryDescriptor } from './memory.js';
export type { Table, TableDescriptor, TableKind } from './table.js';
export type { Global, GlobalDescriptor, ValueType } from './global.js';

export interface InstallOptions {
  /** Replace a WebAssembly that is already there (the native one, say). */
  force?: boolean;
  /** The tier the namespace runs Wasm on (default 'auto'; see Engine); fixed once the namespace is first used. */
  tier?: Tier;
}

/**
 * Makes this namespace `globalThis.WebAssembly` when there is none, or always
 * with `force`. Returns whether it did.
 */
export function install(options: InstallOptions = {}): boolean {
  if ((globalThis as { WebAssembly?: unknown }).WebAssembly !== undefined && options.force !== true) return false;
  if (options.tier !== undefined) setAgentTier(options.tier);
  // The attributes of the native global: writable, configurable, not enumerable.
  Object.defineProperty(globalThis, 'WebAssembly', { value: WebAssembly, writable: true, enumerable: false, configurable: true });
  return true;
}
