/**
 * WebAssembly 2.0 opcodes as data: the names, operand and result types, fuel
 * classes and IR ops that the validator (src/validator/function.ts) and the
 * disassembler use. Instructions with irregular immediates or typing (control,
 * variables, tables, bulk memory) are handled by name in function.ts; the
 * regular families (numeric, loads, stores) are driven entirely by the tables here.
 */
import { ValType } from '../decoder/module.js';
import type { FuelClass } from '../interpreter/fuel.js';
import { Op } from '../interpreter/ir.js';

/** Single-byte opcodes that function.ts dispatches on by name. */
export const enum Opcode {
  Unreachable = 0x00,
  Nop = 0x01,
  Block = 0x02,
  Loop = 0x03,
  If = 0x04,
  Else = 0x05,
  /** Exception handling: the legacy try, catch, delegate, catch_all and rethrow, and throw, throw_ref, try_table. */
  Try = 0x06,
  Catch = 0x07,
  Throw = 0x08,
  Rethrow = 0x09,
  ThrowRef = 0x0a,
  Delegate = 0x18,
  CatchAll = 0x19,
  TryTable = 0x1f,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  BrTable = 0x0e,
  Return = 0x0f,
  Call = 0x10,
  CallIndirect = 0x11,
  ReturnCall = 0x12,
  ReturnCallIndirect = 0x13,
  Drop = 0x1a,
  Select = 0x1b,
  SelectTyped = 0x1c,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  GlobalGet = 0x23,
  GlobalSet = 0x24,
  TableGet = 0x25,
  TableSet = 0x26,
  MemorySize = 0x3f,
  MemoryGrow = 0x40,
  I32Const = 0x41,
  I64Const = 0x42,
  F32Const = 0x43,
  F64Const = 0x44,
  RefNull = 0xd0,
  RefIsNull = 0xd1,
  RefFunc = 0xd2,
  /** Prefix of the saturating truncations, bulk memory and table instructions. */
  PrefixFC = 0xfc,
  /** Prefix of the SIMD instructions (not supported yet). */
  PrefixFD = 0xfd,
}

/** Sub-opcodes after the 0xFC prefix (other than the saturating truncations 0..7). */
export const enum OpcodeFC {
  MemoryInit = 8,
  DataDrop = 9,
  MemoryCopy = 10,
  MemoryFill = 11,
  TableInit = 12,
  ElemDrop = 13,
  TableCopy = 14,
  TableGrow = 15,
  TableSize = 16,
  TableFill = 17,
}

/** A numeric instruction: pops `params` (first param deepest), pushes `result`. */
export interface NumericInstr {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly result: ValType;
  readonly op: Op;
  /** May trap (division, remainder, trapping float-to-int truncation). */
  readonly canTrap: boolean;
  /** The immediate form (right operand a constant), for the i32 and i64 binary ops that have one. */
  readonly imm: Op | undefined;
  /**
   * The immediate form to use when the *left* operand is the constant: the same
   * op for commutative ones, the mirrored comparison (lt <-> gt) for compares.
   */
  readonly immSwapped: Op | undefined;
}

const { I32, I64, F32, F64 } = {
  I32: ValType.I32,
  I64: ValType.I64,
  F32: ValType.F32,
  F64: ValType.F64,
} as const;

const TRAPS = true;

