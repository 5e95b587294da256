/**
 * Fuel metering (DESIGN.md section 2): exact costs counted by hand, one per
 * executed Wasm instruction (block/loop/if once per entry, else/end free),
 * bulk extras, traps, host functions, budgets that run out, and resuming.
 */
import { describe, expect, it } from 'vitest';
import { Engine, Func, Linker, Module, RuntimeError, Store, type Instance, type ResumableCall } from '../src/index.js';
import { wat } from './helpers/wat.js';
import type { FuelCosts as FuelCostsConfig } from '../src/interpreter/fuel.js';

const PROGRAM = `(module
  (memory (export "mem") 1 4)
  (table $t 0 64 funcref)

  ;; 3
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)

  ;; loop 1, body 10 per iteration, final local.get 1: 10n + 2
  (func (export "sum") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    local.get $acc)

  ;; condition + if 4; then 3; else 1
  (func (export "abs") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))
      (then (i32.sub (i32.const 0) (local.get 0)))
      (else (local.get 0))))

  ;; C(0) = C(1) = 5, C(n) = 13 + C(n-1) + C(n-2)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))

  ;; 3 blocks + local.get + br_table = 5, then 2 (return paths) or 1 (fallthrough)
  (func (export "switch") (param i32) (result i32)
    (block $b2 (block $b1 (block $b0 (br_table $b0 $b1 $b2 (local.get 0)))
        (return (i32.const 10)))
      (return (i32.const 11)))
    i32.const 12)

  ;; 5 without a trap; 3 when the division traps
  (func (export "div") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_s i32.const 1 i32.add)

  ;; caller 2 + callee 3 up to the trap
  (func $boom (param i32) (result i32) local.get 0 i32.const 0 i32.div_u drop i32.const 7)
  (func (export "callBoom") (result i32) i32.const 5 call $boom i32.const 1 i32.add)

  ;; nop nop unreachable: 3
  (func (export "unreachable") nop nop unreachable nop)

  ;; i32.const, i32.load: 2 when out of bounds
  (func (export "load") (param i32) (result i32) (i32.add (i32.load (local.get 0)) (i32.const 1)))

  ;; 4 + floor(len / 64)
  (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 7) (local.get 0)))
  (func (export "copy") (param i32) (memory.copy (i32.const 1000) (i32.const 0) (local.get 0)))
  ;; 2 + 1024 per page grown
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; 3 + floor(n / 8)
  (func (export "tableGrow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
  ;; 4 + floor(n / 8)
  (func (export "tableFill") (param i32) (table.fill $t (i32.const 0) (ref.null func) (local.get 0)))
)`;

function setup(config: ConstructorParameters<typeof Engine>[0] = { consumeFuel: true }) {
  const engine = new Engine(config);
  const module = new Module(engine, wat(PROGRAM));
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, module);
  return { engine, store, instance };
}

/** Calls `name` with a large budget; returns its results and the fuel it consumed. */
function measure(store: Store, instance: Instance, name: string, args: unknown[]) {
  const budget = 1_000_000;
  store.setFuel(budget);
  const results = instance.getFunc(store, name)!.call(store, args);
  return { results, consumed: budget - store.getFuel() };
}

function measureTrap(store: Store, instance: Instance, name: string, args: unknown[]) {
  const budget = 1_000_000;
  store.setFuel(budget);
  let error: unknown;
  try {
    instance.getFunc(store, name)!.call(store, args);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RuntimeError);
  return { trap: (error as RuntimeError).trap, consumed: budget - store.getFuel() };
}

