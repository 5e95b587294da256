/**
 * SIMD lane operations: plain functions over the v128 register file
 * (`V128Registers`, see ir.ts "v128 registers"), shared by every tier. Slot
 * arguments (`d`, `a`, `b`, `c`) are absolute slot indices (fp + register);
 * nothing here depends on the executor's state, so a tier that generates
 * JavaScript calls exactly these functions with the same arguments.
 *
 * The destination may be one of the operands (the lowering retargets results
 * into locals), so ops whose lane i reads other lanes than i build the result
 * in `scratch` first. NaN rules: arithmetic results come from JS arithmetic
 * (a quiet NaN); min/max/rounding return the canonical NaN; abs, neg, pmin,
 * pmax, lane moves and bitwise ops move bits.
 */
import {
  fMax, fMin, fNearest, i32TruncSatS, i32TruncSatU,
} from './numeric.js';

/** The v128 register file: 16 bytes per slot, one ArrayBuffer seen through every lane view. */
export class V128Registers {
  i8!: Int8Array;
  u8!: Uint8Array;
  i16!: Int16Array;
  u16!: Uint16Array;
  i32!: Int32Array;
  f32!: Float32Array;
  f64!: Float64Array;
  /** Number of slots. */
  capacity = 0;

  constructor(slots: number) {
    this.setBuffer(new ArrayBuffer(slots * 16), slots);
  }

  /** Grows to `slots` slots, keeping the values (the object stays the same, so callers may cache it). */
  grow(slots: number): void {
    if (slots <= this.capacity) return;
    const old = this.u8;
    this.setBuffer(new ArrayBuffer(slots * 16), slots);
    this.u8.set(old);
  }

  private setBuffer(buffer: ArrayBuffer, slots: number): void {
    this.i8 = new Int8Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.i16 = new Int16Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.capacity = slots;
  }
}

export type V128Unary = (v: V128Registers, d: number, a: number) => void;
export type V128Binary = (v: V128Registers, d: number, a: number, b: number) => void;
export type V128Ternary = (v: V128Registers, d: number, a: number, b: number, c: number) => void;
/** `count` is the i32 shift count (taken modulo the lane width here). */
export type V128Shift = (v: V128Registers, d: number, a: number, count: number) => void;
/** The scalar's bits: low word, high word (i64 and f64 only). */
export type V128Splat = (v: V128Registers, d: number, lo: number, hi: number) => void;
/** Writes lane `lane` of slot a into scalar register words w[dw] (and w[dw + 1] for i64/f64). */
export type V128Extract = (w: Int32Array, dw: number, v: V128Registers, a: number, lane: number) => void;
export type V128Replace = (v: V128Registers, d: number, a: number, lane: number, lo: number, hi: number) => void;
/** any_true, all_true, bitmask: the i32 result. */
export type V128Test = (v: V128Registers, a: number) => number;
/** A load at effective address `ea` (bounds already checked by the caller). */
export type V128LoadFn = (v: V128Registers, d: number, mem: DataView, ea: number) => void;
export type V128StoreFn = (v: V128Registers, a: number, mem: DataView, ea: number) => void;
/** Loads lane `lane` into a copy of slot a. */
export type V128LoadLaneFn = (v: V128Registers, d: number, a: number, mem: DataView, ea: number, lane: number) => void;
export type V128StoreLaneFn = (v: V128Registers, a: number, mem: DataView, ea: number, lane: number) => void;

const scratchBuffer = new ArrayBuffer(16);
const s8 = new Int8Array(scratchBuffer);
const s16 = new Int16Array(scratchBuffer);
const s32 = new Int32Array(scratchBuffer);
const sf32 = new Float32Array(scratchBuffer);
const sf64 = new Float64Array(scratchBuffer);

function fromScratch(v: V128Registers, d: number): void {
  const x = v.i32;
  const o = d << 2;
  x[o] = s32[0]!;
  x[o + 1] = s32[1]!;
  x[o + 2] = s32[2]!;
  x[o + 3] = s32[3]!;
}

// ---------------------------------------------------------------- moves

export function v128Copy(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  const o = d << 2;
  const p = a << 2;
  x[o] = x[p]!;
  x[o + 1] = x[p + 1]!;
  x[o + 2] = x[p + 2]!;
  x[o + 3] = x[p + 3]!;
}

export function v128Set(v: V128Registers, d: number, w0: number, w1: number, w2: number, w3: number): void {
  const x = v.i32;
  const o = d << 2;
  x[o] = w0;
  x[o + 1] = w1;
  x[o + 2] = w2;
  x[o + 3] = w3;
}

// ---------------------------------------------------------------- bitwise

export function v128Not(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = ~x[a]!;
  x[d + 1] = ~x[a + 1]!;
  x[d + 2] = ~x[a + 2]!;
  x[d + 3] = ~x[a + 3]!;
}

export function v128And(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = x[a]! & x[b]!;
  x[d + 1] = x[a + 1]! & x[b + 1]!;
  x[d + 2] = x[a + 2]! & x[b + 2]!;
  x[d + 3] = x[a + 3]! & x[b + 3]!;
}

export function v128AndNot(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = x[a]! & ~x[b]!;
  x[d + 1] = x[a + 1]! & ~x[b + 1]!;
  x[d + 2] = x[a + 2]! & ~x[b + 2]!;
  x[d + 3] = x[a + 3]! & ~x[b + 3]!;
}

export function v128Or(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = x[a]! | x[b]!;
  x[d + 1] = x[a + 1]! | x[b + 1]!;
  x[d + 2] = x[a + 2]! | x[b + 2]!;
  x[d + 3] = x[a + 3]! | x[b + 3]!;
}

export function v128Xor(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = x[a]! ^ x[b]!;
  x[d + 1] = x[a + 1]! ^ x[b + 1]!;
  x[d + 2] = x[a + 2]! ^ x[b + 2]!;
  x[d + 3] = x[a + 3]! ^ x[b + 3]!;
}

/** Bits of a where c is 1, of b where c is 0. */
export function v128Bitselect(v: V128Registers, d: number, a: number, b: number, c: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2; c <<= 2;
  for (let i = 0; i < 4; i++) {
    const m = x[c + i]!;
    x[d + i] = (x[a + i]! & m) | (x[b + i]! & ~m);
  }
}

export function v128AnyTrue(v: V128Registers, a: number): number {
  const x = v.i32;
  a <<= 2;
  return (x[a]! | x[a + 1]! | x[a + 2]! | x[a + 3]!) !== 0 ? 1 : 0;
}

// ---------------------------------------------------------------- shuffles, splats, lanes

export function i8x16Swizzle(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u8;
  a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const k = x[b + i]!;
    s8[i] = k < 16 ? x[a + k]! : 0;
  }
  fromScratch(v, d);
}

/** The 32 bytes a shuffle picks from: both operands side by side. */
const pair = new Uint8Array(32);
const pairWords = new Int32Array(pair.buffer);

/** Four result bytes, picked from `pair` by the four lane indices packed in `lanes`. */
function pick4(lanes: number): number {
  return pair[lanes & 31]! | (pair[(lanes >>> 8) & 31]! << 8) | (pair[(lanes >>> 16) & 31]! << 16) | (pair[(lanes >>> 24) & 31]! << 24);
}

/** `l0`..`l3`: the 16 lane indices (0..31) as 4 little-endian words. */
export function i8x16Shuffle(v: V128Registers, d: number, a: number, b: number, l0: number, l1: number, l2: number, l3: number): void {
  const x = v.i32;
  a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i++) {
    pairWords[i] = x[a + i]!;
    pairWords[i + 4] = x[b + i]!;
  }
  v128Set(v, d, pick4(l0), pick4(l1), pick4(l2), pick4(l3));
}

export function i8x16Splat(v: V128Registers, d: number, lo: number): void {
  const byte = lo & 0xff;
  const word = byte * 0x01010101;
  v128Set(v, d, word, word, word, word);
}

export function i16x8Splat(v: V128Registers, d: number, lo: number): void {
  const word = (lo & 0xffff) * 0x10001;
  v128Set(v, d, word, word, word, word);
}

export function i32x4Splat(v: V128Registers, d: number, lo: number): void {
  v128Set(v, d, lo, lo, lo, lo);
}

export function i64x2Splat(v: V128Registers, d: number, lo: number, hi: number): void {
  v128Set(v, d, lo, hi, lo, hi);
}

