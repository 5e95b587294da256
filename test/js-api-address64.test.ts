/**
 * The JS API's address types (memory64 and table64 in the 3.0 JS API):
 * `address: 'i64'` descriptors take BigInt sizes, and the sizes, lengths and
 * indices of such memories and tables are BigInts both ways.
 */
import { describe, expect, it } from 'vitest';
import { WebAssembly as W } from '../src/js-api/index.js';
import { wat } from './helpers/wat.js';

describe("WebAssembly.Memory with address 'i64'", () => {
  it('takes BigInt sizes and grows in BigInts', () => {
    const memory = new W.Memory({ address: 'i64', initial: 1n, maximum: 4n });
    expect(memory.buffer.byteLength).toBe(65536);
    expect(memory.grow(2n)).toBe(1n);
    expect(memory.buffer.byteLength).toBe(3 * 65536);
    expect(() => memory.grow(2n)).toThrow(RangeError);
    expect(() => memory.grow(1)).toThrow(TypeError);
    // An i32 memory keeps Numbers.
    expect(new W.Memory({ initial: 1 }).grow(0)).toBe(1);
  });

  it('rejects Numbers, negative and too large BigInts with a TypeError, and a maximum below initial with a RangeError', () => {
    for (const initial of [1, -1n, 2n ** 64n, undefined, Symbol('x')]) {
      expect(() => new W.Memory({ address: 'i64', initial } as never)).toThrow(TypeError);
    }
    expect(() => new W.Memory({ address: 'i64', initial: 0n, maximum: 2n ** 64n })).toThrow(TypeError);
    expect(() => new W.Memory({ address: 'i64', initial: 10n, maximum: 9n })).toThrow(RangeError);
    expect(() => new W.Memory({ address: 'i65' as never, initial: 0n })).toThrow(TypeError);
    expect(() => new W.Memory({ initial: 1n })).toThrow(TypeError);
    // ToBigInt: booleans, numeric strings and objects that convert to them.
    expect(new W.Memory({ address: 'i64', initial: '1' as never }).buffer.byteLength).toBe(65536);
    expect(new W.Memory({ address: 'i64', initial: { valueOf: () => 2n } as never }).buffer.byteLength).toBe(2 * 65536);
  });

  it('is what a 64-bit memory exports and imports', () => {
    const memory = new W.Memory({ address: 'i64', initial: 1n });
    const bytes = wat(`(module (import "m" "mem" (memory i64 1))
      (func (export "size") (result i64) (memory.size))
      (func (export "store") (param i64 i32) (i32.store8 (local.get 0) (local.get 1))))`);
    const { exports } = new W.Instance(new W.Module(bytes), { m: { mem: memory } });
    const { size, store } = exports as { size: () => bigint; store: (at: bigint, v: number) => void };
    expect(memory.grow(1n)).toBe(1n);
    expect(size()).toBe(2n);
    store(65537n, 42);
    expect(new Uint8Array(memory.buffer)[65537]).toBe(42);
    const own = new W.Instance(new W.Module(wat('(module (memory (export "mem") i64 1 2))'))).exports as { mem: InstanceType<typeof W.Memory> };
    expect(own.mem.grow(1n)).toBe(1n);
  });
});

describe("WebAssembly.Table with address 'i64'", () => {
  it('has BigInt lengths and indices', () => {
    const table = new W.Table({ address: 'i64', element: 'externref', initial: 2n, maximum: 2n ** 64n - 1n }, 'x');
    expect(table.length).toBe(2n);
    expect(table.get(1n)).toBe('x');
    table.set(0n, 'y');
    expect(table.get(0n)).toBe('y');
    expect(table.grow(3n, 'z')).toBe(2n);
    expect(table.length).toBe(5n);
    expect(table.get(4n)).toBe('z');
    expect(() => table.get(5n)).toThrow(RangeError);
    expect(() => table.get(2n ** 63n)).toThrow(RangeError);
    expect(() => table.get(1)).toThrow(TypeError);
    expect(() => table.get(-1n)).toThrow(TypeError);
    expect(new W.Table({ element: 'anyfunc', initial: 1 }).length).toBe(1);
  });
});