describe('property 1: a completed call consumes exactly the sum of its instructions', () => {
  const { store, instance } = setup();

  it('straight-line code', () => {
    expect(measure(store, instance, 'add', [2, 3])).toEqual({ results: [5], consumed: 3 });
  });

  it('loops count the loop once and the body per iteration', () => {
    expect(measure(store, instance, 'sum', [1])).toEqual({ results: [1], consumed: 12 });
    expect(measure(store, instance, 'sum', [5])).toEqual({ results: [15], consumed: 52 });
    expect(measure(store, instance, 'sum', [1000])).toEqual({ results: [500500], consumed: 10002 });
  });

  it('if charges the taken arm only', () => {
    expect(measure(store, instance, 'abs', [-5])).toEqual({ results: [5], consumed: 7 });
    expect(measure(store, instance, 'abs', [5])).toEqual({ results: [5], consumed: 5 });
  });

  it('calls charge caller and callee', () => {
    const fib = [5, 5, 23, 41, 77, 131];
    for (let n = 0; n < fib.length; n++) expect(measure(store, instance, 'fib', [n]).consumed).toBe(fib[n]);
  });

  it('br_table and return', () => {
    expect(measure(store, instance, 'switch', [0])).toEqual({ results: [10], consumed: 7 });
    expect(measure(store, instance, 'switch', [1])).toEqual({ results: [11], consumed: 7 });
    expect(measure(store, instance, 'switch', [2])).toEqual({ results: [12], consumed: 6 });
    expect(measure(store, instance, 'switch', [99])).toEqual({ results: [12], consumed: 6 });
  });

  it('bulk memory ops add floor(bytes / 64)', () => {
    expect(measure(store, instance, 'fill', [0]).consumed).toBe(4);
    expect(measure(store, instance, 'fill', [63]).consumed).toBe(4);
    expect(measure(store, instance, 'fill', [64]).consumed).toBe(5);
    expect(measure(store, instance, 'fill', [200]).consumed).toBe(7);
    expect(measure(store, instance, 'copy', [128]).consumed).toBe(6);
  });

  it('memory.grow adds 1024 per page grown, nothing when it fails', () => {
    expect(measure(store, instance, 'grow', [0])).toEqual({ results: [1], consumed: 2 });
    expect(measure(store, instance, 'grow', [2])).toEqual({ results: [1], consumed: 2 + 2048 });
    expect(measure(store, instance, 'grow', [5])).toEqual({ results: [-1], consumed: 2 });
  });

  it('table.grow and table.fill add floor(elements / 8)', () => {
    expect(measure(store, instance, 'tableGrow', [20])).toEqual({ results: [0], consumed: 3 + 2 });
    expect(measure(store, instance, 'tableGrow', [100])).toEqual({ results: [-1], consumed: 3 });
    expect(measure(store, instance, 'tableFill', [16]).consumed).toBe(4 + 2);
    expect(measure(store, instance, 'tableFill', [7]).consumed).toBe(4);
  });

  it('custom costs apply per instruction class and rate', () => {
    const { store: s, instance: i } = setup({ consumeFuel: true, fuelCosts: { base: 2, call: 10, bytesPerFuel: 10 } });
    expect(measure(s, i, 'add', [1, 1]).consumed).toBe(6);
    // fib(2): 3 activations, 2 calls: (13 - 2) * 2 + 2 * 10 for the root, 5 * 2 for each leaf
    expect(measure(s, i, 'fib', [2]).consumed).toBe(22 + 20 + 20);
    // memory.fill is a bulk instruction (cost 1) among three base instructions
    expect(measure(s, i, 'fill', [100]).consumed).toBe(3 * 2 + 1 + 10);
  });
});

describe('property 4: a trap counts the instructions up to and including the trapping one', () => {
  const { store, instance } = setup();

  it('integer division', () => {
    expect(measure(store, instance, 'div', [7, 2])).toEqual({ results: [4], consumed: 5 });
    expect(measureTrap(store, instance, 'div', [1, 0])).toEqual({ trap: 'integerDivideByZero', consumed: 3 });
  });

  it('a trap in a callee', () => {
    expect(measureTrap(store, instance, 'callBoom', [])).toEqual({ trap: 'integerDivideByZero', consumed: 5 });
  });

  it('unreachable', () => {
    expect(measureTrap(store, instance, 'unreachable', [])).toEqual({ trap: 'unreachable', consumed: 3 });
  });

  it('an out-of-bounds load fused with what follows it', () => {
    expect(measure(store, instance, 'load', [0]).consumed).toBe(4);
    expect(measureTrap(store, instance, 'load', [65535])).toEqual({ trap: 'memoryOutOfBounds', consumed: 2 });
  });

  it('a failing bulk op costs only its 1', () => {
    expect(measureTrap(store, instance, 'fill', [1_000_000])).toEqual({ trap: 'memoryOutOfBounds', consumed: 4 });
    expect(measureTrap(store, instance, 'tableFill', [1000])).toEqual({ trap: 'tableOutOfBounds', consumed: 4 });
  });
});

/** Runs a resumable call from budget `budget`, then resumes `step` fuel at a time. */
function runInSteps(store: Store, instance: Instance, name: string, args: unknown[], budget: number, step: number) {
  store.setFuel(budget);
  let result: ResumableCall = instance.getFunc(store, name)!.callResumable(store, args);
  const firstConsumed = budget - store.getFuel();
  let consumed = firstConsumed;
  let stops = 0;
  while (!result.done) {
    stops++;
    store.setFuel(step);
    result = result.resume();
    consumed += step - store.getFuel();
  }
  return { results: result.results, firstConsumed, consumed, stops };
}