export function i8x16ExtractLaneS(w: Int32Array, dw: number, v: V128Registers, a: number, lane: number): void {
  w[dw] = v.i8[(a << 4) + lane]!;
}

export function i8x16ExtractLaneU(w: Int32Array, dw: number, v: V128Registers, a: number, lane: number): void {
  w[dw] = v.u8[(a << 4) + lane]!;
}

export function i16x8ExtractLaneS(w: Int32Array, dw: number, v: V128Registers, a: number, lane: number): void {
  w[dw] = v.i16[(a << 3) + lane]!;
}

export function i16x8ExtractLaneU(w: Int32Array, dw: number, v: V128Registers, a: number, lane: number): void {
  w[dw] = v.u16[(a << 3) + lane]!;
}

/** i32x4 and f32x4 (bits). */
export function i32x4ExtractLane(w: Int32Array, dw: number, v: V128Registers, a: number, lane: number): void {
  w[dw] = v.i32[(a << 2) + lane]!;
}

/** i64x2 and f64x2 (bits). */
export function i64x2ExtractLane(w: Int32Array, dw: number, v: V128Registers, a: number, lane: number): void {
  const i = (a << 2) + (lane << 1);
  w[dw] = v.i32[i]!;
  w[dw + 1] = v.i32[i + 1]!;
}

export function i8x16ReplaceLane(v: V128Registers, d: number, a: number, lane: number, lo: number): void {
  v128Copy(v, d, a);
  v.i8[(d << 4) + lane] = lo;
}

export function i16x8ReplaceLane(v: V128Registers, d: number, a: number, lane: number, lo: number): void {
  v128Copy(v, d, a);
  v.i16[(d << 3) + lane] = lo;
}

export function i32x4ReplaceLane(v: V128Registers, d: number, a: number, lane: number, lo: number): void {
  v128Copy(v, d, a);
  v.i32[(d << 2) + lane] = lo;
}

export function i64x2ReplaceLane(v: V128Registers, d: number, a: number, lane: number, lo: number, hi: number): void {
  v128Copy(v, d, a);
  const i = (d << 2) + (lane << 1);
  v.i32[i] = lo;
  v.i32[i + 1] = hi;
}

// ---------------------------------------------------------------- i8x16

/** Lane-wise add of four bytes packed in a word, without carries between them (SWAR). */
function addBytes(a: number, b: number): number {
  return ((a & 0x7f7f7f7f) + (b & 0x7f7f7f7f)) ^ ((a ^ b) & 0x80808080);
}

function subBytes(a: number, b: number): number {
  return ((a | 0x80808080) - (b & 0x7f7f7f7f)) ^ ((a ^ ~b) & 0x80808080);
}

function addHalves(a: number, b: number): number {
  return ((a & 0x7fff7fff) + (b & 0x7fff7fff)) ^ ((a ^ b) & 0x80008000);
}

function subHalves(a: number, b: number): number {
  return ((a | 0x80008000) - (b & 0x7fff7fff)) ^ ((a ^ ~b) & 0x80008000);
}

export function i8x16Add(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = addBytes(x[a]!, x[b]!);
  x[d + 1] = addBytes(x[a + 1]!, x[b + 1]!);
  x[d + 2] = addBytes(x[a + 2]!, x[b + 2]!);
  x[d + 3] = addBytes(x[a + 3]!, x[b + 3]!);
}

export function i8x16Sub(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = subBytes(x[a]!, x[b]!);
  x[d + 1] = subBytes(x[a + 1]!, x[b + 1]!);
  x[d + 2] = subBytes(x[a + 2]!, x[b + 2]!);
  x[d + 3] = subBytes(x[a + 3]!, x[b + 3]!);
}

export function i8x16Neg(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = subBytes(0, x[a]!);
  x[d + 1] = subBytes(0, x[a + 1]!);
  x[d + 2] = subBytes(0, x[a + 2]!);
  x[d + 3] = subBytes(0, x[a + 3]!);
}

export function i8x16Abs(v: V128Registers, d: number, a: number): void {
  const x = v.i8;
  d <<= 4; a <<= 4;
  for (let i = 0; i < 16; i++) {
    const n = x[a + i]!;
    x[d + i] = n < 0 ? -n : n;
  }
}

export function i8x16Popcnt(v: V128Registers, d: number, a: number): void {
  const x = v.u8;
  d <<= 4; a <<= 4;
  for (let i = 0; i < 16; i++) {
    let n = x[a + i]!;
    n = n - ((n >> 1) & 0x55);
    n = (n & 0x33) + ((n >> 2) & 0x33);
    x[d + i] = (n + (n >> 4)) & 0x0f;
  }
}

export function i8x16AddSatS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const n = x[a + i]! + x[b + i]!;
    x[d + i] = n > 127 ? 127 : n < -128 ? -128 : n;
  }
}

export function i8x16AddSatU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const n = x[a + i]! + x[b + i]!;
    x[d + i] = n > 255 ? 255 : n;
  }
}

export function i8x16SubSatS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const n = x[a + i]! - x[b + i]!;
    x[d + i] = n > 127 ? 127 : n < -128 ? -128 : n;
  }
}

export function i8x16SubSatU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const n = x[a + i]! - x[b + i]!;
    x[d + i] = n < 0 ? 0 : n;
  }
}

export function i8x16MinS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p < q ? p : q;
  }
}

export function i8x16MinU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p < q ? p : q;
  }
}

export function i8x16MaxS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p > q ? p : q;
  }
}

export function i8x16MaxU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p > q ? p : q;
  }
}

export function i8x16AvgrU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u8;
  d <<= 4; a <<= 4; b <<= 4;
  for (let i = 0; i < 16; i++) x[d + i] = (x[a + i]! + x[b + i]! + 1) >> 1;
}

// Shifts of the narrow lanes work on whole words, masking off the bits that cross a lane.
export function i8x16Shl(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 7;
  const mask = ((0xff << n) & 0xff) * 0x01010101;
  d <<= 2; a <<= 2;
  x[d] = (x[a]! << n) & mask;
  x[d + 1] = (x[a + 1]! << n) & mask;
  x[d + 2] = (x[a + 2]! << n) & mask;
  x[d + 3] = (x[a + 3]! << n) & mask;
}

export function i8x16ShrS(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i8;
  const n = count & 7;
  d <<= 4; a <<= 4;
  for (let i = 0; i < 16; i++) x[d + i] = x[a + i]! >> n;
}

export function i8x16ShrU(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 7;
  const mask = (0xff >>> n) * 0x01010101;
  d <<= 2; a <<= 2;
  x[d] = (x[a]! >>> n) & mask;
  x[d + 1] = (x[a + 1]! >>> n) & mask;
  x[d + 2] = (x[a + 2]! >>> n) & mask;
  x[d + 3] = (x[a + 3]! >>> n) & mask;
}

export function i8x16AllTrue(v: V128Registers, a: number): number {
  const x = v.u8;
  a <<= 4;
  for (let i = 0; i < 16; i++) if (x[a + i] === 0) return 0;
  return 1;
}

/** The top bits of the four bytes of `w`, as bits 0..3. */
function byteSigns(w: number): number {
  return ((w >>> 7) & 1) | ((w >>> 14) & 2) | ((w >>> 21) & 4) | ((w >>> 28) & 8);
}

export function i8x16Bitmask(v: V128Registers, a: number): number {
  const x = v.i32;
  a <<= 2;
  return byteSigns(x[a]!) | (byteSigns(x[a + 1]!) << 4) | (byteSigns(x[a + 2]!) << 8) | (byteSigns(x[a + 3]!) << 12);
}

/** 0xff in each byte of the result where the bytes of p and q are equal, else 0 (no carries between bytes). */
function equalBytes(p: number, q: number): number {
  const t = ~(p ^ q);
  return (((((t & 0x7f7f7f7f) + 0x01010101) & t & 0x80808080) >>> 7) * 0xff) | 0;
}

export function i8x16Eq(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = equalBytes(x[a]!, x[b]!);
  x[d + 1] = equalBytes(x[a + 1]!, x[b + 1]!);
  x[d + 2] = equalBytes(x[a + 2]!, x[b + 2]!);
  x[d + 3] = equalBytes(x[a + 3]!, x[b + 3]!);
}

