/**
 * Every scalar numeric Wasm instruction, run on purewasm and on V8's native
 * WebAssembly with the same operands, compared bit for bit.
 *
 * JS numbers cannot carry NaN payloads, so each test function takes its operands
 * as i32/i64 bit patterns, reinterprets them to f32/f64 inside Wasm, applies the
 * instruction and reinterprets a float result back to an integer. Where the spec
 * lets a NaN result be any NaN of a class (arithmetic NaNs of add, sqrt, min,
 * promote, ...), both engines are checked against that rule instead of against
 * each other; everything else must match exactly, traps by kind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import wabtInit from 'wabt';
import { Engine, Linker, Module, Store } from '../src/index.js';
import { RuntimeError, type TrapCode } from '../src/errors.js';
import { Op } from '../src/interpreter/ir.js';
import { uleb } from './helpers/leb.js';

type NumType = 'i32' | 'i64' | 'f32' | 'f64';
/** An operand or result as it crosses the test function's boundary: i32/f32 bits as number, i64/f64 bits as bigint. */
type Bits = number | bigint;

interface Instruction {
  readonly name: string;
  readonly opcode: readonly number[];
  readonly params: readonly NumType[];
  readonly result: NumType;
  /** The result may be any NaN allowed by the spec's nans rule (canonical or arithmetic). */
  readonly nanRule: boolean;
}

// ---------------------------------------------------------------- the instruction table

const INT_COMPARE = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const FLOAT_COMPARE = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
const INT_ARITH = ['clz', 'ctz', 'popcnt', 'add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
const FLOAT_ARITH = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt', 'add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];
const CONVERSIONS = [
  'i32.wrap_i64', 'i32.trunc_f32_s', 'i32.trunc_f32_u', 'i32.trunc_f64_s', 'i32.trunc_f64_u',
  'i64.extend_i32_s', 'i64.extend_i32_u', 'i64.trunc_f32_s', 'i64.trunc_f32_u', 'i64.trunc_f64_s', 'i64.trunc_f64_u',
  'f32.convert_i32_s', 'f32.convert_i32_u', 'f32.convert_i64_s', 'f32.convert_i64_u', 'f32.demote_f64',
  'f64.convert_i32_s', 'f64.convert_i32_u', 'f64.convert_i64_s', 'f64.convert_i64_u', 'f64.promote_f32',
  'i32.reinterpret_f32', 'i64.reinterpret_f64', 'f32.reinterpret_i32', 'f64.reinterpret_i64',
  'i32.extend8_s', 'i32.extend16_s', 'i64.extend8_s', 'i64.extend16_s', 'i64.extend32_s',
];
const SATURATING = [
  'i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u',
  'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u',
];
const UNARY = new Set(['eqz', 'clz', 'ctz', 'popcnt', 'abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt', 'extend8_s', 'extend16_s', 'extend32_s']);
/** Float ops whose NaN result is only constrained by the nans rule; abs/neg/copysign/reinterpret keep bits. */
const NAN_RULE_OPS = new Set(['ceil', 'floor', 'trunc', 'nearest', 'sqrt', 'add', 'sub', 'mul', 'div', 'min', 'max', 'demote_f64', 'promote_f32']);

// In opcode order: 0x45 .. 0xc4, then 0xfc 0 .. 7. The same order as the numeric block of Op.
const NAMES = [
  'i32.eqz', ...INT_COMPARE.map((op) => `i32.${op}`),
  'i64.eqz', ...INT_COMPARE.map((op) => `i64.${op}`),
  ...FLOAT_COMPARE.map((op) => `f32.${op}`), ...FLOAT_COMPARE.map((op) => `f64.${op}`),
  ...INT_ARITH.map((op) => `i32.${op}`), ...INT_ARITH.map((op) => `i64.${op}`),
  ...FLOAT_ARITH.map((op) => `f32.${op}`), ...FLOAT_ARITH.map((op) => `f64.${op}`),
  ...CONVERSIONS, ...SATURATING,
];
const FIRST_PREFIXED = 0xc4 - 0x45 + 1;

const INSTRUCTIONS: Instruction[] = NAMES.map((name, index) => {
  const [prefix, op] = name.split('.') as [NumType, string];
  const source = /_(i32|i64|f32|f64)/.exec(op)?.[1] as NumType | undefined;
  const compare = INT_COMPARE.includes(op) || FLOAT_COMPARE.includes(op) || op === 'eqz';
  const params: NumType[] = source ? [source] : UNARY.has(op) ? [prefix] : [prefix, prefix];
  return {
    name,
    opcode: index < FIRST_PREFIXED ? [0x45 + index] : [0xfc, index - FIRST_PREFIXED],
    params,
    result: compare ? 'i32' : prefix,
    nanRule: NAN_RULE_OPS.has(op),
  };
});

