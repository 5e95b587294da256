/**
 * Exception handling (WebAssembly 3.0): tags, throw, throw_ref, try_table, the
 * legacy try/catch/delegate/rethrow, exceptions crossing host functions and the
 * compiled tier's frames, exact fuel, the JS API's Tag/Exception/JSTag, and
 * typed errors for bad modules.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CompileError, Engine, Func, LinkError, Linker, Module, RuntimeError, Store, Tag, WasmException, type Instance,
} from '../src/index.js';
import { WebAssembly as W } from '../src/js-api/index.js';
import { SandboxConfig, SandboxError, WasmRuntime } from '../src/host/sandbox/index.js';
import { wat } from './helpers/wat.js';

const TIERS = ['interpreter', 'compiled'] as const;

/**
 * `run n` calls $dive n levels deep; the deepest throws $e 7, which `run`
 * catches and adds 100 to. Fuel, counted by hand: run's block, try_table,
 * local.get and call (4); each level above the bottom local.get, i32.eqz, if,
 * then local.get, i32.const, i32.sub, call (7); the bottom local.get, i32.eqz,
 * if, i32.const, throw (5); after the catch i32.const and i32.add (2). The
 * i32.const 1 and i32.add after each call never run.
 */
const DEEP = `(module
  (tag $e (export "e") (param i32))
  (func $dive (param $n i32) (result i32)
    (if (i32.eqz (local.get $n)) (then (throw $e (i32.const 7))))
    (i32.add (call $dive (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "dive") (param i32) (result i32) (call $dive (local.get 0)))
  (func (export "run") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h) (call $dive (local.get 0))))
    (i32.add (i32.const 100))))`;

const deepFuel = (n: number): number => 4 + 7 * n + 5 + 2;

function instantiateDeep(engine: Engine) {
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, wat(DEEP)));
  return { store, instance, run: instance.getFunc(store, 'run')!, dive: instance.getFunc(store, 'dive')! };
}

