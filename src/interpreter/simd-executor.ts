/**
 * The SIMD ops of the IR (ir.ts), executed for the interpreter's loop
 * (executor.ts), which sends them all here through one case: a second
 * dispatch for SIMD code, and no growth of the loop that scalar code runs in.
 * One call runs every SIMD op from `pc` up to the next other op (SIMD code
 * comes in runs of them), so the executor's dispatch and call are paid once
 * per run, not once per op. Every op calls a lane function of simd.ts.
 */
import type { GlobalInstance } from './global.js';
import { Op } from './ir.js';
import { unsignedAt } from './memory-ops.js';
import type { MemoryInstance } from './memory.js';
import {
  i8x16Shuffle, LANE_OPS, v128Copy, v128Set, type V128Binary, type V128Extract, type V128LoadFn, type V128LoadLaneFn,
  type V128Registers, type V128Replace, type V128Shift, type V128Splat, type V128StoreFn, type V128StoreLaneFn,
  type V128Ternary, type V128Test, type V128Unary,
} from './simd.js';

/**
 * Runs the SIMD ops from `pc` on, in the frame at `fp` (`w`: the scalar
 * registers, `mem` and `memLen`: memory 0), up to the first op that is not a
 * SIMD op; returns its pc, or `~pc` of the op that traps (memoryOutOfBounds,
 * the only trap of a SIMD op). SIMD ops neither branch nor charge fuel (their
 * segment's Fuel op paid for them), so running several here changes nothing
 * the executor keeps track of.
 */
export function executeSimd(
  v: V128Registers, code: Int32Array, pc: number, fp: number, w: Int32Array,
  globals: readonly GlobalInstance[], mem: DataView, memLen: number,
): number {
  for (;;) {
    switch (code[pc]) {
      case Op.V128Copy:
        v128Copy(v, fp + code[pc + 1]!, fp + code[pc + 2]!);
        pc += 3;
        break;
      case Op.V128Select:
        v128Copy(v, fp + code[pc + 1]!, fp + (w[(fp + code[pc + 2]!) << 1] !== 0 ? code[pc + 3]! : code[pc + 4]!));
        pc += 5;
        break;
      case Op.V128Const:
        v128Set(v, fp + code[pc + 1]!, code[pc + 2]!, code[pc + 3]!, code[pc + 4]!, code[pc + 5]!);
        pc += 6;
        break;
      case Op.V128ZeroLocals:
        v.i32.fill(0, (fp + code[pc + 1]!) << 2, (fp + code[pc + 2]!) << 2);
        pc += 3;
        break;
      case Op.V128GlobalGet: {
        const bits = globals[code[pc + 2]!]!.words;
        v128Set(v, fp + code[pc + 1]!, bits[0]!, bits[1]!, bits[2]!, bits[3]!);
        pc += 3;
        break;
      }
      case Op.V128GlobalSet: {
        const bits = globals[code[pc + 1]!]!.words;
        const x = v.i32;
        const s = (fp + code[pc + 2]!) << 2;
        bits[0] = x[s]!;
        bits[1] = x[s + 1]!;
        bits[2] = x[s + 2]!;
        bits[3] = x[s + 3]!;
        pc += 3;
        break;
      }
      case Op.V128Unary:
        (LANE_OPS[code[pc + 3]!] as V128Unary)(v, fp + code[pc + 1]!, fp + code[pc + 2]!);
        pc += 4;
        break;
      case Op.V128Binary: {
        const d = fp + code[pc + 1]!;
        const a = fp + code[pc + 2]!;
        const b = fp + code[pc + 3]!;
        (LANE_OPS[code[pc + 4]!] as V128Binary)(v, d, a, b);
        pc += 5;
        break;
      }
      case Op.V128Ternary:
        (LANE_OPS[code[pc + 5]!] as V128Ternary)(v, fp + code[pc + 1]!, fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!);
        pc += 6;
        break;
      case Op.V128Shift: {
        const d = fp + code[pc + 1]!;
        const a = fp + code[pc + 2]!;
        const count = w[(fp + code[pc + 3]!) << 1]!;
        (LANE_OPS[code[pc + 4]!] as V128Shift)(v, d, a, count);
        pc += 5;
        break;
      }
      case Op.V128Splat: {
        const d = fp + code[pc + 1]!;
        const s = (fp + code[pc + 2]!) << 1;
        (LANE_OPS[code[pc + 3]!] as V128Splat)(v, d, w[s]!, w[s + 1]!);
        pc += 4;
        break;
      }
      case Op.V128Extract:
        (LANE_OPS[code[pc + 4]!] as V128Extract)(w, (fp + code[pc + 1]!) << 1, v, fp + code[pc + 2]!, code[pc + 3]!);
        pc += 5;
        break;
      case Op.V128Replace: {
        const s = (fp + code[pc + 3]!) << 1;
        (LANE_OPS[code[pc + 5]!] as V128Replace)(v, fp + code[pc + 1]!, fp + code[pc + 2]!, code[pc + 4]!, w[s]!, w[s + 1]!);
        pc += 6;
        break;
      }
      case Op.V128Test:
        w[(fp + code[pc + 1]!) << 1] = (LANE_OPS[code[pc + 3]!] as V128Test)(v, fp + code[pc + 2]!);
        pc += 4;
        break;
      case Op.V128Shuffle:
        i8x16Shuffle(v, fp + code[pc + 1]!, fp + code[pc + 2]!, fp + code[pc + 3]!, code[pc + 4]!, code[pc + 5]!, code[pc + 6]!, code[pc + 7]!);
        pc += 8;
        break;
      case Op.V128Load: {
        const ea = (w[(fp + code[pc + 2]!) << 1]! >>> 0) + (code[pc + 3]! >>> 0);
        if (ea + code[pc + 4]! > memLen) {
          return ~pc;
        }
        (LANE_OPS[code[pc + 5]!] as V128LoadFn)(v, fp + code[pc + 1]!, mem, ea);
        pc += 6;
        break;
      }
      case Op.V128Store: {
        const ea = (w[(fp + code[pc + 1]!) << 1]! >>> 0) + (code[pc + 2]! >>> 0);
        if (ea + code[pc + 3]! > memLen) {
          return ~pc;
        }
        (LANE_OPS[code[pc + 5]!] as V128StoreFn)(v, fp + code[pc + 4]!, mem, ea);
        pc += 6;
        break;
      }
      case Op.V128LoadLane: {
        const ea = (w[(fp + code[pc + 2]!) << 1]! >>> 0) + (code[pc + 3]! >>> 0);
        if (ea + code[pc + 4]! > memLen) {
          return ~pc;
        }
        (LANE_OPS[code[pc + 7]!] as V128LoadLaneFn)(v, fp + code[pc + 1]!, fp + code[pc + 5]!, mem, ea, code[pc + 6]!);
        pc += 8;
        break;
      }
      case Op.V128StoreLane: {
        const ea = (w[(fp + code[pc + 1]!) << 1]! >>> 0) + (code[pc + 2]! >>> 0);
        if (ea + code[pc + 3]! > memLen) {
          return ~pc;
        }
        (LANE_OPS[code[pc + 6]!] as V128StoreLaneFn)(v, fp + code[pc + 4]!, mem, ea, code[pc + 5]!);
        pc += 7;
        break;
      }
      default:
        return pc;
    }
  }
}

