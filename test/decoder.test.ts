import { describe, expect, it } from 'vitest';
import { decodeModule, MAX_FUNCTION_LOCALS } from '../src/decoder/index.js';
import { ValType } from '../src/decoder/module.js';
import { CompileError } from '../src/errors.js';
import { WASM_2_0_FEATURES, type Features } from '../src/decoder/features.js';
import { uleb as u32 } from './helpers/leb.js';

// A tiny binary builder: every module in this file is spelled out byte by byte,
// so the expected error offsets can be computed from the pieces.

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const I32 = ValType.I32;
const I64 = ValType.I64;
const F32 = ValType.F32;
const F64 = ValType.F64;
const V128 = ValType.V128;
const FUNCREF = ValType.FuncRef;
const EXTERNREF = ValType.ExternRef;
const END = 0x0b;

const enum Id {
  Custom = 0, Type, Import, Function, Table, Memory, Global, Export, Start, Element, Code, Data, DataCount,
}

function sleb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function utf8(text: string): number[] {
  return [...new TextEncoder().encode(text)];
}

function name(text: string): number[] {
  const bytes = utf8(text);
  return [...u32(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...u32(content.length), ...content];
}

function wasm(...sections: number[][]): Uint8Array {
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

const i32Const = (value: number) => [0x41, ...sleb(BigInt(value)), END];
const refFunc = (index: number) => [0xd2, ...u32(index), END];
const refNull = (type: number) => [0xd0, type, END];

/** A type section with the single type [] -> []. */
const voidType = section(Id.Type, vec([[0x60, 0, 0]]));
/** A function body with no locals: instructions then end. */
const body = (...instructions: number[]) => {
  const content = [0, ...instructions, END];
  return [...u32(content.length), ...content];
};

function decodeError(bytes: Uint8Array, features?: Features): CompileError {
  try {
    decodeModule(bytes, features);
  } catch (error) {
    expect(error).toBeInstanceOf(CompileError);
    return error as CompileError;
  }
  throw new Error('expected a CompileError, but the module decoded');
}

function expectMalformed(bytes: Uint8Array, message: string, offset: number, features?: Features): void {
  const error = decodeError(bytes, features);
  expect(error.message).toContain(message);
  expect(error.offset).toBe(offset);
  expect(error.message).toContain(`(at byte offset ${offset})`);
}

describe('header', () => {
  it('decodes the empty module', () => {
    const bytes = wasm();
    const module = decodeModule(bytes);
    expect(module.bytes).toBe(bytes);
    expect(module).toMatchObject({
      types: [], imports: [], funcTypeIndices: [], tables: [], memories: [], globals: [], exports: [],
      start: undefined, elems: [], dataCount: undefined, codes: [], datas: [], customSections: [],
    });
    expect(module.funcNames.size).toBe(0);
  });

  it('rejects short input as unexpected end', () => {
    expectMalformed(new Uint8Array([]), 'unexpected end', 0);
    expectMalformed(new Uint8Array([0x00, 0x61, 0x73]), 'unexpected end', 0);
    expectMalformed(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00]), 'unexpected end', 4);
  });

  it('rejects a wrong magic number', () => {
    expectMalformed(new Uint8Array([0x00, 0x41, 0x53, 0x4d, 1, 0, 0, 0]), 'magic header not detected', 0);
    expectMalformed(new Uint8Array([0xef, 0xbb, 0xbf, 0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), 'magic header not detected', 0);
  });

  it('rejects any version but 1', () => {
    expectMalformed(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0, 0, 0]), 'unknown binary version', 4);
    expectMalformed(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 1]), 'unknown binary version', 4);
  });
});

