/** Module instantiation in the Wasm 2.0 order (api.md, end). */

import { ValType, type ConstExpr, type FuncType, type Import } from '../decoder/module.js';
import { LinkError, RuntimeError, TRAP_MESSAGES } from '../errors.js';
import { InstanceContext } from '../interpreter/instance.js';
import { encodeNumber, isRefType } from '../interpreter/values.js';
import type { ValidatedModule } from '../validator/index.js';
import { Caller } from './caller.js';
import type { Extern } from './extern.js';
import { Func } from './func.js';
import { Global } from './global.js';
import { Instance } from './instance.js';
import { Memory } from './memory.js';
import { Module } from './module.js';
import { checkIsStore, type Store } from './store.js';
import { Table } from './table.js';
import { Tag } from './tag.js';
import {
  formatFuncType, formatGlobalType, formatMemoryType, formatTableType, formatTagType, globalTypeToDesc, limitsMatch,
  memoryTypeToDesc, tableTypeToDesc, tagTypeToDesc,
} from './types.js';

/** Finds the item a linker (or other importer) provides for import number `index`; undefined when none. */
export type ImportResolver = (imp: Import, index: number) => unknown;

function describeExtern(item: unknown): string {
  if (item instanceof Func) return formatFuncType(item.funcType);
  if (item instanceof Memory) return formatMemoryType(item.pages, item.maxPages, item.is64);
  if (item instanceof Table) return formatTableType(item.elemType, item.elements.length, item.maxSize, item.is64);
  if (item instanceof Global) return formatGlobalType(item.valueType, item.mutable);
  if (item instanceof Tag) return formatTagType(item.funcType);
  return item === null ? 'null' : typeof item;
}

function expectedType(v: ValidatedModule, imp: Import): string {
  const desc = imp.desc;
  switch (desc.kind) {
    case 'func': return formatFuncType(v.decoded.types[desc.typeIndex]!);
    case 'table': return formatTableType(desc.type.elemType, desc.type.limits.min, desc.type.limits.max, desc.type.is64);
    case 'memory': return formatMemoryType(desc.type.limits.min, desc.type.limits.max, desc.type.is64);
    case 'global': return formatGlobalType(desc.type.valueType, desc.type.mutable);
    case 'tag': return formatTagType(v.decoded.types[desc.typeIndex]!);
  }
}

/** Whether `item` can satisfy `imp` (external type matching, Wasm 2.0). */
function matches(v: ValidatedModule, imp: Import, item: unknown): boolean {
  const desc = imp.desc;
  switch (desc.kind) {
    case 'func':
      return item instanceof Func && item.sigId === v.typeSigIds[desc.typeIndex];
    case 'table':
      return item instanceof Table && item.elemType === desc.type.elemType && item.is64 === desc.type.is64
        && limitsMatch(item.elements.length, item.maxSize, desc.type.limits);
    case 'memory':
      return item instanceof Memory && item.is64 === desc.type.is64 && limitsMatch(item.pages, item.maxPages, desc.type.limits);
    case 'global':
      return item instanceof Global && item.valueType === desc.type.valueType && item.mutable === desc.type.mutable;
    case 'tag':
      return item instanceof Tag && item.sigId === v.typeSigIds[desc.typeIndex];
  }
}

function ownerOf(item: Extern): object {
  return item instanceof Func ? item.owner : item.store;
}

function resolveImports(store: Store, v: ValidatedModule, ctx: InstanceContext, resolve: ImportResolver): void {
  v.decoded.imports.forEach((imp, index) => {
    const where = `${imp.module}.${imp.name}`;
    const item = resolve(imp, index);
    if (item === undefined) throw new LinkError(`unknown import ${where}: expected ${expectedType(v, imp)}`);
    if (!matches(v, imp, item)) {
      throw new LinkError(`import ${where}: expected ${expectedType(v, imp)}, got ${describeExtern(item)}`);
    }
    const extern = item as Extern;
    if (ownerOf(extern) !== store) throw new LinkError(`import ${where}: the item belongs to a different store`);
    if (extern instanceof Func) {
      if (extern.compiled === null) extern.hostName ??= where;
      ctx.funcs.push(extern);
    } else if (extern instanceof Table) ctx.tables.push(extern);
    else if (extern instanceof Memory) ctx.memories.push(extern);
    else if (extern instanceof Tag) {
      extern.name ??= where;
      ctx.tags.push(extern);
    } else ctx.globals.push(extern);
  });
}

