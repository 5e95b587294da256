/**
 * Validation and lowering of the SIMD instructions (prefix 0xFD), driven by
 * the table in simd-opcodes.ts. v128 values are never virtual constants: each
 * instruction writes its result into its stack slot of the v128 register file
 * (ir.ts, "v128 registers"), so the shared machinery of function.ts
 * (materializing, moving to labels and results, local.set retargeting) only
 * needs to pick V128Copy for them.
 */
import { ValType } from '../decoder/module.js';

const V128 = ValType.V128;
const I32 = ValType.I32;
import type { FuelClass } from '../interpreter/fuel.js';
import { Op, TRACE_CAN_TRAP } from '../interpreter/ir.js';
import type { FunctionCompiler } from './function.js';
import { FIRST_RELAXED_SIMD, SIMD, type SimdInstr } from './simd-opcodes.js';

export const SIMD_DISABLED = 'SIMD is disabled (Engine features.simd is false)';

/** Size of the fuel cost table's SIMD part: sub-opcodes 0 .. 0x113. */
export const SIMD_COST_COUNT = FIRST_RELAXED_SIMD + 0x14;

const SIMD_BY_SUBOPCODE: (SimdInstr | undefined)[] = [];
for (const [sub, instr] of SIMD) SIMD_BY_SUBOPCODE[sub] = instr;

export function simdFuelClass(sub: number): FuelClass {
  const form = SIMD_BY_SUBOPCODE[sub]?.form;
  return form === 'load' || form === 'loadLane' ? 'load' : form === 'store' || form === 'storeLane' ? 'store' : 'base';
}

