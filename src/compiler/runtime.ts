/**
 * What generated functions call at run time, and the entry from the API.
 *
 * Calling convention of a generated function: `(fp, depth, fuel, cd, ...params)`
 * (no fuel where the engine does not meter it) where fp is the frame's first
 * slot in the interpreter's register file (where the interpreter would put it,
 * so limits and a hand-over agree), depth the number of frames including this
 * one (both shifted, see CompiledState), fuel the fuel chunk and cd the
 * interrupt countdown. It returns its single result (an i64's high word in
 * `S.hi`; several results in its registers 0.. of the register file) and hands
 * the fuel left back in `S.fuel`. The countdown goes down, not back: each frame
 * counts its own back-edges and calls from its caller's count, so it restarts
 * from a short interval (the square root of the store's) to keep the checks
 * close together whatever the nesting of calls and loops.
 *
 * Leaving for the interpreter (a "deopt"): a frame that cannot go on throws
 * SELF; its catch block writes its registers back and records it as the top
 * frame (`top`), then throws LINK; each caller's catch writes its registers
 * back and records itself as the caller of the frame above (`link`). The entry
 * (`runCompiled`) then does what `S.action` says: continue in the interpreter
 * from the top frame's op (which re-executes it: a trap, a fuel stop, an
 * interrupt happen there exactly as in the interpreter), unwind a host
 * failure, or report the stop of a host suspension or of a nested interpreter
 * run. A callee that may not enter (call depth, register-file or JS stack
 * budget, a profiler) throws REFUSE before doing anything: its caller deopts at
 * the call, and the interpreter makes the call.
 */

import { ValType } from '../decoder/module.js';
import type { FuncType } from '../decoder/module.js';
import { failSuspended, invokeInterpreted, run } from '../interpreter/executor.js';
import type { FunctionInstance } from '../interpreter/function.js';
import { callHost, HostCall } from '../interpreter/host-call.js';
import type { InstanceContext } from '../interpreter/instance.js';
import { ensureLowered, Op, opLength, signatureId } from '../interpreter/ir.js';
import { Status, type Machine } from '../interpreter/machine.js';
import type { MemoryInstance } from '../interpreter/memory.js';
import * as numeric from '../interpreter/numeric.js';
import { LANE_OPS, V128Registers } from '../interpreter/simd.js';
import type { TableInstance } from '../interpreter/table.js';
import type { ValidatedModule } from '../validator/index.js';
import { generateFunction, Unsupported, type FunctionData, type ModuleShape } from './codegen.js';
import { entryGlue, exitGlue, stubFor, type TailGlue } from './glue.js';
import { MAX_JS_PARAMS } from './ops.js';

/** A generated function (see the calling convention above). */
export type JitFunction = (fp: number, depth: number, fuel: number, cd: number, ...params: unknown[]) => unknown;

/** The factory of a function that makes tail calls to others returns its driver and its body (tail-calls.ts). */
type Factory = (R: typeof runtime, m: Machine, S: CompiledState, ctx: InstanceContext, FI: FunctionInstance, D: FunctionData, KN: Float64Array) =>
  JitFunction | [JitFunction, JitFunction];

const SELF = { signal: 'deopt here' };
/** A body's result when it made a tail call (tail-calls.ts): its driver calls `S.tail` next. */
const TAIL = { signal: 'tail call' };
const LINK = { signal: 'frames above are handed over' };
const REFUSE = { signal: 'callee may not enter' };
/** A nested interpreter run trapped and unwound its frames; the compiled frames below just leave. */
const UNWIND = { signal: 'trapped' };

const enum Action {
  /** Continue in the interpreter from the top frame. */
  Deopt,
  /** The top frame's host call failed: `m.trapError`. */
  Trap,
  /** A host function suspended (`m.suspendedHost` and the rest are set). */
  Suspend,
  /** A nested interpreter run stopped out of fuel, or suspended: report that status. */
  StopFuel,
  StopSuspend,
}

/** Compiled frames a JS stack holds at most at once, and register slots they may span (beyond: the interpreter goes on). */
const JS_FRAME_BUDGET = 1000;
const JS_SLOT_BUDGET = 20_000;
/** The most fuel a generated function holds in its small-integer counter (as the interpreter, 2^30 - 1). */
const FUEL_CHUNK = 0x3fffffff;

