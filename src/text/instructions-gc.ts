/**
 * The GC instructions (0xFB prefix, WebAssembly 3.0): text name, sub-opcode and
 * immediate shape. ref.test and ref.cast are listed with their non-null
 * opcodes; a nullable target type takes the next opcode.
 */
import type { Immediate } from './instructions.js';

export const GC_ROWS: readonly (readonly [number, string, Immediate])[] = [
  [0, 'struct.new', 'type'],
  [1, 'struct.new_default', 'type'],
  [2, 'struct.get', 'field'],
  [3, 'struct.get_s', 'field'],
  [4, 'struct.get_u', 'field'],
  [5, 'struct.set', 'field'],
  [6, 'array.new', 'type'],
  [7, 'array.new_default', 'type'],
  [8, 'array.new_fixed', 'type_count'],
  [9, 'array.new_data', 'type_data'],
  [10, 'array.new_elem', 'type_elem'],
  [11, 'array.get', 'type'],
  [12, 'array.get_s', 'type'],
  [13, 'array.get_u', 'type'],
  [14, 'array.set', 'type'],
  [15, 'array.len', 'none'],
  [16, 'array.fill', 'type'],
  [17, 'array.copy', 'type_type'],
  [18, 'array.init_data', 'type_data'],
  [19, 'array.init_elem', 'type_elem'],
  [20, 'ref.test', 'ref_test'],
  [22, 'ref.cast', 'ref_test'],
  [24, 'br_on_cast', 'br_on_cast'],
  [25, 'br_on_cast_fail', 'br_on_cast'],
  [26, 'any.convert_extern', 'none'],
  [27, 'extern.convert_any', 'none'],
  [28, 'ref.i31', 'none'],
  [29, 'i31.get_s', 'none'],
  [30, 'i31.get_u', 'none'],
];
