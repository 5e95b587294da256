/**
 * The SIMD ops of the IR in generated code. A v128 register is four int32
 * locals (its little-endian words: p<r>, q<r>, y<r>, z<r>; types.ts), so moves,
 * bitwise ops and integer lane arithmetic on words are plain JS expressions
 * with no memory traffic. The interpreter's lane operations (simd.ts) are the
 * reference:
 *   - the ops below that are written out mirror them expression for
 *     expression (the same SWAR word formulas, and the same float arithmetic
 *     through typed-array scratch words, so NaN bits come out the same: float
 *     arithmetic as JS arithmetic on values read from and written to a
 *     Float32Array or Float64Array, comparisons and pmin/pmax moving bits);
 *   - every other op calls the lane operation itself on scratch v128
 *     registers (R.SV, slots 0..3; X = their words): exactly the
 *     interpreter's code, at the cost of copying the operands in and the
 *     result out. Those are the ops whose result lanes mix lanes or need
 *     canonical NaNs (min/max, rounding, narrowing, widening, i64x2
 *     multiplies and shifts, ...), rare in hot loops.
 * Memory accesses check bounds as the interpreter's (ea = u32(addr) +
 * u32(offset), memory 0) and deopt when out of bounds.
 */

import { ValType } from '../decoder/module.js';
import { Op } from '../interpreter/ir.js';
import * as S from '../interpreter/simd.js';
import { LANE_OPS } from '../interpreter/simd.js';
import type { Gen } from './codegen.js';
import { accessM, memoryOperand } from './memory-ops-m.js';
import { Rep } from './types.js';

/** A word-wise binary op: result word i from words i of a and b (so a destination may alias an operand). */
type WordBinary = (a: string, b: string) => string;

const WORD_BINARY = new Map<unknown, WordBinary>([
  [S.v128And, (a, b) => `${a} & ${b}`],
  [S.v128AndNot, (a, b) => `${a} & ~${b}`],
  [S.v128Or, (a, b) => `${a} | ${b}`],
  [S.v128Xor, (a, b) => `${a} ^ ${b}`],
  [S.i8x16Add, (a, b) => `((${a} & 0x7f7f7f7f) + (${b} & 0x7f7f7f7f)) ^ ((${a} ^ ${b}) & 0x80808080)`],
  [S.i8x16Sub, (a, b) => `((${a} | 0x80808080) - (${b} & 0x7f7f7f7f)) ^ ((${a} ^ ~${b}) & 0x80808080)`],
  [S.i16x8Add, (a, b) => `((${a} & 0x7fff7fff) + (${b} & 0x7fff7fff)) ^ ((${a} ^ ${b}) & 0x80008000)`],
  [S.i16x8Sub, (a, b) => `((${a} | 0x80008000) - (${b} & 0x7fff7fff)) ^ ((${a} ^ ~${b}) & 0x80008000)`],
  [S.i16x8Mul, (a, b) => `(Math.imul(${a}, ${b}) & 0xffff) | (Math.imul(${a} >>> 16, ${b} >>> 16) << 16)`],
  [S.i8x16Eq, (a, b) => `(((((~(${a} ^ ${b}) & 0x7f7f7f7f) + 0x01010101) & ~(${a} ^ ${b}) & 0x80808080) >>> 7) * 0xff) | 0`],
  [S.i32x4Add, (a, b) => `(${a} + ${b}) | 0`],
  [S.i32x4Sub, (a, b) => `(${a} - ${b}) | 0`],
  [S.i32x4Mul, (a, b) => `Math.imul(${a}, ${b})`],
  [S.i32x4MinS, (a, b) => `${a} < ${b} ? ${a} : ${b}`],
  [S.i32x4MaxS, (a, b) => `${a} > ${b} ? ${a} : ${b}`],
  [S.i32x4MinU, (a, b) => `${a} >>> 0 < ${b} >>> 0 ? ${a} : ${b}`],
  [S.i32x4MaxU, (a, b) => `${a} >>> 0 > ${b} >>> 0 ? ${a} : ${b}`],
  [S.i32x4CompareS.eq, (a, b) => `${a} === ${b} ? -1 : 0`],
  [S.i32x4CompareS.ne, (a, b) => `${a} !== ${b} ? -1 : 0`],
  [S.i32x4CompareS.lt, (a, b) => `${a} < ${b} ? -1 : 0`],
  [S.i32x4CompareS.gt, (a, b) => `${a} > ${b} ? -1 : 0`],
  [S.i32x4CompareS.le, (a, b) => `${a} <= ${b} ? -1 : 0`],
  [S.i32x4CompareS.ge, (a, b) => `${a} >= ${b} ? -1 : 0`],
  [S.i32x4LtU, (a, b) => `${a} >>> 0 < ${b} >>> 0 ? -1 : 0`],
  [S.i32x4GtU, (a, b) => `${a} >>> 0 > ${b} >>> 0 ? -1 : 0`],
  [S.i32x4LeU, (a, b) => `${a} >>> 0 <= ${b} >>> 0 ? -1 : 0`],
  [S.i32x4GeU, (a, b) => `${a} >>> 0 >= ${b} >>> 0 ? -1 : 0`],
]);

