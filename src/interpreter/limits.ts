/**
 * Store-wide resource limits. Memories and tables keep a reference to their
 * store's object, so `Store.setLimits` also applies to objects created before it.
 */
export interface ResourceLimits {
  /** Largest size, in bytes, any one linear memory may have. */
  maxMemoryBytes: number;
  /** Largest number of elements any one table may have. */
  maxTableElements: number;
}

/** An engine limit on table size: JS arrays cannot hold the 2^32 - 1 elements Wasm allows. */
export const MAX_TABLE_ELEMENTS = 10_000_000;

export function defaultLimits(): ResourceLimits {
  return { maxMemoryBytes: Infinity, maxTableElements: MAX_TABLE_ELEMENTS };
}