describe('exceptions through many frames', () => {
  it.each(TIERS)('a throw 1,000 frames down is caught with exact fuel (%s tier)', (tier) => {
    const { store, run } = instantiateDeep(new Engine({ tier, consumeFuel: true, maxCallDepth: 5000 }));
    store.setFuel(1_000_000);
    expect(run.call(store, [1000])).toEqual([107]);
    expect(1_000_000 - store.getFuel()).toBe(deepFuel(1000));
    expect(store.machine.depth).toBe(0);
  });

  it.each(TIERS)('stops out of fuel exactly at the budget and resumes to the same result and total (%s tier)', (tier) => {
    const { store, run } = instantiateDeep(new Engine({ tier, consumeFuel: true, maxCallDepth: 5000 }));
    const total = deepFuel(300);
    store.setFuel(total);
    expect(run.call(store, [300])).toEqual([107]);
    expect(store.getFuel()).toBe(0);
    for (const budget of [total - 1, deepFuel(300) - 3, 2 + 7 * 300 + 3]) {
      store.setFuel(budget);
      let call = run.callResumable(store, [300]);
      expect(call.done).toBe(false);
      let used = budget - store.getFuel();
      expect(used).toBeLessThanOrEqual(budget);
      while (!call.done) {
        store.setFuel(5);
        call = call.resume();
        used += 5 - store.getFuel();
      }
      expect(call.results).toEqual([107]);
      expect(used).toBe(total);
    }
  });

  it.each(TIERS)('an uncaught exception surfaces as a WasmException with its tag and payload (%s tier)', (tier) => {
    const { store, instance, dive } = instantiateDeep(new Engine({ tier, consumeFuel: true, maxCallDepth: 5000 }));
    store.setFuel(1_000_000);
    let thrown: unknown;
    try {
      dive.call(store, [1000]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WasmException);
    const exception = thrown as WasmException;
    expect(exception).toBeInstanceOf(RuntimeError);
    expect(exception.trap).toBe('uncaughtException');
    expect(exception.tag).toBe(instance.getTag(store, 'e'));
    expect(exception.payload).toEqual([7]);
    expect(exception.message).toBe('uncaught exception of tag e');
    // dive's call, then 1,000 levels of 7, then the bottom's 5.
    expect(1_000_000 - store.getFuel()).toBe(1 + 1 + 7 * 1000 + 5);
    expect(store.machine.depth).toBe(0);
  });
});

/**
 * `catcher` (interpreted: it has a try block) calls the host function `bounce`,
 * which calls `deep` (no exception ops, so compiled on the compiled tier) down
 * n levels to `thrower`; the exception unwinds the compiled frames and the
 * host function and lands in `catcher`.
 */
const ACROSS = `(module
  (import "env" "bounce" (func $bounce (param i32) (result i32)))
  (tag $e (export "e") (param i64 f64))
  (func $thrower (param i32) (result i32)
    (throw $e (i64.extend_i32_u (local.get 0)) (f64.const 2.5)))
  (func $deep (export "deep") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $thrower (i32.const 40)))
      (else (i32.add (call $deep (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
  (func (export "catcher") (param i32) (result i64 f64)
    (block $h (result i64 f64)
      (try_table (catch $e $h) (drop (call $bounce (local.get 0))))
      (return (i64.const -1) (f64.const 0)))))`;

function instantiateAcross(engine: Engine) {
  const store = new Store(engine);
  const linker = new Linker(engine);
  let instance: Instance | undefined;
  let hostSaw: unknown;
  linker.funcWrap('env', 'bounce', { params: ['i32'], results: ['i32'] }, (_caller, n: number) => {
    try {
      return instance!.getFunc(store, 'deep')!.call(store, [n])[0];
    } catch (error) {
      hostSaw = error;
      throw error;
    }
  });
  instance = linker.instantiate(store, new Module(engine, wat(ACROSS)));
  return { store, instance, hostSaw: () => hostSaw };
}

describe('exceptions crossing host functions and compiled frames', () => {
  it('gives the same results and fuel on both tiers', () => {
    const outcomes = TIERS.map((tier) => {
      const { store, instance, hostSaw } = instantiateAcross(new Engine({ tier, consumeFuel: true }));
      store.setFuel(1_000_000);
      const results = instance.getFunc(store, 'catcher')!.call(store, [200]);
      expect(hostSaw()).toBeInstanceOf(WasmException);
      return { results, fuel: 1_000_000 - store.getFuel(), depth: store.machine.depth };
    });
    expect(outcomes[0]!.results).toEqual([40n, 2.5]);
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[0]!.depth).toBe(0);
  });

  it.each(TIERS)('a host function throws a WasmException that Wasm catches, payload intact (%s tier)', (tier) => {
    const engine = new Engine({ tier });
    const store = new Store(engine);
    const tag = new Tag(store, { params: ['i32', 'i64', 'f32', 'f64'] });
    const linker = new Linker(engine);
    linker.define('env', 'tag', tag);
    linker.funcWrap('env', 'fail', { params: [], results: [] }, () => {
      throw new WasmException(tag, [-3, 1n << 60n, 1.5, -0.25]);
    });
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "tag" (tag $t (param i32 i64 f32 f64)))
      (import "env" "fail" (func $fail))
      (func (export "catch") (result i32 i64 f32 f64)
        (block $h (result i32 i64 f32 f64)
          (try_table (catch $t $h) (call $fail))
          (unreachable)))
      (func (export "escape") (call $fail)))`)));
    expect(instance.getFunc(store, 'catch')!.call(store, [])).toEqual([-3, 1n << 60n, 1.5, -0.25]);
    let thrown: unknown;
    try {
      instance.getFunc(store, 'escape')!.call(store, []);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WasmException);
    expect((thrown as WasmException).tag).toBe(tag);
    expect((thrown as WasmException).payload).toEqual([-3, 1n << 60n, 1.5, -0.25]);
  });

  it('rejects a payload that does not fit the tag with a TypeError', () => {
    const store = new Store(new Engine());
    const tag = new Tag(store, { params: ['i32'] });
    expect(() => new WasmException(tag, [])).toThrow(TypeError);
    expect(() => new WasmException(tag, [1n])).toThrow(TypeError);
    expect(() => new Tag(store, { params: ['i33'] } as never)).toThrow(TypeError);
  });

  it.each(TIERS)('an async host function whose promise rejects with a WasmException throws it in Wasm (%s tier)', async (tier) => {
    const engine = new Engine({ tier });
    const store = new Store(engine);
    const tag = new Tag(store, { params: ['i32'] });
    const linker = new Linker(engine);
    linker.define('env', 'tag', tag);
    linker.funcWrap('env', 'later', { params: [], results: ['i32'] }, () => Promise.reject(new WasmException(tag, [5])));
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "tag" (tag $t (param i32)))
      (import "env" "later" (func $later (result i32)))
      (func (export "run") (result i32)
        (block $h (result i32) (try_table (result i32) (catch $t $h) (call $later)) (return))
        (i32.add (i32.const 100))))`)));
    const call = instance.getFunc(store, 'run')!.callResumable(store, []);
    expect(call.done).toBe(false);
    if (call.done || call.reason !== 'hostSuspend') throw new Error('expected a host suspension');
    await call.pending;
    expect(call.resume()).toEqual({ done: true, results: [105] });
  });

  it.each(TIERS)('a tail call leaves the try blocks: what its host callee throws goes to the caller (%s tier)', (tier) => {
    const engine = new Engine({ tier });
    const store = new Store(engine);
    const tag = new Tag(store, { params: [] });
    const linker = new Linker(engine);
    linker.funcWrap('env', 'fail', { params: [], results: [] }, () => {
      throw new WasmException(tag, []);
    });
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "fail" (func $fail))
      (type $v (func))
      (table funcref (elem $fail))
      (func $direct (export "direct") (block $h (try_table (catch_all $h) (return_call $fail))))
      (func $indirect (export "indirect") (block $h (try (do (return_call_indirect (type $v) (i32.const 0))) (catch_all))))
      (func (export "outer") (param i32) (result i32)
        (block $h
          (try_table (catch_all $h) (if (local.get 0) (then (call $indirect)) (else (call $direct))))
          (return (i32.const 0)))
        (i32.const 1)))`)));
    expect(() => instance.getFunc(store, 'direct')!.call(store, [])).toThrow(WasmException);
    expect(() => instance.getFunc(store, 'indirect')!.call(store, [])).toThrow(WasmException);
    expect(instance.getFunc(store, 'outer')!.call(store, [0])).toEqual([1]);
    expect(instance.getFunc(store, 'outer')!.call(store, [1])).toEqual([1]);
  });

  it('a trap is no exception: catch_all does not catch it', () => {
    const engine = new Engine();
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
      (func (export "f") (block $h (try_table (catch_all $h) (unreachable)))))`)));
    expect(() => instance.getFunc(store, 'f')!.call(store, [])).toThrow(expect.objectContaining({ trap: 'unreachable' }));
  });
});

