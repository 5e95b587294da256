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