describe('section framing', () => {
  it('rejects an unknown section id', () => {
    expectMalformed(wasm([14, 0]), 'malformed section id 14', 8);
    expectMalformed(wasm([0x80, 0]), 'malformed section id 128', 8);
  });

  it('rejects a section whose size runs past the module', () => {
    expectMalformed(wasm([Id.Type, 5, 0]), 'length out of bounds', 9);
    expectMalformed(wasm([Id.Type, 0xff, 0xff, 0xff, 0xff, 0x0f]), 'length out of bounds', 9);
  });

  it('rejects a section whose content is shorter than its declared size', () => {
    expectMalformed(wasm([Id.Type, 2, 0, 0]), 'section size mismatch', 11);
    expectMalformed(wasm(section(Id.Memory, [1, 0, 1, 0x55])), 'section size mismatch', 13);
  });

  it('reports a read past the section end as unexpected end', () => {
    // One memory declared, its limits missing: the count fits, the limits do not.
    expectMalformed(wasm(section(Id.Memory, [1, 0])), 'unexpected end', 12);
  });

  it('rejects duplicate non-custom sections', () => {
    expectMalformed(wasm(voidType, voidType), 'unexpected content after last section: type section', 14);
    expectMalformed(wasm(section(Id.Data, [0]), section(Id.Data, [0])), 'data section', 11);
  });

  it('rejects sections out of order, with data count between element and code', () => {
    expectMalformed(wasm(section(Id.Import, [0]), section(Id.Type, [0])), 'type section duplicated or out of order', 11);
    expectMalformed(wasm(section(Id.Code, [0]), section(Id.DataCount, [0])), 'data count section', 11);
    expectMalformed(wasm(section(Id.DataCount, [0]), section(Id.Element, [0])), 'element section', 11);
    const ordered = wasm(
      voidType,
      section(Id.Import, [0]),
      section(Id.Function, [0]),
      section(Id.Table, [0]),
      section(Id.Memory, [0]),
      section(Id.Global, [0]),
      section(Id.Export, [0]),
      section(Id.Element, [0]),
      section(Id.DataCount, [0]),
      section(Id.Code, [0]),
      section(Id.Data, [0]),
    );
    expect(decodeModule(ordered).dataCount).toBe(0);
  });

  it('accepts custom sections anywhere, keeping name and payload', () => {
    const custom = (payload: string) => section(Id.Custom, [...name('meta'), ...utf8(payload)]);
    const module = decodeModule(wasm(custom('a'), voidType, custom('b'), section(Id.Data, [0]), custom('')));
    expect(module.customSections.map((s) => [s.name, new TextDecoder().decode(s.bytes)])).toEqual([
      ['meta', 'a'],
      ['meta', 'b'],
      ['meta', ''],
    ]);
  });

  it('keeps custom section payloads as views into the module bytes', () => {
    const bytes = wasm(section(Id.Custom, [...name('x'), 1, 2, 3]));
    const [custom] = decodeModule(bytes).customSections;
    expect(custom!.bytes.buffer).toBe(bytes.buffer);
    expect(custom!.bytes.byteOffset).toBe(12);
    expect([...custom!.bytes]).toEqual([1, 2, 3]);
  });

  it('rejects a custom section that cannot hold its name', () => {
    expectMalformed(wasm([Id.Custom, 0]), 'unexpected end', 10);
    expectMalformed(wasm([Id.Custom, 2, 5, 0x61]), 'unexpected end', 11);
  });

  it('rejects a custom section name that is not UTF-8', () => {
    expectMalformed(wasm(section(Id.Custom, [2, 0xc0, 0x80])), 'malformed UTF-8 encoding', 10);
    expectMalformed(wasm(section(Id.Custom, [3, 0xed, 0xa0, 0x80])), 'malformed UTF-8 encoding', 10);
  });

  it('keeps a byte order mark in a name instead of stripping it', () => {
    const [custom] = decodeModule(wasm(section(Id.Custom, name('\ufeffx')))).customSections;
    expect(custom!.name).toBe('\ufeffx');
  });

  it('rejects overlong and too large LEB128 integers', () => {
    expectMalformed(wasm(section(Id.Memory, [1, 0, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00])), 'integer representation too long', 12);
    expectMalformed(wasm(section(Id.Memory, [1, 0, 0x82, 0x80, 0x80, 0x80, 0x10])), 'integer too large', 12);
  });

  it('rejects vector lengths larger than the bytes left, before allocating', () => {
    expectMalformed(wasm(section(Id.Type, [0xff, 0xff, 0xff, 0xff, 0x0f])), 'length out of bounds', 10);
    expectMalformed(wasm(section(Id.Function, [...u32(1000), 0, 0])), 'length out of bounds', 10);
    expectMalformed(wasm(section(Id.Type, [1, 0x60, 0xff, 0xff, 0xff, 0xff, 0x0f])), 'length out of bounds', 12);
  });
});

