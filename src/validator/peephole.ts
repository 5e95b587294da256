/**
 * A last pass over a function's finished IR that merges adjacent ops into
 * superinstructions where the one-pass lowering cannot see the pair: two
 * `i32.add_imm` in a row (loop counters and pointers stepping together)
 * become one `I32AddImm2`, and an `i32.add_imm` followed by a branch on its
 * result (`br_if_nez`, or `br_if_i32.ne` against another register) becomes
 * one op. The second op must not be a branch target. Branch targets and the
 * fuel trace's IR pcs are moved to the new positions; the merged op carries
 * the Wasm instructions of both (neither traps).
 */
import { OP_LAYOUT, Op, opLength } from '../interpreter/ir.js';

/** Code indices that some branch jumps to. */
function branchTargets(code: Int32Array): Uint8Array {
  const targets = new Uint8Array(code.length + 1);
  for (let pc = 0; pc < code.length; pc += opLength(code, pc)) {
    let at = pc + 1;
    for (const kind of OP_LAYOUT[code[pc]!]!) {
      if (kind === 't') targets[code[at]!] = 1;
      else if (kind === 'n') {
        const count = code[at++]!;
        for (let i = 0; i <= count; i++) targets[code[at + i]!] = 1;
        at += count;
      }
      at += kind === 'L' ? 2 : 1;
    }
  }
  return targets;
}

/** Returns the optimized code; rewrites `trace` (triples [irPc, cost, flags]) in place. */
export function mergeAdjacentOps(code: Int32Array, trace: Int32Array | undefined): Int32Array {
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
    const mergeable = code[pc] === Op.I32AddImm && next < code.length && targets[next] === 0;
    if (mergeable && code[next] === Op.I32AddImm) {
      moved[next] = length;
      out[length] = Op.I32AddImm2;
      out.set(code.subarray(pc + 1, pc + 4), length + 1);
      out.set(code.subarray(next + 1, next + 4), length + 4);
      length += 7;
      pc = next + 4;
      merged = true;
      continue;
    }
    const sum = code[pc + 1]!;
    if (mergeable && code[next] === Op.BrIfNez && code[next + 1] === sum) {
      moved[next] = length;
      out[length] = Op.I32AddImmBrIfNez;
      out.set(code.subarray(pc + 1, pc + 4), length + 1);
      out[length + 4] = code[next + 2]!;
      length += 5;
      pc = next + 3;
      merged = true;
      continue;
    }
    if (mergeable && code[next] === Op.BrIfI32Ne && (code[next + 1] === sum) !== (code[next + 2] === sum)) {
      moved[next] = length;
      out[length] = Op.I32AddImmBrIfNe;
      out.set(code.subarray(pc + 1, pc + 4), length + 1);
      out[length + 4] = code[next + 1] === sum ? code[next + 2]! : code[next + 1]!;
      out[length + 5] = code[next + 3]!;
      length += 6;
      pc = next + 4;
      merged = true;
      continue;
    }
    out.set(code.subarray(pc, next), length);
    length += size;
    pc = next;
  }
  moved[code.length] = length;
  if (!merged) return code;

  for (let pc = 0; pc < length; pc += opLength(out, pc)) {
    let at = pc + 1;
    for (const kind of OP_LAYOUT[out[pc]!]!) {
      if (kind === 't') out[at] = moved[out[at]!]!;
      else if (kind === 'n') {
        const count = out[at++]!;
        for (let i = 0; i <= count; i++) out[at + i] = moved[out[at + i]!]!;
        at += count;
      }
      at += kind === 'L' ? 2 : 1;
    }
  }
  if (trace !== undefined) for (let i = 0; i < trace.length; i += 3) trace[i] = moved[trace[i]!]!;
  return out.slice(0, length);
}
