/**
 * purewasm/sandbox: run an untrusted guest module on an input and get back its
 * output, the exact fuel it consumed and its peak memory, or a SandboxError
 * (DESIGN.md section 4). Browser-safe: no Node modules.
 */

export {
  SandboxConfig, BUILTIN_CAPABILITIES, DEFAULT_FUEL_LIMIT, DEFAULT_MEMORY_LIMIT_BYTES, DEFAULT_TABLE_LIMIT,
  DEFAULT_OUTPUT_LIMIT_BYTES, DEFAULT_LOG_LIMIT_BYTES,
} from './config.js';
export { SandboxError, type SandboxErrorKind, type FailureDetails } from './errors.js';
export type { ExecutionResult } from './execution.js';
export { HostContext, type SandboxHostFunction } from './host-functions.js';
export {
  WasmRuntime, DEFAULT_SLICE_FUEL, DEFAULT_MODULE_CACHE_SIZE, type WasmRuntimeOptions, type ExecuteAsyncOptions, type GuestModule,
} from './runtime.js';
export type { ValTypeName } from '../types.js';
