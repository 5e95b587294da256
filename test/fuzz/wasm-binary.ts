/**
 * Reading and rewriting module binaries for the fuzz harness: the structure
 * it needs (function types, imports, exports, how many memories, tables and
 * globals), a rewrite that exports every memory, table and global so the
 * final state can be read on both engines, and one that makes NaN results
 * deterministic. Independent of purewasm's decoder on purpose: the harness
 * must not trust the engine it checks.
 */
import { uleb } from '../helpers/leb.js';

export type FuzzValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'exnref';
export type ExportKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface FuncSig {
  params: FuzzValType[];
  results: FuzzValType[];
}

export interface ModuleInfo {
  /** The signature of every function in the function index space (imports first). */
  funcs: FuncSig[];
  imports: { module: string; name: string; kind: ExportKind; sig?: FuncSig; global?: FuzzValType }[];
  exports: { name: string; kind: ExportKind; index: number }[];
  globals: { type: FuzzValType; mutable: boolean }[];
  tableCount: number;
  memoryCount: number;
}

const KINDS: ExportKind[] = ['func', 'table', 'memory', 'global', 'tag'];
const VAL_TYPES: Record<number, FuzzValType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref', 0x69: 'exnref' };
const SECTION_GLOBAL = 6;
const SECTION_EXPORT = 7;
const SECTION_CODE = 10;
/** Where each known section id sits in the required order (tag sits between memory and global, data count between elem and code). */
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