describe('type section', () => {
  it('decodes function types with every value type', () => {
    const module = decodeModule(wasm(section(Id.Type, vec([
      [0x60, ...vec([[I32], [I64], [F32], [F64]]), ...vec([[V128], [FUNCREF], [EXTERNREF]])],
      [0x60, 0, 0],
    ]))));
    expect(module.types).toEqual([
      { params: [I32, I64, F32, F64], results: [V128, FUNCREF, EXTERNREF] },
      { params: [], results: [] },
    ]);
  });

  it('rejects a form other than 0x60', () => {
    expectMalformed(wasm(section(Id.Type, [1, 0x5f, 0, 0])), 'malformed function type', 11);
  });

  it('rejects an unknown value type', () => {
    expectMalformed(wasm(section(Id.Type, [1, 0x60, 1, 0x40, 0])), 'malformed value type 0x40', 13);
  });
});

describe('import section', () => {
  it('decodes every import kind', () => {
    const module = decodeModule(wasm(voidType, section(Id.Import, vec([
      [...name('env'), ...name('f'), 0x00, 0],
      [...name('env'), ...name('t'), 0x01, FUNCREF, 0x00, 1],
      [...name('env'), ...name('m'), 0x02, 0x01, 1, 2],
      [...name('env'), ...name('g'), 0x03, I64, 0x01],
      [...name('ünï'), ...name('☃'), 0x03, EXTERNREF, 0x00],
    ]))));
    expect(module.imports).toEqual([
      { module: 'env', name: 'f', desc: { kind: 'func', typeIndex: 0 } },
      { module: 'env', name: 't', desc: { kind: 'table', type: { elemType: FUNCREF, limits: { min: 1, max: undefined }, is64: false } } },
      { module: 'env', name: 'm', desc: { kind: 'memory', type: { limits: { min: 1, max: 2 }, is64: false } } },
      { module: 'env', name: 'g', desc: { kind: 'global', type: { valueType: I64, mutable: true } } },
      { module: 'ünï', name: '☃', desc: { kind: 'global', type: { valueType: EXTERNREF, mutable: false } } },
    ]);
  });

  it('rejects an unknown import kind', () => {
    expectMalformed(wasm(section(Id.Import, [1, 0, 0, 0x05, 0])), 'malformed import kind', 13);
    expectMalformed(wasm(section(Id.Import, [1, 0, 0, 0x80])), 'malformed import kind', 13);
  });

  it('rejects malformed UTF-8 in module and field names', () => {
    expectMalformed(wasm(section(Id.Import, [1, 1, 0xff, 0, 0, 0])), 'malformed UTF-8 encoding', 11);
    expectMalformed(wasm(section(Id.Import, [1, 0, 2, 0xe2, 0x82, 0, 0])), 'malformed UTF-8 encoding', 12);
  });

  it('rejects a name longer than the section', () => {
    expectMalformed(wasm(section(Id.Import, [1, 9, 0x61, 0x62])), 'unexpected end', 12);
  });
});

