/**
 * The classic-script build's entry point: everything `purewasm`, `purewasm/sandbox`
 * and `purewasm/wasi` export, and `purewasm/js-api`'s namespace and install(), as
 * the global `purewasm` (`purewasm.Engine`, `purewasm.install()`,
 * `purewasm.WasmRuntime`, `purewasm.WASI`). The js-api's other exports are only
 * types, some named like the core's classes (Module, Memory, ...); the typecheck
 * fails if two of the star-exported entry points ever export the same name.
 */
export * from '../src/index.js';
export { WebAssembly, install, type InstallOptions } from '../src/js-api/index.js';
export * from '../src/host/sandbox/index.js';
export * from '../src/host/wasi/index.js';
