/**
 * The executor: control flow, calls, multi-value, memory, tables, globals,
 * references and exact float bits, on modules assembled with wabt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, Func, Global, Linker, Module, Store, type Instance } from '../src/index.js';
import { wat } from './helpers/wat.js';


function instantiate(text: string, engine = new Engine()): { store: Store; instance: Instance; call: (name: string, ...args: unknown[]) => unknown[] } {
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, wat(text)));
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args);
  return { store, instance, call };
}

describe('control flow', () => {
  const { call } = instantiate(`(module
    (func (export "collatz") (param $n i64) (result i32) (local $steps i32)
      (block $done
        (loop $next
          (br_if $done (i64.eq (local.get $n) (i64.const 1)))
          (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
          (if (i64.eqz (i64.and (local.get $n) (i64.const 1)))
            (then (local.set $n (i64.shr_u (local.get $n) (i64.const 1))))
            (else (local.set $n (i64.add (i64.mul (local.get $n) (i64.const 3)) (i64.const 1)))))
          (br $next)))
      local.get $steps)
    (func (export "classify") (param i32) (result i32)
      (block $other (block $two (block $one (block $zero
        (br_table $zero $one $two $other (local.get 0)))
        (return (i32.const 100)))
        (return (i32.const 101)))
        (return (i32.const 102)))
      i32.const -1)
    (func (export "blockResult") (param i32) (result i32)
      (block $b (result i32)
        (drop (br_if $b (i32.const 7) (local.get 0)))
        i32.const 8))
    (func (export "select") (param i32 i64 i64) (result i64) (select (local.get 1) (local.get 2) (local.get 0)))
    (func (export "nested") (param i32 i32) (result i32) (local $acc i32) (local $i i32) (local $j i32)
      (loop $outer
        (local.set $j (i32.const 0))
        (loop $inner
          (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $j))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (local.get 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get $i) (local.get 0))))
      local.get $acc)
  )`);

  it('loops, ifs and branches', () => {
    expect(call('collatz', 27n)).toEqual([111]);
    expect(call('collatz', 1n)).toEqual([0]);
    expect(call('nested', 10, 10)).toEqual([2025]);
  });

  it('br_table picks the target and clamps to the default', () => {
    expect([0, 1, 2, 3, 4, -1].map((i) => call('classify', i)[0])).toEqual([100, 101, 102, -1, -1, -1]);
  });

  it('br_if with a value and select', () => {
    expect(call('blockResult', 1)).toEqual([7]);
    expect(call('blockResult', 0)).toEqual([8]);
    expect(call('select', 1, 5n, -6n)).toEqual([5n]);
    expect(call('select', 0, 5n, -6n)).toEqual([-6n]);
  });
});

describe('integer arithmetic', () => {
  const { call } = instantiate(`(module
    (func (export "i32") (param i32 i32) (result i32 i32 i32 i32 i32 i32 i32 i32)
      (i32.add (local.get 0) (local.get 1)) (i32.sub (local.get 0) (local.get 1))
      (i32.mul (local.get 0) (local.get 1)) (i32.div_u (local.get 0) (local.get 1))
      (i32.rem_s (local.get 0) (local.get 1)) (i32.rotl (local.get 0) (local.get 1))
      (i32.shr_s (local.get 0) (local.get 1)) (i32.popcnt (local.get 0)))
    (func (export "i64") (param i64 i64) (result i64 i64 i64 i64 i64 i64 i64 i32)
      (i64.add (local.get 0) (local.get 1)) (i64.sub (local.get 0) (local.get 1))
      (i64.mul (local.get 0) (local.get 1)) (i64.div_s (local.get 0) (local.get 1))
      (i64.rem_u (local.get 0) (local.get 1)) (i64.rotr (local.get 0) (local.get 1))
      (i64.shl (local.get 0) (local.get 1)) (i64.lt_s (local.get 0) (local.get 1)))
    (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
    (func (export "cmp64") (param i64 i64) (result i32 i32 i32 i32 i32 i32 i32 i32)
      (i64.lt_s (local.get 0) (local.get 1)) (i64.lt_u (local.get 0) (local.get 1))
      (i64.gt_s (local.get 0) (local.get 1)) (i64.gt_u (local.get 0) (local.get 1))
      (i64.le_s (local.get 0) (local.get 1)) (i64.le_u (local.get 0) (local.get 1))
      (i64.ge_s (local.get 0) (local.get 1)) (i64.ge_u (local.get 0) (local.get 1)))
    (func (export "ext") (param i32) (result i64 i64 i32 i64)
      (i64.extend_i32_s (local.get 0)) (i64.extend_i32_u (local.get 0))
      (i32.extend8_s (local.get 0)) (i64.extend16_s (i64.extend_i32_u (local.get 0))))
    (func (export "imm") (param i32) (result i32 i32 i32 i32)
      (i32.add (local.get 0) (i32.const -1)) (i32.shr_u (local.get 0) (i32.const 4))
      (i32.lt_u (local.get 0) (i32.const 10)) (i32.ge_s (local.get 0) (i32.const 10)))
  )`);

  it('i32', () => {
    expect(call('i32', -7, 3)).toEqual([-4, -10, -21, 1431655763, -1, -49, -1, 30]);
    expect(call('i32', 0x7fffffff, 1)).toEqual([-2147483648, 2147483646, 2147483647, 2147483647, 0, -2, 1073741823, 31]);
  });

  it('i64 on 32-bit halves', () => {
    const max = 0x7fffffffffffffffn;
    expect(call('i64', max, 1n)).toEqual([-(max + 1n), max - 1n, max, max, 0n, -0x4000000000000001n, -2n, 0]);
    const u = 2n ** 64n - 100n;
    const rotr7 = BigInt.asIntN(64, (u >> 7n) | BigInt.asUintN(64, u << 57n));
    expect(call('i64', -100n, 7n)).toEqual([-93n, -107n, -700n, -14n, u % 7n, rotr7, -12800n, 1]);
    expect(call('i64', 0xffffffffn, 1n)).toEqual([0x100000000n, 0xfffffffen, 0xffffffffn, 0xffffffffn, 0n, -0x8000000000000000n + 0x7fffffffn, 0x1fffffffen, 0]);
  });

  it('i64.mul in BigInt: the low 64 bits of any product, signed', () => {
    const anyI64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(anyI64, anyI64, (a, b) => {
        expect(call('mul64', a, b)).toEqual([BigInt.asIntN(64, a * b)]);
      }),
    );
  });

  it('i64 comparisons, signed and unsigned, across the word boundary', () => {
    expect(call('cmp64', -1n, 1n)).toEqual([1, 0, 0, 1, 1, 0, 0, 1]);
    expect(call('cmp64', 0x100000000n, 0xffffffffn)).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    expect(call('cmp64', 5n, 5n)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('extensions and immediates', () => {
    expect(call('ext', -2)).toEqual([-2n, 0xfffffffen, -2, -2n]);
    expect(call('ext', 0x80)).toEqual([128n, 128n, -128, 128n]);
    expect(call('imm', 0)).toEqual([-1, 0, 1, 0]);
    expect(call('imm', -1)).toEqual([-2, 0x0fffffff, 0, 0]);
  });
});

describe('calls', () => {
  const { store, instance, call } = instantiate(`(module
    (type $binop (func (param i32 i32) (result i32)))
    (table (export "table") 4 funcref)
    (elem (i32.const 0) $add $sub $swap)
    (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
    (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
    (func $swap (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func $fac (export "fac") (param i64) (result i64)
      (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
        (then (i64.const 1))
        (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
    (func $even (export "even") (param i32) (result i32)
      (if (result i32) (local.get 0) (then (call $odd (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 1))))
    (func $odd (param i32) (result i32)
      (if (result i32) (local.get 0) (then (call $even (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0))))
    (func (export "indirect") (param i32 i32 i32) (result i32)
      (call_indirect (type $binop) (local.get 1) (local.get 2) (local.get 0)))
    (func (export "swapTwice") (param i32 i32) (result i32 i32)
      (call $swap (call $swap (local.get 0) (local.get 1))))
    (func (export "multi") (result i32 i64 f32 f64)
      (block (result i32 i64 f32 f64) (i32.const 1) (i64.const 2) (f32.const 3.5) (f64.const 4.25)))
    (func (export "locals") (param i32) (result i32) (local i32 i64 f64)
      (if (local.get 0) (then (local.set 1 (i32.const 5)) (local.set 2 (i64.const 6))))
      (i32.add (local.get 1) (i32.wrap_i64 (local.get 2))))
    ;; Leaves non-zero values in the registers the next callee at the same base gets.
    (func $dirty (local i64 i64 i64 i64 i64)
      (local.set 0 (i64.const -1)) (local.set 1 (i64.const -1)) (local.set 2 (i64.const -1))
      (local.set 3 (i64.const -1)) (local.set 4 (i64.const -1)))
    ;; $acc is read in the loop before the loop writes it; $n is written first, at the top level.
    (func $sumTo (param $to i64) (result i64) (local $n i64) (local $acc i64)
      (local.set $n (local.get $to))
      (block $done (loop $l
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $l)))
      (local.get $acc))
    ;; $x is written at the top level only after a block that reads it.
    (func $readThenWrite (result i64) (local $x i64) (local $y i64)
      (local.set $y (block (result i64) (local.get $x)))
      (local.set $x (i64.const 7))
      (i64.add (local.get $x) (local.get $y)))
    ;; The loop may be left, to $out, before $x is written.
    (func $exitFirst (param $leave i32) (result i64) (local $x i64)
      (block $out (loop $l
        (br_if $out (local.get $leave))
        (local.set $x (i64.const 9))
        (br_if $l (i32.const 0))))
      (local.get $x))
    ;; A load at a constant address goes through the zero register.
    (func $constLoad (result i64) (i64.load (i32.const 8)))
    (memory 1)
    (data (i32.const 8) "*")
    (func (export "afterDirty") (result i64 i64 i64 i64 i64)
      (call $dirty) (call $sumTo (i64.const 4)) (call $dirty) (call $readThenWrite)
      (call $dirty) (call $exitFirst (i32.const 1)) (call $exitFirst (i32.const 0))
      (call $dirty) (call $constLoad))
    (func $deep (export "deep") (param i32) (result i32)
      (if (result i32) (local.get 0)
        (then (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))
        (else (i32.const 0))))
  )`);

  it('recursion', () => {
    expect(call('fac', 20n)).toEqual([2432902008176640000n]);
    expect(call('even', 1001)).toEqual([0]);
    expect(call('even', 1000)).toEqual([1]);
  });

  it('recursion close to the call depth limit grows the register file', () => {
    expect(call('deep', 9000)).toEqual([9000]);
  });

  it('call_indirect through the table', () => {
    expect(call('indirect', 0, 10, 3)).toEqual([13]);
    expect(call('indirect', 1, 10, 3)).toEqual([7]);
    const table = instance.getTable(store, 'table')!;
    table.set(3, table.get(0));
    expect(call('indirect', 3, 1, 2)).toEqual([3]);
  });

  it('multiple results from functions and blocks', () => {
    expect(call('swapTwice', 1, 2)).toEqual([1, 2]);
    expect(call('multi')).toEqual([1, 2n, 3.5, 4.25]);
  });

  it('declared locals start at zero on every call', () => {
    expect(call('locals', 1)).toEqual([11]);
    expect(call('locals', 0)).toEqual([0]);
  });

  it('locals a path may read before writing start at zero, even over an earlier frame', () => {
    expect(call('afterDirty')).toEqual([10n, 7n, 0n, 9n, 42n]);
  });
});

describe('memory', () => {
  const { store, instance, call } = instantiate(`(module
    (memory (export "mem") 1 3)
    (data (i32.const 16) "\\01\\02\\03\\04\\05\\06\\07\\08\\ff")
    (data $passive "hello")
    (func (export "loads") (param i32) (result i32 i32 i32 i32 i64 i64 i64)
      (i32.load (local.get 0)) (i32.load8_s offset=8 (local.get 0)) (i32.load16_u offset=1 (local.get 0))
      (i32.load16_s offset=7 (local.get 0)) (i64.load (local.get 0)) (i64.load32_u offset=5 (local.get 0))
      (i64.load8_s offset=8 (local.get 0)))
    (func (export "store") (param i32 i64)
      (i64.store offset=3 (local.get 0) (local.get 1)))
    (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
    (func (export "load64") (param i32) (result i64) (i64.load offset=3 (local.get 0)))
    (func (export "size") (result i32) memory.size)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "loadAt") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
    (func (export "init") (param i32 i32 i32) (memory.init $passive (local.get 0) (local.get 1) (local.get 2)))
    (func (export "drop") (data.drop $passive))
  )`);

  it('loads of every width, signed and unsigned, unaligned', () => {
    expect(call('loads', 16)).toEqual([0x04030201, -1, 0x0302, -248, 0x0807060504030201n, 0xff080706n, -1n]);
  });

  it('stores and loads at unaligned addresses', () => {
    call('store', 101, -0x123456789abcdefn);
    expect(call('load64', 101)).toEqual([-0x123456789abcdefn]);
    call('store16', 7, 0x12345);
    expect(call('loadAt', 7)).toEqual([0x45]);
    expect(call('loadAt', 8)).toEqual([0x23]);
  });

  it('the last bytes are accessible', () => {
    call('store16', 65534, 0xbeef);
    expect(call('loadAt', 65535)).toEqual([0xbe]);
  });

  it('grow keeps the contents and refreshes the executor views', () => {
    const memory = instance.getMemory(store, 'mem')!;
    const before = memory.buffer();
    expect(call('size')).toEqual([1]);
    expect(call('grow', 1)).toEqual([1]);
    expect(call('size')).toEqual([2]);
    expect(memory.buffer()).not.toBe(before);
    expect(call('loads', 16)[0]).toBe(0x04030201);
    call('store16', 65536 + 100, 0x4242);
    expect(call('loadAt', 65536 + 100)).toEqual([0x42]);
    expect(call('grow', 2)).toEqual([-1]);
    expect(call('grow', 0)).toEqual([2]);
  });

  it('fill, copy (overlapping), init and data.drop', () => {
    call('fill', 200, 0x1ab, 10);
    expect(call('loadAt', 209)).toEqual([0xab]);
    expect(call('loadAt', 210)).toEqual([0]);
    call('copy', 202, 200, 10);
    expect(call('loadAt', 211)).toEqual([0xab]);
    call('init', 300, 1, 4);
    const bytes = instance.getMemory(store, 'mem')!.data();
    expect(Buffer.from(bytes.subarray(300, 304)).toString()).toBe('ello');
    call('init', 400, 0, 0);
    call('drop');
    call('init', 400, 0, 0); // a zero-length init of a dropped segment is fine
    expect(() => call('init', 400, 0, 1)).toThrow(/out of bounds memory access/);
  });
});

describe('floats keep their bits', () => {
  const { store, instance } = instantiate(`(module
    (memory 1)
    (func (export "f32ops") (param f32 f32) (result f32 f32 f32 f32)
      (f32.neg (local.get 0)) (f32.abs (local.get 0)) (f32.copysign (local.get 0) (local.get 1)) (local.get 0))
    (func (export "f64ops") (param f64 f64) (result f64 f64 f64)
      (f64.neg (local.get 0)) (f64.abs (local.get 0)) (f64.copysign (local.get 0) (local.get 1)))
    (func (export "rounding") (param f64 f32) (result f64 f64 f64 f32 f32 f32)
      (f64.ceil (local.get 0)) (f64.floor (local.get 0)) (f64.trunc (local.get 0))
      (f32.ceil (local.get 1)) (f32.floor (local.get 1)) (f32.trunc (local.get 1)))
    (func (export "f32mem") (param f32) (result f32 i32)
      (f32.store (i32.const 1) (local.get 0)) (f32.load (i32.const 1)) (i32.load (i32.const 1)))
    (func (export "f64mem") (param f64) (result f64 i64)
      (f64.store (i32.const 3) (local.get 0)) (f64.load (i32.const 3)) (i64.load (i32.const 3)))
    (func (export "reinterpret") (param i32 i64) (result f32 f64)
      (f32.reinterpret_i32 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))
    (func (export "arith") (param f32 f64) (result f32 f64 f32 f64 f32 f64)
      (f32.add (local.get 0) (f32.const 0.1)) (f64.mul (local.get 1) (f64.const 3))
      (f32.sqrt (local.get 0)) (f64.nearest (local.get 1))
      (f32.min (local.get 0) (f32.const -0)) (f64.max (local.get 1) (f64.const 0)))
    (func (export "convert") (param i64 f64) (result f32 f64 i32 i64 f32)
      (f32.convert_i64_u (local.get 0)) (f64.convert_i64_s (local.get 0))
      (i32.trunc_sat_f64_s (local.get 1)) (i64.trunc_f64_u (f64.abs (local.get 1)))
      (f32.demote_f64 (local.get 1)))
  )`);
  const raw = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.callRaw(store, args);
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args);

  it('f32 sign operations and moves preserve NaN payloads', () => {
    expect(raw('f32ops', 0x7fa00001, 0x80000000)).toEqual([0xffa00001, 0x7fa00001, 0xffa00001, 0x7fa00001]);
  });

  it('f64 sign operations preserve NaN payloads', () => {
    expect(raw('f64ops', 0x7ff4000000000001n, 0x8000000000000000n)).toEqual([
      0xfff4000000000001n,
      0x7ff4000000000001n,
      0xfff4000000000001n,
    ]);
  });

  it('ceil, floor and trunc quiet a signalling NaN and round numbers as Math does', () => {
    const results = raw('rounding', 0x7ff4000000000001n, 0x7fa00001) as (bigint | number)[];
    for (const bits of results.slice(0, 3)) expect((bits as bigint) & 0x7ff8000000000000n).toBe(0x7ff8000000000000n);
    for (const bits of results.slice(3)) expect((bits as number) & 0x7fc00000).toBe(0x7fc00000);
    for (const x of [-2.5, -0.5, -0, 0.5, 1e300, -1e-300]) {
      const [ceil, floor, trunc] = call('rounding', x, 0) as number[];
      expect([ceil, floor, trunc]).toEqual([Math.ceil(x), Math.floor(x), Math.trunc(x)]);
    }
  });

  it('float loads and stores move bits', () => {
    expect(raw('f32mem', 0x7f800001)).toEqual([0x7f800001, 0x7f800001]);
    expect(raw('f64mem', 0x7ff0000000000001n)).toEqual([0x7ff0000000000001n, 0x7ff0000000000001n]);
    expect(raw('reinterpret', -0x3fffff, 0x7ff8dead0000beefn)).toEqual([0xffc00001, 0x7ff8dead0000beefn]);
  });

  it('arithmetic rounds to the type', () => {
    const [add, mul, sqrt, nearest, min, max] = call('arith', 1.5, 2.5) as number[];
    expect(add).toBe(Math.fround(1.5 + Math.fround(0.1)));
    expect(mul).toBe(7.5);
    expect(sqrt).toBe(Math.fround(Math.sqrt(1.5)));
    expect(nearest).toBe(2);
    expect(Object.is(call('arith', 0, -0)[4], -0)).toBe(true);
    expect(min).toBe(-0);
    expect(max).toBe(2.5);
  });

  it('conversions', () => {
    expect(call('convert', 2n ** 63n + 1n - 2n ** 64n, 3e10)).toEqual([2 ** 63, -(2 ** 63) + 1, 2147483647, 30000000000n, Math.fround(3e10)]);
    expect(call('convert', -1n, -1.5)).toEqual([2 ** 64, -1, -1, 1n, -1.5]);
  });
});

describe('globals', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const linker = new Linker(engine);

  it('get, set, imported and exported', () => {
    const base = new Global(store, { value: 'i64', mutable: true }, 10n);
    linker.define('env', 'base', base);
    linker.define('env', 'seed', new Global(store, { value: 'i64', mutable: false }, 10n));
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "base" (global $base (mut i64)))
      (import "env" "seed" (global $seed i64))
      (global $count (export "count") (mut i32) (i32.const 0))
      (global $pi (export "pi") f64 (f64.const 3.14159))
      (global $nan (export "nan") f32 (f32.const nan:0x200001))
      (global $copy (export "copy") i64 (global.get $seed))
      (func (export "bump") (result i32 i64)
        (global.set $count (i32.add (global.get $count) (i32.const 1)))
        (global.set $base (i64.add (global.get $base) (i64.const 5)))
        (global.get $count) (global.get $base))
      (func (export "nanBits") (result i32) (i32.reinterpret_f32 (global.get $nan)))
    )`)));
    const bump = instance.getFunc(store, 'bump')!;
    expect(bump.call(store, [])).toEqual([1, 15n]);
    expect(bump.call(store, [])).toEqual([2, 20n]);
    expect(base.get()).toBe(20n);
    base.set(-1n);
    expect(bump.call(store, [])).toEqual([3, 4n]);
    expect(instance.getGlobal(store, 'count')!.get()).toBe(3);
    expect(instance.getGlobal(store, 'pi')!.get()).toBe(3.14159);
    expect(instance.getGlobal(store, 'copy')!.get()).toBe(10n);
    expect(instance.getGlobal(store, 'nan')!.getRaw()).toBe(0x7fa00001);
    expect(instance.getFunc(store, 'nanBits')!.call(store, [])).toEqual([0x7fa00001]);
  });
});

describe('tables and references', () => {
  const engine = new Engine();
  const store = new Store(engine);
  const hostFunc = Func.wrap(store, { params: [], results: ['i32'] }, () => 99);
  const linker = new Linker(engine).define('env', 'host', hostFunc);
  const instance = linker.instantiate(store, new Module(engine, wat(`(module
    (import "env" "host" (func $host (result i32)))
    (type $v (func (result i32)))
    (table $funcs (export "funcs") 2 10 funcref)
    (table $things (export "things") 2 externref)
    (elem $seg funcref (ref.func $one) (ref.func $two) (ref.null func))
    (elem declare func $host)
    (func $one (result i32) i32.const 1)
    (func $two (result i32) i32.const 2)
    (func (export "init") (param i32 i32 i32) (table.init $funcs $seg (local.get 0) (local.get 1) (local.get 2)))
    (func (export "dropSeg") (elem.drop $seg))
    (func (export "callAt") (param i32) (result i32) (call_indirect $funcs (type $v) (local.get 0)))
    (func (export "size") (result i32 i32) (table.size $funcs) (table.size $things))
    (func (export "grow") (param externref i32) (result i32) (table.grow $things (local.get 0) (local.get 1)))
    (func (export "set") (param i32 externref) (table.set $things (local.get 0) (local.get 1)))
    (func (export "get") (param i32) (result externref) (table.get $things (local.get 0)))
    (func (export "fill") (param i32 externref i32) (table.fill $things (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy") (param i32 i32 i32) (table.copy $things $things (local.get 0) (local.get 1) (local.get 2)))
    (func (export "putHost") (param i32) (table.set $funcs (local.get 0) (ref.func $host)))
    (func (export "isNull") (param externref) (result i32) (ref.is_null (local.get 0)))
    (func (export "funcRef") (result funcref) (ref.func $host))
    (func (export "pick") (param i32 externref externref) (result externref)
      (select (result externref) (local.get 1) (local.get 2) (local.get 0)))
  )`)));
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args);

  it('table.init, call_indirect, elem.drop', () => {
    call('init', 0, 0, 2);
    expect(call('callAt', 0)).toEqual([1]);
    expect(call('callAt', 1)).toEqual([2]);
    call('dropSeg');
    expect(() => call('init', 0, 0, 1)).toThrow(/out of bounds table access/);
  });

  it('ref.func of an imported host function, called indirectly', () => {
    call('putHost', 1);
    expect(call('callAt', 1)).toEqual([99]);
    expect(call('funcRef')[0]).toBe(hostFunc);
    expect(instance.getTable(store, 'funcs')!.get(1)).toBe(hostFunc);
  });

  it('externref values go through tables, selects and calls unchanged', () => {
    const token = { secret: 1 };
    expect(call('size')).toEqual([2, 2]);
    expect(call('grow', token, 3)).toEqual([2]);
    expect(call('size')).toEqual([2, 5]);
    expect(call('get', 4)[0]).toBe(token);
    call('set', 0, 'text');
    call('fill', 1, 42, 2);
    call('copy', 3, 0, 2);
    expect([0, 1, 2, 3, 4].map((i) => call('get', i)[0])).toEqual(['text', 42, 42, 'text', 42]);
    expect(call('isNull', null)).toEqual([1]);
    expect(call('isNull', undefined)).toEqual([0]);
    expect(call('pick', 1, token, null)[0]).toBe(token);
    expect(call('pick', 0, token, null)[0]).toBe(null);
  });
});

describe('cross-instance calls', () => {
  it('switch memory, globals and tables to the callee instance', () => {
    const engine = new Engine();
    const store = new Store(engine);
    const linker = new Linker(engine);
    const lib = linker.instantiate(store, new Module(engine, wat(`(module
      (memory (export "mem") 1)
      (global $g (mut i32) (i32.const 1000))
      (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
      (func (export "peek") (param i32) (result i32) (i32.add (i32.load (local.get 0)) (global.get $g)))
    )`)));
    linker.defineInstance(store, 'lib', lib);
    const app = linker.instantiate(store, new Module(engine, wat(`(module
      (import "lib" "poke" (func $poke (param i32 i32)))
      (import "lib" "peek" (func $peek (param i32) (result i32)))
      (memory 1)
      (global $g i32 (i32.const 5))
      (func (export "run") (result i32 i32)
        (i32.store (i32.const 0) (i32.const 11))
        (call $poke (i32.const 0) (i32.const 22))
        (i32.add (call $peek (i32.const 0)) (global.get $g))
        (i32.load (i32.const 0)))
    )`)));
    expect(app.getFunc(store, 'run')!.call(store, [])).toEqual([1027, 11]);
    expect(new DataView(lib.getMemory(store, 'mem')!.buffer()).getInt32(0, true)).toBe(22);
  });
});