describe('table, memory and limits', () => {
  it('decodes tables and memories with and without a maximum', () => {
    const module = decodeModule(wasm(
      section(Id.Table, vec([[FUNCREF, 0x00, 3], [EXTERNREF, 0x01, 0, ...u32(0xffffffff)]])),
      section(Id.Memory, vec([[0x00, ...u32(65536)], [0x01, 1, 1]])),
    ));
    expect(module.tables).toEqual([
      { elemType: FUNCREF, limits: { min: 3, max: undefined }, is64: false },
      { elemType: EXTERNREF, limits: { min: 0, max: 0xffffffff }, is64: false },
    ]);
    expect(module.memories).toEqual([{ limits: { min: 65536, max: undefined }, is64: false }, { limits: { min: 1, max: 1 }, is64: false }]);
  });

  it('decodes 64-bit memories and tables with u64 limits (memory64)', () => {
    const module = decodeModule(wasm(
      section(Id.Table, vec([[FUNCREF, 0x04, 3]])),
      section(Id.Memory, vec([[0x05, 1, ...u32(0x10000)], [0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]])),
    ));
    expect(module.tables).toEqual([{ elemType: FUNCREF, limits: { min: 3, max: undefined }, is64: true }]);
    expect(module.memories).toEqual([{ limits: { min: 1, max: 0x10000 }, is64: true }, { limits: { min: 2 ** 42, max: undefined }, is64: true }]);
    expectMalformed(wasm(section(Id.Memory, [1, 0x04, 0])), 'memory64 feature is disabled', 11, WASM_2_0_FEATURES);
  });

  it('rejects limits flags other than 0x00 and 0x01', () => {
    expectMalformed(wasm(section(Id.Memory, [1, 0x02, 0])), 'limits flags must be 0x00 or 0x01', 11);
    expectMalformed(wasm(section(Id.Memory, [1, 0x81, 0x00, 0])), 'integer representation too long', 11);
    expectMalformed(wasm(section(Id.Table, [1, FUNCREF, 0x03, 0])), 'integer too large', 12);
  });

  it('rejects a table element type that is not a reference type', () => {
    expectMalformed(wasm(section(Id.Table, [1, I32, 0x00, 0])), 'malformed reference type', 11);
  });
});

describe('global section and constant expressions', () => {
  const global = (type: number, mutable: number, expr: number[]) => [type, mutable, ...expr];

  it('decodes every constant instruction, keeping float bits exactly', () => {
    const v128Bytes = Array.from({ length: 16 }, (_, i) => i + 1);
    const module = decodeModule(wasm(section(Id.Global, vec([
      global(I32, 0, i32Const(-2147483648)),
      global(I64, 1, [0x42, ...sleb(-9223372036854775808n), END]),
      global(I64, 0, [0x42, ...sleb(0x123456789abcdefn), END]),
      // f32 NaN with payload 1, and f64 NaN with payload 1: must survive as bits.
      global(F32, 0, [0x43, 0x01, 0x00, 0xc0, 0x7f, END]),
      global(F64, 0, [0x44, 0x01, 0, 0, 0, 0, 0, 0xf8, 0xff, END]),
      global(FUNCREF, 0, refNull(FUNCREF)),
      global(EXTERNREF, 0, refNull(EXTERNREF)),
      global(FUNCREF, 0, refFunc(300)),
      global(I32, 0, [0x23, ...u32(7), END]),
      global(V128, 0, [0xfd, 12, ...v128Bytes, END]),
    ]))));
    expect(module.globals.map((g) => g.type)).toEqual([
      { valueType: I32, mutable: false },
      { valueType: I64, mutable: true },
      { valueType: I64, mutable: false },
      { valueType: F32, mutable: false },
      { valueType: F64, mutable: false },
      { valueType: FUNCREF, mutable: false },
      { valueType: EXTERNREF, mutable: false },
      { valueType: FUNCREF, mutable: false },
      { valueType: I32, mutable: false },
      { valueType: V128, mutable: false },
    ]);
    const exprs = module.globals.map((g) => g.init.expr);
    expect(exprs.slice(0, 9)).toEqual([
      { op: 'i32.const', value: -2147483648 },
      { op: 'i64.const', value: -9223372036854775808n },
      { op: 'i64.const', value: 0x123456789abcdefn },
      { op: 'f32.const', bits: 0x7fc00001 },
      { op: 'f64.const', bits: 0xfff8000000000001n },
      { op: 'ref.null', type: FUNCREF },
      { op: 'ref.null', type: EXTERNREF },
      { op: 'ref.func', funcIndex: 300 },
      { op: 'global.get', globalIndex: 7 },
    ]);
    const v128 = exprs[9]!;
    expect(v128.op).toBe('v128.const');
    expect(v128.op === 'v128.const' && [...v128.bytes]).toEqual(v128Bytes);
    // The first expression starts after: header, id, size, count, valtype, mutability.
    expect(module.globals[0]!.init.offset).toBe(13);
  });

  it('rejects a mutability flag other than 0 and 1', () => {
    expectMalformed(wasm(section(Id.Global, [1, I32, 0x02, ...i32Const(0)])), 'malformed mutability', 12);
  });

  it('rejects an empty constant expression', () => {
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, END])), 'type mismatch: empty constant expression', 13);
  });

  it('rejects a constant expression with two values', () => {
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, 0x41, 0, 0x41, 0, END])), 'type mismatch', 15);
  });

  it('decodes extended constant expressions as a tree', () => {
    const module = decodeModule(wasm(section(Id.Global, [1, I32, 0, 0x41, 2, 0x41, 3, 0x6c, 0x41, 1, 0x6b, END])));
    expect(module.globals[0]!.init.expr).toEqual({
      op: 'i32.sub',
      left: { op: 'i32.mul', left: { op: 'i32.const', value: 2 }, right: { op: 'i32.const', value: 3 } },
      right: { op: 'i32.const', value: 1 },
    });
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, 0x41, 0, 0x6a, END])), 'lacks operands', 15);
  });

  it('rejects non-constant and unknown opcodes', () => {
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, 0x41, 0, 0x41, 0, 0x6a, END])), 'illegal opcode 0x6a', 17, WASM_2_0_FEATURES);
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, 0x41, 0, 0x41, 0, 0x6a, END])), 'extended constant expressions feature is disabled', 17, WASM_2_0_FEATURES);
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, 0x01, END])), 'constant expression required', 13);
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, 0x41, 0, 0x1a, END])), 'illegal opcode 0x1a', 15);
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, 0xf3, 0, END])), 'illegal opcode 0xf3', 13);
    expectMalformed(wasm(section(Id.Global, [1, V128, 0, 0xfd, 13, END])), 'illegal opcode 0xfd', 13);
  });

  it('rejects a constant expression without end', () => {
    expectMalformed(wasm(section(Id.Global, [1, I32, 0, 0x41, 0])), 'unexpected end', 15);
  });

  it('rejects ref.null of a non-reference type', () => {
    expectMalformed(wasm(section(Id.Global, [1, FUNCREF, 0, 0xd0, I32, END])), 'malformed reference type', 14);
  });

  it('rejects a truncated float constant', () => {
    expectMalformed(wasm(section(Id.Global, [1, F64, 0, 0x44, 0, 0, 0, 0, END])), 'unexpected end', 18);
  });
});

