/**
 * executeAsync: fuel slices with turns of the event loop between them, host
 * functions that return Promises, timeouts and AbortSignals, and the exactness
 * that makes a sliced run indistinguishable from an uninterrupted one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SandboxConfig, SandboxError, WasmRuntime, type ExecutionResult } from '../src/host/sandbox/index.js';
import { guest, wat } from './sandbox/guests/index.js';

const granted = new SandboxConfig().allowHostCalls();
const unlimited = granted.withFuelLimit(Number.MAX_SAFE_INTEGER);

type Outcome =
  | { ok: true; output: number[]; fuelConsumed: number; memoryPeakBytes: number; logs: string[]; returnValue: number | undefined }
  | { ok: false; kind: string; fuelConsumed: number | undefined; logs: readonly string[] };

function outcomeOf(result: ExecutionResult): Outcome {
  return { ok: true, ...result, output: Array.from(result.output) };
}

function failureOutcome(error: unknown): Outcome {
  if (!(error instanceof SandboxError)) throw error;
  return { ok: false, kind: error.kind, fuelConsumed: error.fuelConsumed, logs: error.logs };
}

function runSync(runtime: WasmRuntime, bytes: Uint8Array, input: Uint8Array | string, config: SandboxConfig): Outcome {
  try {
    return outcomeOf(runtime.execute(bytes, input, config));
  } catch (error) {
    return failureOutcome(error);
  }
}

function runAsync(runtime: WasmRuntime, bytes: Uint8Array, input: Uint8Array | string, config: SandboxConfig, sliceFuel: number): Promise<Outcome> {
  return runtime.executeAsync(bytes, input, config, { sliceFuel }).then(outcomeOf, failureOutcome);
}

async function asyncFailure(run: Promise<unknown>): Promise<SandboxError> {
  try {
    await run;
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxError);
    return error as SandboxError;
  }
  throw new Error('expected a SandboxError, but the run succeeded');
}

/** Counts to `n` (the input length) in a loop of 8 instructions: 8n + 2 fuel. */
const counter = wat(`(module
  (func (export "execute") (param i32 i32) (result i32) (local $i i32)
    (loop $count
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $count (i32.lt_u (local.get $i) (local.get 1))))
    (local.get $i)))`);

describe('sliced runs add up exactly', () => {
  const runtime = new WasmRuntime();

  it('property: for random budgets and slices, a sliced run equals an uninterrupted one', async () => {
    const seen = { completed: 0, outOfFuel: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 12 }),
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1, max: 4_000 }),
        async (input, budget, sliceFuel) => {
          const config = granted.withFuelLimit(budget);
          const whole = runSync(runtime, guest('fuel-mix.wat'), input, config);
          expect(await runAsync(runtime, guest('fuel-mix.wat'), input, config, sliceFuel)).toEqual(whole);
          if (whole.ok) seen.completed++;
          else if (whole.kind === 'OutOfFuel') seen.outOfFuel++;
        },
      ),
      { numRuns: 60 },
    );
    // Both sides of the budget boundary were exercised.
    expect(seen.completed).toBeGreaterThan(5);
    expect(seen.outOfFuel).toBeGreaterThan(5);
  });

  it('a budget of exactly the cost succeeds in slices, one less fails alike', async () => {
    const input = new TextEncoder().encode('fuel is exact');
    const whole = runSync(runtime, guest('fuel-mix.wat'), input, unlimited);
    if (!whole.ok) throw new Error('fuel-mix failed');
    for (const sliceFuel of [1, 7, 64, 1000]) {
      expect(await runAsync(runtime, guest('fuel-mix.wat'), input, granted.withFuelLimit(whole.fuelConsumed), sliceFuel)).toEqual(whole);
      const short = granted.withFuelLimit(whole.fuelConsumed - 1);
      const failed = await runAsync(runtime, guest('fuel-mix.wat'), input, short, sliceFuel);
      expect(failed).toEqual(runSync(runtime, guest('fuel-mix.wat'), input, short));
      expect(failed).toMatchObject({ ok: false, kind: 'OutOfFuel' });
    }
  });

  it('runs a compiled C guest in slices to the same result', async () => {
    const whole = runSync(runtime, guest('collatz.wasm'), '1000', unlimited);
    expect(whole).toMatchObject({ ok: true, returnValue: 871 });
    expect(await runAsync(runtime, guest('collatz.wasm'), '1000', unlimited, 10_000)).toEqual(whole);
  });

  it('interleaves concurrent runs of one module without mixing them up', async () => {
    const inputs = ['first run', 'second, longer run', '3'];
    const expected = inputs.map((input) => runSync(runtime, guest('fuel-mix.wat'), input, unlimited));
    const sliced = await Promise.all(inputs.map((input, i) => runAsync(runtime, guest('fuel-mix.wat'), input, unlimited, 5 + 3 * i)));
    expect(sliced).toEqual(expected);
  });

  it('reports errors as rejections', async () => {
    const error = await asyncFailure(runtime.executeAsync(new Uint8Array([1, 2, 3]), '', granted));
    expect(error.kind).toBe('ModuleInvalid');
    expect((await asyncFailure(runtime.executeAsync(guest('trap.wat'), '', granted))).kind).toBe('ExecutionFailed');
    await expect(runtime.executeAsync(counter, '', granted, { sliceFuel: 0 })).rejects.toThrow(RangeError);
  });
});

