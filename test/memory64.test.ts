/** memory64 and table64 (WebAssembly 3.0): i64 addresses and sizes, bounds checks that never truncate an address. */
import { describe, expect, it } from 'vitest';
import { Engine, Linker, Memory, Module, RuntimeError, Store } from '../src/index.js';
import { wat } from './helpers/wat.js';

const PROGRAM = `(module
  (memory (export "mem") i64 1 70000)
  (data (i64.const 8) "\\2a")
  (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i64) (result i32) (i32.load (local.get 0)))
  (func (export "loadOffset") (param i64) (result i32) (i32.load8_u offset=0x100000000 (local.get 0)))
  (func (export "store") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2))))`;

function setup(engine = new Engine()) {
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, wat(PROGRAM)));
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args);
  const trapOf = (name: string, ...args: unknown[]) => {
    try {
      call(name, ...args);
    } catch (error) {
      return (error as RuntimeError).trap;
    }
    return 'none';
  };
  return { store, instance, call, trapOf };
}

describe('memory64', () => {
  it('traps on an access at 2^32 + k instead of wrapping it to k', () => {
    const { call, trapOf } = setup();
    expect(call('load', 8n)).toEqual([42]);
    for (const k of [0n, 8n, 100n, 65535n]) {
      expect(trapOf('load', 2n ** 32n + k)).toBe('memoryOutOfBounds');
      expect(trapOf('store', 2n ** 32n + k, 7)).toBe('memoryOutOfBounds');
      expect(trapOf('loadOffset', k)).toBe('memoryOutOfBounds');
    }
    // The stores above did not land at k.
    expect(call('load', 8n)).toEqual([42]);
    expect(call('load', 0n)).toEqual([0]);
    expect(trapOf('load', -1n)).toBe('memoryOutOfBounds');
    expect(trapOf('load', 2n ** 53n + 8n)).toBe('memoryOutOfBounds');
    expect(trapOf('load32', 65532n)).toBe('none');
    expect(trapOf('load32', 65533n)).toBe('memoryOutOfBounds');
    expect(trapOf('fill', 2n ** 32n, 1, 1n)).toBe('memoryOutOfBounds');
    expect(trapOf('fill', 0n, 1, 2n ** 32n)).toBe('memoryOutOfBounds');
  });

  it('works at the top of a grown memory, and sizes are i64', () => {
    const { call, trapOf, store, instance } = setup();
    expect(call('size')).toEqual([1n]);
    expect(call('grow', 2n)).toEqual([1n]);
    expect(call('size')).toEqual([3n]);
    call('store', 3n * 65536n - 1n, 9);
    expect(call('load', 3n * 65536n - 1n)).toEqual([9]);
    expect(trapOf('load', 3n * 65536n)).toBe('memoryOutOfBounds');
    // Beyond the declared maximum, and beyond 2^32 pages: -1 as an i64.
    expect(call('grow', 70000n)).toEqual([-1n]);
    expect(call('grow', 2n ** 33n)).toEqual([-1n]);
    expect((instance.getMemory(store, 'mem') as Memory).type()).toEqual({ min: 1, max: 70000, address: 'i64' });
  });

  it('keeps the store limits on what is allocated', () => {
    const { call, store } = setup();
    store.setLimits({ maxMemoryBytes: 4 * 65536 });
    expect(call('grow', 3n)).toEqual([1n]);
    expect(call('grow', 1n)).toEqual([-1n]);
    expect(call('size')).toEqual([4n]);
  });

  it('links a 64-bit memory only to a 64-bit import', () => {
    const engine = new Engine();
    const store = new Store(engine);
    const linker = new Linker(engine);
    linker.define('env', 'mem', new Memory(store, { min: 1, address: 'i64' }));
    linker.instantiate(store, new Module(engine, wat('(module (import "env" "mem" (memory i64 1)))')));
    expect(() => linker.instantiate(store, new Module(engine, wat('(module (import "env" "mem" (memory 1)))')))).toThrow(/expected memory \{min 1\}, got memory i64/);
  });

  it('is rejected, naming the feature, when the feature is off', () => {
    const engine = new Engine({ features: { memory64: false } });
    expect(() => new Module(engine, wat('(module (memory i64 1))'))).toThrow(/memory64 feature is disabled/);
  });
});

describe('table64', () => {
  const TABLES = `(module
    (type $v (func (result i32)))
    (table $t i64 2 funcref)
    (elem (table $t) (i64.const 1) func $seven)
    (func $seven (result i32) (i32.const 7))
    (func (export "call") (param i64) (result i32) (call_indirect $t (type $v) (local.get 0)))
    (func (export "size") (result i64) (table.size $t))
    (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "isNull") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0)))))`;

  it('indexes with i64, trapping on indices of 2^32 and more', () => {
    const engine = new Engine();
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, new Module(engine, wat(TABLES)));
    const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args);
    expect(call('call', 1n)).toEqual([7]);
    expect(() => call('call', 2n ** 32n + 1n)).toThrow(/undefined element|out of bounds/);
    expect(() => call('isNull', 2n ** 32n)).toThrow(RuntimeError);
    expect(call('isNull', 0n)).toEqual([1]);
    expect(call('size')).toEqual([2n]);
    expect(call('grow', 3n)).toEqual([2n]);
    expect(call('grow', 2n ** 40n)).toEqual([-1n]);
    expect(call('size')).toEqual([5n]);
  });
});