describe('export and start sections', () => {
  it('decodes every export kind and the start function', () => {
    const module = decodeModule(wasm(
      voidType,
      section(Id.Function, vec([[0]])),
      section(Id.Export, vec([
        [...name('f'), 0, 0],
        [...name('t'), 1, 2],
        [...name('m'), 2, 0],
        [...name('g'), 3, ...u32(200)],
      ])),
      section(Id.Start, [0]),
      section(Id.Code, vec([body()])),
    ));
    expect(module.exports).toEqual([
      { name: 'f', kind: 'func', index: 0 },
      { name: 't', kind: 'table', index: 2 },
      { name: 'm', kind: 'memory', index: 0 },
      { name: 'g', kind: 'global', index: 200 },
    ]);
    expect(module.start).toBe(0);
  });

  it('rejects an unknown export kind', () => {
    expectMalformed(wasm(section(Id.Export, [1, ...name('x'), 5, 0])), 'malformed export kind 0x05', 13);
  });
});

describe('element section', () => {
  it('decodes all eight segment forms', () => {
    const module = decodeModule(wasm(section(Id.Element, vec([
      [0x00, ...i32Const(1), ...vec([[0], [1]])],
      [0x01, 0x00, ...vec([[2]])],
      [0x02, 1, ...i32Const(0), 0x00, ...vec([[0]])],
      [0x03, 0x00, ...vec([[1]])],
      [0x04, ...i32Const(2), ...vec([refFunc(0), refNull(FUNCREF)])],
      [0x05, EXTERNREF, ...vec([refNull(EXTERNREF)])],
      [0x06, 1, ...i32Const(3), FUNCREF, ...vec([refFunc(1)])],
      [0x07, FUNCREF, ...vec([refFunc(0)])],
    ]))));
    const summary = module.elems.map((e) => ({
      type: e.type,
      mode: e.mode.kind === 'active' ? { table: e.mode.tableIndex, offset: e.mode.offset.expr } : e.mode.kind,
      init: e.init.map((i) => i.expr),
    }));
    const offset = (value: number) => ({ op: 'i32.const', value });
    const fn = (funcIndex: number) => ({ op: 'ref.func', funcIndex });
    expect(summary).toEqual([
      { type: FUNCREF, mode: { table: 0, offset: offset(1) }, init: [fn(0), fn(1)] },
      { type: FUNCREF, mode: 'passive', init: [fn(2)] },
      { type: FUNCREF, mode: { table: 1, offset: offset(0) }, init: [fn(0)] },
      { type: FUNCREF, mode: 'declarative', init: [fn(1)] },
      { type: FUNCREF, mode: { table: 0, offset: offset(2) }, init: [fn(0), { op: 'ref.null', type: FUNCREF }] },
      { type: EXTERNREF, mode: 'passive', init: [{ op: 'ref.null', type: EXTERNREF }] },
      { type: FUNCREF, mode: { table: 1, offset: offset(3) }, init: [fn(1)] },
      { type: FUNCREF, mode: 'declarative', init: [fn(0)] },
    ]);
    // Function-index items point at their index: flags, i32.const 1 end, count, then items.
    expect(module.elems[0]!.init.map((i) => i.offset)).toEqual([16, 17]);
  });

  it('rejects segment flags above 7', () => {
    expectMalformed(wasm(section(Id.Element, [1, 0x08, 0x00, 0])), 'malformed elements segment kind 8', 11);
  });

  it('rejects an element kind other than 0x00', () => {
    expectMalformed(wasm(section(Id.Element, [1, 0x01, 0x01, 0])), 'malformed element kind 0x01', 12);
  });

  it('rejects a reference type that is not one', () => {
    expectMalformed(wasm(section(Id.Element, [1, 0x05, I32, 1, ...refFunc(0)])), 'malformed reference type', 12);
  });

  it('rejects an illegal opcode in an element expression', () => {
    expectMalformed(wasm(section(Id.Element, [1, 0x05, FUNCREF, 1, 0xf3, 0, END])), 'illegal opcode 0xf3', 14);
  });
});