describe('legacy exception handling', () => {
  it.each(TIERS)('catches, rethrows and delegates through frames with exact fuel (%s tier)', (tier) => {
    const engine = new Engine({ tier, consumeFuel: true });
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
      (tag $e (param i32))
      (func $throw (param i32) (throw $e (local.get 0)))
      ;; try (1), local.get, call (2); the catch block: i32.const, i32.add (2) — catch costs nothing
      (func (export "catch") (param i32) (result i32)
        (try (result i32) (do (call $throw (local.get 0)) (i32.const 0))
          (catch $e (i32.const 1) (i32.add))))
      ;; an inner catch rethrows to the outer one, which delegates to the caller's catch_all
      (func $inner (param i32)
        (try (do (try (do (call $throw (local.get 0))) (catch_all (rethrow 0)))) (delegate 0)))
      (func (export "outer") (param i32) (result i32)
        (try (result i32) (do (call $inner (local.get 0)) (i32.const 0)) (catch_all (i32.const 5)))))`)));
    store.setFuel(1000);
    expect(instance.getFunc(store, 'catch')!.call(store, [41])).toEqual([42]);
    // catch: try, local.get, call; $throw: local.get, throw; the catch block: i32.const, i32.add
    expect(1000 - store.getFuel()).toBe(3 + 2 + 2);
    store.setFuel(1000);
    expect(instance.getFunc(store, 'outer')!.call(store, [1])).toEqual([5]);
    // outer: try, local.get, call; $inner: try, try, local.get, call; $throw: 2; rethrow; outer's catch_all: i32.const
    expect(1000 - store.getFuel()).toBe(3 + 4 + 2 + 1 + 1);
  });
});

describe('legacy catch registers', () => {
  it.each(TIERS)('an unreachable legacy catch still leaves the register of constant addresses alone (%s tier)', (tier) => {
    const engine = new Engine({ tier });
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module (tag $t) (memory 1) (data (i32.const 0) "\\07")
      (func (export "f") (param i32) (result i32)
        (if (local.get 0) (then (return (i32.load8_u (i32.const 0)))))
        (return (i32.const 5))
        (try (do) (catch $t)) (i32.const 1)))`)));
    expect(instance.getFunc(store, 'f')!.call(store, [1])).toEqual([7]);
    expect(instance.getFunc(store, 'f')!.call(store, [0])).toEqual([5]);
  });
});

