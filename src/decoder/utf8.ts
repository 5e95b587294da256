/**
 * Strict UTF-8 decoding of Wasm names, written out so the core needs no
 * `TextDecoder` (embedded runtimes such as QuickJS lack it). Rejects what the
 * Unicode standard calls ill-formed: overlong forms, surrogates, code points
 * above U+10FFFF, stray or missing continuation bytes.
 */

/** The decoded string, or null when `bytes` is not well-formed UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      out += String.fromCharCode(lead);
      i++;
      continue;
    }
    // Sequence length and the smallest code point it may encode (which rules out overlong forms).
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return null;
    let code = lead & (0x7f >> length);
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return null;
      code = (code << 6) | (next & 0x3f);
    }
    const smallest = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
    if (code < smallest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}
