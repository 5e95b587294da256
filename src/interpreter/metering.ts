/**
 * The slow paths of fuel metering (DESIGN.md section 2, ir.ts "Fuel"). The
 * executor's fast path charges a whole segment at its Fuel op; everything here
 * walks the segment's fuel trace, one Wasm instruction at a time:
 *   - a segment the fuel cannot pay is paid instruction by instruction, and the
 *     run stops before the first unpaid one (property 2), remembering which
 *     trace entry to charge from when it resumes (property 3);
 *   - a trap refunds the charged instructions after the trapping one (property 4);
 *   - a dynamic charge (bulk ops, memory.grow) that cannot be paid refunds its
 *     instruction and the rest of the segment and stops before it.
 * To stop in the middle of a segment without a check on the hot path, the
 * executor writes a FuelStop opcode over the op where the run must stop and
 * restores it when it gets there (or leaves the loop any other way). A segment
 * contains no calls before its last op, so nothing else can run into the patch.
 */

import { Op, TRACE_CAN_TRAP, TRACE_HEADER } from './ir.js';
import type { Machine } from './machine.js';

/** The first entry (triple index) after `entry`'s segment: the next header or the trace end. */
function segmentEnd(trace: Int32Array, entry: number): number {
  const count = trace.length / 3;
  let k = entry;
  while (k < count && (trace[3 * k + 2]! & TRACE_HEADER) === 0) k++;
  return k;
}

function costOf(trace: Int32Array, from: number, to: number): number {
  let sum = 0;
  for (let k = from; k < to; k++) sum += trace[3 * k + 1]!;
  return sum;
}

/**
 * Charges trace entries `entry` .. the end of their segment from `m.fuel`, for a
 * run about to continue at `pc`. Returns true when the run may continue at `pc`:
 * either everything was paid, or the paid prefix was charged and a FuelStop now
 * waits at the op of the first unpaid instruction. Returns false when not even
 * the op at `pc` is paid: the run must stop now, with `m.pc` = pc and
 * `m.pendingEntry` = the first unpaid entry.
 */
export function chargeEntries(m: Machine, code: Int32Array, trace: Int32Array, entry: number, pc: number): boolean {
  const end = segmentEnd(trace, entry);
  let fuel = m.fuel;
  let k = entry;
  while (k < end && trace[3 * k + 1]! <= fuel) fuel -= trace[3 * k++ + 1]!;
  m.fuel = fuel;
  if (k === end) return true;
  const stopPc = trace[3 * k]!;
  if (stopPc <= pc) {
    m.pc = pc;
    m.pendingEntry = k;
    return false;
  }
  m.stopCode = code;
  m.stopPc = stopPc;
  m.stopOp = code[stopPc]!;
  m.stopEntry = k;
  code[stopPc] = Op.FuelStop;
  return true;
}

/**
 * The trace entry of the Wasm instruction that the IR op at `pc` traps or
 * charges dynamic fuel for: the entry marked TRACE_CAN_TRAP, else the op's last
 * instruction; -1 when the trace has none.
 */
function trappingEntry(trace: Int32Array, pc: number): number {
  // irPc is non-decreasing: binary search for the first entry at pc.
  let lo = 0;
  let hi = trace.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (trace[3 * mid]! < pc) lo = mid + 1;
    else hi = mid;
  }
  let last = -1;
  for (let k = lo; k < trace.length / 3 && trace[3 * k] === pc; k++) {
    const flags = trace[3 * k + 2]!;
    if (flags & TRACE_HEADER) continue;
    if (flags & TRACE_CAN_TRAP) return k;
    last = k;
  }
  return last;
}

/** Gives back the fuel of entries `from` .. the end of what was charged of their segment. */
function refundFrom(m: Machine, code: Int32Array, trace: Int32Array, from: number): void {
  const end = m.stopCode === code ? m.stopEntry : segmentEnd(trace, from);
  m.fuel += costOf(trace, from, end);
}

/** On a trap at `pc`: refund the instructions after the trapping one (property 4) and remove any FuelStop. */
export function refundAfterTrap(m: Machine, code: Int32Array, trace: Int32Array, pc: number): void {
  const entry = trappingEntry(trace, pc);
  if (entry >= 0) refundFrom(m, code, trace, entry + 1);
  m.removeStop();
}

/**
 * A dynamic charge at `pc` cannot be paid: refund its instruction and the rest
 * of the segment and record the stop so that resuming charges them again and
 * re-executes the op.
 */
export function stopBeforeDynamicCharge(m: Machine, code: Int32Array, trace: Int32Array, pc: number): void {
  const entry = trappingEntry(trace, pc);
  if (entry >= 0) refundFrom(m, code, trace, entry);
  m.removeStop();
  m.pc = pc;
  m.pendingEntry = entry;
}