/** The per-store state generated code shares. */
export class CompiledState {
  fuel = 0;
  reserve = 0;
  /** The words of a returned i64 (hi) or v128 (hi, h2, h3) after the first, which is the JS return value. */
  hi = 0;
  h2 = 0;
  h3 = 0;
  /** A body that returned TAIL (tail-calls.ts): the callee, its glue, and the countdown left (the fuel is in `fuel`). */
  tail: FunctionInstance | null = null;
  tg: TailGlue | null = null;
  cd = 0;
  /** The deepest frame and the highest register-file slot a compiled frame may reach in this activation. */
  maxDepth = 0;
  maxFp = 0;
  /**
   * Generated code receives depth + ds and fp + fs, shifted so that comparing them with the engine's
   * maxCallDepth and maxStackSlots (constants in the code) is comparing the real ones with maxDepth and maxFp.
   */
  ds = 0;
  fs = 0;
  action = Action.Deopt;
  /** Whether the top frame's runtime call already stored fuel and countdown in the machine. */
  synced = false;
  /** Compiled frames on the JS stack (nested entries through host functions keep the outer budget). */
  active = 0;
  readonly metered: boolean;
  readonly fuelCosts: Machine['fuelCosts'];

  constructor(m: Machine) {
    this.metered = m.metered;
    this.fuelCosts = m.fuelCosts;
  }
}

const states = new WeakMap<Machine, CompiledState>();

function stateOf(m: Machine): CompiledState {
  let state = states.get(m);
  if (state === undefined) states.set(m, (state = new CompiledState(m)));
  return state;
}

// ---------------------------------------------------------------- compiling

const factories = new WeakMap<object, Factory | null>();
const shapes = new WeakMap<ValidatedModule, ModuleShape>();

function shapeOf(module: ValidatedModule, m: Machine): ModuleShape {
  let shape = shapes.get(module);
  if (shape === undefined) {
    const sigTypes = new Map<number, FuncType>();
    for (const type of module.decoded.types) sigTypes.set(signatureId(type.params, type.results), type);
    shape = {
      funcTypes: module.funcTypes,
      numImportedFuncs: module.numImportedFuncs,
      sigTypes,
      globalTypes: module.globalTypes.map((g) => g.valueType),
      memory64: module.memoryTypes.map((t) => t.is64),
      metered: m.metered,
      maxCallDepth: m.maxCallDepth,
      maxSlots: m.maxSlots,
      makesTailCalls: tailCallerTest(module),
    };
    shapes.set(module, shape);
  }
  return shape;
}

/** Whether a defined function of `module` makes tail calls to other functions (lowering it, as its caller will call it). */
function tailCallerTest(module: ValidatedModule): (funcIndex: number) => boolean {
  const known = new Map<number, boolean>();
  return (funcIndex) => {
    let makes = known.get(funcIndex);
    if (makes === undefined) {
      const compiled = module.funcs[funcIndex - module.numImportedFuncs]!;
      ensureLowered(compiled);
      makes = false;
      const code = compiled.code;
      for (let pc = 0; pc < code.length && !makes; pc += opLength(code, pc)) {
        makes = code[pc] === Op.ReturnCallIndirect || (code[pc] === Op.ReturnCall && code[pc + 1] !== funcIndex);
      }
      known.set(funcIndex, makes);
    }
    return makes;
  };
}

const HELPERS = [
  'fMin', 'fMax', 'fNearest', 'ctz32', 'popcnt32', 'i64Clz', 'i64Ctz', 'i64Popcnt', 'i64DivS', 'i64DivU', 'i64RemS', 'i64RemU',
  'i64Shl', 'i64ShrS', 'i64ShrU', 'i64Rotl', 'i64Rotr', 'i32TruncSCheck', 'i32TruncUCheck', 'i32TruncSatS', 'i32TruncSatU',
  'i64TruncS', 'i64TruncU', 'i64TruncSatS', 'i64TruncSatU', 'f32ConvertI64S', 'f32ConvertI64U',
] as const;

/** Source text → factory, built with `new Function` (the only place purewasm generates code). */
function buildFactory(source: string): Factory {
  const prologue = `var { ${HELPERS.join(', ')} } = R.H;\nvar imul = Math.imul, clz32 = Math.clz32;\n`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('R', 'm', 'S', 'ctx', 'FI', 'D', 'KN', prologue + source) as Factory;
}

/**
 * How many functions the compiled tier compiled, and how many it left to the interpreter, by reason (counted once
 * per function body, on its first call), and how many times compiled code handed a frame over to the interpreter
 * (deopts); `tierStatistics` reads them, for tests and the spec runner.
 */