// ---------------------------------------------------------------- a tiny module emitter

const VALTYPE: Record<NumType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
/** Floats cross the boundary as integers of the same width. */
const CARRIER: Record<NumType, NumType> = { i32: 'i32', i64: 'i64', f32: 'i32', f64: 'i64' };
const TO_FLOAT: Partial<Record<NumType, number>> = { f32: 0xbe, f64: 0xbf }; // f32.reinterpret_i32, f64.reinterpret_i64
const FROM_FLOAT: Partial<Record<NumType, number>> = { f32: 0xbc, f64: 0xbd }; // i32.reinterpret_f32, i64.reinterpret_f64

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const utf8 = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** Function i is INSTRUCTIONS[i], exported under the instruction's name. */
function buildModule(instructions: readonly Instruction[]): Uint8Array<ArrayBuffer> {
  const types = instructions.map((ins) => [
    0x60,
    ...vec(ins.params.map((t) => [VALTYPE[CARRIER[t]]])),
    ...vec([[VALTYPE[CARRIER[ins.result]]]]),
  ]);
  const bodies = instructions.map((ins) => {
    const code: number[] = [0x00]; // no locals
    ins.params.forEach((t, i) => {
      const toFloat = TO_FLOAT[t];
      code.push(0x20, ...uleb(i), ...(toFloat === undefined ? [] : [toFloat]));
    });
    code.push(...ins.opcode);
    const fromFloat = FROM_FLOAT[ins.result];
    code.push(...(fromFloat === undefined ? [] : [fromFloat]), 0x0b);
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(instructions.map((_, i) => uleb(i)))),
    ...section(7, vec(instructions.map((ins, i) => [...utf8(ins.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}

// ---------------------------------------------------------------- the two engines

type Outcome = { trap: TrapCode } | { value: Bits };
type Runner = (ins: Instruction, args: Bits[]) => Outcome;

function isNaNBits(type: NumType, bits: Bits): boolean {
  if (type === 'f32') return ((bits as number) & 0x7fffffff) > 0x7f800000;
  if (type === 'f64') return (BigInt.asUintN(64, bits as bigint) & 0x7fffffffffffffffn) > 0x7ff0000000000000n;
  return false;
}

function isCanonicalNaN(type: NumType, bits: Bits): boolean {
  if (type === 'f32') return ((bits as number) & 0x7fffffff) === 0x7fc00000;
  return (BigInt.asUintN(64, bits as bigint) & 0x7fffffffffffffffn) === 0x7ff8000000000000n;
}

function isArithmeticNaN(type: NumType, bits: Bits): boolean {
  if (type === 'f32') return isNaNBits(type, bits) && ((bits as number) & 0x400000) !== 0;
  return isNaNBits(type, bits) && (BigInt.asUintN(64, bits as bigint) & 0x8000000000000n) !== 0n;
}

/** V8 reports both float -> int failures as "float unrepresentable"; the spec tells NaN apart. */
function v8TrapCode(ins: Instruction, args: Bits[], message: string): TrapCode {
  if (/divide by zero|remainder by zero/.test(message)) return 'integerDivideByZero';
  if (/divide result unrepresentable|integer overflow/.test(message)) return 'integerOverflow';
  if (/float unrepresentable/.test(message)) {
    return isNaNBits(ins.params[0]!, args[0]!) ? 'invalidConversionToInteger' : 'integerOverflow';
  }
  throw new Error(`unexpected V8 trap message for ${ins.name}: ${message}`);
}

function v8Runner(bytes: Uint8Array<ArrayBuffer>): Runner {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as Record<string, (...args: Bits[]) => Bits>;
  return (ins, args) => {
    try {
      return { value: exports[ins.name]!(...args) };
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) return { trap: v8TrapCode(ins, args, error.message) };
      throw error;
    }
  };
}

function purewasmRunner(bytes: Uint8Array): Runner {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, bytes));
  const funcs = new Map(INSTRUCTIONS.map((ins) => [ins.name, instance.getFunc(store, ins.name)!]));
  return (ins, args) => {
    try {
      return { value: funcs.get(ins.name)!.callRaw(store, args)[0] as Bits };
    } catch (error) {
      if (error instanceof RuntimeError) return { trap: error.trap };
      throw error;
    }
  };
}

// ---------------------------------------------------------------- comparison

const show = (bits: Bits): string =>
  typeof bits === 'bigint' ? `0x${BigInt.asUintN(64, bits).toString(16)}` : `0x${(bits >>> 0).toString(16)}`;
const showOutcome = (o: Outcome): string => ('trap' in o ? `trap ${o.trap}` : show(o.value));

/** Which NaN results the spec allows: canonical if every NaN operand is canonical (or there is none), else arithmetic. */
function nanAllowed(ins: Instruction, args: Bits[], result: Bits): boolean {
  const nanArgs = ins.params.map((t, i) => [t, args[i]!] as const).filter(([t, bits]) => isNaNBits(t, bits));
  if (nanArgs.every(([t, bits]) => isCanonicalNaN(t, bits))) return isCanonicalNaN(ins.result, result);
  return isArithmeticNaN(ins.result, result);
}

/** A description of the disagreement, or undefined when purewasm behaves as the spec and V8 say. */
function difference(ins: Instruction, args: Bits[], v8: Outcome, ours: Outcome): string | undefined {
  const explain = () => `${ins.name}(${args.map(show).join(', ')}): V8 ${showOutcome(v8)}, purewasm ${showOutcome(ours)}`;
  if ('trap' in v8 || 'trap' in ours) {
    return 'trap' in v8 && 'trap' in ours && v8.trap === ours.trap ? undefined : explain();
  }
  if (ins.nanRule && isNaNBits(ins.result, v8.value)) {
    if (!nanAllowed(ins, args, v8.value)) return `V8 breaks the NaN rule: ${explain()}`;
    return isNaNBits(ins.result, ours.value) && nanAllowed(ins, args, ours.value) ? undefined : explain();
  }
  return v8.value === ours.value ? undefined : explain();
}

// ---------------------------------------------------------------- operands

const INT32_MIN = -0x80000000;
const f32Bits = (x: number): number => new Int32Array(new Float32Array([x]).buffer)[0]!;
const f64Bits = (x: number): bigint => new BigInt64Array(new Float64Array([x]).buffer)[0]!;

const EDGE_I32: number[] = [0, 1, -1, 2, -2, INT32_MIN, 0x7fffffff, INT32_MIN + 1, 0x7ffffffe, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x10000, 0x00ffffff, 0x01000001, -0x01000001];
const EDGE_I64: bigint[] = [
  0n, 1n, -1n, 2n, -2n, -(2n ** 63n), 2n ** 63n - 1n, -(2n ** 63n) + 1n, 63n, 64n, 65n, 0x80n, 0xffn, 0x8000n,
  2n ** 31n, -(2n ** 31n), 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n,
  2n ** 60n + 2n ** 36n + 1n, -(2n ** 60n + 2n ** 36n + 1n), 0x7fffffffffffffc0n,
];

/** A value and the bit patterns right next to it (for range boundaries of truncation and conversion). */
function around32(x: number): number[] {
  const b = f32Bits(x);
  return [b - 1, b, b + 1];
}
function around64(x: number): bigint[] {
  const b = f64Bits(x);
  return [b - 1n, b, b + 1n];
}

const BOUNDARIES = [2 ** 31, 2 ** 32, 2 ** 63, 2 ** 64, 2 ** 24, 2 ** 53];
const SPECIAL_FLOATS = [0, -0, Infinity, -Infinity, 1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.1, -0.1];

const EDGE_F32: number[] = [
  0x7fc00000, INT32_MIN | 0x7fc00000, 0x7fc00001, 0x7fa00000, 0x7f800001, INT32_MIN | 0x7f800001, 0x7fffffff, -1,
  1, INT32_MIN | 1, 0x007fffff, 0x00800000, 0x7f7fffff, INT32_MIN | 0x7f7fffff, f32Bits(-0.99999994), f32Bits(0.49999997),
  ...SPECIAL_FLOATS.map(f32Bits),
  ...BOUNDARIES.flatMap((x) => [...around32(x), ...around32(-x)]),
];
const EDGE_F64: bigint[] = [
  0x7ff8000000000000n, -0x8000000000000n, 0x7ff8000000000001n, 0x7ff4000000000000n, 0x7ff0000000000001n,
  -0xfffffffffffffn, 0x7fffffffffffffffn, -1n, 1n, -(2n ** 63n) + 1n, 0x000fffffffffffffn, 0x0010000000000000n,
  0x7fefffffffffffffn, -0x10000000000001n, f64Bits(-0.9999999999999999), f64Bits(0.49999999999999994),
  f64Bits(4503599627370495.5), f64Bits(-4503599627370495.5), f64Bits(2 ** 31 - 0.5), f64Bits(-(2 ** 31) - 0.5),
  ...SPECIAL_FLOATS.map(f64Bits),
  ...BOUNDARIES.flatMap((x) => [...around64(x), ...around64(-x)]),
];

const signBit32 = (negative: boolean) => (negative ? INT32_MIN : 0);
const signBit64 = (negative: boolean) => (negative ? -(2n ** 63n) : 0n);

const ARBITRARY: Record<NumType, fc.Arbitrary<Bits>> = {
  i32: fc.oneof(fc.integer({ min: INT32_MIN, max: 0x7fffffff }), fc.constantFrom(...EDGE_I32), fc.integer({ min: -300, max: 300 })),
  i64: fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.constantFrom(...EDGE_I64),
    fc.integer().map(BigInt),
    fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
    fc
      .array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 4 })
      .map((bits) => BigInt.asIntN(64, bits.reduce((v, b) => v | (1n << BigInt(b)), 0n))),
  ),
  f32: fc.oneof(
    fc.integer({ min: INT32_MIN, max: 0x7fffffff }),
    fc.constantFrom(...EDGE_F32),
    // NaNs with random payloads and signs, quiet and signalling.
    fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 0x7fffff })).map(([neg, payload]) => signBit32(neg) | 0x7f800000 | payload),
    fc.float().map(f32Bits),
    fc.double({ min: -3e19, max: 3e19, noNaN: true }).map((x) => f32Bits(x)),
    fc.integer({ min: -2_000_000, max: 2_000_000 }).map((n) => f32Bits(n / 4)),
  ),
  f64: fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    fc.constantFrom(...EDGE_F64),
    fc
      .tuple(fc.boolean(), fc.bigInt({ min: 1n, max: 2n ** 52n - 1n }))
      .map(([neg, payload]) => signBit64(neg) | 0x7ff0000000000000n | payload),
    fc.double().map(f64Bits),
    fc.double({ min: -3e19, max: 3e19, noNaN: true }).map(f64Bits),
    fc.integer({ min: -2_000_000, max: 2_000_000 }).map((n) => f64Bits(n / 4)),
    fc.float().map(f64Bits), // f32 values: exact cases for demote
  ),
};
const EDGES: Record<NumType, readonly Bits[]> = { i32: EDGE_I32, i64: EDGE_I64, f32: EDGE_F32, f64: EDGE_F64 };