describe('bad modules and imports', () => {
  const engine = new Engine();
  const compileError = (bytes: Uint8Array | string): CompileError => {
    try {
      new Module(engine, bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(CompileError);
      return error as CompileError;
    }
    throw new Error('the module compiled');
  };
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const typeSection = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];

  it('a tag section with a bad attribute, type index or result type', () => {
    expect(compileError(Uint8Array.from([...header, ...typeSection, 0x0d, 0x03, 0x01, 0x01, 0x00])).message)
      .toBe('malformed tag attribute 0x01: expected 0x00 (at byte offset 17)');
    expect(compileError(Uint8Array.from([...header, ...typeSection, 0x0d, 0x03, 0x01, 0x00, 0x05])).message).toBe('unknown type 5');
    expect(compileError(Uint8Array.from([...header, ...typeSection, 0x0d, 0x02, 0x01, 0x00])).message).toMatch(/^unexpected end/);
    expect(compileError('(module (tag (result i32)))').message).toBe('non-empty tag result type');
  });

  it('a tag section out of order', () => {
    // The tag section (13) must come before the global section (6).
    const globalSection = [0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b];
    const tagSection = [0x0d, 0x03, 0x01, 0x00, 0x00];
    expect(compileError(Uint8Array.from([...header, ...typeSection, ...globalSection, ...tagSection])).message)
      .toMatch(/^unexpected content after last section: tag section duplicated or out of order/);
  });

  it('invalid instructions', () => {
    expect(compileError('(module (func (throw 0)))').message).toMatch(/^unknown tag 0/);
    expect(compileError('(module (tag) (func (try_table (catch 1 0))))').message).toMatch(/^unknown tag 1/);
    expect(compileError('(module (tag (param i32)) (func (block $l (try_table (catch 0 $l)))))').message).toMatch(/^type mismatch: catch clause delivers \[i32\] to a label of \[\]/);
    expect(compileError('(module (func (block (try (do) (catch_all (rethrow 1))))))').message).toMatch(/^invalid rethrow label/);
    expect(compileError('(module (func (throw_ref (ref.null extern))))').message).toMatch(/^type mismatch/);
    expect(compileError(Uint8Array.from([...header, ...typeSection, 0x03, 0x02, 0x01, 0x00,
      0x0a, 0x08, 0x01, 0x06, 0x00, 0x1f, 0x40, 0x01, 0x04, 0x0b])).message).toMatch(/^malformed catch clause kind 0x4/);
  });

  it('names the feature when exception handling is turned off', () => {
    const off = new Engine({ features: { exceptions: false } });
    const error = (text: string): string => {
      try {
        new Module(off, text);
      } catch (e) {
        expect(e).toBeInstanceOf(CompileError);
        return (e as Error).message;
      }
      throw new Error('the module compiled');
    };
    expect(error('(module (tag))')).toMatch(/malformed section id 13 \(tag\) \(the exception handling feature is disabled\)/);
    expect(error('(module (import "a" "b" (tag)))')).toMatch(/\(the exception handling feature is disabled\)/);
    expect(error('(module (func (try_table)))')).toMatch(/unknown instruction try_table \(the exception handling feature is disabled\)/);
    expect(error('(module (func (try (do))))')).toMatch(/unknown instruction try \(the exception handling feature is disabled\)/);
    expect(error('(module (func (param exnref)))')).toMatch(/\(the exception handling feature is disabled\)/);
  });

  it('a tag import of another type or kind is a LinkError naming the import', () => {
    const store = new Store(engine);
    const linker = new Linker(engine);
    linker.define('env', 't', new Tag(store, { params: ['i64'] }));
    linker.define('env', 'f', Func.wrap(store, { params: [], results: [] }, () => undefined));
    const module = (name: string) => new Module(engine, `(module (import "env" "${name}" (tag (param i32))))`);
    expect(() => linker.instantiate(store, module('t'))).toThrow(new LinkError('import env.t: expected tag (i32), got tag (i64)'));
    expect(() => linker.instantiate(store, module('f'))).toThrow(LinkError);
    expect(() => linker.instantiate(store, module('none'))).toThrow(new LinkError('unknown import env.none: expected tag (i32)'));
  });

  it('module.imports() and exports() describe tags', () => {
    const module = new Module(engine, '(module (import "env" "t" (tag (param f32))) (tag (export "u") (param i32 exnref)))');
    expect(module.imports()).toEqual([{ module: 'env', name: 't', kind: 'tag', type: { params: ['f32'] } }]);
    expect(module.exports()).toEqual([{ name: 'u', kind: 'tag', type: { params: ['i32', 'exnref'] } }]);
  });
});

