/**
 * The interpreter: one function, one switch over the opcodes of the current
 * function's Int32Array code (DESIGN.md section 3). Hot state lives in locals;
 * calls push onto the Machine's frame stack instead of recursing in JS; traps
 * and fuel exhaustion leave the loop and report a Status instead of throwing.
 * Register conventions are those of ir.ts: register r of the frame at fp is
 * word 2*(fp+r) of `w` (Float32Array index 2*(fp+r), Float64Array index fp+r).
 */

import type { RuntimeError, TrapCode } from '../errors.js';
import type { FunctionInstance } from './function.js';
import { callHost, HostCall } from './host-call.js';
import { ensureLowered, Op } from './ir.js';
import { defaultLimits } from './limits.js';
import { Status, type Machine } from './machine.js';
import { MemoryInstance } from './memory.js';
import { indirectCallee, reuseFrame } from './tail-call.js';
import { MEMORY_FUEL_STOP, memoryOp } from './memory-ops.js';
import { chargeEntries, refundAfterTrap, stopBeforeDynamicCharge } from './metering.js';
import { executeSimd, executeSimdMemoryM } from './simd-executor.js';
import { ExceptionInstance, exceptionFromSlots, raise, WasmException } from './exceptions.js';
import {
  ctz32, f32ConvertI64S, f32ConvertI64U, f64ConvertI64S, f64ConvertI64U, fMax, fMin, fNearest,
  i32TruncSatS, i32TruncSatU, i32TruncSCheck, i32TruncUCheck,
  i64Clz, i64Ctz, i64DivS, i64DivU, i64Mul, i64Popcnt, i64RemS, i64RemU, i64Rotl, i64Rotr,
  i64Shl, i64ShrS, i64ShrU, i64TruncS, i64TruncSatS, i64TruncSatU, i64TruncU, numericTrapCode, popcnt32,
} from './numeric.js';

/** Stands in for memory 0 in instances without one, so `mem` is never null. */
const NO_MEMORY = new MemoryInstance(defaultLimits(), 0, 0);
const NO_BYTES = new Uint8Array(0);
const NO_ELEMENTS: unknown[] = [];

/**
 * Pushes the entry frame of Wasm function `func`, whose arguments are in slots
 * `base`.., and points the machine at its first instruction. Returns false
 * (trap recorded) when the call stack is full.
 */
function enterFunction(m: Machine, func: FunctionInstance, base: number): boolean {
  const compiled = func.compiled!;
  ensureLowered(compiled);
  if (m.depth >= m.maxCallDepth || !m.ensureSlots(base + compiled.frameSize)) {
    m.trap = 'callStackExhausted';
    m.trapFunc = func;
    m.trapError = null;
    return false;
  }
  m.ensureFrame();
  m.framePc[m.depth] = -1;
  m.frameFp[m.depth] = base;
  m.frameFunc[m.depth] = null;
  m.depth++;
  m.w.fill(0, 2 * (base + compiled.zeroFrom), 2 * (base + compiled.numLocals));
  const refLocals = compiled.refLocals;
  for (let i = 0; i < refLocals.length; i++) m.refs[base + refLocals[i]!] = null;
  m.func = func;
  m.pc = 0;
  m.fp = base;
  m.pendingEntry = -1;
  const profiler = m.profiler;
  if (profiler !== null) profiler.enter(func.profileName, func.index, m.fuelBase - m.fuel);
  return true;
}

/**
 * Calls `func` (Wasm or host) with its arguments in slots `base`..; on Done its
 * results are in slots `base`.. . On OutOfFuel or HostSuspend in a Wasm function
 * the run can continue with `run(m, entryDepth)` where entryDepth is `m.depth`
 * before this call; HostSuspend of a host `func` itself leaves no frames.
 */
export function invoke(m: Machine, func: FunctionInstance, base: number): Status {
  m.trapError = null;
  if (func.compiled !== null && m.compiledEntry !== null) return m.compiledEntry(m, func, base);
  return invokeInterpreted(m, func, base);
}

/** `invoke` on the interpreter, whatever the machine's tier. */
export function invokeInterpreted(m: Machine, func: FunctionInstance, base: number): Status {
  m.trapError = null;
  if (func.compiled === null) {
    const { params, results } = func.funcType;
    const outcome = callHost(m, func, base, m.defaultCaller, base + Math.max(params.length, results.length));
    if (outcome !== HostCall.Suspended) return outcome === HostCall.Ok ? Status.Done : Status.Trap;
    m.suspendedHost = func;
    m.suspendedSlot = base;
    return Status.HostSuspend;
  }
  const entryDepth = m.depth;
  if (!enterFunction(m, func, base)) return Status.Trap;
  return run(m, entryDepth);
}

/** Drops the frames of a stopped run that will not be resumed (the profiler sees them exit). */
export function abandon(m: Machine, entryDepth: number): void {
  m.removeStop();
  exitFrames(m, m.depth, entryDepth);
  m.depth = entryDepth;
  m.pendingEntry = -1;
}

/** Tells the profiler that the frames above `entryDepth` up to `depth` exit. */
function exitFrames(m: Machine, depth: number, entryDepth: number): void {
  const profiler = m.profiler;
  if (profiler === null) return;
  for (let d = depth; d > entryDepth; d--) profiler.exit(m.fuelBase - m.fuel);
}

/**
 * Ends a run with a trap at `pc` in `func` (frames up to `depth`): refunds the
 * rest of the segment (fuel property 4), removes any FuelStop and unwinds.
 */
function unwind(m: Machine, func: FunctionInstance, pc: number, depth: number, entryDepth: number, trap: TrapCode): Status {
  const compiled = func.compiled!;
  const trace = compiled.fuelTrace;
  if (trace !== undefined) refundAfterTrap(m, compiled.code, trace, pc);
  else m.removeStop();
  exitFrames(m, depth, entryDepth);
  m.trap = trap;
  m.trapFunc = func;
  m.pendingEntry = -1;
  m.depth = entryDepth;
  return Status.Trap;
}

/**
 * A stopped run whose host call failed (a suspended host promise rejected, its results did not fit, or a
 * compiled frame's host call threw): a trap at the call, or, for a Wasm exception, a throw there.
 */
export function failSuspended(m: Machine, entryDepth: number, error: RuntimeError): Status {
  m.trapError = error;
  if (error instanceof WasmException && raise(m, error.exception, m.func!, m.pc, m.fp, m.depth, entryDepth)) return run(m, entryDepth);
  return unwind(m, m.func!, m.pc, m.depth, entryDepth, error.trap);
}

/** Whether the store's interrupt check (polled when the countdown runs out) asks to stop. */
function interruptRequested(m: Machine): boolean {
  if (m.interruptSeen) {
    m.interruptSeen = false;
    return true;
  }
  const check = m.interruptCheck;
  return check !== null && check();
}

/** Most fuel the interpreter loop holds in its small-integer counter (2^30 - 1, a V8 small integer). */
const FUEL_CHUNK = 0x3fffffff;

/** The part of `total` fuel the loop's counter holds; the rest is its reserve. */
function fuelChunk(total: number): number {
  return (total > FUEL_CHUNK ? FUEL_CHUNK : total) | 0;
}

/** `runSlice` ran its share: the state is saved in `m` as for a stop, and the run continues with another slice. */
const SLICE_END = -1;

/**
 * Runs from the state saved in `m` (a fresh entry frame or a stopped run)
 * until the frame at `entryDepth` returns, a trap, or fuel runs out.
 */
export function run(m: Machine, entryDepth: number): Status {
  for (;;) {
    const status = runSlice(m, entryDepth);
    if (status !== SLICE_END) return status;
  }
}

/**
 * The interpreter loop. It returns SLICE_END whenever the interrupt countdown
 * runs out without an interrupt: a long run that never left this function
 * would keep executing V8's on-stack-replacement code for it, which is slower
 * than its regular optimized code and is never replaced while the loop runs.
 */