export function i8x16Ne(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = ~equalBytes(x[a]!, x[b]!);
  x[d + 1] = ~equalBytes(x[a + 1]!, x[b + 1]!);
  x[d + 2] = ~equalBytes(x[a + 2]!, x[b + 2]!);
  x[d + 3] = ~equalBytes(x[a + 3]!, x[b + 3]!);
}

function saturateS8(n: number): number {
  return n > 127 ? 127 : n < -128 ? -128 : n;
}

function saturateU8(n: number): number {
  return n > 255 ? 255 : n < 0 ? 0 : n;
}

/** Four i16 lanes from `i` on, saturated to bytes and packed into a word (word stores: no byte stores read back as words). */
function packS8(x: Int16Array, i: number): number {
  return (saturateS8(x[i]!) & 0xff) | ((saturateS8(x[i + 1]!) & 0xff) << 8) | ((saturateS8(x[i + 2]!) & 0xff) << 16) | (saturateS8(x[i + 3]!) << 24);
}

function packU8(x: Int16Array, i: number): number {
  return saturateU8(x[i]!) | (saturateU8(x[i + 1]!) << 8) | (saturateU8(x[i + 2]!) << 16) | (saturateU8(x[i + 3]!) << 24);
}

export function i8x16NarrowI16x8S(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  a <<= 3; b <<= 3;
  v128Set(v, d, packS8(x, a), packS8(x, a + 4), packS8(x, b), packS8(x, b + 4));
}

export function i8x16NarrowI16x8U(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  a <<= 3; b <<= 3;
  v128Set(v, d, packU8(x, a), packU8(x, a + 4), packU8(x, b), packU8(x, b + 4));
}

// ---------------------------------------------------------------- comparisons (all lane shapes)

/** Declares the six integer comparisons of one lane view. */
function compareOps(view: (v: V128Registers) => Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array, shift: number, lanes: number) {
  // The result lane is all ones: -1 in every signed view, and the store into an unsigned view wraps it.
  return {
    eq(v: V128Registers, d: number, a: number, b: number): void {
      const x = view(v);
      d <<= shift; a <<= shift; b <<= shift;
      for (let i = 0; i < lanes; i++) x[d + i] = x[a + i] === x[b + i] ? -1 : 0;
    },
    ne(v: V128Registers, d: number, a: number, b: number): void {
      const x = view(v);
      d <<= shift; a <<= shift; b <<= shift;
      for (let i = 0; i < lanes; i++) x[d + i] = x[a + i] !== x[b + i] ? -1 : 0;
    },
    lt(v: V128Registers, d: number, a: number, b: number): void {
      const x = view(v);
      d <<= shift; a <<= shift; b <<= shift;
      for (let i = 0; i < lanes; i++) x[d + i] = x[a + i]! < x[b + i]! ? -1 : 0;
    },
    gt(v: V128Registers, d: number, a: number, b: number): void {
      const x = view(v);
      d <<= shift; a <<= shift; b <<= shift;
      for (let i = 0; i < lanes; i++) x[d + i] = x[a + i]! > x[b + i]! ? -1 : 0;
    },
    le(v: V128Registers, d: number, a: number, b: number): void {
      const x = view(v);
      d <<= shift; a <<= shift; b <<= shift;
      for (let i = 0; i < lanes; i++) x[d + i] = x[a + i]! <= x[b + i]! ? -1 : 0;
    },
    ge(v: V128Registers, d: number, a: number, b: number): void {
      const x = view(v);
      d <<= shift; a <<= shift; b <<= shift;
      for (let i = 0; i < lanes; i++) x[d + i] = x[a + i]! >= x[b + i]! ? -1 : 0;
    },
  };
}

export const i8x16CompareS = compareOps((v) => v.i8, 4, 16);
export const i8x16CompareU = compareOps((v) => v.u8, 4, 16);
export const i16x8CompareS = compareOps((v) => v.i16, 3, 8);
export const i16x8CompareU = compareOps((v) => v.u16, 3, 8);
export const i32x4CompareS = compareOps((v) => v.i32, 2, 4);

/** Unsigned i32 lanes: compared as u32 numbers, the result written through the signed view. */
function compareU32(test: (p: number, q: number) => boolean) {
  return (v: V128Registers, d: number, a: number, b: number): void => {
    const x = v.i32;
    d <<= 2; a <<= 2; b <<= 2;
    x[d] = test(x[a]! >>> 0, x[b]! >>> 0) ? -1 : 0;
    x[d + 1] = test(x[a + 1]! >>> 0, x[b + 1]! >>> 0) ? -1 : 0;
    x[d + 2] = test(x[a + 2]! >>> 0, x[b + 2]! >>> 0) ? -1 : 0;
    x[d + 3] = test(x[a + 3]! >>> 0, x[b + 3]! >>> 0) ? -1 : 0;
  };
}

export const i32x4LtU = compareU32((p, q) => p < q);
export const i32x4GtU = compareU32((p, q) => p > q);
export const i32x4LeU = compareU32((p, q) => p <= q);
export const i32x4GeU = compareU32((p, q) => p >= q);

/** Signed i64 lanes: -1, 0 or 1 as p is below, equal to or above q. */
function compareI64(x: Int32Array, p: number, q: number): number {
  const ph = x[p + 1]!;
  const qh = x[q + 1]!;
  if (ph !== qh) return ph < qh ? -1 : 1;
  const pl = x[p]! >>> 0;
  const ql = x[q]! >>> 0;
  return pl === ql ? 0 : pl < ql ? -1 : 1;
}

function compareI64Op(test: (order: number) => boolean) {
  return (v: V128Registers, d: number, a: number, b: number): void => {
    const x = v.i32;
    d <<= 2; a <<= 2; b <<= 2;
    const r0 = test(compareI64(x, a, b)) ? -1 : 0;
    const r1 = test(compareI64(x, a + 2, b + 2)) ? -1 : 0;
    x[d] = r0;
    x[d + 1] = r0;
    x[d + 2] = r1;
    x[d + 3] = r1;
  };
}

export const i64x2Eq = compareI64Op((o) => o === 0);
export const i64x2Ne = compareI64Op((o) => o !== 0);
export const i64x2LtS = compareI64Op((o) => o < 0);
export const i64x2GtS = compareI64Op((o) => o > 0);
export const i64x2LeS = compareI64Op((o) => o <= 0);
export const i64x2GeS = compareI64Op((o) => o >= 0);

function compareFloat(view: (v: V128Registers) => Float32Array | Float64Array, lanes: number, test: (p: number, q: number) => boolean) {
  const shift = lanes === 4 ? 2 : 1;
  const wordsPerLane = 4 / lanes;
  return (v: V128Registers, d: number, a: number, b: number): void => {
    const f = view(v);
    const x = v.i32;
    a <<= shift; b <<= shift;
    // Read every lane before writing: the result's words overlap the operands' lanes.
    for (let i = 0; i < lanes; i++) s8[i] = test(f[a + i]!, f[b + i]!) ? -1 : 0;
    const o = d << 2;
    x[o] = s8[(0 / wordsPerLane) | 0]!;
    x[o + 1] = s8[(1 / wordsPerLane) | 0]!;
    x[o + 2] = s8[(2 / wordsPerLane) | 0]!;
    x[o + 3] = s8[(3 / wordsPerLane) | 0]!;
  };
}

export const f32x4Eq = compareFloat((v) => v.f32, 4, (p, q) => p === q);
export const f32x4Ne = compareFloat((v) => v.f32, 4, (p, q) => p !== q);
export const f32x4Lt = compareFloat((v) => v.f32, 4, (p, q) => p < q);
export const f32x4Gt = compareFloat((v) => v.f32, 4, (p, q) => p > q);
export const f32x4Le = compareFloat((v) => v.f32, 4, (p, q) => p <= q);
export const f32x4Ge = compareFloat((v) => v.f32, 4, (p, q) => p >= q);
export const f64x2Eq = compareFloat((v) => v.f64, 2, (p, q) => p === q);
export const f64x2Ne = compareFloat((v) => v.f64, 2, (p, q) => p !== q);
export const f64x2Lt = compareFloat((v) => v.f64, 2, (p, q) => p < q);
export const f64x2Gt = compareFloat((v) => v.f64, 2, (p, q) => p > q);
export const f64x2Le = compareFloat((v) => v.f64, 2, (p, q) => p <= q);
export const f64x2Ge = compareFloat((v) => v.f64, 2, (p, q) => p >= q);

