/**
 * Every trap code surfaces as a RuntimeError with its code and the spec's
 * message (plus the function name when the module has one), and the store
 * keeps working afterwards.
 */
import { describe, expect, it } from 'vitest';
import { Engine, Func, Linker, Module, RuntimeError, Store, TRAP_MESSAGES, type TrapCode } from '../src/index.js';
import { wat } from './helpers/wat.js';

const PROGRAM = `(module
  (memory 1)
  (table $t 2 funcref)
  (type $v (func))
  (elem (i32.const 0) $ok)
  (elem declare func $takesI32)
  (func $ok)
  (func $takesI32 (param i32))
  (func (export "unreachable") unreachable)
  (func (export "load") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "store") (param i32) (i64.store (local.get 0) (i64.const 1)))
  (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "tableGet") (param i32) (result funcref) (table.get $t (local.get 0)))
  (func (export "callAt") (param i32) (call_indirect (type $v) (local.get 0)))
  (func (export "callWrongType") (table.set $t (i32.const 1) (ref.func $takesI32)) (call_indirect (type $v) (i32.const 1)))
  (func (export "divS") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "remU64") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
  (func (export "divS64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "truncU64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (i32.const 1) (call $recurse (local.get 0))))
  (func (export "ok") (result i32) i32.const 7)
)`;

const engine = new Engine();
const store = new Store(engine);
const instance = new Linker(engine).instantiate(store, new Module(engine, wat(PROGRAM)));

function trapOf(name: string, ...args: unknown[]): RuntimeError {
  try {
    instance.getFunc(store, name)!.call(store, args);
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeError);
    return error as RuntimeError;
  }
  throw new Error(`${name} did not trap`);
}

function expectTrap(code: TrapCode, name: string, ...args: unknown[]): void {
  const error = trapOf(name, ...args);
  expect(error.trap).toBe(code);
  expect(error.message).toBe(TRAP_MESSAGES[code]);
  // The store is still usable.
  expect(instance.getFunc(store, 'ok')!.call(store, [])).toEqual([7]);
}

