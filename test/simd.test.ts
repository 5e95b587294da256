/**
 * SIMD at the edges the spec testsuite does not reach: v128 values at the core
 * API (16-byte Uint8Array), the JS API's TypeErrors, feature detection, v128
 * values moving through calls, blocks, locals, globals and selects, fuel, and
 * the features.simd switch.
 */
import { describe, expect, it } from 'vitest';
import { relaxedSimd, simd } from 'wasm-feature-detect';
import { CompileError, Engine, Func, Global, Linker, Module, RuntimeError, Store } from '../src/index.js';
import { WebAssembly as W } from '../src/js-api/index.js';
import { wat } from './helpers/wat.js';

function instantiate(source: string, engine = new Engine()) {
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, wat(source)));
  const call = (name: string, args: unknown[] = []) => instance.getFunc(store, name)!.call(store, args);
  return { store, instance, call };
}

const bytes = (...values: number[]) => Uint8Array.from(values);
const iota = (start = 0) => Uint8Array.from({ length: 16 }, (_, i) => start + i);

describe('v128 at the core API', () => {
  it('is a 16-byte Uint8Array for parameters and results', () => {
    const { call } = instantiate(`(module
      (func (export "add") (param v128 v128) (result v128) (i8x16.add (local.get 0) (local.get 1)))
      (func (export "two") (param v128) (result v128 i32) (local.get 0) (i32x4.extract_lane 3 (local.get 0))))`);
    expect(call('add', [iota(), iota(100)])).toEqual([Uint8Array.from({ length: 16 }, (_, i) => 100 + 2 * i)]);
    const [v, lane] = call('two', [iota()]);
    expect(v).toEqual(iota());
    expect(lane).toBe(0x0f0e0d0c);
  });

  it('rejects anything but a 16-byte Uint8Array with a TypeError', () => {
    const { call } = instantiate('(module (func (export "id") (param v128) (result v128) (local.get 0)))');
    expect(() => call('id', [new Uint8Array(15)])).toThrow(TypeError);
    expect(() => call('id', [0])).toThrow(/16-byte Uint8Array/);
    expect(() => call('id', [[...iota()]])).toThrow(TypeError);
  });

  it('passes to and from host functions', () => {
    const engine = new Engine();
    const store = new Store(engine);
    const linker = new Linker(engine);
    linker.funcWrap('env', 'rev', { params: ['v128'], results: ['v128'] }, (_caller, v) => (v as Uint8Array).slice().reverse());
    const module = new Module(engine, wat(`(module (import "env" "rev" (func $rev (param v128) (result v128)))
      (func (export "f") (param v128) (result v128) (call $rev (i32x4.add (local.get 0) (v128.const i32x4 1 1 1 1)))))`));
    const instance = linker.instantiate(store, module);
    expect(instance.getFunc(store, 'f')!.call(store, [new Uint8Array(16)])).toEqual([bytes(0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1)]);
  });

  it('lives in globals: initialized, read, written, imported', () => {
    const engine = new Engine();
    const store = new Store(engine);
    const linker = new Linker(engine);
    const imported = new Global(store, { value: 'v128', mutable: false }, iota(1));
    linker.define('env', 'g', imported);
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "g" (global $in v128))
      (global $g (export "g") (mut v128) (v128.const i64x2 -1 2))
      (global $copy (export "copy") v128 (global.get $in))
      (func (export "swap") (global.set $g (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (global.get $g) (global.get $g)))))`)));
    const g = instance.getGlobal(store, 'g')!;
    expect(g.get()).toEqual(bytes(255, 255, 255, 255, 255, 255, 255, 255, 2, 0, 0, 0, 0, 0, 0, 0));
    instance.getFunc(store, 'swap')!.call(store, []);
    expect(g.get()).toEqual(bytes(2, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255));
    g.set(iota());
    instance.getFunc(store, 'swap')!.call(store, []);
    expect(g.get()).toEqual(Uint8Array.from([...iota().slice(8), ...iota().slice(0, 8)]));
    expect(instance.getGlobal(store, 'copy')!.get()).toEqual(iota(1));
    expect(() => g.set(5)).toThrow(TypeError);
  });
});

describe('v128 values in the lowering', () => {
  it('survive calls, blocks with params and results, br_table, select and locals zeroed on entry', () => {
    const { call } = instantiate(`(module
      (func $twice (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
      (func (export "f") (param $k i32) (param $x v128) (result v128)
        (local $zero v128) (local $acc v128)
        (local.set $acc (local.get $zero))
        (block $done (result v128)
          (block $b (result v128)
            (br_table $b $done (call $twice (local.get $x)) (local.get $k)))
          (block (param v128) (result v128) (i32x4.add (v128.const i32x4 1 1 1 1))))
        (local.set $acc (v128.or (local.get $acc)))
        (select (local.get $acc) (local.get $zero) (i32.lt_u (local.get $k) (i32.const 2)))))`);
    const x = bytes(1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0);
    // k = 0 goes through $b (which adds 1), k = 1 and the default straight to $done; the select keeps k < 2.
    expect(call('f', [0, x])).toEqual([bytes(3, 0, 0, 0, 5, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0)]);
    expect(call('f', [1, x])).toEqual([bytes(2, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0, 8, 0, 0, 0)]);
    expect(call('f', [5, x])).toEqual([new Uint8Array(16)]);
  });

  it('gives right results when a result overwrites one of its operands (local.set into an operand)', () => {
    const { call } = instantiate(`(module
      (func (export "f") (param $a v128) (param $b v128) (result v128)
        (local.set $a (i16x8.extend_low_i8x16_s (local.get $a)))
        (local.set $b (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get $b) (local.get $a)))
        (local.set $a (i8x16.narrow_i16x8_s (local.get $a) (local.get $b)))
        (local.get $a)))`);
    const [result] = call('f', [bytes(1, 255, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), iota()]) as [Uint8Array];
    // a = extend(1, -1, 3..8) as i16; b = reversed bytes of the original b; then narrow(a, b).
    expect(Array.from(result.slice(0, 8))).toEqual([1, 255, 3, 4, 5, 6, 7, 8]);
    const b = iota().reverse();
    const narrowed = Array.from({ length: 8 }, (_, i) => {
      const n = (b[2 * i]! | (b[2 * i + 1]! << 8)) << 16 >> 16;
      return n > 127 ? 127 : n < -128 ? 128 : n & 0xff;
    });
    expect(Array.from(result.slice(8))).toEqual(narrowed);
  });

  it('traps on out-of-bounds v128 accesses, and counts each SIMD instruction as 1 fuel', () => {
    const engine = new Engine({ consumeFuel: true });
    const { store, call } = instantiate(`(module (memory 1)
      (func (export "load") (param i32) (result v128) (v128.load offset=8 (local.get 0)))
      (func (export "lane") (param i32) (v128.store64_lane 1 (local.get 0) (v128.const i64x2 1 2))))`, engine);
    store.setFuel(1000);
    expect(call('load', [65536 - 24])).toEqual([new Uint8Array(16)]);
    // local.get, v128.load: 2.
    expect(1000 - store.getFuel()).toBe(2);
    expect(() => call('load', [65536 - 23])).toThrow(RuntimeError);
    expect(() => call('lane', [65536 - 7])).toThrow(/out of bounds/);
    call('lane', [65536 - 8]);
  });
});

describe('features.simd', () => {
  it('is on by default and, when off, rejects SIMD modules naming the feature', () => {
    expect(new Engine().config.features.simd).toBe(true);
    const off = new Engine({ features: { simd: false } });
    expect(() => new Module(off, wat('(module (func (drop (v128.const i64x2 0 0))))'))).toThrow(/features\.simd/);
    expect(() => new Module(off, wat('(module (func (param v128)))'))).toThrow(/features\.simd/);
    expect(() => new Module(off, wat('(module (func (block (result v128) (unreachable)) (drop)))'))).toThrow(/features\.simd/);
    expect(new Module(off, wat('(module (func (result i32) (i32.const 1)))'))).toBeInstanceOf(Module);
  });
});

describe('the JS API with SIMD', () => {
  it('validates SIMD and relaxed SIMD modules: wasm-feature-detect says both are there', async () => {
    const native = globalThis.WebAssembly;
    Object.defineProperty(globalThis, 'WebAssembly', { value: W, writable: true, configurable: true });
    try {
      expect(await simd()).toBe(true);
      expect(await relaxedSimd()).toBe(true);
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', { value: native, writable: true, configurable: true });
    }
  });

  it('throws a TypeError for a v128 parameter or result of an exported function, and runs the rest', () => {
    const { exports } = new W.Instance(new W.Module(wat(`(module
      (func (export "param") (param v128))
      (func (export "result") (result v128) (v128.const i64x2 0 0))
      (func (export "inside") (result i32) (i32x4.extract_lane 0 (i32x4.splat (i32.const 7)))))`)));
    const e = exports as Record<string, (...args: unknown[]) => unknown>;
    expect(() => e['param']!(new Uint8Array(16))).toThrow(TypeError);
    expect(() => e['result']!()).toThrow(TypeError);
    expect(e['inside']!()).toBe(7);
  });

  it('throws a TypeError when Wasm calls an imported JS function with v128 in its type, without calling it', () => {
    let called = false;
    const { exports } = new W.Instance(new W.Module(wat(`(module
      (import "env" "f" (func $f (param v128)))
      (func (export "run") (call $f (v128.const i64x2 0 0))))`)), { env: { f: () => { called = true; } } });
    expect(() => (exports as Record<string, () => void>)['run']!()).toThrow(TypeError);
    expect(called).toBe(false);
  });

  it('has v128 globals whose value cannot be read or written from JS, nor created', () => {
    const { exports } = new W.Instance(new W.Module(wat('(module (global (export "g") (mut v128) (v128.const i64x2 1 2)))')));
    const g = (exports as Record<string, InstanceType<typeof W.Global>>)['g']!;
    expect(() => g.value).toThrow(TypeError);
    expect(() => g.valueOf()).toThrow(TypeError);
    expect(() => { g.value = 1; }).toThrow(TypeError);
    expect(() => new W.Global({ value: 'v128' } as never)).toThrow(TypeError);
  });

  it('keeps exported functions with v128 in their type callable from Wasm through a table', () => {
    const { exports } = new W.Instance(new W.Module(wat(`(module
      (type $t (func (param v128) (result v128)))
      (table (export "t") 1 funcref) (elem (i32.const 0) $neg)
      (func $neg (type $t) (i8x16.neg (local.get 0)))
      (func (export "run") (result i32)
        (i8x16.extract_lane_s 5 (call_indirect (type $t) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (i32.const 0)))))`)));
    expect((exports as Record<string, () => number>)['run']!()).toBe(-5);
    expect(typeof (exports as Record<string, { get(i: number): unknown }>)['t']!.get(0)).toBe('function');
    expect(Func).toBeDefined();
  });
});

describe('SIMD with the 3.0 features', () => {
  it.each(['interpreter', 'compiled'] as const)('loads and stores v128 on a 64-bit memory and on a second memory, exactly bounds-checked (%s tier)', (tier) => {
    const { call } = instantiate(`(module
      (memory $small 1)
      (memory $wide i64 1)
      (func (export "copy") (param $from i64) (param $to i32)
        (v128.store $small offset=16 (local.get $to) (v128.load $wide offset=4 (local.get $from))))
      (func (export "lanes") (param $at i64) (result i32)
        (v128.store32_lane $wide 2 (local.get $at) (v128.load32_zero $small (i32.const 16)))
        (i32x4.extract_lane 1 (v128.load64_lane $wide 0 (i64.const 0) (v128.load32_splat $small offset=20 (i32.const 0)))))
      (func (export "byte") (param i32) (result i32) (i32.load8_u $small (local.get 0)))
      (func (export "fill") (i64.store $wide (i64.const 4) (i64.const 0x0807060504030201))))`, new Engine({ tier }));
    call('fill');
    call('copy', [0n, 0]);
    expect([...Array(8).keys()].map((i) => call('byte', [16 + i])[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(call('lanes', [0n])).toEqual([0x04030201]);
    // Beyond the page, and at 2^32 + k, where a wrapped 32-bit address would be in bounds.
    for (const address of [65536n - 19n, 2n ** 32n, 2n ** 32n + 4n, 2n ** 64n - 1n]) {
      expect(() => call('copy', [address, 0])).toThrow(RuntimeError);
      expect(() => call('copy', [address, 0])).toThrow(/out of bounds/);
    }
    expect(() => call('lanes', [2n ** 32n])).toThrow(/out of bounds/);
  });

  it.each(['interpreter', 'compiled'] as const)('moves v128 arguments and results through return_call and return_call_indirect (%s tier)', (tier) => {
    const { call } = instantiate(`(module
      (type $t (func (param v128) (result v128)))
      (table funcref (elem $neg))
      (func $sum (param $n i32) (param $acc v128) (result v128)
        (if (result v128) (i32.eqz (local.get $n))
          (then (local.get $acc))
          (else (return_call $sum (i32.sub (local.get $n) (i32.const 1))
                  (i32x4.add (local.get $acc) (v128.const i32x4 1 2 3 4))))))
      (func $neg (type $t) (i32x4.neg (local.get 0)))
      (func $viaTable (param v128) (result v128) (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
      (func (export "sum") (param i32) (result v128) (call $sum (local.get 0) (v128.const i32x4 0 0 0 0)))
      (func (export "neg") (param v128) (result v128) (call $viaTable (local.get 0))))`, new Engine({ tier }));
    const words = (v: unknown) => [...new Int32Array((v as Uint8Array).slice().buffer)];
    expect(words(call('sum', [100_000])[0])).toEqual([100_000, 200_000, 300_000, 400_000]);
    expect(words(call('neg', [new Uint8Array(Int32Array.of(1, -2, 3, -4).buffer)])[0])).toEqual([-1, 2, -3, 4]);
  });
});
