/** Readers for the binary format's type encodings: value, reference, function, limits, table, memory, global. */
import { ValType, type FuncType, type GlobalType, type Limits, type MemoryType, type RefType, type TableType } from './module.js';
import type { ByteReader } from './reader.js';
import { readVec } from './vector.js';

const FUNC_TYPE_FORM = 0x60;

export function isValType(byte: number): byte is ValType {
  switch (byte) {
    case ValType.I32:
    case ValType.I64:
    case ValType.F32:
    case ValType.F64:
    case ValType.V128:
    case ValType.FuncRef:
    case ValType.ExternRef:
    case ValType.ExnRef:
      return true;
    default:
      return false;
  }
}

export function readValType(r: ByteReader): ValType {
  const byte = r.u8();
  if (!isValType(byte)) r.fail(`malformed value type 0x${hex(byte)}`, r.pos - 1);
  if (byte === ValType.ExnRef) r.requireFeature('exceptions', 'malformed value type 0x69 (exnref)', r.pos - 1);
  return byte;
}

/** A tag type (exception handling): attribute 0 (exception), then a function type index. */
export function readTagType(r: ByteReader): number {
  const at = r.pos;
  const attribute = r.u8();
  if (attribute !== 0) r.fail(`malformed tag attribute 0x${hex(attribute)}: expected 0x00`, at);
  return r.u32();
}

export function readRefType(r: ByteReader): RefType {
  const byte = r.u8();
  if (byte !== ValType.FuncRef && byte !== ValType.ExternRef && byte !== ValType.ExnRef) r.fail(`malformed reference type 0x${hex(byte)}`, r.pos - 1);
  if (byte === ValType.ExnRef) r.requireFeature('exceptions', 'malformed reference type 0x69 (exnref)', r.pos - 1);
  return byte;
}

export function readFuncType(r: ByteReader): FuncType {
  const form = r.u8();
  if (form !== FUNC_TYPE_FORM) r.fail(`malformed function type: expected 0x60, got 0x${hex(form)}`, r.pos - 1);
  const params = readVec(r, readValType);
  const results = readVec(r, readValType);
  return { params, results };
}

/** Limits flag bits: a maximum is present, the memory is shared (threads, unsupported), the index type is i64. */
const HAS_MAX = 1;
const SHARED = 2;
const IS_64 = 4;

/**
 * The flags are a single byte: 0x00 (min) or 0x01 (min and max), with 0x04
 * added for a 64-bit memory or table (memory64). The messages follow the spec
 * testsuite, which reads the flags as a 1-bit LEB128. Sizes of 64-bit types are
 * u64 (as numbers: exact below 2^53, and larger ones fail validation anyway).
 */
function readLimits(r: ByteReader): Limits & { is64: boolean } {
  const at = r.pos;
  const flags = r.u8();
  const is64 = (flags & IS_64) !== 0 && (flags & ~(HAS_MAX | IS_64)) === 0;
  if (flags > 1 && !is64) {
    const problem = flags & 0x80 ? 'integer representation too long' : 'integer too large';
    const also = flags & SHARED ? ' (shared memories are not supported)' : '';
    r.fail(`${problem}: limits flags must be 0x00 or 0x01, got 0x${hex(flags)}${also}`, at);
  }
  if (is64) r.requireFeature('memory64', `malformed limits flags 0x${hex(flags)}`, at);
  const min = is64 ? r.u64Number() : r.u32();
  const max = flags & HAS_MAX ? (is64 ? r.u64Number() : r.u32()) : undefined;
  return { min, max, is64 };
}

export function readTableType(r: ByteReader): TableType {
  const elemType = readRefType(r);
  const { min, max, is64 } = readLimits(r);
  return { elemType, limits: { min, max }, is64 };
}

export function readMemoryType(r: ByteReader): MemoryType {
  const { min, max, is64 } = readLimits(r);
  return { limits: { min, max }, is64 };
}

export function readGlobalType(r: ByteReader): GlobalType {
  const valueType = readValType(r);
  const mutability = r.u8();
  if (mutability > 1) r.fail(`malformed mutability 0x${hex(mutability)}`, r.pos - 1);
  return { valueType, mutable: mutability === 1 };
}

export function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