// ---------------------------------------------------------------- i16x8

export function i16x8Add(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = addHalves(x[a]!, x[b]!);
  x[d + 1] = addHalves(x[a + 1]!, x[b + 1]!);
  x[d + 2] = addHalves(x[a + 2]!, x[b + 2]!);
  x[d + 3] = addHalves(x[a + 3]!, x[b + 3]!);
}

export function i16x8Sub(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = subHalves(x[a]!, x[b]!);
  x[d + 1] = subHalves(x[a + 1]!, x[b + 1]!);
  x[d + 2] = subHalves(x[a + 2]!, x[b + 2]!);
  x[d + 3] = subHalves(x[a + 3]!, x[b + 3]!);
}

export function i16x8Mul(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = (Math.imul(p, q) & 0xffff) | (Math.imul(p >>> 16, q >>> 16) << 16);
  }
}

export function i16x8Neg(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = subHalves(0, x[a]!);
  x[d + 1] = subHalves(0, x[a + 1]!);
  x[d + 2] = subHalves(0, x[a + 2]!);
  x[d + 3] = subHalves(0, x[a + 3]!);
}

export function i16x8Abs(v: V128Registers, d: number, a: number): void {
  const x = v.i16;
  d <<= 3; a <<= 3;
  for (let i = 0; i < 8; i++) {
    const n = x[a + i]!;
    x[d + i] = n < 0 ? -n : n;
  }
}

function saturateS16(n: number): number {
  return n > 32767 ? 32767 : n < -32768 ? -32768 : n;
}

function saturateU16(n: number): number {
  return n > 65535 ? 65535 : n < 0 ? 0 : n;
}

export function i16x8AddSatS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = saturateS16(x[a + i]! + x[b + i]!);
}

export function i16x8AddSatU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = saturateU16(x[a + i]! + x[b + i]!);
}

export function i16x8SubSatS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = saturateS16(x[a + i]! - x[b + i]!);
}

export function i16x8SubSatU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = saturateU16(x[a + i]! - x[b + i]!);
}

export function i16x8MinS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p < q ? p : q;
  }
}

export function i16x8MinU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p < q ? p : q;
  }
}

export function i16x8MaxS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p > q ? p : q;
  }
}

export function i16x8MaxU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p > q ? p : q;
  }
}

export function i16x8AvgrU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = (x[a + i]! + x[b + i]! + 1) >> 1;
}

/** Also i16x8.relaxed_q15mulr_s (the saturating choice). */
export function i16x8Q15mulrSatS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  d <<= 3; a <<= 3; b <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = saturateS16((x[a + i]! * x[b + i]! + 0x4000) >> 15);
}

export function i16x8Shl(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 15;
  const mask = ((0xffff << n) & 0xffff) * 0x10001;
  d <<= 2; a <<= 2;
  x[d] = (x[a]! << n) & mask;
  x[d + 1] = (x[a + 1]! << n) & mask;
  x[d + 2] = (x[a + 2]! << n) & mask;
  x[d + 3] = (x[a + 3]! << n) & mask;
}

export function i16x8ShrS(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i16;
  const n = count & 15;
  d <<= 3; a <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = x[a + i]! >> n;
}

export function i16x8ShrU(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 15;
  const mask = (0xffff >>> n) * 0x10001;
  d <<= 2; a <<= 2;
  x[d] = (x[a]! >>> n) & mask;
  x[d + 1] = (x[a + 1]! >>> n) & mask;
  x[d + 2] = (x[a + 2]! >>> n) & mask;
  x[d + 3] = (x[a + 3]! >>> n) & mask;
}

export function i16x8AllTrue(v: V128Registers, a: number): number {
  const x = v.u16;
  a <<= 3;
  for (let i = 0; i < 8; i++) if (x[a + i] === 0) return 0;
  return 1;
}

export function i16x8Bitmask(v: V128Registers, a: number): number {
  const x = v.u16;
  a <<= 3;
  let mask = 0;
  for (let i = 0; i < 8; i++) mask |= (x[a + i]! >> 15) << i;
  return mask;
}

export function i16x8NarrowI32x4S(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i++) {
    s16[i] = saturateS16(x[a + i]!);
    s16[i + 4] = saturateS16(x[b + i]!);
  }
  fromScratch(v, d);
}

export function i16x8NarrowI32x4U(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i++) {
    s16[i] = saturateU16(x[a + i]!);
    s16[i + 4] = saturateU16(x[b + i]!);
  }
  fromScratch(v, d);
}

/** Widening ops read through `from` at lanes `first`.. and write 2x wider lanes. */
export function i16x8ExtendLowI8x16S(v: V128Registers, d: number, a: number): void {
  const x = v.i8;
  a <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + i]!;
  fromScratch(v, d);
}

export function i16x8ExtendHighI8x16S(v: V128Registers, d: number, a: number): void {
  const x = v.i8;
  a <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + 8 + i]!;
  fromScratch(v, d);
}

export function i16x8ExtendLowI8x16U(v: V128Registers, d: number, a: number): void {
  const x = v.u8;
  a <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + i]!;
  fromScratch(v, d);
}

export function i16x8ExtendHighI8x16U(v: V128Registers, d: number, a: number): void {
  const x = v.u8;
  a <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + 8 + i]!;
  fromScratch(v, d);
}

export function i16x8ExtmulLowI8x16S(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i8;
  a <<= 4; b <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + i]! * x[b + i]!;
  fromScratch(v, d);
}

export function i16x8ExtmulHighI8x16S(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i8;
  a <<= 4; b <<= 4;
  for (let i = 8; i < 16; i++) s16[i - 8] = x[a + i]! * x[b + i]!;
  fromScratch(v, d);
}

export function i16x8ExtmulLowI8x16U(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u8;
  a <<= 4; b <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + i]! * x[b + i]!;
  fromScratch(v, d);
}

export function i16x8ExtmulHighI8x16U(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u8;
  a <<= 4; b <<= 4;
  for (let i = 8; i < 16; i++) s16[i - 8] = x[a + i]! * x[b + i]!;
  fromScratch(v, d);
}

export function i16x8ExtaddPairwiseI8x16S(v: V128Registers, d: number, a: number): void {
  const x = v.i8;
  a <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + 2 * i]! + x[a + 2 * i + 1]!;
  fromScratch(v, d);
}

export function i16x8ExtaddPairwiseI8x16U(v: V128Registers, d: number, a: number): void {
  const x = v.u8;
  a <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + 2 * i]! + x[a + 2 * i + 1]!;
  fromScratch(v, d);
}

/** Relaxed: b's lanes read as signed, the pair sums wrap to 16 bits (one allowed behaviour, see README). */
export function i16x8RelaxedDotI8x16I7x16S(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i8;
  a <<= 4; b <<= 4;
  for (let i = 0; i < 8; i++) s16[i] = x[a + 2 * i]! * x[b + 2 * i]! + x[a + 2 * i + 1]! * x[b + 2 * i + 1]!;
  fromScratch(v, d);
}

// ---------------------------------------------------------------- i32x4

export function i32x4Add(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = (x[a]! + x[b]!) | 0;
  x[d + 1] = (x[a + 1]! + x[b + 1]!) | 0;
  x[d + 2] = (x[a + 2]! + x[b + 2]!) | 0;
  x[d + 3] = (x[a + 3]! + x[b + 3]!) | 0;
}

export function i32x4Sub(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = (x[a]! - x[b]!) | 0;
  x[d + 1] = (x[a + 1]! - x[b + 1]!) | 0;
  x[d + 2] = (x[a + 2]! - x[b + 2]!) | 0;
  x[d + 3] = (x[a + 3]! - x[b + 3]!) | 0;
}

export function i32x4Mul(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = Math.imul(x[a]!, x[b]!);
  x[d + 1] = Math.imul(x[a + 1]!, x[b + 1]!);
  x[d + 2] = Math.imul(x[a + 2]!, x[b + 2]!);
  x[d + 3] = Math.imul(x[a + 3]!, x[b + 3]!);
}

export function i32x4Neg(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = -x[a]! | 0;
  x[d + 1] = -x[a + 1]! | 0;
  x[d + 2] = -x[a + 2]! | 0;
  x[d + 3] = -x[a + 3]! | 0;
}

export function i32x4Abs(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  for (let i = 0; i < 4; i++) {
    const n = x[a + i]!;
    x[d + i] = n < 0 ? -n | 0 : n;
  }
}

