/**
 * The 128-bit SIMD instructions (0xFD prefix) and relaxed SIMD: text name,
 * sub-opcode, immediate shape and, for memory accesses, the natural alignment
 * (log2 of the access size). Read by the parser and the printer through
 * instructions.ts.
 */
import type { Immediate } from './instructions.js';

/** [sub-opcode, name, immediate, natural alignment] */
type Row = readonly [number, string, Immediate?, number?];

const LOADS_AND_STORES: readonly Row[] = [
  [0x00, 'v128.load', 'memarg', 4],
  [0x01, 'v128.load8x8_s', 'memarg', 3],
  [0x02, 'v128.load8x8_u', 'memarg', 3],
  [0x03, 'v128.load16x4_s', 'memarg', 3],
  [0x04, 'v128.load16x4_u', 'memarg', 3],
  [0x05, 'v128.load32x2_s', 'memarg', 3],
  [0x06, 'v128.load32x2_u', 'memarg', 3],
  [0x07, 'v128.load8_splat', 'memarg', 0],
  [0x08, 'v128.load16_splat', 'memarg', 1],
  [0x09, 'v128.load32_splat', 'memarg', 2],
  [0x0a, 'v128.load64_splat', 'memarg', 3],
  [0x0b, 'v128.store', 'memarg', 4],
  [0x0c, 'v128.const', 'v128'],
  [0x0d, 'i8x16.shuffle', 'shuffle'],
  [0x54, 'v128.load8_lane', 'memarg_lane', 0],
  [0x55, 'v128.load16_lane', 'memarg_lane', 1],
  [0x56, 'v128.load32_lane', 'memarg_lane', 2],
  [0x57, 'v128.load64_lane', 'memarg_lane', 3],
  [0x58, 'v128.store8_lane', 'memarg_lane', 0],
  [0x59, 'v128.store16_lane', 'memarg_lane', 1],
  [0x5a, 'v128.store32_lane', 'memarg_lane', 2],
  [0x5b, 'v128.store64_lane', 'memarg_lane', 3],
  [0x5c, 'v128.load32_zero', 'memarg', 2],
  [0x5d, 'v128.load64_zero', 'memarg', 3],
];

const LANES: readonly Row[] = [
  [0x15, 'i8x16.extract_lane_s', 'lane'],
  [0x16, 'i8x16.extract_lane_u', 'lane'],
  [0x17, 'i8x16.replace_lane', 'lane'],
  [0x18, 'i16x8.extract_lane_s', 'lane'],
  [0x19, 'i16x8.extract_lane_u', 'lane'],
  [0x1a, 'i16x8.replace_lane', 'lane'],
  [0x1b, 'i32x4.extract_lane', 'lane'],
  [0x1c, 'i32x4.replace_lane', 'lane'],
  [0x1d, 'i64x2.extract_lane', 'lane'],
  [0x1e, 'i64x2.replace_lane', 'lane'],
  [0x1f, 'f32x4.extract_lane', 'lane'],
  [0x20, 'f32x4.replace_lane', 'lane'],
  [0x21, 'f64x2.extract_lane', 'lane'],
  [0x22, 'f64x2.replace_lane', 'lane'],
];

