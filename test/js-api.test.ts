/**
 * purewasm/js-api: the behaviour of every member of the WebAssembly namespace,
 * running on purewasm (the WebAssembly JavaScript Interface and the streaming
 * functions of the Web API).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabtInit from 'wabt';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeError as CoreRuntimeError } from '../src/index.js';
import { install, WebAssembly as W } from '../src/js-api/index.js';
import { wat } from './helpers/wat.js';

const nativeWebAssembly = globalThis.WebAssembly;
const wabt = await wabtInit();

// A module whose bytes no decoder accepts: version 2.
const BAD_VERSION = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]);
const EMPTY = wat('(module)');

type Exports = Record<string, any>;

function instantiate(source: string, imports?: object): Exports {
  return new W.Instance(new W.Module(wat(source)), imports as never).exports as Exports;
}

/** Runs `fn` and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('the module and install()', () => {
  afterEach(() => {
    Object.defineProperty(globalThis, 'WebAssembly', { value: nativeWebAssembly, writable: true, enumerable: false, configurable: true });
  });

  it('importing has no side effect on globalThis', () => {
    expect(globalThis.WebAssembly).toBe(nativeWebAssembly);
    expect(W).not.toBe(nativeWebAssembly);
  });

  it('install() leaves a native WebAssembly in place', () => {
    expect(install()).toBe(false);
    expect(globalThis.WebAssembly).toBe(nativeWebAssembly);
  });

  it('install({ force: true }) replaces it, with the native property attributes', () => {
    expect(install({ force: true })).toBe(true);
    expect(globalThis.WebAssembly).toBe(W);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly')).toEqual({ value: W, writable: true, enumerable: false, configurable: true });
  });

  it('install() puts it on globalThis when there is no WebAssembly', () => {
    delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
    expect(install()).toBe(true);
    expect(globalThis.WebAssembly).toBe(W);
    expect(install()).toBe(false);
  });

  it('uses no eval, no new Function and no node: imports', () => {
    const dir = join(import.meta.dirname, '../src/js-api');
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(|from\s+['"]node:|import\(\s*['"]node:/);
    }
  });
});

describe('validate', () => {
  it('says whether bytes are a valid module', () => {
    expect(W.validate(EMPTY)).toBe(true);
    expect(W.validate(BAD_VERSION)).toBe(false);
    expect(W.validate(wat('(module (func (result i32) i32.const 1))'))).toBe(true);
    expect(W.validate(new Uint8Array([0x00, 0x61, 0x73, 0x6d]))).toBe(false);
  });

  it('takes an ArrayBuffer, any typed array or a DataView, and honours the view window', () => {
    const padded = new Uint8Array(EMPTY.length + 4);
    padded.set(EMPTY, 2);
    expect(W.validate(EMPTY.slice().buffer)).toBe(true);
    expect(W.validate(new Uint8Array(padded.buffer, 2, EMPTY.length))).toBe(true);
    expect(W.validate(new DataView(padded.buffer, 2, EMPTY.length))).toBe(true);
    expect(W.validate(padded)).toBe(false);
  });

  it('takes a detached buffer as no bytes, and rejects other values with a TypeError', () => {
    const buffer = EMPTY.slice().buffer;
    structuredClone(buffer, { transfer: [buffer] });
    expect(W.validate(buffer)).toBe(false);
    for (const value of [undefined, null, 1, 'wasm', {}, [0, 97, 115, 109], new SharedArrayBuffer(8)]) {
      expect(() => W.validate(value as never)).toThrow(TypeError);
    }
  });
});

describe('Module', () => {
  const source = `(module
    (import "env" "f" (func (param i32)))
    (import "env" "t" (table 1 funcref))
    (import "env" "m" (memory 1))
    (import "env" "g" (global i64))
    (func (export "run"))
    (table (export "table") 2 externref)
    (export "memory" (memory 0))
    (global (export "global") (mut f32) (f32.const 1)))`;

  it('compiles bytes, and throws CompileError for bad ones', () => {
    const module = new W.Module(EMPTY);
    expect(module).toBeInstanceOf(W.Module);
    expect(Object.prototype.toString.call(module)).toBe('[object WebAssembly.Module]');
    const error = thrown(() => new W.Module(BAD_VERSION));
    expect(error).toBeInstanceOf(W.CompileError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/version/);
    expect(() => new W.Module(1 as never)).toThrow(TypeError);
    expect(() => (W.Module as unknown as (b: unknown) => unknown)(EMPTY)).toThrow(TypeError);
  });

  it('copies the bytes when constructed', () => {
    const bytes = wat('(module (func (export "f") (result i32) i32.const 7))');
    const module = new W.Module(bytes);
    bytes.fill(0);
    expect((new W.Instance(module).exports as Exports).f()).toBe(7);
  });

  it('lists exports and imports with their kinds, in order', () => {
    const module = new W.Module(wat(source));
    expect(W.Module.exports(module)).toEqual([
      { name: 'run', kind: 'function' },
      { name: 'table', kind: 'table' },
      { name: 'memory', kind: 'memory' },
      { name: 'global', kind: 'global' },
    ]);
    expect(W.Module.imports(module)).toEqual([
      { module: 'env', name: 'f', kind: 'function' },
      { module: 'env', name: 't', kind: 'table' },
      { module: 'env', name: 'm', kind: 'memory' },
      { module: 'env', name: 'g', kind: 'global' },
    ]);
    expect(W.Module.exports(new W.Module(EMPTY))).toEqual([]);
  });

  it('returns copies of custom sections by name, in order', () => {
    // Two sections "hi" (contents 1 2 and 3) and one "other", hand-encoded.
    const bytes = new Uint8Array([
      ...EMPTY,
      0, 5, 2, 0x68, 0x69, 1, 2,
      0, 6, 5, 0x6f, 0x74, 0x68, 0x65, 0x72,
      0, 4, 2, 0x68, 0x69, 3,
    ]);
    const module = new W.Module(bytes);
    const sections = W.Module.customSections(module, 'hi');
    expect(sections.map((section) => [...new Uint8Array(section)])).toEqual([[1, 2], [3]]);
    expect(sections[0]).toBeInstanceOf(ArrayBuffer);
    new Uint8Array(sections[0]!)[0] = 99;
    expect(new Uint8Array(W.Module.customSections(module, 'hi')[0]!)[0]).toBe(1);
    expect(W.Module.customSections(module, 'other')).toHaveLength(1);
    expect(W.Module.customSections(module, 'none')).toEqual([]);
    const named = wabt.parseWat('named.wat', '(module (func $named))');
    const withNames = new W.Module(new Uint8Array(named.toBinary({ write_debug_names: true }).buffer));
    named.destroy();
    expect(W.Module.customSections(withNames, 'name')).toHaveLength(1);
  });

  it('checks the arguments of the static methods', () => {
    const module = new W.Module(EMPTY);
    for (const method of ['exports', 'imports', 'customSections'] as const) {
      expect(() => (W.Module[method] as (m: unknown, n?: string) => unknown)({}, 'x')).toThrow(TypeError);
    }
    expect(() => (W.Module.customSections as (m: unknown) => unknown)(module)).toThrow(TypeError);
    expect(() => W.Module.customSections(module, Symbol() as never)).toThrow(TypeError);
    expect(W.Module.customSections(module, undefined as never)).toEqual([]);
  });
});

describe('Instance', () => {
  it('has a frozen exports object with a null prototype, in export order, on a prototype getter', () => {
    const instance = new W.Instance(new W.Module(wat(`(module
      (func (export "b")) (memory (export "a") 1) (global (export "c") i32 (i32.const 3)))`)));
    const exports = instance.exports as Exports;
    expect(Object.getPrototypeOf(exports)).toBeNull();
    expect(Object.isFrozen(exports)).toBe(true);
    expect(Object.keys(exports)).toEqual(['b', 'a', 'c']);
    expect(instance.exports).toBe(exports);
    expect(Object.getOwnPropertyNames(instance)).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(W.Instance.prototype, 'exports')!.get).toBeTypeOf('function');
    expect(exports.a).toBeInstanceOf(W.Memory);
    expect(exports.c).toBeInstanceOf(W.Global);
    expect(exports.c.value).toBe(3);
  });

  it('runs the start function', () => {
    const calls: number[] = [];
    instantiate('(module (import "env" "f" (func $f (param i32))) (func $s (call $f (i32.const 5))) (start $s))', {
      env: { f: (x: number) => calls.push(x) },
    });
    expect(calls).toEqual([5]);
  });

  it('throws RuntimeError when the start function traps', () => {
    const error = thrown(() => instantiate('(module (func $s unreachable) (start $s))'));
    expect(error).toBeInstanceOf(W.RuntimeError);
    expect((error as Error).message).toMatch(/unreachable/);
    expect((error as Error).cause).toBeInstanceOf(CoreRuntimeError);
  });

  it('needs an imports object when the module has imports', () => {
    const module = new W.Module(wat('(module (import "env" "f" (func)))'));
    expect(() => new W.Instance(module)).toThrow(TypeError);
    expect(() => new W.Instance(module, {})).toThrow(TypeError);
    expect(() => new W.Instance(module, { env: 1 } as never)).toThrow(/env\.f/);
    expect(() => new W.Instance(module, 5 as never)).toThrow(TypeError);
    expect(() => new W.Instance(new W.Module(EMPTY), null as never)).toThrow(TypeError);
    expect(new W.Instance(new W.Module(EMPTY), undefined).exports).toEqual({});
    expect(() => new W.Instance({} as never)).toThrow(TypeError);
  });

  it('reads each import with a Get on the imports object, in order', () => {
    const order: string[] = [];
    const module = new W.Module(wat(`(module
      (import "a" "x" (global i32)) (import "b" "y" (global i32)) (import "a" "z" (global i32)))`));
    const namespace = (name: string, items: string[]) => {
      const object = {};
      for (const item of items) {
        Object.defineProperty(object, item, { get: () => (order.push(`${name}.${item}`), 1) });
      }
      return object;
    };
    new W.Instance(module, {
      get a() { order.push('a'); return namespace('a', ['x', 'z']); },
      get b() { order.push('b'); return namespace('b', ['y']); },
    });
    expect(order).toEqual(['a', 'a.x', 'b', 'b.y', 'a', 'a.z']);
  });

  it('throws LinkError naming the import when an import does not fit', () => {
    const cases: [string, unknown][] = [
      ['(import "env" "f" (func))', { f: 1 }],
      ['(import "env" "f" (func))', { f: {} }],
      ['(import "env" "f" (func (param i32)))', { f: instantiate('(module (func (export "g")))').g }],
      ['(import "env" "m" (memory 1))', { m: {} }],
      ['(import "env" "m" (memory 2))', { m: new W.Memory({ initial: 1 }) }],
      ['(import "env" "t" (table 1 funcref))', { t: new W.Memory({ initial: 1 }) }],
      ['(import "env" "t" (table 1 funcref))', { t: new W.Table({ element: 'externref', initial: 1 }) }],
      ['(import "env" "g" (global i32))', { g: 1n }],
      ['(import "env" "g" (global i64))', { g: 1 }],
      ['(import "env" "g" (global i32))', { g: '1' }],
      ['(import "env" "g" (global (mut i32)))', { g: 1 }],
      ['(import "env" "g" (global (mut i32)))', { g: new W.Global({ value: 'i32' }, 1) }],
      ['(import "env" "g" (global i32))', { g: new W.Global({ value: 'i32', mutable: true }, 1) }],
      ['(import "env" "g" (global f64))', { g: new W.Global({ value: 'f32' }, 1) }],
      ['(import "env" "g" (global funcref))', { g: () => 1 }],
    ];
    for (const [imports, env] of cases) {
      const error = thrown(() => instantiate(`(module ${imports})`, { env }));
      expect(error, imports).toBeInstanceOf(W.LinkError);
      expect((error as Error).message, imports).toMatch(/env\.[fmtg]/);
    }
  });

  it('takes plain values for immutable global imports', () => {
    const exports = instantiate(`(module
      (import "env" "a" (global $a i32)) (import "env" "b" (global $b i64))
      (import "env" "c" (global $c f32)) (import "env" "d" (global $d externref))
      (func (export "get") (result i32 i64 f32 externref) global.get $a global.get $b global.get $c global.get $d))`, {
      env: { a: 2 ** 32 + 7, b: 2n ** 64n + 9n, c: 0.1, d: 'ref' },
    });
    expect(exports.get()).toEqual([7, 9n, Math.fround(0.1), 'ref']);
  });

  it('throws RuntimeError when a segment does not fit (a trap during instantiation), keeping earlier writes', () => {
    expect(thrown(() => instantiate('(module (memory 1) (data (i32.const 65535) "ab"))'))).toBeInstanceOf(W.RuntimeError);
    expect(thrown(() => instantiate('(module (table 1 funcref) (func $f) (elem (i32.const 1) $f))'))).toBeInstanceOf(W.RuntimeError);
    const memory = new W.Memory({ initial: 1 });
    const source = '(module (import "env" "memory" (memory 1)) (data (i32.const 0) "a") (data (i32.const 65536) "b"))';
    expect(thrown(() => instantiate(source, { env: { memory } }))).toBeInstanceOf(W.RuntimeError);
    expect(new Uint8Array(memory.buffer)[0]).toBe(0x61);
  });
});

describe('Exported Functions', () => {
  const identity = (x: number) => x;
  const exports = instantiate(`(module
    (import "env" "id" (func $id (param i32) (result i32)))
    (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
    (func (export "f32") (param f32) (result f32) local.get 0)
    (func (export "f64") (param f64) (result f64) local.get 0)
    (func (export "swap") (param i32 f64) (result f64 i32) local.get 1 local.get 0)
    (func (export "none"))
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func $rec (export "rec") (call $rec))
    (func (export "ext") (param externref) (result externref) local.get 0)
    (func (export "isNull") (param externref) (result i32) (ref.is_null (local.get 0)))
    (func (export "fn") (param funcref) (result funcref) local.get 0)
    (func (export "add_ref") (result funcref) (ref.func $add))
    (export "id" (func $id))
    (table (export "table") 2 funcref)
    (elem (i32.const 0) $add $id))`, { env: { id: identity } });

  it('have the function index as name and the parameter count as length', () => {
    expect(exports.add.name).toBe('1');
    expect(exports.add.length).toBe(2);
    expect(exports.none.name).toBe('6');
    expect(exports.none.length).toBe(0);
    expect(exports.id.name).toBe('0');
    expect(Object.getOwnPropertyDescriptor(exports.add, 'name')).toEqual({ value: '1', writable: false, enumerable: false, configurable: true });
    expect(Object.getOwnPropertyDescriptor(exports.add, 'length')).toEqual({ value: 2, writable: false, enumerable: false, configurable: true });
    expect(Object.getPrototypeOf(exports.add)).toBe(Function.prototype);
    expect(() => new exports.add()).toThrow(TypeError);
  });

  it('convert arguments with ToInt32, ToNumber and ToBigInt64', () => {
    expect(exports.add(2, 3)).toBe(5);
    expect(exports.add(2 ** 32 + 1, '2')).toBe(3);
    expect(exports.add(1.9, { valueOf: () => 1 })).toBe(2);
    expect(exports.add()).toBe(0);
    expect(exports.add(2, 3, 4)).toBe(5);
    expect(exports.add(0x7fffffff, 1)).toBe(-0x80000000);
    expect(exports.add64(1n, 2n)).toBe(3n);
    expect(exports.add64(2n ** 63n - 1n, 1n)).toBe(-(2n ** 63n));
    expect(exports.add64('5', true)).toBe(6n);
    expect(exports.f32(0.1)).toBe(Math.fround(0.1));
    expect(exports.f64(0.1)).toBe(0.1);
    expect(exports.f64('x')).toBeNaN();
    expect(exports.swap(3, 2.5)).toEqual([2.5, 3]);
    expect(exports.none()).toBeUndefined();
  });

  it('throw TypeError for an i64 argument that is no BigInt, and for BigInt where a Number is expected', () => {
    expect(() => exports.add64(1, 2n)).toThrow(TypeError);
    expect(() => exports.add64()).toThrow(TypeError);
    expect(() => exports.add64(null, 1n)).toThrow(TypeError);
    expect(() => exports.add(1n, 1)).toThrow(TypeError);
    expect(() => exports.f64(Symbol())).toThrow(TypeError);
  });

  it('pass references: any value as externref, exported functions or null as funcref', () => {
    const object = {};
    expect(exports.ext(object)).toBe(object);
    expect(exports.ext(undefined)).toBeUndefined();
    expect(exports.ext()).toBeUndefined();
    expect(exports.isNull(null)).toBe(1);
    expect(exports.isNull(undefined)).toBe(0);
    expect(exports.isNull(0)).toBe(0);
    expect(exports.fn(exports.add)).toBe(exports.add);
    expect(exports.fn(null)).toBeNull();
    expect(() => exports.fn(() => 1)).toThrow(TypeError);
    expect(() => exports.fn(undefined)).toThrow(TypeError);
  });

  it('are one object per function: exports, table.get and ref.func agree', () => {
    expect(exports.table.get(0)).toBe(exports.add);
    expect(exports.add_ref()).toBe(exports.add);
    expect(exports.table.get(1)).toBe(exports.id);
    const reexported = instantiate('(module (import "m" "f" (func $f (param i32 i32) (result i32))) (export "g" (func $f)))', {
      m: { f: exports.add },
    });
    expect(reexported.g).toBe(exports.add);
    const twice = instantiate('(module (func $f) (export "a" (func $f)) (export "b" (func $f)))');
    expect(twice.a).toBe(twice.b);
  });

  it('wrap an imported JS function in a new function named by its import index', () => {
    expect(exports.id).not.toBe(identity);
    expect(exports.id.name).toBe('0');
    expect(exports.id.length).toBe(1);
    expect(exports.id(7)).toBe(7);
    expect(exports.id('8')).toBe(8);
  });

  it('throw RuntimeError on a trap, with the core error as cause', () => {
    const error = thrown(() => exports.div(1, 0));
    expect(error).toBeInstanceOf(W.RuntimeError);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/divide by zero/);
    expect(((error as Error).cause as CoreRuntimeError).trap).toBe('integerDivideByZero');
    expect(exports.div(7, 2)).toBe(3);
  });

  it('throw RangeError when the call stack overflows, and work afterwards', () => {
    expect(() => exports.rec()).toThrow(RangeError);
    expect(exports.add(1, 1)).toBe(2);
  });
});

describe('host functions (JS functions as imports)', () => {
  it('receive ToJSValue arguments and return ToWebAssemblyValue results', () => {
    const seen: unknown[] = [];
    const exports = instantiate(`(module
      (import "env" "f" (func $f (param i32 i64 f32 f64 externref funcref) (result i64)))
      (func $g (export "g") (result i64)
        (call $f (i32.const -1) (i64.const -2) (f32.const 1.5) (f64.const 2.5) (ref.null extern) (ref.func $g))))`, {
      env: { f: (...args: unknown[]) => (seen.push(...args), '12') },
    });
    expect(exports.g()).toBe(12n);
    expect(seen).toEqual([-1, -2n, 1.5, 2.5, null, exports.g]);
  });

  it('return several results as any iterable', () => {
    const exports = instantiate(`(module
      (import "env" "pair" (func $pair (result i32 f64)))
      (func (export "sum") (result f64) (call $pair) (drop) (f64.convert_i32_s)))`, {
      env: {
        *pair() {
          yield 4;
          yield 0.5;
        },
      },
    });
    expect(exports.sum()).toBe(4);
  });

  it('propagate what the JS function throws, unchanged, through WebAssembly frames', () => {
    const marker = new Error('from JS');
    const exports = instantiate(`(module
      (import "env" "boom" (func $boom))
      (import "env" "bad" (func $bad (result i32)))
      (import "env" "pair" (func $pair (result i32 i32)))
      (func (export "call") (call $boom))
      (func (export "callBad") (result i32) (call $bad))
      (func (export "callPair") (call $pair) (drop) (drop)))`, {
      env: {
        boom: () => { throw marker; },
        bad: () => 1n,
        pair: () => 5,
      },
    });
    expect(thrown(() => exports.call())).toBe(marker);
    expect(thrown(() => exports.callBad())).toBeInstanceOf(TypeError);
    expect(thrown(() => exports.callPair())).toBeInstanceOf(TypeError);
  });

  it('keep a wasm-to-wasm call when the import is an exported function, even across instances', () => {
    const first = instantiate('(module (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))');
    const second = instantiate(`(module
      (import "m" "double" (func $double (param i32) (result i32)))
      (func (export "quad") (param i32) (result i32) (call $double (call $double (local.get 0)))))`, {
      m: { double: first.double },
    });
    expect(second.quad(3)).toBe(12);
  });

  it('let a JS import call back into WebAssembly', () => {
    let exports: Exports = {};
    exports = instantiate(`(module
      (import "env" "back" (func $back (param i32) (result i32)))
      (func (export "start") (param i32) (result i32) (call $back (local.get 0)))
      (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`, {
      env: { back: (x: number) => exports.inc(x) * 10 },
    });
    expect(exports.start(4)).toBe(50);
  });
});

describe('Memory', () => {
  it('has a buffer getter on the prototype that returns the same buffer until the memory grows', () => {
    const memory = new W.Memory({ initial: 1, maximum: 3 });
    expect(Object.getOwnPropertyNames(memory)).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(W.Memory.prototype, 'buffer')!.get).toBeTypeOf('function');
    const buffer = memory.buffer;
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(buffer.byteLength).toBe(65536);
    expect(memory.buffer).toBe(buffer);
    new Uint8Array(buffer)[10] = 42;
    expect(memory.grow(1)).toBe(1);
    expect(buffer.byteLength).toBe(0); // detached
    const grown = memory.buffer;
    expect(grown).not.toBe(buffer);
    expect(grown.byteLength).toBe(2 * 65536);
    expect(new Uint8Array(grown)[10]).toBe(42);
    expect(memory.grow(1)).toBe(2);
    expect(grown.byteLength).toBe(0);
  });

  it('throws RangeError when it cannot grow, and keeps its buffer', () => {
    const memory = new W.Memory({ initial: 1, maximum: 2 });
    const buffer = memory.buffer;
    expect(() => memory.grow(2)).toThrow(RangeError);
    expect(memory.buffer).toBe(buffer);
    expect(buffer.byteLength).toBe(65536);
  });

  it('checks its descriptor and grow argument', () => {
    expect(() => new W.Memory(undefined as never)).toThrow(TypeError);
    expect(() => new W.Memory({} as never)).toThrow(TypeError);
    expect(() => new W.Memory({ initial: -1 })).toThrow(TypeError);
    expect(() => new W.Memory({ initial: NaN })).toThrow(TypeError);
    expect(() => new W.Memory({ initial: 2 ** 32 })).toThrow(TypeError);
    expect(() => new W.Memory({ initial: 65537 })).toThrow(RangeError);
    expect(() => new W.Memory({ initial: 1, maximum: 65537 })).toThrow(RangeError);
    expect(() => new W.Memory({ initial: 2, maximum: 1 })).toThrow(RangeError);
    expect(new W.Memory({ initial: '2' as never }).buffer.byteLength).toBe(2 * 65536);
    expect(new W.Memory({ initial: 1.9 }).buffer.byteLength).toBe(65536);
    const memory = new W.Memory({ initial: 0 });
    expect(() => memory.grow(-1)).toThrow(TypeError);
    expect(() => (memory.grow as () => number)()).toThrow(TypeError);
    expect(memory.grow(0)).toBe(0);
  });

  it('detaches the buffer when WebAssembly grows the memory, seen after the call and inside it', () => {
    let seenInside = -1;
    let before: ArrayBuffer | undefined;
    const exports = instantiate(`(module
      (import "env" "seen" (func $seen))
      (memory (export "memory") 1)
      (func (export "grow") (result i32) (memory.grow (i32.const 1)))
      (func (export "growAndSee") (drop (memory.grow (i32.const 1))) (call $seen)))`, {
      env: { seen: () => { seenInside = before!.byteLength; } },
    });
    const memory = exports.memory as InstanceType<typeof W.Memory>;
    const buffer = memory.buffer;
    expect(exports.grow()).toBe(1);
    expect(buffer.byteLength).toBe(0);
    expect(memory.buffer.byteLength).toBe(2 * 65536);
    before = memory.buffer;
    exports.growAndSee();
    expect(seenInside).toBe(0);
    expect(memory.buffer.byteLength).toBe(3 * 65536);
  });

  it('is shared with WebAssembly when imported, and is the same object when exported again', () => {
    const memory = new W.Memory({ initial: 1 });
    const exports = instantiate(`(module
      (import "env" "memory" (memory 1))
      (export "memory" (memory 0))
      (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
      (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))`, { env: { memory } });
    expect(exports.memory).toBe(memory);
    new Uint8Array(memory.buffer)[3] = 9;
    expect(exports.load(3)).toBe(9);
    exports.store(4, 10);
    expect(new Uint8Array(memory.buffer)[4]).toBe(10);
  });

  it('checks the receiver', () => {
    const get = Object.getOwnPropertyDescriptor(W.Memory.prototype, 'buffer')!.get!;
    expect(() => get.call({})).toThrow(TypeError);
    expect(() => W.Memory.prototype.grow.call(W.Memory.prototype, 1)).toThrow(TypeError);
    expect(() => W.Memory.prototype.buffer).toThrow(TypeError);
  });
});

describe('Table', () => {
  const functions = instantiate(`(module
    (func (export "one") (result i32) i32.const 1)
    (func (export "two") (result i32) i32.const 2))`);

  it('starts with the default value (null or undefined) or the given one', () => {
    const funcs = new W.Table({ element: 'anyfunc', initial: 2 });
    expect(funcs.length).toBe(2);
    expect([funcs.get(0), funcs.get(1)]).toEqual([null, null]);
    const externs = new W.Table({ element: 'externref', initial: 2 });
    expect([externs.get(0), externs.get(1)]).toEqual([undefined, undefined]);
    expect(new W.Table({ element: 'externref', initial: 1 }, null).get(0)).toBeNull();
    expect(new W.Table({ element: 'externref', initial: 1 }, 'x').get(0)).toBe('x');
    expect(new W.Table({ element: 'anyfunc', initial: 1 }, functions.one).get(0)).toBe(functions.one);
    expect(new W.Table({ element: 'anyfunc', initial: 1 }, undefined).get(0)).toBeNull();
  });

  it('gets, sets and grows, with the default value when none is given', () => {
    const table = new W.Table({ element: 'anyfunc', initial: 1, maximum: 4 });
    expect(table.set(0, functions.one)).toBeUndefined();
    expect(table.get(0)).toBe(functions.one);
    expect(table.grow(1)).toBe(1);
    expect(table.length).toBe(2);
    expect(table.get(1)).toBeNull();
    expect(table.grow(2, functions.two)).toBe(2);
    expect([table.get(2), table.get(3)]).toEqual([functions.two, functions.two]);
    expect(() => table.grow(1)).toThrow(RangeError);
    table.set(0);
    expect(table.get(0)).toBeNull();
    const externs = new W.Table({ element: 'externref', initial: 0 });
    expect(externs.grow(2)).toBe(0);
    expect([externs.get(0), externs.get(1)]).toEqual([undefined, undefined]);
    externs.set(0, 37);
    expect(externs.get(0)).toBe(37);
    externs.set(0, undefined);
    expect(externs.get(0)).toBeUndefined();
  });

  it('throws RangeError out of bounds and TypeError for bad indices and values', () => {
    const table = new W.Table({ element: 'anyfunc', initial: 1 });
    expect(() => table.get(1)).toThrow(RangeError);
    expect(() => table.set(1, null)).toThrow(RangeError);
    expect(() => table.get(-1)).toThrow(TypeError);
    expect(() => table.get(NaN)).toThrow(TypeError);
    expect(() => (table.get as () => unknown)()).toThrow(TypeError);
    for (const value of [undefined, {}, 1, () => 1, 'f']) expect(() => table.set(0, value)).toThrow(TypeError);
    expect(() => table.grow(1, {})).toThrow(TypeError);
    expect(() => table.grow(-1)).toThrow(TypeError);
    expect(table.length).toBe(1);
  });

  it('checks its descriptor', () => {
    expect(() => new W.Table({ element: 'funcref' as never, initial: 1 })).toThrow(TypeError);
    expect(() => new W.Table({ element: 'anyfunc' } as never)).toThrow(TypeError);
    expect(() => new W.Table({ initial: 1 } as never)).toThrow(TypeError);
    expect(() => new W.Table({ element: 'anyfunc', initial: 2, maximum: 1 })).toThrow(RangeError);
    expect(() => new W.Table({ element: 'anyfunc', initial: 10_000_001 })).toThrow(RangeError);
    expect(() => new W.Table({ element: 'anyfunc', initial: 1 }, {})).toThrow(TypeError);
  });

  it('is the table WebAssembly uses when imported, and the same object when exported', () => {
    const table = new W.Table({ element: 'anyfunc', initial: 2 });
    const exports = instantiate(`(module
      (import "env" "table" (table 2 funcref))
      (type $r (func (result i32)))
      (func $three (result i32) i32.const 3)
      (elem (i32.const 1) $three)
      (export "table" (table 0))
      (export "three" (func $three))
      (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))`, { env: { table } });
    expect(exports.table).toBe(table);
    expect(table.get(1)).toBe(exports.three);
    table.set(0, functions.two);
    expect(exports.call(0)).toBe(2);
    expect(exports.call(1)).toBe(3);
    table.set(0, null);
    expect(() => exports.call(0)).toThrow(W.RuntimeError);
  });
});

describe('Global', () => {
  it('has the default value of its type', () => {
    expect(new W.Global({ value: 'i32' }).value).toBe(0);
    expect(new W.Global({ value: 'i64' }).value).toBe(0n);
    expect(new W.Global({ value: 'f32' }).value).toBe(0);
    expect(new W.Global({ value: 'f64' }, undefined).value).toBe(0);
    expect(new W.Global({ value: 'anyfunc' }).value).toBeNull();
    expect(new W.Global({ value: 'externref' }).value).toBeUndefined();
  });

  it('converts its value, reads it with value and valueOf, and sets it when mutable', () => {
    const f32 = new W.Global({ value: 'f32', mutable: true }, 0.1);
    expect(f32.value).toBe(Math.fround(0.1));
    expect(f32.valueOf()).toBe(Math.fround(0.1));
    f32.value = 2.5;
    expect(f32.value).toBe(2.5);
    const i64 = new W.Global({ value: 'i64', mutable: true }, '5');
    expect(i64.value).toBe(5n);
    i64.value = 2n ** 64n - 1n;
    expect(i64.value).toBe(-1n);
    expect(() => { i64.value = 1; }).toThrow(TypeError);
    expect(() => new W.Global({ value: 'i64' }, 1)).toThrow(TypeError);
    expect(new W.Global({ value: 'i32' }, 2 ** 31).value).toBe(-(2 ** 31));
    const constant = new W.Global({ value: 'i32' }, 1);
    expect(() => { constant.value = 2; }).toThrow(TypeError);
    expect(constant.value).toBe(1);
  });

  it('checks its descriptor', () => {
    for (const descriptor of [undefined, null, 1, {}, { value: 'i16' }, { value: 'funcref' }, { value: 'v128' }]) {
      expect(() => new W.Global(descriptor as never)).toThrow(TypeError);
    }
    const order: string[] = [];
    new W.Global({
      get value() { order.push('value'); return 'i32'; },
      get mutable() { order.push('mutable'); return false; },
    } as never);
    expect(order).toEqual(['mutable', 'value']);
  });

  it('is shared with WebAssembly when imported, and the same object when exported', () => {
    const global = new W.Global({ value: 'i32', mutable: true }, 1);
    const exports = instantiate(`(module
      (import "env" "g" (global $g (mut i32)))
      (export "g" (global $g))
      (global (export "own") (mut i64) (i64.const 4))
      (func (export "inc") (global.set $g (i32.add (global.get $g) (i32.const 1)))))`, { env: { g: global } });
    expect(exports.g).toBe(global);
    exports.inc();
    expect(global.value).toBe(2);
    global.value = 10;
    exports.inc();
    expect(global.value).toBe(11);
    expect(exports.own.value).toBe(4n);
  });
});

describe('error classes', () => {
  it('are NativeError-like: constructible with and without new, inheriting from Error', () => {
    for (const [name, ErrorClass] of [['CompileError', W.CompileError], ['LinkError', W.LinkError], ['RuntimeError', W.RuntimeError]] as const) {
      const error = new ErrorClass('message', { cause: 1 });
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.message).toBe('message');
      expect(error.cause).toBe(1);
      expect(String(error)).toBe(`${name}: message`);
      expect(ErrorClass('called')).toBeInstanceOf(ErrorClass);
      expect(Object.getPrototypeOf(ErrorClass)).toBe(Error);
      expect(Object.hasOwn(new ErrorClass(), 'message')).toBe(false);
      expect(typeof error.stack).toBe('string');
      class Sub extends ErrorClass {}
      expect(new Sub('x')).toBeInstanceOf(Sub);
    }
    expect(new W.LinkError()).not.toBeInstanceOf(W.RuntimeError);
  });
});

describe('compile and instantiate', () => {
  const source = '(module (import "env" "x" (global i32)) (func (export "x") (result i32) global.get 0))';

  it('compile resolves to a Module and rejects with CompileError or TypeError', async () => {
    expect(await W.compile(EMPTY)).toBeInstanceOf(W.Module);
    await expect(W.compile(BAD_VERSION)).rejects.toBeInstanceOf(W.CompileError);
    const rejected = W.compile(1 as never); // a rejection, not a synchronous throw
    await expect(rejected).rejects.toBeInstanceOf(TypeError);
  });

  it('compile copies the bytes when called', async () => {
    const bytes = wat('(module (func (export "f") (result i32) i32.const 3))');
    const promise = W.compile(bytes);
    bytes.fill(0);
    expect((new W.Instance(await promise).exports as Exports).f()).toBe(3);
  });

  it('instantiate(bytes) resolves to { module, instance }', async () => {
    const result = await W.instantiate(wat(source), { env: { x: 6 } });
    expect(Object.keys(result)).toEqual(['module', 'instance']);
    expect(result.module).toBeInstanceOf(W.Module);
    expect(result.instance).toBeInstanceOf(W.Instance);
    expect((result.instance.exports as Exports).x()).toBe(6);
  });

  it('instantiate(module) resolves to an Instance, reading the imports before it returns', async () => {
    const module = new W.Module(wat(source));
    let reads = 0;
    const promise = W.instantiate(module, { env: { get x() { reads++; return 4; } } });
    expect(reads).toBe(1);
    const instance = await promise;
    expect(instance).toBeInstanceOf(W.Instance);
    expect((instance.exports as Exports).x()).toBe(4);
  });

  it('instantiate rejects with TypeError, LinkError, CompileError or what the start function throws', async () => {
    await expect(W.instantiate(wat(source))).rejects.toBeInstanceOf(TypeError);
    await expect(W.instantiate(wat(source), { env: { x: 1n } })).rejects.toBeInstanceOf(W.LinkError);
    await expect(W.instantiate(new W.Module(wat(source)), 1 as never)).rejects.toBeInstanceOf(TypeError);
    await expect(W.instantiate(BAD_VERSION)).rejects.toBeInstanceOf(W.CompileError);
    await expect(W.instantiate({} as never)).rejects.toBeInstanceOf(TypeError);
    const marker = {};
    const start = wat('(module (import "env" "f" (func $f)) (start $f))');
    await expect(W.instantiate(start, { env: { f: () => { throw marker; } } })).rejects.toBe(marker);
  });
});

describe('compileStreaming and instantiateStreaming', () => {
  const wasm = (body: BodyInit, init: ResponseInit = {}) =>
    new Response(body, { ...init, headers: { 'Content-Type': 'application/wasm', ...init.headers } });

  it('compile a Response or a promise of one', async () => {
    expect(await W.compileStreaming(wasm(EMPTY))).toBeInstanceOf(W.Module);
    expect(await W.compileStreaming(Promise.resolve(wasm(EMPTY)))).toBeInstanceOf(W.Module);
    const { module, instance } = await W.instantiateStreaming(wasm(wat('(module (func (export "f") (result i32) i32.const 9))')));
    expect(module).toBeInstanceOf(W.Module);
    expect((instance.exports as Exports).f()).toBe(9);
  });

  it('accept Content-Type application/wasm in any case, with surrounding spaces', async () => {
    const response = new Response(EMPTY, { headers: { 'Content-Type': ' Application/WASM\t' } });
    expect(await W.compileStreaming(response)).toBeInstanceOf(W.Module);
  });

  it('reject with TypeError for another MIME type, a bad status, a used body or no Response', async () => {
    await expect(W.compileStreaming(new Response(EMPTY))).rejects.toBeInstanceOf(TypeError);
    await expect(W.compileStreaming(new Response(EMPTY, { headers: { 'Content-Type': 'application/wasm;' } }))).rejects.toBeInstanceOf(TypeError);
    await expect(W.compileStreaming(wasm(EMPTY, { status: 404 }))).rejects.toBeInstanceOf(TypeError);
    const used = wasm(EMPTY);
    await used.arrayBuffer();
    await expect(W.compileStreaming(used)).rejects.toBeInstanceOf(TypeError);
    await expect(W.compileStreaming(EMPTY as never)).rejects.toBeInstanceOf(TypeError);
    await expect(W.compileStreaming(Promise.reject(new RangeError('no')))).rejects.toBeInstanceOf(RangeError);
  });

  it('reject with CompileError or LinkError after the checks pass', async () => {
    await expect(W.compileStreaming(wasm(BAD_VERSION))).rejects.toBeInstanceOf(W.CompileError);
    const needsImport = wat('(module (import "env" "f" (func)))');
    await expect(W.instantiateStreaming(wasm(needsImport), { env: { f: 1 } })).rejects.toBeInstanceOf(W.LinkError);
  });
});
