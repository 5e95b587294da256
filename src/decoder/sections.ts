/** Readers for the contents of each non-custom section; the caller bounds `r.end` to the section. */
import { readConstExpr } from './const-expr.js';
import {
  ValType,
  type ConstExprAt,
  type DataMode,
  type DataSegment,
  type ElemMode,
  type ElemSegment,
  type Export,
  type ExternKind,
  type FuncType,
  type FunctionBody,
  type Global,
  type Import,
  type ImportDesc,
  type MemoryType,
  type RefType,
  type TableType,
} from './module.js';
import type { ByteReader } from './reader.js';
import { hex, readFuncType, readGlobalType, readMemoryType, readRefType, readTableType, readTagType, readValType } from './types.js';
import { readVec, readVecLength } from './vector.js';

/**
 * Declared locals per function (excluding parameters). The format allows up to
 * 2^32 - 1; a frame that large could never run, so a sane cap keeps a hostile
 * module from making later stages allocate absurd frames.
 */
export const MAX_FUNCTION_LOCALS = 50_000;

const EXTERN_KINDS: readonly ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

export function readTypeSection(r: ByteReader): FuncType[] {
  return readVec(r, readFuncType);
}

export function readImportSection(r: ByteReader): Import[] {
  return readVec(r, readImport);
}

function readImport(r: ByteReader): Import {
  const module = r.name();
  const name = r.name();
  return { module, name, desc: readImportDesc(r) };
}

function readImportDesc(r: ByteReader): ImportDesc {
  const kind = r.u8();
  switch (kind) {
    case 0:
      return { kind: 'func', typeIndex: r.u32() };
    case 1:
      return { kind: 'table', type: readTableType(r) };
    case 2:
      return { kind: 'memory', type: readMemoryType(r) };
    case 3:
      return { kind: 'global', type: readGlobalType(r) };
    case 4:
      r.requireFeature('exceptions', 'malformed import kind 0x04 (tag)', r.pos - 1);
      return { kind: 'tag', typeIndex: readTagType(r) };
    default:
      return r.fail(`malformed import kind 0x${hex(kind)}`, r.pos - 1);
  }
}

export function readFunctionSection(r: ByteReader): number[] {
  return readVec(r, (reader) => reader.u32());
}

export function readTableSection(r: ByteReader): TableType[] {
  return readVec(r, readTableType);
}

export function readMemorySection(r: ByteReader): MemoryType[] {
  return readVec(r, readMemoryType);
}

export function readTagSection(r: ByteReader): number[] {
  return readVec(r, readTagType);
}

export function readGlobalSection(r: ByteReader): Global[] {
  return readVec(r, readGlobal);
}

function readGlobal(r: ByteReader): Global {
  const type = readGlobalType(r);
  return { type, init: readConstExpr(r) };
}

export function readExportSection(r: ByteReader): Export[] {
  return readVec(r, readExport);
}

function readExport(r: ByteReader): Export {
  const name = r.name();
  const kindByte = r.u8();
  const kind = EXTERN_KINDS[kindByte];
  if (kind === undefined) r.fail(`malformed export kind 0x${hex(kindByte)}`, r.pos - 1);
  if (kind === 'tag') r.requireFeature('exceptions', 'malformed export kind 0x04 (tag)', r.pos - 1);
  return { name, kind, index: r.u32() };
}

export function readStartSection(r: ByteReader): number {
  return r.u32();
}

export function readElementSection(r: ByteReader): ElemSegment[] {
  return readVec(r, readElemSegment);
}

/**
 * The 8 segment forms are bit flags: bit 0 passive/declarative (else active),
 * bit 1 explicit table index (active) or declarative (otherwise), bit 2 items
 * are expressions (else function indices).
 */
