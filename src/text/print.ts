/**
 * Binary modules as text: `purewasm print`. The output spells out everything
 * the binary chooses (type indices, table and memory indices, element and
 * data segment forms, custom sections and where they sit) so that parsing it
 * gives the same bytes back, except where the binary is not in the
 * encoding the parser writes (LEB128 numbers longer than needed, empty
 * sections, local declarations split into several runs of one type, a data
 * count section no instruction needs).
 */
import { ByteReader } from '../decoder/reader.js';
import { decodeFunctionNames, NAME_SECTION } from '../decoder/custom.js';
import { MAX_FUNCTION_LOCALS } from '../decoder/sections.js';
import { decodeUtf8 } from '../decoder/utf8.js';
import { pushUtf8 } from './lexer.js';
import { CompileError } from '../errors.js';
import { INSTRUCTIONS_BY_OPCODE, opcodeKey } from './instructions.js';
import { SECTION_PLACE_NAMES } from './parser.js';

const VALUE_TYPES: ReadonlyMap<number, string> = new Map([
  [0x7f, 'i32'], [0x7e, 'i64'], [0x7d, 'f32'], [0x7c, 'f64'], [0x7b, 'v128'],
  [0x70, 'funcref'], [0x6f, 'externref'], [0x6e, 'anyref'], [0x6d, 'eqref'], [0x6c, 'i31ref'], [0x6b, 'structref'],
  [0x6a, 'arrayref'], [0x71, 'nullref'], [0x72, 'nullexternref'], [0x73, 'nullfuncref'], [0x69, 'exnref'], [0x74, 'nullexnref'],
]);
const HEAP_TYPES: ReadonlyMap<number, string> = new Map([
  [0x70, 'func'], [0x6f, 'extern'], [0x6e, 'any'], [0x6d, 'eq'], [0x6c, 'i31'], [0x6b, 'struct'], [0x6a, 'array'],
  [0x71, 'none'], [0x72, 'noextern'], [0x73, 'nofunc'], [0x69, 'exn'], [0x74, 'noexn'],
]);
/** Names of the sections for `(@custom ... (after NAME))`, by section id. */
const SECTION_NAMES: ReadonlyMap<number, string> = new Map([...SECTION_PLACE_NAMES].map(([name, id]) => [id as number, name]));

