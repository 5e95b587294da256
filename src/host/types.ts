/** The type descriptions of the public API (api.md) and their conversions to the decoded forms. */

import { ValType, type FuncType, type GlobalType, type Limits, type MemoryType, type RefType, type TableType } from '../decoder/module.js';
import { valTypeName } from '../interpreter/values.js';

export type ValTypeName = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'exnref';

export interface FuncTypeDesc {
  params: ValTypeName[];
  results: ValTypeName[];
}
/** The index type of a memory or table: 'i64' for memory64 / table64 (default 'i32'). */
export type AddressType = 'i32' | 'i64';

export interface TableTypeDesc {
  element: 'funcref' | 'externref' | 'exnref';
  min: number;
  max?: number;
  address?: AddressType;
}
/** Sizes in 64 KiB pages. */
export interface MemoryTypeDesc {
  min: number;
  max?: number;
  address?: AddressType;
}
export interface GlobalTypeDesc {
  value: ValTypeName;
  mutable: boolean;
}
/** An exception tag's type: the payload's value types. */
export interface TagTypeDesc {
  params: ValTypeName[];
}
export type ExternType = FuncTypeDesc | TableTypeDesc | MemoryTypeDesc | GlobalTypeDesc | TagTypeDesc;
export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface ImportType {
  module: string;
  name: string;
  kind: ExternKind;
  type: ExternType;
}
export interface ExportType {
  name: string;
  kind: ExternKind;
  type: ExternType;
}

/** i32/f32/f64 -> number, i64 -> bigint, funcref -> Func | null, externref -> any JS value. */
export type Value = unknown;
/** Like Value, but f32 is its u32 bit pattern (number) and f64 its u64 bit pattern (bigint). */
export type RawValue = unknown;

const TYPES_BY_NAME: Record<ValTypeName, ValType> = {
  i32: ValType.I32,
  i64: ValType.I64,
  f32: ValType.F32,
  f64: ValType.F64,
  v128: ValType.V128,
  funcref: ValType.FuncRef,
  externref: ValType.ExternRef,
  exnref: ValType.ExnRef,
};

export function valTypeFromName(name: unknown): ValType {
  const type = typeof name === 'string' ? TYPES_BY_NAME[name as ValTypeName] : undefined;
  if (type === undefined) throw new TypeError(`unknown value type ${JSON.stringify(name)}`);
  return type;
}

function nameOfValType(type: ValType): ValTypeName {
  return valTypeName(type) as ValTypeName;
}

export function refTypeFromName(name: unknown): RefType {
  if (name === 'funcref') return ValType.FuncRef;
  if (name === 'externref') return ValType.ExternRef;
  if (name === 'exnref') return ValType.ExnRef;
  throw new TypeError(`unknown table element type ${JSON.stringify(name)}`);
}

function typeList(list: unknown, what: string): ValType[] {
  if (!Array.isArray(list)) throw new TypeError(`function type ${what} must be an array of value type names`);
  return list.map(valTypeFromName);
}

export function funcTypeFromDesc(desc: FuncTypeDesc): FuncType {
  if (typeof desc !== 'object' || desc === null) throw new TypeError('a function type must be { params, results }');
  return { params: typeList(desc.params, 'params'), results: typeList(desc.results, 'results') };
}

export function tagTypeFromDesc(desc: TagTypeDesc): FuncType {
  if (typeof desc !== 'object' || desc === null) throw new TypeError('a tag type must be { params }');
  return { params: typeList(desc.params, 'params'), results: [] };
}

export function tagTypeToDesc(type: FuncType): TagTypeDesc {
  return { params: type.params.map(nameOfValType) };
}

export function funcTypeToDesc(type: FuncType): FuncTypeDesc {
  return { params: type.params.map(nameOfValType), results: type.results.map(nameOfValType) };
}

function checkSize(value: unknown, what: string, limit: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > limit) {
    throw new TypeError(`${what} must be an integer from 0 to ${limit}, got ${String(value)}`);
  }
  return value;
}

export function limitsFromDesc(desc: { min: number; max?: number }, limit: number): Limits {
  if (typeof desc !== 'object' || desc === null) throw new TypeError('a type must be an object with min (and max)');
  const min = checkSize(desc.min, 'min', limit);
  const max = desc.max === undefined ? undefined : checkSize(desc.max, 'max', limit);
  if (max !== undefined && max < min) throw new TypeError(`max ${max} is below min ${min}`);
  return { min, max };
}

function limitsToDesc(limits: Limits): { min: number; max?: number } {
  return limits.max === undefined ? { min: limits.min } : { min: limits.min, max: limits.max };
}

/** Whether a type description asks for a 64-bit index type. */
export function addressIs64(desc: { address?: unknown }): boolean {
  const address = desc.address;
  if (address === undefined || address === 'i32') return false;
  if (address === 'i64') return true;
  throw new TypeError(`address must be 'i32' or 'i64', got ${JSON.stringify(address)}`);
}

function addressToDesc(is64: boolean): { address?: AddressType } {
  return is64 ? { address: 'i64' } : {};
}

export function tableTypeToDesc(type: TableType): TableTypeDesc {
  return { element: nameOfValType(type.elemType) as TableTypeDesc['element'], ...limitsToDesc(type.limits), ...addressToDesc(type.is64) };
}

export function memoryTypeToDesc(type: MemoryType): MemoryTypeDesc {
  return { ...limitsToDesc(type.limits), ...addressToDesc(type.is64) };
}

export function globalTypeToDesc(type: GlobalType): GlobalTypeDesc {
  return { value: nameOfValType(type.valueType), mutable: type.mutable };
}

// ---------------------------------------------------------------- text for error messages

export function formatFuncType(type: FuncType): string {
  return `func (${type.params.map(valTypeName).join(', ')}) -> (${type.results.map(valTypeName).join(', ')})`;
}

function formatLimits(min: number, max: number | undefined): string {
  return max === undefined ? `{min ${min}}` : `{min ${min}, max ${max}}`;
}

export function formatTableType(elemType: RefType, min: number, max: number | undefined, is64 = false): string {
  return `table ${is64 ? 'i64 ' : ''}${valTypeName(elemType)} ${formatLimits(min, max)}`;
}

export function formatMemoryType(min: number, max: number | undefined, is64 = false): string {
  return `memory ${is64 ? 'i64 ' : ''}${formatLimits(min, max)}`;
}

export function formatTagType(type: FuncType): string {
  return `tag (${type.params.map(valTypeName).join(', ')})`;
}

export function formatGlobalType(valueType: ValType, mutable: boolean): string {
  return `global ${mutable ? 'mut ' : ''}${valTypeName(valueType)}`;
}

/** Import matching of limits: at least the declared minimum, and within the declared maximum if any. */
export function limitsMatch(actualMin: number, actualMax: number | undefined, declared: Limits): boolean {
  if (actualMin < declared.min) return false;
  if (declared.max === undefined) return true;
  return actualMax !== undefined && actualMax <= declared.max;
}
