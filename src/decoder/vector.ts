import type { ByteReader } from './reader.js';

/**
 * Reads a vector length. Every item takes at least one byte, so a length
 * larger than what is left fails here, before anything is allocated or looped
 * over; the items themselves then report their own problems precisely.
 */
export function readVecLength(r: ByteReader): number {
  const at = r.pos;
  const length = r.u32();
  if (length > r.end - r.pos) r.fail(`length out of bounds: ${length} items in ${r.end - r.pos} bytes`, at);
  return length;
}

/** Reads a vector: its length, then that many items with `readItem`. */
export function readVec<T>(r: ByteReader, readItem: (r: ByteReader) => T): T[] {
  const length = readVecLength(r);
  const items = new Array<T>(length);
  for (let i = 0; i < length; i++) items[i] = readItem(r);
  return items;
}