/**
 * Runs the SIMD memory op (V128LoadM ... V128StoreLaneM) at `pc` on one of
 * `memories`, with the ...M ops' exact addressing (memory-ops.ts); returns the
 * pc of the next op, or -1 when it traps memoryOutOfBounds.
 */
export function executeSimdMemoryM(
  v: V128Registers, code: Int32Array, pc: number, fp: number, w: Int32Array, memories: readonly MemoryInstance[],
): number {
  const op = code[pc]!;
  const isLoad = op === Op.V128LoadM || op === Op.V128LoadLaneM;
  // Loads have their destination first; the operands after it are laid out alike.
  const at = isLoad ? pc + 2 : pc + 1;
  const mem = memories[code[at + 1]!]!;
  const ea = unsignedAt(w, fp, code[at]!, mem.is64) + (code[at + 3]! >>> 0) * 2 ** 32 + (code[at + 2]! >>> 0);
  if (ea + code[at + 4]! > mem.bytes.length) return -1;
  const view = mem.view;
  switch (op) {
    case Op.V128LoadM:
      (LANE_OPS[code[at + 5]!] as V128LoadFn)(v, fp + code[pc + 1]!, view, ea);
      return at + 6;
    case Op.V128StoreM:
      (LANE_OPS[code[at + 6]!] as V128StoreFn)(v, fp + code[at + 5]!, view, ea);
      return at + 7;
    case Op.V128LoadLaneM:
      (LANE_OPS[code[at + 7]!] as V128LoadLaneFn)(v, fp + code[pc + 1]!, fp + code[at + 5]!, view, ea, code[at + 6]!);
      return at + 8;
    default:
      (LANE_OPS[code[at + 7]!] as V128StoreLaneFn)(v, fp + code[at + 5]!, view, ea, code[at + 6]!);
      return at + 8;
  }
}
