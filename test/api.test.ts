/**
 * The public API of api.md: Engine, Module, Store, Func, Memory, Table,
 * Global, Instance — shapes, conversions, identity and misuse errors.
 */
import { describe, expect, it } from 'vitest';
import {
  CompileError, Engine, Func, Global, Linker, Memory, Module, RuntimeError, Store, Table,
} from '../src/index.js';
import { wat } from './helpers/wat.js';

/** A module with one custom section `meta` holding `payload`, appended to `bytes`. */
function withCustomSection(bytes: Uint8Array, payload: string): Uint8Array {
  const name = Buffer.from('meta');
  const body = Buffer.concat([Buffer.from([name.length]), name, Buffer.from(payload)]);
  return Uint8Array.from(Buffer.concat([bytes, Buffer.from([0, body.length]), body]));
}

describe('Engine', () => {
  it('resolves its configuration', () => {
    const engine = new Engine({ consumeFuel: true, fuelCosts: { call: 5 } });
    expect(engine.config.consumeFuel).toBe(true);
    expect(engine.config.fuelCosts.call).toBe(5);
    expect(engine.config.fuelCosts.base).toBe(1);
    expect(engine.config.maxCallDepth).toBe(10_000);
    expect(new Engine().config.consumeFuel).toBe(false);
  });

  it('rejects bad configuration', () => {
    expect(() => new Engine({ maxCallDepth: 0 })).toThrow(RangeError);
    expect(() => new Engine({ fuelCosts: { bytesPerFuel: 0 } })).toThrow(RangeError);
    expect(() => new Engine({ fuelCosts: { base: 2 ** 30 + 1 } })).toThrow(/at most 1073741824/);
    expect(() => new Engine({ fuelCosts: { fuelPerPage: 2 ** 31 } })).toThrow(RangeError);
  });

  it('has SIMD on by default; features.simd false rejects it with an error naming the feature', () => {
    const bytes = wat('(module (func (export "f") (result i32) (i32x4.extract_lane 1 (v128.const i32x4 1 2 3 4))))');
    expect(new Engine().config.features.simd).toBe(true);
    const engine = new Engine();
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, new Module(engine, bytes));
    expect(instance.getFunc(store, 'f')!.call(store, [])).toEqual([2]);
    const noSimd = new Engine({ features: { simd: false } });
    expect(() => new Module(noSimd, bytes)).toThrow(/features\.simd/);
    expect(() => new Module(noSimd, wat('(module (global v128 (v128.const i64x2 0 0)))'))).toThrow(/features\.simd/);
    expect(() => new Module(noSimd, wat('(module (func (local v128)))'))).toThrow(/features\.simd/);
  });

  it('is required by Module, Store and Linker: anything else is a TypeError saying so', () => {
    const bytes = wat('(module)');
    expect(() => new Module(null as unknown as Engine, bytes)).toThrow(new TypeError('a Module needs an Engine, got null'));
    expect(() => Module.validate({} as Engine, bytes)).toThrow(new TypeError('a Module needs an Engine, got object'));
    expect(() => new Store(undefined as unknown as Engine)).toThrow(new TypeError('a Store needs an Engine, got undefined'));
    expect(() => new Linker('engine' as unknown as Engine)).toThrow(new TypeError('a Linker needs an Engine, got string'));
  });
});

