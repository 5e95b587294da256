/** LEB128 encoding for tests that assemble Wasm binaries byte by byte. */

/** Unsigned LEB128 of a non-negative integer (up to 2^53). */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}