/** The LinkError of an active segment that does not fit; its cause is the trap it is in Wasm 2.0. */
function segmentError(what: string, trap: 'memoryOutOfBounds' | 'tableOutOfBounds'): LinkError {
  const message = `${what}: ${TRAP_MESSAGES[trap]}`;
  return new LinkError(message, { cause: new RuntimeError(trap, message) });
}

/** Creating a memory or table beyond the store's limits fails instantiation, naming the limit. */
function withinLimits<T>(what: string, create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (error instanceof RangeError) throw new LinkError(`${what}: ${error.message}`, { cause: error });
    throw error;
  }
}

const offsetWords = new Int32Array(2);

/**
 * Evaluates a constant expression: numbers into words i, i + 1; returns the
 * reference for reference-typed expressions (null otherwise).
 */
function evalConst(expr: ConstExpr, ctx: InstanceContext, words: Int32Array, i: number): unknown {
  switch (expr.op) {
    case 'i32.const':
      words[i] = expr.value;
      return null;
    case 'i64.const':
      encodeNumber(ValType.I64, expr.value, true, words, i);
      return null;
    case 'f32.const':
      words[i] = expr.bits;
      return null;
    case 'f64.const':
      encodeNumber(ValType.F64, expr.bits, true, words, i);
      return null;
    case 'ref.null':
      return null;
    case 'ref.func':
      return ctx.funcs[expr.funcIndex];
    case 'global.get': {
      const global = ctx.globals[expr.globalIndex]!;
      words.set(global.words.subarray(0, words.length - i), i);
      return global.ref;
    }
    case 'v128.const':
      encodeNumber(ValType.V128, expr.bytes, true, words, i);
      return null;
    default:
      evalConstArithmetic(expr, ctx, words, i);
      return null;
  }
}

/** Extended constant expressions: i32/i64 add, sub, mul (instantiation only, so BigInt is fine here). */
function evalConstArithmetic(expr: Extract<ConstExpr, { left: ConstExpr }>, ctx: InstanceContext, words: Int32Array, i: number): void {
  const operands = new Int32Array(4);
  evalConst(expr.left, ctx, operands, 0);
  evalConst(expr.right, ctx, operands, 2);
  if (expr.op.startsWith('i32')) {
    const a = operands[0]!;
    const b = operands[2]!;
    words[i] = expr.op === 'i32.add' ? (a + b) | 0 : expr.op === 'i32.sub' ? (a - b) | 0 : Math.imul(a, b);
    return;
  }
  const a = (BigInt(operands[1]!) << 32n) | BigInt(operands[0]! >>> 0);
  const b = (BigInt(operands[3]!) << 32n) | BigInt(operands[2]! >>> 0);
  const result = BigInt.asUintN(64, expr.op === 'i64.add' ? a + b : expr.op === 'i64.sub' ? a - b : a * b);
  words[i] = Number(result & 0xffffffffn) | 0;
  words[i + 1] = Number(result >> 32n) | 0;
}

/** A segment offset: an i32, or an i64 for a 64-bit memory or table (exact below 2^53, and past any size above). */
function evalOffset(expr: ConstExpr, ctx: InstanceContext, is64: boolean): number {
  offsetWords[1] = 0;
  evalConst(expr, ctx, offsetWords, 0);
  return (is64 ? (offsetWords[1]! >>> 0) * 2 ** 32 : 0) + (offsetWords[0]! >>> 0);
}

function zeroOf(type: ValType): unknown {
  if (type === ValType.V128) return new Uint8Array(16);
  return type === ValType.I64 ? 0n : isRefType(type) ? null : 0;
}

/**
 * Instantiates `module` in `store`, taking imports from `resolve`. Throws
 * LinkError for unresolvable imports, limits and out-of-bounds segments, and
 * RuntimeError when the start function traps.
 */
