/**
 * A last pass over a function's finished IR that merges adjacent ops into
 * superinstructions where the one-pass lowering cannot see the pair: two
 * `i32.add_imm` in a row (loop counters and pointers stepping together)
 * become one `I32AddImm2`, and an `i32.add_imm` followed by a branch on its
 * result (`br_if_nez`, or `br_if_i32.ne` against another register) or by a
 * copy of its result becomes one op. The second op must not be a branch
 * target. Branch targets and the fuel trace's IR pcs are moved to the new
 * positions; the merged op carries the Wasm instructions of both (neither traps).
 *
 * In metered code, a Copy or Const32 followed by a Fuel op then becomes its
 * "then fuel" form (ir.ts), same length, so nothing moves.
 */
import { OP_LAYOUT, Op, opLength } from '../interpreter/ir.js';

/**
 * Per op, the word offsets of its branch-target operands; null for ops with a
 * target table (`n`), whose operands are walked one by one.
 */
const TARGET_OFFSETS: readonly (readonly number[] | null)[] = OP_LAYOUT.map((layout) => {
  if (layout.includes('n')) return null;
  const offsets: number[] = [];
  let at = 1;
  for (const kind of layout) {
    if (kind === 't') offsets.push(at);
    at += kind === 'L' ? 2 : 1;
  }
  return offsets;
});

/** Calls `visit` with the code index of every branch-target operand of the op at `pc`. */
export function forEachTarget(code: Int32Array, pc: number, visit: (at: number) => void): void {
  const offsets = TARGET_OFFSETS[code[pc]!]!;
  if (offsets !== null) {
    for (let i = 0; i < offsets.length; i++) visit(pc + offsets[i]!);
    return;
  }
  let at = pc + 1;
  for (const kind of OP_LAYOUT[code[pc]!]!) {
    if (kind === 't') visit(at);
    else if (kind === 'n') {
      const count = code[at++]!;
      for (let i = 0; i <= count; i++) visit(at + i);
      at += count;
    }
    at += kind === 'L' ? 2 : 1;
  }
}

/** Code indices that some branch jumps to. */
function branchTargets(code: Int32Array): Uint8Array {
  const targets = new Uint8Array(code.length + 1);
  const mark = (at: number): void => {
    targets[code[at]!] = 1;
  };
  for (let pc = 0; pc < code.length; pc += opLength(code, pc)) forEachTarget(code, pc, mark);
  return targets;
}

/** Whether some i32.add_imm is followed by an op it could merge with (branch targets aside). */
function hasCandidates(code: Int32Array): boolean {
  for (let pc = 0; pc < code.length; ) {
    const next = pc + opLength(code, pc);
    if (code[pc] === Op.I32AddImm && next < code.length) {
      const op = code[next];
      if (op === Op.I32AddImm || op === Op.BrIfNez || op === Op.BrIfI32Ne || op === Op.Copy) return true;
    }
    pc = next;
  }
  return false;
}

/** Returns the optimized code; rewrites `trace` (triples [irPc, cost, flags]) in place. */
export function mergeAdjacentOps(code: Int32Array, trace: Int32Array | undefined): Int32Array {
  const merged = mergeAddImms(code, trace);
  if (trace !== undefined) chargeFuelAfterMoves(merged);
  return merged;
}

/** Rewrites every Copy or Const32 right before a Fuel op into the form that charges it inline. */
function chargeFuelAfterMoves(code: Int32Array): void {
  for (let pc = 0; pc < code.length; ) {
    const op = code[pc]!;
    const next = pc + opLength(code, pc);
    if (code[next] === Op.Fuel) {
      if (op === Op.Copy) code[pc] = Op.CopyThenFuel;
      else if (op === Op.Const32) code[pc] = Op.Const32ThenFuel;
    }
    pc = next;
  }
}

function mergeAddImms(code: Int32Array, trace: Int32Array | undefined): Int32Array {
  // Most functions have nothing to merge: a cheap scan spares them the copy.
  if (!hasCandidates(code)) return code;
  const targets = branchTargets(code);
  const out = new Int32Array(code.length);
  /** New index of every old op start (and of the end). */
  const moved = new Int32Array(code.length + 1);
  let length = 0;
  let merged = false;
  for (let pc = 0; pc < code.length; ) {
    const size = opLength(code, pc);
    const next = pc + size;
    moved[pc] = length;
    let fused = -1;
    if (code[pc] === Op.I32AddImm && next < code.length && targets[next] === 0) {
      const sum = code[pc + 1]!;
      const second = code[next];
      if (second === Op.I32AddImm) fused = Op.I32AddImm2;
      else if (second === Op.BrIfNez && code[next + 1] === sum) fused = Op.I32AddImmBrIfNez;
      else if (second === Op.BrIfI32Ne && (code[next + 1] === sum) !== (code[next + 2] === sum)) fused = Op.I32AddImmBrIfNe;
      else if (second === Op.Copy && code[next + 2] === sum) fused = Op.I32AddImmCopy;
    }
    if (fused >= 0) {
      moved[next] = length;
      // The add's operands (dst, a, k), then the second op's other operands.
      out[length] = fused;
      out.set(code.subarray(pc + 1, pc + 4), length + 1);
      length += 4;
      if (fused === Op.I32AddImm2) {
        out.set(code.subarray(next + 1, next + 4), length);
        length += 3;
      } else if (fused === Op.I32AddImmBrIfNez) {
        out[length++] = code[next + 2]!;
      } else if (fused === Op.I32AddImmCopy) {
        out[length++] = code[next + 1]!;
      } else {
        out[length++] = code[next + 1] === code[pc + 1] ? code[next + 2]! : code[next + 1]!;
        out[length++] = code[next + 3]!;
      }
      pc = next + opLength(code, next);
      merged = true;
      continue;
    }
    while (pc < next) out[length++] = code[pc++]!;
  }
  moved[code.length] = length;
  if (!merged) return code;

  const relocate = (at: number): void => {
    out[at] = moved[out[at]!]!;
  };
  for (let pc = 0; pc < length; pc += opLength(out, pc)) forEachTarget(out, pc, relocate);
  if (trace !== undefined) for (let i = 0; i < trace.length; i += 3) trace[i] = moved[trace[i]!]!;
  return out.slice(0, length);
}