export function i32x4MinS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p < q ? p : q;
  }
}

export function i32x4MinU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p >>> 0 < q >>> 0 ? p : q;
  }
}

export function i32x4MaxS(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p > q ? p : q;
  }
}

export function i32x4MaxU(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i++) {
    const p = x[a + i]!;
    const q = x[b + i]!;
    x[d + i] = p >>> 0 > q >>> 0 ? p : q;
  }
}

export function i32x4Shl(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 31;
  d <<= 2; a <<= 2;
  x[d] = x[a]! << n;
  x[d + 1] = x[a + 1]! << n;
  x[d + 2] = x[a + 2]! << n;
  x[d + 3] = x[a + 3]! << n;
}

export function i32x4ShrS(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 31;
  d <<= 2; a <<= 2;
  x[d] = x[a]! >> n;
  x[d + 1] = x[a + 1]! >> n;
  x[d + 2] = x[a + 2]! >> n;
  x[d + 3] = x[a + 3]! >> n;
}

export function i32x4ShrU(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 31;
  d <<= 2; a <<= 2;
  x[d] = x[a]! >>> n;
  x[d + 1] = x[a + 1]! >>> n;
  x[d + 2] = x[a + 2]! >>> n;
  x[d + 3] = x[a + 3]! >>> n;
}

export function i32x4AllTrue(v: V128Registers, a: number): number {
  const x = v.i32;
  a <<= 2;
  return x[a] !== 0 && x[a + 1] !== 0 && x[a + 2] !== 0 && x[a + 3] !== 0 ? 1 : 0;
}

export function i32x4Bitmask(v: V128Registers, a: number): number {
  const x = v.i32;
  a <<= 2;
  return (x[a]! >>> 31) | ((x[a + 1]! >>> 31) << 1) | ((x[a + 2]! >>> 31) << 2) | ((x[a + 3]! >>> 31) << 3);
}

export function i32x4ExtendLowI16x8S(v: V128Registers, d: number, a: number): void {
  const x = v.i16;
  a <<= 3;
  s32[0] = x[a]!;
  s32[1] = x[a + 1]!;
  s32[2] = x[a + 2]!;
  s32[3] = x[a + 3]!;
  fromScratch(v, d);
}

export function i32x4ExtendHighI16x8S(v: V128Registers, d: number, a: number): void {
  const x = v.i16;
  a <<= 3;
  s32[0] = x[a + 4]!;
  s32[1] = x[a + 4 + 1]!;
  s32[2] = x[a + 4 + 2]!;
  s32[3] = x[a + 4 + 3]!;
  fromScratch(v, d);
}

export function i32x4ExtendLowI16x8U(v: V128Registers, d: number, a: number): void {
  const x = v.u16;
  a <<= 3;
  s32[0] = x[a]!;
  s32[1] = x[a + 1]!;
  s32[2] = x[a + 2]!;
  s32[3] = x[a + 3]!;
  fromScratch(v, d);
}

export function i32x4ExtendHighI16x8U(v: V128Registers, d: number, a: number): void {
  const x = v.u16;
  a <<= 3;
  s32[0] = x[a + 4]!;
  s32[1] = x[a + 4 + 1]!;
  s32[2] = x[a + 4 + 2]!;
  s32[3] = x[a + 4 + 3]!;
  fromScratch(v, d);
}

export function i32x4ExtmulLowI16x8S(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  a <<= 3; b <<= 3;
  s32[0] = Math.imul(x[a]!, x[b]!);
  s32[1] = Math.imul(x[a + 1]!, x[b + 1]!);
  s32[2] = Math.imul(x[a + 2]!, x[b + 2]!);
  s32[3] = Math.imul(x[a + 3]!, x[b + 3]!);
  fromScratch(v, d);
}

export function i32x4ExtmulHighI16x8S(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  a <<= 3; b <<= 3;
  s32[0] = Math.imul(x[a + 4]!, x[b + 4]!);
  s32[1] = Math.imul(x[a + 4 + 1]!, x[b + 4 + 1]!);
  s32[2] = Math.imul(x[a + 4 + 2]!, x[b + 4 + 2]!);
  s32[3] = Math.imul(x[a + 4 + 3]!, x[b + 4 + 3]!);
  fromScratch(v, d);
}

export function i32x4ExtmulLowI16x8U(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u16;
  a <<= 3; b <<= 3;
  s32[0] = Math.imul(x[a]!, x[b]!);
  s32[1] = Math.imul(x[a + 1]!, x[b + 1]!);
  s32[2] = Math.imul(x[a + 2]!, x[b + 2]!);
  s32[3] = Math.imul(x[a + 3]!, x[b + 3]!);
  fromScratch(v, d);
}

export function i32x4ExtmulHighI16x8U(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.u16;
  a <<= 3; b <<= 3;
  s32[0] = Math.imul(x[a + 4]!, x[b + 4]!);
  s32[1] = Math.imul(x[a + 4 + 1]!, x[b + 4 + 1]!);
  s32[2] = Math.imul(x[a + 4 + 2]!, x[b + 4 + 2]!);
  s32[3] = Math.imul(x[a + 4 + 3]!, x[b + 4 + 3]!);
  fromScratch(v, d);
}

export function i32x4ExtaddPairwiseI16x8S(v: V128Registers, d: number, a: number): void {
  const x = v.i16;
  a <<= 3;
  s32[0] = x[a]! + x[a + 1]!;
  s32[1] = x[a + 2]! + x[a + 3]!;
  s32[2] = x[a + 4]! + x[a + 5]!;
  s32[3] = x[a + 6]! + x[a + 7]!;
  fromScratch(v, d);
}

export function i32x4ExtaddPairwiseI16x8U(v: V128Registers, d: number, a: number): void {
  const x = v.u16;
  a <<= 3;
  s32[0] = x[a]! + x[a + 1]!;
  s32[1] = x[a + 2]! + x[a + 3]!;
  s32[2] = x[a + 4]! + x[a + 5]!;
  s32[3] = x[a + 6]! + x[a + 7]!;
  fromScratch(v, d);
}

export function i32x4DotI16x8S(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i16;
  a <<= 3; b <<= 3;
  s32[0] = (x[a]! * x[b]! + x[a + 1]! * x[b + 1]!) | 0;
  s32[1] = (x[a + 2]! * x[b + 2]! + x[a + 3]! * x[b + 3]!) | 0;
  s32[2] = (x[a + 4]! * x[b + 4]! + x[a + 5]! * x[b + 5]!) | 0;
  s32[3] = (x[a + 6]! * x[b + 6]! + x[a + 7]! * x[b + 7]!) | 0;
  fromScratch(v, d);
}

/** Relaxed: b's lanes read as signed, the four products summed exactly, then c added (wrapping). */
export function i32x4RelaxedDotI8x16I7x16AddS(v: V128Registers, d: number, a: number, b: number, c: number): void {
  const x = v.i8;
  const acc = v.i32;
  a <<= 4; b <<= 4;
  const o = c << 2;
  for (let i = 0; i < 4; i++) {
    let sum = 0;
    for (let j = 4 * i; j < 4 * i + 4; j++) sum += x[a + j]! * x[b + j]!;
    s32[i] = (sum + acc[o + i]!) | 0;
  }
  fromScratch(v, d);
}

export function i32x4TruncSatF32x4S(v: V128Registers, d: number, a: number): void {
  const f = v.f32;
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = i32TruncSatS(f[a]!);
  x[d + 1] = i32TruncSatS(f[a + 1]!);
  x[d + 2] = i32TruncSatS(f[a + 2]!);
  x[d + 3] = i32TruncSatS(f[a + 3]!);
}

export function i32x4TruncSatF32x4U(v: V128Registers, d: number, a: number): void {
  const f = v.f32;
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = i32TruncSatU(f[a]!);
  x[d + 1] = i32TruncSatU(f[a + 1]!);
  x[d + 2] = i32TruncSatU(f[a + 2]!);
  x[d + 3] = i32TruncSatU(f[a + 3]!);
}

export function i32x4TruncSatF64x2SZero(v: V128Registers, d: number, a: number): void {
  const f = v.f64;
  a <<= 1;
  v128Set(v, d, i32TruncSatS(f[a]!), i32TruncSatS(f[a + 1]!), 0, 0);
}

