/**
 * Linking: import resolution and its LinkError messages, host functions,
 * defineInstance, re-entrancy, segments at instantiation, store limits.
 */
import { describe, expect, it } from 'vitest';
import { Engine, Func, Global, LinkError, Linker, Memory, Module, RuntimeError, Store, Table, type Caller } from '../src/index.js';
import { wat } from './helpers/wat.js';

const engine = new Engine();

function linkError(linker: Linker, store: Store, text: string): string {
  try {
    linker.instantiate(store, new Module(engine, wat(text)));
  } catch (error) {
    expect(error).toBeInstanceOf(LinkError);
    return (error as LinkError).message;
  }
  throw new Error('instantiation did not fail');
}

describe('import resolution errors', () => {
  const store = new Store(engine);
  const linker = new Linker(engine)
    .funcWrap('env', 'f', { params: [], results: [] }, () => {})
    .define('env', 'mem', new Memory(store, { min: 1, max: 2 }))
    .define('env', 'table', new Table(store, { element: 'funcref', min: 5 }))
    .define('env', 'g', new Global(store, { value: 'i32', mutable: false }, 1));

  it('a missing import', () => {
    expect(linkError(linker, store, `(module (import "env" "nope" (func (param i64))))`)).toBe(
      'unknown import env.nope: expected func (i64) -> ()',
    );
  });

  it('a function of another type', () => {
    expect(linkError(linker, store, `(module (import "env" "f" (func (param i32))))`)).toBe(
      'import env.f: expected func (i32) -> (), got func () -> ()',
    );
  });

  it('the wrong kind', () => {
    expect(linkError(linker, store, `(module (import "env" "f" (memory 1)))`)).toBe(
      'import env.f: expected memory {min 1}, got func () -> ()',
    );
  });

  it('memory limits', () => {
    expect(linkError(linker, store, `(module (import "env" "mem" (memory 2)))`)).toBe(
      'import env.mem: expected memory {min 2}, got memory {min 1, max 2}',
    );
    expect(linkError(linker, store, `(module (import "env" "mem" (memory 1 1)))`)).toBe(
      'import env.mem: expected memory {min 1, max 1}, got memory {min 1, max 2}',
    );
    linker.instantiate(store, new Module(engine, wat(`(module (import "env" "mem" (memory 0 3)))`)));
  });

  it('table limits and element type', () => {
    expect(linkError(linker, store, `(module (import "env" "table" (table 6 funcref)))`)).toBe(
      'import env.table: expected table funcref {min 6}, got table funcref {min 5}',
    );
    expect(linkError(linker, store, `(module (import "env" "table" (table 1 externref)))`)).toBe(
      'import env.table: expected table externref {min 1}, got table funcref {min 5}',
    );
    linker.instantiate(store, new Module(engine, wat(`(module (import "env" "table" (table 3 funcref)))`)));
  });

  it('global type and mutability', () => {
    expect(linkError(linker, store, `(module (import "env" "g" (global (mut i32))))`)).toBe(
      'import env.g: expected global mut i32, got global i32',
    );
    expect(linkError(linker, store, `(module (import "env" "g" (global i64)))`)).toBe(
      'import env.g: expected global i64, got global i32',
    );
  });

  it('items of another store', () => {
    const other = new Store(engine);
    const foreign = new Linker(engine).define('env', 'g', new Global(other, { value: 'i32', mutable: false }, 1));
    expect(linkError(foreign, store, `(module (import "env" "g" (global i32)))`)).toMatch(/different store/);
  });
});

