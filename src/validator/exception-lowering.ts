/**
 * Validation and lowering of exception handling: throw, throw_ref, try_table
 * and the legacy try / catch / catch_all / delegate / rethrow.
 *
 * Nothing is emitted for entering or leaving a try block: each becomes a
 * region of code positions in the function's exception table (ir.ts
 * ExceptionTable), searched only when something throws. A catch clause lands
 * like a branch: the payload goes straight into the registers of the label's
 * values (registers 0.. for the function's label, which lands on a `Return`
 * emitted after the body), and its target is a branch target, so it starts a
 * fuel segment. try_table and try cost 1 (as block); catch, catch_all and
 * delegate are delimiters and cost nothing (as else and end).
 *
 * A legacy catch block keeps the exception it caught for `rethrow` in a
 * register between the locals and the operand stack, one per legacy try
 * nesting depth; a body that nests legacy trys deeper than the registers
 * reserved for its pass is lowered again with enough (FunctionCompiler.compile).
 */
import { ValType, type FuncType } from '../decoder/module.js';
import { CLAUSE_WORDS, Op, REGION_WORDS, TRACE_CAN_TRAP, type ExceptionTable } from '../interpreter/ir.js';
import { valTypeName } from '../interpreter/values.js';
import { Frame, FrameKind, type FunctionCompiler } from './function.js';
import { Opcode } from './opcodes.js';

/** A try region under construction; clauses are [tag index or -1, target pc, payload register, exnref register or -1]. */
interface Region {
  readonly start: number;
  end: number;
  next: number;
  readonly clauses: Int32Array[];
}

const NO_CLAUSE_TYPES: readonly ValType[] = [];
const EXNREF: readonly ValType[] = [ValType.ExnRef];

export class ExceptionLowering {
  private readonly c: FunctionCompiler;
  private regions: Region[] = [];
  /** Clauses whose label is the function's: they land on the Return emitted after the body. */
  private returnClauses: Int32Array[] = [];
  /** The first register that keeps a legacy catch's exception (the first after the locals). */
  exnBase = 0;
  /** How many such registers the body needs: its deepest nesting of legacy trys that have a catch. */
  exnRegisters = 0;

  constructor(compiler: FunctionCompiler) {
    this.c = compiler;
  }

  reset(exnBase: number): void {
    this.regions = [];
    this.returnClauses = [];
    this.exnBase = exnBase;
    this.exnRegisters = 0;
  }

  // ---------------------------------------------------------------- throw

  throw(): void {
    const c = this.c;
    c.requireFeature('exceptions', 'throw');
    const tagIndex = c.r.u32();
    const type = this.tagType(tagIndex);
    c.popVals(type.params);
    if (!c.dead) {
      const base = c.sp;
      c.meter(Opcode.Throw, TRACE_CAN_TRAP);
      for (let h = base; h < base + type.params.length; h++) c.materialize(h);
      c.out.carry();
      c.out.emit2(Op.Throw, tagIndex, c.slotBase + base);
    }
    c.setUnreachable();
  }

  throwRef(): void {
    const c = this.c;
    c.requireFeature('exceptions', 'throw_ref');
    c.pop(ValType.ExnRef);
    if (!c.dead) {
      c.meter(Opcode.ThrowRef, TRACE_CAN_TRAP);
      const src = c.reg(c.sp);
      c.out.carry();
      c.out.emit1(Op.ThrowRef, src);
    }
    c.setUnreachable();
  }

  private tagType(tagIndex: number): FuncType {
    const type = this.c.ctx.tagTypes[tagIndex];
    if (!type) this.c.fail(`unknown tag ${tagIndex}`);
    return type;
  }

  // ---------------------------------------------------------------- try_table

