/**
 * Modules and random operands for the SIMD differential tests (simd-differential.test.ts against V8,
 * compiled-tier-simd.test.ts between purewasm's tiers). Each instruction gets a module whose `run` loads its
 * operands from memory (v128 at 0, 16, 32; a scalar at 48; memory instructions address bytes 96..) and stores the
 * result at 64.
 */
import fc from 'fast-check';
import { ValType } from '../../src/decoder/module.js';
import type { SimdInstr } from '../../src/validator/simd-opcodes.js';

export const RESULT = 64;
export const SCALAR = 48;
export const MEMORY_OPERAND = 96;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** i32.const of a non-negative n (signed LEB128: bit 6 of the last byte is the sign). */
function i32Const(n: number): number[] {
  const out = [0x41];
  for (;;) {
    const byte = n & 0x7f;
    n >>>= 7;
    if (n === 0 && (byte & 0x40) === 0) return [...out, byte];
    out.push(byte | 0x80);
  }
}
const v128Load = (address: number) => [...i32Const(address), 0xfd, 0x00, 0x00, 0x00];
const SCALAR_LOAD: Partial<Record<ValType, number[]>> = {
  [ValType.I32]: [0x28, 0x02, 0x00],
  [ValType.I64]: [0x29, 0x03, 0x00],
  [ValType.F32]: [0x2a, 0x02, 0x00],
  [ValType.F64]: [0x2b, 0x03, 0x00],
};
const SCALAR_STORE: Partial<Record<ValType, number[]>> = {
  [ValType.I32]: [0x36, 0x02, 0x00],
  [ValType.I64]: [0x37, 0x03, 0x00],
  [ValType.F32]: [0x38, 0x02, 0x00],
  [ValType.F64]: [0x39, 0x03, 0x00],
};
const V128_STORE = [0xfd, 0x0b, 0x00, 0x00];

/** The body of `run` for `instr` with sub-opcode `sub` and immediate bytes `imm`. */
export function body(sub: number, instr: SimdInstr, imm: number[]): number[] {
  const op = [0xfd, ...uleb(sub)];
  const memarg = [0x00, 0x00]; // align 0, offset 0
  switch (instr.form) {
    case 'load':
      return [...i32Const(RESULT), ...i32Const(MEMORY_OPERAND), ...op, ...memarg, ...V128_STORE];
    case 'store':
      return [...i32Const(RESULT), ...v128Load(0), ...op, ...memarg];
    case 'loadLane':
      return [...i32Const(RESULT), ...i32Const(MEMORY_OPERAND), ...v128Load(0), ...op, ...memarg, ...imm, ...V128_STORE];
    case 'storeLane':
      return [...i32Const(RESULT), ...v128Load(0), ...op, ...memarg, ...imm];
    case 'shuffle':
      return [...i32Const(RESULT), ...v128Load(0), ...v128Load(16), ...op, ...imm, ...V128_STORE];
    case 'splat':
      return [...i32Const(RESULT), ...i32Const(SCALAR), ...SCALAR_LOAD[instr.scalar]!, ...op, ...V128_STORE];
    case 'extract':
      return [...i32Const(RESULT), ...v128Load(0), ...op, ...imm, ...SCALAR_STORE[instr.scalar]!];
    case 'replace':
      return [...i32Const(RESULT), ...v128Load(0), ...i32Const(SCALAR), ...SCALAR_LOAD[instr.scalar]!, ...op, ...imm, ...V128_STORE];
    case 'shift':
      return [...i32Const(RESULT), ...v128Load(0), ...i32Const(SCALAR), ...SCALAR_LOAD[ValType.I32]!, ...op, ...V128_STORE];
    case 'test':
      return [...i32Const(RESULT), ...v128Load(0), ...op, ...SCALAR_STORE[ValType.I32]!];
    case 'unary':
      return [...i32Const(RESULT), ...v128Load(0), ...op, ...V128_STORE];
    case 'binary':
      return [...i32Const(RESULT), ...v128Load(0), ...v128Load(16), ...op, ...V128_STORE];
    case 'ternary':
      return [...i32Const(RESULT), ...v128Load(0), ...v128Load(16), ...v128Load(32), ...op, ...V128_STORE];
    case 'const':
      throw new Error('v128.const has no operands');
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

export function moduleBytes(code: number[]): Uint8Array<ArrayBuffer> {
  const func = [0x00, ...code, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, 3, ...Array.from('run', (c) => c.charCodeAt(0)), 0, 0, 3, ...Array.from('mem', (c) => c.charCodeAt(0)), 2, 0]),
    ...section(10, [1, ...uleb(func.length), ...func]),
  ]);
}