const statistics = { compiled: 0, interpreted: 0, reasons: new Map<string, number>(), deopts: 0 };

export function tierStatistics(): { compiled: number; interpreted: number; reasons: Record<string, number>; deopts: number } {
  return { compiled: statistics.compiled, interpreted: statistics.interpreted, reasons: Object.fromEntries(statistics.reasons), deopts: statistics.deopts };
}

function countInterpreted(reason: string): void {
  statistics.interpreted++;
  statistics.reasons.set(reason, (statistics.reasons.get(reason) ?? 0) + 1);
}

/** The generated function of `func` in its instance (with its body, for a tail caller), or null when it must stay interpreted. */
function compile(m: Machine, func: FunctionInstance): JitFunction | [JitFunction, JitFunction] | null | 'retry' {
  const compiled = func.compiled!;
  ensureLowered(compiled);
  const ctx = func.ctx!;
  let entry = factories.get(compiled);
  if (entry === undefined) {
    try {
      const generated = generateFunction(compiled, func.funcType, shapeOf(ctx.module!, m), func.index);
      const factory = buildFactory(generated.source);
      entry = ((R, mm, S, c, FI) => factory(R, mm, S, c, FI, generated.data, generated.data.nanConstants)) as Factory;
      statistics.compiled++;
    } catch (error) {
      // An op patched in by a stopped interpreter run (FuelStop) is not the function's own: try again later.
      if (error instanceof Unsupported && error.message === 'retry') return 'retry';
      // Unsupported ops, or source the JS engine will not build (nesting deeper than its parser goes): interpreted.
      if (!(error instanceof Unsupported || error instanceof SyntaxError || error instanceof RangeError)) throw error;
      countInterpreted(error instanceof Unsupported ? error.message : error.name);
      entry = null;
    }
    factories.set(compiled, entry);
  }
  if (entry === null) return null;
  return entry(runtime, m, stateOf(m), ctx, func, undefined as never, undefined as never);
}

/** The generated function of a Wasm function, compiled on its first call; an interpreter adapter if it cannot be. */
function tierUp(func: FunctionInstance): JitFunction {
  const m = machineOf(func);
  const compiled = compile(m, func);
  if (compiled === 'retry') return interpreted(func, m);
  if (Array.isArray(compiled)) {
    func.jit = compiled[0];
    func.jitTail = compiled[1];
    return compiled[0];
  }
  const jit = compiled ?? interpreted(func, m);
  func.jit = jit;
  func.jitTail = jit;
  return jit;
}

const machines = new WeakMap<object, Machine>();
function machineOf(func: FunctionInstance): Machine {
  return machines.get(func.owner)!;
}

/** Lets generated code call `F.jit(...)` on any function without a check: a stub that tiers up on first call. */
function prepare(func: FunctionInstance): void {
  if (func.jit === null) func.jit = func.jitTail = stubFor(func.funcType, machineOf(func).metered, tierUp as (f: FunctionInstance) => (...args: unknown[]) => unknown);
}

// ---------------------------------------------------------------- frames

function ensureSlots(m: Machine, slots: number): void {
  // Never fails: entry checked fp + frameSize against the limit.
  m.ensureSlots(slots);
}

/** The frame size of Wasm function `func`, lowering its body first if it is not yet (a tail call's check). */
function lowered(func: FunctionInstance): number {
  const compiled = func.compiled!;
  ensureLowered(compiled);
  return compiled.frameSize;
}

function ensureFrames(m: Machine, depth: number): void {
  const saved = m.depth;
  while (m.framePc.length <= depth) {
    m.depth = m.framePc.length;
    m.ensureFrame();
  }
  m.depth = saved;
}

/** The deopting frame: the interpreter continues in it at `pc`. */
function top(m: Machine, S: CompiledState, func: FunctionInstance, fp: number, depth: number, pc: number, fuel: number, cd: number): void {
  statistics.deopts++;
  ensureFrames(m, depth);
  m.func = func;
  m.pc = pc;
  m.fp = fp;
  m.depth = depth;
  m.pendingEntry = -1;
  if (!S.synced) {
    if (S.metered) m.fuel = fuel + S.reserve;
    m.countdown = cd;
  }
  S.synced = false;
}

/** A caller of the frame above: the interpreter returns into it after its call op at `pc`. */
function link(m: Machine, func: FunctionInstance, fp: number, depth: number, pc: number): void {
  const code = func.compiled!.code;
  m.framePc[depth] = pc + opLength(code, pc);
  m.frameFp[depth] = fp;
  m.frameFunc[depth] = func;
  m.frameCode[depth] = code;
}

