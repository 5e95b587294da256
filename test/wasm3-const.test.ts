/** Extended constant expressions (WebAssembly 3.0): arithmetic in global initializers and segment offsets. */
import { describe, expect, it } from 'vitest';
import { CompileError, Engine, Global, Linker, Module, Store } from '../src/index.js';
import { wat } from './helpers/wat.js';

const PROGRAM = `(module
  (global $base (import "env" "base") i32)
  (global $k i64 (i64.const 0x7fffffffffffffff))
  (global $sum i32 (i32.add (global.get $base) (i32.mul (i32.const 3) (i32.const 4))))
  (global $wrap32 i32 (i32.sub (i32.const -2147483648) (i32.const 1)))
  (global $wrap64 i64 (i64.add (global.get $k) (i64.mul (i64.const 2) (i64.const 1))))
  (global $mul64 i64 (i64.mul (i64.const 0x100000001) (i64.const 0x100000001)))
  (memory 1)
  (data (i32.add (global.get $base) (i32.const 8)) "hi")
  (func (export "sum") (result i32) (global.get $sum))
  (func (export "wrap32") (result i32) (global.get $wrap32))
  (func (export "wrap64") (result i64) (global.get $wrap64))
  (func (export "mul64") (result i64) (global.get $mul64))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))`;

function instantiate(engine: Engine, base: number) {
  const store = new Store(engine);
  const linker = new Linker(engine);
  linker.define('env', 'base', new Global(store, { value: 'i32', mutable: false }, base));
  return { store, instance: linker.instantiate(store, new Module(engine, wat(PROGRAM))) };
}

describe('extended constant expressions', () => {
  it('evaluates i32 and i64 add, sub and mul with wrap-around, in globals and data offsets', () => {
    const { store, instance } = instantiate(new Engine(), 100);
    const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args)[0];
    expect(call('sum')).toBe(112);
    expect(call('wrap32')).toBe(2147483647);
    expect(call('wrap64')).toBe(-0x7fffffffffffffffn);
    expect(call('mul64')).toBe(0x200000001n);
    expect(call('byte', 108)).toBe(0x68);
    expect(call('byte', 109)).toBe(0x69);
  });

  it('rejects arithmetic on the wrong type or without operands', () => {
    const engine = new Engine();
    expect(() => new Module(engine, wat('(module (global i32 (i32.add (i64.const 1) (i32.const 2))))'))).toThrow(/type mismatch/);
    // i32.add with one operand: hand-written, as the text format would not encode it.
    const bytes = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 6, 6, 1, 0x7f, 0, 0x41, 1, 0x6a, 0x0b);
    expect(() => new Module(engine, bytes)).toThrow(/type mismatch/);
  });

  it('is rejected, naming the feature, when the feature is off', () => {
    const engine = new Engine({ features: { extendedConst: false } });
    const bytes = wat('(module (global i32 (i32.add (i32.const 1) (i32.const 2))))');
    expect(() => new Module(engine, bytes)).toThrow(CompileError);
    expect(() => new Module(engine, bytes)).toThrow(/extended constant expressions feature is disabled/);
    expect(() => new Module(engine, wat('(module (global i32 (i32.const 1)) (global i32 (global.get 0)))'))).toThrow(/unknown global/);
  });

  it('rejects a feature flag that is not a boolean', () => {
    expect(() => new Engine({ features: { tailCall: 'yes' as unknown as boolean } })).toThrow(RangeError);
  });
});