describe('function and code sections', () => {
  it('decodes local declarations and the instruction range', () => {
    const localsAndCode = [...vec([[2, I32], [0, I64], [1, V128]]), 0x41, 7, 0x1a, END];
    const bytes = wasm(
      voidType,
      section(Id.Function, vec([[0], [0]])),
      section(Id.Code, vec([[...u32(localsAndCode.length), ...localsAndCode], body(0x01)])),
    );
    const module = decodeModule(bytes);
    expect(module.funcTypeIndices).toEqual([0, 0]);
    const [first, second] = module.codes;
    expect(first!.locals).toEqual([
      { count: 2, type: I32 },
      { count: 0, type: I64 },
      { count: 1, type: V128 },
    ]);
    expect(first!.localCount).toBe(3);
    expect([...bytes.subarray(first!.codeStart, first!.codeEnd)]).toEqual([0x41, 7, 0x1a, END]);
    expect(second!.localCount).toBe(0);
    expect([...bytes.subarray(second!.codeStart, second!.codeEnd)]).toEqual([0x01, END]);
    expect(second!.codeEnd).toBe(bytes.length);
  });

  it('leaves the instructions, even a missing end, to the validator', () => {
    const bytes = wasm(voidType, section(Id.Function, vec([[0]])), section(Id.Code, vec([[2, 0, 0x01]])));
    const [code] = decodeModule(bytes).codes;
    expect([...bytes.subarray(code!.codeStart, code!.codeEnd)]).toEqual([0x01]);
  });

  it('requires as many bodies as functions', () => {
    const funcs = section(Id.Function, vec([[0], [0]]));
    expectMalformed(wasm(voidType, funcs), 'function and code section have inconsistent lengths', 14);
    expectMalformed(wasm(voidType, funcs, section(Id.Code, vec([body()]))),
      'function and code section have inconsistent lengths (2 functions, 1 bodies)', 21);
    expectMalformed(wasm(section(Id.Code, vec([body()]))), 'function and code section have inconsistent lengths', 10);
    expect(decodeModule(wasm(section(Id.Function, [0]))).codes).toEqual([]);
    expect(decodeModule(wasm(section(Id.Code, [0]))).funcTypeIndices).toEqual([]);
  });

  it('rejects a body larger than the section', () => {
    const code = section(Id.Code, [1, 5, 0, END]);
    expectMalformed(wasm(voidType, section(Id.Function, [1, 0]), code), 'function body size exceeds the section', 21);
  });

  it('rejects a body whose local declarations run past it', () => {
    const code = section(Id.Code, [1, 2, 1, 5]);
    expectMalformed(wasm(voidType, section(Id.Function, [1, 0]), code), 'unexpected end', 24);
  });

  it('rejects an unknown local type', () => {
    const code = section(Id.Code, [1, 4, 1, 1, 0x40, END]);
    expectMalformed(wasm(voidType, section(Id.Function, [1, 0]), code), 'malformed value type', 24);
  });

  it(`caps the declared locals at ${MAX_FUNCTION_LOCALS}, and so below 2^32 - 1`, () => {
    const withLocals = (runs: number[][]) => {
      const content = [...vec(runs), END];
      return wasm(voidType, section(Id.Function, [1, 0]), section(Id.Code, [1, ...u32(content.length), ...content]));
    };
    // Offsets: the code section content starts at 20 (count), body size at 21, run count at 22, runs from 23.
    const atLimit = decodeModule(withLocals([[...u32(MAX_FUNCTION_LOCALS - 1), I32], [1, F64]]));
    expect(atLimit.codes[0]!.localCount).toBe(MAX_FUNCTION_LOCALS);
    expectMalformed(withLocals([[...u32(MAX_FUNCTION_LOCALS), I32], [1, F64]]), 'too many locals', 27);
    expectMalformed(withLocals([[...u32(0xffffffff), I32], [2, I64]]), 'too many locals', 23);
    expectMalformed(withLocals([[...u32(0x40000000), I32], [...u32(0x40000000), I64]]), 'too many locals', 23);
  });
});