export function i32x4TruncSatF64x2UZero(v: V128Registers, d: number, a: number): void {
  const f = v.f64;
  a <<= 1;
  v128Set(v, d, i32TruncSatU(f[a]!), i32TruncSatU(f[a + 1]!), 0, 0);
}

// ---------------------------------------------------------------- i64x2 (on 32-bit halves)

export function i64x2Add(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i += 2) {
    const al = x[a + i]!;
    const lo = (al + x[b + i]!) | 0;
    x[d + i + 1] = (x[a + i + 1]! + x[b + i + 1]! + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
    x[d + i] = lo;
  }
}

export function i64x2Sub(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i += 2) {
    const al = x[a + i]!;
    const bl = x[b + i]!;
    x[d + i + 1] = (x[a + i + 1]! - x[b + i + 1]! - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0;
    x[d + i] = (al - bl) | 0;
  }
}

/** High 32 bits of the u64 product of two u32 values (see numeric.ts for why the rounding is exact). */
function mulHighU32(p: number, q: number): number {
  return (((p >>> 0) * (q >>> 0) - (Math.imul(p, q) >>> 0)) * 2.3283064365386963e-10 + 0.5) >>> 0;
}

export function i64x2Mul(v: V128Registers, d: number, a: number, b: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  for (let i = 0; i < 4; i += 2) {
    const al = x[a + i]!;
    const ah = x[a + i + 1]!;
    const bl = x[b + i]!;
    const bh = x[b + i + 1]!;
    x[d + i + 1] = (mulHighU32(al, bl) + Math.imul(ah, bl) + Math.imul(al, bh)) | 0;
    x[d + i] = Math.imul(al, bl);
  }
}

export function i64x2Neg(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = x[a + i]!;
    x[d + i + 1] = (~x[a + i + 1]! + (lo === 0 ? 1 : 0)) | 0;
    x[d + i] = -lo | 0;
  }
}

export function i64x2Abs(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = x[a + i]!;
    const hi = x[a + i + 1]!;
    if (hi < 0) {
      x[d + i + 1] = (~hi + (lo === 0 ? 1 : 0)) | 0;
      x[d + i] = -lo | 0;
    } else {
      x[d + i + 1] = hi;
      x[d + i] = lo;
    }
  }
}

export function i64x2Shl(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 63;
  d <<= 2; a <<= 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = x[a + i]!;
    const hi = x[a + i + 1]!;
    if (n >= 32) {
      x[d + i + 1] = lo << (n - 32);
      x[d + i] = 0;
    } else if (n > 0) {
      x[d + i + 1] = (hi << n) | (lo >>> (32 - n));
      x[d + i] = lo << n;
    } else {
      x[d + i + 1] = hi;
      x[d + i] = lo;
    }
  }
}

export function i64x2ShrS(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 63;
  d <<= 2; a <<= 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = x[a + i]!;
    const hi = x[a + i + 1]!;
    if (n >= 32) {
      x[d + i] = hi >> (n - 32);
      x[d + i + 1] = hi >> 31;
    } else if (n > 0) {
      x[d + i] = (lo >>> n) | (hi << (32 - n));
      x[d + i + 1] = hi >> n;
    } else {
      x[d + i] = lo;
      x[d + i + 1] = hi;
    }
  }
}

export function i64x2ShrU(v: V128Registers, d: number, a: number, count: number): void {
  const x = v.i32;
  const n = count & 63;
  d <<= 2; a <<= 2;
  for (let i = 0; i < 4; i += 2) {
    const lo = x[a + i]!;
    const hi = x[a + i + 1]!;
    if (n >= 32) {
      x[d + i] = hi >>> (n - 32);
      x[d + i + 1] = 0;
    } else if (n > 0) {
      x[d + i] = (lo >>> n) | (hi << (32 - n));
      x[d + i + 1] = hi >>> n;
    } else {
      x[d + i] = lo;
      x[d + i + 1] = hi;
    }
  }
}

export function i64x2AllTrue(v: V128Registers, a: number): number {
  const x = v.i32;
  a <<= 2;
  return (x[a]! | x[a + 1]!) !== 0 && (x[a + 2]! | x[a + 3]!) !== 0 ? 1 : 0;
}

export function i64x2Bitmask(v: V128Registers, a: number): number {
  const x = v.i32;
  a <<= 2;
  return (x[a + 1]! >>> 31) | ((x[a + 3]! >>> 31) << 1);
}

function extendI32(v: V128Registers, d: number, a: number, first: number, signed: boolean): void {
  const x = v.i32;
  a <<= 2;
  const p = x[a + first]!;
  const q = x[a + first + 1]!;
  v128Set(v, d, p, signed ? p >> 31 : 0, q, signed ? q >> 31 : 0);
}

export function i64x2ExtendLowI32x4S(v: V128Registers, d: number, a: number): void {
  extendI32(v, d, a, 0, true);
}

export function i64x2ExtendHighI32x4S(v: V128Registers, d: number, a: number): void {
  extendI32(v, d, a, 2, true);
}

export function i64x2ExtendLowI32x4U(v: V128Registers, d: number, a: number): void {
  extendI32(v, d, a, 0, false);
}

export function i64x2ExtendHighI32x4U(v: V128Registers, d: number, a: number): void {
  extendI32(v, d, a, 2, false);
}

/** The i64 product of two i32 (signed) or u32 values into scratch words at i, i + 1. */
function mulWide(p: number, q: number, signed: boolean, i: number): void {
  let hi = mulHighU32(p, q);
  // Signed high word from the unsigned one: subtract q when p < 0 and p when q < 0.
  if (signed) hi = (hi - (p < 0 ? q : 0) - (q < 0 ? p : 0)) | 0;
  s32[i] = Math.imul(p, q);
  s32[i + 1] = hi;
}

function extmulI32(v: V128Registers, d: number, a: number, b: number, first: number, signed: boolean): void {
  const x = v.i32;
  a <<= 2; b <<= 2;
  const a0 = x[a + first]!;
  const a1 = x[a + first + 1]!;
  const b0 = x[b + first]!;
  const b1 = x[b + first + 1]!;
  mulWide(a0, b0, signed, 0);
  mulWide(a1, b1, signed, 2);
  fromScratch(v, d);
}

export function i64x2ExtmulLowI32x4S(v: V128Registers, d: number, a: number, b: number): void {
  extmulI32(v, d, a, b, 0, true);
}

export function i64x2ExtmulHighI32x4S(v: V128Registers, d: number, a: number, b: number): void {
  extmulI32(v, d, a, b, 2, true);
}

export function i64x2ExtmulLowI32x4U(v: V128Registers, d: number, a: number, b: number): void {
  extmulI32(v, d, a, b, 0, false);
}

export function i64x2ExtmulHighI32x4U(v: V128Registers, d: number, a: number, b: number): void {
  extmulI32(v, d, a, b, 2, false);
}

// ---------------------------------------------------------------- f32x4 and f64x2

export function f32x4Abs(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = x[a]! & 0x7fffffff;
  x[d + 1] = x[a + 1]! & 0x7fffffff;
  x[d + 2] = x[a + 2]! & 0x7fffffff;
  x[d + 3] = x[a + 3]! & 0x7fffffff;
}

export function f32x4Neg(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = x[a]! ^ 0x80000000;
  x[d + 1] = x[a + 1]! ^ 0x80000000;
  x[d + 2] = x[a + 2]! ^ 0x80000000;
  x[d + 3] = x[a + 3]! ^ 0x80000000;
}

export function f64x2Abs(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = x[a]!;
  x[d + 1] = x[a + 1]! & 0x7fffffff;
  x[d + 2] = x[a + 2]!;
  x[d + 3] = x[a + 3]! & 0x7fffffff;
}

export function f64x2Neg(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  d <<= 2; a <<= 2;
  x[d] = x[a]!;
  x[d + 1] = x[a + 1]! ^ 0x80000000;
  x[d + 2] = x[a + 2]!;
  x[d + 3] = x[a + 3]! ^ 0x80000000;
}

export function f32x4Add(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2; b <<= 2;
  f[d] = f[a]! + f[b]!;
  f[d + 1] = f[a + 1]! + f[b + 1]!;
  f[d + 2] = f[a + 2]! + f[b + 2]!;
  f[d + 3] = f[a + 3]! + f[b + 3]!;
}