const WORD_UNARY = new Map<unknown, (a: string) => string>([
  [S.v128Not, (a) => `~${a}`],
  [S.i8x16Neg, (a) => `((0 | 0x80808080) - (${a} & 0x7f7f7f7f)) ^ ((0 ^ ~${a}) & 0x80808080)`],
  [S.i16x8Neg, (a) => `((0 | 0x80008000) - (${a} & 0x7fff7fff)) ^ ((0 ^ ~${a}) & 0x80008000)`],
  [S.i32x4Neg, (a) => `-${a} | 0`],
  [S.i32x4Abs, (a) => `${a} < 0 ? -${a} | 0 : ${a}`],
  [S.f32x4Abs, (a) => `${a} & 0x7fffffff`],
  [S.f32x4Neg, (a) => `${a} ^ 0x80000000`],
]);

/** Word-wise shifts by a count n (the count register's value masked): [mask of n, the word's shift, per-count constant k]. */
const WORD_SHIFT = new Map<unknown, [number, (a: string) => string, string?]>([
  [S.i8x16Shl, [7, (a) => `(${a} << n) & k`, '((0xff << n) & 0xff) * 0x01010101']],
  [S.i8x16ShrU, [7, (a) => `(${a} >>> n) & k`, '(0xff >>> n) * 0x01010101']],
  [S.i16x8Shl, [15, (a) => `(${a} << n) & k`, '((0xffff << n) & 0xffff) * 0x10001']],
  [S.i16x8ShrU, [15, (a) => `(${a} >>> n) & k`, '(0xffff >>> n) * 0x10001']],
  // Each half shifted arithmetically: the high half with the word, the low one moved up and back.
  [S.i16x8ShrS, [15, (a) => `((${a} >> n) & -65536) | (((${a} << 16) >> (16 + n)) & 0xffff)`]],
  [S.i32x4Shl, [31, (a) => `${a} << n`]],
  [S.i32x4ShrS, [31, (a) => `${a} >> n`]],
  [S.i32x4ShrU, [31, (a) => `${a} >>> n`]],
]);

