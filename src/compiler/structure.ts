/**
 * The control structure of a lowered function, recovered from its IR so the
 * generated JavaScript can use labelled blocks and loops instead of a dispatch
 * loop. The IR comes from structured Wasm: a backward branch goes to a loop
 * head, a forward one to the end of an enclosing block. So:
 *   - a loop spans from its head to its last back-edge, widened to contain
 *     every loop whose head lies inside it (a branch to an outer loop head may
 *     come before the inner loop's last back-edge);
 *   - the block a forward branch leaves ends at its target and starts at the
 *     head of the innermost loop containing that target (or the function start):
 *     all branches to a target inside a loop come from inside that loop, and
 *     such intervals nest with each other and with the loops.
 */

import { forEachTarget } from '../validator/peephole.js';
import { Op, opLength } from '../interpreter/ir.js';

export interface Interval {
  readonly start: number;
  end: number;
  readonly loop: boolean;
}

export interface Structure {
  /** Start pc of every op, in order. */
  readonly ops: Int32Array;
  /** 1 at every pc that starts a basic block. */
  readonly leaders: Uint8Array;
  /** Intervals opening at each pc, outermost first. */
  readonly opening: Map<number, Interval[]>;
  /** Number of intervals closing at each pc. */
  readonly closing: Map<number, Interval[]>;
}

/** Whether control never falls through the op at `pc`. */
export function endsFlow(op: number): boolean {
  return op === Op.Br || op === Op.BrTable || op === Op.Return || op === Op.Unreachable;
}

export function analyzeStructure(code: Int32Array): Structure {
  const starts: number[] = [];
  const leaders = new Uint8Array(code.length + 1);
  leaders[0] = 1;
  /** For each loop head: the end (pc after) of its last back-edge. */
  const loopEnd = new Map<number, number>();
  const forwardTargets = new Set<number>();
  for (let pc = 0; pc < code.length; ) {
    starts.push(pc);
    const next = pc + opLength(code, pc);
    forEachTarget(code, pc, (at) => {
      const target = code[at]!;
      leaders[target] = 1;
      if (target <= pc) loopEnd.set(target, Math.max(loopEnd.get(target) ?? 0, next));
      else forwardTargets.add(target);
    });
    if (endsFlow(code[pc]!) || hasTarget(code, pc)) leaders[next] = 1;
    pc = next;
  }

  // Loops, innermost (latest head) first, widened over the loops they contain.
  const heads = [...loopEnd.keys()].sort((a, b) => b - a);
  const loops: Interval[] = [];
  for (const head of heads) {
    const loop: Interval = { start: head, end: loopEnd.get(head)!, loop: true };
    for (const inner of loops) if (inner.start > head && inner.start < loop.end && inner.end > loop.end) loop.end = inner.end;
    loops.push(loop);
  }
  loops.sort((a, b) => a.start - b.start || b.end - a.end);

  const blocks: Interval[] = [];
  for (const target of forwardTargets) {
    let start = 0;
    // The innermost loop strictly containing the target: the one with the latest head.
    for (const loop of loops) if (loop.start < target && target < loop.end && loop.start > start) start = loop.start;
    blocks.push({ start, end: target, loop: false });
  }

  const opening = new Map<number, Interval[]>();
  const closing = new Map<number, Interval[]>();
  for (const interval of [...loops, ...blocks]) {
    let open = opening.get(interval.start);
    if (open === undefined) opening.set(interval.start, (open = []));
    open.push(interval);
    let close = closing.get(interval.end);
    if (close === undefined) closing.set(interval.end, (close = []));
    close.push(interval);
  }
  // Outermost first: the later end; at equal ends a block encloses the loop (either works, this is fixed).
  for (const list of opening.values()) list.sort((a, b) => b.end - a.end || Number(a.loop) - Number(b.loop));
  // Innermost first.
  for (const list of closing.values()) list.sort((a, b) => b.start - a.start || Number(b.loop) - Number(a.loop));
  return { ops: Int32Array.from(starts), leaders, opening, closing };
}

function hasTarget(code: Int32Array, pc: number): boolean {
  let found = false;
  forEachTarget(code, pc, () => {
    found = true;
  });
  return found;
}
