/**
 * Numeric literals of the text format: integers in decimal or hex with `_`
 * separators, floats in decimal or hex, `inf`, `nan`, `nan:0x...`. Floats are
 * rounded exactly (round to nearest, ties to even) to f32 or f64 bits; a
 * literal that rounds to infinity is out of range. Each function returns
 * undefined for text that is not such a literal.
 */

/** Digits of `text` in base 10 or 16 with single `_` between digits; undefined when malformed. */
function digitsValue(text: string, hex: boolean): bigint | undefined {
  if (text.length === 0 || text[0] === '_' || text[text.length - 1] === '_' || text.includes('__')) return undefined;
  const clean = text.includes('_') ? text.replace(/_/g, '') : text;
  if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(clean)) return undefined;
  return BigInt(hex ? `0x${clean}` : clean);
}

/** An unsigned literal (num or 0x hexnum) without sign. */
function unsignedValue(text: string): bigint | undefined {
  return text.startsWith('0x') ? digitsValue(text.slice(2), true) : digitsValue(text, false);
}

/**
 * The value of up to 9 plain decimal digits, optionally after a `-`; NaN for
 * anything else. The fast path for the indices and small constants that make
 * up most of a module's numbers (every such value fits any integer type).
 */
export function parseSmallDecimal(text: string): number {
  const negative = text.charCodeAt(0) === 45;
  const first = negative ? 1 : 0;
  if (text.length === first || text.length - first > 9) return NaN;
  let value = 0;
  for (let i = first; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** An unsigned integer below 2^bits (indices, alignments, offsets, limits). */
export function parseUnsigned(text: string, bits: number): bigint | undefined {
  const value = unsignedValue(text);
  return value !== undefined && value < 1n << BigInt(bits) ? value : undefined;
}

/** iN: an optionally signed integer in [-2^(N-1), 2^N), as its two's complement (signed) value. */
export function parseInt(text: string, bits: number): bigint | undefined {
  const sign = text[0] === '-' ? -1n : 1n;
  const magnitude = unsignedValue(text[0] === '-' || text[0] === '+' ? text.slice(1) : text);
  if (magnitude === undefined) return undefined;
  const value = sign * magnitude;
  if (value < -(1n << BigInt(bits - 1)) || value >= 1n << BigInt(bits)) return undefined;
  return BigInt.asIntN(bits, value);
}

interface FloatFormat {
  /** Stored mantissa bits (23 or 52). */
  mantissa: number;
  /** Exponent bits (8 or 11). */
  exponent: number;
}
const F32: FloatFormat = { mantissa: 23, exponent: 8 };
const F64: FloatFormat = { mantissa: 52, exponent: 11 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * The bits of the float nearest to num / den (both positive; ties to even),
 * or undefined when that is infinity.
 */
function roundRational(num: bigint, den: bigint, format: FloatFormat): bigint | undefined {
  const precision = format.mantissa + 1;
  const bias = (1 << (format.exponent - 1)) - 1;
  const minExponent = 1 - bias;
  // e: the binary exponent with 2^e <= num/den < 2^(e+1).
  let e = bitLength(num) - bitLength(den);
  if ((e >= 0 ? num : num << BigInt(-e)) < (e >= 0 ? den << BigInt(e) : den)) e--;
  // Subnormals keep the exponent of the smallest normal and lose precision.
  const scale = Math.max(e, minExponent) - (precision - 1);
  const scaledNum = scale >= 0 ? num : num << BigInt(-scale);
  const scaledDen = scale >= 0 ? den << BigInt(scale) : den;
  let q = scaledNum / scaledDen;
  const r = scaledNum - q * scaledDen;
  if (r * 2n > scaledDen || (r * 2n === scaledDen && (q & 1n) === 1n)) q++;
  let exponent = Math.max(e, minExponent);
  if (q === 1n << BigInt(precision)) {
    q >>= 1n;
    exponent++;
  }
  if (exponent > bias) return undefined;
  if (q < 1n << BigInt(precision - 1)) return q; // subnormal (or zero): biased exponent 0
  return (BigInt(exponent + bias) << BigInt(format.mantissa)) | (q & ((1n << BigInt(format.mantissa)) - 1n));
}

const DECIMAL_FLOAT = /^([0-9_]+)(?:\.([0-9_]*))?(?:[eE]([+-]?[0-9_]+))?$/;
const HEX_FLOAT = /^0x([0-9a-fA-F_]+)(?:\.([0-9a-fA-F_]*))?(?:[pP]([+-]?[0-9_]+))?$/;

/** The magnitude of a finite literal as num / den, or undefined when malformed. */
function rationalOf(text: string): { num: bigint; den: bigint } | undefined {
  const hex = text.startsWith('0x');
  const match = (hex ? HEX_FLOAT : DECIMAL_FLOAT).exec(text);
  if (!match) return undefined;
  const [, whole, fraction, exponentText] = match;
  const intPart = digitsValue(whole!, hex);
  if (intPart === undefined) return undefined;
  let num = intPart;
  let fractionDigits = 0;
  if (fraction !== undefined && fraction.length > 0) {
    const fractionValue = digitsValue(fraction, hex);
    if (fractionValue === undefined) return undefined;
    fractionDigits = fraction.replace(/_/g, '').length;
    num = num * (hex ? 16n : 10n) ** BigInt(fractionDigits) + fractionValue;
  }
  let exponent = 0;
  if (exponentText !== undefined) {
    const negative = exponentText[0] === '-';
    const digits = digitsValue(exponentText.replace(/^[+-]/, ''), false);
    if (digits === undefined) return undefined;
    // Far beyond any float's range either way; clamping keeps the arithmetic small.
    const clamped = digits > 100000n ? 100000 : Number(digits);
    exponent = negative ? -clamped : clamped;
  }
  if (hex) {
    const binaryExponent = exponent - 4 * fractionDigits;
    return binaryExponent >= 0 ? { num: num << BigInt(binaryExponent), den: 1n } : { num, den: 1n << BigInt(-binaryExponent) };
  }
  const decimalExponent = exponent - fractionDigits;
  return decimalExponent >= 0 ? { num: num * 10n ** BigInt(decimalExponent), den: 1n } : { num, den: 10n ** BigInt(-decimalExponent) };
}

const f64Scratch = new DataView(new ArrayBuffer(8));

/** Bits of a float literal in `format`, or undefined when malformed or out of range. */
function parseFloatBits(text: string, format: FloatFormat): bigint | undefined {
  const negative = text[0] === '-';
  const body = negative || text[0] === '+' ? text.slice(1) : text;
  const signBit = negative ? 1n << BigInt(format.mantissa + format.exponent) : 0n;
  const infinity = ((1n << BigInt(format.exponent)) - 1n) << BigInt(format.mantissa);
  if (body === 'inf') return signBit | infinity;
  if (body === 'nan') return signBit | infinity | (1n << BigInt(format.mantissa - 1));
  if (body.startsWith('nan:0x')) {
    const payload = digitsValue(body.slice(6), true);
    if (payload === undefined || payload === 0n || payload >= 1n << BigInt(format.mantissa)) return undefined;
    return signBit | infinity | payload;
  }
  const fast = fastDecimal(body, format);
  if (fast !== undefined) return signBit | fast;
  const rational = rationalOf(body);
  if (rational === undefined) return undefined;
  if (rational.num === 0n) return signBit;
  const bits = roundRational(rational.num, rational.den, format);
  return bits === undefined ? undefined : signBit | bits;
}

/**
 * Plain decimals through the engine's correctly rounded string-to-double.
 * For f32 this double rounding is exact unless the double lands on an f32
 * halfway point (then the slow exact path decides).
 */
function fastDecimal(body: string, format: FloatFormat): bigint | undefined {
  if (!/^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?$/.test(body)) return undefined;
  const value = Number(body.endsWith('.') ? body.slice(0, -1) : body);
  if (!Number.isFinite(value)) return undefined;
  if (format === F64) {
    f64Scratch.setFloat64(0, value, true);
    return f64Scratch.getBigUint64(0, true);
  }
  // f32 subnormals drop more bits; the exact path rounds them.
  if (value !== 0 && value < 2 ** -126) return undefined;
  f64Scratch.setFloat64(0, value, true);
  // The 29 mantissa bits an f32 drops: exactly 1000...0 is a halfway point.
  if ((f64Scratch.getUint32(0, true) & 0x1fffffff) === 0x10000000) return undefined;
  const single = Math.fround(value);
  if (!Number.isFinite(single)) return undefined;
  f64Scratch.setFloat32(0, single, true);
  return BigInt(f64Scratch.getUint32(0, true));
}

export function parseF32(text: string): number | undefined {
  const bits = parseFloatBits(text, F32);
  return bits === undefined ? undefined : Number(bits);
}

export function parseF64(text: string): bigint | undefined {
  return parseFloatBits(text, F64);
}
