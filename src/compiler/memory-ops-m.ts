/**
 * The ...M memory ops (multi-memory, memory64; src/interpreter/memory-ops.ts is
 * the reference) and table64's I64ToTableIndex in generated code. Memory k is bound once as MEM<k>, its view
 * and length as locals mv<k>, ml<k>, refreshed wherever memory 0's are (after
 * calls and grows: two indices may name one memory).
 *
 * Addresses are exact as in the interpreter: an i64 address is its two words
 * as one double, plus the u64 offset; that is exact below 2^53 and stays at or
 * above 2^53 beyond, far past any memory a host can allocate, so the bounds
 * check never lets a large address wrap into range. A failing check, a grow
 * the store limits refuse with a trap, and a bulk op that traps or whose
 * dynamic fuel cannot be paid deopt: the interpreter re-executes the op.
 */

import { Op } from '../interpreter/ir.js';
import type { Gen } from './codegen.js';
import { bulk } from './ops.js';

const TWO_32 = 4294967296;

/** Loads from I32LoadM on: [size, DataView getter, result kind]. */
const LOADS: readonly [number, string, 'i32' | 'i64s' | 'i64u' | 'i64' | 'f64'][] = [
  [4, 'getInt32(ea, true)', 'i32'], // I32LoadM
  [8, '', 'i64'], // I64LoadM
  [4, 'getInt32(ea, true)', 'i32'], // F32LoadM (bits)
  [8, 'getFloat64(ea, true)', 'f64'], // F64LoadM
  [1, 'getInt8(ea)', 'i32'], [1, 'getUint8(ea)', 'i32'], [2, 'getInt16(ea, true)', 'i32'], [2, 'getUint16(ea, true)', 'i32'],
  [1, 'getInt8(ea)', 'i64s'], [1, 'getUint8(ea)', 'i64u'], [2, 'getInt16(ea, true)', 'i64s'], [2, 'getUint16(ea, true)', 'i64u'],
  [4, 'getInt32(ea, true)', 'i64s'], [4, 'getInt32(ea, true)', 'i64u'],
];

/** Stores from I32StoreM on: [size, DataView setter, value kind]. */
const STORES: readonly [number, string, 'lo' | 'i64' | 'f64'][] = [
  [4, 'setInt32', 'lo'], [8, '', 'i64'], [4, 'setInt32', 'lo'], [8, 'setFloat64', 'f64'],
  [1, 'setInt8', 'lo'], [2, 'setInt16', 'lo'], [1, 'setInt8', 'lo'], [2, 'setInt16', 'lo'], [4, 'setInt32', 'lo'],
];