describe('host functions', () => {
  it('receive converted arguments and return one, several or no results', () => {
    const store = new Store(engine, { calls: 0 });
    const seen: unknown[][] = [];
    const linker = new Linker(engine)
      .funcWrap('env', 'mix', { params: ['i32', 'i64', 'f32', 'f64'], results: ['f64'] }, (caller: Caller<{ calls: number }>, ...args) => {
        caller.data.calls++;
        seen.push(args);
        return Number(args[1]) + args[0] + args[2] + args[3];
      })
      .funcWrap('env', 'pair', { params: [], results: ['i64', 'i32'] }, () => [-5n, 6])
      .funcWrap('env', 'none', { params: ['externref'], results: [] }, (_caller, value) => {
        seen.push([value]);
      });
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "mix" (func $mix (param i32 i64 f32 f64) (result f64)))
      (import "env" "pair" (func $pair (result i64 i32)))
      (import "env" "none" (func $none (param externref)))
      (func (export "run") (param externref) (result f64 i64 i32)
        (call $none (local.get 0))
        (call $mix (i32.const -1) (i64.const 0x100000000) (f32.const 0.5) (f64.const 0.25))
        (call $pair)))`)));
    expect(instance.getFunc(store, 'run')!.call(store, ['x'])).toEqual([4294967295.75, -5n, 6]);
    expect(seen).toEqual([['x'], [-1, 0x100000000n, 0.5, 0.25]]);
    expect(store.data.calls).toBe(1);
  });

  it('funcWrap gives one Func per store', () => {
    const linker = new Linker(engine).funcWrap('env', 'f', { params: [], results: [] }, () => {});
    const a = new Store(engine);
    const b = new Store(engine);
    expect(linker.get(a, 'env', 'f')).toBe(linker.get(a, 'env', 'f'));
    expect(linker.get(a, 'env', 'f')).not.toBe(linker.get(b, 'env', 'f'));
  });

  it('see the calling instance through the caller', () => {
    const store = new Store(engine);
    let text = '';
    const linker = new Linker(engine).funcWrap('env', 'print', { params: ['i32', 'i32'], results: [] }, (caller, ptr: number, len: number) => {
      text = Buffer.from(caller.memory()!.data().subarray(ptr, ptr + len)).toString();
      expect(caller.memory('memory')).toBe(caller.memory());
      expect(caller.getExport('answer')).toBeInstanceOf(Global);
    });
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "print" (func $print (param i32 i32)))
      (memory (export "memory") 1)
      (global (export "answer") i32 (i32.const 42))
      (data (i32.const 8) "hi there")
      (func (export "run") (call $print (i32.const 8) (i32.const 8))))`)));
    instance.getFunc(store, 'run')!.call(store, []);
    expect(text).toBe('hi there');
  });

  it('may call back into Wasm (re-entrancy), which may grow memory', () => {
    const store = new Store(engine);
    const linker = new Linker(engine);
    let exports: { fib: Func; grow: Func } | undefined;
    let growNext = false;
    linker.funcWrap('env', 'viaHost', { params: ['i32'], results: ['i32'] }, (_caller, n: number) => {
      if (growNext) exports!.grow.call(store, []);
      growNext = false;
      return exports!.fib.call(store, [n])[0];
    });
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "viaHost" (func $viaHost (param i32) (result i32)))
      (memory 1)
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
          (then (local.get 0))
          (else (i32.add (call $viaHost (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "grow") (drop (memory.grow (i32.const 1))))
      (func (export "pages") (result i32) memory.size)
      (func (export "lastByte") (result i32) (i32.load8_u (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1))))
      (func (export "withHost") (param i32) (result i32 i32)
        (call $viaHost (local.get 0))
        (call 4))
    )`)));
    exports = { fib: instance.getFunc(store, 'fib')!, grow: instance.getFunc(store, 'grow')! };
    expect(instance.getFunc(store, 'fib')!.call(store, [15])).toEqual([610]);
    expect(instance.getFunc(store, 'pages')!.call(store, [])).toEqual([1]);
    // The host grows memory mid-call; the caller then reads the new last byte.
    growNext = true;
    expect(instance.getFunc(store, 'withHost')!.call(store, [3])).toEqual([2, 0]);
    expect(instance.getFunc(store, 'pages')!.call(store, [])).toEqual([2]);
  });

  it('deep host/Wasm re-entrancy ends in callStackExhausted', () => {
    const store = new Store(engine);
    const linker = new Linker(engine);
    let again: Func | undefined;
    linker.funcWrap('env', 'again', { params: [], results: [] }, () => {
      again!.call(store, []);
    });
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "again" (func $again)) (func (export "run") (call $again)))`)));
    again = instance.getFunc(store, 'run')!;
    let error: unknown;
    try {
      again.call(store, []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).trap).toBe('callStackExhausted');
    expect(instance.getFunc(store, 'run')).toBe(again);
  });
});

