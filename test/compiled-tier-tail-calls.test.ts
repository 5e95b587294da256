/**
 * Tail calls on the compiled tier (src/compiler/tail-calls.ts): functions that make them are compiled, run in
 * constant frame-stack, register-file and JS-stack space, and give the interpreter's results, traps and fuel,
 * also when stopped out of fuel and resumed (a frame reached by a tail call handed over to the interpreter).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tierStatistics } from '../src/compiler/runtime.js';
import { Engine, Func, Linker, Module, RuntimeError, Store, type ResumableCall } from '../src/index.js';
import { wat } from './helpers/wat.js';

const PROGRAM = `(module
  (import "env" "add" (func $add (param i64 i64) (result i64)))
  (type $t (func (param i32 i64 f64) (result f64)))
  (type $down (func (param i32) (result i32)))
  (type $vt (func (param i32 v128) (result v128)))
  (table 5 funcref)
  (elem (i32.const 0) $ping $pong $add)
  ;; ping and pong (a larger frame) tail-call each other, directly and through the table, carrying an i64 and an f64
  (func $ping (export "ping") (param $n i32) (param $acc i64) (param $x f64) (result f64)
    (if (result f64) (i32.eqz (local.get $n))
      (then (f64.add (local.get $x) (f64.convert_i64_s (local.get $acc))))
      (else (return_call $pong (i32.sub (local.get $n) (i32.const 1))
        (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))) (f64.mul (local.get $x) (f64.const 1.0000001))))))
  (func $pong (param $n i32) (param $acc i64) (param $x f64) (result f64) (local $pad i64) (local f32 f32 v128)
    (local.set $pad (i64.mul (local.get $acc) (i64.const 3)))
    (if (result f64) (i32.eqz (local.get $n))
      (then (f64.convert_i64_s (local.get $pad)))
      (else (return_call_indirect (type $t) (i32.sub (local.get $n) (i32.const 1)) (local.get $acc) (local.get $x)
        (i32.and (local.get $n) (i32.const 1))))))
  (func (export "outer") (param i32) (result f64)
    (f64.add (call $ping (local.get 0) (i64.const 0) (f64.const 1)) (f64.const 0.5)))
  ;; mutual tail recursion that ends in a trap, below a normal call
  (func $down (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (unreachable)) (else (return_call $down2 (i32.sub (local.get $n) (i32.const 1))))))
  (func $down2 (param $n i32) (result i32) (local i64 i64)
    (return_call_indirect (type $down) (local.get $n) (i32.const 3)))
  (elem (i32.const 3) $down)
  (func (export "trapDeep") (param i32) (result i32) (i32.add (call $down (local.get 0)) (i32.const 1)))
  ;; v128 arguments and results through direct and indirect tail calls
  (func $vping (export "vping") (param $n i32) (param $v v128) (result v128)
    (if (result v128) (i32.eqz (local.get $n)) (then (local.get $v))
      (else (return_call $vpong (i32.sub (local.get $n) (i32.const 1)) (i32x4.add (local.get $v) (i32x4.splat (local.get $n)))))))
  (func $vpong (param $n i32) (param $v v128) (result v128) (local v128)
    (return_call_indirect (type $vt) (local.get $n)
      (i8x16.shuffle 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 0 (local.get $v) (local.get $v)) (i32.const 4)))
  (elem (i32.const 4) $vping)
  (func (export "toHost") (param i64) (result i64) (return_call $add (local.get 0) (i64.const 5)))
  (func (export "callAt") (param i32) (result f64)
    (return_call_indirect (type $t) (i32.const 3) (i64.const 2) (f64.const 0.25) (local.get 0))))`;

type Outcome = { value?: string; trap?: string; fuel: number };

function setup(tier: 'interpreter' | 'compiled') {
  const engine = new Engine({ tier, consumeFuel: true, maxCallDepth: 16 });
  const store = new Store(engine);
  const linker = new Linker(engine);
  linker.define('env', 'add', Func.wrap(store, { params: ['i64', 'i64'], results: ['i64'] }, (_caller, a: bigint, b: bigint) => a + b));
  const instance = linker.instantiate(store, new Module(engine, wat(PROGRAM)));
  const call = (name: string, args: unknown[], budget = 1e12): Outcome => {
    store.setFuel(budget);
    try {
      const [value] = instance.getFunc(store, name)!.call(store, args);
      return { value: String(value), fuel: budget - store.getFuel() };
    } catch (error) {
      if (!(error instanceof RuntimeError)) throw error;
      return { trap: error.trap, fuel: budget - store.getFuel() };
    }
  };
  /** The call in slices of `slice` fuel, resumed until done: the results and the total fuel. */
  const sliced = (name: string, args: unknown[], slice: number): Outcome => {
    store.setFuel(slice);
    let fuel = 0;
    let result: ResumableCall = instance.getFunc(store, name)!.callResumable(store, args);
    fuel += slice - store.getFuel();
    while (!result.done) {
      store.setFuel(slice);
      result = result.resume();
      fuel += slice - store.getFuel();
    }
    return { value: String(result.results[0]), fuel };
  };
  return { store, call, sliced };
}