  tryTable(): void {
    const c = this.c;
    c.requireFeature('exceptions', 'try_table');
    const type = c.readBlockType();
    const count = c.r.u32();
    const clauses: { tagIndex: number; withRef: boolean; label: Frame }[] = [];
    for (let i = 0; i < count; i++) {
      const kind = c.r.u8();
      if (kind > 3) c.fail(`malformed catch clause kind 0x${kind.toString(16)}`);
      const tagIndex = kind < 2 ? c.r.u32() : -1;
      const tagParams = tagIndex >= 0 ? this.tagType(tagIndex).params : NO_CLAUSE_TYPES;
      const withRef = kind === 1 || kind === 3;
      const label = c.readLabel();
      const delivered = withRef ? [...tagParams, ...EXNREF] : tagParams;
      const expected = label.labelTypes;
      if (delivered.length !== expected.length || delivered.some((t, k) => t !== expected[k])) {
        c.fail(`type mismatch: catch clause delivers [${delivered.map(valTypeName).join(' ')}] to a label of [${expected.map(valTypeName).join(' ')}]`);
      }
      clauses.push({ tagIndex, withRef, label });
    }
    const live = !c.dead;
    if (live) c.meter(Opcode.TryTable, 0);
    const frame = c.enterFrame(FrameKind.TryTable, type);
    if (!live) return;
    const region = this.openRegion(frame);
    for (const { tagIndex, withRef, label } of clauses) {
      const n = tagIndex >= 0 ? this.tagType(tagIndex).params.length : 0;
      const dst = label.kind === FrameKind.Func ? 0 : c.slotBase + label.height;
      const clause = Int32Array.of(tagIndex, 0, dst, withRef ? dst + n : -1);
      region.clauses.push(clause);
      if (label.kind === FrameKind.Func) this.returnClauses.push(clause);
      else if (label.kind === FrameKind.Loop) clause[1] = label.headPc;
      else label.handlerTargets.push(clause);
    }
  }

  /** Makes `frame` open a region: what is thrown in its body is caught by its clauses first. */
  private openRegion(frame: Frame): Region {
    const region: Region = { start: this.c.out.length, end: -1, next: frame.innerRegion, clauses: [] };
    frame.region = this.regions.length;
    frame.innerRegion = frame.region;
    this.regions.push(region);
    return region;
  }

  /** At the end of a block (before its label binds): a try_table's or a catchless try's body ends here. */
  frameEnds(frame: Frame): void {
    if ((frame.kind === FrameKind.TryTable || frame.kind === FrameKind.Try) && frame.region >= 0) {
      this.regions[frame.region]!.end = this.c.out.length;
    }
  }

  /**
   * The code from `from` to here (a tail call's call of a host callee, ir.ts)
   * runs after the tail call left the function's try blocks: every open region
   * ends at `from` and goes on, as a new region with the same clauses, after it.
   */
  leaveRegions(from: number): void {
    const to = this.c.out.length;
    const renamed = new Map<number, number>();
    // Outer frames first, so an inner region's next is already renamed.
    for (const frame of this.c.frames) {
      const old = frame.region;
      if (old < 0 || this.regions[old]!.end >= 0) continue;
      const region = this.regions[old]!;
      region.end = from;
      renamed.set(old, this.regions.length);
      frame.region = this.regions.length;
      this.regions.push({ start: to, end: -1, next: renamed.get(region.next) ?? region.next, clauses: region.clauses });
    }
    for (const frame of this.c.frames) frame.innerRegion = renamed.get(frame.innerRegion) ?? frame.innerRegion;
  }

  // ---------------------------------------------------------------- legacy try, catch, catch_all, delegate, rethrow

  tryLegacy(): void {
    const c = this.c;
    c.requireFeature('exceptions', 'try');
    const type = c.readBlockType();
    const live = !c.dead;
    if (live) c.meter(Opcode.Try, 0);
    let depth = 0;
    for (const frame of c.frames) if (frame.kind === FrameKind.Try || frame.kind === FrameKind.Catch) depth++;
    const frame = c.enterFrame(FrameKind.Try, type);
    frame.legacyDepth = depth;
    if (live) this.openRegion(frame);
  }

