import { MAX_SEGMENT_COST, Op, TRACE_HEADER } from '../interpreter/ir.js';

/**
 * The growing IR code array of one function, plus the fuel segments and the
 * fuel trace of ir.ts.
 *
 * Fuel bookkeeping: `meter` records one Wasm instruction (opening a segment with
 * a `Fuel` op first when none is open). Its trace triple stays *pending* until
 * the IR op that carries it is known: `carry()` just before emitting an
 * instruction's own op gives all pending triples that op's pc, so
 * instructions that emit nothing (local.get, constants, nop, drop, block) are
 * carried by the next op that does. Ops emitted without `carry()` (moves that
 * materialize virtual values, branch stubs) carry no instruction. When a
 * segment ends, the still pending triples (trailing instructions that emit
 * nothing) go to the segment's last op, which may be its `Fuel` op.
 */
export class CodeBuilder {
  code = new Int32Array(256);
  length = 0;

  private readonly metering: boolean;
  private trace: number[] = [];
  private segmentOpen = false;
  private headerPc = 0;
  private headerTriple = 0;
  private segmentCost = 0;
  /** The last op emitted in the open segment. */
  private lastOpPc = 0;
  /** Triples from this index on have no irPc yet. */
  private pendingFrom = 0;

  constructor(metering: boolean) {
    this.metering = metering;
  }

  reset(): void {
    this.length = 0;
    this.trace = [];
    this.segmentOpen = false;
    this.pendingFrom = 0;
  }

  private reserve(words: number): number {
    const pc = this.length;
    if (pc + words > this.code.length) {
      const grown = new Int32Array(Math.max(this.code.length * 2, pc + words));
      grown.set(this.code.subarray(0, pc));
      this.code = grown;
    }
    this.length = pc + words;
    this.lastOpPc = pc;
    return pc;
  }

  emit0(op: Op): number {
    const pc = this.reserve(1);
    this.code[pc] = op;
    return pc;
  }

  emit1(op: Op, a: number): number {
    const pc = this.reserve(2);
    const c = this.code;
    c[pc] = op;
    c[pc + 1] = a;
    return pc;
  }

  emit2(op: Op, a: number, b: number): number {
    const pc = this.reserve(3);
    const c = this.code;
    c[pc] = op;
    c[pc + 1] = a;
    c[pc + 2] = b;
    return pc;
  }

  emit3(op: Op, a: number, b: number, d: number): number {
    const pc = this.reserve(4);
    const c = this.code;
    c[pc] = op;
    c[pc + 1] = a;
    c[pc + 2] = b;
    c[pc + 3] = d;
    return pc;
  }

  emit4(op: Op, a: number, b: number, d: number, e: number): number {
    const pc = this.reserve(5);
    const c = this.code;
    c[pc] = op;
    c[pc + 1] = a;
    c[pc + 2] = b;
    c[pc + 3] = d;
    c[pc + 4] = e;
    return pc;
  }

  emit5(op: Op, a: number, b: number, d: number, e: number, f: number): number {
    const pc = this.reserve(6);
    const c = this.code;
    c[pc] = op;
    c[pc + 1] = a;
    c[pc + 2] = b;
    c[pc + 3] = d;
    c[pc + 4] = e;
    c[pc + 5] = f;
    return pc;
  }

  emit6(op: Op, a: number, b: number, d: number, e: number, f: number, g: number): number {
    const pc = this.reserve(7);
    const c = this.code;
    c[pc] = op;
    c[pc + 1] = a;
    c[pc + 2] = b;
    c[pc + 3] = d;
    c[pc + 4] = e;
    c[pc + 5] = f;
    c[pc + 6] = g;
    return pc;
  }

  /** `op dst operands...` */
  emitOperands(op: Op, dst: number, operands: readonly number[]): number {
    const pc = this.reserve(2 + operands.length);
    const c = this.code;
    c[pc] = op;
    c[pc + 1] = dst;
    for (let i = 0; i < operands.length; i++) c[pc + 2 + i] = operands[i]!;
    return pc;
  }

  /** `BrTable index count` followed by count + 1 target words for the caller to fill in. */
  emitBrTable(index: number, count: number): number {
    const pc = this.reserve(3 + count + 1);
    const c = this.code;
    c[pc] = Op.BrTable;
    c[pc + 1] = index;
    c[pc + 2] = count;
    return pc;
  }

  /** Drops the ops from `pc` on (a compare being fused into the branch after it). */
  truncate(pc: number): void {
    this.length = pc;
  }

  // ---- fuel

  /** Records one metered Wasm instruction of cost `cost` (flags: TRACE_CAN_TRAP or 0). */
  meter(cost: number, flags: number): void {
    if (!this.metering) return;
    if (!this.segmentOpen) this.openSegment();
    this.trace.push(-1, cost, flags);
    this.segmentCost += cost;
  }

  /** The next op emitted carries every pending instruction. */
  carry(): void {
    this.carryAt(this.length);
  }

  /** The op at `pc` (already emitted) carries every pending instruction. */
  carryAt(pc: number): void {
    const trace = this.trace;
    for (let i = this.pendingFrom; i < trace.length; i += 3) trace[i] = pc;
    this.pendingFrom = trace.length;
  }

  /**
   * Instructions already carried by ops at or after `fromPc` move to the op at
   * `toPc` (a fused compare's op was dropped and re-emitted later as a branch).
   */
  moveCarried(fromPc: number, toPc: number): void {
    const trace = this.trace;
    // Triples are in pc order and the segment's Fuel op lies before `fromPc`, so this stops there.
    for (let i = this.pendingFrom - 3; i >= 0 && trace[i]! >= fromPc; i -= 3) trace[i] = toPc;
  }

  /** Ends the current straight-line segment (at a branch, a branch target or after a call). */
  endSegment(): void {
    if (!this.segmentOpen) return;
    this.carryAt(this.lastOpPc);
    const cost = Math.min(this.segmentCost, MAX_SEGMENT_COST);
    this.code[this.headerPc + 1] = cost;
    this.trace[this.headerTriple + 1] = cost;
    this.segmentOpen = false;
  }

  private openSegment(): void {
    const headerTriple = this.trace.length;
    const pc = this.emit2(Op.Fuel, 0, headerTriple / 3);
    this.trace.push(pc, 0, TRACE_HEADER);
    this.pendingFrom = this.trace.length;
    this.headerPc = pc;
    this.headerTriple = headerTriple;
    this.segmentCost = 0;
    this.segmentOpen = true;
  }

  finishTrace(): Int32Array | undefined {
    return this.metering ? Int32Array.from(this.trace) : undefined;
  }

  finishCode(): Int32Array {
    return this.code.slice(0, this.length);
  }
}
