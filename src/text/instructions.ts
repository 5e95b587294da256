/**
 * Every plain instruction's text name, binary opcode and immediate shape: the
 * one table the text parser and the printer share. The numeric instructions
 * and loads/stores come from the validator's opcode tables (src/validator/opcodes.ts),
 * SIMD from instructions-simd.ts, GC from instructions-gc.ts; the irregular ones are listed here. Block
 * instructions (block, loop, if, else, end, try_table, and the legacy try,
 * catch, catch_all, delegate) are parsed structurally
 * and are not in the table. Instructions of features the engine does not
 * execute yet (exceptions, tail calls, typed function references, GC) are read and
 * printed all the same; the decoder or validator rejects their modules.
 */
import { MEMORY_ACCESS, NUMERIC } from '../validator/opcodes.js';
import { GC_ROWS } from './instructions-gc.js';
import { SIMD_ROWS } from './instructions-simd.js';

export type Immediate =
  | 'none'
  | 'label' // br, br_if
  | 'br_table'
  | 'func' // call, ref.func, return_call
  | 'type' // call_ref, return_call_ref
  | 'tag' // throw
  | 'call_indirect' // table? typeuse
  | 'local'
  | 'global'
  | 'table' // an optional table index, 0 when absent
  | 'table.copy' // two optional table indices
  | 'table.init' // an optional table index, then an element index
  | 'elem'
  | 'memory' // an optional memory index, written as one u32
  | 'memory.copy'
  | 'memory.init'
  | 'data'
  | 'memarg' // an optional memory index, offset=, align=
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'heaptype' // ref.null
  | 'select' // optional (result t)*
  | 'v128' // v128.const: a shape and its lanes
  | 'shuffle' // 16 lane indices
  | 'lane' // one lane index
  | 'memarg_lane' // a memarg, then a lane index
  | 'field' // struct.get ...: a type index, then a field index or name
  | 'type_count' // array.new_fixed: a type index and a length
  | 'type_data' // a type index and a data index
  | 'type_elem' // a type index and an element index
  | 'type_type' // array.copy: two type indices
  | 'ref_test' // ref.test, ref.cast: a reference type (nullable: the next opcode)
  | 'br_on_cast'; // a label and two reference types

export interface InstrInfo {
  readonly name: string;
  /** 0xFC or 0xFD for prefixed instructions (then `code` is the LEB sub-opcode). */
  readonly prefix: number | undefined;
  readonly code: number;
  readonly imm: Immediate;
  /** log2 of the natural alignment, for memarg instructions. */
  readonly naturalAlign: number;
}

const IRREGULAR: readonly (readonly [number, string, Immediate])[] = [
  [0x00, 'unreachable', 'none'],
  [0x01, 'nop', 'none'],
  [0x08, 'throw', 'tag'],
  [0x09, 'rethrow', 'label'],
  [0x0a, 'throw_ref', 'none'],
  [0x0c, 'br', 'label'],
  [0x0d, 'br_if', 'label'],
  [0x0e, 'br_table', 'br_table'],
  [0x0f, 'return', 'none'],
  [0x10, 'call', 'func'],
  [0x11, 'call_indirect', 'call_indirect'],
  [0x12, 'return_call', 'func'],
  [0x13, 'return_call_indirect', 'call_indirect'],
  [0x14, 'call_ref', 'type'],
  [0x15, 'return_call_ref', 'type'],
  [0x1a, 'drop', 'none'],
  [0x1b, 'select', 'select'],
  [0x20, 'local.get', 'local'],
  [0x21, 'local.set', 'local'],
  [0x22, 'local.tee', 'local'],
  [0x23, 'global.get', 'global'],
  [0x24, 'global.set', 'global'],
  [0x25, 'table.get', 'table'],
  [0x26, 'table.set', 'table'],
  [0x3f, 'memory.size', 'memory'],
  [0x40, 'memory.grow', 'memory'],
  [0x41, 'i32.const', 'i32'],
  [0x42, 'i64.const', 'i64'],
  [0x43, 'f32.const', 'f32'],
  [0x44, 'f64.const', 'f64'],
  [0xd0, 'ref.null', 'heaptype'],
  [0xd1, 'ref.is_null', 'none'],
  [0xd2, 'ref.func', 'func'],
  [0xd3, 'ref.eq', 'none'],
  [0xd4, 'ref.as_non_null', 'none'],
  [0xd5, 'br_on_null', 'label'],
  [0xd6, 'br_on_non_null', 'label'],
  [0xfc08, 'memory.init', 'memory.init'],
  [0xfc09, 'data.drop', 'data'],
  [0xfc0a, 'memory.copy', 'memory.copy'],
  [0xfc0b, 'memory.fill', 'memory'],
  [0xfc0c, 'table.init', 'table.init'],
  [0xfc0d, 'elem.drop', 'elem'],
  [0xfc0e, 'table.copy', 'table.copy'],
  [0xfc0f, 'table.grow', 'table'],
  [0xfc10, 'table.size', 'table'],
  [0xfc11, 'table.fill', 'table'],
];

function info(key: number, name: string, imm: Immediate, naturalAlign = 0): InstrInfo {
  const prefixed = key > 0xff;
  return { name, prefix: prefixed ? key >> 8 : undefined, code: prefixed ? key & 0xff : key, imm, naturalAlign };
}

const ALL: InstrInfo[] = [
  ...IRREGULAR.map(([key, name, imm]) => info(key, name, imm)),
  ...[...NUMERIC].map(([key, row]) => info(key, row.name, 'none')),
  ...[...MEMORY_ACCESS].map(([key, row]) => info(key, row.name, 'memarg', row.naturalAlign)),
  ...GC_ROWS.map(([code, name, imm]): InstrInfo => ({ name, prefix: 0xfb, code, imm, naturalAlign: 0 })),
  ...SIMD_ROWS.map(([code, name, imm, naturalAlign]): InstrInfo => ({ name, prefix: 0xfd, code, imm: imm ?? 'none', naturalAlign: naturalAlign ?? 0 })),
];

export const INSTRUCTIONS_BY_NAME: ReadonlyMap<string, InstrInfo> = new Map(ALL.map((i) => [i.name, i]));

/** Key of an opcode for lookups: the byte, or prefix * 0x10000 + sub-opcode. */
export function opcodeKey(prefix: number | undefined, code: number): number {
  return prefix === undefined ? code : prefix * 0x10000 + code;
}

export const INSTRUCTIONS_BY_OPCODE: ReadonlyMap<number, InstrInfo> = new Map(ALL.map((i) => [opcodeKey(i.prefix, i.code), i]));
