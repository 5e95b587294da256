/**
 * Numeric literals of the WebAssembly text format, parsed exactly: integers
 * with `_` separators in decimal or hex, and floats in decimal or hex-float
 * notation rounded once (round to nearest, ties to even) straight to the
 * target format with BigInt arithmetic. Rounding a decimal through an f64
 * first would double-round some f32 literals.
 */

const DEC_INT = /^[0-9](?:_?[0-9])*$/;
const HEX_INT = /^0x[0-9a-fA-F](?:_?[0-9a-fA-F])*$/;

function splitSign(text: string): { negative: boolean; body: string } {
  if (text.startsWith('-')) return { negative: true, body: text.slice(1) };
  if (text.startsWith('+')) return { negative: false, body: text.slice(1) };
  return { negative: false, body: text };
}

function unsignedInteger(body: string, literal: string): bigint {
  if (!DEC_INT.test(body) && !HEX_INT.test(body)) throw new SyntaxError(`bad integer literal ${literal}`);
  return BigInt(body.replace(/_/g, ''));
}

/** An integer literal as a mathematical value (sign included). */
export function parseInteger(text: string): bigint {
  const { negative, body } = splitSign(text);
  const magnitude = unsignedInteger(body, text);
  return negative ? -magnitude : magnitude;
}

/** An `i32.const` operand: -2^31 .. 2^32-1, returned as the signed 32-bit value. */
export function parseI32(text: string): number {
  const value = parseInteger(text);
  if (value < -(1n << 31n) || value >= 1n << 32n) throw new RangeError(`i32 constant out of range: ${text}`);
  return Number(BigInt.asIntN(32, value));
}

/** An `i64.const` operand: -2^63 .. 2^64-1, returned as the signed 64-bit value. */
export function parseI64(text: string): bigint {
  const value = parseInteger(text);
  if (value < -(1n << 63n) || value >= 1n << 64n) throw new RangeError(`i64 constant out of range: ${text}`);
  return BigInt.asIntN(64, value);
}

export interface FloatFormat {
  /** Stored fraction bits (23 for f32, 52 for f64). */
  fractionBits: number;
  exponentBits: number;
}
export const F32: FloatFormat = { fractionBits: 23, exponentBits: 8 };
export const F64: FloatFormat = { fractionBits: 52, exponentBits: 11 };

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

/** num/den >= 2^e, for positive num and den. */
function atLeastPowerOfTwo(num: bigint, den: bigint, e: number): boolean {
  return e >= 0 ? num >= den << BigInt(e) : num << BigInt(-e) >= den;
}

/** Rounds the positive rational num/den to the nearest value of `format`; returns the bits without sign. */
function roundRational(num: bigint, den: bigint, format: FloatFormat): bigint {
  const { fractionBits, exponentBits } = format;
  const bias = (1 << (exponentBits - 1)) - 1;
  const minExponent = 1 - bias;
  let e = bitLength(num) - bitLength(den);
  if (!atLeastPowerOfTwo(num, den, e)) e--;
  // Below the normal range the quantum stays that of the smallest normal exponent (subnormals).
  let exponent = Math.max(e, minExponent);
  const shift = fractionBits - exponent;
  const n = shift >= 0 ? num << BigInt(shift) : num;
  const d = shift >= 0 ? den : den << BigInt(-shift);
  let significand = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && (significand & 1n) === 1n)) significand++;
  if (significand === 1n << BigInt(fractionBits + 1)) {
    significand >>= 1n;
    exponent++;
  }
  const infinityExponent = (1n << BigInt(exponentBits)) - 1n;
  const hidden = 1n << BigInt(fractionBits);
  if (significand < hidden) return significand; // subnormal or zero
  const biased = BigInt(exponent + bias);
  if (biased >= infinityExponent) return infinityExponent << BigInt(fractionBits);
  return (biased << BigInt(fractionBits)) | (significand - hidden);
}

const HEX_FLOAT = /^0x([0-9a-fA-F](?:_?[0-9a-fA-F])*)(?:\.((?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?))?(?:[pP]([+-]?[0-9](?:_?[0-9])*))?$/;
const DEC_FLOAT = /^([0-9](?:_?[0-9])*)(?:\.((?:[0-9](?:_?[0-9])*)?))?(?:[eE]([+-]?[0-9](?:_?[0-9])*))?$/;

function clean(digits: string | undefined): string {
  return (digits ?? '').replace(/_/g, '');
}

/** A float literal as the bit pattern of `format` (a bigint, so it serves f32 and f64 alike). */
export function parseFloatBits(text: string, format: FloatFormat): bigint {
  const { negative, body } = splitSign(text);
  const { fractionBits, exponentBits } = format;
  const signBit = negative ? 1n << BigInt(fractionBits + exponentBits) : 0n;
  const infinity = ((1n << BigInt(exponentBits)) - 1n) << BigInt(fractionBits);
  if (body === 'inf') return signBit | infinity;
  if (body === 'nan') return signBit | infinity | (1n << BigInt(fractionBits - 1));
  if (body.startsWith('nan:')) {
    const payloadText = body.slice(4);
    if (!HEX_INT.test(payloadText)) throw new SyntaxError(`bad NaN payload ${text}`);
    const payload = BigInt(payloadText.replace(/_/g, ''));
    if (payload === 0n || payload >= 1n << BigInt(fractionBits)) throw new RangeError(`NaN payload out of range: ${text}`);
    return signBit | infinity | payload;
  }

  let num: bigint;
  let den = 1n;
  const hex = HEX_FLOAT.exec(body);
  const dec = hex ? null : DEC_FLOAT.exec(body);
  if (hex) {
    const fraction = clean(hex[2]);
    num = BigInt(`0x${clean(hex[1])}${fraction}`);
    const exponent = Number(clean(hex[3]) || '0') - 4 * fraction.length;
    if (exponent >= 0) num <<= BigInt(exponent);
    else den <<= BigInt(-exponent);
  } else if (dec) {
    const fraction = clean(dec[2]);
    num = BigInt(`${clean(dec[1])}${fraction}`);
    const exponent = Number(clean(dec[3]) || '0') - fraction.length;
    if (exponent >= 0) num *= 10n ** BigInt(exponent);
    else den = 10n ** BigInt(-exponent);
  } else {
    throw new SyntaxError(`bad float literal ${text}`);
  }
  if (num === 0n) return signBit;
  return signBit | roundRational(num, den, format);
}

/** An `f32.const` operand as its u32 bit pattern. */
export function parseF32Bits(text: string): number {
  return Number(parseFloatBits(text, F32));
}

/** An `f64.const` operand as its u64 bit pattern. */
export function parseF64Bits(text: string): bigint {
  return parseFloatBits(text, F64);
}