describe('properties 2 and 3: budgets that run out, and resuming', () => {
  const { store, instance } = setup();

  it('a call completes iff its cost fits the budget, and resuming gives the same results and total', () => {
    for (let budget = 0; budget <= 60; budget++) {
      const run = runInSteps(store, instance, 'sum', [5], budget, 1);
      expect(run.results).toEqual([15]);
      expect(run.consumed).toBe(52);
      expect(run.stops === 0).toBe(budget >= 52);
      // Every instruction costs 1, so a stopped call used exactly its budget.
      expect(run.firstConsumed).toBe(Math.min(budget, 52));
    }
  });

  it('works across calls and with larger resume steps', () => {
    for (const step of [1, 2, 7, 50]) {
      for (const budget of [0, 1, 13, 64, 130, 131]) {
        const run = runInSteps(store, instance, 'fib', [5], budget, step);
        expect(run).toMatchObject({ results: [5], consumed: 131 });
        expect(run.stops === 0).toBe(budget >= 131);
      }
    }
  });

  it('stops before a bulk op whose extra cannot be paid', () => {
    const memory = instance.getMemory(store, 'mem')!;
    memory.data().fill(0, 0, 300);
    // fill(200) costs 4 + 3. With 6 the three operands are paid, memory.fill is not;
    // it is atomic, so resuming needs its 1 + 3 at once.
    const run = runInSteps(store, instance, 'fill', [200], 6, 4);
    expect(run.firstConsumed).toBe(3);
    expect(run.consumed).toBe(7);
    expect(memory.data()[199]).toBe(7);
    expect(memory.data()[200]).toBe(0);
  });

  it('memory.grow is not performed when its fuel cannot be paid', () => {
    const memory = instance.getMemory(store, 'mem')!;
    const before = memory.size();
    store.setFuel(1000);
    expect(() => instance.getFunc(store, 'grow')!.call(store, [1])).toThrow(RuntimeError);
    expect(memory.size()).toBe(before);
    expect(store.getFuel()).toBe(999); // local.get only
  });

  it('Func.call reports running out as trap outOfFuel and the store stays usable', () => {
    store.setFuel(10);
    let error: unknown;
    try {
      instance.getFunc(store, 'sum')!.call(store, [100]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).trap).toBe('outOfFuel');
    expect(store.getFuel()).toBe(0);
    expect(measure(store, instance, 'sum', [5])).toEqual({ results: [15], consumed: 52 });
  });

  it('a trap after resuming still counts exactly', () => {
    for (let budget = 0; budget < 3; budget++) {
      store.setFuel(budget);
      const first = instance.getFunc(store, 'div')!.callResumable(store, [1, 0]);
      expect(first.done).toBe(false);
      const used = budget - store.getFuel();
      store.setFuel(100);
      let trap: unknown;
      try {
        if (!first.done) first.resume();
      } catch (e) {
        trap = e;
      }
      expect((trap as RuntimeError).trap).toBe('integerDivideByZero');
      expect(used + 100 - store.getFuel()).toBe(3);
    }
  });
});

