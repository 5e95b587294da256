/**
 * The compiled tier (src/compiler) against the interpreter, the reference:
 * how 'auto' picks a tier, resuming after out-of-fuel, interrupts and async
 * host calls in the middle of a deep call stack, limits, traps and the
 * profiler. Every check runs the same thing on both tiers and wants the same
 * results, fuel, memory and globals (DESIGN.md section 2, properties 1-4).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, Func, Global, Linker, Module, RuntimeError, Store, type EngineConfig, type Instance, type ResumableCall } from '../src/index.js';
import { wat } from './helpers/wat.js';

const TIERS = ['interpreter', 'compiled'] as const;
type Tier = (typeof TIERS)[number];

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TIER_CHILD = fileURLToPath(new URL('./compiled-tier/tier-child.ts', import.meta.url));

function runNode(flags: string[], args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...flags, '--import', 'tsx', TIER_CHILD, ...args], { cwd: REPO, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe("'auto' picks a tier the host can run", () => {
  const noCodegen = ['--disallow-code-generation-from-strings'];

  it('is the interpreter where code generation is forbidden, silently', async () => {
    const { stdout, stderr } = await runNode(noCodegen, []);
    expect(stderr).toBe('');
    expect(stdout).toBe(`${JSON.stringify({ tier: 'interpreter', fib20: 6765, interpreter: 6765 })}\n`);
  }, 70_000);

  it("refuses tier 'compiled' there with an Error that says why", async () => {
    const { stdout, stderr } = await runNode(noCodegen, ['compiled']);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as { created: boolean; name: string; message: string; isError: boolean };
    expect(report).toMatchObject({ created: false, name: 'Error', isError: true });
    expect(report.message).toMatch(/tier 'compiled' needs code generation.*'auto' or 'interpreter'/);
  }, 70_000);

  it("gives the tier it resolved to, and rejects an unknown one", () => {
    expect(new Engine({ tier: 'interpreter' }).tier).toBe('interpreter');
    expect(new Engine({ tier: 'compiled' }).tier).toBe('compiled');
    expect(() => new Engine({ tier: 'fast' as never })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- resuming in the middle of a deep stack

/**
 * rec(n) recurses to depth n + 1 with i64 and f64 locals live across each call, writes memory and globals on
 * the way down and up, runs loops (interrupt and fuel stops inside them) and calls the host function `bottom`
 * at every level divisible by 50 and at the bottom (each a possible suspension).
 */
const DEEP = wat(`(module
  (import "env" "bottom" (func $bottom (param i32) (result i32)))
  (memory (export "mem") 1)
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (global $mix (export "mix") (mut i64) (i64.const 0))
  (func $work (param $n i32) (param $seed i32) (result i32) (local $i i32) (local $h i64) (local $f f64)
    (local.set $h (i64.extend_i32_u (local.get $seed)))
    (local.set $f (f64.convert_i32_s (local.get $seed)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 0x9E3779B97F4A7C15)) (i64.extend_i32_u (local.get $i))))
        (local.set $f (f64.add (f64.mul (local.get $f) (f64.const 0.5)) (f64.convert_i64_s (i64.shr_u (local.get $h) (i64.const 40)))))
        (i64.store offset=1024 (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 3)) (local.get $h))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (global.set $mix (i64.xor (i64.rotl (global.get $mix) (i64.const 5)) (local.get $h)))
    (i32.add (i32.wrap_i64 (i64.shr_u (local.get $h) (i64.const 32))) (i32.trunc_f64_s (local.get $f))))
  (func $rec (export "rec") (param $n i32) (result i32) (local $x i64) (local $y f64) (local $r i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (local.set $x (i64.mul (i64.extend_i32_u (local.get $n)) (i64.const 0x100000001)))
    (local.set $y (f64.div (f64.convert_i32_u (local.get $n)) (f64.const 3)))
    (i32.store offset=4096 (i32.shl (local.get $n) (i32.const 2)) (local.get $n))
    (local.set $r (call $work (i32.const 5) (local.get $n)))
    (if (i32.eqz (i32.rem_u (local.get $n) (i32.const 50)))
      (then (local.set $r (i32.add (local.get $r) (call $bottom (local.get $n))))))
    (if (local.get $n)
      (then (local.set $r (i32.xor (local.get $r) (call $rec (i32.sub (local.get $n) (i32.const 1))))))
      (else (local.set $r (i32.add (local.get $r) (call $bottom (call $work (i32.const 300) (i32.const 1)))))))
    (i32.store offset=12288 (i32.shl (local.get $n) (i32.const 2)) (local.get $r))
    (i32.add (i32.add (local.get $r) (call $work (i32.const 3) (local.get $n)))
      (i32.xor (i32.wrap_i64 (i64.rotl (local.get $x) (i64.const 7))) (i32.trunc_f64_u (local.get $y))))))`);