export function instantiateModule(store: Store, module: Module, resolve: ImportResolver): Instance {
  checkIsStore(store);
  if (!(module instanceof Module)) throw new TypeError('expected a Module');
  if (module.engine !== store.engine) throw new LinkError('the module and the store belong to different engines');
  if (store.instanceCount >= store.maxInstances) {
    throw new LinkError(`the store's limit of ${store.maxInstances} instances (maxInstances) is reached`);
  }
  const v = module.validated;
  const d = v.decoded;
  const ctx = new InstanceContext(d.funcNames);
  ctx.module = v;
  resolveImports(store, v, ctx, resolve);
  store.instanceCount++;

  for (let i = 0; i < v.funcs.length; i++) {
    const index = v.numImportedFuncs + i;
    ctx.funcs.push(new Func(store, v.funcTypes[index] as FuncType, v.funcSigIds[index]!, ctx, v.funcs[i]!, index, null));
  }
  d.tables.forEach((type, i) => {
    ctx.tables.push(withinLimits(`table ${v.numImportedTables + i}`, () => new Table(store, tableTypeToDesc(type))));
  });
  d.memories.forEach((type, i) => {
    ctx.memories.push(withinLimits(`memory ${v.numImportedMemories + i}`, () => new Memory(store, memoryTypeToDesc(type))));
  });
  ctx.memory = ctx.memories[0] ?? null;
  d.tags.forEach((typeIndex, i) => {
    const tag = new Tag(store, tagTypeToDesc(d.types[typeIndex]!));
    tag.name = d.exports.find((exp) => exp.kind === 'tag' && exp.index === v.numImportedTags + i)?.name ?? `tag[${v.numImportedTags + i}]`;
    ctx.tags.push(tag);
  });
  for (const global of d.globals) {
    const instance = new Global(store, globalTypeToDesc(global.type), zeroOf(global.type.valueType));
    instance.ref = evalConst(global.init.expr, ctx, instance.words, 0);
    ctx.globals.push(instance);
  }

  const exportMap = new Map<string, Extern>();
  for (const exp of d.exports) {
    const items = { func: ctx.funcs, table: ctx.tables, memory: ctx.memories, global: ctx.globals, tag: ctx.tags }[exp.kind];
    exportMap.set(exp.name, items[exp.index] as Extern);
  }
  const instance = new Instance(store, ctx, exportMap);
  ctx.caller = new Caller(store, instance);

  // Segments in order; a failure keeps the writes before it (Wasm 2.0).
  d.elems.forEach((segment, index) => {
    const values = segment.init.map((init) => evalConst(init.expr, ctx, offsetWords, 0));
    ctx.elems.push(values);
    const mode = segment.mode;
    if (mode.kind === 'passive') return;
    ctx.elems[index] = [];
    if (mode.kind === 'declarative') return;
    const table = ctx.tables[mode.tableIndex]!;
    const offset = evalOffset(mode.offset.expr, ctx, table.is64);
    if (offset + values.length > table.elements.length) {
      throw segmentError(`elem segment ${index} does not fit its table`, 'tableOutOfBounds');
    }
    for (let i = 0; i < values.length; i++) table.elements[offset + i] = values[i];
  });
  d.datas.forEach((segment, index) => {
    ctx.datas.push(segment.bytes);
    const mode = segment.mode;
    if (mode.kind === 'passive') return;
    ctx.datas[index] = new Uint8Array(0);
    const memory = ctx.memories[mode.memoryIndex]!;
    const offset = evalOffset(mode.offset.expr, ctx, memory.is64);
    if (offset + segment.bytes.length > memory.arrayBuffer.byteLength) {
      throw segmentError(`data segment ${index} does not fit its memory`, 'memoryOutOfBounds');
    }
    memory.bytes.set(segment.bytes, offset);
  });

  if (d.start !== undefined) (ctx.funcs[d.start] as Func).call(store, []);
  return instance;
}

/**
 * Instantiates `module` with `externs`, one per import in the module's import
 * order: two imports with the same module and name may get different items.
 */
export function instantiate(store: Store, module: Module, externs: readonly Extern[]): Instance {
  if (!Array.isArray(externs)) throw new TypeError('the imports must be an array of externs');
  if (!(module instanceof Module)) throw new TypeError('expected a Module');
  const count = module.decoded.imports.length;
  if (externs.length !== count) throw new LinkError(`the module has ${count} imports, got ${externs.length} externs`);
  return instantiateModule(store, module, (_imp, index) => externs[index]);
}
