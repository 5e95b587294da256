/**
 * Constant expressions (global initializers, segment offsets, element items):
 * exactly one constant instruction followed by `end`. The validator checks the
 * type and which globals and functions may be named.
 */
import type { ConstExpr, ConstExprAt } from './module.js';
import type { ByteReader } from './reader.js';
import { hex, readRefType } from './types.js';

const enum Op {
  End = 0x0b,
  GlobalGet = 0x23,
  I32Const = 0x41,
  I64Const = 0x42,
  F32Const = 0x43,
  F64Const = 0x44,
  RefNull = 0xd0,
  RefFunc = 0xd2,
  SimdPrefix = 0xfd,
}
const V128_CONST = 12;

export function readConstExpr(r: ByteReader): ConstExprAt {
  const offset = r.pos;
  const expr = readConstInstr(r);
  const next = r.u8();
  if (next !== Op.End) {
    const problem = isConstOpcode(next)
      ? 'type mismatch: a constant expression must produce exactly one value'
      : notConstant(next);
    r.fail(problem, r.pos - 1);
  }
  return { expr, offset };
}

function readConstInstr(r: ByteReader): ConstExpr {
  const opcode = r.u8();
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
      const at = r.pos - 1;
      const sub = r.u32();
      if (sub !== V128_CONST) r.fail(`${notConstant(opcode)} (0xfd ${sub})`, at);
      return { op: 'v128.const', bytes: r.bytesN(16) };
    }
    case Op.End:
      return r.fail('type mismatch: empty constant expression', r.pos - 1);
    default:
      return r.fail(notConstant(opcode), r.pos - 1);
  }
}

function isConstOpcode(opcode: number): boolean {
  switch (opcode) {
    case Op.I32Const:
    case Op.I64Const:
    case Op.F32Const:
    case Op.F64Const:
    case Op.RefNull:
    case Op.RefFunc:
    case Op.GlobalGet:
    case Op.SimdPrefix:
      return true;
    default:
      return false;
  }
}

/** Names both spec wordings: the decoder does not tell unknown opcodes from non-constant ones. */
function notConstant(opcode: number): string {
  return `constant expression required: illegal opcode 0x${hex(opcode)} in a constant expression`;
}