describe('Module', () => {
  const engine = new Engine();
  const bytes = wat(`(module
    (import "env" "f" (func (param i32) (result i64)))
    (import "env" "t" (table 1 2 externref))
    (import "env" "m" (memory 1))
    (import "env" "g" (global (mut f32)))
    (func (export "run") (param f64))
    (table (export "tab") 3 funcref)
    (export "mem" (memory 0))
    (global (export "glob") i64 (i64.const 0)))`);

  it('describes imports and exports', () => {
    const module = new Module(engine, bytes);
    expect(module.imports()).toEqual([
      { module: 'env', name: 'f', kind: 'func', type: { params: ['i32'], results: ['i64'] } },
      { module: 'env', name: 't', kind: 'table', type: { element: 'externref', min: 1, max: 2 } },
      { module: 'env', name: 'm', kind: 'memory', type: { min: 1 } },
      { module: 'env', name: 'g', kind: 'global', type: { value: 'f32', mutable: true } },
    ]);
    expect(module.exports()).toEqual([
      { name: 'run', kind: 'func', type: { params: ['f64'], results: [] } },
      { name: 'tab', kind: 'table', type: { element: 'funcref', min: 3 } },
      { name: 'mem', kind: 'memory', type: { min: 1 } },
      { name: 'glob', kind: 'global', type: { value: 'i64', mutable: false } },
    ]);
    expect(module.engine).toBe(engine);
  });

  it('accepts an ArrayBuffer and copies its input', () => {
    const copy = bytes.slice();
    const module = new Module(engine, copy.buffer);
    copy.fill(0);
    expect(module.exports()).toHaveLength(4);
  });

  it('returns custom sections by name', () => {
    const module = new Module(engine, withCustomSection(wat('(module)'), 'hello'));
    expect(module.customSections('meta').map((s) => Buffer.from(s).toString())).toEqual(['hello']);
    expect(module.customSections('other')).toEqual([]);
  });

  it('reports bad modules as CompileError', () => {
    expect(() => new Module(engine, new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]))).toThrow(CompileError);
    expect(() => new Module(engine, wat('(module (func (result i32) i64.const 0))'))).toThrow(CompileError);
    expect(Module.validate(engine, bytes)).toBe(true);
    expect(Module.validate(engine, new Uint8Array([1, 2, 3]))).toBe(false);
    expect(() => new Module(engine, 42 as never)).toThrow(TypeError);
  });
});