export function f32x4Sub(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2; b <<= 2;
  f[d] = f[a]! - f[b]!;
  f[d + 1] = f[a + 1]! - f[b + 1]!;
  f[d + 2] = f[a + 2]! - f[b + 2]!;
  f[d + 3] = f[a + 3]! - f[b + 3]!;
}

export function f32x4Mul(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2; b <<= 2;
  f[d] = f[a]! * f[b]!;
  f[d + 1] = f[a + 1]! * f[b + 1]!;
  f[d + 2] = f[a + 2]! * f[b + 2]!;
  f[d + 3] = f[a + 3]! * f[b + 3]!;
}

export function f32x4Div(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2; b <<= 2;
  f[d] = f[a]! / f[b]!;
  f[d + 1] = f[a + 1]! / f[b + 1]!;
  f[d + 2] = f[a + 2]! / f[b + 2]!;
  f[d + 3] = f[a + 3]! / f[b + 3]!;
}

export function f32x4Sqrt(v: V128Registers, d: number, a: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2;
  f[d] = Math.sqrt(f[a]!);
  f[d + 1] = Math.sqrt(f[a + 1]!);
  f[d + 2] = Math.sqrt(f[a + 2]!);
  f[d + 3] = Math.sqrt(f[a + 3]!);
}

/** Also f32x4.relaxed_min (the NaN-propagating choice). */
export function f32x4Min(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2; b <<= 2;
  f[d] = fMin(f[a]!, f[b]!);
  f[d + 1] = fMin(f[a + 1]!, f[b + 1]!);
  f[d + 2] = fMin(f[a + 2]!, f[b + 2]!);
  f[d + 3] = fMin(f[a + 3]!, f[b + 3]!);
}

export function f32x4Max(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2; b <<= 2;
  f[d] = fMax(f[a]!, f[b]!);
  f[d + 1] = fMax(f[a + 1]!, f[b + 1]!);
  f[d + 2] = fMax(f[a + 2]!, f[b + 2]!);
  f[d + 3] = fMax(f[a + 3]!, f[b + 3]!);
}

/** pmin: b < a ? b : a, moving the chosen lane's bits. */
export function f32x4Pmin(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f32;
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = f[b]! < f[a]! ? x[b]! : x[a]!;
  x[d + 1] = f[b + 1]! < f[a + 1]! ? x[b + 1]! : x[a + 1]!;
  x[d + 2] = f[b + 2]! < f[a + 2]! ? x[b + 2]! : x[a + 2]!;
  x[d + 3] = f[b + 3]! < f[a + 3]! ? x[b + 3]! : x[a + 3]!;
}

export function f32x4Pmax(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f32;
  const x = v.i32;
  d <<= 2; a <<= 2; b <<= 2;
  x[d] = f[a]! < f[b]! ? x[b]! : x[a]!;
  x[d + 1] = f[a + 1]! < f[b + 1]! ? x[b + 1]! : x[a + 1]!;
  x[d + 2] = f[a + 2]! < f[b + 2]! ? x[b + 2]! : x[a + 2]!;
  x[d + 3] = f[a + 3]! < f[b + 3]! ? x[b + 3]! : x[a + 3]!;
}

/** Rounding: a NaN becomes the canonical NaN (Math.ceil and friends may hand back a signalling one). */
function roundOp(view: (v: V128Registers) => Float32Array | Float64Array, lanes: number, round: (x: number) => number) {
  const shift = lanes === 4 ? 2 : 1;
  return (v: V128Registers, d: number, a: number): void => {
    const f = view(v);
    d <<= shift; a <<= shift;
    for (let i = 0; i < lanes; i++) {
      const n = f[a + i]!;
      f[d + i] = n === n ? round(n) : NaN;
    }
  };
}

export const f32x4Ceil = roundOp((v) => v.f32, 4, Math.ceil);
export const f32x4Floor = roundOp((v) => v.f32, 4, Math.floor);
export const f32x4Trunc = roundOp((v) => v.f32, 4, Math.trunc);
export const f32x4Nearest = roundOp((v) => v.f32, 4, fNearest);
export const f64x2Ceil = roundOp((v) => v.f64, 2, Math.ceil);
export const f64x2Floor = roundOp((v) => v.f64, 2, Math.floor);
export const f64x2Trunc = roundOp((v) => v.f64, 2, Math.trunc);
export const f64x2Nearest = roundOp((v) => v.f64, 2, fNearest);

export function f64x2Add(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1; b <<= 1;
  f[d] = f[a]! + f[b]!;
  f[d + 1] = f[a + 1]! + f[b + 1]!;
}

export function f64x2Sub(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1; b <<= 1;
  f[d] = f[a]! - f[b]!;
  f[d + 1] = f[a + 1]! - f[b + 1]!;
}

export function f64x2Mul(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1; b <<= 1;
  f[d] = f[a]! * f[b]!;
  f[d + 1] = f[a + 1]! * f[b + 1]!;
}

export function f64x2Div(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1; b <<= 1;
  f[d] = f[a]! / f[b]!;
  f[d + 1] = f[a + 1]! / f[b + 1]!;
}

export function f64x2Sqrt(v: V128Registers, d: number, a: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1;
  f[d] = Math.sqrt(f[a]!);
  f[d + 1] = Math.sqrt(f[a + 1]!);
}

export function f64x2Min(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1; b <<= 1;
  f[d] = fMin(f[a]!, f[b]!);
  f[d + 1] = fMin(f[a + 1]!, f[b + 1]!);
}

export function f64x2Max(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1; b <<= 1;
  f[d] = fMax(f[a]!, f[b]!);
  f[d + 1] = fMax(f[a + 1]!, f[b + 1]!);
}

export function f64x2Pmin(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f64;
  const x = v.i32;
  const lane0 = f[(b << 1)]! < f[(a << 1)]! ? b : a;
  const lane1 = f[(b << 1) + 1]! < f[(a << 1) + 1]! ? b : a;
  d <<= 2;
  const w0 = x[lane0 << 2]!;
  const w1 = x[(lane0 << 2) + 1]!;
  const w2 = x[(lane1 << 2) + 2]!;
  const w3 = x[(lane1 << 2) + 3]!;
  x[d] = w0;
  x[d + 1] = w1;
  x[d + 2] = w2;
  x[d + 3] = w3;
}

export function f64x2Pmax(v: V128Registers, d: number, a: number, b: number): void {
  const f = v.f64;
  const x = v.i32;
  const lane0 = f[(a << 1)]! < f[(b << 1)]! ? b : a;
  const lane1 = f[(a << 1) + 1]! < f[(b << 1) + 1]! ? b : a;
  d <<= 2;
  const w0 = x[lane0 << 2]!;
  const w1 = x[(lane0 << 2) + 1]!;
  const w2 = x[(lane1 << 2) + 2]!;
  const w3 = x[(lane1 << 2) + 3]!;
  x[d] = w0;
  x[d + 1] = w1;
  x[d + 2] = w2;
  x[d + 3] = w3;
}

export function f32x4Splat(v: V128Registers, d: number, lo: number): void {
  v128Set(v, d, lo, lo, lo, lo);
}

export function f64x2Splat(v: V128Registers, d: number, lo: number, hi: number): void {
  v128Set(v, d, lo, hi, lo, hi);
}

export function f32x4ConvertI32x4S(v: V128Registers, d: number, a: number): void {
  const f = v.f32;
  const x = v.i32;
  d <<= 2; a <<= 2;
  f[d] = x[a]!;
  f[d + 1] = x[a + 1]!;
  f[d + 2] = x[a + 2]!;
  f[d + 3] = x[a + 3]!;
}

export function f32x4ConvertI32x4U(v: V128Registers, d: number, a: number): void {
  const f = v.f32;
  const x = v.i32;
  d <<= 2; a <<= 2;
  f[d] = x[a]! >>> 0;
  f[d + 1] = x[a + 1]! >>> 0;
  f[d + 2] = x[a + 2]! >>> 0;
  f[d + 3] = x[a + 3]! >>> 0;
}

export function f64x2ConvertLowI32x4S(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  sf64[0] = x[a << 2]!;
  sf64[1] = x[(a << 2) + 1]!;
  fromScratch(v, d);
}

export function f64x2ConvertLowI32x4U(v: V128Registers, d: number, a: number): void {
  const x = v.i32;
  sf64[0] = x[a << 2]! >>> 0;
  sf64[1] = x[(a << 2) + 1]! >>> 0;
  fromScratch(v, d);
}

