/**
 * The text format's modules, parsed straight to the binary format. Two passes
 * over the tokens: the first gives every module-level identifier its index (so
 * fields may refer forward) and reads the type definitions; the second encodes
 * each field in order into its section. All of the spec's abbreviations are
 * read: folded instructions, inline imports and exports, inline type uses and
 * the implicit type definitions they create, `offset`/`item` shorthands,
 * inline `elem`/`data` in tables and memories, and bare module fields.
 */
import { decodeUtf8 } from '../decoder/utf8.js';
import { INSTRUCTIONS_BY_NAME, type InstrInfo } from './instructions.js';
import { pushUtf8, stringBytes, syntaxError, Tok, tokenize, type Tokens } from './lexer.js';
import { parseF32, parseF64, parseInt, parseSmallDecimal, parseUnsigned } from './numbers.js';
import { ByteWriter } from './writer.js';

/** A value type as its binary encoding (one byte, or more for typed references). */
type ValTypeCode = readonly number[];

interface FuncSig {
  readonly params: readonly ValTypeCode[];
  readonly results: readonly ValTypeCode[];
}

/** The index spaces of a module; the order matters only for the tables below. */
const enum Space { Func, Table, Memory, Global, Type, Elem, Data, Tag }
const SPACE_NAMES = ['function', 'table', 'memory', 'global', 'type', 'elem', 'data', 'tag'];
const SPACE_COUNT = 8;

const enum Section {
  Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6, Export = 7,
  Start = 8, Element = 9, Code = 10, Data = 11, DataCount = 12, Tag = 13,
}
/** The binary order of the non-custom sections. */
const SECTION_ORDER: readonly Section[] = [
  Section.Type, Section.Import, Section.Function, Section.Table, Section.Memory, Section.Tag, Section.Global,
  Section.Export, Section.Start, Section.Element, Section.DataCount, Section.Code, Section.Data,
];
/** Section names of the `(@custom ... (before|after NAME))` placement. */
export const SECTION_PLACE_NAMES: ReadonlyMap<string, Section> = new Map([
  ['type', Section.Type], ['import', Section.Import], ['func', Section.Function], ['table', Section.Table],
  ['memory', Section.Memory], ['tag', Section.Tag], ['global', Section.Global], ['export', Section.Export],
  ['start', Section.Start], ['elem', Section.Element], ['datacount', Section.DataCount], ['code', Section.Code],
  ['data', Section.Data],
]);

const NUMBER_TYPES: ReadonlyMap<string, number> = new Map([['i32', 0x7f], ['i64', 0x7e], ['f32', 0x7d], ['f64', 0x7c], ['v128', 0x7b]]);
/** Abstract heap types and their one-byte encodings. */
const HEAP_TYPES: ReadonlyMap<string, number> = new Map([
  ['func', 0x70], ['extern', 0x6f], ['any', 0x6e], ['eq', 0x6d], ['i31', 0x6c], ['struct', 0x6b], ['array', 0x6a],
  ['none', 0x71], ['noextern', 0x72], ['nofunc', 0x73], ['exn', 0x69], ['noexn', 0x74],
]);
/** Nullable reference type shorthands (`funcref` is `(ref null func)`). */
const REF_SHORTHANDS: ReadonlyMap<string, number> = new Map([
  ['funcref', 0x70], ['externref', 0x6f], ['anyref', 0x6e], ['eqref', 0x6d], ['i31ref', 0x6c], ['structref', 0x6b],
  ['arrayref', 0x6a], ['nullref', 0x71], ['nullexternref', 0x72], ['nullfuncref', 0x73], ['exnref', 0x69], ['nullexnref', 0x74],
]);

/** Lane size in bytes and lane literal parser (as unsigned bits) of each v128.const shape. */
const V128_SHAPES: ReadonlyMap<string, { bytes: number; parse: (text: string) => bigint | undefined }> = new Map([
  ['i8x16', { bytes: 1, parse: (t: string) => parseInt(t, 8) }],
  ['i16x8', { bytes: 2, parse: (t: string) => parseInt(t, 16) }],
  ['i32x4', { bytes: 4, parse: (t: string) => parseInt(t, 32) }],
  ['i64x2', { bytes: 8, parse: (t: string) => parseInt(t, 64) }],
  ['f32x4', { bytes: 4, parse: (t: string) => { const bits = parseF32(t); return bits === undefined ? undefined : BigInt(bits); } }],
  ['f64x2', { bytes: 8, parse: parseF64 }],
]);

/** Keywords that end the instructions of a block's part. */
const BLOCK_PART_ENDS = new Set(['end', 'else', 'catch', 'catch_all', 'delegate']);

/** try_table's catch clauses and their binary kinds (the first two name a tag). */
const CATCH_CLAUSES: ReadonlyMap<string, number> = new Map([['catch', 0], ['catch_ref', 1], ['catch_all', 2], ['catch_all_ref', 3]]);

const EXTERN_KINDS: ReadonlyMap<string, Space> = new Map([
  ['func', Space.Func], ['table', Space.Table], ['memory', Space.Memory], ['global', Space.Global], ['tag', Space.Tag],
]);
/** Binary external kind of each importable space. */
const EXTERN_CODES = [0x00, 0x01, 0x02, 0x03, -1, -1, -1, 0x04];

/** A reference type's encoding is nullable: a shorthand (`funcref` ...) or `(ref null ...)`. */
function isNullable(type: ValTypeCode): boolean {
  return type.length === 1 || type[0] === 0x63;
}

/** The heap type part of a reference type's encoding. */
function heapTypeOf(type: ValTypeCode): readonly number[] {
  return type.length === 1 ? type : type.slice(1);
}

function sigKey(sig: FuncSig): string {
  return `${sig.params.map((t) => t.join('.')).join(',')}>${sig.results.map((t) => t.join('.')).join(',')}`;
}

function sameSig(a: FuncSig, b: FuncSig): boolean {
  return sigKey(a) === sigKey(b);
}