/** All combinations of edge operands. */
function edgeArgs(params: readonly NumType[]): Bits[][] {
  return params.reduce<Bits[][]>((combos, t) => combos.flatMap((c) => EDGES[t].map((e) => [...c, e])), [[]]);
}

// ---------------------------------------------------------------- tests

describe('numeric instructions: purewasm against V8, bit for bit', () => {
  const bytes = buildModule(INSTRUCTIONS);
  let v8: Runner;
  let ours: Runner;

  beforeAll(() => {
    v8 = v8Runner(bytes);
    ours = purewasmRunner(bytes);
  });

  it('the table covers the numeric block of the IR, and the emitter encodes what it says', async () => {
    expect(INSTRUCTIONS.length).toBe(Op.I64TruncSatF64U - Op.I32Eqz + 1);
    const wabt = await wabtInit();
    const text = wabt.readWasm(bytes, { readDebugNames: false }).toText({ foldExprs: false, inlineExport: false });
    const bodies = text.split('\n  (func (;').slice(1).map((f) =>
      f.split('\n').slice(1).map((line) => line.trim().replace(/\)+$/, '')).filter((line) => line !== '' && !line.startsWith('(')),
    );
    const expected = INSTRUCTIONS.map((ins) => [
      ...ins.params.flatMap((t, i) => [`local.get ${i}`, ...(TO_FLOAT[t] ? [`${t}.reinterpret_${CARRIER[t]}`] : [])]),
      ins.name,
      ...(FROM_FLOAT[ins.result] ? [`${CARRIER[ins.result]}.reinterpret_${ins.result}`] : []),
    ]);
    expect(bodies).toEqual(expected);
  });

  for (const ins of INSTRUCTIONS) {
    it(ins.name, () => {
      const check = (args: Bits[]) => {
        const problem = difference(ins, args, v8(ins, args), ours(ins, args));
        if (problem !== undefined) throw new Error(problem);
      };
      for (const args of edgeArgs(ins.params)) check(args);
      fc.assert(
        fc.property(fc.tuple(...ins.params.map((t) => ARBITRARY[t])), (args) => check(args)),
        { numRuns: 1000 },
      );
    });
  }
});