describe('data count and data sections', () => {
  const memory = section(Id.Memory, vec([[0, 1]]));

  it('decodes the three segment forms as views into the module', () => {
    const bytes = wasm(
      memory,
      section(Id.DataCount, [3]),
      section(Id.Data, vec([
        [0x00, ...i32Const(8), ...vec([[1], [2], [3]])],
        [0x01, ...vec([[4]])],
        [0x02, 1, ...i32Const(16), 0],
      ])),
    );
    const module = decodeModule(bytes);
    expect(module.dataCount).toBe(3);
    expect(module.datas.map((d) => ({
      mode: d.mode.kind === 'active' ? { memory: d.mode.memoryIndex, offset: d.mode.offset.expr } : d.mode.kind,
      bytes: [...d.bytes],
    }))).toEqual([
      { mode: { memory: 0, offset: { op: 'i32.const', value: 8 } }, bytes: [1, 2, 3] },
      { mode: 'passive', bytes: [4] },
      { mode: { memory: 1, offset: { op: 'i32.const', value: 16 } }, bytes: [] },
    ]);
    expect(module.datas[0]!.bytes.buffer).toBe(bytes.buffer);
  });

  it('accepts a data section without a data count section', () => {
    expect(decodeModule(wasm(memory, section(Id.Data, vec([[0x01, 0]])))).dataCount).toBeUndefined();
  });

  it('requires the data count to match the data section', () => {
    expectMalformed(wasm(section(Id.DataCount, [3]), section(Id.Data, vec([[1, 0], [1, 0]]))),
      'data count and data section have inconsistent lengths (data count 3, 2 segments)', 13);
    expectMalformed(wasm(memory, section(Id.DataCount, [1])), 'data count and data section have inconsistent lengths', 13);
    expect(decodeModule(wasm(section(Id.DataCount, [0]))).datas).toEqual([]);
  });

  it('rejects unknown segment flags', () => {
    expectMalformed(wasm(section(Id.Data, [1, 0x03, 0])), 'malformed data segment kind 3', 11);
  });

  it('rejects a segment longer than the section', () => {
    expectMalformed(wasm(section(Id.Data, [1, 0x01, 7, 1, 2])), 'data segment longer than the section', 12);
  });
});