/** f32 lane arithmetic through the scratch words SI/SF, lane by lane. */
const F32_BINARY = new Map<unknown, string>([[S.f32x4Add, '+'], [S.f32x4Sub, '-'], [S.f32x4Mul, '*'], [S.f32x4Div, '/']]);
const F64_BINARY = new Map<unknown, string>([[S.f64x2Add, '+'], [S.f64x2Sub, '-'], [S.f64x2Mul, '*'], [S.f64x2Div, '/']]);
const F32_COMPARE = new Map<unknown, string>([
  [S.f32x4Eq, '==='], [S.f32x4Ne, '!=='], [S.f32x4Lt, '<'], [S.f32x4Gt, '>'], [S.f32x4Le, '<='], [S.f32x4Ge, '>='],
]);
const F64_COMPARE = new Map<unknown, string>([
  [S.f64x2Eq, '==='], [S.f64x2Ne, '!=='], [S.f64x2Lt, '<'], [S.f64x2Gt, '>'], [S.f64x2Le, '<='], [S.f64x2Ge, '>='],
]);
/** f32 lane conversions: [the lane's value from word a, the result word from it]. */
const F32_UNARY = new Map<unknown, (a: string) => string>([
  [S.f32x4Sqrt, (a) => `(SI[0] = ${a}, SF[0] = Math.sqrt(SF[0]), SI[0])`],
  [S.f32x4ConvertI32x4S, (a) => `(SF[0] = ${a}, SI[0])`],
  [S.f32x4ConvertI32x4U, (a) => `(SF[0] = ${a} >>> 0, SI[0])`],
  [S.i32x4TruncSatF32x4S, (a) => `(SI[0] = ${a}, i32TruncSatS(SF[0]))`],
  [S.i32x4TruncSatF32x4U, (a) => `(SI[0] = ${a}, i32TruncSatU(SF[0]))`],
]);

/** Loads written out: the four result words from the DataView `view` at ea. */
const LOADS = new Map<unknown, (view: string) => string[]>([
  [S.v128Load, (v) => [`${v}.getInt32(ea, true)`, `${v}.getInt32(ea + 4, true)`, `${v}.getInt32(ea + 8, true)`, `${v}.getInt32(ea + 12, true)`]],
  [S.v128Load32Zero, (v) => [`${v}.getInt32(ea, true)`, '0', '0', '0']],
  [S.v128Load64Zero, (v) => [`${v}.getInt32(ea, true)`, `${v}.getInt32(ea + 4, true)`, '0', '0']],
  [S.v128Load32Splat, (v) => [`${v}.getInt32(ea, true)`, 's0', 's0', 's0']],
  [S.v128Load64Splat, (v) => [`${v}.getInt32(ea, true)`, `${v}.getInt32(ea + 4, true)`, 's0', 's1']],
]);

/** Narrowing with saturation: [result lane bits, the saturated lane (masked to its bits) of a wider lane x]. */
const NARROW = new Map<unknown, [number, (x: string) => string]>([
  [S.i8x16NarrowI16x8U, [8, (x) => `(${x} < 0 ? 0 : ${x} > 255 ? 255 : ${x})`]],
  [S.i8x16NarrowI16x8S, [8, (x) => `((${x} > 127 ? 127 : ${x} < -128 ? -128 : ${x}) & 0xff)`]],
  [S.i16x8NarrowI32x4U, [16, (x) => `(${x} < 0 ? 0 : ${x} > 65535 ? 65535 : ${x})`]],
  [S.i16x8NarrowI32x4S, [16, (x) => `((${x} > 32767 ? 32767 : ${x} < -32768 ? -32768 : ${x}) & 0xffff)`]],
]);

const SPLAT_SCALAR = new Map<unknown, ValType>([
  [S.i8x16Splat, ValType.I32], [S.i16x8Splat, ValType.I32], [S.i32x4Splat, ValType.I32], [S.f32x4Splat, ValType.F32],
  [S.i64x2Splat, ValType.I64], [S.f64x2Splat, ValType.F64],
]);