/** What the host function computes. */
function bottomValue(x: number): number {
  return (Math.imul(x, 3) + 1) | 0;
}

interface Setup {
  store: Store;
  instance: Instance;
  /** Calls of the host function so far. */
  hostCalls: () => number;
}

/** DEEP on `tier`; the host function returns a Promise when `async`. */
function setupDeep(tier: Tier, async: boolean, config: EngineConfig = {}): Setup {
  const engine = new Engine({ ...config, tier });
  const store = new Store(engine);
  let calls = 0;
  const bottom = Func.wrap(store, { params: ['i32'], results: ['i32'] }, (_caller, x: number) => {
    calls++;
    return async ? Promise.resolve(bottomValue(x)) : bottomValue(x);
  });
  const instance = new Linker(engine).define('env', 'bottom', bottom).instantiate(store, new Module(engine, DEEP));
  return { store, instance, hostCalls: () => calls };
}

/** What a finished run leaves behind: results, globals and a digest of the memory. */
function finalState(setup: Setup, results: unknown[]) {
  const { store, instance } = setup;
  const memory = instance.getMemory(store, 'mem')!.data();
  let digest = 0;
  for (let i = 0; i < memory.length; i++) digest = Math.imul(digest ^ memory[i]!, 16777619);
  return {
    results,
    calls: instance.getGlobal(store, 'calls')!.get(),
    mix: instance.getGlobal(store, 'mix')!.get(),
    memory: digest,
    hostCalls: setup.hostCalls(),
  };
}

/** One uninterrupted metered call with a sync host function: the reference for everything below. */
function uninterrupted(tier: Tier, depth: number) {
  const setup = setupDeep(tier, false, { consumeFuel: true });
  setup.store.setFuel(Number.MAX_SAFE_INTEGER);
  const results = setup.instance.getFunc(setup.store, 'rec')!.call(setup.store, [depth]);
  return { ...finalState(setup, results), fuel: Number.MAX_SAFE_INTEGER - setup.store.getFuel() };
}

interface SlicedRun {
  state: ReturnType<typeof finalState>;
  /** Fuel consumed in total. */
  fuel: number;
  /** Fuel left at each stop, and why it stopped. */
  stops: string[];
}

/** callResumable with `budget` fuel at a time (and every suspension awaited), to the end. */
async function sliced(tier: Tier, depth: number, budget: number, async: boolean): Promise<SlicedRun> {
  const setup = setupDeep(tier, async, { consumeFuel: true });
  const { store } = setup;
  const stops: string[] = [];
  let given = budget;
  store.setFuel(budget);
  let call: ResumableCall = setup.instance.getFunc(store, 'rec')!.callResumable(store, [depth]);
  while (!call.done) {
    stops.push(`${call.reason} ${store.getFuel()}`);
    if (call.reason === 'hostSuspend') await call.pending;
    else {
      // Property 2: the stop comes before anything that would take consumption past the budget.
      expect(store.getFuel()).toBeGreaterThanOrEqual(0);
      given += budget - store.getFuel();
      store.setFuel(budget);
    }
    call = call.resume();
  }
  return { state: finalState(setup, call.results), fuel: given - store.getFuel(), stops };
}

