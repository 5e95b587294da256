/**
 * Multi-memory and memory64 on the compiled tier (src/compiler/memory-ops-m.ts): every load and store kind, the
 * size, grow and bulk ops and SIMD accesses on a 64-bit memory and on a second index of one memory, give the interpreter's results,
 * traps and fuel, with bounds checks exact at 2^32 and beyond, and are compiled.
 */
import { describe, expect, it } from 'vitest';
import { tierStatistics } from '../src/compiler/runtime.js';
import { Engine, Linker, Memory, Module, RuntimeError, Store } from '../src/index.js';
import { wat } from './helpers/wat.js';

const LOADS = [
  ['i32.load', 'i32'], ['i64.load', 'i64'], ['f32.load', 'f32'], ['f64.load', 'f64'], ['i32.load8_s', 'i32'], ['i32.load8_u', 'i32'],
  ['i32.load16_s', 'i32'], ['i32.load16_u', 'i32'], ['i64.load8_s', 'i64'], ['i64.load8_u', 'i64'], ['i64.load16_s', 'i64'],
  ['i64.load16_u', 'i64'], ['i64.load32_s', 'i64'], ['i64.load32_u', 'i64'],
] as const;
const STORES = [
  ['i32.store', 'i32'], ['i64.store', 'i64'], ['f32.store', 'f32'], ['f64.store', 'f64'], ['i32.store8', 'i32'], ['i32.store16', 'i32'],
  ['i64.store8', 'i64'], ['i64.store16', 'i64'], ['i64.store32', 'i64'],
] as const;

// Memory 0 and 1 are one imported memory (a grow through one index must be seen through the other); memory 2 is 64-bit.
const PROGRAM = `(module
  (import "env" "shared" (memory $s 1 4))
  (import "env" "shared" (memory $t 1 4))
  (memory $w i64 1 5)
  (data (memory $w) (i64.const 0) "\\01\\82\\03\\f4\\05\\86\\07\\f8\\09\\8a\\0b\\fc\\0d\\8e\\0f\\ff")
  (data $p "passive bytes")
  ${LOADS.map(([op, type], i) => `
  (func (export "w${i}") (param i64) (result ${type}) (${op} $w offset=3 (local.get 0)))
  (func (export "t${i}") (param i32) (result ${type}) (${op} $t offset=5 (local.get 0)))`).join('')}
  ${STORES.map(([op, type], i) => `
  (func (export "sw${i}") (param i64 ${type}) (${op} $w offset=1 (local.get 0) (local.get 1)))
  (func (export "st${i}") (param i32 ${type}) (${op} $t (local.get 0) (local.get 1)))`).join('')}
  (func (export "vw") (param i64) (result v128) (v128.load $w offset=3 (local.get 0)))
  (func (export "vt") (param i32) (result v128) (v128.load32_splat $t offset=5 (local.get 0)))
  (func (export "svw") (param i64 v128) (v128.store $w offset=1 (local.get 0) (local.get 1)))
  (func (export "svt") (param i32 v128) (v128.store $t (local.get 0) (local.get 1)))
  (func (export "lanew") (param i64 v128) (result v128) (v128.load16_lane $w offset=2 3 (local.get 0) (local.get 1)))
  (func (export "slanet") (param i32 v128) (v128.store64_lane $t offset=7 1 (local.get 0) (local.get 1)))
  (func (export "s0") (param i32) (result i32) (i32.load8_u $s (local.get 0)))
  (func (export "sizes") (result i32 i32 i64) (memory.size $s) (memory.size $t) (memory.size $w))
  (func (export "growT") (param i32) (result i32) (memory.grow $t (local.get 0)))
  (func (export "growW") (param i64) (result i64) (memory.grow $w (local.get 0)))
  (func (export "fillW") (param i64 i32 i64) (memory.fill $w (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copyWT") (param i64 i32 i32) (memory.copy $w $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copyTW") (param i32 i64 i32) (memory.copy $t $w (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copyWW") (param i64 i64 i64) (memory.copy $w $w (local.get 0) (local.get 1) (local.get 2)))
  (func (export "initW") (param i64 i32 i32) (memory.init $w $p (local.get 0) (local.get 1) (local.get 2))))`;