  catchLegacy(all: boolean): void {
    const c = this.c;
    c.requireFeature('exceptions', all ? 'catch_all' : 'catch');
    const frame = c.frame;
    if (frame.kind !== FrameKind.Try && frame.kind !== FrameKind.Catch) c.fail(`${all ? 'catch_all' : 'catch'} without a matching try`);
    if (frame.catchAll) c.fail(`${all ? 'catch_all' : 'catch'} after catch_all`);
    frame.catchAll = all;
    const tagIndex = all ? -1 : c.r.u32();
    const params = all ? NO_CLAUSE_TYPES : this.tagType(tagIndex).params;
    c.finishFrameResults(frame);
    if (!c.dead) frame.jumps.push(c.out.emit1(Op.Br, 0) + 1);
    c.out.endSegment();
    if (frame.kind === FrameKind.Try) {
      this.frameEnds(frame);
      // The catch blocks are outside the try's region.
      if (frame.region >= 0) frame.innerRegion = this.regions[frame.region]!.next;
    }
    this.exnRegisters = Math.max(this.exnRegisters, frame.legacyDepth + 1);
    if (frame.region >= 0) {
      const clause = Int32Array.of(tagIndex, c.out.length, c.slotBase + frame.height, this.exnBase + frame.legacyDepth);
      this.regions[frame.region]!.clauses.push(clause);
    }
    frame.kind = FrameKind.Catch;
    frame.unreachable = false;
    c.dead = !frame.liveAtEntry;
    c.resultEnd = -1;
    c.sp = frame.height;
    // The payload arrives in the slots of these values.
    c.pushVals(params);
  }

  delegate(): void {
    const c = this.c;
    c.requireFeature('exceptions', 'delegate');
    const frame = c.frame;
    if (frame.kind !== FrameKind.Try) c.fail('delegate without a matching try');
    // The label counts the blocks around the try.
    const depth = c.r.u32();
    if (depth >= c.frames.length - 1) c.fail(`unknown label ${depth}`);
    const target = c.frames[c.frames.length - 2 - depth]!;
    if (frame.region >= 0) this.regions[frame.region]!.next = target.kind === FrameKind.Func ? -1 : target.innerRegion;
    c.end();
  }

  rethrow(): void {
    const c = this.c;
    c.requireFeature('exceptions', 'rethrow');
    const depth = c.r.u32();
    if (depth >= c.frames.length) c.fail(`unknown label ${depth}`);
    const target = c.frames[c.frames.length - 1 - depth]!;
    if (target.kind !== FrameKind.Catch) c.fail('invalid rethrow label');
    if (!c.dead) {
      c.meter(Opcode.Rethrow, TRACE_CAN_TRAP);
      c.out.carry();
      c.out.emit1(Op.ThrowRef, this.exnBase + target.legacyDepth);
    }
    c.setUnreachable();
  }

  // ---------------------------------------------------------------- the table

  /** After the body's last op: the Return that clauses catching to the function's label land on. */
  emitReturnPad(): void {
    if (this.returnClauses.length === 0) return;
    const pc = this.c.out.emit0(Op.Return);
    for (const clause of this.returnClauses) clause[1] = pc;
  }

  /** The function's exception table, or null when it has no try region. */
  finish(): ExceptionTable | null {
    if (this.regions.length === 0) return null;
    const regions = new Int32Array(this.regions.length * REGION_WORDS);
    const clauseCount = this.regions.reduce((n, r) => n + r.clauses.length, 0);
    const clauses = new Int32Array(clauseCount * CLAUSE_WORDS);
    let next = 0;
    this.regions.forEach((region, i) => {
      regions.set([region.start, region.end, region.next, next, region.clauses.length], i * REGION_WORDS);
      for (const clause of region.clauses) clauses.set(clause, CLAUSE_WORDS * next++);
    });
    return { regions, clauses };
  }
}