describe('resuming on the compiled tier in the middle of a deep call stack', () => {
  // 100 frames, all compiled, with host calls at several depths.
  for (const depth of [100]) {
    const reference = uninterrupted('interpreter', depth);

    it(`depth ${depth}: one uninterrupted call is the same on both tiers`, () => {
      expect(uninterrupted('compiled', depth)).toEqual(reference);
      expect(reference.hostCalls).toBe(Math.floor(depth / 50) + 2);
    });

    it(`depth ${depth}: out of fuel, for many budgets: every stop, the total and the state as on the interpreter`, async () => {
      await fc.assert(
        // Every stop hands the whole stack to the interpreter and back: budgets from a few hundred up keep that quick.
        fc.asyncProperty(fc.oneof(fc.integer({ min: 300, max: 2_000 }), fc.integer({ min: 2_001, max: 20_000 }), fc.integer({ min: 20_001, max: reference.fuel + 10 })), async (budget) => {
          const compiled = await sliced('compiled', depth, budget, false);
          const interpreter = await sliced('interpreter', depth, budget, false);
          expect(compiled).toEqual(interpreter);
          // Property 3: the same results, state and total consumption as one uninterrupted call.
          const { fuel, ...state } = reference;
          expect(compiled.state).toEqual(state);
          expect(compiled.fuel).toBe(fuel);
          // Property 2: it completes without a stop if and only if the total fits the budget.
          expect(compiled.stops.length === 0).toBe(fuel <= budget);
        }),
        { numRuns: 12, seed: 20261208 },
      );
    });

    it(`depth ${depth}: an async host call at every 50th level and at the bottom, with and without fuel stops`, async () => {
      const { fuel, ...state } = reference;
      for (const budget of [Number.MAX_SAFE_INTEGER, 5_003, 997]) {
        const compiled = await sliced('compiled', depth, budget, true);
        const interpreter = await sliced('interpreter', depth, budget, true);
        expect(compiled).toEqual(interpreter);
        expect(compiled.state).toEqual(state);
        expect(compiled.fuel).toBe(fuel);
        expect(compiled.stops.filter((stop) => stop.startsWith('hostSuspend'))).toHaveLength(state.hostCalls);
      }
    });

    it(`depth ${depth}: an async host call without fuel metering`, async () => {
      const run = async (tier: Tier) => {
        const setup = setupDeep(tier, true);
        let call = setup.instance.getFunc(setup.store, 'rec')!.callResumable(setup.store, [depth]);
        let suspensions = 0;
        while (!call.done) {
          expect(call.reason).toBe('hostSuspend');
          if (call.reason === 'hostSuspend') await call.pending;
          suspensions++;
          call = call.resume();
        }
        return { ...finalState(setup, call.results), suspensions };
      };
      const { fuel: _fuel, ...state } = reference;
      expect(await run('compiled')).toEqual({ ...state, suspensions: state.hostCalls });
      expect(await run('interpreter')).toEqual({ ...state, suspensions: state.hostCalls });
    });

    it(`depth ${depth}: an interrupt stops each tier where its check says, and the store runs on afterwards`, () => {
      const interruptAt = (tier: Tier, interval: number, stopAt: number) => {
        const setup = setupDeep(tier, false, { consumeFuel: true });
        const { store, instance } = setup;
        let checks = 0;
        store.setInterrupt(() => ++checks === stopAt, interval);
        store.setFuel(Number.MAX_SAFE_INTEGER);
        const rec = instance.getFunc(store, 'rec')!;
        let trap: string | undefined;
        try {
          rec.call(store, [depth]);
        } catch (error) {
          trap = (error as RuntimeError).trap;
        }
        const atStop = { trap, checks, fuel: Number.MAX_SAFE_INTEGER - store.getFuel(), ...finalState(setup, []) };
        // The next call on the same store runs to the end.
        store.setInterrupt(undefined);
        store.setFuel(Number.MAX_SAFE_INTEGER);
        const next = rec.call(store, [depth]);
        return { atStop, after: { ...finalState(setup, next), fuel: Number.MAX_SAFE_INTEGER - store.getFuel() } };
      };
      // At interval 1 both tiers poll at every call and loop back-edge: the same polls, the same stop.
      for (const stopAt of [1, 777, Number.MAX_SAFE_INTEGER]) {
        expect(interruptAt('compiled', 1, stopAt)).toEqual(interruptAt('interpreter', 1, stopAt));
      }
      // At longer intervals the compiled tier counts per frame (about the square root of the interval
      // per call level), so it polls at other points; it stops exactly when the check says so, and
      // the store runs on afterwards.
      for (const [interval, stopAt] of [[7, 300], [100, 2], [10_000, 1]]) {
        const interpreter = interruptAt('interpreter', interval!, stopAt!);
        const compiled = interruptAt('compiled', interval!, stopAt!);
        expect(compiled.atStop.trap).toBe(compiled.atStop.checks === stopAt ? 'interrupted' : undefined);
        expect(compiled.after.results).toEqual(reference.results);
        expect(interpreter.atStop.trap).toBe(interpreter.atStop.checks === stopAt ? 'interrupted' : undefined);
      }
      expect(interruptAt('interpreter', 1, 1).atStop.trap).toBe('interrupted');
    });
  }
});

