import type { TrapCode, RuntimeError } from '../errors.js';
import type { FuelCosts } from './fuel.js';
import type { FunctionInstance } from './function.js';
import { V128Registers } from './simd.js';

/** How a run of the executor ended. */
export const enum Status {
  /** The entry function returned; its results are in its registers 0.. */
  Done,
  /** Trapped: `trap` (and `trapError` for host failures) say why; frames are unwound. */
  Trap,
  /** Out of fuel at an instruction boundary; the frames are kept and the run can resume. */
  OutOfFuel,
  /**
   * A host function returned a Promise (`suspendedPromise`) in a run that may
   * suspend: the frames are kept, stopped at the call (`pc`), and the run
   * continues at `suspendedNext` once the results are in `suspendedSlot`..
   */
  HostSuspend,
}

/** Receives every Wasm and host function entry and exit (Store.setProfiler). */
export interface Profiler {
  /** `funcIndex` is the index in the module's function space, -1 for host functions. */
  enter(funcName: string, funcIndex: number, fuelConsumed: number): void;
  /** Also called for each frame a trap unwinds. */
  exit(fuelConsumed: number): void;
}

/** How many interrupt events (loop back-edges and calls) pass between two interrupt checks by default. */
export const DEFAULT_INTERRUPT_INTERVAL = 10_000;

const INITIAL_SLOTS = 1024;
const INITIAL_FRAMES = 64;
/** Fills frame slots not in use. */
const NO_CODE = new Int32Array(0);

/**
 * The execution state of one store: the register file (8-byte slots viewed as
 * Int32Array / Float32Array / Float64Array plus a parallel `refs` array), the
 * frame stack in typed arrays, fuel, and the saved state of a stopped run.
 * Nested runs (a host function calling back into Wasm) use the same register
 * file and frame stack above the current ones.
 */
export class Machine {
  w: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
  /** Never replaced, only lengthened, so the executor may cache it. */
  readonly refs: unknown[];
  /** The v128 register file (ir.ts): one 16-byte slot per register slot; never replaced, only grown. */
  readonly v128: V128Registers;
  /** Number of slots in the register file. */
  capacity: number;

  /** Return pc, caller fp and caller function of every active frame. */
  framePc: Int32Array;
  frameFp: Int32Array;
  frameFunc: (FunctionInstance | null)[];
  /** The caller's code, so a return reloads it without going through its function. */
  readonly frameCode: Int32Array[];
  /** Number of active frames (entry frames included). */
  depth = 0;
  readonly maxCallDepth: number;
  /** The register file never grows past this many slots (ensureSlots fails instead). */
  readonly maxSlots: number;

  readonly metered: boolean;
  readonly fuelCosts: FuelCosts;
  fuel = 0;
  /** Fuel consumed so far is `fuelBase - fuel` (setFuel moves both). */
  fuelBase = 0;

  profiler: Profiler | null = null;
  /** Store.setInterrupt: polled when `countdown` reaches 0 on a loop back-edge or call. */
  interruptCheck: (() => boolean) | null = null;
  /** The compiled tier saw interruptCheck answer true and handed over: the interpreter stops without asking again. */
  interruptSeen = false;
  interruptInterval = DEFAULT_INTERRUPT_INTERVAL;
  countdown = DEFAULT_INTERRUPT_INTERVAL;

  /** Whether a host function returning a Promise suspends the current run (callResumable) or fails it. */
  canSuspend = false;
  suspendedPromise: Promise<unknown> | null = null;
  /** The host function that returned it, called from Wasm with its arguments (and then results) in `suspendedSlot`.. */
  suspendedHost: FunctionInstance | null = null;
  suspendedSlot = 0;
  suspendedNext = 0;

  /** First free slot: where a new (top-level or nested) invocation puts its frame. */
  top = 0;

  // The state of a stopped run (or where it trapped).
  func: FunctionInstance | null = null;
  pc = 0;
  fp = 0;
  /** Fuel trace entry from which the stopped segment is still unpaid, or -1. */
  pendingEntry = -1;
  trap: TrapCode = 'unreachable';
  /** The error to report for the last trap when it is not a plain trap code (host failures). */
  trapError: RuntimeError | null = null;
  trapFunc: FunctionInstance | null = null;

  // A FuelStop opcode temporarily written over `stopCode[stopPc]` (see metering.ts).
  stopCode: Int32Array | null = null;
  stopPc = 0;
  stopOp = 0;
  stopEntry = 0;

  /** The object host functions receive when called without a Wasm caller. */
  defaultCaller: unknown = undefined;

  /** Set when the store runs Wasm functions on the compiled tier (src/compiler): `invoke` goes there. */
  compiledEntry: ((m: Machine, func: FunctionInstance, base: number) => Status) | null = null;

  constructor(maxCallDepth: number, maxSlots: number, metered: boolean, fuelCosts: FuelCosts) {
    this.maxCallDepth = maxCallDepth;
    this.maxSlots = maxSlots;
    this.metered = metered;
    this.fuelCosts = fuelCosts;
    this.capacity = INITIAL_SLOTS;
    const buffer = new ArrayBuffer(INITIAL_SLOTS * 8);
    this.w = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.refs = new Array<unknown>(INITIAL_SLOTS).fill(null);
    this.v128 = new V128Registers(INITIAL_SLOTS);
    this.framePc = new Int32Array(INITIAL_FRAMES);
    this.frameFp = new Int32Array(INITIAL_FRAMES);
    this.frameFunc = new Array<FunctionInstance | null>(INITIAL_FRAMES).fill(null);
    this.frameCode = new Array<Int32Array>(INITIAL_FRAMES).fill(NO_CODE);
  }

  /**
   * Makes the register file hold at least `slots` slots (reallocating and
   * copying); false, changing nothing, when that is more than `maxSlots`.
   */
  ensureSlots(slots: number): boolean {
    if (slots <= this.capacity) return true;
    if (slots > this.maxSlots) return false;
    let capacity = this.capacity * 2;
    while (capacity < slots) capacity *= 2;
    if (capacity > this.maxSlots) capacity = this.maxSlots;
    const buffer = new ArrayBuffer(capacity * 8);
    const w = new Int32Array(buffer);
    w.set(this.w);
    this.w = w;
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    for (let i = this.capacity; i < capacity; i++) this.refs.push(null);
    this.v128.grow(capacity);
    this.capacity = capacity;
    return true;
  }

  /** Makes room for one more frame on the frame stack. */
  ensureFrame(): void {
    if (this.depth < this.framePc.length) return;
    const size = this.framePc.length * 2;
    const framePc = new Int32Array(size);
    framePc.set(this.framePc);
    const frameFp = new Int32Array(size);
    frameFp.set(this.frameFp);
    this.framePc = framePc;
    this.frameFp = frameFp;
    for (let i = this.frameFunc.length; i < size; i++) {
      this.frameFunc.push(null);
      this.frameCode.push(NO_CODE);
    }
  }

  /** Puts back the opcode a FuelStop replaced, if any. */
  removeStop(): void {
    if (this.stopCode !== null) {
      this.stopCode[this.stopPc] = this.stopOp;
      this.stopCode = null;
    }
  }
}