/** Emits a ...M op; false for any other op. */
export function emitMemoryM(g: Gen, op: number): boolean {
  if (op >= Op.I32LoadM && op <= Op.I64Load32UM) {
    const k = memoryOperand(g, 3);
    const [size, getter, kind] = LOADS[op - Op.I32LoadM]!;
    const head = `${accessM(g, k, 2, 4, size)}`;
    if (kind === 'i32') g.out(`{ ${head} ${g.I(1)} = mv${k}.${getter}; }`);
    else if (kind === 'f64') g.out(`{ ${head} ${g.D(1)} = mv${k}.${getter}; }`);
    else {
      const [l, h] = g.L(1);
      if (kind === 'i64') g.out(`{ ${head} ${l} = mv${k}.getInt32(ea, true); ${h} = mv${k}.getInt32(ea + 4, true); }`);
      else g.out(`{ ${head} const v = mv${k}.${getter}; ${l} = v; ${h} = ${kind === 'i64s' ? 'v >> 31' : '0'}; }`);
    }
    return true;
  }
  if (op >= Op.I32StoreM && op <= Op.I64Store32M) {
    const k = memoryOperand(g, 2);
    const [size, setter, kind] = STORES[op - Op.I32StoreM]!;
    const head = accessM(g, k, 1, 3, size);
    if (kind === 'i64') g.out(`{ ${head} mv${k}.setInt32(ea, ${g.lo(5)}, true); mv${k}.setInt32(ea + 4, ${g.hi(5)}, true); }`);
    else if (kind === 'f64') g.out(`{ ${head} mv${k}.${setter}(ea, ${g.d(5)}, true); }`);
    else g.out(`{ ${head} mv${k}.${setter}(ea, ${g.i(5)}${size > 1 ? ', true' : ''}); }`);
    return true;
  }
  switch (op) {
    case Op.MemorySizeM: {
      const k = memoryOperand(g, 2);
      if (is64(g, k)) {
        const [l, h] = g.L(1);
        g.out(`{ const pages = MEM${k}.pages; ${l} = pages | 0; ${h} = (pages / ${TWO_32}) | 0; }`);
      } else g.out(`${g.I(1)} = MEM${k}.pages;`);
      return true;
    }
    case Op.MemoryGrowM: {
      const k = memoryOperand(g, 3);
      const grow = `const old = R.memoryGrow(S, MEM${k}, ${unsigned(g, 2, is64(g, k))}, fuel); if (old === -2) ${g.deopt()} fuel = S.fuel;`;
      if (is64(g, k)) {
        const [l, h] = g.L(1);
        g.out(`{ ${grow} ${l} = old | 0; ${h} = old < 0 ? -1 : (old / ${TWO_32}) | 0; ${g.refreshViews()} }`);
      } else g.out(`{ ${grow} ${g.I(1)} = old; ${g.refreshViews()} }`);
      return true;
    }
    case Op.MemoryFillM: {
      const k = memoryOperand(g, 4);
      const wide = is64(g, k);
      bulk(g, `R.memoryFill(S, MEM${k}, ${unsigned(g, 1, wide)}, ${g.i(2)}, ${unsigned(g, 3, wide)}, fuel)`);
      return true;
    }
    case Op.MemoryCopyM: {
      const to = memoryOperand(g, 4);
      const from = memoryOperand(g, 5);
      const len = unsigned(g, 3, is64(g, to) && is64(g, from));
      bulk(g, `R.memoryCopy(S, MEM${to}, MEM${from}, ${unsigned(g, 1, is64(g, to))}, ${unsigned(g, 2, is64(g, from))}, ${len}, fuel)`);
      return true;
    }
    case Op.I64ToTableIndex:
      // table64: an i64 index or length below 2^32 as itself, any other as 2^32 - 1 (out of bounds for every table).
      g.out(`${g.I(1)} = ${g.hi(2)} === 0 ? ${g.lo(2)} : -1;`);
      return true;
    case Op.MemoryInitM: {
      const k = memoryOperand(g, 5);
      bulk(g, `R.memoryInit(S, MEM${k}, ctx, ${g.imm(1)}, ${unsigned(g, 2, is64(g, k))}, ${g.i(3)} >>> 0, ${g.i(4)} >>> 0, fuel)`);
      return true;
    }
  }
  return false;
}

/** The memory index immediate at operand k, noted as used. */
export function memoryOperand(g: Gen, k: number): number {
  const index = g.code[g.pc + k]!;
  g.memories.add(index);
  return index;
}

function is64(g: Gen, k: number): boolean {
  return g.shape.memory64[k] === true;
}

/** An address or length register as an unsigned number: both words of an i64 one. */
function unsigned(g: Gen, k: number, wide: boolean): string {
  return wide ? `((${g.hi(k)} >>> 0) * ${TWO_32} + (${g.lo(k)} >>> 0))` : `(${g.i(k)} >>> 0)`;
}

/** Declares `ea` for an access of `size` bytes to memory k at the address register addrK plus the u64 offset at offsetK, or deopts. */
export function accessM(g: Gen, k: number, addrK: number, offsetK: number, size: number): string {
  const offset = (g.code[g.pc + offsetK + 1]! >>> 0) * TWO_32 + (g.code[g.pc + offsetK]! >>> 0);
  const address = unsigned(g, addrK, is64(g, k));
  return `const ea = ${offset === 0 ? address : `${address} + ${offset}`}; if (ea + ${size} > ml${k}) ${g.deopt()}`;
}