/** Emits a SIMD op; false for any other op. */
export function emitSimd(g: Gen, op: number): boolean {
  switch (op) {
    case Op.V128Copy: {
      if (g.reg(1) === g.reg(2)) return true;
      const zero = g.repOf(2) === Rep.V128Zero;
      const from = g.v(2);
      g.defRep(g.reg(1), zero ? Rep.V128Zero : Rep.V128);
      g.out(moves(g.varsOf(g.reg(1), Rep.V128), from));
      return true;
    }
    case Op.V128Select: {
      const cond = g.i(2);
      const t = g.v(3);
      const f = g.v(4);
      const d = g.V(1);
      g.out(`if (${cond} !== 0) { ${moves(d, t)} } else { ${moves(d, f)} }`);
      return true;
    }
    case Op.V128Const: {
      const words = [g.imm(2), g.imm(3), g.imm(4), g.imm(5)];
      // A zero vector is known as one (Rep.V128Zero): its uses read literal zeros, which shuffles drop.
      g.defRep(g.reg(1), words.every((word) => word === '0') ? Rep.V128Zero : Rep.V128);
      g.out(moves(g.varsOf(g.reg(1), Rep.V128), words));
      return true;
    }
    case Op.V128ZeroLocals: {
      const zeros: string[] = [];
      for (let r = g.code[g.pc + 1]!; r < g.code[g.pc + 2]!; r++) {
        g.defRep(r, Rep.V128Zero);
        zeros.push(moves(g.varsOf(r, Rep.V128), ['0', '0', '0', '0']));
      }
      g.out(zeros.join(' '));
      return true;
    }
    case Op.V128GlobalGet: {
      const index = g.code[g.pc + 2]!;
      g.globals.add(index);
      g.out(moves(g.V(1), [0, 1, 2, 3].map((k) => `G${index}.words[${k}]`)));
      return true;
    }
    case Op.V128GlobalSet: {
      const index = g.code[g.pc + 1]!;
      g.globals.add(index);
      g.out(g.v(2).map((word, k) => `G${index}.words[${k}] = ${word};`).join(' '));
      return true;
    }
    case Op.V128Unary:
      unary(g, LANE_OPS[g.code[g.pc + 3]!]);
      return true;
    case Op.V128Binary:
      binary(g, LANE_OPS[g.code[g.pc + 4]!]);
      return true;
    case Op.V128Ternary: {
      const fn = LANE_OPS[g.code[g.pc + 5]!];
      if (fn === S.v128Bitselect) {
        const [a, b, c] = [g.v(2), g.v(3), g.v(4)];
        wordwise(g, g.V(1), (k) => `(${a[k]} & ${c[k]}) | (${b[k]} & ~${c[k]})`);
      } else viaLaneOp(g, 5, [2, 3, 4]);
      return true;
    }
    case Op.V128Shift:
      shift(g, LANE_OPS[g.code[g.pc + 4]!]);
      return true;
    case Op.V128Splat:
      splat(g, LANE_OPS[g.code[g.pc + 3]!]);
      return true;
    case Op.V128Extract:
      extract(g, LANE_OPS[g.code[g.pc + 4]!], g.code[g.pc + 3]!);
      return true;
    case Op.V128Replace:
      replace(g, LANE_OPS[g.code[g.pc + 5]!], g.code[g.pc + 4]!);
      return true;
    case Op.V128Test:
      test(g, LANE_OPS[g.code[g.pc + 3]!]);
      return true;
    case Op.V128Shuffle:
      shuffle(g);
      return true;
    case Op.V128Load:
      load(g, 5, access(g, 2, 3, 4), 'MV');
      return true;
    case Op.V128Store:
      store(g, 5, 4, access(g, 1, 2, 3), 'MV');
      return true;
    case Op.V128LoadLane:
      loadLane(g, 7, 5, 6, access(g, 2, 3, 4), 'MV');
      return true;
    case Op.V128StoreLane:
      storeLane(g, 6, 4, 5, access(g, 1, 2, 3), 'MV');
      return true;
    // Other memories and 64-bit ones (memory-ops-m.ts addressing): the same after the memory and u64 offset.
    case Op.V128LoadM: {
      const k = memoryOperand(g, 3);
      load(g, 7, accessM(g, k, 2, 4, g.code[g.pc + 6]!), `mv${k}`);
      return true;
    }
    case Op.V128StoreM: {
      const k = memoryOperand(g, 2);
      store(g, 7, 6, accessM(g, k, 1, 3, g.code[g.pc + 5]!), `mv${k}`);
      return true;
    }
    case Op.V128LoadLaneM: {
      const k = memoryOperand(g, 3);
      loadLane(g, 9, 7, 8, accessM(g, k, 2, 4, g.code[g.pc + 6]!), `mv${k}`);
      return true;
    }
    case Op.V128StoreLaneM: {
      const k = memoryOperand(g, 2);
      storeLane(g, 8, 6, 7, accessM(g, k, 1, 3, g.code[g.pc + 5]!), `mv${k}`);
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- memory

/** A load into register operand 1 (lane op at fnK) after `head` declared ea, from the DataView `view`. */
function load(g: Gen, fnK: number, head: string, view: string): void {
  const words = LOADS.get(LANE_OPS[g.code[g.pc + fnK]!])?.(view);
  if (words !== undefined) {
    // Splats read the first words once (s0, s1), then copy them.
    g.out(`{ ${head} const s0 = ${words[0]}, s1 = ${words[1]}; ${moves(g.V(1), ['s0', 's1', words[2]!, words[3]!])} }`);
  } else {
    g.usesScratchV128 = true;
    g.out(`{ ${head} ${laneOp(g, fnK)}(SV, 0, ${view}, ea); ${moves(g.V(1), scratchWords(0))} }`);
  }
}

function store(g: Gen, fnK: number, valueK: number, head: string, view: string): void {
  const value = g.v(valueK);
  if (LANE_OPS[g.code[g.pc + fnK]!] === S.v128Store) {
    g.out(`{ ${head} ${value.map((word, k) => `${view}.setInt32(ea + ${4 * k}, ${word}, true);`).join(' ')} }`);
  } else {
    g.usesScratchV128 = true;
    g.out(`{ ${head} ${moves(scratchWords(0), value)} ${laneOp(g, fnK)}(SV, 0, ${view}, ea); }`);
  }
}

function loadLane(g: Gen, fnK: number, srcK: number, laneK: number, head: string, view: string): void {
  g.usesScratchV128 = true;
  g.out(`{ ${head} ${moves(scratchWords(0), g.v(srcK))} ${laneOp(g, fnK)}(SV, 1, 0, ${view}, ea, ${g.imm(laneK)}); ${moves(g.V(1), scratchWords(1))} }`);
}

function storeLane(g: Gen, fnK: number, valueK: number, laneK: number, head: string, view: string): void {
  g.usesScratchV128 = true;
  g.out(`{ ${head} ${moves(scratchWords(0), g.v(valueK))} ${laneOp(g, fnK)}(SV, 0, ${view}, ea, ${g.imm(laneK)}); }`);
}

// ---------------------------------------------------------------- helpers

function moves(to: readonly string[], from: readonly string[]): string {
  return to.map((name, k) => `${name} = ${from[k]};`).join(' ');
}

/** Result word k from an expression of k alone (word-wise ops: a destination may be an operand). */
function wordwise(g: Gen, d: readonly string[], word: (k: number) => string): void {
  g.out(d.map((name, k) => `${name} = ${word(k)};`).join(' '));
}

/** Words of scratch slot s. */
function scratchWords(s: number): string[] {
  return [0, 1, 2, 3].map((k) => `X[${(s << 2) + k}]`);
}

/** The lane operation named by the immediate at operand k, bound as O<index>. */
function laneOp(g: Gen, k: number): string {
  const index = g.code[g.pc + k]!;
  g.laneOps.add(index);
  return `O${index}`;
}

/** r dst, v128 operands at the given operand positions, lane op at fnK: the lane op on scratch slots 0.., result in the next. */
function viaLaneOp(g: Gen, fnK: number, operands: readonly number[]): void {
  g.usesScratchV128 = true;
  const copies = operands.map((k, s) => moves(scratchWords(s), g.v(k))).join(' ');
  const slots = operands.map((_, s) => s).join(', ');
  g.out(`${copies} ${laneOp(g, fnK)}(SV, ${operands.length}, ${slots}); ${moves(g.V(1), scratchWords(operands.length))}`);
}

function unary(g: Gen, fn: unknown): void {
  const word = WORD_UNARY.get(fn);
  if (word !== undefined) {
    const a = g.v(2);
    wordwise(g, g.V(1), (k) => word(a[k]!));
    return;
  }
  const f32 = F32_UNARY.get(fn);
  if (f32 !== undefined) {
    const a = g.v(2);
    wordwise(g, g.V(1), (k) => f32(a[k]!));
    return;
  }
  if (fn === S.f64x2Abs || fn === S.f64x2Neg) {
    const a = g.v(2);
    const sign = fn === S.f64x2Abs ? '& 0x7fffffff' : '^ 0x80000000';
    wordwise(g, g.V(1), (k) => (k & 1 ? `${a[k]} ${sign}` : a[k]!));
    return;
  }
  viaLaneOp(g, 3, [2]);
}

function binary(g: Gen, fn: unknown): void {
  const word = WORD_BINARY.get(fn);
  if (word !== undefined) {
    const [a, b] = [g.v(2), g.v(3)];
    wordwise(g, g.V(1), (k) => word(a[k]!, b[k]!));
    return;
  }
  const f32 = F32_BINARY.get(fn);
  if (f32 !== undefined) {
    const [a, b] = [g.v(2), g.v(3)];
    wordwise(g, g.V(1), (k) => `(SI[0] = ${a[k]}, SI[1] = ${b[k]}, SF[0] = SF[0] ${f32} SF[1], SI[0])`);
    return;
  }
  const f32Compare = F32_COMPARE.get(fn);
  if (f32Compare !== undefined) {
    const [a, b] = [g.v(2), g.v(3)];
    wordwise(g, g.V(1), (k) => `(SI[0] = ${a[k]}, SI[1] = ${b[k]}, SF[0] ${f32Compare} SF[1] ? -1 : 0)`);
    return;
  }
  if (fn === S.f32x4Pmin || fn === S.f32x4Pmax) {
    // pmin: b < a ? b : a; pmax: a < b ? b : a (the chosen lane's bits).
    const [a, b] = [g.v(2), g.v(3)];
    const test = fn === S.f32x4Pmin ? 'SF[1] < SF[0]' : 'SF[0] < SF[1]';
    g.out(`{ ${[0, 1, 2, 3].map((k) => `SI[0] = ${a[k]}; SI[1] = ${b[k]}; const t${k} = ${test} ? ${b[k]} : ${a[k]};`).join(' ')} ${moves(g.V(1), ['t0', 't1', 't2', 't3'])} }`);
    return;
  }
  const narrow = NARROW.get(fn);
  if (narrow !== undefined) {
    // Result words 0, 1 from a's words 0..3 two at a time, words 2, 3 from b's: temporaries, as d may be a or b.
    const [a, b] = [g.v(2), g.v(3)];
    const [bits, saturate] = narrow;
    const half = (w: string, high: boolean): string => (bits === 8 ? (high ? `(${w} >> 16)` : `((${w} << 16) >> 16)`) : w);
    const words = [0, 1, 2, 3].map((k) => {
      const source = k < 2 ? a : b;
      const [w1, w2] = [source[2 * (k & 1)]!, source[2 * (k & 1) + 1]!];
      const parts = bits === 8 ? [half(w1, false), half(w1, true), half(w2, false), half(w2, true)] : [w1, w2];
      return parts.map((x, i) => `(${saturate(x)} << ${i * bits})`).join(' | ');
    });
    g.out(`{ ${words.map((value, k) => `const t${k} = ${value};`).join(' ')} ${moves(g.V(1), ['t0', 't1', 't2', 't3'])} }`);
    return;
  }
  const f64 = F64_BINARY.get(fn);
  const f64Compare = F64_COMPARE.get(fn);
  if (f64 !== undefined || f64Compare !== undefined) {
    const [a, b] = [g.v(2), g.v(3)];
    const d = g.V(1);
    const lanes: string[] = [];
    for (const lane of [0, 1]) {
      const [lo, hi] = [2 * lane, 2 * lane + 1];
      const load = `SI[0] = ${a[lo]}; SI[1] = ${a[hi]}; SI[2] = ${b[lo]}; SI[3] = ${b[hi]};`;
      if (f64 !== undefined) lanes.push(`${load} SD[0] = SD[0] ${f64} SD[1]; ${d[lo]} = SI[0]; ${d[hi]} = SI[1];`);
      else lanes.push(`${load} ${d[lo]} = ${d[hi]} = SD[0] ${f64Compare} SD[1] ? -1 : 0;`);
    }
    g.out(lanes.join(' '));
    return;
  }
  viaLaneOp(g, 4, [2, 3]);
}

function shift(g: Gen, fn: unknown): void {
  const word = WORD_SHIFT.get(fn);
  if (word === undefined) {
    g.usesScratchV128 = true;
    g.out(`${moves(scratchWords(0), g.v(2))} ${laneOp(g, 4)}(SV, 1, 0, ${g.i(3)}); ${moves(g.V(1), scratchWords(1))}`);
    return;
  }
  const [mask, expression, constant] = word;
  const a = g.v(2);
  const count = `const n = ${g.i(3)} & ${mask}${constant === undefined ? '' : `, k = ${constant}`};`;
  g.out(`{ ${count} ${g.V(1).map((name, k) => `${name} = ${expression(a[k]!)};`).join(' ')} }`);
}

/** The bits of a 64-bit scalar register (i64 or f64, by its representation here) as two word expressions, after `setup`. */
function bits64(g: Gen, k: number): { setup: string; lo: string; hi: string } {
  if (g.repOf(k) === Rep.F64) return { setup: `SD[0] = ${g.d(k)};`, lo: 'SI[0]', hi: 'SI[1]' };
  return { setup: '', lo: g.lo(k), hi: g.hi(k) };
}

function splat(g: Gen, fn: unknown): void {
  const scalar = SPLAT_SCALAR.get(fn)!;
  if (scalar === ValType.I64 || scalar === ValType.F64) {
    const { setup, lo, hi } = bits64(g, 2);
    g.out(`{ ${setup} const s0 = ${lo}, s1 = ${hi}; ${moves(g.V(1), ['s0', 's1', 's0', 's1'])} }`);
    return;
  }
  const value = fn === S.i8x16Splat ? `((${g.i(2)} & 0xff) * 0x01010101) | 0` : fn === S.i16x8Splat ? `((${g.i(2)} & 0xffff) * 0x10001) | 0` : g.i(2);
  g.out(`{ const x = ${value}; ${moves(g.V(1), ['x', 'x', 'x', 'x'])} }`);
}

function extract(g: Gen, fn: unknown, lane: number): void {
  const a = g.v(2);
  if (fn === S.i64x2ExtractLane) {
    // Also f64x2.extract_lane: the IR does not say which, so the result is held both ways (as an i64.const's).
    g.defRep(g.reg(1), Rep.Bits64);
    const [l, h, d] = g.varsOf(g.reg(1), Rep.Bits64);
    g.out(`${l} = ${a[2 * lane]}; ${h} = ${a[2 * lane + 1]}; SI[0] = ${l}; SI[1] = ${h}; ${d} = SD[0];`);
    return;
  }
  const bytes = fn === S.i8x16ExtractLaneS || fn === S.i8x16ExtractLaneU ? 1 : fn === S.i32x4ExtractLane ? 4 : 2;
  const word = a[(lane * bytes) >> 2]!;
  const at = ((lane * bytes) & 3) * 8;
  let value: string;
  if (bytes === 4) value = word;
  else if (fn === S.i8x16ExtractLaneS || fn === S.i16x8ExtractLaneS) value = `(${word} << ${32 - at - 8 * bytes}) >> ${32 - 8 * bytes}`;
  else value = `(${word} >>> ${at}) & ${bytes === 1 ? 0xff : 0xffff}`;
  g.out(`${g.I(1)} = ${value};`);
}

function replace(g: Gen, fn: unknown, lane: number): void {
  const a = g.v(2);
  const words = [...a];
  let setup = '';
  if (fn === S.i64x2ReplaceLane) {
    const scalar = bits64(g, 3);
    setup = scalar.setup;
    words[2 * lane] = scalar.lo;
    words[2 * lane + 1] = scalar.hi;
  } else {
    const bytes = fn === S.i8x16ReplaceLane ? 1 : fn === S.i32x4ReplaceLane ? 4 : 2;
    const k = (lane * bytes) >> 2;
    const at = ((lane * bytes) & 3) * 8;
    const mask = bytes === 1 ? 0xff : 0xffff;
    words[k] = bytes === 4 ? g.i(3) : `(${a[k]} & ${~(mask << at)}) | ((${g.i(3)} & ${mask}) << ${at})`;
  }
  // Word k of the result reads only word k of a (and the scalar): no temporaries needed.
  g.out(`${setup} ${g.V(1).map((name, k) => (name === words[k] ? '' : `${name} = ${words[k]};`)).join(' ')}`);
}

function test(g: Gen, fn: unknown): void {
  const a = g.v(2);
  let value: string;
  if (fn === S.v128AnyTrue) value = `(${a.join(' | ')}) !== 0 ? 1 : 0`;
  else if (fn === S.i32x4AllTrue) value = `${a.map((w) => `${w} !== 0`).join(' && ')} ? 1 : 0`;
  else if (fn === S.i32x4Bitmask) value = a.map((w, k) => `((${w} >>> 31) << ${k})`).join(' | ');
  else if (fn === S.i8x16Bitmask) {
    const signs = (w: string) => `((${w} >>> 7) & 1) | ((${w} >>> 14) & 2) | ((${w} >>> 21) & 4) | ((${w} >>> 28) & 8)`;
    value = a.map((w, k) => `((${signs(w)}) << ${4 * k})`).join(' | ');
  } else {
    g.usesScratchV128 = true;
    g.out(`${moves(scratchWords(0), a)} ${g.I(1)} = ${laneOp(g, 3)}(SV, 0);`);
    return;
  }
  g.out(`${g.I(1)} = ${value};`);
}

/** i8x16.shuffle with its constant lane indices: each result word ORs runs of bytes taken from one source word. */
function shuffle(g: Gen): void {
  const a = g.v(2);
  const b = g.v(3);
  const lanes: number[] = [];
  for (let k = 0; k < 4; k++) {
    const packed = g.code[g.pc + 4 + k]!;
    for (let j = 0; j < 4; j++) lanes.push((packed >>> (8 * j)) & 31);
  }
  const result: string[] = [];
  for (let k = 0; k < 4; k++) {
    const terms: string[] = [];
    for (let j = 0; j < 4; ) {
      const lane = lanes[4 * k + j]!;
      const source = lane < 16 ? a[lane >> 2]! : b[(lane - 16) >> 2]!;
      const from = lane & 3;
      let run = 1;
      while (j + run < 4 && from + run < 4 && lanes[4 * k + j + run] === lane + run) run++;
      if (source === '0') {
        // Bytes of a known zero vector add nothing.
      } else if (run === 4) terms.push(source);
      else {
        const mask = (((2 ** (8 * run) - 1) * 2 ** (8 * j)) | 0);
        const moved = from === j ? source : from < j ? `(${source} << ${8 * (j - from)})` : `(${source} >>> ${8 * (from - j)})`;
        terms.push(`(${moved} & ${mask})`);
      }
      j += run;
    }
    result.push(terms.length === 0 ? '0' : terms.join(' | '));
  }
  const d = g.V(1);
  const alias = g.reg(1) === g.reg(2) || g.reg(1) === g.reg(3);
  if (alias) g.out(`{ ${result.map((value, k) => `const t${k} = ${value};`).join(' ')} ${moves(d, ['t0', 't1', 't2', 't3'])} }`);
  else g.out(moves(d, result));
}

/** Declares `ea` of a memory-0 access (address register at addrK, offset immediate at offsetK, size at sizeK), or deopts. */
function access(g: Gen, addrK: number, offsetK: number, sizeK: number): string {
  g.noteMemory();
  const offset = g.code[g.pc + offsetK]! >>> 0;
  const address = `(${g.i(addrK)} >>> 0)`;
  return `const ea = ${offset === 0 ? address : `${address} + ${offset}`}; if (ea + ${g.code[g.pc + sizeK]!} > AB.byteLength) ${g.deopt()}`;
}