// ---------------------------------------------------------------- fuel and interrupts

/** The chunk could not pay `cost` (fuel is the chunk minus it): refill from the reserve, or return the negative rest. */
function refuel(S: CompiledState, fuel: number, cost: number): number {
  const total = fuel + cost + S.reserve;
  if (total < cost) return fuel;
  const chunk = total > FUEL_CHUNK ? FUEL_CHUNK : total;
  S.reserve = total - chunk;
  return chunk - cost;
}

/** Pays a dynamic charge (bulk ops) from chunk and reserve; -1 when it cannot be paid. */
function pay(S: CompiledState, fuel: number, extra: number): number {
  if (extra <= fuel) return fuel - extra;
  const total = fuel + S.reserve - extra;
  if (total < 0) return -1;
  const chunk = total > FUEL_CHUNK ? FUEL_CHUNK : total;
  S.reserve = total - chunk;
  return chunk;
}

/**
 * The countdown ran out: 0 when an interrupt is requested (the caller deopts
 * with a countdown of 1, and the interpreter, re-executing the op, stops on
 * the answer recorded here rather than asking the check twice), else a new countdown.
 */
function tick(m: Machine): number {
  const check = m.interruptCheck;
  if (check === null || !check()) return compiledInterval(m);
  m.interruptSeen = true;
  return 0;
}

/** A frame's countdown (see the calling convention): √interval, so nested loop and call levels stay near the interval. */
function compiledInterval(m: Machine): number {
  return Math.max(1, Math.round(Math.sqrt(m.interruptInterval)));
}

// ---------------------------------------------------------------- calls through the register file

/**
 * Calls `callee` (a host function, or a Wasm function not callable directly) with its arguments in
 * slots `slot`.., leaving its results there, on behalf of the generated function `caller` at its call op `pc`.
 */
function callSlots(m: Machine, S: CompiledState, callee: FunctionInstance, slot: number, depth: number, fuel: number, cd: number, caller: FunctionInstance, pc: number, top: number, callerObject: unknown): void {
  if (S.metered) m.fuel = fuel + S.reserve;
  m.countdown = cd;
  m.depth = depth;
  m.func = caller;
  m.pc = pc;
  m.fp = slot;
  const outcome = callHost(m, callee, slot, callerObject, top);
  if (outcome !== HostCall.Ok) {
    if (outcome === HostCall.Suspended) {
      m.suspendedHost = callee;
      m.suspendedSlot = slot;
      m.suspendedNext = pc + opLength(caller.compiled!.code, pc);
      S.action = Action.Suspend;
    } else {
      S.action = Action.Trap;
    }
    S.synced = true;
    throw SELF;
  }
  splitFuel(m, S);
}

function splitFuel(m: Machine, S: CompiledState): void {
  if (!S.metered) return;
  const total = m.fuel;
  const chunk = total > FUEL_CHUNK ? FUEL_CHUNK : total;
  S.fuel = chunk;
  S.reserve = total - chunk;
}

/** A function that cannot be compiled, in the compiled convention: it runs in a nested interpreter run. */
function interpreted(func: FunctionInstance, m: Machine): JitFunction {
  const S = stateOf(m);
  const run = (fp: number, depth: number, fuel: number, cd: number): void => {
    // (Real fp and depth.) As the interpreter's call op would refuse: let the caller's deopt make it trap there.
    if (depth > S.maxDepth || fp + func.compiled!.frameSize > S.maxFp) throw REFUSE;
    if (S.metered) m.fuel = fuel + S.reserve;
    m.countdown = cd;
    m.depth = depth - 1;
    const status = invokeInterpreted(m, func, fp);
    switch (status) {
      case Status.Done:
        splitFuel(m, S);
        return;
      case Status.Trap:
        throw UNWIND;
      case Status.OutOfFuel:
        S.action = Action.StopFuel;
        throw LINK;
      default:
        S.action = Action.StopSuspend;
        throw LINK;
    }
  };
  return exitGlue(func.funcType, S.metered)(run, m, S);
}

// ---------------------------------------------------------------- bulk memory and tables
// Each returns the fuel left after its dynamic charge, or -1 (nothing done) when the interpreter must run it:
// an out-of-bounds trap, or a charge the fuel cannot pay.