describe('defineInstance', () => {
  it('links exports of one instance into another, sharing memory and tables', () => {
    const store = new Store(engine);
    const linker = new Linker(engine);
    const lib = linker.instantiate(store, new Module(engine, wat(`(module
      (memory (export "memory") 1)
      (table (export "table") 2 funcref)
      (global (export "base") i32 (i32.const 100))
      (elem (i32.const 0) $double)
      (func $double (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))`)));
    linker.defineInstance(store, 'lib', lib);
    const app = linker.instantiate(store, new Module(engine, wat(`(module
      (import "lib" "memory" (memory 1))
      (import "lib" "table" (table 2 funcref))
      (import "lib" "base" (global $base i32))
      (import "lib" "double" (func $double (param i32) (result i32)))
      (type $t (func (param i32) (result i32)))
      (elem (i32.const 1) $triple)
      (data (i32.const 0) "\\2a")
      (func $triple (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
      (func (export "run") (result i32)
        (i32.add (call $double (global.get $base))
                 (call_indirect (type $t) (i32.load8_u (i32.const 0)) (i32.const 1)))))`)));
    expect(app.getFunc(store, 'run')!.call(store, [])).toEqual([326]);
    expect(lib.getMemory(store, 'memory')!.data()[0]).toBe(42);
    expect(lib.getTable(store, 'table')!.get(1)).toBeInstanceOf(Func);
    expect(app.getFunc(store, 'run')).toBe(app.getFunc(store, 'run'));
  });
});

describe('segments at instantiation', () => {
  it('an out-of-bounds data segment fails with LinkError after earlier segments were written', () => {
    const store = new Store(engine);
    const memory = new Memory(store, { min: 1 });
    const linker = new Linker(engine).define('env', 'mem', memory);
    const message = linkError(linker, store, `(module
      (import "env" "mem" (memory 1))
      (data (i32.const 0) "ok")
      (data (i32.const 65535) "xx"))`);
    expect(message).toMatch(/out of bounds memory access/);
    expect(Buffer.from(memory.data().subarray(0, 2)).toString()).toBe('ok');
  });

  it('an out-of-bounds elem segment fails before the data segments', () => {
    const store = new Store(engine);
    const memory = new Memory(store, { min: 1 });
    const linker = new Linker(engine).define('env', 'mem', memory);
    const message = linkError(linker, store, `(module
      (import "env" "mem" (memory 1))
      (table 1 funcref)
      (func $f)
      (elem (i32.const 1) $f)
      (data (i32.const 0) "no"))`);
    expect(message).toMatch(/out of bounds table access/);
    expect(memory.data()[0]).toBe(0);
  });

  it('runs the start function after the segments', () => {
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
      (memory (export "mem") 1)
      (data (i32.const 0) "\\05")
      (func $start (i32.store8 (i32.const 1) (i32.add (i32.load8_u (i32.const 0)) (i32.const 1))))
      (start $start))`)));
    expect(instance.getMemory(store, 'mem')!.data()[1]).toBe(6);
  });
});

describe('store limits', () => {
  it('limit memory size at creation and growth', () => {
    const store = new Store(engine);
    store.setLimits({ maxMemoryBytes: 2 * 65536 });
    expect(linkError(new Linker(engine), store, `(module (memory 3))`)).toMatch(/exceeds the store limit/);
    const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
      (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`)));
    const grow = instance.getFunc(store, 'grow')!;
    expect(grow.call(store, [2])).toEqual([-1]);
    expect(grow.call(store, [1])).toEqual([1]);
    expect(grow.call(store, [1])).toEqual([-1]);
  });

  it('limit table size and instance count', () => {
    const store = new Store(engine);
    store.setLimits({ maxTableElements: 10, maxInstances: 2 });
    const module = new Module(engine, wat(`(module
      (table 5 externref) (func (export "grow") (param i32) (result i32) (table.grow (ref.null extern) (local.get 0))))`));
    const linker = new Linker(engine);
    const instance = linker.instantiate(store, module);
    expect(instance.getFunc(store, 'grow')!.call(store, [6])).toEqual([-1]);
    expect(instance.getFunc(store, 'grow')!.call(store, [5])).toEqual([5]);
    linker.instantiate(store, module);
    expect(() => linker.instantiate(store, module)).toThrow(/limit of 2 instances/);
    const small = new Store(engine);
    small.setLimits({ maxTableElements: 10 });
    expect(linkError(linker, small, `(module (table 20 funcref))`)).toMatch(/exceeds the store limit/);
  });
});