describe('name section', () => {
  const nameSection = (...subsections: number[][]) => section(Id.Custom, [...name('name'), ...subsections.flat()]);
  const subsection = (id: number, content: number[]) => [id, ...u32(content.length), ...content];
  const functionNames = (entries: [number, string][]) =>
    subsection(1, vec(entries.map(([index, text]) => [...u32(index), ...name(text)])));

  it('decodes function names and skips the other subsections', () => {
    const module = decodeModule(wasm(nameSection(
      subsection(0, name('mod')),
      functionNames([[0, 'main'], [2, 'hélper'], [1000, '']]),
      subsection(2, vec([[0, ...vec([[0, ...name('x')]])]])),
      subsection(7, [1, 2, 3]),
    )));
    expect([...module.funcNames]).toEqual([[0, 'main'], [2, 'hélper'], [1000, '']]);
    expect(module.customSections.map((s) => s.name)).toEqual(['name']);
  });

  it('ignores a malformed name section without failing the module', () => {
    const malformed = [
      nameSection([1, 10, 1, 0]), // subsection size past the end
      nameSection(subsection(1, [1, 0, 2, 0xc0, 0x80])), // malformed UTF-8
      nameSection(subsection(1, [1, 0, 1, 0x61, 0x00])), // size mismatch
      nameSection(functionNames([[0, 'a']]), functionNames([[1, 'b']])), // duplicate subsection
      nameSection(subsection(2, [0]), functionNames([[0, 'a']])), // out of order
      nameSection(subsection(1, [0xff, 0xff, 0xff, 0xff, 0x0f])), // absurd count
    ];
    for (const names of malformed) {
      const module = decodeModule(wasm(names, section(Id.Custom, [...name('other')])));
      expect(module.funcNames.size).toBe(0);
      expect(module.customSections.map((s) => s.name)).toEqual(['name', 'other']);
    }
  });

  it('uses the first name section', () => {
    const module = decodeModule(wasm(nameSection(functionNames([[0, 'first']])), nameSection(functionNames([[0, 'second']]))));
    expect(module.funcNames.get(0)).toBe('first');
  });
});

describe('performance', () => {
  it('decodes a 10 MB module quickly', () => {
    const functionCount = 80_000;
    const oneBody = body(...new Array<number>(96).fill(0x01));
    const dataLength = 2_000_000;
    const codeContent = u32(functionCount).length + functionCount * oneBody.length;
    const dataContent = [1, 0x01, ...u32(dataLength)];
    const head = [
      ...HEADER,
      ...voidType,
      Id.Function, ...u32(u32(functionCount).length + functionCount), ...u32(functionCount),
    ];
    // Assembled with typed-array fills: spreading 10 MB through JS arrays would dominate the test.
    const bytes = new Uint8Array(head.length + functionCount + 1 + 5 + codeContent + 1 + 5 + dataContent.length + dataLength);
    let at = 0;
    const put = (part: ArrayLike<number>) => {
      bytes.set(part, at);
      at += part.length;
    };
    put(head);
    at += functionCount; // type index 0 for every function
    put([Id.Code, ...u32(codeContent)]);
    put(u32(functionCount));
    for (let i = 0; i < functionCount; i++) put(oneBody);
    put([Id.Data, ...u32(dataContent.length + dataLength), ...dataContent]);
    bytes.fill(7, at);
    const used = at + dataLength;

    const start = performance.now();
    const module = decodeModule(bytes.subarray(0, used));
    const elapsed = performance.now() - start;
    expect(used).toBeGreaterThan(10_000_000);
    expect(module.codes).toHaveLength(functionCount);
    expect(module.datas[0]!.bytes).toHaveLength(dataLength);
    // Generous: a linear decoder takes a few tens of milliseconds; this only catches quadratic work.
    expect(elapsed).toBeLessThan(2000);
  });
});
