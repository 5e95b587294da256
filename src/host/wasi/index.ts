/**
 * `purewasm/wasi`: WASI preview1 for any WebAssembly engine with a JS API (V8's native
 * one, purewasm's `purewasm/js-api`) and for purewasm's core Linker. Browser-safe; host
 * directories come from the separate Node entry (`node-fs.ts`).
 */

export { WASI } from './wasi.js';
export type { WASIOptions, DeterministicOptions, WasiInstance, WasiImportFunction } from './wasi.js';
export { WASIExitError, WasiError } from './errors.js';
export { memfs, MemDir, MemFile } from './memfs.js';
export type { MemTree, MemfsOptions } from './memfs.js';
export type { FsDir, FsFile, FsHandle, FsOther, FsEntry, FsStat } from './fs.js';
export type { WasiMemory } from './memory.js';
export type { StdinOption, OutputSink } from './streams.js';
export type { Clock, ClockName, RandomSource } from './sources.js';
export { WASI_FUNCTION_TYPES, WASI_MODULE } from './signatures.js';
export type { WasiFuncType, WasiValType, WasiFunctionName } from './signatures.js';
export { Errno, FileType, Rights, OFlags, FdFlags, Whence, ClockId, EventType } from './constants.js';
export { defineWasi, startWasi, initializeWasi } from './linker.js';
