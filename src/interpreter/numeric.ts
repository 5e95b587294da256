/**
 * Exact-semantics helpers for the scalar instructions the executor does not
 * inline: i64 arithmetic on 32-bit halves (no BigInt), float -> integer
 * truncations, i64 -> float conversions with a single rounding, and the float
 * ops whose Math.* counterparts differ from Wasm (NaN quieting, ties to even).
 *
 * i64 helpers work directly on the register file `w` (Int32Array) and take the
 * word index of each operand's low word: the value is w[i] (low), w[i + 1]
 * (high). An input may alias the output, so every helper reads its inputs into
 * locals before it writes.
 */

import type { TrapCode } from '../errors.js';

/** Trap results of the helpers that can fail (0 means success). */
export const TRAP_DIV_ZERO = 1;
export const TRAP_OVERFLOW = 2;
export const TRAP_INVALID_CONVERSION = 3;

const TRAP_CODES: readonly TrapCode[] = [
  'unreachable', // index 0 is "no trap" and never looked up
  'integerDivideByZero',
  'integerOverflow',
  'invalidConversionToInteger',
];

/** The TrapCode for a nonzero helper result. */
export function numericTrapCode(trap: number): TrapCode {
  return TRAP_CODES[trap]!;
}

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;
/** Below this high word (unsigned), a u64 is < 2^53 and exactly representable as a double. */
const SAFE_HIGH = 0x200000;

// ---------------------------------------------------------------- multiplication

/**
 * High 32 bits (unsigned) of the 64-bit product of two u32 values. The double
 * product is off by at most 2^11; with the exact low word (Math.imul) taken
 * off, dividing by 2^32 lands within 2^-20 of the high word, so rounding it
 * gives the exact value. The executor inlines this expression on its hot paths.
 */
function mulHighU32(x: number, y: number): number {
  return (((x >>> 0) * (y >>> 0) - (Math.imul(x, y) >>> 0)) * 2.3283064365386963e-10 + 0.5) >>> 0;
}

export function i64Mul(w: Int32Array, d: number, a: number, b: number): void {
  const al = w[a]!;
  const ah = w[a + 1]!;
  const bl = w[b]!;
  const bh = w[b + 1]!;
  // Cross terms only reach the high word, so their low 32 bits are all we need.
  w[d + 1] = (mulHighU32(al, bl) + Math.imul(ah, bl) + Math.imul(al, bh)) | 0;
  w[d] = Math.imul(al, bl);
}

// ---------------------------------------------------------------- division

// Results of divModU64 (quotient and remainder words); module scalars avoid allocating.
let quoLo = 0;
let quoHi = 0;
let remLo = 0;
let remHi = 0;

/**
 * Unsigned 64-bit division of (ah:al) by (bh:bl), which must not be 0.
 *
 * Doubles give exact floors here: for integers a, b < 2^53 the rounding error of
 * a / b is below 1/b, which is less than the distance from a / b to the next
 * integer, so Math.floor(a / b) is the true quotient.
 */
function divModU64(al: number, ah: number, bl: number, bh: number): void {
  const aL = al >>> 0;
  const aH = ah >>> 0;
  const bL = bl >>> 0;
  const bH = bh >>> 0;
  if (aH < SAFE_HIGH) {
    // a < 2^53; if b >= 2^53 its rounded value still exceeds a, so q = 0.
    const a = aH * TWO32 + aL;
    const q = Math.floor(a / (bH * TWO32 + bL));
    const r = a - q * (bH * TWO32 + bL);
    quoLo = q | 0;
    quoHi = (q / TWO32) | 0;
    remLo = r | 0;
    remHi = (r / TWO32) | 0;
  } else if (bH === 0) {
    divModByU32(aL, aH, bL);
  } else {
    divModByLarge(aL, aH, bL, bH);
  }
}

/** Schoolbook division by a 32-bit divisor, one 32-bit and two 16-bit digits at a time (each step < 2^48). */
function divModByU32(aL: number, aH: number, b: number): void {
  const q1 = Math.floor(aH / b);
  let r = aH - q1 * b;
  let x = r * 65536 + (aL >>> 16);
  const q2 = Math.floor(x / b);
  r = x - q2 * b;
  x = r * 65536 + (aL & 0xffff);
  const q3 = Math.floor(x / b);
  r = x - q3 * b;
  quoLo = (q2 * 65536 + q3) | 0;
  quoHi = q1 | 0;
  remLo = r | 0;
  remHi = 0;
}

/**
 * Division by a divisor >= 2^32: the quotient is < 2^32. The double estimate is
 * within 1 of the true quotient; one less is a lower bound, so the remainder
 * stays non-negative and at most two corrections follow.
 */