/** [opcode, name, param types, result type, IR op, may trap?]; 0xFC-prefixed ones as 0xFC00 | sub. */
const NUMERIC_ROWS: readonly (readonly [number, string, readonly ValType[], ValType, Op, boolean?])[] = [
  [0x45, 'i32.eqz', [I32], I32, Op.I32Eqz],
  [0x46, 'i32.eq', [I32, I32], I32, Op.I32Eq],
  [0x47, 'i32.ne', [I32, I32], I32, Op.I32Ne],
  [0x48, 'i32.lt_s', [I32, I32], I32, Op.I32LtS],
  [0x49, 'i32.lt_u', [I32, I32], I32, Op.I32LtU],
  [0x4a, 'i32.gt_s', [I32, I32], I32, Op.I32GtS],
  [0x4b, 'i32.gt_u', [I32, I32], I32, Op.I32GtU],
  [0x4c, 'i32.le_s', [I32, I32], I32, Op.I32LeS],
  [0x4d, 'i32.le_u', [I32, I32], I32, Op.I32LeU],
  [0x4e, 'i32.ge_s', [I32, I32], I32, Op.I32GeS],
  [0x4f, 'i32.ge_u', [I32, I32], I32, Op.I32GeU],
  [0x50, 'i64.eqz', [I64], I32, Op.I64Eqz],
  [0x51, 'i64.eq', [I64, I64], I32, Op.I64Eq],
  [0x52, 'i64.ne', [I64, I64], I32, Op.I64Ne],
  [0x53, 'i64.lt_s', [I64, I64], I32, Op.I64LtS],
  [0x54, 'i64.lt_u', [I64, I64], I32, Op.I64LtU],
  [0x55, 'i64.gt_s', [I64, I64], I32, Op.I64GtS],
  [0x56, 'i64.gt_u', [I64, I64], I32, Op.I64GtU],
  [0x57, 'i64.le_s', [I64, I64], I32, Op.I64LeS],
  [0x58, 'i64.le_u', [I64, I64], I32, Op.I64LeU],
  [0x59, 'i64.ge_s', [I64, I64], I32, Op.I64GeS],
  [0x5a, 'i64.ge_u', [I64, I64], I32, Op.I64GeU],
  [0x5b, 'f32.eq', [F32, F32], I32, Op.F32Eq],
  [0x5c, 'f32.ne', [F32, F32], I32, Op.F32Ne],
  [0x5d, 'f32.lt', [F32, F32], I32, Op.F32Lt],
  [0x5e, 'f32.gt', [F32, F32], I32, Op.F32Gt],
  [0x5f, 'f32.le', [F32, F32], I32, Op.F32Le],
  [0x60, 'f32.ge', [F32, F32], I32, Op.F32Ge],
  [0x61, 'f64.eq', [F64, F64], I32, Op.F64Eq],
  [0x62, 'f64.ne', [F64, F64], I32, Op.F64Ne],
  [0x63, 'f64.lt', [F64, F64], I32, Op.F64Lt],
  [0x64, 'f64.gt', [F64, F64], I32, Op.F64Gt],
  [0x65, 'f64.le', [F64, F64], I32, Op.F64Le],
  [0x66, 'f64.ge', [F64, F64], I32, Op.F64Ge],
  [0x67, 'i32.clz', [I32], I32, Op.I32Clz],
  [0x68, 'i32.ctz', [I32], I32, Op.I32Ctz],
  [0x69, 'i32.popcnt', [I32], I32, Op.I32Popcnt],
  [0x6a, 'i32.add', [I32, I32], I32, Op.I32Add],
  [0x6b, 'i32.sub', [I32, I32], I32, Op.I32Sub],
  [0x6c, 'i32.mul', [I32, I32], I32, Op.I32Mul],
  [0x6d, 'i32.div_s', [I32, I32], I32, Op.I32DivS, TRAPS],
  [0x6e, 'i32.div_u', [I32, I32], I32, Op.I32DivU, TRAPS],
  [0x6f, 'i32.rem_s', [I32, I32], I32, Op.I32RemS, TRAPS],
  [0x70, 'i32.rem_u', [I32, I32], I32, Op.I32RemU, TRAPS],
  [0x71, 'i32.and', [I32, I32], I32, Op.I32And],
  [0x72, 'i32.or', [I32, I32], I32, Op.I32Or],
  [0x73, 'i32.xor', [I32, I32], I32, Op.I32Xor],
  [0x74, 'i32.shl', [I32, I32], I32, Op.I32Shl],
  [0x75, 'i32.shr_s', [I32, I32], I32, Op.I32ShrS],
  [0x76, 'i32.shr_u', [I32, I32], I32, Op.I32ShrU],
  [0x77, 'i32.rotl', [I32, I32], I32, Op.I32Rotl],
  [0x78, 'i32.rotr', [I32, I32], I32, Op.I32Rotr],
  [0x79, 'i64.clz', [I64], I64, Op.I64Clz],
  [0x7a, 'i64.ctz', [I64], I64, Op.I64Ctz],
  [0x7b, 'i64.popcnt', [I64], I64, Op.I64Popcnt],
  [0x7c, 'i64.add', [I64, I64], I64, Op.I64Add],
  [0x7d, 'i64.sub', [I64, I64], I64, Op.I64Sub],
  [0x7e, 'i64.mul', [I64, I64], I64, Op.I64Mul],
  [0x7f, 'i64.div_s', [I64, I64], I64, Op.I64DivS, TRAPS],
  [0x80, 'i64.div_u', [I64, I64], I64, Op.I64DivU, TRAPS],
  [0x81, 'i64.rem_s', [I64, I64], I64, Op.I64RemS, TRAPS],
  [0x82, 'i64.rem_u', [I64, I64], I64, Op.I64RemU, TRAPS],
  [0x83, 'i64.and', [I64, I64], I64, Op.I64And],
  [0x84, 'i64.or', [I64, I64], I64, Op.I64Or],
  [0x85, 'i64.xor', [I64, I64], I64, Op.I64Xor],
  [0x86, 'i64.shl', [I64, I64], I64, Op.I64Shl],
  [0x87, 'i64.shr_s', [I64, I64], I64, Op.I64ShrS],
  [0x88, 'i64.shr_u', [I64, I64], I64, Op.I64ShrU],
  [0x89, 'i64.rotl', [I64, I64], I64, Op.I64Rotl],
  [0x8a, 'i64.rotr', [I64, I64], I64, Op.I64Rotr],
  [0x8b, 'f32.abs', [F32], F32, Op.F32Abs],
  [0x8c, 'f32.neg', [F32], F32, Op.F32Neg],
  [0x8d, 'f32.ceil', [F32], F32, Op.F32Ceil],
  [0x8e, 'f32.floor', [F32], F32, Op.F32Floor],
  [0x8f, 'f32.trunc', [F32], F32, Op.F32Trunc],
  [0x90, 'f32.nearest', [F32], F32, Op.F32Nearest],
  [0x91, 'f32.sqrt', [F32], F32, Op.F32Sqrt],
  [0x92, 'f32.add', [F32, F32], F32, Op.F32Add],
  [0x93, 'f32.sub', [F32, F32], F32, Op.F32Sub],
  [0x94, 'f32.mul', [F32, F32], F32, Op.F32Mul],
  [0x95, 'f32.div', [F32, F32], F32, Op.F32Div],
  [0x96, 'f32.min', [F32, F32], F32, Op.F32Min],
  [0x97, 'f32.max', [F32, F32], F32, Op.F32Max],
  [0x98, 'f32.copysign', [F32, F32], F32, Op.F32Copysign],
  [0x99, 'f64.abs', [F64], F64, Op.F64Abs],
  [0x9a, 'f64.neg', [F64], F64, Op.F64Neg],
  [0x9b, 'f64.ceil', [F64], F64, Op.F64Ceil],
  [0x9c, 'f64.floor', [F64], F64, Op.F64Floor],
  [0x9d, 'f64.trunc', [F64], F64, Op.F64Trunc],
  [0x9e, 'f64.nearest', [F64], F64, Op.F64Nearest],
  [0x9f, 'f64.sqrt', [F64], F64, Op.F64Sqrt],
  [0xa0, 'f64.add', [F64, F64], F64, Op.F64Add],
  [0xa1, 'f64.sub', [F64, F64], F64, Op.F64Sub],
  [0xa2, 'f64.mul', [F64, F64], F64, Op.F64Mul],
  [0xa3, 'f64.div', [F64, F64], F64, Op.F64Div],
  [0xa4, 'f64.min', [F64, F64], F64, Op.F64Min],
  [0xa5, 'f64.max', [F64, F64], F64, Op.F64Max],
  [0xa6, 'f64.copysign', [F64, F64], F64, Op.F64Copysign],
  [0xa7, 'i32.wrap_i64', [I64], I32, Op.I32WrapI64],
  [0xa8, 'i32.trunc_f32_s', [F32], I32, Op.I32TruncF32S, TRAPS],
  [0xa9, 'i32.trunc_f32_u', [F32], I32, Op.I32TruncF32U, TRAPS],
  [0xaa, 'i32.trunc_f64_s', [F64], I32, Op.I32TruncF64S, TRAPS],
  [0xab, 'i32.trunc_f64_u', [F64], I32, Op.I32TruncF64U, TRAPS],
  [0xac, 'i64.extend_i32_s', [I32], I64, Op.I64ExtendI32S],
  [0xad, 'i64.extend_i32_u', [I32], I64, Op.I64ExtendI32U],
  [0xae, 'i64.trunc_f32_s', [F32], I64, Op.I64TruncF32S, TRAPS],
  [0xaf, 'i64.trunc_f32_u', [F32], I64, Op.I64TruncF32U, TRAPS],
  [0xb0, 'i64.trunc_f64_s', [F64], I64, Op.I64TruncF64S, TRAPS],
  [0xb1, 'i64.trunc_f64_u', [F64], I64, Op.I64TruncF64U, TRAPS],
  [0xb2, 'f32.convert_i32_s', [I32], F32, Op.F32ConvertI32S],
  [0xb3, 'f32.convert_i32_u', [I32], F32, Op.F32ConvertI32U],
  [0xb4, 'f32.convert_i64_s', [I64], F32, Op.F32ConvertI64S],
  [0xb5, 'f32.convert_i64_u', [I64], F32, Op.F32ConvertI64U],
  [0xb6, 'f32.demote_f64', [F64], F32, Op.F32DemoteF64],
  [0xb7, 'f64.convert_i32_s', [I32], F64, Op.F64ConvertI32S],
  [0xb8, 'f64.convert_i32_u', [I32], F64, Op.F64ConvertI32U],
  [0xb9, 'f64.convert_i64_s', [I64], F64, Op.F64ConvertI64S],
  [0xba, 'f64.convert_i64_u', [I64], F64, Op.F64ConvertI64U],
  [0xbb, 'f64.promote_f32', [F32], F64, Op.F64PromoteF32],
  [0xbc, 'i32.reinterpret_f32', [F32], I32, Op.I32ReinterpretF32],
  [0xbd, 'i64.reinterpret_f64', [F64], I64, Op.I64ReinterpretF64],
  [0xbe, 'f32.reinterpret_i32', [I32], F32, Op.F32ReinterpretI32],
  [0xbf, 'f64.reinterpret_i64', [I64], F64, Op.F64ReinterpretI64],
  [0xc0, 'i32.extend8_s', [I32], I32, Op.I32Extend8S],
  [0xc1, 'i32.extend16_s', [I32], I32, Op.I32Extend16S],
  [0xc2, 'i64.extend8_s', [I64], I64, Op.I64Extend8S],
  [0xc3, 'i64.extend16_s', [I64], I64, Op.I64Extend16S],
  [0xc4, 'i64.extend32_s', [I64], I64, Op.I64Extend32S],
  [0xfc00, 'i32.trunc_sat_f32_s', [F32], I32, Op.I32TruncSatF32S],
  [0xfc01, 'i32.trunc_sat_f32_u', [F32], I32, Op.I32TruncSatF32U],
  [0xfc02, 'i32.trunc_sat_f64_s', [F64], I32, Op.I32TruncSatF64S],
  [0xfc03, 'i32.trunc_sat_f64_u', [F64], I32, Op.I32TruncSatF64U],
  [0xfc04, 'i64.trunc_sat_f32_s', [F32], I64, Op.I64TruncSatF32S],
  [0xfc05, 'i64.trunc_sat_f32_u', [F32], I64, Op.I64TruncSatF32U],
  [0xfc06, 'i64.trunc_sat_f64_s', [F64], I64, Op.I64TruncSatF64S],
  [0xfc07, 'i64.trunc_sat_f64_u', [F64], I64, Op.I64TruncSatF64U],
];