describe('the event loop keeps turning', () => {
  const runtime = new WasmRuntime();
  const iterations = 40_000; // 320,002 fuel

  it('lets a timer fire while a long guest runs', async () => {
    let running = true;
    let firedWhileRunning = false;
    const timer = setTimeout(() => {
      firedWhileRunning = running;
    }, 1);
    const result = await runtime.executeAsync(counter, new Uint8Array(iterations), granted, { sliceFuel: 2_000 });
    running = false;
    clearTimeout(timer);
    expect(result.returnValue).toBe(iterations);
    expect(result.fuelConsumed).toBe(8 * iterations + 2);
    expect(firedWhileRunning).toBe(true);
  });

  it('while execute, for contrast, holds the thread until the guest is done', () => {
    let fired = false;
    const timer = setTimeout(() => {
      fired = true;
    }, 0);
    const result = runtime.execute(counter, new Uint8Array(iterations), granted);
    clearTimeout(timer);
    expect(result.fuelConsumed).toBe(8 * iterations + 2);
    expect(fired).toBe(false);
  });

  it('stops a runaway guest with Timeout when its AbortSignal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the user closed the tab')), 20);
    const error = await asyncFailure(runtime.executeAsync(guest('infinite-loop.wat'), '', unlimited, { signal: controller.signal }));
    expect(error.kind).toBe('Timeout');
    expect(error.message).toMatch(/aborted: the user closed the tab/);
    expect(error.fuelConsumed).toBeGreaterThan(0);
    expect(runtime.execute(guest('echo.wat'), 'after', granted).returnValue).toBe(5);
  });

  it('does not start a run whose signal has already aborted', async () => {
    const error = await asyncFailure(runtime.executeAsync(guest('echo.wat'), '', granted, { signal: AbortSignal.abort() }));
    expect(error.kind).toBe('Timeout');
    expect(error.fuelConsumed).toBe(0);
  });

  it('stops a runaway guest at its timeout', async () => {
    const error = await asyncFailure(runtime.executeAsync(guest('infinite-loop.wat'), '', unlimited.withTimeout(30)));
    expect(error.kind).toBe('Timeout');
    expect(error.message).toMatch(/timeout of 30 ms/);
  });
});

describe('host functions that return Promises', () => {
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let lookups = 0;
  const runtime = new WasmRuntime({
    hostFunctions: {
      net: {
        // fetch_number(x) -> x * 10, after a while
        fetch_number: {
          params: ['i32'],
          results: ['i32'],
          async call(context, x: number) {
            lookups++;
            await delay(2);
            context.consumeFuel(5);
            return x * 10;
          },
        },
        fetch_broken: {
          params: [],
          results: [],
          async call() {
            await delay(1);
            throw new Error('connection reset');
          },
        },
        fetch_forever: { params: [], results: [], call: () => new Promise(() => undefined) },
      },
    },
  });
  // Sums fetch_number(1..n) for n = the input length.
  const fetcher = wat(`(module
    (import "env" "fetch_number" (func $fetch (param i32) (result i32)))
    (func (export "execute") (param i32) (param $n i32) (result i32) (local $i i32) (local $sum i32)
      (block $done
        (loop $each
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $sum (i32.add (local.get $sum) (call $fetch (local.get $i))))
          (br $each)))
      (local.get $sum)))`);
  const calling = (name: string) => wat(`(module (import "env" "${name}" (func $f)) (func (export "_start") (call $f)))`);

  it('waits for them and counts their fuel exactly', async () => {
    lookups = 0;
    const result = await runtime.executeAsync(fetcher, new Uint8Array(4), granted);
    expect(result.returnValue).toBe(100);
    expect(lookups).toBe(4);
    const sliced = await runtime.executeAsync(fetcher, new Uint8Array(4), granted, { sliceFuel: 3 });
    expect(sliced).toEqual(result);
    // Per turn: 4 for the check, 4 for the increment, 5 for the call and the sum, 1 for the branch back
    // and 5 charged by the host; then block, loop, the last check and the result.
    expect(result.fuelConsumed).toBe(4 * 19 + 2 + 4 + 1);
  });

  it('reports a rejection as HostError', async () => {
    const error = await asyncFailure(runtime.executeAsync(calling('fetch_broken'), '', granted));
    expect(error.kind).toBe('HostError');
    expect(error.message).toMatch(/env\.fetch_broken failed: connection reset/);
  });

  it('stops waiting at the timeout or on abort', async () => {
    const timedOut = await asyncFailure(runtime.executeAsync(calling('fetch_forever'), '', granted.withTimeout(20)));
    expect(timedOut.kind).toBe('Timeout');
    expect(timedOut.message).toMatch(/timeout of 20 ms/);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const aborted = await asyncFailure(runtime.executeAsync(calling('fetch_forever'), '', granted, { signal: controller.signal }));
    expect(aborted.kind).toBe('Timeout');
    expect(aborted.message).toMatch(/aborted/);
  });
});
