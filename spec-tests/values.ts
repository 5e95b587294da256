/**
 * Script values: the constants passed to `invoke` and the results `assert_return`
 * expects, both in the engine's raw representation (i32 -> signed number,
 * i64 -> signed bigint, f32 -> u32 bit pattern number, f64 -> u64 bit pattern
 * bigint, v128 -> 16 bytes, refs -> Func | host value | null).
 */
import { parseF32Bits, parseF64Bits, parseFloatBits, parseI32, parseI64, parseInteger, F32, F64 } from './literals.js';
import { head, type SExpr, type SList } from './sexpr.js';

/** The host value behind `ref.extern N`: the same N gives the same value within a script. */
export type HostRefs = (n: number) => object;

export interface Expectation {
  /** The expected result as written in the script. */
  text: string;
  matches(actual: unknown): boolean;
}

type NanKind = 'canonical' | 'arithmetic';
type LaneShape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
const LANES: Record<LaneShape, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 };

function atoms(list: SList, from: number): string[] {
  return list.items.slice(from).map((item) => {
    if (item.kind !== 'atom') throw new SyntaxError('expected a literal');
    return item.text;
  });
}

function singleOperand(list: SList): string {
  const operands = atoms(list, 1);
  if (operands.length !== 1) throw new SyntaxError(`${head(list) ?? '?'} takes one operand`);
  return operands[0]!;
}

function isLaneShape(shape: string | undefined): shape is LaneShape {
  return shape !== undefined && shape in LANES;
}

/** Lane values of a `v128.const` as little-endian bytes. */
function v128Bytes(shape: LaneShape, lanes: string[]): Uint8Array {
  if (lanes.length !== LANES[shape]) throw new SyntaxError(`${shape} needs ${LANES[shape]} lanes`);
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  lanes.forEach((lane, i) => {
    switch (shape) {
      case 'i8x16': view.setUint8(i, Number(BigInt.asUintN(8, laneInteger(lane, 8)))); break;
      case 'i16x8': view.setUint16(i * 2, Number(BigInt.asUintN(16, laneInteger(lane, 16))), true); break;
      case 'i32x4': view.setUint32(i * 4, Number(BigInt.asUintN(32, laneInteger(lane, 32))), true); break;
      case 'i64x2': view.setBigUint64(i * 8, BigInt.asUintN(64, laneInteger(lane, 64)), true); break;
      case 'f32x4': view.setUint32(i * 4, Number(parseFloatBits(lane, F32)), true); break;
      case 'f64x2': view.setBigUint64(i * 8, parseFloatBits(lane, F64), true); break;
    }
  });
  return bytes;
}

/** An integer lane accepts -2^(n-1) .. 2^n-1. */
function laneInteger(text: string, width: number): bigint {
  const value = parseInteger(text);
  if (value < -(1n << BigInt(width - 1)) || value >= 1n << BigInt(width)) {
    throw new RangeError(`i${width} lane out of range: ${text}`);
  }
  return value;
}

/** A constant argument such as `(i32.const 1)`, `(ref.null func)` or `(ref.extern 7)`. */
export function parseConst(expr: SExpr, hostRefs: HostRefs): unknown {
  if (expr.kind !== 'list') throw new SyntaxError('expected a constant');
  switch (head(expr)) {
    case 'i32.const': return parseI32(singleOperand(expr));
    case 'i64.const': return parseI64(singleOperand(expr));
    case 'f32.const': return parseF32Bits(singleOperand(expr));
    case 'f64.const': return parseF64Bits(singleOperand(expr));
    case 'v128.const': {
      const [shape, ...lanes] = atoms(expr, 1);
      if (!isLaneShape(shape)) throw new SyntaxError(`bad v128 shape ${shape ?? ''}`);
      return v128Bytes(shape, lanes);
    }
    case 'ref.null': return null;
    case 'ref.extern': return hostRefs(Number(parseInteger(singleOperand(expr))));
    default: throw new SyntaxError(`unsupported constant ${head(expr) ?? '?'}`);
  }
}