class Cursor {
  pos: number;
  constructor(readonly bytes: Uint8Array, pos = 0) {
    this.pos = pos;
  }
  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('unexpected end of module');
    return this.bytes[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  /** Skips a signed LEB128 of any width. */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  name(): string {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  valType(): FuzzValType {
    const code = this.byte();
    const type = VAL_TYPES[code];
    if (type === undefined) throw new Error(`not WebAssembly 2.0: value type 0x${code.toString(16)}`);
    return type;
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
  /** Skips a constant expression (2.0: *.const, v128.const, ref.null, ref.func, global.get, end). */
  constExpr(): void {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42) this.skipLeb();
      else if (op === 0x43) this.pos += 4;
      else if (op === 0x44) this.pos += 8;
      else if (op === 0xd0) this.byte();
      else if (op === 0xd2 || op === 0x23) this.u32();
      else if (op === 0xfd && this.u32() === 0x0c) this.pos += 16; // v128.const
      else throw new Error(`unsupported constant instruction 0x${op.toString(16)}`);
    }
  }
}

interface Section {
  id: number;
  /** Byte range of the whole section (id, size and contents). */
  start: number;
  end: number;
  contentStart: number;
}

function sections(bytes: Uint8Array): Section[] {
  const c = new Cursor(bytes, 8);
  const list: Section[] = [];
  while (c.pos < bytes.length) {
    const start = c.pos;
    const id = c.byte();
    const size = c.u32();
    list.push({ id, start, end: c.pos + size, contentStart: c.pos });
    c.pos += size;
  }
  return list;
}

export function readModuleInfo(bytes: Uint8Array): ModuleInfo {
  const info: ModuleInfo = { funcs: [], imports: [], exports: [], globals: [], tableCount: 0, memoryCount: 0 };
  const types: FuncSig[] = [];
  for (const section of sections(bytes)) {
    const c = new Cursor(bytes, section.contentStart);
    if (section.id === 0 || section.id > 9) continue;
    const count = c.u32();
    for (let i = 0; i < count; i++) {
      switch (section.id) {
        case 1: {
          if (c.byte() !== 0x60) throw new Error('unsupported type form');
          const params = Array.from({ length: c.u32() }, () => c.valType());
          const results = Array.from({ length: c.u32() }, () => c.valType());
          types.push({ params, results });
          break;
        }
        case 2: {
          const module = c.name();
          const name = c.name();
          const kind = KINDS[c.byte()]!;
          if (kind === 'func') {
            const sig = types[c.u32()]!;
            info.funcs.push(sig);
            info.imports.push({ module, name, kind, sig });
          } else if (kind === 'table') {
            c.byte();
            c.limits();
            info.tableCount++;
            info.imports.push({ module, name, kind });
          } else if (kind === 'memory') {
            c.limits();
            info.memoryCount++;
            info.imports.push({ module, name, kind });
          } else if (kind === 'tag') {
            c.byte(); // attribute
            c.u32(); // type index
            info.imports.push({ module, name, kind });
          } else {
            const type = c.valType();
            info.globals.push({ type, mutable: c.byte() === 1 });
            info.imports.push({ module, name, kind, global: type });
          }
          break;
        }
        case 3:
          info.funcs.push(types[c.u32()]!);
          break;
        case 4:
          c.byte();
          c.limits();
          info.tableCount++;
          break;
        case 5:
          c.limits();
          info.memoryCount++;
          break;
        case 6: {
          const type = c.valType();
          info.globals.push({ type, mutable: c.byte() === 1 });
          c.constExpr();
          break;
        }
        case 7: {
          const name = c.name();
          const kind = KINDS[c.byte()]!;
          info.exports.push({ name, kind, index: c.u32() });
          break;
        }
        default:
          i = count; // start, elem: nothing the harness needs
      }
    }
  }
  return info;
}

function encodeName(text: string): number[] {
  const utf8 = new TextEncoder().encode(text);
  return [...uleb(utf8.length), ...utf8];
}

/** The export name the harness gives an unexported memory, table or global. */
export function stateExportName(kind: 'memory' | 'table' | 'global', index: number): string {
  return `fuzz-state:${kind}${index}`;
}

/**
 * The module with every memory, table and global exported (under
 * stateExportName) that was not exported yet. Existing exports keep their
 * order and indices; the new ones come last.
 */
export function withStateExports(bytes: Uint8Array): Uint8Array {
  const info = readModuleInfo(bytes);
  const exported = new Set(info.exports.map((e) => `${e.kind}:${e.index}`));
  const added: number[][] = [];
  const add = (kind: 'memory' | 'table' | 'global', count: number): void => {
    for (let i = 0; i < count; i++) {
      if (!exported.has(`${kind}:${i}`)) added.push([...encodeName(stateExportName(kind, i)), KINDS.indexOf(kind), ...uleb(i)]);
    }
  };
  add('memory', info.memoryCount);
  add('table', info.tableCount);
  add('global', info.globals.length);
  if (added.length === 0) return bytes;
  return withSectionEntries(bytes, SECTION_EXPORT, added);
}

/**
 * `bytes` with `entries` appended to section `id` (a vector section: global or
 * export), which is created in its place in the section order when missing.
 */
function withSectionEntries(bytes: Uint8Array, id: number, entries: readonly number[][]): Uint8Array {
  const list = sections(bytes);
  const old = list.find((s) => s.id === id);
  let oldCount = 0;
  let oldEntries: Uint8Array = new Uint8Array();
  if (old !== undefined) {
    const c = new Cursor(bytes, old.contentStart);
    oldCount = c.u32();
    oldEntries = bytes.subarray(c.pos, old.end);
  }
  const content = [...uleb(oldCount + entries.length), ...oldEntries, ...entries.flat()];
  const section = new Uint8Array([id, ...uleb(content.length), ...content]);

  // Replace the section, or insert it before the first section that must follow it.
  let cut: { start: number; end: number };
  if (old !== undefined) cut = old;
  else {
    const rank = (sectionId: number): number => SECTION_ORDER.indexOf(sectionId);
    const next = list.find((s) => s.id !== 0 && rank(s.id) > rank(id));
    const at = next?.start ?? bytes.length;
    cut = { start: at, end: at };
  }
  return replaceSection(bytes, cut, section);
}

// ------------------------------------------------------------------ deterministic NaNs

/**
 * Instructions whose NaN results the spec leaves nondeterministic (sign and
 * payload: the nans rule), by opcode, with their result type: f32/f64 ceil,
 * floor, trunc, nearest, sqrt, add, sub, mul, div, min, max, demote, promote.
 * V8 and purewasm legitimately pick different NaNs for most of them.
 */
const NONDETERMINISTIC_NAN: Map<number, 'f32' | 'f64'> = new Map([
  ...[0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0xb6].map((op) => [op, 'f32'] as const),
  ...[0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xbb].map((op) => [op, 'f64'] as const),
]);

/**
 * SIMD instructions whose NaN results the spec leaves nondeterministic, by
 * sub-opcode, with their lane shape: f32x4/f64x2 ceil, floor, trunc, nearest,
 * sqrt, add, sub, mul, div, min, max, and demote/promote (pmin, pmax, abs,
 * neg and the lane moves keep bits).
 */
const NONDETERMINISTIC_SIMD_NAN: Map<number, 'f32x4' | 'f64x2'> = new Map([
  ...[0x5e, 0x67, 0x68, 0x69, 0x6a, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9].map((sub) => [sub, 'f32x4'] as const),
  ...[0x5f, 0x74, 0x75, 0x7a, 0x94, 0xef, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5].map((sub) => [sub, 'f64x2'] as const),
]);

/** Skips the immediates of a SIMD instruction whose 0xFD prefix was just read; returns its sub-opcode. */
function skipSimdImmediates(c: Cursor): number {
  const sub = c.u32();
  if (sub <= 0x0b || sub === 0x5c || sub === 0x5d) {
    c.u32(); // memarg: alignment, offset
    c.u32();
  } else if (sub >= 0x54 && sub <= 0x5b) {
    c.u32(); // memarg and lane
    c.u32();
    c.byte();
  } else if (sub === 0x0c || sub === 0x0d) {
    c.pos += 16; // v128.const bytes, i8x16.shuffle lanes
  } else if (sub >= 0x15 && sub <= 0x22) {
    c.byte(); // extract_lane, replace_lane
  } else if (sub > 0xff) {
    throw new Error(`not WebAssembly 2.0: opcode 0xfd ${sub}`);
  }
  return sub;
}

/** Skips the immediates of the instruction whose opcode was just read (WebAssembly 2.0,
 * SIMD, tail calls, multi-memory, memory64 and exception handling). */
function skipImmediates(c: Cursor, op: number): void {
  switch (op) {
    case 0x1f: // try_table: a block type, then its catch clauses
      skipImmediates(c, 0x02);
      for (let count = c.u32(); count > 0; count--) {
        if (c.byte() < 2) c.u32(); // catch and catch_ref name a tag
        c.u32();
      }
      return;
    case 0x07: case 0x08: case 0x09: case 0x18: // catch, throw, rethrow, delegate
      c.u32();
      return;
    case 0x02: case 0x03: case 0x04: case 0x06: {
      const b = c.bytes[c.pos]!;
      if (b === 0x40 || VAL_TYPES[b] !== undefined) c.pos++;
      else c.skipLeb(); // a type index, as s33
      return;
    }
    case 0x0c: case 0x0d: case 0x10: case 0x12: case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x25: case 0x26: case 0xd2:
      c.u32();
      return;
    case 0x0e: {
      const count = c.u32();
      for (let i = 0; i <= count; i++) c.u32();
      return;
    }
    case 0x11: case 0x13:
      c.u32();
      c.u32();
      return;
    case 0x1c: {
      const count = c.u32();
      for (let i = 0; i < count; i++) c.valType();
      return;
    }
    case 0x3f: case 0x40:
      c.u32(); // the memory index (a zero byte in 2.0)
      return;
    case 0xd0:
      c.byte();
      return;
    case 0x41: case 0x42:
      c.skipLeb();
      return;
    case 0x43:
      c.pos += 4;
      return;
    case 0x44:
      c.pos += 8;
      return;
    case 0xfc: {
      const sub = c.u32();
      if (sub <= 7) return;
      if (sub === 8) { c.u32(); c.u32(); return; }
      if (sub === 10) { c.u32(); c.u32(); return; }
      if (sub === 11) { c.u32(); return; }
      if (sub === 12 || sub === 14) { c.u32(); c.u32(); return; }
      if (sub <= 17) { c.u32(); return; }
      throw new Error(`not WebAssembly 2.0: opcode 0xfc ${sub}`);
    }
    case 0xfd:
      skipSimdImmediates(c);
      return;
    default:
      if (op >= 0x28 && op <= 0x3e) {
        // memarg: flags (bit 6: a memory index follows), then the offset (a u64 with memory64)
        if (c.u32() & 0x40) c.u32();
        c.u32();
        return;
      }
      // Everything else in 2.0 (control without immediates, numeric, ref.is_null, drop, select) has none.
      if (op <= 0x01 || op === 0x05 || op === 0x0a || op === 0x19 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b || (op >= 0x45 && op <= 0xc4) || op === 0xd1) return;
      throw new Error(`not WebAssembly 2.0: opcode 0x${op.toString(16)}`);
  }
}

/** `local.tee t; NaN; local.get t; local.get t; eq; select`: the value, or the canonical NaN if it is a NaN. */
function canonicalizer(type: 'f32' | 'f64', local: number): number[] {
  const nan = type === 'f32' ? [0x43, 0x00, 0x00, 0xc0, 0x7f] : [0x44, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f];
  const eq = type === 'f32' ? 0x5b : 0x61;
  return [0x22, ...uleb(local), ...nan, 0x20, ...uleb(local), 0x20, ...uleb(local), eq, 0x1b];
}

/**
 * `local.tee t; v128.const NaNs; local.get t; local.get t; eq; v128.bitselect`: each lane
 * kept where it equals itself, the canonical NaN where it is a NaN.
 */
function simdCanonicalizer(shape: 'f32x4' | 'f64x2', local: number): number[] {
  const nanLane = shape === 'f32x4' ? [0x00, 0x00, 0xc0, 0x7f] : [0, 0, 0, 0, 0, 0, 0xf8, 0x7f];
  const nans = Array.from({ length: 16 / nanLane.length }, () => nanLane).flat();
  const eq = shape === 'f32x4' ? 0x41 : 0x47;
  return [0x22, ...uleb(local), 0xfd, 0x0c, ...nans, 0x20, ...uleb(local), 0x20, ...uleb(local), 0xfd, eq, 0xfd, 0x52];
}

/** Rewrites one function body; returns it unchanged when it has no such instruction. */
function canonicalizeBody(body: Uint8Array, paramCount: number): Uint8Array {
  const { cursor: c, localCount, header } = readLocals(body, paramCount);
  const temps = { f32: localCount, f64: localCount + 1, v128: localCount + 2 };
  const parts: Uint8Array[] = [];
  let copied = c.pos;
  let usesV128Temp = false;
  while (c.pos < body.length) {
    const op = c.byte();
    if (op === 0xfd) {
      const shape = NONDETERMINISTIC_SIMD_NAN.get(skipSimdImmediates(c));
      if (shape === undefined) continue;
      parts.push(body.subarray(copied, c.pos), new Uint8Array(simdCanonicalizer(shape, temps.v128)));
      copied = c.pos;
      usesV128Temp = true;
      continue;
    }
    skipImmediates(c, op);
    const type = NONDETERMINISTIC_NAN.get(op);
    if (type === undefined) continue;
    parts.push(body.subarray(copied, c.pos), new Uint8Array(canonicalizer(type, temps[type])));
    copied = c.pos;
  }
  if (parts.length === 0) return body;
  // The v128 temporary only where needed, so modules without SIMD stay without v128.
  return concat([header(usesV128Temp ? [[1, 0x7d], [1, 0x7c], [1, 0x7b]] : [[1, 0x7d], [1, 0x7c]]), ...parts, body.subarray(copied)]);
}

/** Whether a module uses SIMD: a v128 anywhere in its types, globals or locals, or any 0xFD instruction. */
export function usesSimd(bytes: Uint8Array): boolean {
  const info = readModuleInfo(bytes);
  if (info.funcs.some((f) => f.params.includes('v128') || f.results.includes('v128'))) return true;
  if (info.globals.some((g) => g.type === 'v128')) return true;
  let found = false;
  withRewrittenBodies(bytes, (body, paramCount) => {
    const { cursor: c } = readLocals(body, paramCount);
    const locals = new Cursor(body);
    const groups = locals.u32();
    for (let i = 0; i < groups; i++) {
      locals.u32();
      if (locals.valType() === 'v128') found = true;
    }
    while (!found && c.pos < body.length) {
      const op = c.byte();
      if (op === 0xfd) found = true;
      else skipImmediates(c, op);
    }
    return body;
  });
  return found;
}

/**
 * A function body's local declarations: a cursor at its first instruction, the
 * index of the first local after its own, and its header with local groups
 * ([count, type] each) appended.
 */
function readLocals(body: Uint8Array, paramCount: number): { cursor: Cursor; localCount: number; header(extra: number[][]): Uint8Array } {
  const cursor = new Cursor(body);
  const groups = cursor.u32();
  const groupsStart = cursor.pos;
  let localCount = paramCount;
  for (let i = 0; i < groups; i++) {
    localCount += cursor.u32();
    cursor.valType();
  }
  const declared = body.subarray(groupsStart, cursor.pos);
  return { cursor, localCount, header: (extra) => new Uint8Array([...uleb(groups + extra.length), ...declared, ...extra.flat()]) };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `bytes` with the section `old` replaced by `section` (id, size and contents). */
function replaceSection(bytes: Uint8Array, old: { start: number; end: number }, section: Uint8Array): Uint8Array {
  return concat([bytes.subarray(0, old.start), section, bytes.subarray(old.end)]);
}

/**
 * The module with every nondeterministic NaN result replaced by the
 * canonical NaN (+nan:0x400000 / +nan:0x8000000000000), inline and with two
 * extra locals per rewritten function. Everything else about NaNs (constants,
 * loads, stores, neg, abs, copysign, reinterpret, moves) is deterministic and
 * stays as it was, so the two engines must then agree bit for bit.
 */
export function withDeterministicNaNs(bytes: Uint8Array): Uint8Array {
  return withRewrittenBodies(bytes, canonicalizeBody);
}

/** `bytes` with every function body replaced by `rewrite(body, its parameter count)`. */
function withRewrittenBodies(bytes: Uint8Array, rewrite: (body: Uint8Array, paramCount: number) => Uint8Array): Uint8Array {
  const info = readModuleInfo(bytes);
  const importedFuncs = info.imports.filter((i) => i.kind === 'func').length;
  const code = sections(bytes).find((s) => s.id === SECTION_CODE);
  if (code === undefined) return bytes;
  const c = new Cursor(bytes, code.contentStart);
  const count = c.u32();
  const parts: Uint8Array[] = [new Uint8Array(uleb(count))];
  for (let i = 0; i < count; i++) {
    const size = c.u32();
    const body = rewrite(bytes.subarray(c.pos, c.pos + size), info.funcs[importedFuncs + i]!.params.length);
    c.pos += size;
    parts.push(new Uint8Array(uleb(body.length)), body);
  }
  const contents = concat(parts);
  return replaceSection(bytes, code, concat([new Uint8Array([SECTION_CODE, ...uleb(contents.length)]), contents]));
}

// ------------------------------------------------------------------ instruction counting

/** The export name of the counter that withInstructionCounter adds. */
export const INSTRUCTION_COUNTER = 'fuzz-instructions';

/** Fuel that a successful memory.grow adds per page grown (purewasm's default `fuelPerPage`). */
export const GROW_FUEL_PER_PAGE = 1024;

/**
 * The module with a mutable i64 global, exported as INSTRUCTION_COUNTER, that
 * every executed instruction but `else` and `end` adds 1 to just before it
 * runs, and a memory.grow that succeeds GROW_FUEL_PER_PAGE per page after it:
 * run on V8, it counts what purewasm's fuel charges with every cost 1, that
 * per-page rate and no per-byte or per-element extras, a trapping instruction
 * included. The counter comes after every other global, so no index changes.
 */
export function withInstructionCounter(bytes: Uint8Array): Uint8Array {
  const counter = readModuleInfo(bytes).globals.length;
  const i64MutableZero = [0x7e, 0x01, 0x42, 0x00, 0x0b];
  let counted = withSectionEntries(bytes, SECTION_GLOBAL, [i64MutableZero]);
  counted = withSectionEntries(counted, SECTION_EXPORT, [[...encodeName(INSTRUCTION_COUNTER), KINDS.indexOf('global'), ...uleb(counter)]]);
  const c = uleb(counter);
  // global.get c; i64.const 1; i64.add; global.set c
  const increment = new Uint8Array([0x23, ...c, 0x42, 0x01, 0x7c, 0x24, ...c]);
  return withRewrittenBodies(counted, (body, paramCount) => {
    const { cursor: r, localCount, header } = readLocals(body, paramCount);
    // Two i32 locals after the function's own: a memory.grow's delta and its result.
    const [delta, result] = [uleb(localCount), uleb(localCount + 1)];
    const countedGrow = new Uint8Array([
      0x21, ...delta, 0x20, ...delta, 0x40, 0x00, 0x22, ...result, // local.set d; local.get d; memory.grow; local.tee r
      0x41, 0x7f, 0x47, 0x04, 0x40, // i32.const -1; i32.ne; if
      // c += u64(d) * rate (the rate is below 2^13: its unsigned LEB128 is also its signed one)
      0x23, ...c, 0x20, ...delta, 0xad, 0x42, ...uleb(GROW_FUEL_PER_PAGE), 0x7e, 0x7c, 0x24, ...c,
      0x0b, 0x20, ...result, // end; local.get r
    ]);
    const parts: Uint8Array[] = [header([[2, 0x7f]])];
    let copied = r.pos;
    while (r.pos < body.length) {
      const start = r.pos;
      const op = r.byte();
      skipImmediates(r, op);
      if (op === 0x05 || op === 0x0b) continue;
      parts.push(body.subarray(copied, start), increment);
      copied = start;
      if (op === 0x40) {
        parts.push(countedGrow);
        copied = r.pos;
      }
    }
    parts.push(body.subarray(copied));
    return concat(parts);
  });
}