function divModByLarge(aL: number, aH: number, bL: number, bH: number): void {
  let q = Math.floor((aH * TWO32 + aL) / (bH * TWO32 + bL)) - 1;
  if (q < 0) q = 0;
  // q * b <= a < 2^64, so its low 64 bits are the exact product.
  const pL = Math.imul(q, bL) >>> 0;
  const pH = (mulHighU32(q, bL) + Math.imul(q, bH)) >>> 0;
  let rL = aL - pL;
  let rH = aH - pH;
  if (rL < 0) {
    rL += TWO32;
    rH -= 1;
  }
  while (rH > bH || (rH === bH && rL >= bL)) {
    rL -= bL;
    rH -= bH;
    if (rL < 0) {
      rL += TWO32;
      rH -= 1;
    }
    q++;
  }
  quoLo = q | 0;
  quoHi = 0;
  remLo = rL | 0;
  remHi = rH | 0;
}

/** True when (hi:lo) is the sign extension of an i32. */
function fitsI32(lo: number, hi: number): boolean {
  return hi === lo >> 31;
}

export function i64DivU(w: Int32Array, d: number, a: number, b: number): number {
  const bl = w[b]!;
  const bh = w[b + 1]!;
  if ((bl | bh) === 0) return TRAP_DIV_ZERO;
  divModU64(w[a]!, w[a + 1]!, bl, bh);
  w[d] = quoLo;
  w[d + 1] = quoHi;
  return 0;
}

export function i64RemU(w: Int32Array, d: number, a: number, b: number): number {
  const bl = w[b]!;
  const bh = w[b + 1]!;
  if ((bl | bh) === 0) return TRAP_DIV_ZERO;
  divModU64(w[a]!, w[a + 1]!, bl, bh);
  w[d] = remLo;
  w[d + 1] = remHi;
  return 0;
}

export function i64DivS(w: Int32Array, d: number, a: number, b: number): number {
  const al = w[a]!;
  const ah = w[a + 1]!;
  const bl = w[b]!;
  const bh = w[b + 1]!;
  if ((bl | bh) === 0) return TRAP_DIV_ZERO;
  if (fitsI32(al, ah) && fitsI32(bl, bh)) {
    // Common case: small values. |q| <= 2^31, exact as a double.
    const q = Math.trunc(al / bl);
    w[d] = q | 0;
    w[d + 1] = q < 0 ? -1 : 0;
    return 0;
  }
  if (ah === -0x80000000 && al === 0 && (bl & bh) === -1) return TRAP_OVERFLOW;
  const negA = ah < 0;
  const negB = bh < 0;
  divModU64(negA ? -al : al, negA ? negHigh(al, ah) : ah, negB ? -bl : bl, negB ? negHigh(bl, bh) : bh);
  if (negA !== negB) {
    w[d + 1] = negHigh(quoLo, quoHi);
    w[d] = -quoLo | 0;
  } else {
    w[d] = quoLo;
    w[d + 1] = quoHi;
  }
  return 0;
}

export function i64RemS(w: Int32Array, d: number, a: number, b: number): number {
  const al = w[a]!;
  const ah = w[a + 1]!;
  const bl = w[b]!;
  const bh = w[b + 1]!;
  if ((bl | bh) === 0) return TRAP_DIV_ZERO;
  if (fitsI32(al, ah) && fitsI32(bl, bh)) {
    // JS % on integers is exact and takes the dividend's sign, as Wasm does (-0 | 0 is 0).
    const r = (al % bl) | 0;
    w[d] = r;
    w[d + 1] = r >> 31;
    return 0;
  }
  // INT64_MIN rem -1 needs no special case: |INT64_MIN| = 2^63 is a valid u64.
  const negA = ah < 0;
  const negB = bh < 0;
  divModU64(negA ? -al : al, negA ? negHigh(al, ah) : ah, negB ? -bl : bl, negB ? negHigh(bl, bh) : bh);
  if (negA) {
    w[d + 1] = negHigh(remLo, remHi);
    w[d] = -remLo | 0;
  } else {
    w[d] = remLo;
    w[d + 1] = remHi;
  }
  return 0;
}

/** High word of the two's-complement negation of (hi:lo); the low word is -lo. */
function negHigh(lo: number, hi: number): number {
  return (~hi + (lo === 0 ? 1 : 0)) | 0;
}

// ---------------------------------------------------------------- shifts and rotations

