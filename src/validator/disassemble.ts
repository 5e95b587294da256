/**
 * Text form of lowered IR, for tests and debugging:
 *   `12: i32.add_imm r5, r3, 1` — registers as rN, immediates as numbers,
 *   branch targets as @pc, 64-bit immediates as 0x<hi><lo>.
 */
import { type CompiledFunction, ensureLowered, OP_LAYOUT, Op, opLength } from '../interpreter/ir.js';
import { MEMORY_ACCESS, NUMERIC } from './opcodes.js';

const COMPARES = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];

/** Name of every IR op: numeric ops and memory accesses by the Wasm instruction they implement. */
const IR_OP_NAMES: readonly string[] = buildNames();

function buildNames(): string[] {
  const names: string[] = [];
  for (const { op, name } of NUMERIC.values()) names[op] = name;
  for (const { op, name } of MEMORY_ACCESS.values()) names[op] = name;
  const others: [Op, string][] = [
    [Op.Copy, 'copy'],
    [Op.CopyRef, 'copy_ref'],
    [Op.Const32, 'const32'],
    [Op.Const64, 'const64'],
    [Op.RefNull, 'ref.null'],
    [Op.RefFunc, 'ref.func'],
    [Op.RefIsNull, 'ref.is_null'],
    [Op.Select, 'select'],
    [Op.SelectRef, 'select_ref'],
    [Op.Unreachable, 'unreachable'],
    [Op.Br, 'br'],
    [Op.BrIfNez, 'br_if_nez'],
    [Op.BrIfEqz, 'br_if_eqz'],
    [Op.BrIfAndImmNez, 'br_if_and_imm_nez'],
    [Op.BrIfAndImmEqz, 'br_if_and_imm_eqz'],
    [Op.BrTable, 'br_table'],
    [Op.Return, 'return'],
    [Op.Call, 'call'],
    [Op.CallIndirect, 'call_indirect'],
    [Op.Fuel, 'fuel'],
    [Op.GlobalGet, 'global.get'],
    [Op.GlobalSet, 'global.set'],
    [Op.GlobalGetRef, 'global.get_ref'],
    [Op.GlobalSetRef, 'global.set_ref'],
    [Op.GlobalGetAddImm, 'global.get_add_imm'],
    [Op.I32AddImmGlobalSet, 'i32.add_imm_global.set'],
    [Op.GlobalAddImm, 'global.add_imm'],
    [Op.I32StoreImm, 'i32.store_imm'],
    [Op.I32Store8Imm, 'i32.store8_imm'],
    [Op.I32Store16Imm, 'i32.store16_imm'],
    [Op.I64StoreImm, 'i64.store_imm'],
    [Op.MemorySize, 'memory.size'],
    [Op.MemoryGrow, 'memory.grow'],
    [Op.MemoryFill, 'memory.fill'],
    [Op.MemoryCopy, 'memory.copy'],
    [Op.MemoryInit, 'memory.init'],
    [Op.DataDrop, 'data.drop'],
    [Op.TableGet, 'table.get'],
    [Op.TableSet, 'table.set'],
    [Op.TableSize, 'table.size'],
    [Op.TableGrow, 'table.grow'],
    [Op.TableFill, 'table.fill'],
    [Op.TableCopy, 'table.copy'],
    [Op.TableInit, 'table.init'],
    [Op.ElemDrop, 'elem.drop'],
    [Op.I32AddImm, 'i32.add_imm'],
    [Op.I32MulImm, 'i32.mul_imm'],
    [Op.I32AndImm, 'i32.and_imm'],
    [Op.I32OrImm, 'i32.or_imm'],
    [Op.I32XorImm, 'i32.xor_imm'],
    [Op.I32ShlImm, 'i32.shl_imm'],
    [Op.I32ShrSImm, 'i32.shr_s_imm'],
    [Op.I32ShrUImm, 'i32.shr_u_imm'],
    [Op.I32RotlImm, 'i32.rotl_imm'],
    [Op.I64AddImm, 'i64.add_imm'],
    [Op.I64MulImm, 'i64.mul_imm'],
    [Op.I64AndImm, 'i64.and_imm'],
    [Op.I64OrImm, 'i64.or_imm'],
    [Op.I64XorImm, 'i64.xor_imm'],
    [Op.I64ShlImm, 'i64.shl_imm'],
    [Op.I64ShrSImm, 'i64.shr_s_imm'],
    [Op.I64ShrUImm, 'i64.shr_u_imm'],
    [Op.I64RotlImm, 'i64.rotl_imm'],
    [Op.I64ShlImm32, 'i64.shl_imm32'],
    [Op.I64ShrSImm32, 'i64.shr_s_imm32'],
    [Op.I64ShrUImm32, 'i64.shr_u_imm32'],
    [Op.I64RotlImm32, 'i64.rotl_imm32'],
    [Op.I32MulAdd, 'i32.mul_add'],
    [Op.I32ShlImmAdd, 'i32.shl_imm_add'],
    [Op.I32MulImmAdd, 'i32.mul_imm_add'],
    [Op.I32AddAdd, 'i32.add_add'],
    [Op.I32RotlImmXor, 'i32.rotl_imm_xor'],
    [Op.I32XorRotlImm, 'i32.xor_rotl_imm'],
    [Op.I64AddAdd, 'i64.add_add'],
    [Op.I64RotlImmXor, 'i64.rotl_imm_xor'],
    [Op.I64RotlImm32Xor, 'i64.rotl_imm32_xor'],
    [Op.I64XorRotlImm, 'i64.xor_rotl_imm'],
    [Op.I64XorRotlImm32, 'i64.xor_rotl_imm32'],
    [Op.I64MulImmAdd, 'i64.mul_imm_add'],
    [Op.I64MulAdd, 'i64.mul_add'],
    [Op.I64RotlImmMulImm, 'i64.rotl_imm_mul_imm'],
    [Op.I32LoadScaled, 'i32.load_scaled'],
    [Op.I32LoadIndexed, 'i32.load_indexed'],
    [Op.I32LoadMul, 'i32.load_mul'],
    [Op.I32LoadMulAdd, 'i32.load_mul_add'],
    [Op.F64LoadAdd, 'f64.load_add'],
    [Op.F64LoadSub, 'f64.load_sub'],
    [Op.F64LoadMul, 'f64.load_mul'],
    [Op.I64LoadMulImm, 'i64.load_mul_imm'],
    [Op.I64LoadMulImmAdd, 'i64.load_mul_imm_add'],
    [Op.I64LoadMulImmAddRotlImmMulImm, 'i64.load_mul_imm_add_rotl_imm_mul_imm'],
    [Op.I64LoadAdd, 'i64.load_add'],
    [Op.I64LoadXor, 'i64.load_xor'],
    [Op.I64LoadXorRotlImm, 'i64.load_xor_rotl_imm'],
    [Op.I64LoadXorRotlImm32, 'i64.load_xor_rotl_imm32'],
    [Op.F64MulAdd, 'f64.mul_add'],
    [Op.F64MulSub, 'f64.mul_sub'],
    [Op.F64MulMul, 'f64.mul_mul'],
    [Op.I32AddImm2, 'i32.add_imm2'],
    [Op.I32AddImmBrIfNez, 'i32.add_imm_br_if_nez'],
    [Op.I32AddImmBrIfNe, 'i32.add_imm_br_if_ne'],
    [Op.I32AddImmCopy, 'i32.add_imm_copy'],
    [Op.CopyThenFuel, 'copy_then_fuel'],
    [Op.Const32ThenFuel, 'const32_then_fuel'],
    // SIMD: the last immediate of most is the lane operation's index in LANE_OPS (simd.ts).
    [Op.V128Copy, 'v128.copy'],
    [Op.V128Select, 'v128.select'],
    [Op.V128Const, 'v128.const'],
    [Op.V128ZeroLocals, 'v128.zero_locals'],
    [Op.V128GlobalGet, 'v128.global.get'],
    [Op.V128GlobalSet, 'v128.global.set'],
    [Op.V128Unary, 'v128.unary'],
    [Op.V128Binary, 'v128.binary'],
    [Op.V128Ternary, 'v128.ternary'],
    [Op.V128Shift, 'v128.shift'],
    [Op.V128Splat, 'v128.splat'],
    [Op.V128Extract, 'v128.extract_lane'],
    [Op.V128Replace, 'v128.replace_lane'],
    [Op.V128Test, 'v128.test'],
    [Op.V128Shuffle, 'i8x16.shuffle'],
    [Op.V128Load, 'v128.load'],
    [Op.V128Store, 'v128.store'],
    [Op.V128LoadLane, 'v128.load_lane'],
    [Op.V128StoreLane, 'v128.store_lane'],
    [Op.Throw, 'throw'],
    [Op.ThrowRef, 'throw_ref'],
  ];
  for (const [op, name] of others) names[op] = name;
  COMPARES.forEach((cmp, i) => {
    names[Op.I32EqImm + i] = `i32.${cmp}_imm`;
    names[Op.BrIfI32Eq + i] = `br_if_i32.${cmp}`;
    names[Op.BrIfI32EqImm + i] = `br_if_i32.${cmp}_imm`;
  });
  return names;
}

/** One line per op of `code`. */
function disassembleCode(code: Int32Array): string[] {
  const lines: string[] = [];
  for (let pc = 0; pc < code.length; pc += opLength(code, pc)) {
    const op = code[pc]!;
    const operands: string[] = [];
    let at = pc + 1;
    for (const kind of OP_LAYOUT[op]!) {
      if (kind === 'r') operands.push(`r${code[at++]}`);
      else if (kind === 'i') operands.push(String(code[at++]));
      else if (kind === 't') operands.push(`@${code[at++]}`);
      else if (kind === 'L') {
        const lo = code[at++]! >>> 0;
        const hi = code[at++]! >>> 0;
        operands.push(`0x${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`);
      } else {
        const count = code[at++]!;
        for (let i = 0; i <= count; i++) operands.push(`@${code[at++]}`);
      }
    }
    const name = IR_OP_NAMES[op] ?? `op${op}`;
    lines.push(`${pc}: ${name}${operands.length > 0 ? ' ' + operands.join(', ') : ''}`);
  }
  return lines;
}

/** The IR of `func` as text, one op per line (lowering it first if it is not yet). */
export function disassemble(func: CompiledFunction): string {
  ensureLowered(func);
  return disassembleCode(func.code).join('\n');
}