describe('large budgets and large costs', () => {
  const STRAIGHT = `(module
    (memory 1 8)
    ;; 5 per iteration after the loop's 1, plus 1: 5n + 2
    (func (export "count") (param $n i32) (result i32)
      (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      local.get $n)
    ;; 3 base + 1 bulk + fill extra
    (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 1) (local.get 0)))
    ;; 1 base + 1 bulk + grow extra
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    ;; 201 straight-line instructions: one segment
    (func (export "long") (result i32) (i32.const 0) ${'(i32.add (i32.const 1)) '.repeat(100)}))`;

  function setupCosts(fuelCosts: Partial<FuelCostsConfig>) {
    const engine = new Engine({ consumeFuel: true, fuelCosts });
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, new Module(engine, wat(STRAIGHT)));
    return { store, instance };
  }

  it('budgets above 2^30 are charged exactly across the small fuel counter of the executor', () => {
    // 2^20 per instruction: a loop of 5,000 iterations costs about 2^34.
    const unit = 2 ** 20;
    const { store, instance } = setupCosts({ base: unit, bytesPerFuel: 1, fuelPerPage: 2 ** 30 });
    const budget = 2 ** 50 + 3;
    store.setFuel(budget);
    expect(instance.getFunc(store, 'count')!.call(store, [5000])).toEqual([0]);
    expect(budget - store.getFuel()).toBe((5 * 5000 + 2) * unit);

    store.setFuel(budget);
    instance.getFunc(store, 'fill')!.call(store, [65536]);
    expect(budget - store.getFuel()).toBe(3 * unit + 1 + 65536);

    store.setFuel(budget);
    expect(instance.getFunc(store, 'grow')!.call(store, [3])).toEqual([1]);
    expect(budget - store.getFuel()).toBe(unit + 1 + 3 * 2 ** 30);
  });

  it('a budget above 2^30 runs out at exactly the same instruction as a small one would', () => {
    const unit = 2 ** 20;
    const { store, instance } = setupCosts({ base: unit });
    // Enough for 3,000 instructions and half of the next one.
    store.setFuel(3000 * unit + unit / 2);
    const call = instance.getFunc(store, 'count')!.callResumable(store, [5000]);
    expect(call.done).toBe(false);
    expect(store.getFuel()).toBe(unit / 2);
    store.setFuel(2 ** 40);
    const done = (call as { resume(): { done: boolean; results?: unknown } }).resume();
    expect(done).toEqual({ done: true, results: [0] });
    expect(2 ** 40 - store.getFuel()).toBe((5 * 5000 + 2 - 3000) * unit);
  });

  it('a segment whose costs add up past 2^31 is charged instruction by instruction', () => {
    const cost = 2 ** 30;
    const { store, instance } = setupCosts({ base: cost });
    store.setFuel(2 ** 52);
    expect(instance.getFunc(store, 'long')!.call(store, [])).toEqual([100]);
    expect(2 ** 52 - store.getFuel()).toBe(201 * cost);
    // It also stops inside that segment, and resumes.
    store.setFuel(150 * cost);
    const call = instance.getFunc(store, 'long')!.callResumable(store, []);
    expect(call.done).toBe(false);
    expect(store.getFuel()).toBe(0);
    store.setFuel(51 * cost);
    expect((call as { resume(): unknown }).resume()).toEqual({ done: true, results: [100] });
    expect(store.getFuel()).toBe(0);
  });
});

describe('host functions', () => {
  const engine = new Engine({ consumeFuel: true });
  const module = new Module(engine, wat(`(module
    (import "env" "work" (func $work (param i32)))
    (func (export "run") (param i32) (call $work (local.get 0)) (call $work (local.get 0))))`));

  it('cost 1 for the call plus what they charge', () => {
    const store = new Store(engine);
    const linker = new Linker(engine).funcWrap('env', 'work', { params: ['i32'], results: [] }, (caller, n: number) => {
      caller.consumeFuel(n);
    });
    const instance = linker.instantiate(store, module);
    store.setFuel(1000);
    instance.getFunc(store, 'run')!.call(store, [10]);
    // (local.get + call) * 2 + 10 * 2
    expect(1000 - store.getFuel()).toBe(24);
  });

  it('consumeFuel throws outOfFuel when the store cannot pay', () => {
    const store = new Store(engine);
    const linker = new Linker(engine).funcWrap('env', 'work', { params: ['i32'], results: [] }, (caller, n: number) => {
      caller.consumeFuel(n);
    });
    const instance = linker.instantiate(store, module);
    store.setFuel(15);
    let error: unknown;
    try {
      instance.getFunc(store, 'run')!.call(store, [10]);
    } catch (e) {
      error = e;
    }
    expect((error as RuntimeError).trap).toBe('outOfFuel');
    // 2 + 10 for the first call, 2 for the second; its 10 cannot be paid from 1
    expect(store.getFuel()).toBe(1);
  });

  it('a host function called directly costs nothing itself', () => {
    const store = new Store(engine);
    const func = Func.wrap(store, { params: [], results: ['i32'] }, () => 42);
    store.setFuel(5);
    expect(func.call(store, [])).toEqual([42]);
    expect(store.getFuel()).toBe(5);
  });
});