function memoryFill(S: CompiledState, mem: MemoryInstance, dst: number, value: number, len: number, fuel: number): number {
  if (dst + len > mem.view.byteLength) return -1;
  const left = S.metered ? pay(S, fuel, Math.floor(len / bytesPerFuel(S))) : fuel;
  if (left < 0) return -1;
  mem.bytes.fill(value, dst, dst + len);
  return left;
}

/** memory.copy from memory `from` to memory `to` (the same one but for the ...M op's). */
function memoryCopy(S: CompiledState, to: MemoryInstance, from: MemoryInstance, dst: number, src: number, len: number, fuel: number): number {
  if (dst + len > to.view.byteLength || src + len > from.view.byteLength) return -1;
  const left = S.metered ? pay(S, fuel, Math.floor(len / bytesPerFuel(S))) : fuel;
  if (left < 0) return -1;
  if (to === from) to.bytes.copyWithin(dst, src, src + len);
  else to.bytes.set(from.bytes.subarray(src, src + len), dst);
  return left;
}

function memoryInit(S: CompiledState, mem: MemoryInstance, ctx: InstanceContext, index: number, dst: number, src: number, len: number, fuel: number): number {
  const data = ctx.datas[index]!;
  if (dst + len > mem.view.byteLength || src + len > data.length) return -1;
  const left = S.metered ? pay(S, fuel, Math.floor(len / bytesPerFuel(S))) : fuel;
  if (left < 0) return -1;
  mem.bytes.set(data.subarray(src, src + len), dst);
  return left;
}

const NO_BYTES = new Uint8Array(0);
const NO_ELEMENTS: unknown[] = [];

function dataDrop(ctx: InstanceContext, index: number): void {
  ctx.datas[index] = NO_BYTES;
}

function elemDrop(ctx: InstanceContext, index: number): void {
  ctx.elems[index] = NO_ELEMENTS;
}

/** memory.grow: the old size or -1; -2 (nothing done) when the interpreter must run it. Fuel left in S.fuel. */
function memoryGrow(S: CompiledState, mem: MemoryInstance, delta: number, fuel: number): number {
  S.fuel = fuel;
  if (!mem.canGrow(delta)) return mem.limits.onGrowFailure === 'trap' && mem.exceedsStoreLimit(delta) ? -2 : -1;
  const extra = S.metered ? delta * fuelCosts(S).fuelPerPage : 0;
  if (extra > fuel + S.reserve) return -2;
  const old = mem.growPages(delta);
  // A grow the host cannot allocate fails and charges nothing, as in the interpreter.
  if (old >= 0 && extra > 0) S.fuel = pay(S, fuel, extra);
  return old;
}

function tableGrow(S: CompiledState, table: TableInstance, init: unknown, delta: number, fuel: number): number {
  S.fuel = fuel;
  if (!table.canGrow(delta)) return table.limits.onGrowFailure === 'trap' && table.exceedsStoreLimit(delta) ? -2 : -1;
  if (S.metered) {
    const left = pay(S, fuel, Math.floor(delta / fuelCosts(S).elementsPerFuel));
    if (left < 0) return -2;
    S.fuel = left;
  }
  return table.growElements(delta, init);
}

function tableFill(S: CompiledState, table: TableInstance, index: number, value: unknown, len: number, fuel: number): number {
  const elements = table.elements;
  if (index + len > elements.length) return -1;
  const left = S.metered ? pay(S, fuel, Math.floor(len / fuelCosts(S).elementsPerFuel)) : fuel;
  if (left < 0) return -1;
  elements.fill(value, index, index + len);
  return left;
}

function tableCopy(S: CompiledState, dstTable: TableInstance, srcTable: TableInstance, dst: number, src: number, len: number, fuel: number): number {
  const dstElements = dstTable.elements;
  const srcElements = srcTable.elements;
  if (dst + len > dstElements.length || src + len > srcElements.length) return -1;
  const left = S.metered ? pay(S, fuel, Math.floor(len / fuelCosts(S).elementsPerFuel)) : fuel;
  if (left < 0) return -1;
  if (dstElements === srcElements) dstElements.copyWithin(dst, src, src + len);
  else for (let i = 0; i < len; i++) dstElements[dst + i] = srcElements[src + i];
  return left;
}

function tableInit(S: CompiledState, table: TableInstance, ctx: InstanceContext, index: number, dst: number, src: number, len: number, fuel: number): number {
  const elements = table.elements;
  const segment = ctx.elems[index]!;
  if (dst + len > elements.length || src + len > segment.length) return -1;
  const left = S.metered ? pay(S, fuel, Math.floor(len / fuelCosts(S).elementsPerFuel)) : fuel;
  if (left < 0) return -1;
  for (let i = 0; i < len; i++) elements[dst + i] = segment[src + i];
  return left;
}