const TWO_32 = 2n ** 32n;
const WIDE_ADDRESSES = [0n, 5n, 65524n, 65525n, 65529n, 65533n, 65536n, TWO_32 - 3n, TWO_32, TWO_32 + 3n, 2n ** 53n, 2n ** 64n - 4n];
const NARROW_ADDRESSES = [0, 9, 65523, 65527, 65531, 65535, -1, -6];

function run(tier: 'interpreter' | 'compiled'): unknown[] {
  const engine = new Engine({ tier, consumeFuel: true });
  const store = new Store(engine);
  const linker = new Linker(engine);
  linker.define('env', 'shared', new Memory(store, { min: 1, max: 4 }));
  const instance = linker.instantiate(store, new Module(engine, wat(PROGRAM)));
  const outcomes: unknown[] = [];
  const call = (name: string, ...args: unknown[]) => {
    store.setFuel(1000);
    try {
      outcomes.push([name, args.map(String), instance.getFunc(store, name)!.call(store, args).map(String)]);
    } catch (error) {
      if (!(error instanceof RuntimeError)) throw error;
      outcomes.push([name, args.map(String), error.trap]);
    }
    outcomes.push(1000 - store.getFuel());
  };
  const value = (type: string, i: number) => (type === 'i64' ? -0x123456789an * BigInt(i + 1) : type === 'i32' ? -0x1234567 * (i + 1) : -1.5 * (i + 1));
  STORES.forEach(([, type], i) => {
    for (const address of WIDE_ADDRESSES) call(`sw${i}`, address + BigInt(i), value(type, i));
    for (const address of NARROW_ADDRESSES) call(`st${i}`, address + i, value(type, i));
  });
  LOADS.forEach((_, i) => {
    for (const address of WIDE_ADDRESSES) call(`w${i}`, address);
    for (const address of NARROW_ADDRESSES) call(`t${i}`, address);
  });
  const vector = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 ^ (i * 29));
  for (const address of WIDE_ADDRESSES) {
    call('svw', address, vector);
    call('vw', address + 1n);
    call('lanew', address, vector);
  }
  for (const address of NARROW_ADDRESSES) {
    call('svt', address + 2, vector);
    call('vt', address);
    call('slanet', address, vector);
  }
  call('sizes');
  call('s0', 70_000);
  call('growT', 1);
  call('s0', 70_000);
  call('sizes');
  call('growT', 5);
  call('growW', 1n);
  call('growW', 2n ** 40n);
  call('sizes');
  call('fillW', 100n, 0xab, 50_000n);
  call('fillW', TWO_32, 1, 1n);
  call('fillW', 0n, 1, TWO_32);
  call('copyWT', 10n, 60_000, 9000);
  call('copyWT', 10n, 130_000, 9000);
  call('copyTW', 1, 131_000n, 70);
  call('copyTW', 1, TWO_32 + 1n, 1);
  call('copyWW', 5n, 0n, 100_000n);
  call('copyWW', 0n, 2n ** 64n - 1n, 2n);
  call('initW', 131_070n, 0, 2);
  call('initW', 131_070n, 0, 3);
  call('initW', 0n, 10, 4);
  for (const address of [0n, 100n, 131_071n]) LOADS.forEach((_, i) => call(`w${i}`, address));
  return outcomes;
}

describe('multi-memory and memory64 on the compiled tier', () => {
  it('give the interpreter\'s results, traps and fuel, and are compiled', () => {
    const before = tierStatistics();
    const compiled = run('compiled');
    const after = tierStatistics();
    expect(after.interpreted).toBe(before.interpreted);
    // Every exported function ran (each at least once).
    expect(after.compiled - before.compiled).toBe(2 * LOADS.length + 2 * STORES.length + 6 + 9);
    expect(compiled).toEqual(run('interpreter'));
  });
});
