/**
 * Memory instructions on memories other than memory 0 (multi-memory) and on
 * 64-bit memories (memory64): the ...M ops of ir.ts. The executor keeps its
 * inline handlers for memory 0 with i32 addresses, the hot case, and hands
 * these to `memoryOp`.
 *
 * Addresses are exact: a 64-bit address and offset become one double, which
 * is exact below 2^53 and stays at least 2^53 above it, far past any memory
 * a host can allocate, so the bounds check never lets a large address wrap
 * into range.
 */
import type { InstanceContext } from './instance.js';
import { Op } from './ir.js';
import type { Machine } from './machine.js';
import type { MemoryInstance } from './memory.js';

/** `memoryOp` results other than a next pc. */
export const MEMORY_TRAP = -1;
export const MEMORY_FUEL_STOP = -2;

const TWO_32 = 2 ** 32;

/** Bytes each load and store accesses, from I32LoadM on. */
const ACCESS_SIZE = Int8Array.of(4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4, 4, 8, 4, 8, 1, 2, 1, 2, 4);

/** An unsigned address or size in register `r` of the frame at `fp`: both words for a 64-bit memory. */
export function unsignedAt(w: Int32Array, fp: number, r: number, is64: boolean): number {
  const i = (fp + r) << 1;
  return is64 ? (w[i + 1]! >>> 0) * TWO_32 + (w[i]! >>> 0) : w[i]! >>> 0;
}

/** Writes a size (pages, or -1) as an i64 or i32 result. */
function writeSize(w: Int32Array, fp: number, r: number, value: number, is64: boolean): void {
  const i = (fp + r) << 1;
  w[i] = value | 0;
  if (is64) w[i + 1] = value < 0 ? -1 : Math.floor(value / TWO_32);
}

/** Charges `extra` dynamic fuel from m.fuel when metering; false when it cannot be paid. */
function chargeBulk(m: Machine, extra: number): boolean {
  if (!m.metered || extra === 0) return true;
  if (extra > m.fuel) return false;
  m.fuel -= extra;
  return true;
}

/**
 * Runs the ...M op at `pc`: returns the next pc, MEMORY_TRAP (m.trap set) or
 * MEMORY_FUEL_STOP (a dynamic charge m.fuel cannot pay; nothing happened).
 * The caller keeps the total fuel in m.fuel around the call.
 */
export function memoryOp(m: Machine, ctx: InstanceContext, code: Int32Array, pc: number, fp: number): number {
  const w = m.w;
  const op = code[pc]!;
  if (op <= Op.I64Store32M) return access(m, ctx, code, pc, fp, w, op);
  switch (op) {
    case Op.MemorySizeM: {
      const mem = ctx.memories[code[pc + 2]!]!;
      writeSize(w, fp, code[pc + 1]!, mem.pages, mem.is64);
      return pc + 3;
    }
    case Op.MemoryGrowM: {
      const mem = ctx.memories[code[pc + 3]!]!;
      const delta = unsignedAt(w, fp, code[pc + 2]!, mem.is64);
      if (!mem.canGrow(delta)) {
        if (mem.limits.onGrowFailure === 'trap' && mem.exceedsStoreLimit(delta)) return trap(m, 'resourceLimitExceeded');
        writeSize(w, fp, code[pc + 1]!, -1, mem.is64);
        return pc + 4;
      }
      const extra = m.metered ? delta * m.fuelCosts.fuelPerPage : 0;
      if (extra > m.fuel) return MEMORY_FUEL_STOP;
      const old = mem.growPages(delta);
      // A grow the host cannot allocate fails (-1) and costs only its 1.
      if (old >= 0) m.fuel -= extra;
      writeSize(w, fp, code[pc + 1]!, old, mem.is64);
      return pc + 4;
    }
    case Op.MemoryFillM: {
      const mem = ctx.memories[code[pc + 4]!]!;
      const dst = unsignedAt(w, fp, code[pc + 1]!, mem.is64);
      const len = unsignedAt(w, fp, code[pc + 3]!, mem.is64);
      if (dst + len > mem.bytes.length) return trap(m, 'memoryOutOfBounds');
      if (!chargeBulk(m, Math.floor(len / m.fuelCosts.bytesPerFuel))) return MEMORY_FUEL_STOP;
      mem.bytes.fill(w[(fp + code[pc + 2]!) << 1]!, dst, dst + len);
      return pc + 5;
    }
    case Op.MemoryCopyM: {
      const to = ctx.memories[code[pc + 4]!]!;
      const from = ctx.memories[code[pc + 5]!]!;
      const dst = unsignedAt(w, fp, code[pc + 1]!, to.is64);
      const src = unsignedAt(w, fp, code[pc + 2]!, from.is64);
      const len = unsignedAt(w, fp, code[pc + 3]!, to.is64 && from.is64);
      if (dst + len > to.bytes.length || src + len > from.bytes.length) return trap(m, 'memoryOutOfBounds');
      if (!chargeBulk(m, Math.floor(len / m.fuelCosts.bytesPerFuel))) return MEMORY_FUEL_STOP;
      if (to === from) to.bytes.copyWithin(dst, src, src + len);
      else to.bytes.set(from.bytes.subarray(src, src + len), dst);
      return pc + 6;
    }
    case Op.MemoryInitM: {
      const data = ctx.datas[code[pc + 1]!]!;
      const mem = ctx.memories[code[pc + 5]!]!;
      const dst = unsignedAt(w, fp, code[pc + 2]!, mem.is64);
      const src = w[(fp + code[pc + 3]!) << 1]! >>> 0;
      const len = w[(fp + code[pc + 4]!) << 1]! >>> 0;
      if (dst + len > mem.bytes.length || src + len > data.length) return trap(m, 'memoryOutOfBounds');
      if (!chargeBulk(m, Math.floor(len / m.fuelCosts.bytesPerFuel))) return MEMORY_FUEL_STOP;
      mem.bytes.set(data.subarray(src, src + len), dst);
      return pc + 6;
    }
    default:
      throw new Error(`purewasm internal error: ${op} is not a memory op`);
  }
}