function readElemSegment(r: ByteReader): ElemSegment {
  const flagsAt = r.pos;
  const flags = r.u32();
  if (flags > 7) r.fail(`malformed elements segment kind ${flags}`, flagsAt);
  const isActive = (flags & 1) === 0;
  const hasExplicitType = (flags & 3) !== 0;
  const itemsAreExprs = (flags & 4) !== 0;

  let mode: ElemMode;
  if (isActive) {
    const tableIndex = flags & 2 ? r.u32() : 0;
    mode = { kind: 'active', tableIndex, offset: readConstExpr(r) };
  } else {
    mode = flags & 2 ? { kind: 'declarative' } : { kind: 'passive' };
  }

  let type: RefType = ValType.FuncRef;
  if (hasExplicitType) {
    if (itemsAreExprs) {
      type = readRefType(r);
    } else {
      const elemKind = r.u8();
      if (elemKind !== 0) r.fail(`malformed element kind 0x${hex(elemKind)}`, r.pos - 1);
    }
  }

  const init = itemsAreExprs ? readVec(r, readConstExpr) : readVec(r, readFuncIndexItem);
  return { type, mode, init };
}

/** An element item given as a function index, as the `ref.func` it stands for. */
function readFuncIndexItem(r: ByteReader): ConstExprAt {
  const offset = r.pos;
  return { expr: { op: 'ref.func', funcIndex: r.u32() }, offset };
}

export function readDataCountSection(r: ByteReader): number {
  return r.u32();
}

/** `functionCount` comes from the function section (0 when it is absent). */
export function readCodeSection(r: ByteReader, functionCount: number): FunctionBody[] {
  const countAt = r.pos;
  const count = readVecLength(r);
  if (count !== functionCount) {
    r.fail(`function and code section have inconsistent lengths (${functionCount} functions, ${count} bodies)`, countAt);
  }
  const bodies: FunctionBody[] = [];
  for (let i = 0; i < count; i++) bodies.push(readFunctionBody(r));
  return bodies;
}

function readFunctionBody(r: ByteReader): FunctionBody {
  const sizeAt = r.pos;
  const size = r.u32();
  if (size > r.end - r.pos) r.fail('unexpected end of section or function: function body size exceeds the section', sizeAt);
  const bodyEnd = r.pos + size;
  const sectionEnd = r.end;
  r.end = bodyEnd;

  const runCount = readVecLength(r);
  const locals: { count: number; type: ValType }[] = [];
  let localCount = 0;
  for (let i = 0; i < runCount; i++) {
    const runAt = r.pos;
    const count = r.u32();
    const type = readValType(r);
    localCount += count;
    if (localCount > MAX_FUNCTION_LOCALS) {
      r.fail(`too many locals (more than ${MAX_FUNCTION_LOCALS} in one function)`, runAt);
    }
    locals.push({ count, type });
  }

  // The instructions, including the check that they end with `end`, are the validator's.
  const codeStart = r.pos;
  r.pos = bodyEnd;
  r.end = sectionEnd;
  return { locals, localCount, codeStart, codeEnd: bodyEnd };
}

/** `dataCount` is the data count section's value, when that section is present. */
export function readDataSection(r: ByteReader, dataCount: number | undefined): DataSegment[] {
  const countAt = r.pos;
  const count = readVecLength(r);
  if (dataCount !== undefined && count !== dataCount) {
    r.fail(`data count and data section have inconsistent lengths (data count ${dataCount}, ${count} segments)`, countAt);
  }
  const datas: DataSegment[] = [];
  for (let i = 0; i < count; i++) datas.push(readDataSegment(r));
  return datas;
}

function readDataSegment(r: ByteReader): DataSegment {
  const flagsAt = r.pos;
  const flags = r.u32();
  let mode: DataMode;
  switch (flags) {
    case 0:
      mode = { kind: 'active', memoryIndex: 0, offset: readConstExpr(r) };
      break;
    case 1:
      mode = { kind: 'passive' };
      break;
    case 2: {
      const memoryIndex = r.u32();
      mode = { kind: 'active', memoryIndex, offset: readConstExpr(r) };
      break;
    }
    default:
      return r.fail(`malformed data segment kind ${flags}`, flagsAt);
  }
  const lengthAt = r.pos;
  const length = r.u32();
  if (length > r.end - r.pos) r.fail('unexpected end of section or function: data segment longer than the section', lengthAt);
  return { mode, bytes: r.bytesN(length) };
}