function fuelCosts(S: CompiledState): Machine['fuelCosts'] {
  return S.fuelCosts;
}
function bytesPerFuel(S: CompiledState): number {
  return S.fuelCosts.bytesPerFuel;
}

// ---------------------------------------------------------------- scratch words and the runtime object

const scratch = new ArrayBuffer(32);

/** Typed arrays read memory in the host's byte order; Wasm's is little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const runtime = {
  LE: LITTLE_ENDIAN,
  NO_BUFFER: new ArrayBuffer(0),
  SI: new Int32Array(scratch),
  SF: new Float32Array(scratch),
  SD: new Float64Array(scratch),
  /** Scratch v128 registers 0..3 for the lane operations of simd.ts that generated code calls (simd-ops.ts). */
  SV: new V128Registers(4),
  LO: LANE_OPS,
  TAIL,
  SELF,
  LINK,
  REFUSE,
  H: numeric,
  prepare,
  lowered,
  tick,
  refuel,
  callSlots,
  ensureSlots,
  link,
  top,
  memoryGrow,
  memoryFill,
  memoryCopy,
  memoryInit,
  dataDrop,
  tableGrow,
  tableFill,
  tableCopy,
  tableInit,
  elemDrop,
};

// ---------------------------------------------------------------- the entry from the API

const CARRIED = new Set<number>([ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FuncRef, ValType.ExternRef]);

/** Whether the compiled calling convention can pass these parameters and results (other value types stay interpreted). */
function carriesSignature(type: FuncType): boolean {
  if (type.params.length > MAX_JS_PARAMS) return false;
  return type.params.every((t) => CARRIED.has(t)) && type.results.every((t) => CARRIED.has(t));
}

/** Makes `m` run Wasm functions on the compiled tier (Store setup). */
export function useCompiledTier(m: Machine, owner: object): void {
  machines.set(owner, m);
  stateOf(m);
  m.compiledEntry = runCompiled;
}

/**
 * Calls Wasm function `func` with its arguments in slots base.. on the compiled
 * tier; the same contract as the interpreter's `invoke`.
 */
function runCompiled(m: Machine, func: FunctionInstance, base: number): Status {
  if (!carriesSignature(func.funcType)) return invokeInterpreted(m, func, base);
  const S = stateOf(m);
  const entryDepth = m.depth;
  const outermost = S.active === 0;
  if (outermost) {
    // A profiler sees the interpreter's events: no compiled frame may enter.
    S.maxDepth = m.profiler !== null ? -1 : Math.min(m.maxCallDepth, entryDepth + JS_FRAME_BUDGET);
    S.maxFp = Math.min(m.maxSlots, base + JS_SLOT_BUDGET);
    S.ds = m.maxCallDepth - S.maxDepth;
    S.fs = m.maxSlots - S.maxFp;
  }
  prepare(func);
  splitFuel(m, S);
  // A nested run (a host function calling back into Wasm) must leave the outer run's state as it found it:
  // a trap it ends with would otherwise make the outer run's next deopt report that trap.
  const outerAction = S.action;
  const outerSynced = S.synced;
  S.action = Action.Deopt;
  S.synced = false;
  S.active++;
  try {
    entryGlue(func.funcType, S.metered)(func, m, S, base, entryDepth + 1, S.fuel, compiledInterval(m));
  } catch (error) {
    if (error === REFUSE) return invokeInterpreted(m, func, base);
    if (error === UNWIND) {
      m.depth = entryDepth;
      return Status.Trap;
    }
    if (error !== LINK) throw error;
    // The entry frame, as the interpreter's enterFunction makes it.
    m.framePc[entryDepth] = -1;
    m.frameFp[entryDepth] = base;
    m.frameFunc[entryDepth] = null;
    switch (S.action as Action) {
      case Action.Deopt:
        return run(m, entryDepth);
      case Action.Trap:
        return failSuspended(m, entryDepth, m.trapError!);
      case Action.Suspend:
      case Action.StopSuspend:
        return Status.HostSuspend;
      default:
        return Status.OutOfFuel;
    }
  } finally {
    S.active--;
    if (!outermost) {
      S.action = outerAction;
      S.synced = outerSynced;
    }
  }
  m.depth = entryDepth;
  if (S.metered) m.fuel = S.fuel + S.reserve;
  return Status.Done;
}
