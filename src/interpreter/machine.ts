import type { TrapCode, RuntimeError } from '../errors.js';
import type { FuelCosts } from './fuel.js';
import type { FunctionInstance } from './function.js';

/** How a run of the executor ended. */
export const enum Status {
  /** The entry function returned; its results are in its registers 0.. */
  Done,
  /** Trapped: `trap` (and `trapError` for host failures) say why; frames are unwound. */
  Trap,
  /** Out of fuel at an instruction boundary; the frames are kept and the run can resume. */
  OutOfFuel,
}

const INITIAL_SLOTS = 1024;
const INITIAL_FRAMES = 64;

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
  /** Number of slots in the register file. */
  capacity: number;

  /** Return pc, caller fp and caller function of every active frame. */
  framePc: Int32Array;
  frameFp: Int32Array;
  frameFunc: (FunctionInstance | null)[];
  /** Number of active frames (entry frames included). */
  depth = 0;
  readonly maxCallDepth: number;

  readonly metered: boolean;
  readonly fuelCosts: FuelCosts;
  fuel = 0;

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

  constructor(maxCallDepth: number, metered: boolean, fuelCosts: FuelCosts) {
    this.maxCallDepth = maxCallDepth;
    this.metered = metered;
    this.fuelCosts = fuelCosts;
    this.capacity = INITIAL_SLOTS;
    const buffer = new ArrayBuffer(INITIAL_SLOTS * 8);
    this.w = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.refs = new Array<unknown>(INITIAL_SLOTS).fill(null);
    this.framePc = new Int32Array(INITIAL_FRAMES);
    this.frameFp = new Int32Array(INITIAL_FRAMES);
    this.frameFunc = new Array<FunctionInstance | null>(INITIAL_FRAMES).fill(null);
  }

  /** Makes the register file hold at least `slots` slots (reallocating and copying). */
  ensureSlots(slots: number): void {
    if (slots <= this.capacity) return;
    let capacity = this.capacity * 2;
    while (capacity < slots) capacity *= 2;
    const buffer = new ArrayBuffer(capacity * 8);
    const w = new Int32Array(buffer);
    w.set(this.w);
    this.w = w;
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
    for (let i = this.capacity; i < capacity; i++) this.refs.push(null);
    this.capacity = capacity;
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
    for (let i = this.frameFunc.length; i < size; i++) this.frameFunc.push(null);
  }

  /** Puts back the opcode a FuelStop replaced, if any. */
  removeStop(): void {
    if (this.stopCode !== null) {
      this.stopCode[this.stopPc] = this.stopOp;
      this.stopCode = null;
    }
  }
}