export function f32x4DemoteF64x2Zero(v: V128Registers, d: number, a: number): void {
  const f = v.f64;
  sf32[0] = f[a << 1]!;
  sf32[1] = f[(a << 1) + 1]!;
  sf32[2] = 0;
  sf32[3] = 0;
  fromScratch(v, d);
}

export function f64x2PromoteLowF32x4(v: V128Registers, d: number, a: number): void {
  const f = v.f32;
  sf64[0] = f[a << 2]!;
  sf64[1] = f[(a << 2) + 1]!;
  fromScratch(v, d);
}

/** Relaxed madd/nmadd: the unfused choice, a * b rounded, then c added and rounded. */
export function f32x4RelaxedMadd(v: V128Registers, d: number, a: number, b: number, c: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2; b <<= 2; c <<= 2;
  f[d] = Math.fround(f[a]! * f[b]!) + f[c]!;
  f[d + 1] = Math.fround(f[a + 1]! * f[b + 1]!) + f[c + 1]!;
  f[d + 2] = Math.fround(f[a + 2]! * f[b + 2]!) + f[c + 2]!;
  f[d + 3] = Math.fround(f[a + 3]! * f[b + 3]!) + f[c + 3]!;
}

export function f32x4RelaxedNmadd(v: V128Registers, d: number, a: number, b: number, c: number): void {
  const f = v.f32;
  d <<= 2; a <<= 2; b <<= 2; c <<= 2;
  f[d] = -Math.fround(f[a]! * f[b]!) + f[c]!;
  f[d + 1] = -Math.fround(f[a + 1]! * f[b + 1]!) + f[c + 1]!;
  f[d + 2] = -Math.fround(f[a + 2]! * f[b + 2]!) + f[c + 2]!;
  f[d + 3] = -Math.fround(f[a + 3]! * f[b + 3]!) + f[c + 3]!;
}

export function f64x2RelaxedMadd(v: V128Registers, d: number, a: number, b: number, c: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1; b <<= 1; c <<= 1;
  f[d] = f[a]! * f[b]! + f[c]!;
  f[d + 1] = f[a + 1]! * f[b + 1]! + f[c + 1]!;
}

export function f64x2RelaxedNmadd(v: V128Registers, d: number, a: number, b: number, c: number): void {
  const f = v.f64;
  d <<= 1; a <<= 1; b <<= 1; c <<= 1;
  f[d] = -(f[a]! * f[b]!) + f[c]!;
  f[d + 1] = -(f[a + 1]! * f[b + 1]!) + f[c + 1]!;
}

// ---------------------------------------------------------------- memory

export function v128Load(v: V128Registers, d: number, mem: DataView, ea: number): void {
  v128Set(v, d, mem.getInt32(ea, true), mem.getInt32(ea + 4, true), mem.getInt32(ea + 8, true), mem.getInt32(ea + 12, true));
}

export function v128Load8x8S(v: V128Registers, d: number, mem: DataView, ea: number): void {
  const x = v.i16;
  d <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = mem.getInt8(ea + i);
}

export function v128Load8x8U(v: V128Registers, d: number, mem: DataView, ea: number): void {
  const x = v.i16;
  d <<= 3;
  for (let i = 0; i < 8; i++) x[d + i] = mem.getUint8(ea + i);
}

export function v128Load16x4S(v: V128Registers, d: number, mem: DataView, ea: number): void {
  const x = v.i32;
  d <<= 2;
  x[d] = mem.getInt16(ea, true);
  x[d + 1] = mem.getInt16(ea + 2, true);
  x[d + 2] = mem.getInt16(ea + 4, true);
  x[d + 3] = mem.getInt16(ea + 6, true);
}

export function v128Load16x4U(v: V128Registers, d: number, mem: DataView, ea: number): void {
  const x = v.i32;
  d <<= 2;
  x[d] = mem.getUint16(ea, true);
  x[d + 1] = mem.getUint16(ea + 2, true);
  x[d + 2] = mem.getUint16(ea + 4, true);
  x[d + 3] = mem.getUint16(ea + 6, true);
}

export function v128Load32x2S(v: V128Registers, d: number, mem: DataView, ea: number): void {
  const p = mem.getInt32(ea, true);
  const q = mem.getInt32(ea + 4, true);
  v128Set(v, d, p, p >> 31, q, q >> 31);
}

export function v128Load32x2U(v: V128Registers, d: number, mem: DataView, ea: number): void {
  v128Set(v, d, mem.getInt32(ea, true), 0, mem.getInt32(ea + 4, true), 0);
}

export function v128Load8Splat(v: V128Registers, d: number, mem: DataView, ea: number): void {
  i8x16Splat(v, d, mem.getUint8(ea));
}

export function v128Load16Splat(v: V128Registers, d: number, mem: DataView, ea: number): void {
  i16x8Splat(v, d, mem.getUint16(ea, true));
}

export function v128Load32Splat(v: V128Registers, d: number, mem: DataView, ea: number): void {
  i32x4Splat(v, d, mem.getInt32(ea, true));
}

export function v128Load64Splat(v: V128Registers, d: number, mem: DataView, ea: number): void {
  i64x2Splat(v, d, mem.getInt32(ea, true), mem.getInt32(ea + 4, true));
}

export function v128Load32Zero(v: V128Registers, d: number, mem: DataView, ea: number): void {
  v128Set(v, d, mem.getInt32(ea, true), 0, 0, 0);
}

export function v128Load64Zero(v: V128Registers, d: number, mem: DataView, ea: number): void {
  v128Set(v, d, mem.getInt32(ea, true), mem.getInt32(ea + 4, true), 0, 0);
}

export function v128Store(v: V128Registers, a: number, mem: DataView, ea: number): void {
  const x = v.i32;
  a <<= 2;
  mem.setInt32(ea, x[a]!, true);
  mem.setInt32(ea + 4, x[a + 1]!, true);
  mem.setInt32(ea + 8, x[a + 2]!, true);
  mem.setInt32(ea + 12, x[a + 3]!, true);
}

export function v128Load8Lane(v: V128Registers, d: number, a: number, mem: DataView, ea: number, lane: number): void {
  i8x16ReplaceLane(v, d, a, lane, mem.getInt8(ea));
}

export function v128Load16Lane(v: V128Registers, d: number, a: number, mem: DataView, ea: number, lane: number): void {
  i16x8ReplaceLane(v, d, a, lane, mem.getInt16(ea, true));
}

export function v128Load32Lane(v: V128Registers, d: number, a: number, mem: DataView, ea: number, lane: number): void {
  i32x4ReplaceLane(v, d, a, lane, mem.getInt32(ea, true));
}

export function v128Load64Lane(v: V128Registers, d: number, a: number, mem: DataView, ea: number, lane: number): void {
  i64x2ReplaceLane(v, d, a, lane, mem.getInt32(ea, true), mem.getInt32(ea + 4, true));
}

export function v128Store8Lane(v: V128Registers, a: number, mem: DataView, ea: number, lane: number): void {
  mem.setInt8(ea, v.i8[(a << 4) + lane]!);
}

export function v128Store16Lane(v: V128Registers, a: number, mem: DataView, ea: number, lane: number): void {
  mem.setInt16(ea, v.i16[(a << 3) + lane]!, true);
}

export function v128Store32Lane(v: V128Registers, a: number, mem: DataView, ea: number, lane: number): void {
  mem.setInt32(ea, v.i32[(a << 2) + lane]!, true);
}

export function v128Store64Lane(v: V128Registers, a: number, mem: DataView, ea: number, lane: number): void {
  const i = (a << 2) + (lane << 1);
  mem.setInt32(ea, v.i32[i]!, true);
  mem.setInt32(ea + 4, v.i32[i + 1]!, true);
}

// ---------------------------------------------------------------- registry

/**
 * Every lane operation the IR names, by index: a SIMD IR op carries the index
 * of its function as its last immediate (ir.ts). The table is filled once, in
 * a fixed order, by src/validator/simd-opcodes.ts.
 */
export const LANE_OPS: unknown[] = [];

/** The index of `fn` in LANE_OPS, adding it on first use. */
export function laneOpIndex(fn: unknown): number {
  let index = LANE_OPS.indexOf(fn);
  if (index < 0) index = LANE_OPS.push(fn) - 1;
  return index;
}