function isNumberAtom(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** A custom section from `(@custom "name" (before|after SECTION)? "bytes"*)`. */
interface CustomSection {
  readonly name: Uint8Array;
  readonly bytes: Uint8Array;
  /** Emitted before or after this section (or the whole module's start/end: first/last). */
  readonly place: 'before' | 'after';
  readonly anchor: Section | 'first' | 'last';
}

/** Per-function state while its body is encoded. */
interface FuncContext {
  readonly locals: Map<string, number>;
  /** Label names, innermost last; undefined for an unnamed label. */
  readonly labels: (string | undefined)[];
}

/** A sequence of sections under construction: its entry count and bytes. */
class SectionWriter {
  /** Entries so far; -1 for the sections that hold one value (start, data count), written without a count. */
  count = 0;
  readonly body = new ByteWriter();
}

class ModuleParser {
  private readonly text: string;
  private readonly kind: Uint8Array;
  private readonly start: Uint32Array;
  private readonly end: Uint32Array;
  private readonly close: Uint32Array;
  private readonly tokenCount: number;
  /** Cursor: the index of the next token. */
  private p = 0;

  private readonly names: Map<string, number>[] = Array.from({ length: SPACE_COUNT }, () => new Map());
  private readonly counts: number[] = new Array<number>(SPACE_COUNT).fill(0);
  /** Indices handed out in the second pass, per space (they follow the first pass's order). */
  private readonly next: number[] = new Array<number>(SPACE_COUNT).fill(0);
  /** Every type's signature (undefined for non-function types), by type index. */
  private readonly typeSigs: (FuncSig | undefined)[] = [];
  /** Type section entries: explicit definitions and rec groups, then implicit types. */
  private readonly typeEntries: Uint8Array[] = [];
  private readonly implicitTypes = new Map<string, number>();
  /** Explicit types an implicit type use may stand for: plain function types, outside rec groups. */
  private readonly reusableTypes = new Set<number>();
  /** Field names of struct types, by type index. */
  private readonly fieldNames = new Map<number, Map<string, number>>();

  private readonly sections = new Map<Section, SectionWriter>();
  private readonly customs: CustomSection[] = [];
  private start_: number | undefined;
  private usesDataCount = false;

  private readonly scratch = new ByteWriter();

  constructor(tokens: Tokens, private readonly first: number, private readonly last: number, private readonly options: ParseOptions) {
    this.text = tokens.text;
    this.kind = tokens.kind;
    this.start = tokens.start;
    this.end = tokens.end;
    this.close = tokens.close;
    this.tokenCount = tokens.count;
  }

  // ---- tokens

  private fail(message: string, at: number = this.p): never {
    const offset = at < this.tokenCount ? this.start[at]! : this.text.length;
    throw syntaxError(this.text, offset, message);
  }

  private describe(i: number): string {
    if (i >= this.last) return 'the end of the module';
    switch (this.kind[i] as Tok) {
      case Tok.LParen: return `'('`;
      case Tok.RParen: return `')'`;
      case Tok.String: return 'a string';
      case Tok.Reserved:
      default: {
        const t = this.text.slice(this.start[i], this.end[i]);
        return `'${t.length > 40 ? `${t.slice(0, 40)}...` : t}'`;
      }
    }
  }

  /** Throws "expected WHAT, found ..." at the cursor. */
  private expected(what: string, at: number = this.p): never {
    if (at < this.last && this.kind[at] === Tok.Reserved) this.fail(`unknown token ${this.describe(at)}: tokens are separated by whitespace or parentheses`, at);
    this.fail(`expected ${what}, found ${this.describe(at)}`, at);
  }

  private atom(i: number = this.p): string | undefined {
    return this.kind[i] === Tok.Atom && i < this.last ? this.text.slice(this.start[i], this.end[i]) : undefined;
  }

  private isAtom(word: string, i: number = this.p): boolean {
    return i < this.last && this.kind[i] === Tok.Atom && this.end[i]! - this.start[i]! === word.length && this.text.startsWith(word, this.start[i]!);
  }

  /** The keyword after a `(` at `i`, if any. */
  private listHead(i: number = this.p): string | undefined {
    return i < this.last && this.kind[i] === Tok.LParen ? this.atom(i + 1) : undefined;
  }

  private isList(word: string, i: number = this.p): boolean {
    return i < this.last && this.kind[i] === Tok.LParen && this.isAtom(word, i + 1);
  }

  private at(kind: Tok): boolean {
    return this.p < this.last && this.kind[this.p] === kind;
  }

  private lparen(): void {
    if (!this.at(Tok.LParen)) this.expected(`'('`);
    this.p++;
  }

  private rparen(): void {
    if (!this.at(Tok.RParen)) this.expected(`')'`);
    this.p++;
  }

  private keyword(word: string): void {
    if (!this.isAtom(word)) this.expected(`'${word}'`);
    this.p++;
  }

  /** Enters `(word`: the cursor moves past the keyword. */
  private openList(word: string): void {
    this.lparen();
    this.keyword(word);
  }

  private string(what = 'a string'): Uint8Array {
    if (!this.at(Tok.String)) this.expected(what);
    const bytes = stringBytes(this.text, this.start[this.p]!, this.end[this.p]!);
    this.p++;
    return bytes;
  }

  /** A string that must be valid UTF-8 (names). */
  private name(what = 'a name string'): Uint8Array {
    const at = this.p;
    const bytes = this.string(what);
    if (decodeUtf8(bytes) === null) this.fail('malformed UTF-8 encoding in name', at);
    return bytes;
  }

  /** The identifier's name: `$abc` and `$"abc"` are the same name. */
  private idName(i: number): string {
    const s = this.start[i]!;
    if (this.text.charCodeAt(s + 1) !== 34) return this.text.slice(s + 1, this.end[i]);
    const decoded = decodeUtf8(stringBytes(this.text, s + 1, this.end[i]!));
    if (decoded === null) this.fail('malformed UTF-8 encoding in identifier', i);
    if (decoded.length === 0) this.fail('empty identifier', i);
    return decoded;
  }

  private optionalId(): string | undefined {
    if (!this.at(Tok.Id)) return undefined;
    return this.idName(this.p++);
  }

  private u32(what: string): number {
    const text = this.atom();
    const small = text === undefined ? NaN : parseSmallDecimal(text);
    if (small >= 0) {
      this.p++;
      return small;
    }
    const value = text === undefined ? undefined : parseUnsigned(text, 32);
    if (value === undefined) this.expected(what);
    this.p++;
    return Number(value);
  }

  private u64(what: string): bigint {
    const text = this.atom();
    const value = text === undefined ? undefined : parseUnsigned(text, 64);
    if (value === undefined) this.expected(what);
    this.p++;
    return value;
  }

  /** Is the cursor at an index (a number or an identifier)? */
  private atIndex(): boolean {
    if (this.at(Tok.Id)) return true;
    const text = this.atom();
    return text !== undefined && isNumberAtom(text);
  }

  /** An index of `space`: a u32 or a known identifier. */
  private index(space: Space): number {
    if (this.at(Tok.Id)) {
      const name = this.idName(this.p);
      const found = this.names[space]!.get(name);
      if (found === undefined) this.fail(`unknown ${SPACE_NAMES[space]} $${name}`);
      this.p++;
      return found;
    }
    return this.u32(`a ${SPACE_NAMES[space]} index`);
  }

  /** A field of struct type `type`: a u32, or a name from the type's definition. */
  private fieldIndex(type: number): number {
    if (this.at(Tok.Id)) {
      const name = this.idName(this.p);
      const found = this.fieldNames.get(type)?.get(name);
      if (found === undefined) this.fail(`unknown field $${name} of type ${type}`);
      this.p++;
      return found;
    }
    return this.u32('a field index');
  }

  private localIndex(ctx: FuncContext): number {
    if (this.at(Tok.Id)) {
      const name = this.idName(this.p);
      const found = ctx.locals.get(name);
      if (found === undefined) this.fail(`unknown local $${name}`);
      this.p++;
      return found;
    }
    return this.u32('a local index');
  }

  private labelIndex(ctx: FuncContext): number {
    if (this.at(Tok.Id)) {
      const name = this.idName(this.p);
      const labels = ctx.labels;
      for (let i = labels.length - 1; i >= 0; i--) {
        if (labels[i] === name) {
          this.p++;
          return labels.length - 1 - i;
        }
      }
      this.fail(`unknown label $${name}`);
    }
    return this.u32('a label');
  }

  /** The token index after the list that opens at `i`. */
  private skipList(i: number): number {
    return this.close[i]! + 1;
  }

  // ---- types

  private heapType(w: ByteWriter): void {
    const word = this.atom();
    const code = word === undefined ? undefined : HEAP_TYPES.get(word);
    if (code !== undefined) {
      this.p++;
      w.byte(code);
      return;
    }
    if (!this.atIndex()) this.expected('a heap type (func, extern, ...) or a type index');
    w.sBig(BigInt(this.index(Space.Type)));
  }

  /** A value type, appended to `w` when given, and returned as its encoding. */
  private valType(): ValTypeCode {
    const word = this.atom();
    if (word !== undefined) {
      const code = NUMBER_TYPES.get(word) ?? REF_SHORTHANDS.get(word);
      if (code !== undefined) {
        this.p++;
        return [code];
      }
    }
    if (this.isList('ref')) return this.refType();
    this.expected('a value type (i32, i64, f32, f64, v128, funcref, externref, (ref ...))');
  }

  private refType(): ValTypeCode {
    const word = this.atom();
    const code = word === undefined ? undefined : REF_SHORTHANDS.get(word);
    if (code !== undefined) {
      this.p++;
      return [code];
    }
    if (!this.isList('ref')) this.expected('a reference type (funcref, externref, (ref ...))');
    this.p += 2;
    const nullable = this.isAtom('null');
    if (nullable) this.p++;
    const w = this.scratch;
    const mark = w.length;
    w.byte(nullable ? 0x63 : 0x64);
    this.heapType(w);
    const bytes = Array.from(w.view().subarray(mark));
    w.length = mark;
    this.rparen();
    return bytes;
  }

  /**
   * `(param ...)* (result ...)*` from the cursor. Parameter names go to `names`
   * when given (function headers); elsewhere names are not allowed.
   */
  private signature(paramNames: Map<string, number> | undefined, allowParamNames: boolean): FuncSig {
    const params: ValTypeCode[] = [];
    const results: ValTypeCode[] = [];
    while (this.isList('param')) {
      this.p += 2;
      if (this.at(Tok.Id)) {
        if (!allowParamNames) this.fail('unexpected token: parameters here have no names');
        const at = this.p;
        const name = this.idName(this.p++);
        if (paramNames) {
          if (paramNames.has(name)) this.fail(`duplicate local $${name}`, at);
          paramNames.set(name, params.length);
        }
        params.push(this.valType());
      } else {
        while (!this.at(Tok.RParen)) params.push(this.valType());
      }
      this.rparen();
    }
    while (this.isList('result')) {
      this.p += 2;
      while (!this.at(Tok.RParen)) results.push(this.valType());
      this.rparen();
    }
    if (this.isList('param')) this.fail('unexpected param after result: params come first');
    return { params, results };
  }

  /** The index of a function type equal to `sig`: the first existing one, else a new implicit one. */
  private typeIndexOf(sig: FuncSig): number {
    const key = sigKey(sig);
    const found = this.implicitTypes.get(key);
    if (found !== undefined) return found;
    const index = this.typeSigs.length;
    this.typeSigs.push(sig);
    this.typeEntries.push(this.encodeFuncType(sig));
    this.implicitTypes.set(key, index);
    return index;
  }

  private encodeFuncType(sig: FuncSig): Uint8Array {
    const w = new ByteWriter();
    w.byte(0x60);
    w.u32(sig.params.length);
    for (const t of sig.params) w.bytes(t);
    w.u32(sig.results.length);
    for (const t of sig.results) w.bytes(t);
    return w.finish();
  }

  /**
   * A type use: `(type x)?` then inline params and results. With both, they
   * must agree. Returns the type index and the signature (when known).
   */
  private typeUse(paramNames: Map<string, number> | undefined, allowParamNames = true): { index: number; sig: FuncSig | undefined } {
    if (this.isList('type')) {
      this.p += 2;
      const index = this.index(Space.Type);
      this.rparen();
      const at = this.p;
      const inline = this.signature(paramNames, allowParamNames);
      const declared = this.typeSigs[index];
      if (inline.params.length > 0 || inline.results.length > 0) {
        if (declared === undefined) this.fail(`unknown type ${index}: an inline signature needs an existing type to match`, at - 2);
        if (!sameSig(declared, inline)) this.fail('inline function type does not match the type use', at);
      }
      return { index, sig: declared ?? inline };
    }
    const sig = this.signature(paramNames, allowParamNames);
    return { index: this.typeIndexOf(sig), sig };
  }

  // ---- first pass

  private declare(space: Space, id: string | undefined, at: number): void {
    const index = this.counts[space]!++;
    if (id === undefined) return;
    if (this.names[space]!.has(id)) this.fail(`duplicate ${SPACE_NAMES[space]} $${id}`, at);
    this.names[space]!.set(id, index);
  }

  /** The id token right after a field's keyword, if any. */
  private idAt(i: number): string | undefined {
    return i < this.last && this.kind[i] === Tok.Id ? this.idName(i) : undefined;
  }

  /** Does a field (its `(` at `open`) have an inline `(import ...)` among its leading exports? */
  private hasInlineImport(open: number): boolean {
    let i = open + 2;
    if (this.kind[i] === Tok.Id) i++;
    while (this.isList('export', i)) i = this.skipList(i);
    return this.isList('import', i);
  }

  /** Does a table or memory field have an inline `(elem ...)` / `(data ...)`? */
  private hasInlineSegment(open: number, word: string): boolean {
    for (let i = open + 2; i < this.close[open]!; i++) {
      if (this.kind[i] === Tok.LParen) {
        if (this.isList(word, i)) return true;
        i = this.close[i]!;
      }
    }
    return false;
  }

  /** First pass over the fields: identifiers and indices, import order, type definitions. */
  private declareFields(fieldStarts: number[]): void {
    let definitionSeen: string | undefined;
    const typeFields: number[] = [];
    for (const open of fieldStarts) {
      const word = this.atom(open + 1);
      const idTok = open + 2;
      const id = this.idAt(idTok);
      const space = word === undefined ? undefined : EXTERN_KINDS.get(word);
      if (space !== undefined) {
        const imported = this.hasInlineImport(open);
        if (imported && definitionSeen !== undefined) this.fail(`import after ${definitionSeen}: imports come before definitions`, open);
        if (!imported) definitionSeen ??= word === 'func' ? 'function' : word;
        this.declare(space, id, idTok);
        if (!imported && word === 'table' && this.hasInlineSegment(open, 'elem')) this.declare(Space.Elem, undefined, open);
        if (!imported && word === 'memory' && this.hasInlineSegment(open, 'data')) this.declare(Space.Data, undefined, open);
        continue;
      }
      switch (word) {
        case 'import': {
          if (definitionSeen !== undefined) this.fail(`import after ${definitionSeen}: imports come before definitions`, open);
          let i = open + 2;
          while (i < this.close[open]! && this.kind[i] === Tok.String) i++;
          const descWord = this.listHead(i);
          const descSpace = descWord === undefined ? undefined : EXTERN_KINDS.get(descWord);
          if (descSpace === undefined) this.expected('an import description (func, table, memory, global, tag)', i);
          this.declare(descSpace, this.idAt(i + 2), i + 2);
          break;
        }
        case 'type':
          this.declare(Space.Type, id, idTok);
          typeFields.push(open);
          break;
        case 'rec':
          for (let i = open + 2; i < this.close[open]!; i = this.skipList(i)) {
            if (!this.isList('type', i)) this.expected(`'(type'`, i);
            this.declare(Space.Type, this.idAt(i + 2), i + 2);
          }
          typeFields.push(open);
          break;
        case 'elem':
          this.declare(Space.Elem, id, idTok);
          break;
        case 'data':
          this.declare(Space.Data, id, idTok);
          break;
        case 'export':
        case 'start':
        case '@custom':
          break;
        default:
          this.expected('a module field (type, import, func, table, memory, global, export, start, elem, data)', open + 1);
      }
    }
    for (const open of typeFields) this.typeField(open);
    // Implicit type uses reuse the first equal explicit function type.
    this.typeSigs.forEach((sig, index) => {
      if (sig !== undefined && this.reusableTypes.has(index) && !this.implicitTypes.has(sigKey(sig))) this.implicitTypes.set(sigKey(sig), index);
    });
  }

  /** `(type $id? (func ...))` or `(rec (type ...)*)`: appended to the type section entries. */
  private typeField(open: number): void {
    this.p = open;
    const w = new ByteWriter();
    if (this.isList('rec')) {
      this.p += 2;
      const members: Uint8Array[] = [];
      while (!this.at(Tok.RParen)) members.push(this.typeDefinition(false));
      this.rparen();
      w.byte(0x4e);
      w.u32(members.length);
      for (const m of members) w.bytes(m);
    } else {
      w.bytes(this.typeDefinition(true));
    }
    this.typeEntries.push(w.finish());
  }

  /**
   * `(type $id? comptype)` or `(type $id? (sub final? $super* comptype))` (GC).
   * Records the signature of a function type; `alone` (outside a rec group)
   * final function types with no supertype are the ones implicit type uses reuse.
   */
  private typeDefinition(alone: boolean): Uint8Array {
    this.openList('type');
    this.optionalId();
    const index = this.typeSigs.length;
    const w = new ByteWriter();
    let plain = alone;
    if (this.isList('sub')) {
      this.p += 2;
      const final = this.isAtom('final');
      if (final) this.p++;
      const supers: number[] = [];
      while (this.atIndex()) supers.push(this.index(Space.Type));
      plain &&= final && supers.length === 0;
      w.byte(final ? 0x4f : 0x50);
      w.u32(supers.length);
      for (const t of supers) w.u32(t);
      this.typeSigs.push(this.compositeType(w, index));
      this.rparen();
    } else {
      this.typeSigs.push(this.compositeType(w, index));
    }
    this.rparen();
    if (plain) this.reusableTypes.add(index);
    return w.finish();
  }

  /** `(func ...)`, `(struct (field ...)*)` or `(array fieldtype)`; the signature for a function type. */
  private compositeType(w: ByteWriter, index: number): FuncSig | undefined {
    if (this.isList('func')) {
      this.p += 2;
      const sig = this.signature(undefined, true);
      this.rparen();
      w.bytes(this.encodeFuncType(sig));
      return sig;
    }
    if (this.isList('struct')) {
      this.p += 2;
      const fields = new ByteWriter();
      const names = new Map<string, number>();
      let count = 0;
      while (this.isList('field')) {
        this.p += 2;
        if (this.at(Tok.Id)) {
          const at = this.p;
          const name = this.idName(this.p++);
          if (names.has(name)) this.fail(`duplicate field $${name}`, at);
          names.set(name, count);
          this.fieldType(fields);
          count++;
        } else {
          while (!this.at(Tok.RParen)) {
            this.fieldType(fields);
            count++;
          }
        }
        this.rparen();
      }
      this.rparen();
      this.fieldNames.set(index, names);
      w.byte(0x5f);
      w.u32(count);
      w.bytes(fields.view());
      return undefined;
    }
    if (this.isList('array')) {
      this.p += 2;
      w.byte(0x5e);
      this.fieldType(w);
      this.rparen();
      return undefined;
    }
    this.expected(`a composite type: '(func', '(struct' or '(array'`);
  }

  /** `storagetype` or `(mut storagetype)`, where a storage type is a value type, i8 or i16. */
  private fieldType(w: ByteWriter): void {
    const mutable = this.isList('mut');
    if (mutable) this.p += 2;
    if (this.isAtom('i8') || this.isAtom('i16')) {
      w.byte(this.isAtom('i8') ? 0x78 : 0x77);
      this.p++;
    } else {
      w.bytes(this.valType());
    }
    w.byte(mutable ? 1 : 0);
    if (mutable) this.rparen();
  }

  // ---- second pass: fields

  private section(id: Section): SectionWriter {
    let s = this.sections.get(id);
    if (!s) {
      s = new SectionWriter();
      this.sections.set(id, s);
    }
    return s;
  }

  /** Inline `(export "name")*`: exports of item `index`. */
  private inlineExports(kindCode: number, index: number): void {
    while (this.isList('export')) {
      this.p += 2;
      const name = this.name();
      this.rparen();
      const s = this.section(Section.Export);
      s.count++;
      s.body.vecBytes(name);
      s.body.byte(kindCode);
      s.body.u32(index);
    }
  }

  /** Inline `(import "module" "name")`, if present: starts the import entry and returns true. */
  private inlineImport(kindCode: number): boolean {
    if (!this.isList('import')) return false;
    this.p += 2;
    const module = this.name();
    const name = this.name();
    this.rparen();
    const s = this.section(Section.Import);
    s.count++;
    s.body.vecBytes(module);
    s.body.vecBytes(name);
    s.body.byte(kindCode);
    return true;
  }

  private field(open: number): void {
    this.p = open;
    const word = this.atom(open + 1)!;
    switch (word) {
      case 'func': return this.funcField();
      case 'table': return this.tableField();
      case 'memory': return this.memoryField();
      case 'global': return this.globalField();
      case 'tag': return this.tagField();
      case 'import': return this.importField();
      case 'export': return this.exportField();
      case 'start': return this.startField();
      case 'elem': return this.elemField();
      case 'data': return this.dataField();
      case '@custom': return this.customField();
      default: // type and rec were encoded in the first pass
    }
  }

  private funcField(): void {
    this.p += 2;
    this.optionalId();
    const index = this.next[Space.Func]!++;
    this.inlineExports(0x00, index);
    if (this.inlineImport(0x00)) {
      const { index: typeIndex } = this.typeUse(undefined);
      this.section(Section.Import).body.u32(typeIndex);
      this.rparen();
      return;
    }
    const locals = new Map<string, number>();
    const { index: typeIndex, sig } = this.typeUse(locals);
    const funcs = this.section(Section.Function);
    funcs.count++;
    funcs.body.u32(typeIndex);
    // Without inline params, the parameters come from the type (unnamed).
    let localCount = sig ? sig.params.length : 0;
    const runs: { count: number; type: ValTypeCode }[] = [];
    while (this.isList('local')) {
      this.p += 2;
      const addLocal = (type: ValTypeCode): void => {
        const lastRun = runs[runs.length - 1];
        if (lastRun && lastRun.type.length === type.length && lastRun.type.every((b, i) => b === type[i])) lastRun.count++;
        else runs.push({ count: 1, type });
        localCount++;
      };
      if (this.at(Tok.Id)) {
        const at = this.p;
        const name = this.idName(this.p++);
        if (locals.has(name)) this.fail(`duplicate local $${name}`, at);
        locals.set(name, localCount);
        addLocal(this.valType());
      } else {
        while (!this.at(Tok.RParen)) addLocal(this.valType());
      }
      this.rparen();
    }
    const body = new ByteWriter();
    body.u32(runs.length);
    for (const run of runs) {
      body.u32(run.count);
      body.bytes(run.type);
    }
    const ctx: FuncContext = { locals, labels: [] };
    this.instrs(body, ctx);
    body.byte(0x0b);
    this.rparen();
    const code = this.section(Section.Code);
    code.count++;
    code.body.sized(body);
  }

  /** `i64?` address type of tables and memories (memory64). */
  private addressType(): boolean {
    if (this.isAtom('i64')) {
      this.p++;
      return true;
    }
    if (this.isAtom('i32')) this.p++;
    return false;
  }

  /** Limits `min max?`, with the flag bits for shared and 64-bit. */
  private limits(w: ByteWriter, is64: boolean, allowShared: boolean): void {
    // u64 as in 3.0: a limit past 32 bits on a 32-bit table or memory is the decoder's to reject.
    const min = this.u64('a limit');
    const hasMax = this.atom() !== undefined && isNumberAtom(this.atom()!);
    const max = hasMax ? this.u64('a limit') : undefined;
    let shared = false;
    if (allowShared && this.isAtom('shared')) {
      shared = true;
      this.p++;
    } else if (allowShared && this.isAtom('unshared')) {
      this.p++;
    }
    w.byte((max !== undefined ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0));
    w.uBig(min);
    if (max !== undefined) w.uBig(max);
  }

  /** `i64? limits reftype`, encoded as the binary orders it (reftype first); true for a 64-bit table. */
  private tableType(w: ByteWriter): boolean {
    const is64 = this.addressType();
    const limits = new ByteWriter();
    this.limits(limits, is64, false);
    w.bytes(this.refType());
    w.bytes(limits.view());
    return is64;
  }

  private tableField(): void {
    const open = this.p;
    this.p += 2;
    this.optionalId();
    const index = this.next[Space.Table]!++;
    this.inlineExports(0x01, index);
    if (this.inlineImport(0x01)) {
      this.tableType(this.section(Section.Import).body);
      this.rparen();
      return;
    }
    const tables = this.section(Section.Table);
    tables.count++;
    const w = tables.body;
    // `(table i64? reftype (elem ...))`: the size is the element count.
    const afterAddress = this.p + (this.isAtom('i64') || this.isAtom('i32') ? 1 : 0);
    const saved = this.p;
    this.p = afterAddress;
    const inlineElem = !this.atIndex() && this.hasInlineSegment(open, 'elem');
    this.p = saved;
    if (inlineElem) {
      const is64 = this.addressType();
      const type = this.refType();
      this.openList('elem');
      const elems = new ByteWriter();
      let count = 0;
      const funcForm = !this.at(Tok.LParen);
      while (!this.at(Tok.RParen)) {
        if (funcForm) elems.u32(this.index(Space.Func));
        else this.elemExpr(elems);
        count++;
      }
      this.rparen();
      this.rparen();
      w.bytes(type);
      w.byte(is64 ? 5 : 1);
      w.uBig(BigInt(count));
      w.uBig(BigInt(count));
      this.next[Space.Elem]!++;
      const offset = is64 ? [0x42, 0x00, 0x0b] : [0x41, 0x00, 0x0b];
      this.writeElem('active', index === 0 ? undefined : index, offset, funcForm ? undefined : type, count, elems.view());
      return;
    }
    const table = new ByteWriter();
    this.tableType(table);
    if (!this.at(Tok.RParen)) {
      // A table with an initializer expression (function references proposal).
      w.bytes([0x40, 0x00]);
      w.bytes(table.view());
      this.constExpr(w);
    } else {
      w.bytes(table.view());
    }
    this.rparen();
  }

  private memoryField(): void {
    this.p += 2;
    this.optionalId();
    const index = this.next[Space.Memory]!++;
    this.inlineExports(0x02, index);
    if (this.inlineImport(0x02)) {
      this.memoryType(this.section(Section.Import).body);
      this.rparen();
      return;
    }
    const memories = this.section(Section.Memory);
    memories.count++;
    const saved = this.p;
    const is64 = this.addressType();
    if (this.isList('data')) {
      this.p += 2;
      const bytes: Uint8Array[] = [];
      while (!this.at(Tok.RParen)) bytes.push(this.string());
      this.rparen();
      this.rparen();
      const data = concat(bytes);
      const pages = Math.ceil(data.length / 65536);
      memories.body.byte(is64 ? 5 : 1);
      memories.body.u32(pages);
      memories.body.u32(pages);
      const segs = this.section(Section.Data);
      segs.count++;
      this.next[Space.Data]!++;
      if (index === 0) segs.body.byte(0);
      else {
        segs.body.byte(2);
        segs.body.u32(index);
      }
      segs.body.bytes(is64 ? [0x42, 0x00, 0x0b] : [0x41, 0x00, 0x0b]);
      segs.body.vecBytes(data);
      return;
    }
    this.p = saved;
    this.memoryType(memories.body);
    this.rparen();
  }

  private memoryType(w: ByteWriter): boolean {
    const is64 = this.addressType();
    this.limits(w, is64, true);
    return is64;
  }

  private globalType(w: ByteWriter): void {
    if (this.isList('mut')) {
      this.p += 2;
      w.bytes(this.valType());
      w.byte(1);
      this.rparen();
    } else {
      w.bytes(this.valType());
      w.byte(0);
    }
  }

  private globalField(): void {
    this.p += 2;
    this.optionalId();
    const index = this.next[Space.Global]!++;
    this.inlineExports(0x03, index);
    if (this.inlineImport(0x03)) {
      this.globalType(this.section(Section.Import).body);
      this.rparen();
      return;
    }
    const globals = this.section(Section.Global);
    globals.count++;
    this.globalType(globals.body);
    this.constExpr(globals.body);
    this.rparen();
  }

  private tagField(): void {
    this.p += 2;
    this.optionalId();
    const index = this.next[Space.Tag]!++;
    this.inlineExports(0x04, index);
    if (this.inlineImport(0x04)) {
      const w = this.section(Section.Import).body;
      w.byte(0x00);
      w.u32(this.typeUse(undefined).index);
      this.rparen();
      return;
    }
    const tags = this.section(Section.Tag);
    tags.count++;
    tags.body.byte(0x00);
    tags.body.u32(this.typeUse(undefined).index);
    this.rparen();
  }

  private importField(): void {
    this.p += 2;
    const module = this.name('a module name string');
    const name = this.name('an import name string');
    const descWord = this.listHead()!;
    const space = EXTERN_KINDS.get(descWord)!;
    const s = this.section(Section.Import);
    s.count++;
    s.body.vecBytes(module);
    s.body.vecBytes(name);
    s.body.byte(EXTERN_CODES[space]!);
    this.p += 2;
    this.optionalId();
    this.next[space]!++;
    switch (space) {
      case Space.Func:
        s.body.u32(this.typeUse(undefined).index);
        break;
      case Space.Table:
        this.tableType(s.body);
        break;
      case Space.Memory:
        this.memoryType(s.body);
        break;
      case Space.Global:
        this.globalType(s.body);
        break;
      default:
        s.body.byte(0x00);
        s.body.u32(this.typeUse(undefined).index);
    }
    this.rparen();
    this.rparen();
  }

  private exportField(): void {
    this.p += 2;
    const name = this.name('an export name string');
    const descWord = this.listHead();
    const space = descWord === undefined ? undefined : EXTERN_KINDS.get(descWord);
    if (space === undefined) this.expected('an export description: (func x), (table x), (memory x), (global x) or (tag x)');
    this.p += 2;
    const index = this.index(space);
    this.rparen();
    this.rparen();
    const s = this.section(Section.Export);
    s.count++;
    s.body.vecBytes(name);
    s.body.byte(EXTERN_CODES[space]!);
    s.body.u32(index);
  }

  private startField(): void {
    const at = this.p;
    this.p += 2;
    const index = this.index(Space.Func);
    this.rparen();
    if (this.start_ !== undefined) this.fail('multiple start sections: a module has at most one start function', at);
    this.start_ = index;
  }

  /** `(offset instr*)` or a single folded instruction: a constant expression. */
  private offsetExpr(w: ByteWriter): void {
    if (this.isList('offset')) {
      this.p += 2;
      this.constExpr(w);
      this.rparen();
      return;
    }
    if (!this.at(Tok.LParen)) this.expected('an offset: (offset ...) or a folded instruction');
    this.foldedConstExpr(w);
  }

  /** One folded instruction as a whole constant expression (with its `end`). */
  private foldedConstExpr(w: ByteWriter): void {
    this.instr(w, { locals: new Map(), labels: [] });
    w.byte(0x0b);
  }

  /** Instructions up to the closing parenthesis, then `end`. */
  private constExpr(w: ByteWriter): void {
    this.instrs(w, { locals: new Map(), labels: [] });
    w.byte(0x0b);
  }

  /** `(item instr*)` or one folded instruction. */
  private elemExpr(w: ByteWriter): void {
    if (this.isList('item')) {
      this.p += 2;
      this.constExpr(w);
      this.rparen();
      return;
    }
    if (!this.at(Tok.LParen)) this.expected('an element expression: (item ...) or a folded instruction');
    this.foldedConstExpr(w);
  }

  private isOffsetAt(i: number): boolean {
    return i < this.last && this.kind[i] === Tok.LParen && !this.isList('ref', i) && !this.isList('item', i);
  }

  private atRefType(): boolean {
    const word = this.atom();
    return (word !== undefined && REF_SHORTHANDS.has(word)) || this.isList('ref');
  }

  private elemField(): void {
    this.p += 2;
    this.optionalId();
    this.next[Space.Elem]!++;
    let mode: 'passive' | 'declare' | 'active' = 'passive';
    let table: number | undefined;
    const offset = new ByteWriter();
    if (this.isAtom('declare')) {
      mode = 'declare';
      this.p++;
    } else if (this.isList('table')) {
      mode = 'active';
      this.p += 2;
      table = this.index(Space.Table);
      this.rparen();
      this.offsetExpr(offset);
    } else if (this.atIndex() && this.isOffsetAt(this.p + 1)) {
      // The 1.0 form `(elem x (offset ...) ...)` with a bare table index.
      mode = 'active';
      table = this.index(Space.Table);
      this.offsetExpr(offset);
    } else if (this.at(Tok.LParen) && !this.isList('ref')) {
      mode = 'active';
      this.offsetExpr(offset);
    }
    // The element list: `func x*`, `reftype expr*`, or (legacy, active only) bare function indices.
    let type: ValTypeCode | undefined;
    let funcForm: boolean;
    if (this.isAtom('func')) {
      this.p++;
      funcForm = true;
    } else if (this.atRefType()) {
      type = this.refType();
      funcForm = false;
    } else {
      if (mode !== 'active' && !this.at(Tok.RParen)) this.expected(`'func' or a reference type`);
      funcForm = true;
    }
    const items = new ByteWriter();
    let count = 0;
    while (!this.at(Tok.RParen)) {
      if (funcForm) items.u32(this.index(Space.Func));
      else this.elemExpr(items);
      count++;
    }
    this.rparen();
    this.writeElem(mode, table, offset.view(), funcForm ? undefined : type, count, items.view());
  }

  /**
   * An element segment in the binary form its text selects: function indices
   * (`type` undefined) or expressions; the table index is written only when the
   * text names one (or the compact form cannot express the segment).
   */
  private writeElem(mode: 'passive' | 'declare' | 'active', table: number | undefined, offset: ArrayLike<number>, type: ValTypeCode | undefined, count: number, items: Uint8Array): void {
    const s = this.section(Section.Element);
    s.count++;
    const w = s.body;
    const exprBit = type === undefined ? 0 : 4;
    if (mode === 'active' && table === undefined && (type === undefined || (type.length === 1 && type[0] === 0x70))) {
      w.byte(exprBit);
      w.bytes(offset);
    } else {
      if (mode === 'active') {
        w.byte(2 | exprBit);
        w.u32(table ?? 0);
        w.bytes(offset);
      } else {
        w.byte((mode === 'passive' ? 1 : 3) | exprBit);
      }
      if (type === undefined) w.byte(0x00);
      else w.bytes(type);
    }
    w.u32(count);
    w.bytes(items);
  }

  private dataField(): void {
    this.p += 2;
    this.optionalId();
    this.next[Space.Data]!++;
    const s = this.section(Section.Data);
    s.count++;
    const w = s.body;
    if (this.isList('memory')) {
      this.p += 2;
      const memory = this.index(Space.Memory);
      this.rparen();
      w.byte(2);
      w.u32(memory);
      this.offsetExpr(w);
    } else if (this.atIndex()) {
      // The 1.0 form `(data x (offset ...) ...)` with a bare memory index.
      w.byte(2);
      w.u32(this.index(Space.Memory));
      this.offsetExpr(w);
    } else if (this.at(Tok.LParen)) {
      w.byte(0);
      this.offsetExpr(w);
    } else {
      w.byte(1);
    }
    const parts: Uint8Array[] = [];
    while (!this.at(Tok.RParen)) parts.push(this.string('a data string'));
    this.rparen();
    w.vecBytes(concat(parts));
  }

  private customField(): void {
    this.p += 2;
    const name = this.name('a custom section name string');
    let place: 'before' | 'after' = 'after';
    let anchor: Section | 'first' | 'last' = 'last';
    if (this.at(Tok.LParen)) {
      this.p++;
      const word = this.atom();
      if (word !== 'before' && word !== 'after') this.expected(`'before' or 'after'`);
      place = word;
      this.p++;
      const where = this.atom();
      const section = where === undefined ? undefined : SECTION_PLACE_NAMES.get(where);
      if (where === 'first' || where === 'last') anchor = where;
      else if (section !== undefined) anchor = section;
      else this.expected('a section name (type, import, func, ..., first, last)');
      this.p++;
      this.rparen();
    }
    const parts: Uint8Array[] = [];
    while (!this.at(Tok.RParen)) parts.push(this.string());
    this.rparen();
    this.customs.push({ name, bytes: concat(parts), place, anchor });
  }

  // ---- instructions

  /** Instructions until a `)` (or the end), or a keyword that ends a block's part: `end`, `else`, `catch`, `catch_all`, `delegate`. */
  private instrs(w: ByteWriter, ctx: FuncContext): void {
    while (this.p < this.last) {
      const k = this.kind[this.p];
      if (k === Tok.RParen) return;
      if (k === Tok.Atom && BLOCK_PART_ENDS.has(this.atom()!)) return;
      this.instr(w, ctx);
    }
  }

  private instr(w: ByteWriter, ctx: FuncContext): void {
    if (this.at(Tok.LParen)) return this.folded(w, ctx);
    const word = this.atom();
    if (word === undefined) this.expected('an instruction');
    switch (word) {
      case 'block':
      case 'loop':
        return this.plainBlock(w, ctx, word === 'block' ? 0x02 : 0x03);
      case 'if':
        return this.plainIf(w, ctx);
      case 'try_table':
        return this.plainTryTable(w, ctx);
      case 'try':
        return this.plainTry(w, ctx);
      default: {
        const info = INSTRUCTIONS_BY_NAME.get(word);
        if (!info) this.fail(`unknown operator '${word}': expected an instruction`);
        this.p++;
        this.immediates(w, info, ctx);
      }
    }
  }

  /** `block label? blocktype instr* end id?` */
  private plainBlock(w: ByteWriter, ctx: FuncContext, opcode: number): void {
    this.p++;
    const label = this.optionalId();
    w.byte(opcode);
    this.blockType(w);
    ctx.labels.push(label);
    this.instrs(w, ctx);
    this.endLabel('end', label);
    ctx.labels.pop();
    w.byte(0x0b);
  }

  /** `try_table label? blocktype catch* instr* end id?` (exception handling). */
  private plainTryTable(w: ByteWriter, ctx: FuncContext): void {
    this.p++;
    const label = this.tryTableHeader(w, ctx);
    ctx.labels.push(label);
    this.instrs(w, ctx);
    this.endLabel('end', label);
    ctx.labels.pop();
    w.byte(0x0b);
  }

  /**
   * The label, block type and catch clauses of a try_table: `(catch x l)`,
   * `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)`. Their labels are
   * outside the try_table, so they resolve before its own label is pushed.
   */
  private tryTableHeader(w: ByteWriter, ctx: FuncContext): string | undefined {
    const label = this.optionalId();
    w.byte(0x1f);
    this.blockType(w);
    const clauses = new ByteWriter();
    let count = 0;
    for (;;) {
      const kind = CATCH_CLAUSES.get(this.listHead() ?? '');
      if (kind === undefined) break;
      this.p += 2;
      clauses.byte(kind);
      if (kind < 2) clauses.u32(this.index(Space.Tag));
      clauses.u32(this.labelIndex(ctx));
      this.rparen();
      count++;
    }
    w.u32(count);
    w.bytes(clauses.view());
    return label;
  }

  /**
   * The legacy exception handling block: `try label? blocktype instr*
   * (catch x instr* | catch_all instr*)* end id?`, or `... delegate l`. The
   * try's label is in scope in its handlers (for rethrow); delegate's is not.
   */
  private plainTry(w: ByteWriter, ctx: FuncContext): void {
    this.p++;
    const label = this.optionalId();
    w.byte(0x06);
    this.blockType(w);
    ctx.labels.push(label);
    this.instrs(w, ctx);
    if (this.isAtom('delegate')) {
      this.p++;
      ctx.labels.pop();
      w.byte(0x18);
      w.u32(this.labelIndex(ctx));
      return;
    }
    while (this.isAtom('catch') || this.isAtom('catch_all')) {
      const all = this.isAtom('catch_all');
      // After `catch` comes the tag; only catch_all may repeat the label.
      if (all) this.endLabel('catch_all', label);
      else this.keyword('catch');
      w.byte(all ? 0x19 : 0x07);
      if (!all) w.u32(this.index(Space.Tag));
      this.instrs(w, ctx);
      if (all) break; // catch_all is the last handler
    }
    this.endLabel('end', label);
    ctx.labels.pop();
    w.byte(0x0b);
  }

  /** `(try label? blocktype (do instr*) (catch x instr*)* (catch_all instr*)?)` or `... (do ...) (delegate l))`. */
  private foldedTry(w: ByteWriter, ctx: FuncContext): void {
    const label = this.optionalId();
    w.byte(0x06);
    this.blockType(w);
    ctx.labels.push(label);
    if (!this.isList('do')) this.expected(`'(do'`);
    this.p += 2;
    this.instrs(w, ctx);
    this.rparen();
    if (this.isList('delegate')) {
      this.p += 2;
      ctx.labels.pop();
      w.byte(0x18);
      w.u32(this.labelIndex(ctx));
      this.rparen();
      this.rparen();
      return;
    }
    while (this.isList('catch') || this.isList('catch_all')) {
      const all = this.isList('catch_all');
      this.p += 2;
      w.byte(all ? 0x19 : 0x07);
      if (!all) w.u32(this.index(Space.Tag));
      this.instrs(w, ctx);
      this.rparen();
      if (all) break; // catch_all is the last handler
    }
    ctx.labels.pop();
    w.byte(0x0b);
    this.rparen();
  }

  private plainIf(w: ByteWriter, ctx: FuncContext): void {
    this.p++;
    const label = this.optionalId();
    w.byte(0x04);
    this.blockType(w);
    ctx.labels.push(label);
    this.instrs(w, ctx);
    if (this.isAtom('else')) {
      this.endLabel('else', label);
      w.byte(0x05);
      this.instrs(w, ctx);
    }
    this.endLabel('end', label);
    ctx.labels.pop();
    w.byte(0x0b);
  }

  /** `end` or `else`, with an optional identifier that must repeat the block's label. */
  private endLabel(word: string, label: string | undefined): void {
    this.keyword(word);
    if (this.at(Tok.Id)) {
      const at = this.p;
      const name = this.idName(this.p++);
      if (name !== label) this.fail(`mismatching label $${name}: expected ${label === undefined ? 'no label' : `$${label}`}`, at);
    }
  }

  private blockType(w: ByteWriter): void {
    if (this.isList('type')) {
      w.sBig(BigInt(this.typeUse(undefined).index));
      return;
    }
    const sig = this.signature(undefined, false);
    if (sig.params.length === 0 && sig.results.length === 0) w.byte(0x40);
    else if (sig.params.length === 0 && sig.results.length === 1) w.bytes(sig.results[0]!);
    else w.sBig(BigInt(this.typeIndexOf(sig)));
  }

  private folded(w: ByteWriter, ctx: FuncContext): void {
    const open = this.p;
    this.p++;
    const word = this.atom();
    if (word === undefined) this.expected('an instruction');
    if (word === 'block' || word === 'loop') {
      this.p++;
      const label = this.optionalId();
      w.byte(word === 'block' ? 0x02 : 0x03);
      this.blockType(w);
      ctx.labels.push(label);
      this.instrs(w, ctx);
      ctx.labels.pop();
      w.byte(0x0b);
      this.rparen();
      return;
    }
    if (word === 'try') {
      this.p++;
      return this.foldedTry(w, ctx);
    }
    if (word === 'try_table') {
      this.p++;
      const label = this.tryTableHeader(w, ctx);
      ctx.labels.push(label);
      this.instrs(w, ctx);
      ctx.labels.pop();
      w.byte(0x0b);
      this.rparen();
      return;
    }
    if (word === 'if') {
      this.p++;
      const label = this.optionalId();
      // The block type comes first in the text but after the condition in the binary.
      const typeBytes = this.scratchBlockType();
      while (this.at(Tok.LParen) && !this.isList('then')) this.folded(w, ctx);
      w.byte(0x04);
      w.bytes(typeBytes);
      ctx.labels.push(label);
      if (!this.isList('then')) this.expected(`'(then'`);
      this.p += 2;
      this.instrs(w, ctx);
      this.rparen();
      if (this.isList('else')) {
        this.p += 2;
        w.byte(0x05);
        this.instrs(w, ctx);
        this.rparen();
      }
      ctx.labels.pop();
      w.byte(0x0b);
      this.rparen();
      return;
    }
    const info = INSTRUCTIONS_BY_NAME.get(word);
    if (!info) this.fail(`unknown operator '${word}': expected an instruction`);
    // Operands (folded instructions) come after the immediates in the text, before the opcode in the binary.
    let operands = this.p + 1;
    const close = this.close[open]!;
    while (operands < close) {
      const k = this.kind[operands];
      if (k === Tok.Atom || k === Tok.Id || k === Tok.String) operands++;
      else if (k === Tok.LParen) {
        const head = this.atom(operands + 1);
        if (head === 'type' || head === 'param' || head === 'result' || head === 'ref') operands = this.close[operands]! + 1;
        else break;
      } else break;
    }
    const immStart = this.p + 1;
    this.p = operands;
    while (this.p < close) {
      if (!this.at(Tok.LParen)) this.expected('a folded instruction');
      this.folded(w, ctx);
    }
    this.p = immStart;
    this.immediates(w, info, ctx);
    if (this.p !== operands) this.expected('a folded instruction or )');
    this.p = close + 1;
  }

  /** The block type at the cursor, encoded into a fresh array. */
  private scratchBlockType(): Uint8Array {
    const w = new ByteWriter();
    this.blockType(w);
    return w.finish();
  }

  private opcode(w: ByteWriter, info: InstrInfo): void {
    if (info.prefix !== undefined) {
      w.byte(info.prefix);
      w.u32(info.code);
    } else {
      w.byte(info.code);
    }
  }

  /** The opcode and the immediates of `info`, from the cursor (just after its name). */
  private immediates(w: ByteWriter, info: InstrInfo, ctx: FuncContext): void {
    const imm = info.imm;
    if (imm === 'call_indirect') {
      const table = this.atIndex() ? this.index(Space.Table) : 0;
      const { index } = this.typeUse(undefined, false);
      this.opcode(w, info);
      w.u32(index);
      w.u32(table);
      return;
    }
    if (imm === 'ref_test') {
      const type = this.refType();
      w.byte(0xfb);
      w.u32(info.code + (isNullable(type) ? 1 : 0));
      w.bytes(heapTypeOf(type));
      return;
    }
    if (imm === 'select') {
      const types: ValTypeCode[] = [];
      let typed = false;
      while (this.isList('result')) {
        typed = true;
        this.p += 2;
        while (!this.at(Tok.RParen)) types.push(this.valType());
        this.rparen();
      }
      if (!typed) {
        w.byte(0x1b);
        return;
      }
      w.byte(0x1c);
      w.u32(types.length);
      for (const t of types) w.bytes(t);
      return;
    }
    this.opcode(w, info);
    switch (imm) {
      case 'none':
        return;
      case 'label':
        w.u32(this.labelIndex(ctx));
        return;
      case 'br_table': {
        const labels: number[] = [this.labelIndex(ctx)];
        while (this.atIndex()) labels.push(this.labelIndex(ctx));
        w.u32(labels.length - 1);
        for (const l of labels) w.u32(l);
        return;
      }
      case 'func':
        w.u32(this.index(Space.Func));
        return;
      case 'type':
        w.u32(this.index(Space.Type));
        return;
      case 'tag':
        w.u32(this.index(Space.Tag));
        return;
      case 'field': {
        const type = this.index(Space.Type);
        w.u32(type);
        w.u32(this.fieldIndex(type));
        return;
      }
      case 'type_count':
        w.u32(this.index(Space.Type));
        w.u32(this.u32('an array length'));
        return;
      case 'type_data':
        this.usesDataCount = true;
        w.u32(this.index(Space.Type));
        w.u32(this.index(Space.Data));
        return;
      case 'type_elem':
        w.u32(this.index(Space.Type));
        w.u32(this.index(Space.Elem));
        return;
      case 'type_type':
        w.u32(this.index(Space.Type));
        w.u32(this.index(Space.Type));
        return;
      case 'br_on_cast': {
        const label = this.labelIndex(ctx);
        const from = this.refType();
        const to = this.refType();
        w.byte((isNullable(from) ? 1 : 0) | (isNullable(to) ? 2 : 0));
        w.u32(label);
        w.bytes(heapTypeOf(from));
        w.bytes(heapTypeOf(to));
        return;
      }
      case 'local':
        w.u32(this.localIndex(ctx));
        return;
      case 'global':
        w.u32(this.index(Space.Global));
        return;
      case 'table':
        w.u32(this.atIndex() ? this.index(Space.Table) : 0);
        return;
      case 'table.copy': {
        const dst = this.atIndex() ? this.index(Space.Table) : 0;
        const src = this.atIndex() ? this.index(Space.Table) : 0;
        w.u32(dst);
        w.u32(src);
        return;
      }
      case 'table.init': {
        const table = this.twoIndices() ? this.index(Space.Table) : 0;
        w.u32(this.index(Space.Elem));
        w.u32(table);
        return;
      }
      case 'elem':
        w.u32(this.index(Space.Elem));
        return;
      case 'memory':
        w.u32(this.atIndex() ? this.index(Space.Memory) : 0);
        return;
      case 'memory.copy': {
        const dst = this.atIndex() ? this.index(Space.Memory) : 0;
        const src = this.atIndex() ? this.index(Space.Memory) : 0;
        w.u32(dst);
        w.u32(src);
        return;
      }
      case 'memory.init': {
        this.usesDataCount = true;
        const twoArgs = this.twoIndices();
        const memory = twoArgs ? this.index(Space.Memory) : 0;
        w.u32(this.index(Space.Data));
        w.u32(memory);
        return;
      }
      case 'data':
        this.usesDataCount = true;
        w.u32(this.index(Space.Data));
        return;
      case 'memarg':
        return this.memarg(w, info);
      case 'memarg_lane': {
        // `memidx? memarg lane`: a lone number is the lane.
        const memoryGiven = this.atIndex() && (this.atIndexAt(this.p + 1) || this.atMemargKeyword(this.p + 1));
        this.memarg(w, info, memoryGiven);
        w.byte(this.laneIndex());
        return;
      }
      case 'lane':
        w.byte(this.laneIndex());
        return;
      case 'shuffle':
        for (let i = 0; i < 16; i++) w.byte(this.laneIndex());
        return;
      case 'v128':
        return this.v128Const(w);
      case 'i32': {
        const text = this.atom();
        const small = text === undefined ? NaN : parseSmallDecimal(text);
        if (!Number.isNaN(small)) {
          this.p++;
          w.s32(small);
          return;
        }
        const value = text === undefined ? undefined : parseInt(text, 32);
        if (value === undefined) this.expected('an i32 constant');
        this.p++;
        w.s32(Number(value));
        return;
      }
      case 'i64': {
        const text = this.atom();
        const value = text === undefined ? undefined : parseInt(text, 64);
        if (value === undefined) this.expected('an i64 constant');
        this.p++;
        w.sBig(value);
        return;
      }
      case 'f32': {
        const text = this.atom();
        const bits = text === undefined ? undefined : parseF32(text);
        if (bits === undefined) this.expected('an f32 constant');
        this.p++;
        w.u32le(bits);
        return;
      }
      case 'f64': {
        const text = this.atom();
        const bits = text === undefined ? undefined : parseF64(text);
        if (bits === undefined) this.expected('an f64 constant');
        this.p++;
        w.u64le(bits);
        return;
      }
      case 'heaptype':
        this.heapType(w);
        return;
    }
  }

  /** Are there two indices at the cursor (the optional first one is present)? */
  private twoIndices(): boolean {
    const saved = this.p;
    const isIndex = (i: number): boolean => {
      if (i >= this.last) return false;
      if (this.kind[i] === Tok.Id) return true;
      const text = this.atom(i);
      return text !== undefined && isNumberAtom(text);
    };
    const result = isIndex(saved) && isIndex(saved + 1);
    return result;
  }

  private atIndexAt(i: number): boolean {
    if (i >= this.last) return false;
    if (this.kind[i] === Tok.Id) return true;
    const text = this.atom(i);
    return text !== undefined && isNumberAtom(text);
  }

  private atMemargKeyword(i: number): boolean {
    const text = this.atom(i);
    return text !== undefined && (text.startsWith('offset=') || text.startsWith('align='));
  }

  /** A lane index: a u8. */
  private laneIndex(): number {
    const text = this.atom();
    const value = text === undefined ? undefined : parseUnsigned(text, 8);
    if (value === undefined) this.expected('a lane index (0 to 255)');
    this.p++;
    return Number(value);
  }

  /** `v128.const SHAPE lane*`: the 16 bytes, little-endian lanes. */
  private v128Const(w: ByteWriter): void {
    const shape = this.atom();
    const lanes = shape === undefined ? undefined : V128_SHAPES.get(shape);
    if (lanes === undefined) this.expected('a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)');
    this.p++;
    const count = 16 / lanes.bytes;
    for (let i = 0; i < count; i++) {
      const text = this.atom();
      const value = text === undefined ? undefined : lanes.parse(text);
      if (value === undefined) this.expected(`a ${shape} lane (${count} of them)`);
      this.p++;
      for (let b = 0; b < lanes.bytes; b++) w.byte(Number((value >> BigInt(8 * b)) & 0xffn));
    }
  }

  /** `memidx? offset=N? align=N?`; `memoryGiven` false when the index at the cursor is not a memory's (a lane). */
  private memarg(w: ByteWriter, info: InstrInfo, memoryGiven = this.atIndex()): void {
    const memory = memoryGiven ? this.index(Space.Memory) : 0;
    let offset = 0n;
    let align = info.naturalAlign;
    let word = this.atom();
    if (word !== undefined && word.startsWith('offset=')) {
      // A u64 as in 3.0: an offset past 32 bits on a 32-bit memory is the validator's to reject.
      const value = parseUnsigned(word.slice(7), 64);
      if (value === undefined) this.expected('an offset: offset=N with N a u64');
      offset = value;
      this.p++;
      word = this.atom();
    }
    if (word !== undefined && word.startsWith('align=')) {
      const value = parseUnsigned(word.slice(6), 32);
      if (value === undefined || value === 0n || (value & (value - 1n)) !== 0n) this.fail('alignment must be a power of two: expected align=N with N a power of two');
      align = Number(value).toString(2).length - 1;
      this.p++;
    }
    if (memory !== 0) {
      w.u32(align | 0x40);
      w.u32(memory);
    } else {
      w.u32(align);
    }
    w.uBig(offset);
  }

  // ---- the whole module

  parse(): Uint8Array {
    try {
      return this.parseFields();
    } catch (error) {
      // Folded instructions nest by recursion: absurd nesting exhausts the JS stack.
      if (error instanceof RangeError) this.fail('instructions nested too deeply: expected less nesting');
      throw error;
    }
  }

  private parseFields(): Uint8Array {
    const fieldStarts: number[] = [];
    for (let i = this.first; i < this.last; i = this.skipList(i)) {
      if (this.kind[i] !== Tok.LParen) this.expected('a module field', i);
      fieldStarts.push(i);
    }
    this.declareFields(fieldStarts);
    for (const open of fieldStarts) this.field(open);
    return this.assemble();
  }

  private assemble(): Uint8Array {
    const out = new ByteWriter();
    out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const types = this.section(Section.Type);
    for (const entry of this.typeEntries) {
      types.count++;
      types.body.bytes(entry);
    }
    if (this.start_ !== undefined) {
      const s = this.section(Section.Start);
      s.count = -1;
      s.body.u32(this.start_);
    }
    if (this.usesDataCount) {
      const s = this.section(Section.DataCount);
      s.count = -1;
      s.body.u32(this.counts[Space.Data]!);
    }
    const customsAt = (place: 'before' | 'after', anchor: Section | 'first' | 'last'): void => {
      for (const c of this.customs) {
        if (c.place !== place || c.anchor !== anchor) continue;
        const body = new ByteWriter();
        body.vecBytes(c.name);
        body.bytes(c.bytes);
        out.byte(Section.Custom);
        out.sized(body);
      }
    };
    customsAt('before', 'first');
    customsAt('after', 'first');
    for (const id of SECTION_ORDER) {
      customsAt('before', id);
      const s = this.sections.get(id);
      if (s && s.count !== 0) {
        const body = new ByteWriter();
        if (s.count > 0) body.u32(s.count);
        body.bytes(s.body.view());
        out.byte(id);
        out.sized(body);
      }
      customsAt('after', id);
    }
    customsAt('before', 'last');
    customsAt('after', 'last');
    if (this.options.names === true && !this.customs.some((c) => decodeUtf8(c.name) === 'name')) this.writeNameSection(out);
    return out.finish();
  }

  /** The `name` custom section's function names subsection, from the functions' identifiers. */
  private writeNameSection(out: ByteWriter): void {
    const named = [...this.names[Space.Func]!].sort((a, b) => a[1] - b[1]);
    if (named.length === 0) return;
    const functions = new ByteWriter();
    functions.u32(named.length);
    for (const [name, index] of named) {
      functions.u32(index);
      functions.vecBytes(utf8Bytes(name));
    }
    const body = new ByteWriter();
    body.vecBytes(utf8Bytes('name'));
    body.byte(1);
    body.sized(functions);
    out.byte(Section.Custom);
    out.sized(body);
  }
}

function utf8Bytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) pushUtf8(out, ch.codePointAt(0)!);
  return Uint8Array.from(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface ParseOptions {
  /** Write a `name` section with the functions' identifiers (for stack traces and profiles). */
  readonly names?: boolean;
}

/**
 * A module in the text format to its binary encoding. The text is one
 * `(module $id? field*)` (also `(module binary "...")`, `(module quote "...")`
 * and `(module definition ...)`) or the fields alone.
 * Throws TextSyntaxError (a CompileError with line:column) when it is malformed.
 */
export function parseWat(text: string, options: ParseOptions = {}): Uint8Array {
  const tokens = tokenize(text);
  return parseTokens(tokens, 0, tokens.count, options);
}

function parseTokens(tokens: Tokens, first: number, last: number, options: ParseOptions): Uint8Array {
  const isModule = last - first >= 2 && tokens.kind[first] === Tok.LParen && tokens.kind[first + 1] === Tok.Atom
    && tokens.text.slice(tokens.start[first + 1], tokens.end[first + 1]) === 'module';
  if (!isModule) return new ModuleParser(tokens, first, last, options).parse();
  const close = tokens.close[first]!;
  if (close + 1 !== last) {
    throw syntaxError(tokens.text, tokens.start[close + 1]!, 'expected the end of the text after the module');
  }
  let i = first + 2;
  const atomAt = (j: number): string | undefined => (tokens.kind[j] === Tok.Atom && j < close ? tokens.text.slice(tokens.start[j], tokens.end[j]) : undefined);
  // `(module definition? $id? ...)`: a definition is the same module, not instantiated by a script.
  if (atomAt(i) === 'definition') i++;
  if (tokens.kind[i] === Tok.Id && i < close) i++;
  const word = atomAt(i);
  if (word === 'binary' || word === 'quote') {
    const parts: Uint8Array[] = [];
    for (let j = i + 1; j < close; j++) {
      if (tokens.kind[j] !== Tok.String) {
        throw syntaxError(tokens.text, tokens.start[j]!, `expected a string in (module ${word} ...)`);
      }
      parts.push(stringBytes(tokens.text, tokens.start[j]!, tokens.end[j]!));
    }
    const bytes = concat(parts);
    if (word === 'binary') return bytes.slice();
    const quoted = decodeUtf8(bytes);
    if (quoted === null) throw syntaxError(tokens.text, tokens.start[i]!, 'malformed UTF-8 encoding in quoted module');
    return parseWat(quoted, options);
  }
  return new ModuleParser(tokens, i, close, options).parse();
}
