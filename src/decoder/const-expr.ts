/**
 * Constant expressions (global initializers, segment offsets, element items):
 * constant instructions followed by `end`. With extended constant expressions
 * (3.0) i32/i64 add, sub and mul combine them, so the decoder runs the
 * expression as a small stack machine and returns its tree. The validator
 * checks the types and which globals and functions may be named.
 */
import type { ConstBinaryOp, ConstExpr, ConstExprAt } from './module.js';
import type { ByteReader } from './reader.js';
import { hex, readRefType } from './types.js';

const enum Op {
  End = 0x0b,
  GlobalGet = 0x23,
  I32Const = 0x41,
  I64Const = 0x42,
  F32Const = 0x43,
  F64Const = 0x44,
  I32Add = 0x6a,
  I32Sub = 0x6b,
  I32Mul = 0x6c,
  I64Add = 0x7c,
  I64Sub = 0x7d,
  I64Mul = 0x7e,
  RefNull = 0xd0,
  RefFunc = 0xd2,
  SimdPrefix = 0xfd,
}
const V128_CONST = 12;

const BINARY_OPS = new Map<number, ConstBinaryOp>([
  [Op.I32Add, 'i32.add'], [Op.I32Sub, 'i32.sub'], [Op.I32Mul, 'i32.mul'],
  [Op.I64Add, 'i64.add'], [Op.I64Sub, 'i64.sub'], [Op.I64Mul, 'i64.mul'],
]);

/**
 * Bounds the operand stack: a longer expression would only build a deeper
 * tree for the validator and instantiation to walk.
 */
const MAX_CONST_STACK = 1024;

export function readConstExpr(r: ByteReader): ConstExprAt {
  const offset = r.pos;
  const stack: ConstExpr[] = [];
  /** Where the second value on the stack began: where a surplus value is reported. */
  let secondAt = -1;
  for (;;) {
    const at = r.pos;
    const opcode = r.u8();
    if (opcode === Op.End) break;
    const binary = BINARY_OPS.get(opcode);
    if (binary !== undefined) {
      r.requireFeature('extendedConst', notConstant(opcode), at);
      if (stack.length < 2) r.fail('type mismatch: an operator in a constant expression lacks operands', at);
      const right = stack.pop()!;
      const left = stack.pop()!;
      stack.push({ op: binary, left, right });
      continue;
    }
    if (stack.length >= MAX_CONST_STACK) r.fail(`constant expression too long (more than ${MAX_CONST_STACK} operands)`, at);
    stack.push(readConstInstr(r, opcode, at));
    if (stack.length === 2) secondAt = at;
  }
  if (stack.length === 0) r.fail('type mismatch: empty constant expression', r.pos - 1);
  if (stack.length > 1) r.fail('type mismatch: a constant expression must produce exactly one value', secondAt);
  return { expr: stack[0]!, offset };
}

function readConstInstr(r: ByteReader, opcode: number, at: number): ConstExpr {
  switch (opcode) {
    case Op.I32Const:
      return { op: 'i32.const', value: r.s32() };
    case Op.I64Const:
      return { op: 'i64.const', value: r.s64BigInt() };
    case Op.F32Const:
      return { op: 'f32.const', bits: r.fixedU32() };
    case Op.F64Const: {
      const lo = r.fixedU32();
      const hi = r.fixedU32();
      return { op: 'f64.const', bits: (BigInt(hi) << 32n) | BigInt(lo) };
    }
    case Op.RefNull:
      return { op: 'ref.null', type: readRefType(r) };
    case Op.RefFunc:
      return { op: 'ref.func', funcIndex: r.u32() };
    case Op.GlobalGet:
      return { op: 'global.get', globalIndex: r.u32() };
    case Op.SimdPrefix: {
      const sub = r.u32();
      if (sub !== V128_CONST) r.fail(`${notConstant(opcode)} (0xfd ${sub})`, at);
      return { op: 'v128.const', bytes: r.bytesN(16) };
    }
    default:
      return r.fail(notConstant(opcode), at);
  }
}

/** Names both spec wordings: the decoder does not tell unknown opcodes from non-constant ones. */
function notConstant(opcode: number): string {
  return `constant expression required: illegal opcode 0x${hex(opcode)} in a constant expression`;
}
