/**
 * Moving values between bits and JS at the API boundary (DESIGN.md section 1):
 * i32/f32/f64 <-> number, i64 <-> bigint, refs as they are. The raw forms carry
 * float bits instead of numbers (f32 as a u32 number, f64 as a u64 bigint) so
 * NaN payloads cross unchanged. Bits live in a pair of Int32Array words (a
 * register slot or a global); references beside them. Off the hot path:
 * BigInt is fine here.
 */

import { ValType } from '../decoder/module.js';
import { ExceptionInstance } from './exception-instance.js';
import { FunctionInstance } from './function.js';
import type { Machine } from './machine.js';

const scratch = new ArrayBuffer(8);
const scratchWords = new Int32Array(scratch);
const scratchF32 = new Float32Array(scratch);
const scratchF64 = new Float64Array(scratch);

export function valTypeName(type: ValType): string {
  switch (type) {
    case ValType.I32: return 'i32';
    case ValType.I64: return 'i64';
    case ValType.F32: return 'f32';
    case ValType.F64: return 'f64';
    case ValType.V128: return 'v128';
    case ValType.FuncRef: return 'funcref';
    case ValType.ExternRef: return 'externref';
    case ValType.ExnRef: return 'exnref';
  }
  return `type 0x${(type as number).toString(16)}`;
}

export function isRefType(type: ValType): boolean {
  return type === ValType.FuncRef || type === ValType.ExternRef || type === ValType.ExnRef;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return String(value);
  return typeof value;
}

function mismatch(type: ValType, value: unknown, raw: boolean): TypeError {
  const expected = raw && type === ValType.F32 ? 'f32 bits (number)' : raw && type === ValType.F64 ? 'f64 bits (bigint)' : valTypeName(type);
  return new TypeError(`expected ${expected}, got ${describe(value)}`);
}

function i64FromWords(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

function writeI64(words: Int32Array, i: number, value: bigint): void {
  words[i] = Number(BigInt.asIntN(32, value));
  words[i + 1] = Number(BigInt.asIntN(32, value >> 32n));
}

/** Checks that `value` is a reference of `type` and returns it. */
export function checkRef(type: ValType, value: unknown): unknown {
  if (type === ValType.FuncRef && value !== null && !(value instanceof FunctionInstance)) throw mismatch(type, value, false);
  if (type === ValType.ExnRef && value !== null && !(value instanceof ExceptionInstance)) throw mismatch(type, value, false);
  return value;
}

/**
 * Writes the bits of numeric `value` of `type` into words i, i + 1. TypeError
 * when `value` is not one (or `type` is a reference or unsupported type).
 */
export function encodeNumber(type: ValType, value: unknown, raw: boolean, words: Int32Array, i: number): void {
  switch (type) {
    case ValType.I32:
      if (typeof value !== 'number') throw mismatch(type, value, raw);
      words[i] = value;
      return;
    case ValType.I64:
      if (typeof value !== 'bigint') throw mismatch(type, value, raw);
      writeI64(words, i, value);
      return;
    case ValType.F32:
      if (typeof value !== 'number') throw mismatch(type, value, raw);
      if (raw) {
        words[i] = value;
      } else {
        scratchF32[0] = value;
        words[i] = scratchWords[0]!;
      }
      return;
    case ValType.F64:
      if (raw) {
        if (typeof value !== 'bigint') throw mismatch(type, value, raw);
        writeI64(words, i, value);
      } else {
        if (typeof value !== 'number') throw mismatch(type, value, raw);
        scratchF64[0] = value;
        words[i] = scratchWords[0]!;
        words[i + 1] = scratchWords[1]!;
      }
      return;
    case ValType.V128:
      if (!(value instanceof Uint8Array) || value.length !== 16) throw new TypeError(`expected v128 (a 16-byte Uint8Array), got ${describe(value)}`);
      for (let k = 0; k < 4; k++) words[i + k] = value[4 * k]! | (value[4 * k + 1]! << 8) | (value[4 * k + 2]! << 16) | (value[4 * k + 3]! << 24);
      return;
  }
  throw new TypeError(`values of type ${valTypeName(type)} are not supported`);
}

/** The JS value of numeric `type` whose bits are in words i, i + 1 (a v128: i .. i + 3, as a new Uint8Array). */
export function decodeNumber(type: ValType, raw: boolean, words: Int32Array, i: number): number | bigint | Uint8Array {
  switch (type) {
    case ValType.I32:
      return words[i]!;
    case ValType.I64:
      return i64FromWords(words[i]!, words[i + 1]!);
    case ValType.F32:
      if (raw) return words[i]! >>> 0;
      scratchWords[0] = words[i]!;
      return scratchF32[0]!;
    case ValType.F64:
      if (raw) return BigInt.asUintN(64, i64FromWords(words[i]!, words[i + 1]!));
      scratchWords[0] = words[i]!;
      scratchWords[1] = words[i + 1]!;
      return scratchF64[0]!;
    case ValType.V128: {
      const bytes = new Uint8Array(16);
      for (let k = 0; k < 16; k++) bytes[k] = words[i + (k >> 2)]! >>> ((k & 3) << 3);
      return bytes;
    }
  }
  throw new TypeError(`values of type ${valTypeName(type)} are not supported`);
}

/** Writes a JS value (raw or not) of `type` into register slot `slot`; TypeError when it is not one. */
export function writeSlot(m: Machine, slot: number, type: ValType, value: unknown, raw: boolean): void {
  if (isRefType(type)) m.refs[slot] = checkRef(type, value);
  else if (type === ValType.V128) encodeNumber(type, value, raw, m.v128.i32, 4 * slot);
  else encodeNumber(type, value, raw, m.w, 2 * slot);
}

export function readSlot(m: Machine, slot: number, type: ValType, raw: boolean): unknown {
  if (type === ValType.V128) return decodeNumber(type, raw, m.v128.i32, 4 * slot);
  return isRefType(type) ? m.refs[slot] : decodeNumber(type, raw, m.w, 2 * slot);
}