describe('without metering', () => {
  it('runs without fuel and refuses fuel calls', () => {
    const { store, instance } = setup({});
    expect(instance.getFunc(store, 'sum')!.call(store, [100])).toEqual([5050]);
    expect(() => store.setFuel(10)).toThrow(/fuel is not enabled/);
    expect(() => store.getFuel()).toThrow(/fuel is not enabled/);
  });

  it('setFuel validates its argument', () => {
    const { store } = setup();
    expect(() => store.setFuel(-1)).toThrow(RangeError);
    expect(() => store.setFuel(1.5)).toThrow(RangeError);
    store.setFuel(Number.MAX_SAFE_INTEGER);
    expect(store.getFuel()).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('resuming a richer program in random steps', () => {
  const engine = new Engine({ consumeFuel: true });
  const module = new Module(engine, wat(`(module
    (memory (export "mem") 1)
    (global $g (mut i64) (i64.const 0))
    (table 3 funcref)
    (elem (i32.const 0) $sq $inc $sq)
    (type $un (func (param i32) (result i32)))
    (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
    (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func $mix (param $i i32) (result i32)
      (block $b2 (block $b1 (block $b0 (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
          (return (call_indirect (type $un) (local.get $i) (i32.const 0))))
        (return (call_indirect (type $un) (local.get $i) (i32.const 1))))
      (i32.xor (local.get $i) (i32.const 0x55)))
    (func (export "work") (param $n i32) (result i32 i64) (local $i i32) (local $acc i32)
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 1024))
      (loop $l
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (call $mix (local.get $i)))
        (local.set $acc (i32.add (local.get $acc) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (global.set $g (i64.add (global.get $g) (i64.extend_i32_u (local.get $acc))))
        (if (i32.eqz (i32.and (local.get $i) (i32.const 15)))
          (then (memory.copy (i32.const 2048) (i32.const 0) (i32.const 200))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $acc) (global.get $g))
    (func (export "reset") (global.set $g (i64.const 0))))`));

  function fresh() {
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, module);
    return { store, instance };
  }

  it('gives the results, memory and total of one uninterrupted call', () => {
    const reference = fresh();
    const expected = measure(reference.store, reference.instance, 'work', [100]);
    const expectedMemory = reference.instance.getMemory(reference.store, 'mem')!.data().slice(0, 4096);
    let seed = 12345;
    const random = (limit: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % limit;
    };
    for (let trial = 0; trial < 30; trial++) {
      const { store, instance } = fresh();
      const budget = random(expected.consumed + 10);
      store.setFuel(budget);
      let result = instance.getFunc(store, 'work')!.callResumable(store, [100]);
      let consumed = budget - store.getFuel();
      expect(consumed).toBeLessThanOrEqual(budget);
      while (!result.done) {
        const step = 4 + random(40);
        store.setFuel(step);
        result = result.resume();
        consumed += step - store.getFuel();
      }
      expect(result.results).toEqual(expected.results);
      expect(consumed).toBe(expected.consumed);
      expect(instance.getMemory(store, 'mem')!.data().slice(0, 4096)).toEqual(expectedMemory);
    }
  });

  it('other calls may run while a call is stopped', () => {
    const { store, instance } = fresh();
    store.setFuel(500);
    const stopped = instance.getFunc(store, 'work')!.callResumable(store, [50]);
    expect(stopped.done).toBe(false);
    store.setFuel(1000);
    expect(instance.getFunc(store, 'reset')!.call(store, [])).toEqual([]);
    store.setFuel(1_000_000);
    if (stopped.done) throw new Error('unreachable');
    const finished = stopped.resume();
    expect(finished.done).toBe(true);
    expect(() => stopped.resume()).toThrow(/already resumed/);
  });

  it('a stopped call can be cancelled', () => {
    const { store, instance } = fresh();
    store.setFuel(300);
    const stopped = instance.getFunc(store, 'work')!.callResumable(store, [50]);
    if (stopped.done) throw new Error('expected a stop');
    stopped.cancel();
    expect(() => stopped.resume()).toThrow(/cancelled/);
    // mix(0) = sq(0) = 0, mix(1) = inc(1) = 2
    expect(measure(store, instance, 'work', [2]).results[0]).toBe(2);
  });

  it('running out inside a nested call from a host function ends the outer call', () => {
    const store = new Store(engine);
    const linker = new Linker(engine);
    let inner: Func | undefined;
    linker.funcWrap('env', 'callBack', { params: [], results: ['i32'] }, () => inner!.call(store, [])[0]);
    const instance = linker.instantiate(store, new Module(engine, wat(`(module
      (import "env" "callBack" (func $callBack (result i32)))
      (func (export "spin") (result i32) (loop $l (br $l)) (i32.const 0))
      (func (export "outer") (result i32) (call $callBack))
      (func (export "one") (result i32) (i32.const 1)))`)));
    inner = instance.getFunc(store, 'spin')!;
    store.setFuel(100);
    let error: unknown;
    try {
      instance.getFunc(store, 'outer')!.call(store, []);
    } catch (e) {
      error = e;
    }
    expect((error as RuntimeError).trap).toBe('outOfFuel');
    expect(measure(store, instance, 'one', [])).toEqual({ results: [1], consumed: 1 });
  });
});