// ---------------------------------------------------------------- limits, traps and the profiler

interface Outcome {
  results?: unknown[];
  trap?: string;
  fuel: number;
}

/** Calls `name` on a fresh instance of `bytes` on `tier`, metered, after `prepare`; what happened and the fuel it took. */
function outcomeOn(tier: Tier, bytes: Uint8Array, name: string, args: unknown[], config: EngineConfig = {}, prepare?: (store: Store) => void) {
  const engine = new Engine({ consumeFuel: true, ...config, tier });
  const store = new Store(engine);
  prepare?.(store);
  const linker = new Linker(engine);
  linker.funcWrap('env', 'fail', { params: [], results: [] }, () => {
    throw new Error('host failure');
  });
  const instance = linker.instantiate(store, new Module(engine, bytes));
  const budget = 10_000_000;
  store.setFuel(budget);
  const outcome: Outcome = { fuel: 0 };
  try {
    outcome.results = instance.getFunc(store, name)!.call(store, args);
  } catch (error) {
    if (!(error instanceof RuntimeError)) throw error;
    outcome.trap = error.trap;
  }
  outcome.fuel = budget - store.getFuel();
  const globals: Record<string, unknown> = {};
  for (const { name: exported, value } of instance.exports(store)) {
    if (value instanceof Global) globals[exported] = value.get();
  }
  const memory = instance.getMemory(store, 'mem')?.data();
  return { ...outcome, globals, memory: memory === undefined ? null : Array.from(memory.subarray(0, 64)), memoryBytes: memory?.length ?? 0 };
}

/** The outcome on both tiers, which must be the same; returned for further checks. */
function sameOnBothTiers(bytes: Uint8Array, name: string, args: unknown[], config: EngineConfig = {}, prepare?: (store: Store) => void) {
  const interpreter = outcomeOn('interpreter', bytes, name, args, config, prepare);
  const compiled = outcomeOn('compiled', bytes, name, args, config, prepare);
  expect(compiled).toEqual(interpreter);
  return compiled;
}

/** Recursion that counts its depth in a global; `locals` extra i64 and f64 locals, all live across the call. */
function recursion(locals: number): Uint8Array {
  const declared = Array.from({ length: locals }, (_, i) => `(local $l${i} ${i % 2 ? 'f64' : 'i64'})`).join(' ');
  const sets = Array.from({ length: locals }, (_, i) =>
    i % 2 ? `(local.set $l${i} (f64.convert_i32_s (local.get 0)))` : `(local.set $l${i} (i64.extend_i32_s (local.get 0)))`).join(' ');
  const uses = Array.from({ length: locals }, (_, i) =>
    i % 2 ? `(i32.add (i32.trunc_f64_s (local.get $l${i})))` : `(i32.add (i32.wrap_i64 (local.get $l${i})))`).join(' ');
  return wat(`(module
    (global $depth (export "depth") (mut i32) (i32.const 0))
    (global $deepest (export "deepest") (mut i32) (i32.const 0))
    (func $down (export "down") (param i32) (result i32) ${declared}
      (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
      (if (i32.gt_u (global.get $depth) (global.get $deepest)) (then (global.set $deepest (global.get $depth))))
      ${sets}
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.const 0))
        (else (call $down (i32.sub (local.get 0) (i32.const 1)))))
      ${uses}
      (global.set $depth (i32.sub (global.get $depth) (i32.const 1)))))`);
}

