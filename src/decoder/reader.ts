import { CompileError } from '../errors.js';
import { ALL_FEATURES, featureDisabled, type FeatureName, type Features } from './features.js';
import { decodeUtf8 } from './utf8.js';

/**
 * A cursor over a module binary. Every read checks bounds and the binary
 * format's LEB128 rules (no more bytes than ceil(N/7), unused bits of the last
 * byte must be a sign/zero extension), throwing CompileError with the offset.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;
  /** Reads must stay below this offset (the end of the current section or body). */
  end: number;
  /** The 3.0 features the module may use. */
  readonly features: Features;

  constructor(bytes: Uint8Array, pos = 0, end = bytes.length, features: Features = ALL_FEATURES) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
    this.features = features;
  }

  fail(message: string, offset: number = this.pos): never {
    throw new CompileError(message, offset);
  }

  /** Fails with `problem` (and the feature's name) at `offset` unless `feature` is on. */
  requireFeature(feature: FeatureName, problem: string, offset: number): void {
    if (!this.features[feature]) this.fail(`${problem} ${featureDisabled(feature)}`, offset);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++]!;
  }

  peekU8(): number {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos]!;
  }

  /** Unsigned LEB128 of at most 32 bits, as a non-negative number. */
  u32(): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === 4) {
        // Fifth byte: 4 payload bits left; continuation or any higher bit set is malformed.
        if (byte & 0x80) this.fail('integer representation too long', start);
        if (byte & 0x70) this.fail('integer too large', start);
        return (result + byte * 2 ** 28) >>> 0;
      }
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /** Signed LEB128 of at most 32 bits. */
  s32(): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === 4) {
        if (byte & 0x80) this.fail('integer representation too long', start);
        // The unused bits (6..4 of the payload) must all equal the sign bit (bit 3).
        const high = byte & 0x70;
        const sign = byte & 0x08;
        if ((sign && high !== 0x70) || (!sign && high !== 0)) this.fail('integer too large', start);
        return result | (byte << 28);
      }
      result |= (byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) === 0) {
        // Sign-extend from the last payload bit.
        return shift < 32 && byte & 0x40 ? result | (-1 << shift) : result;
      }
    }
  }

  /** Signed LEB128 of at most 33 bits (block types); returns a number in [-2^32, 2^32). */
  s33(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      if (i === 4) {
        if (byte & 0x80) this.fail('integer representation too long', start);
        // 33 bits: byte 5 carries payload bits 28..32 (5 bits); bits 5..6 must equal bit 4.
        const high = byte & 0x60;
        const sign = byte & 0x10;
        if ((sign && high !== 0x60) || (!sign && high !== 0)) this.fail('integer too large', start);
        const payload = byte & 0x1f;
        result += payload * scale;
        return sign ? result - 2 ** 33 : result;
      }
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return byte & 0x40 ? result - scale : result;
    }
  }

  /** Signed LEB128 of at most 64 bits, as two's-complement halves. */
  s64(): { lo: number; hi: number } {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      const payload = byte & 0x7f;
      if (i === 9) {
        if (byte & 0x80) this.fail('integer representation too long', start);
        // Tenth byte: 1 payload bit (bit 63); the other 6 bits must equal it.
        if (payload !== 0 && payload !== 0x7f) this.fail('integer too large', start);
        hi |= payload << 31;
        return { lo: lo | 0, hi: hi | 0 };
      }
      if (shift < 32) {
        lo |= payload << shift;
        if (shift > 25) hi |= payload >>> (32 - shift);
      } else {
        hi |= payload << (shift - 32);
      }
      shift += 7;
      if ((byte & 0x80) === 0) {
        if (byte & 0x40) {
          if (shift < 32) {
            lo |= -1 << shift;
            hi = -1;
          } else if (shift < 64) {
            hi |= -1 << (shift - 32);
          }
        }
        return { lo: lo | 0, hi: hi | 0 };
      }
    }
  }

  /** Unsigned LEB128 of at most 64 bits (memory64 offsets and limits), as halves. */
  u64(): { lo: number; hi: number } {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; ; i++) {
      const byte = this.u8();
      const payload = byte & 0x7f;
      if (i === 9) {
        if (byte & 0x80) this.fail('integer representation too long', start);
        // Tenth byte: 1 payload bit (bit 63).
        if (payload > 1) this.fail('integer too large', start);
        hi |= payload << 31;
        return { lo: lo >>> 0, hi: hi >>> 0 };
      }
      if (shift < 32) {
        lo |= payload << shift;
        if (shift > 25) hi |= payload >>> (32 - shift);
      } else {
        hi |= payload << (shift - 32);
      }
      shift += 7;
      if ((byte & 0x80) === 0) return { lo: lo >>> 0, hi: hi >>> 0 };
    }
  }

  /** u64 as a number: exact below 2^53; larger values only need to compare as larger than any real size. */
  u64Number(): number {
    const { lo, hi } = this.u64();
    return hi * 2 ** 32 + lo;
  }

  s64BigInt(): bigint {
    const { lo, hi } = this.s64();
    return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
  }

  /** Raw little-endian u32 (f32 bits). */
  fixedU32(): number {
    if (this.pos + 4 > this.end) this.fail('unexpected end');
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  bytesN(length: number): Uint8Array {
    if (length > this.end - this.pos) this.fail('unexpected end');
    const out = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  /** A length-prefixed UTF-8 name; malformed UTF-8 is a CompileError. */
  name(): string {
    const start = this.pos;
    const length = this.u32();
    const text = decodeUtf8(this.bytesN(length));
    return text ?? this.fail('malformed UTF-8 encoding', start);
  }
}