const SCENARIOS: [string, unknown[]][] = [
  ['ping', [1000, 0n, 1]],
  ['outer', [2001]],
  ['trapDeep', [999]],
  ['toHost', [37n]],
  ['vping', [1001, Uint8Array.from({ length: 16 }, (_, i) => i * 17)]],
  ['callAt', [0]],
  ['callAt', [1]],
  ['callAt', [2]],
  ['callAt', [9]],
];

describe('tail calls on the compiled tier', () => {
  it('runs 10 million tail calls (self, mutual, indirect) compiled, in constant space, with the interpreter\'s fuel', () => {
    // In child processes under tsx (see the script): vitest's transform makes the interpreter's 30 million calls minutes.
    const script = fileURLToPath(new URL('./helpers/compiled-tail-calls.ts', import.meta.url));
    const reports = (['compiled', 'interpreter'] as const).map((tier) => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', script, tier, '10000000'], { encoding: 'utf8' });
      expect(child.stderr).toBe('');
      return JSON.parse(child.stdout) as Record<string, { result: string; fuel: number }> & {
        after: object; tiers: { compiled: number; interpreted: number; deopts: number };
      };
    });
    const [compiled, interpreted] = reports as [(typeof reports)[0], (typeof reports)[0]];
    expect(compiled.sum).toEqual({ result: '50000005000000', fuel: 10 * 10_000_000 + 4 });
    for (const name of ['sum', 'sumIndirect', 'even']) expect(compiled[name]).toEqual(interpreted[name]);
    // The register file and frame stack never grew, and no frame went to the interpreter.
    expect(compiled.after).toEqual({ frames: 64, slots: 1024, depth: 0 });
    expect(compiled.tiers).toEqual({ compiled: 4, interpreted: 0, reasons: {}, deopts: 0 });
  });

  it('gives the interpreter\'s results, traps and fuel', () => {
    const before = tierStatistics();
    const compiled = setup('compiled');
    const interpreted = setup('interpreter');
    for (const [name, args] of SCENARIOS) {
      expect(compiled.call(name, args), `${name}(${args.join(', ')})`).toEqual(interpreted.call(name, args));
    }
    const after = tierStatistics();
    expect(after.interpreted).toBe(before.interpreted);
    // ping, pong, outer, down, down2, trapDeep, vping, vpong, toHost, callAt
    expect(after.compiled - before.compiled).toBe(10);
  });

  it('stops out of fuel inside tail-called frames and resumes with the same result and total fuel', () => {
    const reference = setup('interpreter').call('outer', [2001]);
    const compiled = setup('compiled');
    for (const slice of [1, 7, 50, 997]) expect(compiled.sliced('outer', [2001], slice), `slices of ${slice}`).toEqual(reference);
  });

  it('never grows the frame stack or the register file for tail calls below a normal call', () => {
    const { store, call } = setup('compiled');
    const m = store.machine;
    const before = { frames: m.framePc.length, slots: m.capacity };
    expect(call('outer', [20_001]).value).toBe(setup('interpreter').call('outer', [20_001]).value);
    expect({ frames: m.framePc.length, slots: m.capacity }).toEqual(before);
  });
});