function runSlice(m: Machine, entryDepth: number): Status | typeof SLICE_END {
  let func = m.func!;
  let code = func.compiled!.code;
  let pc = m.pc;
  let fp = m.fp;
  let depth = m.depth;
  let ctx = func.ctx!;
  let funcs = ctx.funcs;
  let globals = ctx.globals;
  let tables = ctx.tables;
  let mem = ctx.memory ?? NO_MEMORY;
  let mv = mem.view;
  let memLen = mv.byteLength;
  let w = m.w;
  let f32 = m.f32;
  let f64 = m.f64;
  const refs = m.refs;
  let capacity = m.capacity;
  let framePc = m.framePc;
  let frameFp = m.frameFp;
  const frameFunc = m.frameFunc;
  const frameCode = m.frameCode;
  const maxDepth = m.maxCallDepth;
  const metered = m.metered;
  const profiler = m.profiler;
  let countdown = m.countdown;
  m.trapError = null;

  if (m.pendingEntry >= 0) {
    // Resuming a stopped segment: pay what is left of it first.
    const entry = m.pendingEntry;
    m.pendingEntry = -1;
    if (!chargeEntries(m, code, func.compiled!.fuelTrace!, entry, pc)) return Status.OutOfFuel;
  }
  // The fuel left is `fuel + fuelReserve`, with `fuel` at most FUEL_CHUNK: a small
  // integer, which V8 keeps in an int32 register, so a charge needs no conversion to
  // double. Every slow path works on the total and splits it again.
  let fuel = fuelChunk(m.fuel);
  let fuelReserve = m.fuel - fuel;

  let trap: TrapCode = 'unreachable';
  /** Set when the loop is left because a dynamic fuel charge cannot be paid. */
  let fuelStop = false;
  /** Where a taken branch goes (see the end of the loop). */
  let jump = 0;
  /** The exception being thrown (see after the switch). */
  let thrown: ExceptionInstance | null = null;

  loop: for (;;) {
    branch: {
      fallthrough: {
        unwinding: {
        switch (code[pc]) {
          // ---------------------------------------------------------------- moves and constants
          case Op.Copy: {
            const d = (fp + code[pc + 1]!) << 1;
            const s = (fp + code[pc + 2]!) << 1;
            w[d] = w[s]!;
            w[d + 1] = w[s + 1]!;
            pc += 3;
            break;
          }
          case Op.CopyThenFuel: {
            const d = (fp + code[pc + 1]!) << 1;
            const s = (fp + code[pc + 2]!) << 1;
            w[d] = w[s]!;
            w[d + 1] = w[s + 1]!;
            pc += 3;
            // Not enough fuel: the Fuel op's own dispatch takes its slow path.
            if (code[pc] === Op.Fuel && fuel >= code[pc + 1]!) {
              fuel -= code[pc + 1]!;
              pc += 3;
            }
            break;
          }
          case Op.Const32ThenFuel:
            w[(fp + code[pc + 1]!) << 1] = code[pc + 2]!;
            pc += 3;
            if (code[pc] === Op.Fuel && fuel >= code[pc + 1]!) {
              fuel -= code[pc + 1]!;
              pc += 3;
            }
            break;
          case Op.CopyRef:
            refs[fp + code[pc + 1]!] = refs[fp + code[pc + 2]!];
            pc += 3;
            break;
          case Op.Const32:
            w[(fp + code[pc + 1]!) << 1] = code[pc + 2]!;
            pc += 3;
            break;
          case Op.Const64: {
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = code[pc + 2]!;
            w[d + 1] = code[pc + 3]!;
            pc += 4;
            break;
          }
          case Op.RefNull:
            refs[fp + code[pc + 1]!] = null;
            pc += 2;
            break;
          case Op.RefFunc:
            refs[fp + code[pc + 1]!] = funcs[code[pc + 2]!];
            pc += 3;
            break;
          case Op.RefIsNull:
            w[(fp + code[pc + 1]!) << 1] = refs[fp + code[pc + 2]!] === null ? 1 : 0;
            pc += 3;
            break;
          case Op.Select: {
            const d = (fp + code[pc + 1]!) << 1;
            const s = (fp + (w[(fp + code[pc + 2]!) << 1] !== 0 ? code[pc + 3]! : code[pc + 4]!)) << 1;
            w[d] = w[s]!;
            w[d + 1] = w[s + 1]!;
            pc += 5;
            break;
          }
          case Op.SelectRef:
            refs[fp + code[pc + 1]!] = refs[fp + (w[(fp + code[pc + 2]!) << 1] !== 0 ? code[pc + 3]! : code[pc + 4]!)];
            pc += 5;
            break;

          // ---------------------------------------------------------------- control
          case Op.Unreachable:
            trap = 'unreachable';
            break loop;
          case Op.Br:
            jump = code[pc + 1]!;
            break branch;
          case Op.BrIfNez:
            if (w[(fp + code[pc + 1]!) << 1] !== 0) {
              jump = code[pc + 2]!;
              break branch;
            }
            pc += 3;
            break fallthrough;
          case Op.BrIfEqz:
            if (w[(fp + code[pc + 1]!) << 1] === 0) {
              jump = code[pc + 2]!;
              break branch;
            }
            pc += 3;
            break fallthrough;
          case Op.BrTable: {
            const index = w[(fp + code[pc + 1]!) << 1]! >>> 0;
            const count = code[pc + 2]!;
            jump = code[pc + 3 + (index < count ? index : count)]!;
            break branch;
          }
          case Op.Return: {
            if (profiler !== null) profiler.exit(m.fuelBase - fuel - fuelReserve);
            depth--;
            if (depth === entryDepth) {
              m.depth = depth;
              m.fuel = fuel + fuelReserve;
              m.countdown = countdown;
              // Only a lowering that meters dead code could leave a FuelStop unreached.
              if (m.stopCode !== null) m.removeStop();
              return Status.Done;
            }
            pc = framePc[depth]!;
            fp = frameFp[depth]!;
            const caller = frameFunc[depth]!;
            func = caller;
            code = frameCode[depth]!;
            if (caller.ctx !== ctx) {
              ctx = caller.ctx!;
              funcs = ctx.funcs;
              globals = ctx.globals;
              tables = ctx.tables;
              mem = ctx.memory ?? NO_MEMORY;
              mv = mem.view;
              memLen = mv.byteLength;
            }
            // The segment after a call starts with a Fuel op: charge it without a dispatch.
            if (code[pc] === Op.Fuel && fuel >= code[pc + 1]!) {
              fuel -= code[pc + 1]!;
              pc += 3;
            }
            break;
          }
          case Op.Call:
          case Op.CallIndirect: {
            if (--countdown === 0) {
              countdown = m.interruptInterval;
              if (interruptRequested(m)) {
                trap = 'interrupted';
                break loop;
              }
              // Nothing of the call happened yet: the next slice starts with it. It counts
              // down again there, so one more keeps it from polling twice (forever at interval 1).
              m.fuel = fuel + fuelReserve;
              m.countdown = countdown + 1;
              m.func = func;
              m.pc = pc;
              m.fp = fp;
              m.depth = depth;
              return SLICE_END;
            }
            let callee: FunctionInstance;
            let base: number;
            let next: number;
            if (code[pc] === Op.Call) {
              callee = funcs[code[pc + 1]!]!;
              base = code[pc + 2]!;
              next = pc + 3;
            } else {
              const elements = tables[code[pc + 1]!]!.elements;
              const index = w[(fp + code[pc + 3]!) << 1]! >>> 0;
              if (index >= elements.length) {
                trap = 'tableOutOfBounds';
                break loop;
              }
              const target = elements[index] as FunctionInstance | null;
              if (target === null) {
                trap = 'indirectCallToNull';
                break loop;
              }
              if (target.sigId !== code[pc + 2]) {
                trap = 'badSignature';
                break loop;
              }
              callee = target;
              base = code[pc + 4]!;
              next = pc + 5;
            }
            const target = callee.compiled;
            if (target === null) {
              // A host function: it may call back into Wasm above this frame, grow
              // memory, use fuel or grow the register file, so reload all of that.
              m.fuel = fuel + fuelReserve;
              m.countdown = countdown;
              m.depth = depth;
              m.func = func;
              m.pc = pc;
              m.fp = fp;
              const outcome = callHost(m, callee, fp + base, ctx.caller, fp + func.compiled!.frameSize);
              fuel = fuelChunk(m.fuel);
              fuelReserve = m.fuel - fuel;
              countdown = m.countdown;
              w = m.w;
              f32 = m.f32;
              f64 = m.f64;
              capacity = m.capacity;
              framePc = m.framePc;
              frameFp = m.frameFp;
              mv = mem.view;
              memLen = mv.byteLength;
              if (outcome !== HostCall.Ok) {
                if (outcome === HostCall.Suspended) {
                  // Stopped at the call: m.pc and the rest were saved above.
                  m.suspendedHost = callee;
                  m.suspendedSlot = fp + base;
                  m.suspendedNext = next;
                  return Status.HostSuspend;
                }
                const failure = m.trapError!;
                if (failure instanceof WasmException) {
                  // The host function threw a Wasm exception (or let one from a nested call pass): it continues here.
                  thrown = failure.exception;
                  break unwinding;
                }
                trap = failure.trap;
                break loop;
              }
              pc = next;
              break;
            }
            if (depth >= maxDepth) {
              trap = 'callStackExhausted';
              break loop;
            }
            if (fp + base + target.frameSize > capacity) {
              // Also the path of every first call to a body not lowered yet (ir.ts).
              ensureLowered(target);
              if (!m.ensureSlots(fp + base + target.frameSize)) {
                trap = 'callStackExhausted';
                break loop;
              }
              w = m.w;
              f32 = m.f32;
              f64 = m.f64;
              capacity = m.capacity;
            }
            if (depth >= framePc.length) {
              m.depth = depth;
              m.ensureFrame();
              framePc = m.framePc;
              frameFp = m.frameFp;
            }
            framePc[depth] = next;
            frameFp[depth] = fp;
            frameFunc[depth] = func;
            frameCode[depth] = code;
            depth++;
            fp += base;
            for (let i = (fp + target.zeroFrom) << 1, end = (fp + target.numLocals) << 1; i < end; i++) w[i] = 0;
            const refLocals = target.refLocals;
            for (let i = 0; i < refLocals.length; i++) refs[fp + refLocals[i]!] = null;
            func = callee;
            code = target.code;
            pc = 0;
            if (profiler !== null) profiler.enter(callee.profileName, callee.index, m.fuelBase - fuel - fuelReserve);
            // The entry segment's Fuel op, charged without a dispatch (as after a taken branch).
            if (code[0] === Op.Fuel && fuel >= code[1]!) {
              fuel -= code[1]!;
              pc = 3;
            }
            if (callee.ctx !== ctx) {
              ctx = callee.ctx!;
              funcs = ctx.funcs;
              globals = ctx.globals;
              tables = ctx.tables;
              mem = ctx.memory ?? NO_MEMORY;
              mv = mem.view;
              memLen = mv.byteLength;
            }
            break;
          }
          case Op.ReturnCall:
          case Op.ReturnCallIndirect: {
            if (--countdown === 0) {
              countdown = m.interruptInterval;
              if (interruptRequested(m)) {
                trap = 'interrupted';
                break loop;
              }
              // As for Op.Call: it is re-executed and counts down again.
              m.fuel = fuel + fuelReserve;
              m.countdown = countdown + 1;
              m.func = func;
              m.pc = pc;
              m.fp = fp;
              m.depth = depth;
              return SLICE_END;
            }
            let callee: FunctionInstance;
            let base: number;
            let next: number;
            if (code[pc] === Op.ReturnCall) {
              callee = funcs[code[pc + 1]!]!;
              base = code[pc + 2]!;
              next = pc + 3;
            } else {
              const found = indirectCallee(tables[code[pc + 1]!]!, w[(fp + code[pc + 3]!) << 1]! >>> 0, code[pc + 2]!);
              if (typeof found === 'string') {
                trap = found;
                break loop;
              }
              callee = found;
              base = code[pc + 4]!;
              next = pc + 5;
            }
            if (callee.compiled === null) {
              // A host function: the Call after this op calls it, then the frame returns its results (ir.ts).
              pc = next;
              break;
            }
            if (!reuseFrame(m, callee, fp, base)) {
              trap = 'callStackExhausted';
              break loop;
            }
            w = m.w;
            f32 = m.f32;
            f64 = m.f64;
            capacity = m.capacity;
            if (profiler !== null) {
              profiler.exit(m.fuelBase - fuel - fuelReserve);
              profiler.enter(callee.profileName, callee.index, m.fuelBase - fuel - fuelReserve);
            }
            func = callee;
            code = callee.compiled.code;
            pc = 0;
            if (code[0] === Op.Fuel && fuel >= code[1]!) {
              fuel -= code[1]!;
              pc = 3;
            }
            if (callee.ctx !== ctx) {
              ctx = callee.ctx!;
              funcs = ctx.funcs;
              globals = ctx.globals;
              tables = ctx.tables;
              mem = ctx.memory ?? NO_MEMORY;
              mv = mem.view;
              memLen = mv.byteLength;
            }
            break;
          }
          case Op.Fuel: {
            const cost = code[pc + 1]!;
            if (fuel >= cost) {
              fuel -= cost;
              pc += 3;
              break;
            }
            m.fuel = fuel + fuelReserve;
            if (!chargeEntries(m, code, func.compiled!.fuelTrace!, code[pc + 2]! + 1, pc + 3)) {
              m.func = func;
              m.fp = fp;
              m.depth = depth;
              m.countdown = countdown;
              return Status.OutOfFuel;
            }
            fuel = fuelChunk(m.fuel);
            fuelReserve = m.fuel - fuel;
            pc += 3;
            break;
          }
          case Op.FuelStop:
            code[pc] = m.stopOp;
            m.stopCode = null;
            m.pendingEntry = m.stopEntry;
            m.fuel = fuel + fuelReserve;
            m.func = func;
            m.pc = pc;
            m.fp = fp;
            m.depth = depth;
            m.countdown = countdown;
            return Status.OutOfFuel;

          // fused i32 compare + branch
          case Op.BrIfI32Eq:
            if (w[(fp + code[pc + 1]!) << 1] === w[(fp + code[pc + 2]!) << 1]) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32Ne:
            if (w[(fp + code[pc + 1]!) << 1] !== w[(fp + code[pc + 2]!) << 1]) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32LtS:
            if (w[(fp + code[pc + 1]!) << 1]! < w[(fp + code[pc + 2]!) << 1]!) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32LtU:
            if (w[(fp + code[pc + 1]!) << 1]! >>> 0 < w[(fp + code[pc + 2]!) << 1]! >>> 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32GtS:
            if (w[(fp + code[pc + 1]!) << 1]! > w[(fp + code[pc + 2]!) << 1]!) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32GtU:
            if (w[(fp + code[pc + 1]!) << 1]! >>> 0 > w[(fp + code[pc + 2]!) << 1]! >>> 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32LeS:
            if (w[(fp + code[pc + 1]!) << 1]! <= w[(fp + code[pc + 2]!) << 1]!) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32LeU:
            if (w[(fp + code[pc + 1]!) << 1]! >>> 0 <= w[(fp + code[pc + 2]!) << 1]! >>> 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32GeS:
            if (w[(fp + code[pc + 1]!) << 1]! >= w[(fp + code[pc + 2]!) << 1]!) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32GeU:
            if (w[(fp + code[pc + 1]!) << 1]! >>> 0 >= w[(fp + code[pc + 2]!) << 1]! >>> 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfAndImmNez:
            if ((w[(fp + code[pc + 1]!) << 1]! & code[pc + 2]!) !== 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfAndImmEqz:
            if ((w[(fp + code[pc + 1]!) << 1]! & code[pc + 2]!) === 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32EqImm:
            if (w[(fp + code[pc + 1]!) << 1] === code[pc + 2]) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32NeImm:
            if (w[(fp + code[pc + 1]!) << 1] !== code[pc + 2]) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32LtSImm:
            if (w[(fp + code[pc + 1]!) << 1]! < code[pc + 2]!) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32LtUImm:
            if (w[(fp + code[pc + 1]!) << 1]! >>> 0 < code[pc + 2]! >>> 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32GtSImm:
            if (w[(fp + code[pc + 1]!) << 1]! > code[pc + 2]!) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32GtUImm:
            if (w[(fp + code[pc + 1]!) << 1]! >>> 0 > code[pc + 2]! >>> 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32LeSImm:
            if (w[(fp + code[pc + 1]!) << 1]! <= code[pc + 2]!) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32LeUImm:
            if (w[(fp + code[pc + 1]!) << 1]! >>> 0 <= code[pc + 2]! >>> 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32GeSImm:
            if (w[(fp + code[pc + 1]!) << 1]! >= code[pc + 2]!) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;
          case Op.BrIfI32GeUImm:
            if (w[(fp + code[pc + 1]!) << 1]! >>> 0 >= code[pc + 2]! >>> 0) {
              jump = code[pc + 3]!;
              break branch;
            }
            pc += 4;
            break fallthrough;

          // ---------------------------------------------------------------- globals
          case Op.GlobalGet: {
            const d = (fp + code[pc + 1]!) << 1;
            const bits = globals[code[pc + 2]!]!.words;
            w[d] = bits[0]!;
            w[d + 1] = bits[1]!;
            pc += 3;
            break;
          }
          case Op.GlobalSet: {
            const s = (fp + code[pc + 2]!) << 1;
            const bits = globals[code[pc + 1]!]!.words;
            bits[0] = w[s]!;
            bits[1] = w[s + 1]!;
            pc += 3;
            break;
          }
          case Op.GlobalGetAddImm:
            w[(fp + code[pc + 1]!) << 1] = (globals[code[pc + 2]!]!.words[0]! + code[pc + 3]!) | 0;
            pc += 4;
            break;
          case Op.I32AddImmGlobalSet: {
            const value = (w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) | 0;
            w[(fp + code[pc + 1]!) << 1] = value;
            globals[code[pc + 4]!]!.words[0] = value;
            pc += 5;
            break;
          }
          case Op.GlobalAddImm: {
            const bits = globals[code[pc + 2]!]!.words;
            const value = (bits[0]! + code[pc + 3]!) | 0;
            bits[0] = value;
            w[(fp + code[pc + 1]!) << 1] = value;
            pc += 4;
            break;
          }
          case Op.GlobalGetRef:
            refs[fp + code[pc + 1]!] = globals[code[pc + 2]!]!.ref;
            pc += 3;
            break;
          case Op.GlobalSetRef:
            globals[code[pc + 1]!]!.ref = refs[fp + code[pc + 2]!];
            pc += 3;
            break;

          // ---------------------------------------------------------------- memory
          // ea is a double: u32(address + addend) + (u32 offset) never wraps.
          case Op.I32Load: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = mv.getInt32(ea, true);
            pc += 5;
            break;
          }
          case Op.F32Load: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = mv.getInt32(ea, true);
            pc += 5;
            break;
          }
          case Op.I64Load: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = mv.getInt32(ea, true);
            w[d + 1] = mv.getInt32(ea + 4, true);
            pc += 5;
            break;
          }
          case Op.F64Load: {
            // One 64-bit move: f64 ops that read the register next would stall on forwarding from two
            // 32-bit stores. A NaN goes as words: engines that NaN-box JS values (QuickJS, JSC,
            // SpiderMonkey) canonicalise a NaN read as a double, losing the payload Wasm must keep.
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const value = mv.getFloat64(ea, true);
            if (value === value) {
              f64[fp + code[pc + 1]!] = value;
            } else {
              const d = (fp + code[pc + 1]!) << 1;
              w[d] = mv.getInt32(ea, true);
              w[d + 1] = mv.getInt32(ea + 4, true);
            }
            pc += 5;
            break;
          }
          case Op.I32Load8S: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 1 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = mv.getInt8(ea);
            pc += 5;
            break;
          }
          case Op.I32Load8U: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 1 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = mv.getUint8(ea);
            pc += 5;
            break;
          }
          case Op.I32Load16S: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 2 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = mv.getInt16(ea, true);
            pc += 5;
            break;
          }
          case Op.I32Load16U: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 2 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = mv.getUint16(ea, true);
            pc += 5;
            break;
          }
          case Op.I64Load8S: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 1 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const d = (fp + code[pc + 1]!) << 1;
            const value = mv.getInt8(ea);
            w[d] = value;
            w[d + 1] = value >> 31;
            pc += 5;
            break;
          }
          case Op.I64Load8U: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 1 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = mv.getUint8(ea);
            w[d + 1] = 0;
            pc += 5;
            break;
          }
          case Op.I64Load16S: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 2 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const d = (fp + code[pc + 1]!) << 1;
            const value = mv.getInt16(ea, true);
            w[d] = value;
            w[d + 1] = value >> 31;
            pc += 5;
            break;
          }
          case Op.I64Load16U: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 2 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = mv.getUint16(ea, true);
            w[d + 1] = 0;
            pc += 5;
            break;
          }
          case Op.I64Load32S: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const d = (fp + code[pc + 1]!) << 1;
            const value = mv.getInt32(ea, true);
            w[d] = value;
            w[d + 1] = value >> 31;
            pc += 5;
            break;
          }
          case Op.I64Load32U: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = mv.getInt32(ea, true);
            w[d + 1] = 0;
            pc += 5;
            break;
          }
          case Op.I32Store:
          case Op.F32Store:
          case Op.I64Store32: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            mv.setInt32(ea, w[(fp + code[pc + 4]!) << 1]!, true);
            pc += 5;
            break;
          }
          case Op.F64Store: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const value = f64[fp + code[pc + 4]!]!;
            if (value === value) {
              mv.setFloat64(ea, value, true);
            } else {
              // As in F64Load: a NaN's payload survives only as words.
              const s = (fp + code[pc + 4]!) << 1;
              mv.setInt32(ea, w[s]!, true);
              mv.setInt32(ea + 4, w[s + 1]!, true);
            }
            pc += 5;
            break;
          }
          case Op.I64Store: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const s = (fp + code[pc + 4]!) << 1;
            mv.setInt32(ea, w[s]!, true);
            mv.setInt32(ea + 4, w[s + 1]!, true);
            pc += 5;
            break;
          }
          case Op.I32StoreImm: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            mv.setInt32(ea, code[pc + 4]!, true);
            pc += 5;
            break;
          }
          case Op.I32Store8Imm: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 1 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            mv.setInt8(ea, code[pc + 4]!);
            pc += 5;
            break;
          }
          case Op.I32Store16Imm: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 2 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            mv.setInt16(ea, code[pc + 4]!, true);
            pc += 5;
            break;
          }
          case Op.I64StoreImm: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            mv.setInt32(ea, code[pc + 4]!, true);
            mv.setInt32(ea + 4, code[pc + 5]!, true);
            pc += 6;
            break;
          }
          case Op.I32Store8:
          case Op.I64Store8: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 1 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            mv.setInt8(ea, w[(fp + code[pc + 4]!) << 1]!);
            pc += 5;
            break;
          }
          case Op.I32Store16:
          case Op.I64Store16: {
            const ea = ((w[(fp + code[pc + 1]!) << 1]! + code[pc + 2]!) >>> 0) + (code[pc + 3]! >>> 0);
            if (ea + 2 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            mv.setInt16(ea, w[(fp + code[pc + 4]!) << 1]!, true);
            pc += 5;
            break;
          }
          case Op.MemorySize:
            w[(fp + code[pc + 1]!) << 1] = mem.pages;
            pc += 2;
            break;
          case Op.MemoryGrow: {
            const d = (fp + code[pc + 1]!) << 1;
            const delta = w[(fp + code[pc + 2]!) << 1]! >>> 0;
            if (!mem.canGrow(delta)) {
              if (mem.limits.onGrowFailure === 'trap' && mem.exceedsStoreLimit(delta)) {
                trap = 'resourceLimitExceeded';
                break loop;
              }
              w[d] = -1;
              pc += 3;
              break;
            }
            const extra = metered ? delta * m.fuelCosts.fuelPerPage : 0;
            if (extra > fuel + fuelReserve) {
              fuelStop = true;
              break loop;
            }
            const old = mem.growPages(delta);
            if (old >= 0 && extra > 0) {
              const left = fuel + fuelReserve - extra;
              fuel = fuelChunk(left);
              fuelReserve = left - fuel;
            }
            w[d] = old;
            mv = mem.view;
            memLen = mv.byteLength;
            pc += 3;
            break;
          }
          case Op.MemoryFill: {
            const dst = w[(fp + code[pc + 1]!) << 1]! >>> 0;
            const value = w[(fp + code[pc + 2]!) << 1]!;
            const len = w[(fp + code[pc + 3]!) << 1]! >>> 0;
            if (dst + len > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            if (metered) {
              const extra = Math.floor(len / m.fuelCosts.bytesPerFuel);
              if (extra > fuel + fuelReserve) {
                fuelStop = true;
                break loop;
              }
              const left = fuel + fuelReserve - extra;
              fuel = fuelChunk(left);
              fuelReserve = left - fuel;
            }
            mem.bytes.fill(value, dst, dst + len);
            pc += 4;
            break;
          }
          case Op.MemoryCopy: {
            const dst = w[(fp + code[pc + 1]!) << 1]! >>> 0;
            const src = w[(fp + code[pc + 2]!) << 1]! >>> 0;
            const len = w[(fp + code[pc + 3]!) << 1]! >>> 0;
            if (dst + len > memLen || src + len > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            if (metered) {
              const extra = Math.floor(len / m.fuelCosts.bytesPerFuel);
              if (extra > fuel + fuelReserve) {
                fuelStop = true;
                break loop;
              }
              const left = fuel + fuelReserve - extra;
              fuel = fuelChunk(left);
              fuelReserve = left - fuel;
            }
            mem.bytes.copyWithin(dst, src, src + len);
            pc += 4;
            break;
          }
          case Op.MemoryInit: {
            const data = ctx.datas[code[pc + 1]!]!;
            const dst = w[(fp + code[pc + 2]!) << 1]! >>> 0;
            const src = w[(fp + code[pc + 3]!) << 1]! >>> 0;
            const len = w[(fp + code[pc + 4]!) << 1]! >>> 0;
            if (dst + len > memLen || src + len > data.length) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            if (metered) {
              const extra = Math.floor(len / m.fuelCosts.bytesPerFuel);
              if (extra > fuel + fuelReserve) {
                fuelStop = true;
                break loop;
              }
              const left = fuel + fuelReserve - extra;
              fuel = fuelChunk(left);
              fuelReserve = left - fuel;
            }
            mem.bytes.set(data.subarray(src, src + len), dst);
            pc += 5;
            break;
          }
          case Op.DataDrop:
            ctx.datas[code[pc + 1]!] = NO_BYTES;
            pc += 2;
            break;

          // ---------------------------------------------------------------- other and 64-bit memories (memory-ops.ts)
          case Op.I32LoadM: case Op.I64LoadM: case Op.F32LoadM: case Op.F64LoadM:
          case Op.I32Load8SM: case Op.I32Load8UM: case Op.I32Load16SM: case Op.I32Load16UM:
          case Op.I64Load8SM: case Op.I64Load8UM: case Op.I64Load16SM: case Op.I64Load16UM: case Op.I64Load32SM: case Op.I64Load32UM:
          case Op.I32StoreM: case Op.I64StoreM: case Op.F32StoreM: case Op.F64StoreM: case Op.I32Store8M: case Op.I32Store16M:
          case Op.I64Store8M: case Op.I64Store16M: case Op.I64Store32M:
          case Op.MemorySizeM: case Op.MemoryGrowM: case Op.MemoryFillM: case Op.MemoryCopyM: case Op.MemoryInitM: {
            m.fuel = fuel + fuelReserve;
            const next = memoryOp(m, ctx, code, pc, fp);
            fuel = fuelChunk(m.fuel);
            fuelReserve = m.fuel - fuel;
            // memory.grow may have replaced memory 0's buffer (a 64-bit memory 0).
            mv = mem.view;
            memLen = mv.byteLength;
            if (next < 0) {
              if (next === MEMORY_FUEL_STOP) fuelStop = true;
              else trap = m.trap;
              break loop;
            }
            pc = next;
            break;
          }

          // ---------------------------------------------------------------- tables
          case Op.I64ToTableIndex: {
            const s = (fp + code[pc + 2]!) << 1;
            w[(fp + code[pc + 1]!) << 1] = w[s + 1] === 0 ? w[s]! : -1;
            pc += 3;
            break;
          }
          case Op.TableGet: {
            const elements = tables[code[pc + 2]!]!.elements;
            const index = w[(fp + code[pc + 3]!) << 1]! >>> 0;
            if (index >= elements.length) {
              trap = 'tableOutOfBounds';
              break loop;
            }
            refs[fp + code[pc + 1]!] = elements[index];
            pc += 4;
            break;
          }
          case Op.TableSet: {
            const elements = tables[code[pc + 1]!]!.elements;
            const index = w[(fp + code[pc + 2]!) << 1]! >>> 0;
            if (index >= elements.length) {
              trap = 'tableOutOfBounds';
              break loop;
            }
            elements[index] = refs[fp + code[pc + 3]!];
            pc += 4;
            break;
          }
          case Op.TableSize:
            w[(fp + code[pc + 1]!) << 1] = tables[code[pc + 2]!]!.elements.length;
            pc += 3;
            break;
          case Op.TableGrow: {
            const table = tables[code[pc + 2]!]!;
            const d = (fp + code[pc + 1]!) << 1;
            const delta = w[(fp + code[pc + 4]!) << 1]! >>> 0;
            if (!table.canGrow(delta)) {
              if (table.limits.onGrowFailure === 'trap' && table.exceedsStoreLimit(delta)) {
                trap = 'resourceLimitExceeded';
                break loop;
              }
              w[d] = -1;
              pc += 5;
              break;
            }
            if (metered) {
              const extra = Math.floor(delta / m.fuelCosts.elementsPerFuel);
              if (extra > fuel + fuelReserve) {
                fuelStop = true;
                break loop;
              }
              const left = fuel + fuelReserve - extra;
              fuel = fuelChunk(left);
              fuelReserve = left - fuel;
            }
            w[d] = table.growElements(delta, refs[fp + code[pc + 3]!]);
            pc += 5;
            break;
          }
          case Op.TableFill: {
            const elements = tables[code[pc + 1]!]!.elements;
            const index = w[(fp + code[pc + 2]!) << 1]! >>> 0;
            const len = w[(fp + code[pc + 4]!) << 1]! >>> 0;
            if (index + len > elements.length) {
              trap = 'tableOutOfBounds';
              break loop;
            }
            if (metered) {
              const extra = Math.floor(len / m.fuelCosts.elementsPerFuel);
              if (extra > fuel + fuelReserve) {
                fuelStop = true;
                break loop;
              }
              const left = fuel + fuelReserve - extra;
              fuel = fuelChunk(left);
              fuelReserve = left - fuel;
            }
            elements.fill(refs[fp + code[pc + 3]!], index, index + len);
            pc += 5;
            break;
          }
          case Op.TableCopy: {
            const dstElements = tables[code[pc + 1]!]!.elements;
            const srcElements = tables[code[pc + 2]!]!.elements;
            const dst = w[(fp + code[pc + 3]!) << 1]! >>> 0;
            const src = w[(fp + code[pc + 4]!) << 1]! >>> 0;
            const len = w[(fp + code[pc + 5]!) << 1]! >>> 0;
            if (dst + len > dstElements.length || src + len > srcElements.length) {
              trap = 'tableOutOfBounds';
              break loop;
            }
            if (metered) {
              const extra = Math.floor(len / m.fuelCosts.elementsPerFuel);
              if (extra > fuel + fuelReserve) {
                fuelStop = true;
                break loop;
              }
              const left = fuel + fuelReserve - extra;
              fuel = fuelChunk(left);
              fuelReserve = left - fuel;
            }
            if (dstElements === srcElements) dstElements.copyWithin(dst, src, src + len);
            else for (let i = 0; i < len; i++) dstElements[dst + i] = srcElements[src + i];
            pc += 6;
            break;
          }
          case Op.TableInit: {
            const elements = tables[code[pc + 1]!]!.elements;
            const segment = ctx.elems[code[pc + 2]!]!;
            const dst = w[(fp + code[pc + 3]!) << 1]! >>> 0;
            const src = w[(fp + code[pc + 4]!) << 1]! >>> 0;
            const len = w[(fp + code[pc + 5]!) << 1]! >>> 0;
            if (dst + len > elements.length || src + len > segment.length) {
              trap = 'tableOutOfBounds';
              break loop;
            }
            if (metered) {
              const extra = Math.floor(len / m.fuelCosts.elementsPerFuel);
              if (extra > fuel + fuelReserve) {
                fuelStop = true;
                break loop;
              }
              const left = fuel + fuelReserve - extra;
              fuel = fuelChunk(left);
              fuelReserve = left - fuel;
            }
            for (let i = 0; i < len; i++) elements[dst + i] = segment[src + i];
            pc += 6;
            break;
          }
          case Op.ElemDrop:
            ctx.elems[code[pc + 1]!] = NO_ELEMENTS;
            pc += 2;
            break;

          // ---------------------------------------------------------------- i32 comparisons
          case Op.I32Eqz:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1] === 0 ? 1 : 0;
            pc += 3;
            break;
          case Op.I32Eq:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1] === w[(fp + code[pc + 3]!) << 1] ? 1 : 0;
            pc += 4;
            break;
          case Op.I32Ne:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1] !== w[(fp + code[pc + 3]!) << 1] ? 1 : 0;
            pc += 4;
            break;
          case Op.I32LtS:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! < w[(fp + code[pc + 3]!) << 1]! ? 1 : 0;
            pc += 4;
            break;
          case Op.I32LtU:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0 < w[(fp + code[pc + 3]!) << 1]! >>> 0 ? 1 : 0;
            pc += 4;
            break;
          case Op.I32GtS:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! > w[(fp + code[pc + 3]!) << 1]! ? 1 : 0;
            pc += 4;
            break;
          case Op.I32GtU:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0 > w[(fp + code[pc + 3]!) << 1]! >>> 0 ? 1 : 0;
            pc += 4;
            break;
          case Op.I32LeS:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! <= w[(fp + code[pc + 3]!) << 1]! ? 1 : 0;
            pc += 4;
            break;
          case Op.I32LeU:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0 <= w[(fp + code[pc + 3]!) << 1]! >>> 0 ? 1 : 0;
            pc += 4;
            break;
          case Op.I32GeS:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >= w[(fp + code[pc + 3]!) << 1]! ? 1 : 0;
            pc += 4;
            break;
          case Op.I32GeU:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0 >= w[(fp + code[pc + 3]!) << 1]! >>> 0 ? 1 : 0;
            pc += 4;
            break;

          // ---------------------------------------------------------------- i64 comparisons
          case Op.I64Eqz: {
            const a = (fp + code[pc + 2]!) << 1;
            w[(fp + code[pc + 1]!) << 1] = (w[a]! | w[a + 1]!) === 0 ? 1 : 0;
            pc += 3;
            break;
          }
          case Op.I64Eq: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            w[(fp + code[pc + 1]!) << 1] = w[a] === w[b] && w[a + 1] === w[b + 1] ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64Ne: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            w[(fp + code[pc + 1]!) << 1] = w[a] !== w[b] || w[a + 1] !== w[b + 1] ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64LtS: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const ah = w[a + 1]!;
            const bh = w[b + 1]!;
            w[(fp + code[pc + 1]!) << 1] = ah < bh || (ah === bh && w[a]! >>> 0 < w[b]! >>> 0) ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64LtU: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const ah = w[a + 1]! >>> 0;
            const bh = w[b + 1]! >>> 0;
            w[(fp + code[pc + 1]!) << 1] = ah < bh || (ah === bh && w[a]! >>> 0 < w[b]! >>> 0) ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64GtS: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const ah = w[a + 1]!;
            const bh = w[b + 1]!;
            w[(fp + code[pc + 1]!) << 1] = ah > bh || (ah === bh && w[a]! >>> 0 > w[b]! >>> 0) ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64GtU: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const ah = w[a + 1]! >>> 0;
            const bh = w[b + 1]! >>> 0;
            w[(fp + code[pc + 1]!) << 1] = ah > bh || (ah === bh && w[a]! >>> 0 > w[b]! >>> 0) ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64LeS: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const ah = w[a + 1]!;
            const bh = w[b + 1]!;
            w[(fp + code[pc + 1]!) << 1] = ah < bh || (ah === bh && w[a]! >>> 0 <= w[b]! >>> 0) ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64LeU: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const ah = w[a + 1]! >>> 0;
            const bh = w[b + 1]! >>> 0;
            w[(fp + code[pc + 1]!) << 1] = ah < bh || (ah === bh && w[a]! >>> 0 <= w[b]! >>> 0) ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64GeS: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const ah = w[a + 1]!;
            const bh = w[b + 1]!;
            w[(fp + code[pc + 1]!) << 1] = ah > bh || (ah === bh && w[a]! >>> 0 >= w[b]! >>> 0) ? 1 : 0;
            pc += 4;
            break;
          }
          case Op.I64GeU: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const ah = w[a + 1]! >>> 0;
            const bh = w[b + 1]! >>> 0;
            w[(fp + code[pc + 1]!) << 1] = ah > bh || (ah === bh && w[a]! >>> 0 >= w[b]! >>> 0) ? 1 : 0;
            pc += 4;
            break;
          }

          // ---------------------------------------------------------------- float comparisons
          case Op.F32Eq:
            w[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1] === f32[(fp + code[pc + 3]!) << 1] ? 1 : 0;
            pc += 4;
            break;
          case Op.F32Ne:
            w[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1] !== f32[(fp + code[pc + 3]!) << 1] ? 1 : 0;
            pc += 4;
            break;
          case Op.F32Lt:
            w[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1]! < f32[(fp + code[pc + 3]!) << 1]! ? 1 : 0;
            pc += 4;
            break;
          case Op.F32Gt:
            w[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1]! > f32[(fp + code[pc + 3]!) << 1]! ? 1 : 0;
            pc += 4;
            break;
          case Op.F32Le:
            w[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1]! <= f32[(fp + code[pc + 3]!) << 1]! ? 1 : 0;
            pc += 4;
            break;
          case Op.F32Ge:
            w[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1]! >= f32[(fp + code[pc + 3]!) << 1]! ? 1 : 0;
            pc += 4;
            break;
          case Op.F64Eq:
            w[(fp + code[pc + 1]!) << 1] = f64[fp + code[pc + 2]!] === f64[fp + code[pc + 3]!] ? 1 : 0;
            pc += 4;
            break;
          case Op.F64Ne:
            w[(fp + code[pc + 1]!) << 1] = f64[fp + code[pc + 2]!] !== f64[fp + code[pc + 3]!] ? 1 : 0;
            pc += 4;
            break;
          case Op.F64Lt:
            w[(fp + code[pc + 1]!) << 1] = f64[fp + code[pc + 2]!]! < f64[fp + code[pc + 3]!]! ? 1 : 0;
            pc += 4;
            break;
          case Op.F64Gt:
            w[(fp + code[pc + 1]!) << 1] = f64[fp + code[pc + 2]!]! > f64[fp + code[pc + 3]!]! ? 1 : 0;
            pc += 4;
            break;
          case Op.F64Le:
            w[(fp + code[pc + 1]!) << 1] = f64[fp + code[pc + 2]!]! <= f64[fp + code[pc + 3]!]! ? 1 : 0;
            pc += 4;
            break;
          case Op.F64Ge:
            w[(fp + code[pc + 1]!) << 1] = f64[fp + code[pc + 2]!]! >= f64[fp + code[pc + 3]!]! ? 1 : 0;
            pc += 4;
            break;

          // ---------------------------------------------------------------- i32 arithmetic
          case Op.I32Clz:
            w[(fp + code[pc + 1]!) << 1] = Math.clz32(w[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.I32Ctz:
            w[(fp + code[pc + 1]!) << 1] = ctz32(w[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.I32Popcnt:
            w[(fp + code[pc + 1]!) << 1] = popcnt32(w[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.I32Add:
            w[(fp + code[pc + 1]!) << 1] = (w[(fp + code[pc + 2]!) << 1]! + w[(fp + code[pc + 3]!) << 1]!) | 0;
            pc += 4;
            break;
          case Op.I32Sub:
            w[(fp + code[pc + 1]!) << 1] = (w[(fp + code[pc + 2]!) << 1]! - w[(fp + code[pc + 3]!) << 1]!) | 0;
            pc += 4;
            break;
          case Op.I32Mul:
            w[(fp + code[pc + 1]!) << 1] = Math.imul(w[(fp + code[pc + 2]!) << 1]!, w[(fp + code[pc + 3]!) << 1]!);
            pc += 4;
            break;
          case Op.I32DivS: {
            const a = w[(fp + code[pc + 2]!) << 1]!;
            const b = w[(fp + code[pc + 3]!) << 1]!;
            if (b === 0) {
              trap = 'integerDivideByZero';
              break loop;
            }
            if (a === -2147483648 && b === -1) {
              trap = 'integerOverflow';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = (a / b) | 0;
            pc += 4;
            break;
          }
          case Op.I32DivU: {
            const b = w[(fp + code[pc + 3]!) << 1]! >>> 0;
            if (b === 0) {
              trap = 'integerDivideByZero';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = ((w[(fp + code[pc + 2]!) << 1]! >>> 0) / b) | 0;
            pc += 4;
            break;
          }
          case Op.I32RemS: {
            const b = w[(fp + code[pc + 3]!) << 1]!;
            if (b === 0) {
              trap = 'integerDivideByZero';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! % b | 0;
            pc += 4;
            break;
          }
          case Op.I32RemU: {
            const b = w[(fp + code[pc + 3]!) << 1]! >>> 0;
            if (b === 0) {
              trap = 'integerDivideByZero';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = (w[(fp + code[pc + 2]!) << 1]! >>> 0) % b | 0;
            pc += 4;
            break;
          }
          case Op.I32And:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! & w[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.I32Or:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! | w[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.I32Xor:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! ^ w[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.I32Shl:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! << w[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.I32ShrS:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >> w[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.I32ShrU:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> w[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.I32Rotl: {
            const a = w[(fp + code[pc + 2]!) << 1]!;
            const b = w[(fp + code[pc + 3]!) << 1]!;
            w[(fp + code[pc + 1]!) << 1] = (a << b) | (a >>> (32 - (b & 31)));
            pc += 4;
            break;
          }
          case Op.I32Rotr: {
            const a = w[(fp + code[pc + 2]!) << 1]!;
            const b = w[(fp + code[pc + 3]!) << 1]!;
            w[(fp + code[pc + 1]!) << 1] = (a >>> b) | (a << (32 - (b & 31)));
            pc += 4;
            break;
          }

          // ---------------------------------------------------------------- i64 arithmetic (32-bit halves)
          case Op.I64Clz:
            i64Clz(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1);
            pc += 3;
            break;
          case Op.I64Ctz:
            i64Ctz(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1);
            pc += 3;
            break;
          case Op.I64Popcnt:
            i64Popcnt(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1);
            pc += 3;
            break;
          case Op.I64Add: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const al = w[a]!;
            const bl = w[b]!;
            const lo = (al + bl) | 0;
            // Carry and borrow come from bit logic, not a comparison: V8 would branch on it, and on hashing data it mispredicts.
            const hi = (w[a + 1]! + w[b + 1]! + (((al & bl) | ((al | bl) & ~lo)) >>> 31)) | 0;
            w[d] = lo;
            w[d + 1] = hi;
            pc += 4;
            break;
          }
          case Op.I64Sub: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const al = w[a]!;
            const bl = w[b]!;
            const lo = (al - bl) | 0;
            const hi = (w[a + 1]! - w[b + 1]! - (((~al & bl) | (~(al ^ bl) & lo)) >>> 31)) | 0;
            w[d] = lo;
            w[d + 1] = hi;
            pc += 4;
            break;
          }
          case Op.I64Mul:
            i64Mul(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1, (fp + code[pc + 3]!) << 1);
            pc += 4;
            break;
          case Op.I64DivS:
          case Op.I64DivU:
          case Op.I64RemS:
          case Op.I64RemU: {
            const op = code[pc]!;
            const d = (fp + code[pc + 1]!) << 1;
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const result =
              op === Op.I64DivS ? i64DivS(w, d, a, b)
              : op === Op.I64DivU ? i64DivU(w, d, a, b)
              : op === Op.I64RemS ? i64RemS(w, d, a, b)
              : i64RemU(w, d, a, b);
            if (result !== 0) {
              trap = numericTrapCode(result);
              break loop;
            }
            pc += 4;
            break;
          }
          case Op.I64And: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = w[a]! & w[b]!;
            w[d + 1] = w[a + 1]! & w[b + 1]!;
            pc += 4;
            break;
          }
          case Op.I64Or: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = w[a]! | w[b]!;
            w[d + 1] = w[a + 1]! | w[b + 1]!;
            pc += 4;
            break;
          }
          case Op.I64Xor: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = w[a]! ^ w[b]!;
            w[d + 1] = w[a + 1]! ^ w[b + 1]!;
            pc += 4;
            break;
          }
          case Op.I64Shl:
            i64Shl(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1, (fp + code[pc + 3]!) << 1);
            pc += 4;
            break;
          case Op.I64ShrS:
            i64ShrS(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1, (fp + code[pc + 3]!) << 1);
            pc += 4;
            break;
          case Op.I64ShrU:
            i64ShrU(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1, (fp + code[pc + 3]!) << 1);
            pc += 4;
            break;
          case Op.I64Rotl:
            i64Rotl(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1, (fp + code[pc + 3]!) << 1);
            pc += 4;
            break;
          case Op.I64Rotr:
            i64Rotr(w, (fp + code[pc + 1]!) << 1, (fp + code[pc + 2]!) << 1, (fp + code[pc + 3]!) << 1);
            pc += 4;
            break;

          // ---------------------------------------------------------------- f32 arithmetic
          // Sign operations move bits, so NaN payloads survive.
          case Op.F32Abs:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! & 0x7fffffff;
            pc += 3;
            break;
          case Op.F32Neg:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! ^ 0x80000000;
            pc += 3;
            break;
          case Op.F32Ceil:
            f32[(fp + code[pc + 1]!) << 1] = Math.ceil(f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.F32Floor:
            f32[(fp + code[pc + 1]!) << 1] = Math.floor(f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.F32Trunc:
            f32[(fp + code[pc + 1]!) << 1] = Math.trunc(f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.F32Nearest:
            f32[(fp + code[pc + 1]!) << 1] = fNearest(f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.F32Sqrt:
            // A double result rounded to f32 equals the correctly rounded f32 result for + - * / and sqrt.
            f32[(fp + code[pc + 1]!) << 1] = Math.sqrt(f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.F32Add:
            f32[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1]! + f32[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.F32Sub:
            f32[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1]! - f32[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.F32Mul:
            f32[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1]! * f32[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.F32Div:
            f32[(fp + code[pc + 1]!) << 1] = f32[(fp + code[pc + 2]!) << 1]! / f32[(fp + code[pc + 3]!) << 1]!;
            pc += 4;
            break;
          case Op.F32Min:
            f32[(fp + code[pc + 1]!) << 1] = fMin(f32[(fp + code[pc + 2]!) << 1]!, f32[(fp + code[pc + 3]!) << 1]!);
            pc += 4;
            break;
          case Op.F32Max:
            f32[(fp + code[pc + 1]!) << 1] = fMax(f32[(fp + code[pc + 2]!) << 1]!, f32[(fp + code[pc + 3]!) << 1]!);
            pc += 4;
            break;
          case Op.F32Copysign:
            w[(fp + code[pc + 1]!) << 1] =
              (w[(fp + code[pc + 2]!) << 1]! & 0x7fffffff) | (w[(fp + code[pc + 3]!) << 1]! & 0x80000000);
            pc += 4;
            break;

          // ---------------------------------------------------------------- f64 arithmetic
          case Op.F64Abs: {
            const d = (fp + code[pc + 1]!) << 1;
            const a = (fp + code[pc + 2]!) << 1;
            w[d] = w[a]!;
            w[d + 1] = w[a + 1]! & 0x7fffffff;
            pc += 3;
            break;
          }
          case Op.F64Neg: {
            const d = (fp + code[pc + 1]!) << 1;
            const a = (fp + code[pc + 2]!) << 1;
            w[d] = w[a]!;
            w[d + 1] = w[a + 1]! ^ 0x80000000;
            pc += 3;
            break;
          }
          // V8 returns a signalling NaN from these unchanged; Wasm wants it quieted.
          case Op.F64Ceil: {
            const x = f64[fp + code[pc + 2]!]!;
            f64[fp + code[pc + 1]!] = x === x ? Math.ceil(x) : NaN;
            pc += 3;
            break;
          }
          case Op.F64Floor: {
            const x = f64[fp + code[pc + 2]!]!;
            f64[fp + code[pc + 1]!] = x === x ? Math.floor(x) : NaN;
            pc += 3;
            break;
          }
          case Op.F64Trunc: {
            const x = f64[fp + code[pc + 2]!]!;
            f64[fp + code[pc + 1]!] = x === x ? Math.trunc(x) : NaN;
            pc += 3;
            break;
          }
          case Op.F64Nearest: {
            const x = f64[fp + code[pc + 2]!]!;
            f64[fp + code[pc + 1]!] = x === x ? fNearest(x) : NaN;
            pc += 3;
            break;
          }
          case Op.F64Sqrt:
            f64[fp + code[pc + 1]!] = Math.sqrt(f64[fp + code[pc + 2]!]!);
            pc += 3;
            break;
          case Op.F64Add:
            f64[fp + code[pc + 1]!] = f64[fp + code[pc + 2]!]! + f64[fp + code[pc + 3]!]!;
            pc += 4;
            break;
          case Op.F64Sub:
            f64[fp + code[pc + 1]!] = f64[fp + code[pc + 2]!]! - f64[fp + code[pc + 3]!]!;
            pc += 4;
            break;
          case Op.F64Mul:
            f64[fp + code[pc + 1]!] = f64[fp + code[pc + 2]!]! * f64[fp + code[pc + 3]!]!;
            pc += 4;
            break;
          case Op.F64Div:
            f64[fp + code[pc + 1]!] = f64[fp + code[pc + 2]!]! / f64[fp + code[pc + 3]!]!;
            pc += 4;
            break;
          case Op.F64Min:
            f64[fp + code[pc + 1]!] = fMin(f64[fp + code[pc + 2]!]!, f64[fp + code[pc + 3]!]!);
            pc += 4;
            break;
          case Op.F64Max:
            f64[fp + code[pc + 1]!] = fMax(f64[fp + code[pc + 2]!]!, f64[fp + code[pc + 3]!]!);
            pc += 4;
            break;
          case Op.F64Copysign: {
            const d = (fp + code[pc + 1]!) << 1;
            const a = (fp + code[pc + 2]!) << 1;
            const high = (w[a + 1]! & 0x7fffffff) | (w[((fp + code[pc + 3]!) << 1) + 1]! & 0x80000000);
            w[d] = w[a]!;
            w[d + 1] = high;
            pc += 4;
            break;
          }

          // ---------------------------------------------------------------- conversions
          case Op.I32WrapI64:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]!;
            pc += 3;
            break;
          case Op.I32TruncF32S:
          case Op.I32TruncF32U:
          case Op.I32TruncF64S:
          case Op.I32TruncF64U: {
            const op = code[pc]!;
            const x = op === Op.I32TruncF32S || op === Op.I32TruncF32U ? f32[(fp + code[pc + 2]!) << 1]! : f64[fp + code[pc + 2]!]!;
            const result = op === Op.I32TruncF32S || op === Op.I32TruncF64S ? i32TruncSCheck(x) : i32TruncUCheck(x);
            if (result !== 0) {
              trap = numericTrapCode(result);
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = x | 0;
            pc += 3;
            break;
          }
          case Op.I64ExtendI32S: {
            const d = (fp + code[pc + 1]!) << 1;
            const value = w[(fp + code[pc + 2]!) << 1]!;
            w[d] = value;
            w[d + 1] = value >> 31;
            pc += 3;
            break;
          }
          case Op.I64ExtendI32U: {
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = w[(fp + code[pc + 2]!) << 1]!;
            w[d + 1] = 0;
            pc += 3;
            break;
          }
          case Op.I64TruncF32S:
          case Op.I64TruncF32U:
          case Op.I64TruncF64S:
          case Op.I64TruncF64U: {
            const op = code[pc]!;
            const d = (fp + code[pc + 1]!) << 1;
            const x = op === Op.I64TruncF32S || op === Op.I64TruncF32U ? f32[(fp + code[pc + 2]!) << 1]! : f64[fp + code[pc + 2]!]!;
            const result = op === Op.I64TruncF32S || op === Op.I64TruncF64S ? i64TruncS(w, d, x) : i64TruncU(w, d, x);
            if (result !== 0) {
              trap = numericTrapCode(result);
              break loop;
            }
            pc += 3;
            break;
          }
          case Op.F32ConvertI32S:
            f32[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]!;
            pc += 3;
            break;
          case Op.F32ConvertI32U:
            // The u32 is exact as a double, so storing rounds once.
            f32[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0;
            pc += 3;
            break;
          case Op.F32ConvertI64S:
            f32[(fp + code[pc + 1]!) << 1] = f32ConvertI64S(w, (fp + code[pc + 2]!) << 1);
            pc += 3;
            break;
          case Op.F32ConvertI64U:
            f32[(fp + code[pc + 1]!) << 1] = f32ConvertI64U(w, (fp + code[pc + 2]!) << 1);
            pc += 3;
            break;
          case Op.F32DemoteF64:
            f32[(fp + code[pc + 1]!) << 1] = f64[fp + code[pc + 2]!]!;
            pc += 3;
            break;
          case Op.F64ConvertI32S:
            f64[fp + code[pc + 1]!] = w[(fp + code[pc + 2]!) << 1]!;
            pc += 3;
            break;
          case Op.F64ConvertI32U:
            f64[fp + code[pc + 1]!] = w[(fp + code[pc + 2]!) << 1]! >>> 0;
            pc += 3;
            break;
          case Op.F64ConvertI64S:
            f64[fp + code[pc + 1]!] = f64ConvertI64S(w, (fp + code[pc + 2]!) << 1);
            pc += 3;
            break;
          case Op.F64ConvertI64U:
            f64[fp + code[pc + 1]!] = f64ConvertI64U(w, (fp + code[pc + 2]!) << 1);
            pc += 3;
            break;
          case Op.F64PromoteF32:
            f64[fp + code[pc + 1]!] = f32[(fp + code[pc + 2]!) << 1]!;
            pc += 3;
            break;
          case Op.I32ReinterpretF32:
          case Op.F32ReinterpretI32:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]!;
            pc += 3;
            break;
          case Op.I64ReinterpretF64:
          case Op.F64ReinterpretI64: {
            const d = (fp + code[pc + 1]!) << 1;
            const s = (fp + code[pc + 2]!) << 1;
            w[d] = w[s]!;
            w[d + 1] = w[s + 1]!;
            pc += 3;
            break;
          }
          case Op.I32Extend8S:
            w[(fp + code[pc + 1]!) << 1] = (w[(fp + code[pc + 2]!) << 1]! << 24) >> 24;
            pc += 3;
            break;
          case Op.I32Extend16S:
            w[(fp + code[pc + 1]!) << 1] = (w[(fp + code[pc + 2]!) << 1]! << 16) >> 16;
            pc += 3;
            break;
          case Op.I64Extend8S:
          case Op.I64Extend16S:
          case Op.I64Extend32S: {
            const op = code[pc]!;
            const d = (fp + code[pc + 1]!) << 1;
            const low = w[(fp + code[pc + 2]!) << 1]!;
            const value = op === Op.I64Extend8S ? (low << 24) >> 24 : op === Op.I64Extend16S ? (low << 16) >> 16 : low;
            w[d] = value;
            w[d + 1] = value >> 31;
            pc += 3;
            break;
          }
          case Op.I32TruncSatF32S:
            w[(fp + code[pc + 1]!) << 1] = i32TruncSatS(f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.I32TruncSatF32U:
            w[(fp + code[pc + 1]!) << 1] = i32TruncSatU(f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.I32TruncSatF64S:
            w[(fp + code[pc + 1]!) << 1] = i32TruncSatS(f64[fp + code[pc + 2]!]!);
            pc += 3;
            break;
          case Op.I32TruncSatF64U:
            w[(fp + code[pc + 1]!) << 1] = i32TruncSatU(f64[fp + code[pc + 2]!]!);
            pc += 3;
            break;
          case Op.I64TruncSatF32S:
            i64TruncSatS(w, (fp + code[pc + 1]!) << 1, f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.I64TruncSatF32U:
            i64TruncSatU(w, (fp + code[pc + 1]!) << 1, f32[(fp + code[pc + 2]!) << 1]!);
            pc += 3;
            break;
          case Op.I64TruncSatF64S:
            i64TruncSatS(w, (fp + code[pc + 1]!) << 1, f64[fp + code[pc + 2]!]!);
            pc += 3;
            break;
          case Op.I64TruncSatF64U:
            i64TruncSatU(w, (fp + code[pc + 1]!) << 1, f64[fp + code[pc + 2]!]!);
            pc += 3;
            break;

          // ---------------------------------------------------------------- i32 with an immediate
          case Op.I32AddImm:
            w[(fp + code[pc + 1]!) << 1] = (w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) | 0;
            pc += 4;
            break;
          case Op.I32MulImm:
            w[(fp + code[pc + 1]!) << 1] = Math.imul(w[(fp + code[pc + 2]!) << 1]!, code[pc + 3]!);
            pc += 4;
            break;
          case Op.I32AndImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! & code[pc + 3]!;
            pc += 4;
            break;
          case Op.I32OrImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! | code[pc + 3]!;
            pc += 4;
            break;
          case Op.I32XorImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! ^ code[pc + 3]!;
            pc += 4;
            break;
          case Op.I32ShlImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! << code[pc + 3]!;
            pc += 4;
            break;
          case Op.I32ShrSImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >> code[pc + 3]!;
            pc += 4;
            break;
          case Op.I32ShrUImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> code[pc + 3]!;
            pc += 4;
            break;
          case Op.I32RotlImm: {
            const a = w[(fp + code[pc + 2]!) << 1]!;
            const n = code[pc + 3]!;
            w[(fp + code[pc + 1]!) << 1] = (a << n) | (a >>> (32 - n));
            pc += 4;
            break;
          }
          case Op.I32EqImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1] === code[pc + 3] ? 1 : 0;
            pc += 4;
            break;
          case Op.I32NeImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1] !== code[pc + 3] ? 1 : 0;
            pc += 4;
            break;
          case Op.I32LtSImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! < code[pc + 3]! ? 1 : 0;
            pc += 4;
            break;
          case Op.I32LtUImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0 < code[pc + 3]! >>> 0 ? 1 : 0;
            pc += 4;
            break;
          case Op.I32GtSImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! > code[pc + 3]! ? 1 : 0;
            pc += 4;
            break;
          case Op.I32GtUImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0 > code[pc + 3]! >>> 0 ? 1 : 0;
            pc += 4;
            break;
          case Op.I32LeSImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! <= code[pc + 3]! ? 1 : 0;
            pc += 4;
            break;
          case Op.I32LeUImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0 <= code[pc + 3]! >>> 0 ? 1 : 0;
            pc += 4;
            break;
          case Op.I32GeSImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >= code[pc + 3]! ? 1 : 0;
            pc += 4;
            break;
          case Op.I32GeUImm:
            w[(fp + code[pc + 1]!) << 1] = w[(fp + code[pc + 2]!) << 1]! >>> 0 >= code[pc + 3]! >>> 0 ? 1 : 0;
            pc += 4;
            break;

          // ---------------------------------------------------------------- i64 with an immediate (inline: no calls on the hot path)
          case Op.I64AddImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const al = w[a]!;
            const bl = code[pc + 3]!;
            const lo = (al + bl) | 0;
            w[d + 1] = (w[a + 1]! + code[pc + 4]! + (((al & bl) | ((al | bl) & ~lo)) >>> 31)) | 0;
            w[d] = lo;
            pc += 5;
            break;
          }
          case Op.I64MulImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const al = w[a]!;
            const bl = code[pc + 3]!;
            // High word of the unsigned 32x32 product (see mulHighU32 in numeric.ts), plus the cross terms' low words.
            const high = (((al >>> 0) * (bl >>> 0) - (Math.imul(al, bl) >>> 0)) * 2.3283064365386963e-10 + 0.5) | 0;
            w[d + 1] = (high + Math.imul(w[a + 1]!, bl) + Math.imul(al, code[pc + 4]!)) | 0;
            w[d] = Math.imul(al, bl);
            pc += 5;
            break;
          }
          case Op.I64AndImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = w[a]! & code[pc + 3]!;
            w[d + 1] = w[a + 1]! & code[pc + 4]!;
            pc += 5;
            break;
          }
          case Op.I64OrImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = w[a]! | code[pc + 3]!;
            w[d + 1] = w[a + 1]! | code[pc + 4]!;
            pc += 5;
            break;
          }
          case Op.I64XorImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = w[a]! ^ code[pc + 3]!;
            w[d + 1] = w[a + 1]! ^ code[pc + 4]!;
            pc += 5;
            break;
          }
          // Counts 0..31: `(x >>> 1) >>> (31 - n)` is `x >>> (32 - n)` for n > 0 and 0 for n = 0.
          case Op.I64ShlImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const n = code[pc + 3]!;
            const lo = w[a]!;
            w[d + 1] = (w[a + 1]! << n) | ((lo >>> 1) >>> (31 - n));
            w[d] = lo << n;
            pc += 4;
            break;
          }
          case Op.I64ShrSImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const n = code[pc + 3]!;
            const hi = w[a + 1]!;
            w[d] = (w[a]! >>> n) | ((hi << 1) << (31 - n));
            w[d + 1] = hi >> n;
            pc += 4;
            break;
          }
          case Op.I64ShrUImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const n = code[pc + 3]!;
            const hi = w[a + 1]!;
            w[d] = (w[a]! >>> n) | ((hi << 1) << (31 - n));
            w[d + 1] = hi >>> n;
            pc += 4;
            break;
          }
          case Op.I64RotlImm: {
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const n = code[pc + 3]!;
            const lo = w[a]!;
            const hi = w[a + 1]!;
            w[d] = (lo << n) | ((hi >>> 1) >>> (31 - n));
            w[d + 1] = (hi << n) | ((lo >>> 1) >>> (31 - n));
            pc += 4;
            break;
          }
          case Op.I64ShlImm32: {
            const d = (fp + code[pc + 1]!) << 1;
            w[d + 1] = w[(fp + code[pc + 2]!) << 1]! << code[pc + 3]!;
            w[d] = 0;
            pc += 4;
            break;
          }
          case Op.I64ShrSImm32: {
            const d = (fp + code[pc + 1]!) << 1;
            const hi = w[((fp + code[pc + 2]!) << 1) + 1]!;
            w[d] = hi >> code[pc + 3]!;
            w[d + 1] = hi >> 31;
            pc += 4;
            break;
          }
          case Op.I64ShrUImm32: {
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = w[((fp + code[pc + 2]!) << 1) + 1]! >>> code[pc + 3]!;
            w[d + 1] = 0;
            pc += 4;
            break;
          }
          case Op.I64RotlImm32: {
            // Rotating by 32 + n swaps the words, then rotates by n.
            const a = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const n = code[pc + 3]!;
            const lo = w[a + 1]!;
            const hi = w[a]!;
            w[d] = (lo << n) | ((hi >>> 1) >>> (31 - n));
            w[d + 1] = (hi << n) | ((lo >>> 1) >>> (31 - n));
            pc += 4;
            break;
          }

          // ---------------------------------------------------------------- superinstructions
          case Op.I32MulAdd:
            w[(fp + code[pc + 1]!) << 1] =
              (Math.imul(w[(fp + code[pc + 2]!) << 1]!, w[(fp + code[pc + 3]!) << 1]!) + w[(fp + code[pc + 4]!) << 1]!) | 0;
            pc += 5;
            break;
          case Op.I32ShlImmAdd:
            w[(fp + code[pc + 1]!) << 1] = ((w[(fp + code[pc + 2]!) << 1]! << code[pc + 3]!) + w[(fp + code[pc + 4]!) << 1]!) | 0;
            pc += 5;
            break;
          case Op.I32MulImmAdd:
            w[(fp + code[pc + 1]!) << 1] = (Math.imul(w[(fp + code[pc + 2]!) << 1]!, code[pc + 3]!) + w[(fp + code[pc + 4]!) << 1]!) | 0;
            pc += 5;
            break;
          case Op.I32AddAdd:
            w[(fp + code[pc + 1]!) << 1] = (w[(fp + code[pc + 2]!) << 1]! + w[(fp + code[pc + 3]!) << 1]! + w[(fp + code[pc + 4]!) << 1]!) | 0;
            pc += 5;
            break;
          case Op.I32RotlImmXor: {
            const a = w[(fp + code[pc + 2]!) << 1]!;
            const n = code[pc + 3]!;
            w[(fp + code[pc + 1]!) << 1] = ((a << n) | (a >>> (32 - n))) ^ w[(fp + code[pc + 4]!) << 1]!;
            pc += 5;
            break;
          }
          case Op.I64AddAdd: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const c = (fp + code[pc + 4]!) << 1;
            const al = w[a]!;
            const bl = w[b]!;
            const sl = (al + bl) | 0;
            const sh = w[a + 1]! + w[b + 1]! + (((al & bl) | ((al | bl) & ~sl)) >>> 31);
            const cl = w[c]!;
            const lo = (sl + cl) | 0;
            const d = (fp + code[pc + 1]!) << 1;
            w[d + 1] = (sh + w[c + 1]! + (((sl & cl) | ((sl | cl) & ~lo)) >>> 31)) | 0;
            w[d] = lo;
            pc += 5;
            break;
          }
          case Op.I64RotlImmXor:
          case Op.I64RotlImm32Xor: {
            // The 32 form swaps the words first (see I64RotlImm32).
            const a = (fp + code[pc + 2]!) << 1;
            const swap = code[pc] === Op.I64RotlImm32Xor ? 1 : 0;
            const lo = w[a + swap]!;
            const hi = w[a + 1 - swap]!;
            const n = code[pc + 3]!;
            const c = (fp + code[pc + 4]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const rl = ((lo << n) | ((hi >>> 1) >>> (31 - n))) ^ w[c]!;
            w[d + 1] = ((hi << n) | ((lo >>> 1) >>> (31 - n))) ^ w[c + 1]!;
            w[d] = rl;
            pc += 5;
            break;
          }
          case Op.I64XorRotlImm:
          case Op.I64XorRotlImm32: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const xl = w[a]! ^ w[b]!;
            const xh = w[a + 1]! ^ w[b + 1]!;
            const swap = code[pc] === Op.I64XorRotlImm32;
            const lo = swap ? xh : xl;
            const hi = swap ? xl : xh;
            const n = code[pc + 4]!;
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = (lo << n) | ((hi >>> 1) >>> (31 - n));
            w[d + 1] = (hi << n) | ((lo >>> 1) >>> (31 - n));
            pc += 5;
            break;
          }
          case Op.I32XorRotlImm: {
            const a = w[(fp + code[pc + 2]!) << 1]! ^ w[(fp + code[pc + 3]!) << 1]!;
            const n = code[pc + 4]!;
            w[(fp + code[pc + 1]!) << 1] = (a << n) | (a >>> (32 - n));
            pc += 5;
            break;
          }
          case Op.I64MulAdd: {
            const a = (fp + code[pc + 2]!) << 1;
            const b = (fp + code[pc + 3]!) << 1;
            const c = (fp + code[pc + 4]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const al = w[a]!;
            const bl = w[b]!;
            const high = (((al >>> 0) * (bl >>> 0) - (Math.imul(al, bl) >>> 0)) * 2.3283064365386963e-10 + 0.5) | 0;
            const pl = Math.imul(al, bl);
            const cl = w[c]!;
            const lo = (pl + cl) | 0;
            w[d + 1] = (high + Math.imul(w[a + 1]!, bl) + Math.imul(al, w[b + 1]!) + w[c + 1]! + (((pl & cl) | ((pl | cl) & ~lo)) >>> 31)) | 0;
            w[d] = lo;
            pc += 5;
            break;
          }
          case Op.I64MulImmAdd: {
            const a = (fp + code[pc + 2]!) << 1;
            const c = (fp + code[pc + 5]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const al = w[a]!;
            const kl = code[pc + 3]!;
            const high = (((al >>> 0) * (kl >>> 0) - (Math.imul(al, kl) >>> 0)) * 2.3283064365386963e-10 + 0.5) | 0;
            const pl = Math.imul(al, kl);
            const cl = w[c]!;
            const lo = (pl + cl) | 0;
            w[d + 1] = (high + Math.imul(w[a + 1]!, kl) + Math.imul(al, code[pc + 4]!) + w[c + 1]! + (((pl & cl) | ((pl | cl) & ~lo)) >>> 31)) | 0;
            w[d] = lo;
            pc += 6;
            break;
          }
          case Op.I64RotlImmMulImm: {
            const a = (fp + code[pc + 3]!) << 1;
            const t = (fp + code[pc + 2]!) << 1;
            const d = (fp + code[pc + 1]!) << 1;
            const n = code[pc + 4]!;
            const xl = w[a]!;
            const xh = w[a + 1]!;
            const al = (xl << n) | ((xh >>> 1) >>> (31 - n));
            const ah = (xh << n) | ((xl >>> 1) >>> (31 - n));
            w[t] = al;
            w[t + 1] = ah;
            const kl = code[pc + 5]!;
            const high = (((al >>> 0) * (kl >>> 0) - (Math.imul(al, kl) >>> 0)) * 2.3283064365386963e-10 + 0.5) | 0;
            w[d + 1] = (high + Math.imul(ah, kl) + Math.imul(al, code[pc + 6]!)) | 0;
            w[d] = Math.imul(al, kl);
            pc += 7;
            break;
          }
          case Op.I32LoadScaled: {
            const ea = (((w[(fp + code[pc + 2]!) << 1]! << code[pc + 3]!) + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = mv.getInt32(ea, true);
            pc += 6;
            break;
          }
          case Op.I32LoadIndexed: {
            const ea =
              ((w[(fp + code[pc + 2]!) << 1]! + (w[(fp + code[pc + 3]!) << 1]! << code[pc + 4]!)) >>> 0) + (code[pc + 5]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            w[(fp + code[pc + 1]!) << 1] = mv.getInt32(ea, true);
            pc += 6;
            break;
          }
          case Op.I32LoadMul:
          case Op.I32LoadMulAdd: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 4 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const product = Math.imul(mv.getInt32(ea, true), w[(fp + code[pc + 5]!) << 1]!);
            if (code[pc] === Op.I32LoadMul) {
              w[(fp + code[pc + 1]!) << 1] = product;
              pc += 6;
            } else {
              w[(fp + code[pc + 1]!) << 1] = (product + w[(fp + code[pc + 6]!) << 1]!) | 0;
              pc += 7;
            }
            break;
          }
          case Op.F64LoadAdd:
          case Op.F64LoadSub:
          case Op.F64LoadMul: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const loaded = mv.getFloat64(ea, true);
            const b = f64[fp + code[pc + 5]!]!;
            const op = code[pc];
            f64[fp + code[pc + 1]!] = op === Op.F64LoadAdd ? loaded + b : op === Op.F64LoadSub ? b - loaded : loaded * b;
            pc += 6;
            break;
          }
          case Op.I64LoadAdd:
          case Op.I64LoadXor: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const al = mv.getInt32(ea, true);
            const ah = mv.getInt32(ea + 4, true);
            const b = (fp + code[pc + 5]!) << 1;
            const bl = w[b]!;
            const d = (fp + code[pc + 1]!) << 1;
            if (code[pc] === Op.I64LoadXor) {
              w[d + 1] = ah ^ w[b + 1]!;
              w[d] = al ^ bl;
            } else {
              const lo = (al + bl) | 0;
              w[d + 1] = (ah + w[b + 1]! + (((al & bl) | ((al | bl) & ~lo)) >>> 31)) | 0;
              w[d] = lo;
            }
            pc += 6;
            break;
          }
          case Op.I64LoadMulImm:
          case Op.I64LoadMulImmAdd: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const al = mv.getInt32(ea, true);
            const kl = code[pc + 5]!;
            const high = (((al >>> 0) * (kl >>> 0) - (Math.imul(al, kl) >>> 0)) * 2.3283064365386963e-10 + 0.5) | 0;
            const pl = Math.imul(al, kl);
            const ph = high + Math.imul(mv.getInt32(ea + 4, true), kl) + Math.imul(al, code[pc + 6]!);
            const d = (fp + code[pc + 1]!) << 1;
            if (code[pc] === Op.I64LoadMulImm) {
              w[d + 1] = ph | 0;
              w[d] = pl;
              pc += 7;
            } else {
              const c = (fp + code[pc + 7]!) << 1;
              const cl = w[c]!;
              const lo = (pl + cl) | 0;
              w[d + 1] = (ph + w[c + 1]! + (((pl & cl) | ((pl | cl) & ~lo)) >>> 31)) | 0;
              w[d] = lo;
              pc += 8;
            }
            break;
          }
          case Op.I64LoadMulImmAddRotlImmMulImm: {
            const ea = ((w[(fp + code[pc + 3]!) << 1]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            // As I64LoadMulImmAdd, without writing its result ...
            const al = mv.getInt32(ea, true);
            const kl = code[pc + 6]!;
            const high = (((al >>> 0) * (kl >>> 0) - (Math.imul(al, kl) >>> 0)) * 2.3283064365386963e-10 + 0.5) | 0;
            const pl = Math.imul(al, kl);
            const ph = high + Math.imul(mv.getInt32(ea + 4, true), kl) + Math.imul(al, code[pc + 7]!);
            const c = (fp + code[pc + 8]!) << 1;
            const cl = w[c]!;
            const xl = (pl + cl) | 0;
            const xh = (ph + w[c + 1]! + (((pl & cl) | ((pl | cl) & ~xl)) >>> 31)) | 0;
            // ... then as I64RotlImmMulImm on it.
            const n = code[pc + 9]!;
            const rl = (xl << n) | ((xh >>> 1) >>> (31 - n));
            const rh = (xh << n) | ((xl >>> 1) >>> (31 - n));
            const t = (fp + code[pc + 2]!) << 1;
            w[t] = rl;
            w[t + 1] = rh;
            const k2 = code[pc + 10]!;
            const high2 = (((rl >>> 0) * (k2 >>> 0) - (Math.imul(rl, k2) >>> 0)) * 2.3283064365386963e-10 + 0.5) | 0;
            const d = (fp + code[pc + 1]!) << 1;
            w[d + 1] = (high2 + Math.imul(rh, k2) + Math.imul(rl, code[pc + 11]!)) | 0;
            w[d] = Math.imul(rl, k2);
            pc += 12;
            break;
          }
          case Op.I64LoadXorRotlImm:
          case Op.I64LoadXorRotlImm32: {
            const ea = ((w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) >>> 0) + (code[pc + 4]! >>> 0);
            if (ea + 8 > memLen) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            const b = (fp + code[pc + 5]!) << 1;
            const xl = mv.getInt32(ea, true) ^ w[b]!;
            const xh = mv.getInt32(ea + 4, true) ^ w[b + 1]!;
            const swap = code[pc] === Op.I64LoadXorRotlImm32;
            const lo = swap ? xh : xl;
            const hi = swap ? xl : xh;
            const n = code[pc + 6]!;
            const d = (fp + code[pc + 1]!) << 1;
            w[d] = (lo << n) | ((hi >>> 1) >>> (31 - n));
            w[d + 1] = (hi << n) | ((lo >>> 1) >>> (31 - n));
            pc += 7;
            break;
          }
          case Op.I32AddImm2:
            w[(fp + code[pc + 1]!) << 1] = (w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) | 0;
            w[(fp + code[pc + 4]!) << 1] = (w[(fp + code[pc + 5]!) << 1]! + code[pc + 6]!) | 0;
            pc += 7;
            break;
          case Op.I32AddImmCopy: {
            const value = (w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) | 0;
            w[(fp + code[pc + 1]!) << 1] = value;
            w[(fp + code[pc + 4]!) << 1] = value;
            pc += 5;
            break;
          }
          case Op.I32AddImmBrIfNez: {
            const value = (w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) | 0;
            w[(fp + code[pc + 1]!) << 1] = value;
            if (value !== 0) {
              jump = code[pc + 4]!;
              break branch;
            }
            pc += 5;
            break fallthrough;
          }
          case Op.I32AddImmBrIfNe: {
            const value = (w[(fp + code[pc + 2]!) << 1]! + code[pc + 3]!) | 0;
            w[(fp + code[pc + 1]!) << 1] = value;
            if (value !== w[(fp + code[pc + 4]!) << 1]) {
              jump = code[pc + 5]!;
              break branch;
            }
            pc += 6;
            break fallthrough;
          }
          case Op.F64MulAdd:
            f64[fp + code[pc + 1]!] = f64[fp + code[pc + 2]!]! * f64[fp + code[pc + 3]!]! + f64[fp + code[pc + 4]!]!;
            pc += 5;
            break;
          case Op.F64MulSub:
            f64[fp + code[pc + 1]!] = f64[fp + code[pc + 4]!]! - f64[fp + code[pc + 2]!]! * f64[fp + code[pc + 3]!]!;
            pc += 5;
            break;
          case Op.F64MulMul:
            f64[fp + code[pc + 1]!] = f64[fp + code[pc + 2]!]! * f64[fp + code[pc + 3]!]! * f64[fp + code[pc + 4]!]!;
            pc += 5;
            break;

          // ---------------------------------------------------------------- SIMD
          // One shared body, so the loop's own code (and its optimizing compile) hardly grows;
          // it runs the whole run of SIMD ops that starts here.
          case Op.V128Copy: case Op.V128Select: case Op.V128Const: case Op.V128ZeroLocals:
          case Op.V128GlobalGet: case Op.V128GlobalSet: case Op.V128Unary: case Op.V128Binary:
          case Op.V128Ternary: case Op.V128Shift: case Op.V128Splat: case Op.V128Extract:
          case Op.V128Replace: case Op.V128Test: case Op.V128Shuffle: case Op.V128Load:
          case Op.V128Store: case Op.V128LoadLane: case Op.V128StoreLane: {
            const next = executeSimd(m.v128, code, pc, fp, w, globals, mv, memLen);
            if (next < 0) {
              pc = ~next;
              trap = 'memoryOutOfBounds';
              break loop;
            }
            pc = next;
            break;
          }
          case Op.V128LoadM: case Op.V128StoreM: case Op.V128LoadLaneM: case Op.V128StoreLaneM: {
            const next = executeSimdMemoryM(m.v128, code, pc, fp, w, ctx.memories);
            if (next < 0) {
              trap = 'memoryOutOfBounds';
              break loop;
            }
            pc = next;
            break;
          }

          // ---------------------------------------------------------------- exception handling
          case Op.Throw:
            thrown = exceptionFromSlots(m, ctx.tags[code[pc + 1]!]!, fp + code[pc + 2]!);
            break unwinding;
          case Op.ThrowRef: {
            const exception = refs[fp + code[pc + 1]!] as ExceptionInstance | null;
            if (exception === null) {
              trap = 'nullReference';
              break loop;
            }
            thrown = exception;
            break unwinding;
          }

          default:
            throw new Error(`purewasm internal error: bad opcode ${code[pc]} at ${pc}`);
        }
        continue;
        }
        // An exception thrown at pc (exceptions.ts): continue where a frame of this run catches it, else end as
        // a trap. Between the switch and the paths after it, so that neither pays a jump over it.
        m.fuel = fuel + fuelReserve;
        m.countdown = countdown;
        if (raise(m, thrown!, func, pc, fp, depth, entryDepth)) return SLICE_END;
        m.trapError = new WasmException(thrown!);
        trap = 'uncaughtException';
        break loop;
      }
      // A conditional branch not taken: a new segment starts here, charge its Fuel op without a dispatch.
      if (code[pc] === Op.Fuel && fuel >= code[pc + 1]!) {
        fuel -= code[pc + 1]!;
        pc += 3;
      }
      continue;
    }
    // A taken branch. A backward one is a loop back-edge: count it towards the next interrupt check.
    if (jump <= pc && --countdown === 0) {
      countdown = m.interruptInterval;
      if (interruptRequested(m)) {
        trap = 'interrupted';
        break loop;
      }
      m.fuel = fuel + fuelReserve;
      m.countdown = countdown;
      m.func = func;
      m.pc = jump;
      m.fp = fp;
      m.depth = depth;
      return SLICE_END;
    }
    pc = jump;
    // Most segments start at a branch target: charge their Fuel op here, without a dispatch.
    if (code[pc] === Op.Fuel && fuel >= code[pc + 1]!) {
      fuel -= code[pc + 1]!;
      pc += 3;
    }
  }

  // Left the loop: a trap, or a dynamic fuel charge that cannot be paid.
  m.fuel = fuel + fuelReserve;
  m.countdown = countdown;
  const trace = func.compiled!.fuelTrace;
  if (fuelStop) {
    if (trace !== undefined) {
      stopBeforeDynamicCharge(m, code, trace, pc);
    } else {
      m.pc = pc;
      m.pendingEntry = -1;
    }
    m.func = func;
    m.fp = fp;
    m.depth = depth;
    return Status.OutOfFuel;
  }
  return unwind(m, func, pc, depth, entryDepth, trap);
}