/** A byte string as a text-format string literal. */
export function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) out += String.fromCharCode(b);
    else out += `\\${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}

/** A name as an identifier: `$name` when it is all idchars, else `$"..."`. */
function identifier(name: string): string {
  if (/^[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/.test(name)) return `$${name}`;
  const bytes: number[] = [];
  for (const ch of name) pushUtf8(bytes, ch.codePointAt(0)!);
  return `$${quoteBytes(Uint8Array.from(bytes))}`;
}

const scratch = new DataView(new ArrayBuffer(8));

function floatText(value: number, nanPayload: bigint, negative: boolean): string {
  const sign = negative ? '-' : '';
  if (Number.isNaN(value)) return `${sign}nan:0x${nanPayload.toString(16)}`;
  if (!Number.isFinite(value)) return `${sign}inf`;
  if (value === 0) return `${sign}0`;
  // The shortest decimal that reads back as the same double; for an f32 value it also reads back as the same f32.
  return String(value);
}

function f32Text(bits: number): string {
  scratch.setUint32(0, bits, true);
  return floatText(scratch.getFloat32(0, true), BigInt(bits & 0x7fffff), bits >>> 31 === 1);
}

function f64Text(bits: bigint): string {
  scratch.setBigUint64(0, bits, true);
  return floatText(scratch.getFloat64(0, true), bits & 0xfffffffffffffn, bits >> 63n === 1n);
}

class Printer {
  private readonly lines: string[] = [];
  private readonly r: ByteReader;
  private readonly funcTypes: number[] = [];
  private importedFuncs = 0;
  /** `$identifiers` of functions, from the name section. */
  private readonly funcIds = new Map<number, string>();

  constructor(private readonly bytes: Uint8Array) {
    this.r = new ByteReader(bytes);
  }

  /** A function reference: its `$identifier` when the name section gives one, else its index. */
  private func(index: number): string {
    return this.funcIds.get(index) ?? String(index);
  }

  /**
   * Identifiers from the function names of a `name` section (read first: it
   * usually comes last). A name used twice identifies only its first function.
   */
  private collectFunctionNames(): void {
    const r = new ByteReader(this.bytes, 8);
    try {
      while (!r.atEnd) {
        const id = r.u8();
        const end = r.u32() + r.pos;
        if (id === 0) {
          r.end = end;
          const name = r.bytesN(r.u32());
          if (name.length === 4 && decodeUtf8(name) === NAME_SECTION) {
            const used = new Set<string>();
            for (const [index, text] of decodeFunctionNames(r.bytesN(end - r.pos))) {
              if (text.length === 0) continue;
              const ident = identifier(text);
              if (used.has(ident)) continue;
              used.add(ident);
              this.funcIds.set(index, ident);
            }
          }
          r.end = this.bytes.length;
        }
        r.pos = end;
      }
    } catch (error) {
      // A broken section is reported by the printing pass itself.
      if (!(error instanceof CompileError)) throw error;
    }
  }

  /** `$id (;index;)` or `(;index;)`. */
  private funcHeader(index: number): string {
    const id = this.funcIds.get(index);
    return id === undefined ? `(;${index};)` : `${id} (;${index};)`;
  }

  private line(indent: number, text: string): void {
    this.lines.push(`${'  '.repeat(indent)}${text}`);
  }

  private heapType(): string {
    const r = this.r;
    const b = r.peekU8();
    const name = HEAP_TYPES.get(b);
    if (name !== undefined) {
      r.u8();
      return name;
    }
    return String(r.s33());
  }

  private valType(): string {
    const r = this.r;
    const b = r.u8();
    if (b === 0x63 || b === 0x64) return `(ref ${b === 0x63 ? 'null ' : ''}${this.heapType()})`;
    const name = VALUE_TYPES.get(b);
    if (name === undefined) throw new CompileError(`unknown value type 0x${b.toString(16)}`, r.pos - 1);
    return name;
  }

  private valTypes(): string[] {
    const n = this.r.u32();
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.valType());
    return out;
  }

  private limits(): string {
    const r = this.r;
    const flags = r.u8();
    const is64 = (flags & 4) !== 0;
    const min = is64 ? this.u64() : r.u32();
    const max = flags & 1 ? ` ${is64 ? this.u64() : r.u32()}` : '';
    return `${is64 ? 'i64 ' : ''}${min}${max}${flags & 2 ? ' shared' : ''}`;
  }

  private u64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.r.u8();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  private tableType(): string {
    const type = this.valType();
    const limits = this.limits();
    return `${limits} ${type}`;
  }

  private globalType(): string {
    const type = this.valType();
    return this.r.u8() === 1 ? `(mut ${type})` : type;
  }

  private name(): string {
    const length = this.r.u32();
    return quoteBytes(this.r.bytesN(length));
  }

  /** A constant expression, as flat instructions (without the final `end`). */
  private expr(): string {
    const parts: string[] = [];
    this.instructions((_depth, text) => parts.push(text), 0, true);
    return parts.join(' ');
  }

  /** `(offset ...)` / a global's initializer: one folded instruction when it is a single one. */
  private foldedExpr(): string {
    const start = this.r.pos;
    const text = this.expr();
    const single = this.singleInstruction(start);
    return single ? `(${text})` : text;
  }

  /** Was the expression at `start` one instruction (then the parenthesized form reads the same)? */
  private singleInstruction(start: number): boolean {
    const saved = this.r.pos;
    this.r.pos = start;
    let count = 0;
    this.instructions(() => count++, 0, true);
    this.r.pos = saved;
    return count === 1;
  }

  /**
   * Reads instructions up to the `end` that closes the sequence, calling
   * `emit(depth, text)` for each (block nesting changes the depth).
   */
  private instructions(emit: (depth: number, text: string) => void, depth: number, constant: boolean): void {
    const r = this.r;
    let nesting = 0;
    for (;;) {
      const at = r.pos;
      const op = r.u8();
      switch (op) {
        case 0x02: case 0x03: case 0x04: case 0x06: {
          const name = op === 0x02 ? 'block' : op === 0x03 ? 'loop' : op === 0x04 ? 'if' : 'try';
          emit(depth + nesting, `${name}${this.blockType()}`);
          nesting++;
          continue;
        }
        case 0x05:
          emit(depth + nesting - 1, 'else');
          continue;
        case 0x07:
          emit(depth + nesting - 1, `catch ${r.u32()}`);
          continue;
        case 0x19:
          emit(depth + nesting - 1, 'catch_all');
          continue;
        case 0x18:
          // delegate ends its try as end does.
          if (nesting === 0) throw new CompileError('delegate outside a try', r.pos - 1);
          nesting--;
          emit(depth + nesting, `delegate ${r.u32()}`);
          continue;
        case 0x1f: {
          let text = `try_table${this.blockType()}`;
          const clauses = r.u32();
          for (let i = 0; i < clauses; i++) {
            const kind = r.u8();
            const name = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'][kind];
            if (name === undefined) throw new CompileError(`unknown catch clause kind ${kind}`, r.pos - 1);
            text += kind < 2 ? ` (${name} ${r.u32()} ${r.u32()})` : ` (${name} ${r.u32()})`;
          }
          emit(depth + nesting, text);
          nesting++;
          continue;
        }
        case 0x0b:
          if (nesting === 0) return;
          nesting--;
          emit(depth + nesting, 'end');
          continue;
        case 0x1c: {
          const types = this.valTypes();
          emit(depth + nesting, `select (result${types.map((t) => ` ${t}`).join('')})`);
          continue;
        }
        default:
      }
      const prefix = op === 0xfb || op === 0xfc || op === 0xfd ? op : undefined;
      const code = prefix === undefined ? op : r.u32();
      // ref.test and ref.cast to a nullable type are the opcode after the non-null one.
      const nullableCast = prefix === 0xfb && (code === 21 || code === 23);
      const info = INSTRUCTIONS_BY_OPCODE.get(opcodeKey(prefix, nullableCast ? code - 1 : code));
      if (!info) throw new CompileError(`unknown opcode ${prefix === undefined ? '' : `0x${prefix.toString(16)} `}0x${code.toString(16)}`, at);
      let text = info.name;
      switch (info.imm) {
        case 'none':
        case 'select':
          break;
        case 'func':
          text += ` ${this.func(r.u32())}`;
          break;
        case 'label': case 'local': case 'global': case 'elem': case 'data': case 'type': case 'tag':
          text += ` ${r.u32()}`;
          break;
        case 'table':
        case 'memory':
          text += ` ${r.u32()}`;
          break;
        case 'br_table': {
          const n = r.u32();
          for (let i = 0; i <= n; i++) text += ` ${r.u32()}`;
          break;
        }
        case 'call_indirect': {
          const type = r.u32();
          text += ` ${r.u32()} (type ${type})`;
          break;
        }
        case 'table.copy':
        case 'memory.copy':
          text += ` ${r.u32()} ${r.u32()}`;
          break;
        case 'table.init':
        case 'memory.init': {
          const segment = r.u32();
          text += ` ${r.u32()} ${segment}`;
          break;
        }
        case 'memarg':
          text += this.memarg(info.naturalAlign);
          break;
        case 'memarg_lane':
          text += `${this.memarg(info.naturalAlign)} ${r.u8()}`;
          break;
        case 'lane':
          text += ` ${r.u8()}`;
          break;
        case 'shuffle':
          for (let i = 0; i < 16; i++) text += ` ${r.u8()}`;
          break;
        case 'v128': {
          text += ' i32x4';
          for (let i = 0; i < 4; i++) text += ` 0x${r.fixedU32().toString(16).padStart(8, '0')}`;
          break;
        }
        case 'i32':
          text += ` ${r.s32()}`;
          break;
        case 'i64':
          text += ` ${r.s64BigInt()}`;
          break;
        case 'f32':
          text += ` ${f32Text(r.fixedU32())}`;
          break;
        case 'f64': {
          const lo = r.fixedU32();
          const hi = r.fixedU32();
          text += ` ${f64Text((BigInt(hi) << 32n) | BigInt(lo))}`;
          break;
        }
        case 'heaptype':
          text += ` ${this.heapType()}`;
          break;
        case 'field': case 'type_count': case 'type_data': case 'type_elem': case 'type_type':
          text += ` ${r.u32()} ${r.u32()}`;
          break;
        case 'ref_test':
          text += ` (ref ${nullableCast ? 'null ' : ''}${this.heapType()})`;
          break;
        case 'br_on_cast': {
          const flags = r.u8();
          text += ` ${r.u32()} (ref ${flags & 1 ? 'null ' : ''}${this.heapType()}) (ref ${flags & 2 ? 'null ' : ''}${this.heapType()})`;
          break;
        }
      }
      if (constant && nesting > 0) r.fail('block in a constant expression', at);
      emit(depth + nesting, text);
    }
  }

  private memarg(naturalAlign: number): string {
    const r = this.r;
    const flags = r.u32();
    const memory = flags & 0x40 ? r.u32() : 0;
    const offset = this.u64();
    const align = flags & ~0x40;
    // The text writes the alignment as a u32 power of two.
    if (align > 31) throw new CompileError(`alignment 2^${align} cannot be written in the text format`, r.pos);
    let text = '';
    if (memory !== 0) text += ` ${memory}`;
    if (offset !== 0n) text += ` offset=${offset}`;
    if (align !== naturalAlign) text += ` align=${2n ** BigInt(align)}`;
    return text;
  }

  /** `(type (;i;) ...)`: a function, struct or array type, possibly a `(sub ...)` of others. */
  private typeDefinition(index: number): string {
    const r = this.r;
    const form = r.peekU8();
    if (form === 0x50 || form === 0x4f) {
      r.u8();
      const supers: number[] = [];
      const n = r.u32();
      for (let i = 0; i < n; i++) supers.push(r.u32());
      const final = form === 0x4f ? ' final' : '';
      return `(type (;${index};) (sub${final}${supers.map((t) => ` ${t}`).join('')} ${this.compositeType()}))`;
    }
    return `(type (;${index};) ${this.compositeType()})`;
  }

  private compositeType(): string {
    const r = this.r;
    const form = r.u8();
    if (form === 0x60) {
      const params = this.valTypes();
      const results = this.valTypes();
      return `(func${params.length ? ` (param ${params.join(' ')})` : ''}${results.length ? ` (result ${results.join(' ')})` : ''})`;
    }
    if (form === 0x5f) {
      const n = r.u32();
      let fields = '';
      for (let i = 0; i < n; i++) fields += ` (field ${this.fieldType()})`;
      return `(struct${fields})`;
    }
    if (form === 0x5e) return `(array ${this.fieldType()})`;
    throw new CompileError(`unknown type form 0x${form.toString(16)}`, r.pos - 1);
  }

  private fieldType(): string {
    const r = this.r;
    const b = r.peekU8();
    const storage = b === 0x78 || b === 0x77 ? (r.u8() === 0x78 ? 'i8' : 'i16') : this.valType();
    return r.u8() === 1 ? `(mut ${storage})` : storage;
  }

  private blockType(): string {
    const r = this.r;
    const b = r.peekU8();
    if (b === 0x40) {
      r.u8();
      return '';
    }
    if (VALUE_TYPES.has(b) || b === 0x63 || b === 0x64) return ` (result ${this.valType()})`;
    return ` (type ${r.s33()})`;
  }

  print(): string {
    const r = this.r;
    this.collectFunctionNames();
    // Its own reading, not the decoder's: it also prints what the engine does not run yet (GC, tags).
    if (r.fixedU32() !== 0x6d736100) throw new CompileError('magic header not detected: not a binary module', 0);
    if (r.fixedU32() !== 1) throw new CompileError('unknown binary version (expected 1)', 4);
    this.line(0, '(module');
    let previous = 'first';
    let before = true;
    const counters = { func: 0, table: 0, memory: 0, global: 0, tag: 0, type: 0, elem: 0, data: 0 };
    while (!r.atEnd) {
      const id = r.u8();
      const size = r.u32();
      const end = r.pos + size;
      if (end > r.end) throw new CompileError(`section ${id} runs past the end of the module`, r.pos);
      const outer = r.end;
      r.end = end;
      const count = id === 0 || id === 8 || id === 12 ? 0 : r.u32();
      switch (id) {
        case 0: {
          const name = this.name();
          const data = r.bytesN(end - r.pos);
          this.line(1, `(@custom ${name} (${before ? 'before' : 'after'} ${previous}) ${quoteBytes(data)})`);
          break;
        }
        case 1:
          for (let i = 0; i < count; i++) {
            if (r.peekU8() !== 0x4e) {
              this.line(1, this.typeDefinition(counters.type++));
              continue;
            }
            r.u8();
            const members = r.u32();
            this.line(1, '(rec');
            for (let m = 0; m < members; m++) this.line(2, this.typeDefinition(counters.type++));
            this.line(1, ')');
          }
          break;
        case 2:
          for (let i = 0; i < count; i++) {
            const module = this.name();
            const name = this.name();
            const kind = r.u8();
            let desc: string;
            switch (kind) {
              case 0: desc = `(func ${this.funcHeader(counters.func++)} (type ${r.u32()}))`; this.importedFuncs++; break;
              case 1: desc = `(table (;${counters.table++};) ${this.tableType()})`; break;
              case 2: desc = `(memory (;${counters.memory++};) ${this.limits()})`; break;
              case 3: desc = `(global (;${counters.global++};) ${this.globalType()})`; break;
              default: r.u8(); desc = `(tag (;${counters.tag++};) (type ${r.u32()}))`;
            }
            this.line(1, `(import ${module} ${name} ${desc})`);
          }
          break;
        case 3:
          for (let i = 0; i < count; i++) this.funcTypes.push(r.u32());
          break;
        case 4:
          for (let i = 0; i < count; i++) {
            if (r.peekU8() === 0x40) {
              r.u8();
              r.u8();
              const type = this.tableType();
              this.line(1, `(table (;${counters.table++};) ${type} ${this.expr()})`);
            } else {
              this.line(1, `(table (;${counters.table++};) ${this.tableType()})`);
            }
          }
          break;
        case 5:
          for (let i = 0; i < count; i++) this.line(1, `(memory (;${counters.memory++};) ${this.limits()})`);
          break;
        case 13:
          for (let i = 0; i < count; i++) {
            r.u8();
            this.line(1, `(tag (;${counters.tag++};) (type ${r.u32()}))`);
          }
          break;
        case 6:
          for (let i = 0; i < count; i++) {
            const type = this.globalType();
            this.line(1, `(global (;${counters.global++};) ${type} ${this.foldedExpr()})`);
          }
          break;
        case 7:
          for (let i = 0; i < count; i++) {
            const name = this.name();
            const kind = ['func', 'table', 'memory', 'global', 'tag'][r.u8()];
            const index = r.u32();
            this.line(1, `(export ${name} (${kind} ${kind === 'func' ? this.func(index) : index}))`);
          }
          break;
        case 8:
          this.line(1, `(start ${this.func(r.u32())})`);
          break;
        case 9:
          for (let i = 0; i < count; i++) this.line(1, `(elem (;${counters.elem++};)${this.elemSegment()})`);
          break;
        case 10:
          for (let i = 0; i < count; i++) this.funcBody(this.importedFuncs + i, this.funcTypes[i]!);
          break;
        case 11:
          for (let i = 0; i < count; i++) this.line(1, `(data (;${counters.data++};)${this.dataSegment()})`);
          break;
        case 12: // the data count, which the parser writes when instructions need it
          break;
        default:
          throw new CompileError(`malformed section id ${id}`, r.pos - 1);
      }
      r.end = outer;
      r.pos = end;
      // An empty section is not written back, so customs are placed relative to the last one that is.
      if (id !== 0 && (count > 0 || id === 8 || id === 12)) {
        previous = SECTION_NAMES.get(id)!;
        before = false;
      }
    }
    this.line(0, ')');
    return `${this.lines.join('\n')}\n`;
  }

  private elemSegment(): string {
    const r = this.r;
    const flags = r.u32();
    const usesExprs = (flags & 4) !== 0;
    let text = '';
    if (flags & 1) {
      if (flags & 2) text += ' declare';
    } else {
      if (flags & 2) text += ` (table ${r.u32()})`;
      text += ` (offset ${this.expr()})`;
    }
    // Flags 0 and 4 imply funcref; the others name an element kind (0x00 = func) or a reference type.
    if ((flags & 3) === 0) text += usesExprs ? ' funcref' : ' func';
    else if (usesExprs) text += ` ${this.valType()}`;
    else {
      r.u8();
      text += ' func';
    }
    const n = r.u32();
    for (let i = 0; i < n; i++) text += usesExprs ? ` (item ${this.expr()})` : ` ${this.func(r.u32())}`;
    return text;
  }

  private dataSegment(): string {
    const r = this.r;
    const flags = r.u32();
    let text = '';
    if (flags === 2) text += ` (memory ${r.u32()})`;
    if (flags !== 1) text += ` (offset ${this.expr()})`;
    const length = r.u32();
    return `${text} ${quoteBytes(r.bytesN(length))}`;
  }

  private funcBody(index: number, type: number): void {
    const r = this.r;
    const size = r.u32();
    const end = r.pos + size;
    const runs = r.u32();
    let header = `(func ${this.funcHeader(index)} (type ${type})`;
    let total = 0;
    for (let i = 0; i < runs; i++) {
      const n = r.u32();
      total += n;
      if (total > MAX_FUNCTION_LOCALS) throw new CompileError(`too many locals (more than ${MAX_FUNCTION_LOCALS})`, r.pos);
      const t = this.valType();
      if (n > 0) header += ` (local${` ${t}`.repeat(n)})`;
    }
    this.line(1, header);
    this.instructions((depth, text) => this.line(depth, text), 2, false);
    this.line(1, ')');
    if (r.pos !== end) r.fail('function body size mismatch', r.pos);
  }
}

/**
 * A binary module as text that `parseWat` reads back to the same module.
 * Throws CompileError when `bytes` is not a well-formed module.
 */
export function printModule(bytes: Uint8Array): string {
  try {
    return new Printer(bytes).print();
  } catch (error) {
    if (error instanceof CompileError) throw error;
    throw new CompileError(`cannot print module: ${error instanceof Error ? error.message : String(error)}`);
  }
}