// ---------------------------------------------------------------- inputs

const F32_SPECIAL = [0x7fc00000, 0xffc00000, 0x7fa00001, 0xff800001, 0x7fc12345, 0x7f800000, 0xff800000, 0x80000000, 0, 1, 0x807fffff,
  0x3f800000, 0xbf000000, 0x4effffff, 0x4f000000, 0xcf000000, 0x4f800000, 0x3effffff, 0x4b000001, 0xcb7fffff];
const F64_SPECIAL: [number, number][] = [[0, 0x7ff80000], [0, 0xfff80000], [1, 0x7ff00000], [0x12345, 0x7ff80000], [0, 0x7ff00000],
  [0, 0xfff00000], [0, 0x80000000], [0, 0], [1, 0], [0, 0x3ff00000], [0, 0xbfe00000], [0xffc00000, 0x41dfffff], [0, 0x41e00000],
  [0, 0xc1e00000], [0x00200000, 0xc1e00000], [0, 0x41f00000], [0, 0x43300000], [1, 0x43300000], [0xffffffff, 0x3fdfffff]];
const INT_SPECIAL = [0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 2, 0x40, 0xc0];

const randomBytes = fc.uint8Array({ minLength: 16, maxLength: 16 });
const f32Lanes = fc.array(fc.oneof(fc.constantFrom(...F32_SPECIAL), fc.nat()), { minLength: 4, maxLength: 4 }).map((lanes) => {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  lanes.forEach((bits, i) => view.setUint32(4 * i, bits >>> 0, true));
  return out;
});
const f64Lanes = fc.array(fc.oneof(fc.constantFrom(...F64_SPECIAL), fc.tuple(fc.nat(), fc.nat())), { minLength: 2, maxLength: 2 }).map((lanes) => {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  lanes.forEach(([lo, hi], i) => {
    view.setUint32(8 * i, lo >>> 0, true);
    view.setUint32(8 * i + 4, hi >>> 0, true);
  });
  return out;
});
const intLanes = fc.tuple(fc.constantFrom(1, 2, 4), fc.array(fc.constantFrom(...INT_SPECIAL), { minLength: 16, maxLength: 16 })).map(([size, values]) => {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 16 / size; i++) {
    const v = values[i]!;
    if (size === 1) view.setUint8(i, v & 0xff);
    else if (size === 2) view.setUint16(2 * i, v & 0xffff, true);
    else view.setUint32(4 * i, v >>> 0, true);
  }
  return out;
});
export const vector = fc.oneof(randomBytes, f32Lanes, f64Lanes, intLanes);
/** The scalar operand's 8 bytes: shift counts, splat and replace values. */
export const scalar = fc.oneof(
  fc.uint8Array({ minLength: 8, maxLength: 8 }),
  fc.tuple(fc.constantFrom(...INT_SPECIAL, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65), fc.nat()).map(([lo, hi]) => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, lo >>> 0, true);
    new DataView(out.buffer).setUint32(4, hi >>> 0, true);
    return out;
  }),
  f64Lanes.map((bytes) => bytes.slice(0, 8)),
  f32Lanes.map((bytes) => bytes.slice(0, 8)),
);

/** Random immediates for the instruction: a lane index, or 16 shuffle lanes. */
export function immediates(instr: SimdInstr): fc.Arbitrary<number[]> {
  if (instr.form === 'shuffle') return fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 16, maxLength: 16 });
  if (instr.lanes > 0) return fc.integer({ min: 0, max: instr.lanes - 1 }).map((lane) => [lane]);
  return fc.constant([]);
}