function trap(m: Machine, code: 'memoryOutOfBounds' | 'resourceLimitExceeded'): number {
  m.trap = code;
  return MEMORY_TRAP;
}

/** A load (r dst, r addr, i memory, L offset) or store (r addr, i memory, L offset, r value). */
function access(m: Machine, ctx: InstanceContext, code: Int32Array, pc: number, fp: number, w: Int32Array, op: number): number {
  const isStore = op >= Op.I32StoreM;
  const addrReg = code[pc + (isStore ? 1 : 2)]!;
  const mem: MemoryInstance = ctx.memories[code[pc + (isStore ? 2 : 3)]!]!;
  const offsetAt = pc + (isStore ? 3 : 4);
  const offset = (code[offsetAt + 1]! >>> 0) * TWO_32 + (code[offsetAt]! >>> 0);
  const ea = unsignedAt(w, fp, addrReg, mem.is64) + offset;
  if (ea + ACCESS_SIZE[op - Op.I32LoadM]! > mem.bytes.length) return trap(m, 'memoryOutOfBounds');
  const view = mem.view;
  if (isStore) {
    const v = (fp + code[pc + 5]!) << 1;
    store(view, ea, op, w[v]!, w[v + 1]!);
    return pc + 6;
  }
  const d = (fp + code[pc + 1]!) << 1;
  switch (op) {
    case Op.I32LoadM: case Op.F32LoadM: w[d] = view.getInt32(ea, true); break;
    case Op.I64LoadM: case Op.F64LoadM:
      w[d] = view.getInt32(ea, true);
      w[d + 1] = view.getInt32(ea + 4, true);
      break;
    case Op.I32Load8SM: w[d] = view.getInt8(ea); break;
    case Op.I32Load8UM: w[d] = view.getUint8(ea); break;
    case Op.I32Load16SM: w[d] = view.getInt16(ea, true); break;
    case Op.I32Load16UM: w[d] = view.getUint16(ea, true); break;
    case Op.I64Load8SM: w[d] = view.getInt8(ea); w[d + 1] = w[d]! >> 31; break;
    case Op.I64Load8UM: w[d] = view.getUint8(ea); w[d + 1] = 0; break;
    case Op.I64Load16SM: w[d] = view.getInt16(ea, true); w[d + 1] = w[d]! >> 31; break;
    case Op.I64Load16UM: w[d] = view.getUint16(ea, true); w[d + 1] = 0; break;
    case Op.I64Load32SM: w[d] = view.getInt32(ea, true); w[d + 1] = w[d]! >> 31; break;
    case Op.I64Load32UM: w[d] = view.getInt32(ea, true); w[d + 1] = 0; break;
  }
  return pc + 6;
}

/** Stores the low bytes of the value whose words are lo, hi (bits: float stores keep NaN payloads). */
function store(view: DataView, ea: number, op: number, lo: number, hi: number): void {
  switch (op) {
    case Op.I32StoreM: case Op.F32StoreM: case Op.I64Store32M: view.setInt32(ea, lo, true); break;
    case Op.I64StoreM: case Op.F64StoreM:
      view.setInt32(ea, lo, true);
      view.setInt32(ea + 4, hi, true);
      break;
    case Op.I32Store8M: case Op.I64Store8M: view.setInt8(ea, lo); break;
    case Op.I32Store16M: case Op.I64Store16M: view.setInt16(ea, lo, true); break;
  }
}
