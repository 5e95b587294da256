/** Errors raised by purewasm. Names and shapes follow DESIGN.md section 1. */

export type TrapCode =
  | 'unreachable'
  | 'memoryOutOfBounds'
  | 'tableOutOfBounds'
  | 'indirectCallToNull'
  | 'badSignature'
  | 'integerOverflow'
  | 'integerDivideByZero'
  | 'invalidConversionToInteger'
  | 'callStackExhausted'
  | 'outOfFuel'
  | 'host'
  /** Store.setInterrupt's check asked to stop (timeouts). */
  | 'interrupted'
  /** memory.grow / table.grow past a store limit, with StoreLimits.onGrowFailure = 'trap'. */
  | 'resourceLimitExceeded'
  /** throw_ref of a null exnref. */
  | 'nullReference'
  /** A Wasm exception no handler caught (the error is a WasmException, with the tag and payload). */
  | 'uncaughtException';

/** A malformed (decode) or invalid (validation) module. */
export class CompileError extends Error {
  override name = 'CompileError';
  /** Byte offset in the module binary where the problem was found, when known. */
  readonly offset: number | undefined;
  constructor(message: string, offset?: number, options?: { cause?: unknown }) {
    super(offset === undefined ? message : `${message} (at byte offset ${offset})`, options);
    this.offset = offset;
  }
}

/**
 * Instantiation failed: missing or mismatched import, segment out of bounds, limits.
 * For a segment out of bounds, `cause` is the RuntimeError of the trap it is in Wasm 2.0.
 */
export class LinkError extends Error {
  override name = 'LinkError';
}

/** A trap while executing WebAssembly (or a host function that failed). */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  readonly trap: TrapCode;
  constructor(trap: TrapCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.trap = trap;
  }
}

/** Human-readable text for each trap code; the spec testsuite's wording where it has one. */
export const TRAP_MESSAGES: Record<TrapCode, string> = {
  unreachable: 'unreachable executed',
  memoryOutOfBounds: 'out of bounds memory access',
  tableOutOfBounds: 'out of bounds table access',
  indirectCallToNull: 'uninitialized element',
  badSignature: 'indirect call type mismatch',
  integerOverflow: 'integer overflow',
  integerDivideByZero: 'integer divide by zero',
  invalidConversionToInteger: 'invalid conversion to integer',
  callStackExhausted: 'call stack exhausted',
  outOfFuel: 'all fuel consumed',
  host: 'host function failed',
  interrupted: 'execution interrupted',
  resourceLimitExceeded: 'resource limit exceeded',
  nullReference: 'null exception reference',
  uncaughtException: 'uncaught exception',
};