/**
 * Immediate forms of i32 and i64 binary ops: [plain op, immediate op, immediate
 * op when the constant is the left operand (undefined: not expressible)]. The
 * lowering encodes the constant as the immediate op's layout needs (ir.ts).
 */
const IMMEDIATE_FORMS: readonly (readonly [Op, Op, Op | undefined])[] = [
  [Op.I32Add, Op.I32AddImm, Op.I32AddImm],
  [Op.I32Sub, Op.I32AddImm, undefined], // adds the negated constant
  [Op.I32Mul, Op.I32MulImm, Op.I32MulImm],
  [Op.I32And, Op.I32AndImm, Op.I32AndImm],
  [Op.I32Or, Op.I32OrImm, Op.I32OrImm],
  [Op.I32Xor, Op.I32XorImm, Op.I32XorImm],
  [Op.I32Shl, Op.I32ShlImm, undefined],
  [Op.I32ShrS, Op.I32ShrSImm, undefined],
  [Op.I32ShrU, Op.I32ShrUImm, undefined],
  [Op.I32Rotl, Op.I32RotlImm, undefined],
  [Op.I32Rotr, Op.I32RotlImm, undefined], // rotates left by 32 - count
  [Op.I32Eq, Op.I32EqImm, Op.I32EqImm],
  [Op.I32Ne, Op.I32NeImm, Op.I32NeImm],
  [Op.I32LtS, Op.I32LtSImm, Op.I32GtSImm],
  [Op.I32LtU, Op.I32LtUImm, Op.I32GtUImm],
  [Op.I32GtS, Op.I32GtSImm, Op.I32LtSImm],
  [Op.I32GtU, Op.I32GtUImm, Op.I32LtUImm],
  [Op.I32LeS, Op.I32LeSImm, Op.I32GeSImm],
  [Op.I32LeU, Op.I32LeUImm, Op.I32GeUImm],
  [Op.I32GeS, Op.I32GeSImm, Op.I32LeSImm],
  [Op.I32GeU, Op.I32GeUImm, Op.I32LeUImm],
  [Op.I64Add, Op.I64AddImm, Op.I64AddImm],
  [Op.I64Sub, Op.I64AddImm, undefined], // adds the negated constant
  [Op.I64Mul, Op.I64MulImm, Op.I64MulImm],
  [Op.I64And, Op.I64AndImm, Op.I64AndImm],
  [Op.I64Or, Op.I64OrImm, Op.I64OrImm],
  [Op.I64Xor, Op.I64XorImm, Op.I64XorImm],
  [Op.I64Shl, Op.I64ShlImm, undefined],
  [Op.I64ShrS, Op.I64ShrSImm, undefined],
  [Op.I64ShrU, Op.I64ShrUImm, undefined],
  [Op.I64Rotl, Op.I64RotlImm, undefined],
  [Op.I64Rotr, Op.I64RotlImm, undefined], // rotates left by 64 - count
];