describe('limits are the same on both tiers', () => {
  for (const [locals, maxCallDepth] of [[0, 10_000], [40, 3000]] as const) {
    const bytes = recursion(locals);
    {
      it(`maxCallDepth ${maxCallDepth}, ${locals} extra locals: the trap comes at the same depth, with the same fuel`, () => {
        const deepEnough = sameOnBothTiers(bytes, 'down', [maxCallDepth - 1], { maxCallDepth });
        expect(deepEnough.results).toEqual([locals === 0 ? 0 : expect.any(Number)]);
        expect(deepEnough.globals).toEqual({ depth: 0, deepest: maxCallDepth });
        const tooDeep = sameOnBothTiers(bytes, 'down', [maxCallDepth], { maxCallDepth });
        expect(tooDeep.trap).toBe('callStackExhausted');
        expect(tooDeep.globals).toEqual({ depth: maxCallDepth, deepest: maxCallDepth });
      });
    }
  }

  it('maxStackSlots: the trap comes at the same depth, with the same fuel', () => {
    const bytes = recursion(100);
    const tooDeep = sameOnBothTiers(bytes, 'down', [100_000], { maxStackSlots: 50_000 });
    expect(tooDeep.trap).toBe('callStackExhausted');
    const deepest = tooDeep.globals.deepest as number;
    expect(deepest).toBeGreaterThan(300);
    expect(deepest).toBeLessThan(500);
    expect(sameOnBothTiers(bytes, 'down', [deepest - 1], { maxStackSlots: 50_000 }).results).toHaveLength(1);
  });

  const grower = wat(`(module
    (memory (export "mem") 1 8)
    (table $t 1 100 funcref)
    (global $last (export "last") (mut i32) (i32.const 0))
    (func (export "grow") (param i32) (result i32)
      (global.set $last (memory.grow (local.get 0)))
      (i32.store8 (i32.const 3) (i32.const 7))
      (global.get $last))
    (func (export "growTable") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0))))`);

  it('memory and table growth within, past the store limits and past the declared maximum', () => {
    const limits = (onGrowFailure: 'fail' | 'trap') => (store: Store) => store.setLimits({ maxMemoryBytes: 3 * 65536, maxTableElements: 10, onGrowFailure });
    for (const policy of ['fail', 'trap'] as const) {
      expect(sameOnBothTiers(grower, 'grow', [2], {}, limits(policy))).toMatchObject({ results: [1], memoryBytes: 3 * 65536 });
      const past = sameOnBothTiers(grower, 'grow', [3], {}, limits(policy));
      if (policy === 'fail') expect(past).toMatchObject({ results: [-1], memoryBytes: 65536 });
      else expect(past).toMatchObject({ trap: 'resourceLimitExceeded', memoryBytes: 65536 });
      // Past the declared maximum it is always -1.
      expect(sameOnBothTiers(grower, 'grow', [8], {}, limits(policy)).results).toEqual([-1]);
      expect(sameOnBothTiers(grower, 'growTable', [9], {}, limits(policy)).results).toEqual([1]);
      const pastTable = sameOnBothTiers(grower, 'growTable', [10], {}, limits(policy));
      expect(pastTable.results ?? pastTable.trap).toEqual(policy === 'fail' ? [-1] : 'resourceLimitExceeded');
    }
    // A grow costs 1,024 fuel per page beyond its instruction's 1 (DESIGN.md section 2): 7 instructions and 4 pages.
    expect(sameOnBothTiers(grower, 'grow', [4], {}, (store) => store.setLimits({}))).toMatchObject({ results: [1], fuel: 7 + 4 * 1024 });
  });

  const traps = wat(`(module
    (import "env" "fail" (func $fail))
    (type $v (func))
    (type $i (func (result i32)))
    (memory (export "mem") 1)
    (table $t 4 funcref)
    (elem (table $t) (i32.const 0) func $ok)
    (global $steps (export "steps") (mut i32) (i32.const 0))
    (data $d "0123456789")
    (elem $e func $ok $ok)
    (func $ok)
    (func $step (global.set $steps (i32.add (global.get $steps) (i32.const 1))) (i32.store (i32.const 0) (global.get $steps)))
    (func (export "unreachable") (call $step) unreachable)
    (func (export "load") (param i32) (result i32) (call $step) (i32.load offset=3 (local.get 0)))
    (func (export "load64") (param i32) (result i64) (call $step) (i64.load (local.get 0)))
    (func (export "store16") (param i32) (call $step) (i32.store16 (local.get 0) (i32.const -1)))
    (func (export "fill") (param i32 i32) (call $step) (memory.fill (local.get 0) (i32.const 9) (local.get 1)))
    (func (export "copy") (param i32 i32) (call $step) (memory.copy (local.get 0) (i32.const 0) (local.get 1)))
    (func (export "init") (param i32 i32) (call $step) (memory.init $d (local.get 0) (i32.const 0) (local.get 1)))
    (func (export "dropThenInit") (call $step) (data.drop $d) (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)))
    (func (export "tableInit") (param i32) (call $step) (table.init $t $e (local.get 0) (i32.const 0) (i32.const 2)))
    (func (export "tableGet") (param i32) (result funcref) (call $step) (table.get $t (local.get 0)))
    (func (export "indirect") (param i32) (call $step) (call_indirect $t (type $v) (local.get 0)))
    (func (export "wrongType") (result i32) (call $step) (call_indirect $t (type $i) (i32.const 0)))
    (func (export "divS") (param i32 i32) (result i32) (call $step) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "remU64") (param i64 i64) (result i64) (call $step) (i64.rem_u (local.get 0) (local.get 1)))
    (func (export "divS64") (param i64 i64) (result i64) (call $step) (i64.div_s (local.get 0) (local.get 1)))
    (func (export "trunc") (param f64) (result i32) (call $step) (i32.trunc_f64_s (local.get 0)))
    (func (export "truncF32U64") (param f32) (result i64) (call $step) (i64.trunc_f32_u (local.get 0)))
    (func (export "host") (call $step) (call $fail) (call $step)))`);

  const cases: [string, unknown[], string][] = [
    ['unreachable', [], 'unreachable'],
    ['load', [65533], 'memoryOutOfBounds'],
    ['load', [-1], 'memoryOutOfBounds'],
    ['load64', [65529], 'memoryOutOfBounds'],
    ['store16', [65535], 'memoryOutOfBounds'],
    ['fill', [65000, 537], 'memoryOutOfBounds'],
    ['copy', [-4, 4], 'memoryOutOfBounds'],
    ['init', [65530, 7], 'memoryOutOfBounds'],
    ['init', [0, 11], 'memoryOutOfBounds'],
    ['dropThenInit', [], 'memoryOutOfBounds'],
    ['tableInit', [3], 'tableOutOfBounds'],
    ['tableGet', [4], 'tableOutOfBounds'],
    ['indirect', [4], 'tableOutOfBounds'],
    ['indirect', [1], 'indirectCallToNull'],
    ['wrongType', [], 'badSignature'],
    ['divS', [-0x80000000, -1], 'integerOverflow'],
    ['divS', [5, 0], 'integerDivideByZero'],
    ['remU64', [5n, 0n], 'integerDivideByZero'],
    ['divS64', [-(2n ** 63n), -1n], 'integerOverflow'],
    ['trunc', [NaN], 'invalidConversionToInteger'],
    ['trunc', [2 ** 31], 'integerOverflow'],
    ['truncF32U64', [-1], 'integerOverflow'],
    ['host', [], 'host'],
  ];

  const named = cases.map(([name, args, trap]) => [`${name}(${args.map(String).join(', ')})`, trap, name, args] as const);
  it.each(named)('%s traps with %s, the same fuel and memory on both tiers', (_, trap, name, args) => {
    const outcome = sameOnBothTiers(traps, name, args);
    expect(outcome.trap).toBe(trap);
    expect(outcome.globals).toEqual({ steps: 1 });
  });

  it('out of fuel in a call is a trap at the same point on both tiers', () => {
    for (const budget of [0, 1, 5, 6, 7, 100]) {
      const run = (tier: Tier) => outcomeOn(tier, recursion(2), 'down', [50], {}, undefined);
      const capped = (tier: Tier) => {
        const engine = new Engine({ consumeFuel: true, tier });
        const store = new Store(engine);
        const instance = new Linker(engine).instantiate(store, new Module(engine, recursion(2)));
        store.setFuel(budget);
        let trap: string | undefined;
        try {
          instance.getFunc(store, 'down')!.call(store, [50]);
        } catch (error) {
          trap = (error as RuntimeError).trap;
        }
        return { trap, left: store.getFuel(), depth: instance.getGlobal(store, 'deepest')!.get() };
      };
      expect(capped('compiled')).toEqual(capped('interpreter'));
      expect(capped('compiled').trap).toBe('outOfFuel');
      expect(run('compiled')).toEqual(run('interpreter'));
    }
  });
});