export function i64Shl(w: Int32Array, d: number, a: number, b: number): void {
  const n = w[b]! & 63;
  const lo = w[a]!;
  const hi = w[a + 1]!;
  if (n === 0) {
    w[d] = lo;
    w[d + 1] = hi;
  } else if (n < 32) {
    w[d] = lo << n;
    w[d + 1] = (hi << n) | (lo >>> (32 - n));
  } else {
    w[d] = 0;
    w[d + 1] = lo << (n - 32);
  }
}

export function i64ShrS(w: Int32Array, d: number, a: number, b: number): void {
  const n = w[b]! & 63;
  const lo = w[a]!;
  const hi = w[a + 1]!;
  if (n === 0) {
    w[d] = lo;
    w[d + 1] = hi;
  } else if (n < 32) {
    w[d] = (lo >>> n) | (hi << (32 - n));
    w[d + 1] = hi >> n;
  } else {
    w[d] = hi >> (n - 32);
    w[d + 1] = hi >> 31;
  }
}

export function i64ShrU(w: Int32Array, d: number, a: number, b: number): void {
  const n = w[b]! & 63;
  const lo = w[a]!;
  const hi = w[a + 1]!;
  if (n === 0) {
    w[d] = lo;
    w[d + 1] = hi;
  } else if (n < 32) {
    w[d] = (lo >>> n) | (hi << (32 - n));
    w[d + 1] = hi >>> n;
  } else {
    w[d] = hi >>> (n - 32);
    w[d + 1] = 0;
  }
}

export function i64Rotl(w: Int32Array, d: number, a: number, b: number): void {
  rotateLeft(w, d, a, w[b]! & 63);
}

export function i64Rotr(w: Int32Array, d: number, a: number, b: number): void {
  rotateLeft(w, d, a, (64 - (w[b]! & 63)) & 63);
}

function rotateLeft(w: Int32Array, d: number, a: number, n: number): void {
  let lo = w[a]!;
  let hi = w[a + 1]!;
  if (n >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    n -= 32;
  }
  if (n === 0) {
    w[d] = lo;
    w[d + 1] = hi;
  } else {
    w[d] = (lo << n) | (hi >>> (32 - n));
    w[d + 1] = (hi << n) | (lo >>> (32 - n));
  }
}

// ---------------------------------------------------------------- bit counting

export function i64Clz(w: Int32Array, d: number, a: number): void {
  const hi = w[a + 1]!;
  w[d] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(w[a]!);
  w[d + 1] = 0;
}

export function i64Ctz(w: Int32Array, d: number, a: number): void {
  const lo = w[a]!;
  w[d] = lo !== 0 ? ctz32(lo) : 32 + ctz32(w[a + 1]!);
  w[d + 1] = 0;
}

/** Trailing zeros of an i32 (32 for 0): isolate the lowest set bit, count the zeros above it. */
export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

export function i64Popcnt(w: Int32Array, d: number, a: number): void {
  w[d] = popcnt32(w[a]!) + popcnt32(w[a + 1]!);
  w[d + 1] = 0;
}

/** Set bits of an i32: SWAR sums of 2-, 4- and 8-bit fields, then a multiply adds the four bytes. */
export function popcnt32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

// ---------------------------------------------------------------- float -> integer

/** Writes an integral double t, -2^63 <= t < 2^64, as an i64 (t >= 2^63 wraps, as u64 bits). */
function writeIntegral(w: Int32Array, d: number, t: number): void {
  // ToInt32 reduces modulo 2^32 exactly, and t / 2^32 is exact.
  w[d] = t | 0;
  w[d + 1] = Math.floor(t / TWO32) | 0;
}

/** x is the f32 or f64 value. Returns 0, TRAP_INVALID_CONVERSION (NaN) or TRAP_OVERFLOW. */
export function i64TruncS(w: Int32Array, d: number, x: number): number {
  // The doubles next to -2^63 are 2048 apart, so x >= -2^63 is exactly "trunc(x) >= -2^63".
  if (!(x >= -TWO63 && x < TWO63)) return x !== x ? TRAP_INVALID_CONVERSION : TRAP_OVERFLOW;
  writeIntegral(w, d, Math.trunc(x));
  return 0;
}

export function i64TruncU(w: Int32Array, d: number, x: number): number {
  if (!(x > -1 && x < TWO64)) return x !== x ? TRAP_INVALID_CONVERSION : TRAP_OVERFLOW;
  writeIntegral(w, d, Math.trunc(x));
  return 0;
}

