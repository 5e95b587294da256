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
      return true;
    default:
      return false;
  }
}

export function readValType(r: ByteReader): ValType {
  const byte = r.u8();
  if (!isValType(byte)) r.fail(`malformed value type 0x${hex(byte)}`, r.pos - 1);
  return byte;
}

export function readRefType(r: ByteReader): RefType {
  const byte = r.u8();
  if (byte !== ValType.FuncRef && byte !== ValType.ExternRef) r.fail(`malformed reference type 0x${hex(byte)}`, r.pos - 1);
  return byte;
}

export function readFuncType(r: ByteReader): FuncType {
  const form = r.u8();
  if (form !== FUNC_TYPE_FORM) r.fail(`malformed function type: expected 0x60, got 0x${hex(form)}`, r.pos - 1);
  const params = readVec(r, readValType);
  const results = readVec(r, readValType);
  return { params, results };
}

/**
 * The flags are a single byte, 0x00 (min) or 0x01 (min and max). The messages
 * follow the spec testsuite, which reads the flags as a 1-bit LEB128.
 */
function readLimits(r: ByteReader): Limits {
  const flags = r.u8();
  if (flags > 1) {
    const problem = flags & 0x80 ? 'integer representation too long' : 'integer too large';
    r.fail(`${problem}: limits flags must be 0x00 or 0x01, got 0x${hex(flags)}`, r.pos - 1);
  }
  const min = r.u32();
  const max = flags === 1 ? r.u32() : undefined;
  return { min, max };
}

export function readTableType(r: ByteReader): TableType {
  const elemType = readRefType(r);
  const limits = readLimits(r);
  return { elemType, limits };
}

export function readMemoryType(r: ByteReader): MemoryType {
  return { limits: readLimits(r) };
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