function isCanonicalF32(bits: number): boolean {
  return (bits & 0x7fffffff) === 0x7fc00000;
}
function isArithmeticF32(bits: number): boolean {
  return (bits & 0x7fc00000) === 0x7fc00000;
}
const F64_MAGNITUDE = (1n << 63n) - 1n;
const F64_CANONICAL = 0x7ff8000000000000n;
function isCanonicalF64(bits: bigint): boolean {
  return (bits & F64_MAGNITUDE) === F64_CANONICAL;
}
function isArithmeticF64(bits: bigint): boolean {
  return (bits & F64_CANONICAL) === F64_CANONICAL;
}

function nanKind(operand: string): NanKind | undefined {
  if (operand === 'nan:canonical') return 'canonical';
  if (operand === 'nan:arithmetic') return 'arithmetic';
  return undefined;
}

function f32Matcher(operand: string): (bits: number) => boolean {
  const nan = nanKind(operand);
  if (nan === 'canonical') return isCanonicalF32;
  if (nan === 'arithmetic') return isArithmeticF32;
  const expected = parseF32Bits(operand);
  return (bits) => bits === expected;
}

function f64Matcher(operand: string): (bits: bigint) => boolean {
  const nan = nanKind(operand);
  if (nan === 'canonical') return isCanonicalF64;
  if (nan === 'arithmetic') return isArithmeticF64;
  const expected = parseF64Bits(operand);
  return (bits) => bits === expected;
}

/** Matches a v128 result lane by lane, so f32x4/f64x2 lanes may expect NaN classes. */
function v128Matcher(shape: LaneShape, lanes: string[]): (actual: Uint8Array) => boolean {
  if (lanes.length !== LANES[shape]) throw new SyntaxError(`${shape} needs ${LANES[shape]} lanes`);
  if (shape === 'f32x4') {
    const matchers = lanes.map(f32Matcher);
    return (actual) => {
      const view = new DataView(actual.buffer, actual.byteOffset, 16);
      return matchers.every((m, i) => m(view.getUint32(i * 4, true)));
    };
  }
  if (shape === 'f64x2') {
    const matchers = lanes.map(f64Matcher);
    return (actual) => {
      const view = new DataView(actual.buffer, actual.byteOffset, 16);
      return matchers.every((m, i) => m(view.getBigUint64(i * 8, true)));
    };
  }
  const expected = v128Bytes(shape, lanes);
  return (actual) => expected.every((b, i) => actual[i] === b);
}

/**
 * An expected result of `assert_return`. `isFunc` tells a function reference
 * from a host value, for `(ref.func)`.
 */
export function parseExpectation(
  expr: SExpr,
  source: string,
  hostRefs: HostRefs,
  isFunc: (value: unknown) => boolean,
): Expectation {
  const text = source.slice(expr.start, expr.end);
  if (expr.kind !== 'list') throw new SyntaxError(`expected a result, got ${text}`);
  const make = (matches: (actual: unknown) => boolean): Expectation => ({ text, matches });
  switch (head(expr)) {
    case 'i32.const': {
      const expected = parseI32(singleOperand(expr));
      return make((actual) => actual === expected);
    }
    case 'i64.const': {
      const expected = parseI64(singleOperand(expr));
      return make((actual) => actual === expected);
    }
    case 'f32.const': {
      const match = f32Matcher(singleOperand(expr));
      return make((actual) => typeof actual === 'number' && match(actual));
    }
    case 'f64.const': {
      const match = f64Matcher(singleOperand(expr));
      return make((actual) => typeof actual === 'bigint' && match(actual));
    }
    case 'v128.const': {
      const [shape, ...lanes] = atoms(expr, 1);
      if (!isLaneShape(shape)) throw new SyntaxError(`bad v128 shape ${shape ?? ''}`);
      const match = v128Matcher(shape, lanes);
      return make((actual) => actual instanceof Uint8Array && actual.length === 16 && match(actual));
    }
    case 'ref.null':
      return make((actual) => actual === null);
    case 'ref.func':
      return make((actual) => isFunc(actual));
    case 'ref.extern': {
      if (expr.items.length === 1) return make((actual) => actual !== null && actual !== undefined && !isFunc(actual));
      const expected = hostRefs(Number(parseInteger(singleOperand(expr))));
      return make((actual) => actual === expected);
    }
    case 'either': {
      const options = expr.items.slice(1).map((item) => parseExpectation(item, source, hostRefs, isFunc));
      return make((actual) => options.some((option) => option.matches(actual)));
    }
    default:
      throw new SyntaxError(`unsupported expected result ${text}`);
  }
}