/** Numeric instructions by opcode (0xFC-prefixed ones at 0xFC00 | sub). */
export const NUMERIC: ReadonlyMap<number, NumericInstr> = new Map(
  NUMERIC_ROWS.map(([code, name, params, result, op, canTrap]) => {
    const forms = IMMEDIATE_FORMS.find(([plain]) => plain === op);
    return [code, { name, params, result, op, canTrap: canTrap === true, imm: forms?.[1], immSwapped: forms?.[2] }];
  }),
);

/** A load or store; `align` is the natural alignment as log2 of the access size. */
export interface MemoryInstr {
  readonly name: string;
  readonly type: ValType;
  readonly op: Op;
  readonly naturalAlign: number;
  readonly isStore: boolean;
}

const MEMORY_ROWS: readonly (readonly [number, string, ValType, Op, number])[] = [
  [0x28, 'i32.load', I32, Op.I32Load, 2],
  [0x29, 'i64.load', I64, Op.I64Load, 3],
  [0x2a, 'f32.load', F32, Op.F32Load, 2],
  [0x2b, 'f64.load', F64, Op.F64Load, 3],
  [0x2c, 'i32.load8_s', I32, Op.I32Load8S, 0],
  [0x2d, 'i32.load8_u', I32, Op.I32Load8U, 0],
  [0x2e, 'i32.load16_s', I32, Op.I32Load16S, 1],
  [0x2f, 'i32.load16_u', I32, Op.I32Load16U, 1],
  [0x30, 'i64.load8_s', I64, Op.I64Load8S, 0],
  [0x31, 'i64.load8_u', I64, Op.I64Load8U, 0],
  [0x32, 'i64.load16_s', I64, Op.I64Load16S, 1],
  [0x33, 'i64.load16_u', I64, Op.I64Load16U, 1],
  [0x34, 'i64.load32_s', I64, Op.I64Load32S, 2],
  [0x35, 'i64.load32_u', I64, Op.I64Load32U, 2],
  [0x36, 'i32.store', I32, Op.I32Store, 2],
  [0x37, 'i64.store', I64, Op.I64Store, 3],
  [0x38, 'f32.store', F32, Op.F32Store, 2],
  [0x39, 'f64.store', F64, Op.F64Store, 3],
  [0x3a, 'i32.store8', I32, Op.I32Store8, 0],
  [0x3b, 'i32.store16', I32, Op.I32Store16, 1],
  [0x3c, 'i64.store8', I64, Op.I64Store8, 0],
  [0x3d, 'i64.store16', I64, Op.I64Store16, 1],
  [0x3e, 'i64.store32', I64, Op.I64Store32, 2],
];