/** Instructions without immediates, as [first sub-opcode, names in opcode order] runs. */
const PLAIN_RUNS: readonly (readonly [number, readonly string[]])[] = [
  [0x0e, ['i8x16.swizzle', 'i8x16.splat', 'i16x8.splat', 'i32x4.splat', 'i64x2.splat', 'f32x4.splat', 'f64x2.splat']],
  [0x23, ['i8x16.eq', 'i8x16.ne', 'i8x16.lt_s', 'i8x16.lt_u', 'i8x16.gt_s', 'i8x16.gt_u', 'i8x16.le_s', 'i8x16.le_u', 'i8x16.ge_s', 'i8x16.ge_u']],
  [0x2d, ['i16x8.eq', 'i16x8.ne', 'i16x8.lt_s', 'i16x8.lt_u', 'i16x8.gt_s', 'i16x8.gt_u', 'i16x8.le_s', 'i16x8.le_u', 'i16x8.ge_s', 'i16x8.ge_u']],
  [0x37, ['i32x4.eq', 'i32x4.ne', 'i32x4.lt_s', 'i32x4.lt_u', 'i32x4.gt_s', 'i32x4.gt_u', 'i32x4.le_s', 'i32x4.le_u', 'i32x4.ge_s', 'i32x4.ge_u']],
  [0x41, ['f32x4.eq', 'f32x4.ne', 'f32x4.lt', 'f32x4.gt', 'f32x4.le', 'f32x4.ge']],
  [0x47, ['f64x2.eq', 'f64x2.ne', 'f64x2.lt', 'f64x2.gt', 'f64x2.le', 'f64x2.ge']],
  [0x4d, ['v128.not', 'v128.and', 'v128.andnot', 'v128.or', 'v128.xor', 'v128.bitselect', 'v128.any_true']],
  [0x5e, ['f32x4.demote_f64x2_zero', 'f64x2.promote_low_f32x4']],
  [0x60, ['i8x16.abs', 'i8x16.neg', 'i8x16.popcnt', 'i8x16.all_true', 'i8x16.bitmask', 'i8x16.narrow_i16x8_s', 'i8x16.narrow_i16x8_u',
    'f32x4.ceil', 'f32x4.floor', 'f32x4.trunc', 'f32x4.nearest',
    'i8x16.shl', 'i8x16.shr_s', 'i8x16.shr_u', 'i8x16.add', 'i8x16.add_sat_s', 'i8x16.add_sat_u', 'i8x16.sub', 'i8x16.sub_sat_s', 'i8x16.sub_sat_u',
    'f64x2.ceil', 'f64x2.floor', 'i8x16.min_s', 'i8x16.min_u', 'i8x16.max_s', 'i8x16.max_u', 'f64x2.trunc', 'i8x16.avgr_u',
    'i16x8.extadd_pairwise_i8x16_s', 'i16x8.extadd_pairwise_i8x16_u', 'i32x4.extadd_pairwise_i16x8_s', 'i32x4.extadd_pairwise_i16x8_u',
    'i16x8.abs', 'i16x8.neg', 'i16x8.q15mulr_sat_s', 'i16x8.all_true', 'i16x8.bitmask', 'i16x8.narrow_i32x4_s', 'i16x8.narrow_i32x4_u',
    'i16x8.extend_low_i8x16_s', 'i16x8.extend_high_i8x16_s', 'i16x8.extend_low_i8x16_u', 'i16x8.extend_high_i8x16_u',
    'i16x8.shl', 'i16x8.shr_s', 'i16x8.shr_u', 'i16x8.add', 'i16x8.add_sat_s', 'i16x8.add_sat_u', 'i16x8.sub', 'i16x8.sub_sat_s', 'i16x8.sub_sat_u',
    'f64x2.nearest', 'i16x8.mul', 'i16x8.min_s', 'i16x8.min_u', 'i16x8.max_s', 'i16x8.max_u']],
  [0x9b, ['i16x8.avgr_u', 'i16x8.extmul_low_i8x16_s', 'i16x8.extmul_high_i8x16_s', 'i16x8.extmul_low_i8x16_u', 'i16x8.extmul_high_i8x16_u',
    'i32x4.abs', 'i32x4.neg']],
  [0xa3, ['i32x4.all_true', 'i32x4.bitmask']],
  [0xa7, ['i32x4.extend_low_i16x8_s', 'i32x4.extend_high_i16x8_s', 'i32x4.extend_low_i16x8_u', 'i32x4.extend_high_i16x8_u',
    'i32x4.shl', 'i32x4.shr_s', 'i32x4.shr_u', 'i32x4.add']],
  [0xb1, ['i32x4.sub']],
  [0xb5, ['i32x4.mul', 'i32x4.min_s', 'i32x4.min_u', 'i32x4.max_s', 'i32x4.max_u', 'i32x4.dot_i16x8_s']],
  [0xbc, ['i32x4.extmul_low_i16x8_s', 'i32x4.extmul_high_i16x8_s', 'i32x4.extmul_low_i16x8_u', 'i32x4.extmul_high_i16x8_u', 'i64x2.abs', 'i64x2.neg']],
  [0xc3, ['i64x2.all_true', 'i64x2.bitmask']],
  [0xc7, ['i64x2.extend_low_i32x4_s', 'i64x2.extend_high_i32x4_s', 'i64x2.extend_low_i32x4_u', 'i64x2.extend_high_i32x4_u',
    'i64x2.shl', 'i64x2.shr_s', 'i64x2.shr_u', 'i64x2.add']],
  [0xd1, ['i64x2.sub']],
  [0xd5, ['i64x2.mul', 'i64x2.eq', 'i64x2.ne', 'i64x2.lt_s', 'i64x2.gt_s', 'i64x2.le_s', 'i64x2.ge_s',
    'i64x2.extmul_low_i32x4_s', 'i64x2.extmul_high_i32x4_s', 'i64x2.extmul_low_i32x4_u', 'i64x2.extmul_high_i32x4_u', 'f32x4.abs', 'f32x4.neg']],
  [0xe3, ['f32x4.sqrt', 'f32x4.add', 'f32x4.sub', 'f32x4.mul', 'f32x4.div', 'f32x4.min', 'f32x4.max', 'f32x4.pmin', 'f32x4.pmax',
    'f64x2.abs', 'f64x2.neg']],
  [0xef, ['f64x2.sqrt', 'f64x2.add', 'f64x2.sub', 'f64x2.mul', 'f64x2.div', 'f64x2.min', 'f64x2.max', 'f64x2.pmin', 'f64x2.pmax',
    'i32x4.trunc_sat_f32x4_s', 'i32x4.trunc_sat_f32x4_u', 'f32x4.convert_i32x4_s', 'f32x4.convert_i32x4_u',
    'i32x4.trunc_sat_f64x2_s_zero', 'i32x4.trunc_sat_f64x2_u_zero', 'f64x2.convert_low_i32x4_s', 'f64x2.convert_low_i32x4_u']],
  // Relaxed SIMD (WebAssembly 3.0).
  [0x100, ['i8x16.relaxed_swizzle', 'i32x4.relaxed_trunc_f32x4_s', 'i32x4.relaxed_trunc_f32x4_u', 'i32x4.relaxed_trunc_f64x2_s_zero',
    'i32x4.relaxed_trunc_f64x2_u_zero', 'f32x4.relaxed_madd', 'f32x4.relaxed_nmadd', 'f64x2.relaxed_madd', 'f64x2.relaxed_nmadd',
    'i8x16.relaxed_laneselect', 'i16x8.relaxed_laneselect', 'i32x4.relaxed_laneselect', 'i64x2.relaxed_laneselect',
    'f32x4.relaxed_min', 'f32x4.relaxed_max', 'f64x2.relaxed_min', 'f64x2.relaxed_max', 'i16x8.relaxed_q15mulr_s',
    'i16x8.relaxed_dot_i8x16_i7x16_s', 'i32x4.relaxed_dot_i8x16_i7x16_add_s']],
];

export const SIMD_ROWS: readonly Row[] = [
  ...LOADS_AND_STORES,
  ...LANES,
  ...PLAIN_RUNS.flatMap(([first, names]) => names.map((name, i): Row => [first + i, name])),
];