export function i64TruncSatS(w: Int32Array, d: number, x: number): void {
  if (x >= -TWO63 && x < TWO63) {
    writeIntegral(w, d, Math.trunc(x));
  } else if (x !== x) {
    w[d] = 0;
    w[d + 1] = 0;
  } else if (x < 0) {
    w[d] = 0;
    w[d + 1] = -0x80000000;
  } else {
    w[d] = -1;
    w[d + 1] = 0x7fffffff;
  }
}

export function i64TruncSatU(w: Int32Array, d: number, x: number): void {
  if (x >= 1 && x < TWO64) {
    writeIntegral(w, d, Math.trunc(x));
  } else if (x >= TWO64) {
    w[d] = -1;
    w[d + 1] = -1;
  } else {
    // NaN, negative, or truncates to 0.
    w[d] = 0;
    w[d + 1] = 0;
  }
}

/**
 * The trapping i32 truncations: 0 when x truncates into range, else the trap.
 * On 0 the caller computes the result as `x | 0` (ToInt32 truncates toward zero;
 * for the unsigned one it also wraps the u32 into the i32 register).
 */
export function i32TruncSCheck(x: number): number {
  if (x > -2147483649 && x < 2147483648) return 0;
  return x !== x ? TRAP_INVALID_CONVERSION : TRAP_OVERFLOW;
}

export function i32TruncUCheck(x: number): number {
  if (x > -1 && x < 4294967296) return 0;
  return x !== x ? TRAP_INVALID_CONVERSION : TRAP_OVERFLOW;
}

export function i32TruncSatS(x: number): number {
  if (x > -2147483649 && x < 2147483648) return x | 0;
  if (x !== x) return 0;
  return x < 0 ? -2147483648 : 2147483647;
}

/** Returns the u32 result as the i32 with the same bits. */
export function i32TruncSatU(x: number): number {
  if (x > -1 && x < 4294967296) return x | 0;
  return x > 0 ? -1 : 0; // NaN and negatives saturate to 0
}

// ---------------------------------------------------------------- i64 -> float

// hi * 2^32 is exact and the addition rounds once, to nearest even.
export function f64ConvertI64S(w: Int32Array, a: number): number {
  return w[a + 1]! * TWO32 + (w[a]! >>> 0);
}

export function f64ConvertI64U(w: Int32Array, a: number): number {
  return (w[a + 1]! >>> 0) * TWO32 + (w[a]! >>> 0);
}

export function f32ConvertI64S(w: Int32Array, a: number): number {
  const lo = w[a]!;
  const hi = w[a + 1]!;
  if (hi >= 0) return f32FromU64(lo, hi);
  // Round the magnitude: round-to-nearest-even is symmetric.
  return -f32FromU64(-lo | 0, negHigh(lo, hi) >>> 0);
}

export function f32ConvertI64U(w: Int32Array, a: number): number {
  return f32FromU64(w[a]!, w[a + 1]! >>> 0);
}

/**
 * The u64 (hi unsigned, lo any i32) rounded once to f32. Going through an
 * inexact double would round twice. Below 2^53 the double is exact. At 2^53 and
 * above, the f32 rounding bit is bit 29 or higher, so bits 0..28 only matter as a
 * sticky bit: folding them into bit 28 leaves at most 36 significant bits, exact
 * in a double, and rounds to the same f32.
 */
function f32FromU64(lo: number, hi: number): number {
  if (hi < SAFE_HIGH) return Math.fround(hi * TWO32 + (lo >>> 0));
  const kept = ((lo & 0xe0000000) | ((lo & 0x1fffffff) === 0 ? 0 : 0x10000000)) >>> 0;
  return Math.fround(hi * TWO32 + kept);
}

// ---------------------------------------------------------------- float ops

const TWO52 = 4503599627370496;

// A NaN read from a Float64Array keeps its payload, signalling bit included, and
// Math.min/max (and Math.ceil/floor/trunc, which the executor guards inline) may
// hand it back untouched, while Wasm requires an arithmetic (quiet) NaN. So these
// return the NaN literal, the canonical quiet NaN, which satisfies both of the
// spec's NaN rules.

/** Round half to even; keeps -0 and infinities. */
export function fNearest(x: number): number {
  const ax = Math.abs(x);
  if (ax < TWO52 && ax !== 0) {
    // Adding 2^52 pushes the fraction out of the mantissa, rounding to nearest even.
    const t = ax + TWO52 - TWO52;
    return x < 0 ? -t : t;
  }
  // Zeros, infinities and everything from 2^52 up are already integral.
  return x === x ? x : NaN;
}

/** Wasm min/max: NaN if either is NaN, -0 < +0 (as Math.min/max order zeros). */
export function fMin(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return Math.min(a, b);
}

export function fMax(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  return Math.max(a, b);
}