/** Loads and stores by opcode. */
export const MEMORY_ACCESS: ReadonlyMap<number, MemoryInstr> = new Map(
  MEMORY_ROWS.map(([code, name, type, op, naturalAlign]) => [
    code,
    { name, type, op, naturalAlign, isStore: name.includes('.store') },
  ]),
);

/**
 * The fuel class of every instruction that is not in class `base`
 * (DESIGN.md section 2; 0xFC-prefixed ones at 0xFC00 | sub).
 */
const FUEL_CLASSES: ReadonlyMap<number, FuelClass | 'free'> = new Map<number, FuelClass | 'free'>([
  [Opcode.Else, 'free'],
  [Opcode.End, 'free'],
  [Opcode.Catch, 'free'],
  [Opcode.CatchAll, 'free'],
  [Opcode.Delegate, 'free'],
  [Opcode.Call, 'call'],
  [Opcode.CallIndirect, 'call'],
  [Opcode.ReturnCall, 'call'],
  [Opcode.ReturnCallIndirect, 'call'],
  [Opcode.MemoryGrow, 'bulk'],
  [0xfc00 | OpcodeFC.MemoryInit, 'bulk'],
  [0xfc00 | OpcodeFC.MemoryCopy, 'bulk'],
  [0xfc00 | OpcodeFC.MemoryFill, 'bulk'],
  [0xfc00 | OpcodeFC.TableInit, 'bulk'],
  [0xfc00 | OpcodeFC.TableCopy, 'bulk'],
  [0xfc00 | OpcodeFC.TableGrow, 'bulk'],
  [0xfc00 | OpcodeFC.TableFill, 'bulk'],
  ...MEMORY_ROWS.map(([code, name]): [number, FuelClass] => [code, name.includes('.store') ? 'store' : 'load']),
]);

export function fuelClassOf(code: number): FuelClass | 'free' {
  return FUEL_CLASSES.get(code) ?? 'base';
}