describe('the profiler sees the same events on both tiers', () => {
  const events = (tier: Tier, async: boolean) => {
    const setup = setupDeep(tier, async, { consumeFuel: true });
    const seen: string[] = [];
    setup.store.setProfiler({
      enter: (name, index, fuel) => seen.push(`enter ${name} ${index} ${fuel}`),
      exit: (fuel) => seen.push(`exit ${fuel}`),
    });
    setup.store.setFuel(1_000_000);
    return { setup, seen };
  };

  it('for a deep run with host calls', () => {
    const run = (tier: Tier) => {
      const { setup, seen } = events(tier, false);
      setup.instance.getFunc(setup.store, 'rec')!.call(setup.store, [120]);
      return seen;
    };
    const compiled = run('compiled');
    expect(compiled).toEqual(run('interpreter'));
    expect(compiled.filter((e) => e.startsWith('enter ')).length).toBe(121 + 2 * 121 + 1 + Math.floor(120 / 50) + 2);
  });

  it('for a run that traps, and for a resumed run', async () => {
    const trapping = (tier: Tier) => {
      const { setup, seen } = events(tier, false);
      setup.store.setFuel(5000);
      expect(() => setup.instance.getFunc(setup.store, 'rec')!.call(setup.store, [120])).toThrow(RuntimeError);
      return seen;
    };
    expect(trapping('compiled')).toEqual(trapping('interpreter'));
    const resumed = async (tier: Tier) => {
      const { setup, seen } = events(tier, true);
      let call = setup.instance.getFunc(setup.store, 'rec')!.callResumable(setup.store, [120]);
      while (!call.done) {
        if (call.reason === 'hostSuspend') await call.pending;
        call = call.resume();
      }
      return { seen, results: call.results };
    };
    expect(await resumed('compiled')).toEqual(await resumed('interpreter'));
  });

  it('when it is set while a compiled call is suspended', async () => {
    const run = async (tier: Tier) => {
      const setup = setupDeep(tier, true, { consumeFuel: true });
      setup.store.setFuel(1_000_000);
      const seen: string[] = [];
      let call = setup.instance.getFunc(setup.store, 'rec')!.callResumable(setup.store, [40]);
      setup.store.setProfiler({ enter: (name, index, fuel) => seen.push(`enter ${name} ${index} ${fuel}`), exit: (fuel) => seen.push(`exit ${fuel}`) });
      while (!call.done) {
        if (call.reason === 'hostSuspend') await call.pending;
        call = call.resume();
      }
      return { seen, results: call.results };
    };
    expect(await run('compiled')).toEqual(await run('interpreter'));
  });
});

