/**
 * Store-wide resource limits, and the memory use they bound. Memories and
 * tables keep a reference to their store's object, so `Store.setLimits` also
 * applies to objects created before it.
 */
export interface ResourceLimits {
  /** Largest size, in bytes, any one linear memory may have. */
  maxMemoryBytes: number;
  /** Largest size, in bytes, all the store's linear memories together may have (the sandbox's memory limit). */
  maxTotalMemoryBytes: number;
  /** Largest number of elements any one table may have. */
  maxTableElements: number;
  /** What memory.grow / table.grow do when a limit above stops them: return -1 ('fail') or trap. */
  onGrowFailure: 'fail' | 'trap';
  /** Total size in bytes of the store's linear memories now, and the most it has been. */
  memoryBytes: number;
  memoryPeakBytes: number;
}

/** An engine limit on table size: JS arrays cannot hold the 2^32 - 1 elements Wasm allows. */
export const MAX_TABLE_ELEMENTS = 10_000_000;

export function defaultLimits(): ResourceLimits {
  return { maxMemoryBytes: Infinity, maxTotalMemoryBytes: Infinity, maxTableElements: MAX_TABLE_ELEMENTS, onGrowFailure: 'fail', memoryBytes: 0, memoryPeakBytes: 0 };
}

/** Counts `bytes` more of linear memory in the store's total and peak. */
export function addMemoryBytes(limits: ResourceLimits, bytes: number): void {
  limits.memoryBytes += bytes;
  if (limits.memoryBytes > limits.memoryPeakBytes) limits.memoryPeakBytes = limits.memoryBytes;
}
