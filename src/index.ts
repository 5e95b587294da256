/** purewasm: a WebAssembly 2.0 engine in TypeScript. The public API of api.md and engine-hooks.md. */

export { CompileError, LinkError, RuntimeError, TRAP_MESSAGES, type TrapCode } from './errors.js';
export type { FuelCosts } from './interpreter/fuel.js';
export { Engine, type EngineConfig, type ResolvedEngineConfig, type Tier } from './host/engine.js';
export { Module, type ModuleOptions } from './host/module.js';
export { parseWat, printModule, TextSyntaxError } from './text/index.js';
export { Store, type StoreLimits, type Profiler } from './host/store.js';
export { Linker } from './host/linker.js';
export { instantiate } from './host/instantiate.js';
export { Instance } from './host/instance.js';
export { Func } from './host/func.js';
export { Caller } from './host/caller.js';
export { Memory } from './host/memory.js';
export { Table } from './host/table.js';
export { Global } from './host/global.js';
export { Tag } from './host/tag.js';
export { WasmException } from './interpreter/exceptions.js';
export type { Extern } from './host/extern.js';
export type { ResumableCall } from './host/call.js';
export type {
  ValTypeName, FuncTypeDesc, TableTypeDesc, MemoryTypeDesc, GlobalTypeDesc, ExternType, ExternKind,
  ImportType, ExportType, Value, RawValue, TagTypeDesc,
} from './host/types.js';
