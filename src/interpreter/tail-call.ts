/**
 * Tail calls (return_call, return_call_indirect): the callee takes over the
 * caller's frame, so unbounded tail recursion runs in constant frame-stack and
 * register space. The executor resolves the callee and calls these helpers;
 * ir.ts describes the ops.
 */
import { ValType } from '../decoder/module.js';
import type { TrapCode } from '../errors.js';
import type { FunctionInstance } from './function.js';
import { ensureLowered } from './ir.js';
import type { Machine } from './machine.js';
import type { TableInstance } from './table.js';

/** The function return_call_indirect calls: element `index` of `table` if it has signature `sigId`, else the trap. */
export function indirectCallee(table: TableInstance, index: number, sigId: number): FunctionInstance | TrapCode {
  const elements = table.elements;
  if (index >= elements.length) return 'tableOutOfBounds';
  const target = elements[index] as FunctionInstance | null;
  if (target === null) return 'indirectCallToNull';
  if (target.sigId !== sigId) return 'badSignature';
  return target;
}

/**
 * Makes the frame at `fp` the frame of Wasm function `callee`: its arguments
 * move from registers base.. to 0.. (in the v128 file too) and its locals are
 * zeroed (v128 locals by the callee's V128ZeroLocals). The frame-stack
 * entry (the return address) stays. False when the register file cannot hold
 * the callee's frame (the caller traps callStackExhausted). The executor must
 * reload its views of the register file afterwards (it may have grown).
 */
export function reuseFrame(m: Machine, callee: FunctionInstance, fp: number, base: number): boolean {
  const compiled = callee.compiled!;
  ensureLowered(compiled);
  if (!m.ensureSlots(fp + compiled.frameSize)) return false;
  const numParams = callee.funcType.params.length;
  // base > 0, so copying upwards from register 0 never overwrites an argument not yet moved.
  m.w.copyWithin(2 * fp, 2 * (fp + base), 2 * (fp + base + numParams));
  const refs = m.refs;
  const types = compiled.localTypes;
  for (let i = 0; i < numParams; i++) {
    refs[fp + i] = refs[fp + base + i];
    if (types[i] === ValType.V128) m.v128.i32.copyWithin(4 * (fp + i), 4 * (fp + base + i), 4 * (fp + base + i + 1));
  }
  m.w.fill(0, 2 * (fp + compiled.zeroFrom), 2 * (fp + compiled.numLocals));
  const refLocals = compiled.refLocals;
  for (let i = 0; i < refLocals.length; i++) refs[fp + refLocals[i]!] = null;
  return true;
}