describe('trap codes', () => {
  it('unreachable', () => expectTrap('unreachable', 'unreachable'));

  it('memoryOutOfBounds: loads and stores check address + offset + size', () => {
    expect(instance.getFunc(store, 'load')!.call(store, [65528])).toEqual([0]);
    expectTrap('memoryOutOfBounds', 'load', 65529);
    expectTrap('memoryOutOfBounds', 'load', -1); // 0xffffffff + 4 does not wrap
    expectTrap('memoryOutOfBounds', 'store', 65529);
  });

  it('memoryOutOfBounds: bulk ops, even with length 0 past the end', () => {
    expectTrap('memoryOutOfBounds', 'fill', 65000, 1000);
    expectTrap('memoryOutOfBounds', 'fill', 65537, 0);
    expect(instance.getFunc(store, 'fill')!.call(store, [65536, 0])).toEqual([]);
  });

  it('tableOutOfBounds', () => {
    expectTrap('tableOutOfBounds', 'tableGet', 2);
    expectTrap('tableOutOfBounds', 'callAt', 5);
  });

  it('indirectCallToNull and badSignature', () => {
    expect(instance.getFunc(store, 'callAt')!.call(store, [0])).toEqual([]);
    expectTrap('indirectCallToNull', 'callAt', 1);
    expectTrap('badSignature', 'callWrongType');
  });

  it('integerDivideByZero and integerOverflow', () => {
    expectTrap('integerDivideByZero', 'divS', 1, 0);
    expectTrap('integerOverflow', 'divS', -2147483648, -1);
    expectTrap('integerDivideByZero', 'remU64', 1n, 0n);
    expectTrap('integerOverflow', 'divS64', -(2n ** 63n), -1n);
  });

  it('invalidConversionToInteger and integerOverflow from truncation', () => {
    expectTrap('invalidConversionToInteger', 'trunc', NaN);
    expectTrap('integerOverflow', 'trunc', 2147483648);
    expect(instance.getFunc(store, 'trunc')!.call(store, [-2147483648.9])).toEqual([-2147483648]);
    expectTrap('integerOverflow', 'truncU64', -1);
    expectTrap('invalidConversionToInteger', 'truncU64', NaN);
  });

  it('callStackExhausted on deep recursion, never a JS RangeError', () => {
    const error = trapOf('recurse', 0);
    expect(error.trap).toBe('callStackExhausted');
    expect(error.message).toBe('call stack exhausted');
  });

  it('the call depth limit is configurable', () => {
    const shallow = new Engine({ maxCallDepth: 50 });
    const shallowStore = new Store(shallow);
    const deep = new Linker(shallow).instantiate(shallowStore, new Module(shallow, wat(`(module
      (func $down (export "down") (param i32) (result i32)
        (if (result i32) (local.get 0) (then (call $down (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0)))))`)));
    const down = deep.getFunc(shallowStore, 'down')!;
    expect(down.call(shallowStore, [49])).toEqual([0]);
    expect(() => down.call(shallowStore, [50])).toThrow(/call stack exhausted/);
  });

  it('register slots are bounded too: deep recursion of a function with 50,000 locals traps, the host survives', () => {
    const bomb = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
      (func $dive (export "dive") (local ${'i64 '.repeat(50_000)}) (call $dive)))`)));
    expect(() => bomb.getFunc(store, 'dive')!.call(store, [])).toThrow(expect.objectContaining({ trap: 'callStackExhausted' }));
    expect(instance.getFunc(store, 'ok')!.call(store, [])).toEqual([7]);
    const small = new Engine({ maxStackSlots: 200_000 });
    const smallStore = new Store(small);
    const frames = new Linker(small).instantiate(smallStore, new Module(small, wat(`(module
      (func $down (export "down") (param i32) (result i32) (local ${'i32 '.repeat(999)})
        (if (result i32) (local.get 0) (then (call $down (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const 0)))))`)));
    const down = frames.getFunc(smallStore, 'down')!;
    expect(down.call(smallStore, [100])).toEqual([0]);
    expect(() => down.call(smallStore, [1000])).toThrow(/call stack exhausted/);
    expect(() => new Engine({ maxStackSlots: 10 })).toThrow(RangeError);
  });

  it('outOfFuel', () => {
    const metered = new Engine({ consumeFuel: true });
    const meteredStore = new Store(metered);
    const looping = new Linker(metered).instantiate(meteredStore, new Module(metered, wat(`(module
      (func $spin (export "spin") (loop $l (br $l))))`, { names: true })));
    meteredStore.setFuel(1000);
    const error = (() => {
      try {
        looping.getFunc(meteredStore, 'spin')!.call(meteredStore, []);
      } catch (e) {
        return e as RuntimeError;
      }
    })();
    expect(error?.trap).toBe('outOfFuel');
    expect(error?.message).toBe('all fuel consumed (in function $spin)');
  });

  it('host: a thrown error becomes the cause; a RuntimeError passes through', () => {
    const hostStore = new Store(engine);
    const cause = new Error('disk on fire');
    const passThrough = new RuntimeError('unreachable', 'custom trap');
    let mode = 0;
    const host = Func.wrap(hostStore, { params: [], results: [] }, () => {
      if (mode === 0) throw cause;
      throw passThrough;
    });
    const caller = new Linker(engine).define('env', 'h', host).instantiate(hostStore, new Module(engine, wat(`(module
      (import "env" "h" (func $h)) (func (export "run") (call $h)))`)));
    const run = caller.getFunc(hostStore, 'run')!;
    let error: unknown;
    try {
      run.call(hostStore, []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).trap).toBe('host');
    expect((error as RuntimeError).cause).toBe(cause);
    expect((error as RuntimeError).message).toContain('disk on fire');
    mode = 1;
    expect(() => run.call(hostStore, [])).toThrow(passThrough);
  });

  it('host: a result of the wrong type is a host trap, not a raw TypeError', () => {
    const hostStore = new Store(engine);
    const bad = Func.wrap(hostStore, { params: [], results: ['i64'] }, () => 5);
    const caller = new Linker(engine).define('env', 'h', bad).instantiate(hostStore, new Module(engine, wat(`(module
      (import "env" "h" (func $h (result i64))) (func (export "run") (result i64) (call $h)))`)));
    let error: unknown;
    try {
      caller.getFunc(hostStore, 'run')!.call(hostStore, []);
    } catch (e) {
      error = e;
    }
    expect((error as RuntimeError).trap).toBe('host');
    expect((error as RuntimeError).message).toMatch(/expected i64/);
  });
});

describe('messages name the trapping function', () => {
  const named = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
    (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
    (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))`, { names: true })));

  it('uses the name section', () => {
    expect(() => named.getFunc(store, 'outer')!.call(store, [0])).toThrow('integer divide by zero (in function $inner)');
    expect(named.getFunc(store, 'outer')!.call(store, [1])).toEqual([1]);
  });
});

describe('the start function', () => {
  it('a trap in start is a RuntimeError from instantiate', () => {
    const module = new Module(engine, wat(`(module (func $start unreachable) (start $start))`));
    expect(() => new Linker(engine).instantiate(new Store(engine), module)).toThrow(RuntimeError);
  });
});