describe('the interrupt check', () => {
  // g(n) calls f(3), which loops 3 times, and itself: 10 levels make 50 calls and back-edges.
  const calls = wat(`(module
    (func $f (param $n i32) (result i32) (local $i i32)
      (block $d (loop $l (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
      (local.get $i))
    (func $g (export "g") (param $n i32) (result i32)
      (if (result i32) (local.get $n)
        (then (i32.add (call $f (i32.const 3)) (call $g (i32.sub (local.get $n) (i32.const 1)))))
        (else (i32.const 0)))))`);

  it.each(TIERS)('at interval 1 is asked once per call and back-edge, and its first true stops the run (%s tier)', (tier) => {
    const run = (stopAt: number) => {
      const engine = new Engine({ tier });
      const store = new Store(engine);
      let checks = 0;
      store.setInterrupt(() => ++checks === stopAt, 1);
      const g = new Linker(engine).instantiate(store, new Module(engine, calls)).getFunc(store, 'g')!;
      try {
        return { results: g.call(store, [10]), checks };
      } catch (error) {
        return { trap: (error as RuntimeError).trap, checks };
      }
    };
    expect(run(0)).toEqual({ results: [30], checks: 50 });
    expect(run(1)).toEqual({ trap: 'interrupted', checks: 1 });
    expect(run(17)).toEqual({ trap: 'interrupted', checks: 17 });
  });
});