describe('Func', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
    (func (export "mix") (param i32 i64 f32 f64 externref) (result f64 externref)
      (f64.add (f64.convert_i32_s (local.get 0))
        (f64.add (f64.convert_i64_s (local.get 1)) (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))
      (local.get 4))
    (func (export "f32") (param f32) (result f32) (local.get 0)))`)));
  const mix = instance.getFunc(store, 'mix')!;

  it('has a type and converts values', () => {
    expect(mix.type()).toEqual({ params: ['i32', 'i64', 'f32', 'f64', 'externref'], results: ['f64', 'externref'] });
    const token = {};
    const [sum, ref] = mix.call(store, [1, 2n, 0.5, 0.25, token]);
    expect(sum).toBe(3.75);
    expect(ref).toBe(token);
  });

  it('rejects the wrong number or types of arguments with a TypeError', () => {
    expect(() => mix.call(store, [1])).toThrow(new TypeError('expected 5 arguments, got 1'));
    expect(() => mix.call(store, [1, 2, 0.5, 0.25, null])).toThrow(/argument 1: expected i64, got 2/);
    expect(() => mix.call(store, ['1', 2n, 0.5, 0.25, null])).toThrow(/argument 0: expected i32, got string/);
    expect(() => mix.call(new Store(engine), [1, 2n, 0.5, 0.25, null])).toThrow(/different store/);
    expect(() => mix.call({} as never, [])).toThrow(/expected a Store/);
  });

  it('callRaw moves exact float bits', () => {
    const f32 = instance.getFunc(store, 'f32')!;
    expect(f32.callRaw(store, [0x7f800123])).toEqual([0x7f800123]);
    expect(f32.call(store, [1.5])).toEqual([1.5]);
    expect(() => f32.callRaw(store, [1n])).toThrow(/f32 bits/);
  });

  it('wraps host functions, callable directly', () => {
    const add = Func.wrap(store, { params: ['i64', 'i64'], results: ['i64'] }, (_caller, a: bigint, b: bigint) => a + b);
    expect(add.type()).toEqual({ params: ['i64', 'i64'], results: ['i64'] });
    expect(add.call(store, [2n ** 63n - 1n, 1n])).toEqual([-(2n ** 63n)]);
    const throwing = Func.wrap(store, { params: [], results: [] }, () => {
      throw new Error('no');
    });
    expect(() => throwing.call(store, [])).toThrow(RuntimeError);
    expect(() => Func.wrap(store, { params: ['i33'], results: [] } as never, () => {})).toThrow(/unknown value type/);
  });
});

describe('Memory', () => {
  const store = new Store(new Engine());

  it('creates, grows and exposes its buffer', () => {
    const memory = new Memory(store, { min: 1, max: 3 });
    expect(memory.type()).toEqual({ min: 1, max: 3 });
    expect(memory.size()).toBe(1);
    memory.data()[5] = 9;
    const old = memory.buffer();
    expect(memory.grow(2)).toBe(1);
    expect(memory.buffer()).not.toBe(old);
    expect(memory.buffer().byteLength).toBe(3 * 65536);
    expect(memory.data()[5]).toBe(9);
    expect(() => memory.grow(1)).toThrow(RangeError);
    expect(memory.size()).toBe(3);
  });

  it('validates its type and the store limits', () => {
    expect(() => new Memory(store, { min: 2, max: 1 })).toThrow(TypeError);
    expect(() => new Memory(store, { min: 70000 })).toThrow(TypeError);
    const limited = new Store(new Engine());
    limited.setLimits({ maxMemoryBytes: 65536 });
    expect(() => new Memory(limited, { min: 2 })).toThrow(RangeError);
  });
});

describe('Table', () => {
  const store = new Store(new Engine());

  it('holds references', () => {
    const table = new Table(store, { element: 'externref', min: 2 }, 'init');
    expect(table.type()).toEqual({ element: 'externref', min: 2 });
    expect(table.get(1)).toBe('init');
    table.set(0, 5);
    expect(table.grow(2, 'new')).toBe(2);
    expect([0, 1, 2, 3].map((i) => table.get(i))).toEqual([5, 'init', 'new', 'new']);
    expect(() => table.get(4)).toThrow(RangeError);
  });

  it('funcref tables take only functions or null', () => {
    const table = new Table(store, { element: 'funcref', min: 1, max: 1 });
    expect(table.get(0)).toBe(null);
    expect(() => table.set(0, 'x')).toThrow(TypeError);
    const func = Func.wrap(store, { params: [], results: [] }, () => {});
    table.set(0, func);
    expect(table.get(0)).toBe(func);
    expect(() => table.grow(1)).toThrow(RangeError);
  });
});

describe('Global', () => {
  const store = new Store(new Engine());

  it('gets and sets values of every type', () => {
    const i64 = new Global(store, { value: 'i64', mutable: true }, 1n);
    i64.set(-2n);
    expect(i64.get()).toBe(-2n);
    expect(i64.getRaw()).toBe(-2n);
    const f64 = new Global(store, { value: 'f64', mutable: true }, 1.5);
    expect(f64.getRaw()).toBe(0x3ff8000000000000n);
    f64.setRaw(0x7ff0000000000001n);
    expect(f64.getRaw()).toBe(0x7ff0000000000001n);
    expect(f64.get()).toBeNaN();
    const f32 = new Global(store, { value: 'f32', mutable: false }, 0.1);
    expect(f32.get()).toBe(Math.fround(0.1));
    expect(f32.type()).toEqual({ value: 'f32', mutable: false });
  });

  it('refuses to set an immutable global or a value of the wrong type', () => {
    const constant = new Global(store, { value: 'i32', mutable: false }, 1);
    expect(() => constant.set(2)).toThrow(TypeError);
    expect(() => new Global(store, { value: 'i64', mutable: false }, 1)).toThrow(/expected i64/);
    expect(() => new Global(store, { value: 'funcref', mutable: false }, {})).toThrow(TypeError);
  });
});

describe('Instance', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
    (func $f (export "f") (export "alias"))
    (memory (export "memory") 1)
    (table (export "table") 1 funcref)
    (global (export "global") i32 (i32.const 3)))`)));

  it('exports stable objects of the right kind', () => {
    expect(instance.getFunc(store, 'f')).toBeInstanceOf(Func);
    expect(instance.getFunc(store, 'f')).toBe(instance.getFunc(store, 'alias'));
    expect(instance.getMemory(store, 'memory')).toBe(instance.getExport(store, 'memory'));
    expect(instance.getTable(store, 'table')).toBeInstanceOf(Table);
    expect(instance.getGlobal(store, 'global')!.get()).toBe(3);
    expect(instance.getFunc(store, 'memory')).toBeUndefined();
    expect(instance.getExport(store, 'missing')).toBeUndefined();
    expect(instance.exports(store).map((e) => e.name)).toEqual(['f', 'alias', 'memory', 'table', 'global']);
  });

  it('rejects another store', () => {
    expect(() => instance.getExport(new Store(engine), 'f')).toThrow(/different store/);
  });

  it('modules of another engine cannot be instantiated', () => {
    const other = new Engine();
    expect(() => new Linker(other).instantiate(new Store(other), new Module(engine, wat('(module)')))).toThrow(/different engines/);
  });
});
