/**
 * Lazy lowering (ir.ts): a module is validated in full by `new Module`, each
 * body is lowered on its first call, and nothing observable differs from
 * lowering every body at once: the IR, the fuel, the traps.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CompileError, Engine, Linker, Module, RuntimeError, Store, type Instance, type Value } from '../src/index.js';
import { ensureLowered, UNLOWERED_CODE } from '../src/interpreter/ir.js';
import { wat } from './helpers/wat.js';

const lazy = new Engine();
const eager = new Engine({ lazyLowering: false });

function instantiate(engine: Engine, bytes: Uint8Array): { store: Store; instance: Instance } {
  const store = new Store(engine);
  if (engine.config.consumeFuel) store.setFuel(Number.MAX_SAFE_INTEGER);
  return { store, instance: new Linker(engine).instantiate(store, new Module(engine, bytes)) };
}

const CALLS = wat(`(module
  (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
  (func $never (result i32) (i32.const 99))
  (func (export "run") (param i32) (result i32) (call $leaf (local.get 0)))
  (func (export "viaTable") (param i32) (result i32) (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0)))
  (table 1 funcref)
  (elem (i32.const 0) $leaf))`);

describe('lazy lowering', () => {
  it('is the default, and lowers a body only when it is first called', () => {
    const { store, instance } = instantiate(lazy, CALLS);
    const module = new Module(lazy, CALLS);
    expect(module.validated.funcs.every((f) => f.code === UNLOWERED_CODE)).toBe(true);

    const funcs = (instance.getFunc(store, 'run') as unknown as { ctx: { funcs: { compiled: { lower: unknown } }[] } }).ctx.funcs;
    const lowered = () => funcs.map((f) => f.compiled.lower === null);
    expect(lowered()).toEqual([false, false, false, false]);
    expect(instance.getFunc(store, 'run')!.call(store, [5])).toEqual([15]);
    expect(lowered()).toEqual([true, false, true, false]);
    expect(instance.getFunc(store, 'viaTable')!.call(store, [7])).toEqual([21]);
    expect(lowered()).toEqual([true, false, true, true]);
  });

  it('shares the lowered body between the instances of one module', () => {
    const module = new Module(lazy, CALLS);
    const stores = [new Store(lazy), new Store(lazy)];
    const [a, b] = stores.map((store) => new Linker(lazy).instantiate(store, module));
    a!.getFunc(stores[0]!, 'run')!.call(stores[0]!, [1]);
    expect(module.validated.funcs[0]!.lower).toBeNull();
    expect(b!.getFunc(stores[1]!, 'run')!.call(stores[1]!, [2])).toEqual([6]);
  });

  it('still rejects an invalid body that is never called, at compile time', () => {
    for (const body of [
      '(result i32) (i64.const 1)', // type mismatch
      '(drop (i32.load (i32.const 0)))', // no memory
      '(call 7)', // unknown function
      '(local.get 3) drop', // unknown local
      '(block (br 2))', // unknown label
      '(global.set 0 (i32.const 1))', // unknown global
    ]) {
      // wat() writes without validating; the first function is valid and is the only one ever called.
      const bytes = wat(`(module (global i32 (i32.const 0)) (func (export "ok")) (func ${body}))`);
      expect(() => new Module(lazy, bytes), body).toThrow(CompileError);
    }
  });

  it('lowers exactly the code an eager engine lowers (sql.js, with and without fuel)', () => {
    const bytes = readFileSync(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'));
    for (const consumeFuel of [false, true]) {
      const lazyModule = new Module(new Engine({ consumeFuel }), bytes);
      const eagerModule = new Module(new Engine({ consumeFuel, lazyLowering: false }), bytes);
      const lazyFuncs = lazyModule.validated.funcs;
      const eagerFuncs = eagerModule.validated.funcs;
      // Lowered out of order, as first calls come, from a compiler that validated every body since.
      for (let i = lazyFuncs.length - 1; i >= 0; i -= 2) ensureLowered(lazyFuncs[i]!);
      for (let i = 0; i < lazyFuncs.length; i++) ensureLowered(lazyFuncs[i]!);
      for (let i = 0; i < lazyFuncs.length; i++) {
        const [l, e] = [lazyFuncs[i]!, eagerFuncs[i]!];
        if (!equalArrays(l.code, e.code) || !equalArrays(l.fuelTrace, e.fuelTrace) || l.frameSize !== e.frameSize) {
          expect.fail(`function ${i} (fuel ${consumeFuel}) lowers differently lazily`);
        }
        expect(l.numLocals).toBe(e.numLocals);
      }
    }
  });

  it('charges the same fuel, and stops at the same points, as eager lowering', () => {
    const program = readFileSync(new URL('../bench/workloads/quicksort.wasm', import.meta.url));
    const run = (lazyLowering: boolean) => {
      const engine = new Engine({ consumeFuel: true, lazyLowering });
      const store = new Store(engine);
      const instance = new Linker(engine).instantiate(store, new Module(engine, program));
      // Small budgets: stops land inside first calls, before and after each body is lowered.
      const stops: number[] = [];
      store.setFuel(997);
      let call = instance.getFunc(store, 'run')!.callResumable(store, [200]);
      while (!call.done) {
        stops.push(store.getFuel());
        store.setFuel(997);
        call = call.resume();
      }
      return { results: call.results, stops, left: store.getFuel() };
    };
    const lazyRun = run(true);
    expect(lazyRun.stops.length).toBeGreaterThan(10);
    expect(lazyRun).toEqual(run(false));
  });

  it('traps callStackExhausted on a first call whose frame does not fit, as eager lowering does', () => {
    // 3,000 locals: more than a 1,024-slot register file holds.
    const bytes = wat(`(module
      (func $big (local ${'i64 '.repeat(3000)}) )
      (func (export "callBig") (call $big))
      (func (export "big") (call $big)))`);
    for (const engine of [new Engine({ maxStackSlots: 1024 }), new Engine({ maxStackSlots: 1024, lazyLowering: false })]) {
      const { store, instance } = instantiate(engine, bytes);
      for (const name of ['callBig', 'big']) {
        const error = catchError(() => instance.getFunc(store, name)!.call(store, []));
        expect(error).toBeInstanceOf(RuntimeError);
        expect((error as RuntimeError).trap).toBe('callStackExhausted');
      }
    }
  });

  it('gives the same results as eager lowering on every bench workload', () => {
    for (const name of ['fib', 'matmul', 'nbody', 'hash64', 'quicksort', 'interp', 'bulkmem']) {
      const bytes = readFileSync(new URL(`../bench/workloads/${name}.wasm`, import.meta.url));
      const results = [lazy, eager].map((engine) => {
        const { store, instance } = instantiate(engine, bytes);
        return instance.getFunc(store, 'run')!.call(store, [3] as Value[]);
      });
      expect(results[0], name).toEqual(results[1]);
    }
  });
});

function equalArrays(a: Int32Array | undefined, b: Int32Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}