/** Validates and lowers the SIMD instruction after a 0xFD prefix byte; `costBase` indexes its fuel cost. */
export function lowerSimd(c: FunctionCompiler, costBase: number): void {
  const r = c.r;
  const sub = r.u32();
  const instr = SIMD_BY_SUBOPCODE[sub];
  if (instr === undefined) c.fail(`illegal opcode 0xfd ${sub}`);
  const cost = costBase + sub;
  const fn = instr.laneOp;
  switch (instr.form) {
    case 'const': {
      const w0 = r.fixedU32() | 0;
      const w1 = r.fixedU32() | 0;
      const w2 = r.fixedU32() | 0;
      const w3 = r.fixedU32() | 0;
      if (!c.dead) {
        const h = c.sp;
        c.meter(cost, 0);
        c.out.carry();
        c.produced(c.out.emitOperands(Op.V128Const, c.slotBase + h, [w0, w1, w2, w3]), h);
      }
      c.push(V128);
      return;
    }
    case 'load': {
      const offset = c.memarg(instr);
      c.pop(c.addressType(c.memargMemory));
      if (!c.dead) {
        const h = c.sp;
        c.meter(cost, TRACE_CAN_TRAP);
        const addr = c.reg(h);
        c.out.carry();
        c.produced(c.isPlainMemory(c.memargMemory)
          ? c.out.emit5(Op.V128Load, c.slotBase + h, addr, offset, instr.size, fn)
          : c.out.emitOperands(Op.V128LoadM, c.slotBase + h, [addr, c.memargMemory, offset, c.memargOffsetHi, instr.size, fn]), h);
      }
      c.push(V128);
      return;
    }
    case 'store': {
      const offset = c.memarg(instr);
      c.pop(V128);
      c.pop(c.addressType(c.memargMemory));
      if (!c.dead) {
        const h = c.sp;
        c.meter(cost, TRACE_CAN_TRAP);
        const addr = c.reg(h);
        const value = c.reg(h + 1);
        c.out.carry();
        if (c.isPlainMemory(c.memargMemory)) c.out.emit5(Op.V128Store, addr, offset, instr.size, value, fn);
        else c.out.emitOperands(Op.V128StoreM, addr, [c.memargMemory, offset, c.memargOffsetHi, instr.size, value, fn]);
      }
      return;
    }
    case 'loadLane': {
      const offset = c.memarg(instr);
      const lane = laneIndex(c, instr);
      c.pop(V128);
      c.pop(c.addressType(c.memargMemory));
      if (!c.dead) {
        const h = c.sp;
        c.meter(cost, TRACE_CAN_TRAP);
        const addr = c.reg(h);
        const src = c.reg(h + 1);
        c.out.carry();
        c.produced(c.isPlainMemory(c.memargMemory)
          ? c.out.emitOperands(Op.V128LoadLane, c.slotBase + h, [addr, offset, instr.size, src, lane, fn])
          : c.out.emitOperands(Op.V128LoadLaneM, c.slotBase + h, [addr, c.memargMemory, offset, c.memargOffsetHi, instr.size, src, lane, fn]), h);
      }
      c.push(V128);
      return;
    }
    case 'storeLane': {
      const offset = c.memarg(instr);
      const lane = laneIndex(c, instr);
      c.pop(V128);
      c.pop(c.addressType(c.memargMemory));
      if (!c.dead) {
        const h = c.sp;
        c.meter(cost, TRACE_CAN_TRAP);
        const addr = c.reg(h);
        const value = c.reg(h + 1);
        c.out.carry();
        if (c.isPlainMemory(c.memargMemory)) c.out.emit6(Op.V128StoreLane, addr, offset, instr.size, value, lane, fn);
        else c.out.emitOperands(Op.V128StoreLaneM, addr, [c.memargMemory, offset, c.memargOffsetHi, instr.size, value, lane, fn]);
      }
      return;
    }
    case 'shuffle': {
      const words: number[] = [0, 0, 0, 0];
      for (let i = 0; i < 16; i++) {
        const lane = r.u8();
        if (lane >= 32) c.fail('invalid lane index');
        words[i >> 2] = words[i >> 2]! | (lane << ((i & 3) << 3));
      }
      c.pop(V128);
      c.pop(V128);
      if (!c.dead) {
        const h = c.sp;
        c.meter(cost, 0);
        const a = c.reg(h);
        const b = c.reg(h + 1);
        c.out.carry();
        c.produced(c.out.emitOperands(Op.V128Shuffle, c.slotBase + h, [a, b, ...words]), h);
      }
      c.push(V128);
      return;
    }
    case 'extract': {
      const lane = laneIndex(c, instr);
      c.pop(V128);
      if (!c.dead) {
        const h = c.sp;
        c.meter(cost, 0);
        const a = c.reg(h);
        c.out.carry();
        c.produced(c.out.emit4(Op.V128Extract, c.slotBase + h, a, lane, fn), h);
      }
      c.push(instr.scalar);
      return;
    }
    case 'replace': {
      const lane = laneIndex(c, instr);
      c.pop(instr.scalar);
      c.pop(V128);
      if (!c.dead) {
        const h = c.sp;
        c.meter(cost, 0);
        const a = c.reg(h);
        const s = c.reg(h + 1);
        c.out.carry();
        c.produced(c.out.emit5(Op.V128Replace, c.slotBase + h, a, s, lane, fn), h);
      }
      c.push(V128);
      return;
    }
    case 'splat':
      return operation(c, cost, Op.V128Splat, [instr.scalar], V128, fn);
    case 'unary':
      return operation(c, cost, Op.V128Unary, [V128], V128, fn);
    case 'binary':
      return operation(c, cost, Op.V128Binary, [V128, V128], V128, fn);
    case 'ternary':
      return operation(c, cost, Op.V128Ternary, [V128, V128, V128], V128, fn);
    case 'shift':
      return operation(c, cost, Op.V128Shift, [V128, I32], V128, fn);
    case 'test':
      return operation(c, cost, Op.V128Test, [V128], I32, fn);
  }
}

/** An instruction without immediates: `op dst, operands..., fn`. */
function operation(c: FunctionCompiler, cost: number, op: Op, params: readonly ValType[], result: ValType, fn: number): void {
  for (let i = params.length - 1; i >= 0; i--) c.pop(params[i]!);
  if (!c.dead) {
    const h = c.sp;
    c.meter(cost, 0);
    const operands: number[] = [];
    for (let i = 0; i < params.length; i++) operands.push(c.reg(h + i));
    operands.push(fn);
    c.out.carry();
    c.produced(c.out.emitOperands(op, c.slotBase + h, operands), h);
  }
  c.push(result);
}

function laneIndex(c: FunctionCompiler, instr: SimdInstr): number {
  const lane = c.r.u8();
  if (lane >= instr.lanes) c.fail('invalid lane index');
  return lane;
}
