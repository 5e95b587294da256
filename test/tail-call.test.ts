/** Tail calls (WebAssembly 3.0): return_call and return_call_indirect reuse the caller's frame. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CompileError, Engine, Func, Linker, Module, RuntimeError, Store, type ResumableCall } from '../src/index.js';
import { wat } from './helpers/wat.js';

const PROGRAM = `(module
  (import "env" "add" (func $add (param i64 i64) (result i64)))
  (type $sum (func (param i64 i64) (result i64)))
  (table $t 4 funcref)
  (elem (i32.const 0) $sum $add $even)
  ;; sum of 1..n, tail-recursively: 10 per step (the 7 of the else arm and local.get, i64.eqz, if), 4 at the end
  (func $sum (export "sum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  ;; the same through the table
  (func $sumIndirect (export "sumIndirect") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call_indirect (type $sum)
        (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)) (i32.const 3)))))
  (elem (i32.const 3) $sumIndirect)
  ;; mutual recursion with different frame sizes
  (func $even (export "even") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd (param $n i32) (result i32) (local f64 f64 f64 i64)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get $n) (i32.const 1))))))
  ;; tail calls to a host function, directly and through the table
  (func (export "toHost") (param i64) (result i64) (return_call $add (local.get 0) (i64.const 1)))
  (func (export "toHostIndirect") (param i64) (result i64)
    (return_call_indirect (type $sum) (local.get 0) (i64.const 2) (i32.const 1)))
  (func (export "callAt") (param i32) (result i64)
    (return_call_indirect (type $sum) (i64.const 1) (i64.const 2) (local.get 0)))
  ;; a tail call from inside a normal call: returns to the caller's caller
  (func (export "nested") (result i64) (i64.add (call $sum (i64.const 3) (i64.const 0)) (i64.const 100))))`;

function setup(engine: Engine) {
  const store = new Store(engine);
  const linker = new Linker(engine);
  linker.define('env', 'add', Func.wrap(store, { params: ['i64', 'i64'], results: ['i64'] }, (_caller, a: bigint, b: bigint) => a + b));
  const instance = linker.instantiate(store, new Module(engine, wat(PROGRAM)));
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args)[0];
  return { store, instance, call };
}

describe('tail calls', () => {
  it.each(['interpreter', 'compiled'])('runs 10 million tail calls in constant frame-stack and register space (%s tier)', (tier) => {
    // In a child process (see the script); a call depth of 8 could not hold even 10 ordinary frames.
    const script = fileURLToPath(new URL('./helpers/tail-recursion.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, tier], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const report = JSON.parse(child.stdout) as { sum: string; before: object; after: { depth: number } };
    expect(report.sum).toBe('50000005000000');
    expect(report.after).toEqual({ ...report.before, depth: 0 });
  });

  it('runs mutual and indirect tail recursion with a call depth of 8', () => {
    const { store, call } = setup(new Engine({ maxCallDepth: 8 }));
    const framesBefore = store.machine.framePc.length;
    const slotsBefore = store.machine.capacity;
    expect(call('even', 10_001)).toBe(0);
    expect(call('sumIndirect', 10_000n, 0n)).toBe(50_005_000n);
    expect(store.machine.framePc.length).toBe(framesBefore);
    expect(store.machine.capacity).toBe(slotsBefore);
  });

  it('returns to the caller of the function that made the tail call', () => {
    expect(setup(new Engine()).call('nested')).toBe(106n);
  });

  it('tail-calls host functions, directly and through a table', () => {
    const { call } = setup(new Engine());
    expect(call('toHost', 41n)).toBe(42n);
    expect(call('toHostIndirect', 40n)).toBe(42n);
    expect(call('callAt', 1)).toBe(3n);
    expect(call('callAt', 0)).toBe(3n);
  });

  it('traps like call_indirect on a bad table entry', () => {
    const { call } = setup(new Engine());
    const trapOf = (index: number) => {
      try {
        call('callAt', index);
      } catch (error) {
        return (error as RuntimeError).trap;
      }
      return 'none';
    };
    expect(trapOf(2)).toBe('badSignature');
    expect(trapOf(4)).toBe('tableOutOfBounds');
  });

  it('costs exactly one fuel per return_call, also when stopped and resumed', () => {
    const { store, call, instance } = setup(new Engine({ consumeFuel: true }));
    store.setFuel(1_000_000);
    expect(call('sum', 1000n, 0n)).toBe(500_500n);
    expect(1_000_000 - store.getFuel()).toBe(10 * 1000 + 4);
    // The same in slices of 7 fuel: every stop and resume keeps the total.
    store.setFuel(7);
    let result: ResumableCall = instance.getFunc(store, 'sum')!.callResumable(store, [1000n, 0n]);
    let consumed = 7 - store.getFuel();
    while (!result.done) {
      store.setFuel(7);
      result = result.resume();
      consumed += 7 - store.getFuel();
    }
    expect(result.results).toEqual([500_500n]);
    expect(consumed).toBe(10 * 1000 + 4);
    // A trapping return_call_indirect costs its instructions up to and including itself.
    store.setFuel(100);
    expect(() => call('callAt', 2)).toThrow(RuntimeError);
    expect(100 - store.getFuel()).toBe(4);
    // A tail call to a host function costs 1 for the host call as for call: the function's 3 instructions.
    store.setFuel(100);
    expect(call('toHost', 1n)).toBe(2n);
    expect(100 - store.getFuel()).toBe(3);
  });

  it('shows a profiler each tail call as the exit of the caller and the entry of the callee', () => {
    const { store, call } = setup(new Engine());
    const events: string[] = [];
    store.setProfiler({ enter: (name) => events.push(`enter ${name}`), exit: () => events.push('exit') });
    expect(call('even', 3)).toBe(0);
    expect(events).toEqual(['enter func[3]', 'exit', 'enter func[4]', 'exit', 'enter func[3]', 'exit', 'enter func[4]', 'exit']);
    events.length = 0;
    expect(call('toHost', 1n)).toBe(2n);
    expect(events).toEqual(['enter func[5]', 'enter env.add', 'exit', 'exit']);
  });

  it('crosses instances', () => {
    const engine = new Engine({ maxCallDepth: 4 });
    const { store, instance } = setup(engine);
    const linker = new Linker(engine);
    linker.define('m', 'sum', instance.getFunc(store, 'sum')!);
    const other = linker.instantiate(store, new Module(engine, wat(`(module
      (import "m" "sum" (func $sum (param i64 i64) (result i64)))
      (func (export "run") (param i64) (result i64) (return_call $sum (local.get 0) (i64.const 0))))`)));
    expect(other.getFunc(store, 'run')!.call(store, [10_000n])).toEqual([50_005_000n]);
  });

  it('rejects a tail call whose results differ from the function\'s', () => {
    const engine = new Engine();
    const bad = wat(`(module (func $f (result i64) (i64.const 1))
      (func (result i32) (return_call $f)))`);
    expect(() => new Module(engine, bad)).toThrow(/type mismatch/);
    const badIndirect = wat(`(module (type $t (func (result i64))) (table 1 funcref)
      (func (result i32) (return_call_indirect (type $t) (i32.const 0))))`);
    expect(() => new Module(engine, badIndirect)).toThrow(/type mismatch/);
  });

  it('is rejected, naming the feature, when the feature is off', () => {
    const engine = new Engine({ features: { tailCall: false } });
    const bytes = wat('(module (func $f (return_call $f)))');
    expect(() => new Module(engine, bytes)).toThrow(CompileError);
    expect(() => new Module(engine, bytes)).toThrow(/return_call \(the tail calls feature is disabled\)/);
  });
});
