/**
 * The core's own UTF-8 decoder for names, against TextDecoder in fatal mode
 * (the WHATWG decoder, which rejects exactly the ill-formed sequences).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../src/decoder/utf8.js';

const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function expected(bytes: Uint8Array): string | null {
  try {
    return reference.decode(bytes);
  } catch {
    return null;
  }
}

describe('decodeUtf8', () => {
  it('decodes well-formed text, a BOM and the extremes of every length', () => {
    const text = 'a\u00e9\u0800\uffff\u{10000}\u{10ffff}\ufeff name';
    expect(decodeUtf8(new TextEncoder().encode(text))).toBe(text);
    expect(decodeUtf8(new Uint8Array(0))).toBe('');
  });

  it('rejects overlong forms, surrogates, code points above U+10FFFF and broken sequences', () => {
    for (const bad of [[0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x9f, 0xbf], [0xf0, 0x8f, 0xbf, 0xbf], [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0x80], [0xc2], [0xe2, 0x82], [0xc2, 0x41], [0xff]]) {
      expect(decodeUtf8(Uint8Array.from(bad)), bad.join(',')).toBeNull();
    }
  });

  it('agrees with TextDecoder on any bytes', () => {
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 12 }), (list) => {
        const bytes = Uint8Array.from(list);
        expect(decodeUtf8(bytes)).toBe(expected(bytes));
      }),
      { numRuns: 20000 },
    );
  });

  it('agrees with TextDecoder on the encoding of any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      const bytes = new TextEncoder().encode(text);
      expect(decodeUtf8(bytes)).toBe(expected(bytes));
    }));
  });
});