describe('the sandbox', () => {
  it('reports an uncaught exception as ExecutionFailed naming the tag', () => {
    const runtime = new WasmRuntime();
    const guest = wat('(module (tag $oops (export "oops") (param i32)) (func (export "_start") (throw $oops (i32.const 1))))');
    let error: unknown;
    try {
      runtime.execute(guest, new Uint8Array(0), new SandboxConfig().withFuelLimit(1000));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).kind).toBe('ExecutionFailed');
    expect((error as SandboxError).message).toBe('ExecutionFailed: the guest ended with an uncaught exception of tag oops');
  });
});

describe('purewasm/js-api: Tag, Exception, JSTag', () => {
  it('Tag and Exception have the JS API shapes', () => {
    const tag = new W.Tag({ parameters: ['i32', 'f64'] });
    expect(Object.prototype.toString.call(tag)).toBe('[object WebAssembly.Tag]');
    const exception = new W.Exception(tag, [7, 2.5]);
    expect(Object.prototype.toString.call(exception)).toBe('[object WebAssembly.Exception]');
    expect(exception.is(tag)).toBe(true);
    expect(exception.is(new W.Tag({ parameters: ['i32', 'f64'] }))).toBe(false);
    expect(exception.getArg(tag, 0)).toBe(7);
    expect(exception.getArg(tag, 1)).toBe(2.5);
    expect(() => exception.getArg(tag, 2)).toThrow(RangeError);
    expect(() => exception.getArg(new W.Tag({ parameters: [] }), 0)).toThrow(TypeError);
    expect(() => exception.is({} as never)).toThrow(TypeError);
    expect(() => new W.Exception(tag, [1])).toThrow(TypeError);
    expect(() => new W.Tag({ parameters: ['i128'] } as never)).toThrow(TypeError);
    expect(() => new W.Tag({} as never)).toThrow(TypeError);
    expect('stack' in new W.Exception(tag, [1, 2])).toBe(false);
    expect(typeof (new W.Exception(tag, [1, 2], { traceStack: true }) as { stack?: unknown }).stack).toBe('string');
    expect(W.JSTag).toBe(W.JSTag);
    expect(() => new W.Exception(W.JSTag, [1])).toThrow(TypeError);
  });

  it('exceptions cross JS imports and exports both ways', () => {
    const tag = new W.Tag({ parameters: ['i32'] });
    const bytes = wat(`(module
      (import "env" "tag" (tag $t (param i32)))
      (import "env" "js" (func $js (param i32)))
      ;; what the JS function threw: 1 for our tag (and its payload is returned +1), 2 for any other
      (func (export "classify") (param i32) (result i32)
        (block $other
          (block $ours (result i32)
            (try_table (catch $t $ours) (catch_all $other) (call $js (local.get 0)))
            (return (i32.const 0)))
          (return (i32.add (i32.const 1))))
        (i32.const -2))
      (func (export "pass") (param i32)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (call $js (local.get 0)))
          (return))
        (throw_ref))
      (func (export "raise") (param i32) (throw $t (local.get 0))))`);
    let toThrow: unknown;
    const instance = new W.Instance(new W.Module(bytes), { env: { tag, js: () => { throw toThrow; } } });
    const exports = instance.exports as Record<string, (...args: unknown[]) => unknown>;

    toThrow = new W.Exception(tag, [41]);
    expect(exports['classify']!(0)).toBe(42);
    toThrow = new Error('from JS');
    expect(exports['classify']!(0)).toBe(-2);

    // Through a catch_all_ref and throw_ref, JS gets back the very value it threw.
    for (const value of [new Error('again'), new W.Exception(tag, [3]), 'a string']) {
      toThrow = value;
      let caught: unknown;
      try {
        exports['pass']!(0);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(value);
    }

    let raised: unknown;
    try {
      exports['raise']!(9);
    } catch (error) {
      raised = error;
    }
    expect(raised).toBeInstanceOf(W.Exception);
    expect((raised as InstanceType<typeof W.Exception>).is(tag)).toBe(true);
    expect((raised as InstanceType<typeof W.Exception>).getArg(tag, 0)).toBe(9);
    expect(Object.getOwnPropertyNames(instance.exports)).toEqual(['classify', 'pass', 'raise']);
  });

  it('a trap passing through a JS function stays a trap: catch_all does not catch it', () => {
    let exports: Record<string, (...args: unknown[]) => unknown> = {};
    const instance = new W.Instance(new W.Module(wat(`(module
      (import "env" "js" (func $js))
      (func (export "trap") (unreachable))
      (func (export "run") (result i32) (block $h (try_table (catch_all $h) (call $js)) (return (i32.const 0))) (i32.const 1)))`)),
    { env: { js: () => exports['trap']!() } });
    exports = instance.exports as typeof exports;
    expect(() => exports['run']!()).toThrow(W.RuntimeError);
  });

  it('exports a tag as a WebAssembly.Tag and imports it back by identity', () => {
    const first = new W.Instance(new W.Module(wat('(module (tag (export "t") (param i64)) (func (export "f") (param i64) (throw 0 (local.get 0))))')));
    const exported = (first.exports as Record<string, unknown>)['t'];
    expect(exported).toBeInstanceOf(W.Tag);
    const second = new W.Instance(new W.Module(wat(`(module (import "m" "t" (tag $t (param i64))) (import "m" "f" (func $f (param i64)))
      (func (export "g") (result i64) (block $h (result i64) (try_table (catch $t $h) (call $f (i64.const 5))) (unreachable))))`)), { m: first.exports as never });
    expect((second.exports as Record<string, () => unknown>)['g']!()).toBe(5n);
    expect(() => new W.Module(wat('(module (import "m" "t" (tag)))')) && new W.Instance(new W.Module(wat('(module (import "m" "t" (tag)))')), { m: { t: {} } }))
      .toThrow(W.LinkError);
  });
});

describe('a real program: examples/exceptions/calc.wat', () => {
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: repo, encoding: 'utf8' });
  const REPORT = [
    '1+2*3 = 7',
    '(1+2)*3 = 9',
    '2*(3+4)*5-6 = 64',
    '100/(7-7): division by zero at column 4',
    '8/(2*(3-3)): division by zero at column 2',
    '((((((((((42)))))))))) = 42',
    '2*(3+: syntax error at column 6',
    '-(4-10)*2 = 12',
    '7+x: syntax error at column 3',
  ];

  it('calc.wasm is calc.wat assembled', () => {
    const source = readFileSync(new URL('../examples/exceptions/calc.wat', import.meta.url), 'utf8');
    expect(wat(source, { names: true })).toEqual(new Uint8Array(readFileSync(new URL('../examples/exceptions/calc.wasm', import.meta.url))));
  });

  it('runs under purewasm run, and an exception that escapes is an error naming its tag', () => {
    const ok = run(['src/cli/main.ts', 'run', 'examples/exceptions/calc.wasm']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe([...REPORT, '4 of 9 expressions failed', ''].join('\n'));
    expect(ok.status).toBe(0);
    // 1050: "100/(7-7)", evaluated by the export itself, with no handler around it.
    const escaped = run(['src/cli/main.ts', 'run', 'examples/exceptions/calc.wasm', '--invoke', 'evaluate', '1050']);
    expect(escaped.stderr).toBe('error: uncaught exception of tag div_by_zero\n');
    expect(escaped.status).toBe(1);
  });

  it('runs through purewasm/js-api, with exceptions crossing its JS fd_write and its exports', () => {
    const fromJs = ['from JS: 6*(5+2) = 42', 'from JS: 1/(2-2): division by zero at column 2', 'from JS: 3+): syntax error at column 3'];
    const plain = run(['examples/exceptions/run.ts']);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toBe([...REPORT, '4 of 9 expressions failed', ...fromJs, ''].join('\n'));
    // The third line's fd_write throws a JS Error: the guest catches it (catch_all) and goes on.
    const lossy = run(['examples/exceptions/run.ts', '3']);
    expect(lossy.stderr).toBe('');
    expect(lossy.stdout).toBe([...REPORT.filter((_, i) => i !== 2), '4 of 9 expressions failed, lines lost: 1', ...fromJs, ''].join('\n'));
  });
});
