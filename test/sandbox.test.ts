/**
 * The sandbox (purewasm/sandbox, DESIGN.md section 4): the behaviours of the
 * original wasmi sandbox's tests, then one hostile guest per way of failing,
 * each followed by a normal run on the same runtime, then capabilities,
 * embedder host functions and determinism.
 */
import { describe, expect, it } from 'vitest';
import {
  SandboxConfig, SandboxError, WasmRuntime, type ExecutionResult, type SandboxErrorKind,
} from '../src/host/sandbox/index.js';
import { guest, wat } from './sandbox/guests/index.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const granted = new SandboxConfig().withFuelLimit(1_000_000).allowHostCalls();

/** The SandboxError `run` throws (fails the test when it throws nothing or something else). */
function failure(run: () => unknown): SandboxError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxError);
    return error as SandboxError;
  }
  throw new Error('expected a SandboxError, but the run succeeded');
}

function expectFailure(run: () => unknown, kind: SandboxErrorKind, message?: RegExp): SandboxError {
  const error = failure(run);
  expect(error.kind, error.message).toBe(kind);
  expect(error.message.startsWith(`${kind}: `)).toBe(true);
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

/** A normal execution right after a hostile one: the runtime must be unharmed. */
function expectHealthy(runtime: WasmRuntime): void {
  const result = runtime.execute(guest('echo.wat'), 'still fine', granted);
  expect(text(result.output)).toBe('still fine');
  expect(result.returnValue).toBe(10);
  expect(result.logs).toEqual(['echo']);
}

describe('behaviours of the original sandbox', () => {
  const runtime = new WasmRuntime();

  it('validates a valid module, also one that imports host functions', () => {
    expect(() => runtime.validateModule(wat('(module (func (export "_start")))'))).not.toThrow();
    expect(() => runtime.validateModule(guest('hello.wat'))).not.toThrow();
  });

  it('rejects bytes that are not a module with ModuleInvalid', () => {
    const notWasm = new TextEncoder().encode('this is definitely not valid wasm');
    const error = expectFailure(() => runtime.validateModule(notWasm), 'ModuleInvalid', /byte offset 0/);
    expect(error.fuelConsumed).toBeUndefined();
    expectFailure(() => runtime.validateModule(new Uint8Array(0)), 'ModuleInvalid');
    expectFailure(() => runtime.execute(notWasm, '', granted), 'ModuleInvalid');
  });

  it('runs a _start that writes nothing', () => {
    const result = runtime.execute(wat('(module (func (export "_start")))'), new Uint8Array(0), granted);
    expect(result.output).toEqual(new Uint8Array(0));
    expect(result.logs).toEqual([]);
    expect(result.returnValue).toBeUndefined();
  });

  it('returns "hello" written with host_write_output', () => {
    expect(text(runtime.execute(guest('hello.wat'), '', granted).output)).toBe('hello');
  });

  it('stops a fuel-limited loop with OutOfFuel', () => {
    const loop = wat(`(module (func (export "_start") (local $i i32)
      (loop $loop
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $loop (i32.lt_u (local.get $i) (i32.const 999999))))))`);
    const error = expectFailure(() => runtime.execute(loop, '', new SandboxConfig().withFuelLimit(100)), 'OutOfFuel', /fuel limit of 100\b/);
    expect(error.fuelConsumed).toBeLessThanOrEqual(100);
  });

  it('echoes the input read with host_get_input_len and host_read_input', () => {
    const echo = wat(`(module
      (import "env" "host_get_input_len" (func $input_len (result i32)))
      (import "env" "host_read_input" (func $read (param i32 i32) (result i32)))
      (import "env" "host_write_output" (func $write (param i32 i32)))
      (memory (export "memory") 1)
      (func (export "_start") (local $len i32)
        (local.set $len (call $input_len))
        (drop (call $read (i32.const 0) (local.get $len)))
        (call $write (i32.const 0) (local.get $len))))`);
    expect(text(runtime.execute(echo, 'test-input', granted).output)).toBe('test-input');
  });

  it('counts fuel exactly: 1 for a nop, 81 for ten turns of an 8-instruction loop', () => {
    expect(runtime.execute(wat('(module (func (export "_start") nop))'), '', granted).fuelConsumed).toBe(1);
    const loop = wat(`(module (func (export "_start") (local $i i32)
      (loop $loop
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $loop (i32.lt_u (local.get $i) (i32.const 10))))))`);
    expect(runtime.execute(loop, '', granted).fuelConsumed).toBe(81);
  });

  it('reports the peak memory', () => {
    expect(runtime.execute(guest('hello.wat'), '', granted).memoryPeakBytes).toBe(65536);
    expect(runtime.execute(wat('(module (func (export "_start")))'), '', granted).memoryPeakBytes).toBe(0);
  });

  it('fails with ExecutionFailed, naming the exports, when there is no entry point', () => {
    expectFailure(() => runtime.execute(wat('(module (func $internal nop))'), '', granted), 'ExecutionFailed', /exports nothing/);
    expectFailure(
      () => runtime.execute(guest('no-entry.wat'), '', granted),
      'ExecutionFailed',
      /neither 'execute' \(i32, i32\) -> \(i32\) nor '_start' \(\) -> \(\); its exports are 'memory' \(memory\), 'main' \(func\)/,
    );
  });

  it('prefers execute(ptr, len) to _start and passes it the input length', () => {
    const both = wat(`(module
      (func (export "_start") unreachable)
      (func (export "execute") (param $ptr i32) (param $len i32) (result i32)
        (i32.add (i32.mul (local.get $ptr) (i32.const 1000)) (local.get $len))))`);
    expect(runtime.execute(both, '12345', granted).returnValue).toBe(5);
  });

  it('names the kind in the message and keeps the reason apart', () => {
    const error = new SandboxError('OutOfFuel', 'the guest used up its fuel limit of 5');
    expect(error.message).toBe('OutOfFuel: the guest used up its fuel limit of 5');
    expect(error.reason).toBe('the guest used up its fuel limit of 5');
    expect(error.name).toBe('SandboxError');
    expect(error).toBeInstanceOf(Error);
  });
});

describe('hostile guests get the right SandboxError and leave the runtime healthy', () => {
  const runtime = new WasmRuntime();

  it('infinite loop: OutOfFuel after exactly the whole budget', () => {
    const error = expectFailure(
      () => runtime.execute(guest('infinite-loop.wat'), '', new SandboxConfig().withFuelLimit(50_000)),
      'OutOfFuel',
      /fuel limit of 50000/,
    );
    expect(error.fuelConsumed).toBe(50_000);
    expectHealthy(runtime);
  });

  it('infinite loop with unlimited fuel: Timeout', () => {
    const config = new SandboxConfig().withFuelLimit(Number.MAX_SAFE_INTEGER).withTimeout(50);
    const started = performance.now();
    expectFailure(() => runtime.execute(guest('infinite-loop.wat'), '', config), 'Timeout', /timeout of 50 ms/);
    expect(performance.now() - started).toBeLessThan(5_000);
    expectHealthy(runtime);
  });

  it('memory bomb: memory.grow returns -1 at the limit, and the peak is the limit', () => {
    const config = new SandboxConfig().withMemoryLimit(4 << 20);
    const result = runtime.execute(guest('memory-bomb.wat'), '', config);
    expect(result.returnValue).toBe(64);
    expect(result.memoryPeakBytes).toBe(4 << 20);
    expectHealthy(runtime);
  });

  it('memory bomb with trapOnGrowFailure: OutOfMemory', () => {
    const config = new SandboxConfig().withMemoryLimit(4 << 20).trapOnGrowFailure();
    const error = expectFailure(() => runtime.execute(guest('memory-bomb.wat'), '', config), 'OutOfMemory', /memory limit of 4194304 bytes/);
    expect(error.memoryPeakBytes).toBe(4 << 20);
    expectHealthy(runtime);
  });

  it('declared memory beyond the limit: OutOfMemory before running', () => {
    const error = expectFailure(
      () => runtime.execute(guest('memory-declared-bomb.wat'), '', new SandboxConfig().withMemoryLimit(16 << 20)),
      'OutOfMemory',
      /declares a memory of 65536 pages \(4294967296 bytes\), more than the memory limit of 16777216 bytes/,
    );
    expect(error.fuelConsumed).toBe(0);
    expectHealthy(runtime);
  });

  it('table bomb: table.grow returns -1 at the limit', () => {
    const result = runtime.execute(guest('table-bomb.wat'), '', new SandboxConfig().withTableLimit(100_000));
    expect(result.returnValue).toBe(90_001);
    expectHealthy(runtime);
  });

  it('table bomb with trapOnGrowFailure: OutOfMemory', () => {
    const config = new SandboxConfig().withTableLimit(100_000).trapOnGrowFailure();
    expectFailure(() => runtime.execute(guest('table-bomb.wat'), '', config), 'OutOfMemory', /table limit of 100000 elements/);
    expectHealthy(runtime);
  });

  it('declared table beyond the limit: OutOfMemory before running', () => {
    expectFailure(
      () => runtime.execute(guest('table-declared-bomb.wat'), '', new SandboxConfig()),
      'OutOfMemory',
      /declares a table of 5000000 elements, more than the table limit of 100000/,
    );
    expectHealthy(runtime);
  });

  it('recursion bomb: ExecutionFailed saying the call stack is exhausted', () => {
    expectFailure(() => runtime.execute(guest('recursion-bomb.wat'), '', granted), 'ExecutionFailed', /call stack exhausted.*10000 frames/);
    const shallow = new WasmRuntime({ maxCallDepth: 100 });
    const error = expectFailure(() => shallow.execute(guest('recursion-bomb.wat'), '', granted), 'ExecutionFailed', /100 frames/);
    expect(error.fuelConsumed).toBe(100); // one call per frame, the 101st traps
    expectHealthy(shallow);
    expectHealthy(runtime);
  });

  it('recursion bomb with 50,000 locals per frame: ExecutionFailed, the host process survives', () => {
    const bomb = wat(`(module (func $dive (export "_start") (local ${'i64 '.repeat(50_000)}) (call $dive)))`);
    expectFailure(() => runtime.execute(bomb, '', granted), 'ExecutionFailed', /call stack exhausted.*register slots/);
    expectHealthy(runtime);
  });

  /** The 9-byte input of pointer-abuse.wat: which host function, then ptr and len. */
  function abuse(target: number, ptr: number, len: number): Uint8Array {
    const input = new Uint8Array(9);
    const view = new DataView(input.buffer);
    input[0] = target;
    view.setInt32(1, ptr, true);
    view.setInt32(5, len, true);
    return input;
  }

  const hostFunctions = ['host_log', 'host_write_output', 'host_read_input'];
  const badRanges: [string, number, number, RegExp][] = [
    ['past the end', 65536, 1, /ptr 65536 \+ len 1 is out of bounds: the guest's memory is 65536 bytes/],
    ['across the end', 65530, 10, /ptr 65530 \+ len 10 is out of bounds/],
    ['a negative pointer', -16, 32, /ptr -16 \(4294967280 unsigned\) \+ len 32/],
    ['a negative length', 10, -1, /ptr 10 \+ len -1 \(4294967295 unsigned\)/],
    ['a range whose end wraps around 2^32', -1, 2, /ptr -1 \(4294967295 unsigned\) \+ len 2 is out of bounds/],
  ];
  for (const [target, name] of hostFunctions.entries()) {
    for (const [what, ptr, len, message] of badRanges) {
      it(`out-of-bounds pointer to ${name} (${what}): HostError`, () => {
        const error = expectFailure(() => runtime.execute(guest('pointer-abuse.wat'), abuse(target, ptr, len), granted), 'HostError', message);
        expect(error.message).toContain(`${name}: `);
        expectHealthy(runtime);
      });
    }
  }

  it('in-bounds pointers work in the same guest', () => {
    const result = runtime.execute(guest('pointer-abuse.wat'), abuse(2, 100, 5), granted);
    expect(result.returnValue).toBe(5); // copied 5 of the 9 input bytes
  });

  it('a guest without memory asking for output: HostError', () => {
    expectFailure(() => runtime.execute(guest('no-memory-output.wat'), '', granted), 'HostError', /host_write_output: .*the guest has no linear memory/);
    expectHealthy(runtime);
  });

  it('output flood: HostError at the output limit', () => {
    const error = expectFailure(
      () => runtime.execute(guest('output-flood.wat'), '', granted.withFuelLimit(Number.MAX_SAFE_INTEGER)),
      'HostError',
      /host_write_output of 65536 bytes would exceed the output limit of 4194304 bytes \(4194304 written so far\)/,
    );
    expect(error.fuelConsumed).toBeGreaterThan(0);
    expectFailure(() => runtime.execute(guest('output-flood.wat'), '', granted.withOutputLimit(1000)), 'HostError', /output limit of 1000 bytes \(0 written so far\)/);
    expectHealthy(runtime);
  });

  it('log flood: HostError at the log limit', () => {
    expectFailure(() => runtime.execute(guest('echo.wat'), 'x', granted.withLogLimit(3)), 'HostError', /log limit of 3 bytes/);
    expectHealthy(runtime);
  });

  it('no entry point: ExecutionFailed', () => {
    expectFailure(() => runtime.execute(guest('no-entry.wat'), '', granted), 'ExecutionFailed', /no entry point/);
    expectHealthy(runtime);
  });

  it('an entry point of the wrong type: ExecutionFailed naming both types', () => {
    const wrong = wat('(module (func (export "execute") (param i32) (result i32) (local.get 0)))');
    expectFailure(() => runtime.execute(wrong, '', granted), 'ExecutionFailed', /'execute' must be a function \(i32, i32\) -> \(i32\), but it is a function \(i32\) -> \(i32\)/);
    const global = wat('(module (global (export "_start") i32 (i32.const 0)))');
    expectFailure(() => runtime.execute(global, '', granted), 'ExecutionFailed', /'_start' must be a function \(\) -> \(\), but it is a global/);
    expectHealthy(runtime);
  });

  it('an ungranted capability: CapabilityDenied naming the import, before anything runs', () => {
    const error = expectFailure(
      () => runtime.execute(guest('logger.wat'), '', new SandboxConfig().withCapability('output', 'input')),
      'CapabilityDenied',
      /env\.host_log needs capability 'log'.*withCapability\('log'\)/,
    );
    expect(error.fuelConsumed).toBeUndefined();
    expectHealthy(runtime);
  });

  it('by default nothing is granted', () => {
    expectFailure(() => runtime.execute(guest('echo.wat'), '', new SandboxConfig()), 'CapabilityDenied',
      /env\.host_get_input_len needs capability 'input', env\.host_read_input needs capability 'input', env\.host_write_output needs capability 'output', env\.host_log needs capability 'log'; grant them with withCapability\('input', 'output', 'log'\)/);
    expectHealthy(runtime);
  });

  it('an import the sandbox does not offer: InstantiationFailed naming it', () => {
    expectFailure(() => runtime.execute(guest('wasi-import.wat'), '', granted), 'InstantiationFailed',
      /unknown import wasi_snapshot_preview1\.fd_write \(func\); the sandbox provides only env\.host_log, env\.host_write_output, env\.host_read_input, env\.host_get_input_len/);
    const memoryImport = wat('(module (import "env" "memory" (memory 1)) (func (export "_start")))');
    expectFailure(() => runtime.execute(memoryImport, '', granted), 'InstantiationFailed', /unknown import env\.memory \(memory\)/);
    expectHealthy(runtime);
  });

  it('a host function imported with the wrong type: InstantiationFailed naming both types', () => {
    const wrong = wat('(module (import "env" "host_log" (func (param i32))) (func (export "_start")))');
    expectFailure(() => runtime.execute(wrong, '', granted), 'InstantiationFailed',
      /import env\.host_log is a function \(i32\) -> \(\), but the sandbox's is a function \(i32, i32\) -> \(\)/);
    const global = wat('(module (import "env" "host_get_input_len" (global i32)) (func (export "_start")))');
    expectFailure(() => runtime.execute(global, '', granted), 'InstantiationFailed', /import env\.host_get_input_len is a global, but the sandbox's is a function \(\) -> \(i32\)/);
    expectHealthy(runtime);
  });

  it('a trap: ExecutionFailed with the trap', () => {
    const error = expectFailure(() => runtime.execute(guest('trap.wat'), '', granted), 'ExecutionFailed', /trapped: unreachable/);
    expect(error.fuelConsumed).toBe(1);
    const outOfBounds = wat('(module (memory 1) (func (export "_start") (drop (i32.load (i32.const 65536)))))');
    expectFailure(() => runtime.execute(outOfBounds, '', granted), 'ExecutionFailed', /out of bounds memory access/);
    expectHealthy(runtime);
  });

  it('a start function is metered and trapped like the entry point', () => {
    const loopingStart = wat('(module (func $s (loop $l (br $l))) (start $s) (func (export "_start")))');
    expectFailure(() => runtime.execute(loopingStart, '', granted.withFuelLimit(1000)), 'OutOfFuel');
    const trappingStart = wat('(module (func $s unreachable) (start $s) (func (export "_start")))');
    expectFailure(() => runtime.execute(trappingStart, '', granted), 'ExecutionFailed', /unreachable/);
    expectHealthy(runtime);
  });

  it('keeps what the guest logged before it failed', () => {
    const logThenTrap = wat(`(module (import "env" "host_log" (func $log (param i32 i32))) (memory 1) (data (i32.const 0) "about to fail")
      (func (export "_start") (call $log (i32.const 0) (i32.const 13)) unreachable))`);
    expect(failure(() => runtime.execute(logThenTrap, '', granted)).logs).toEqual(['about to fail']);
  });
});

describe('capabilities and embedder host functions', () => {
  const kvGuest = wat(`(module
    (import "env" "kv_get" (func $get (param i32 i32 i32) (result i32)))
    (import "env" "host_write_output" (func $write (param i32 i32)))
    (memory 1)
    (data (i32.const 0) "greeting")
    (func (export "_start")
      (call $write (i32.const 100) (call $get (i32.const 0) (i32.const 8) (i32.const 100)))))`);
  const store = new Map([['greeting', 'hello from the host']]);
  const runtime = new WasmRuntime({
    hostFunctions: {
      kv: {
        // kv_get(keyPtr, keyLen, valuePtr) -> valueLen
        kv_get: {
          params: ['i32', 'i32', 'i32'],
          results: ['i32'],
          call(context, keyPtr: number, keyLen: number, valuePtr: number) {
            const key = context.readText(keyPtr, keyLen);
            context.log(`kv_get ${key}`);
            const value = new TextEncoder().encode(store.get(key) ?? '');
            context.consumeFuel(value.length);
            context.write(valuePtr, value);
            return value.length;
          },
        },
      },
      failing: {
        host_fail: { params: [], results: [], call() { throw new Error('the database is down'); } },
        host_later: { params: [], results: ['i32'], call: async () => 7 },
      },
    },
  });

  it('runs an embedder host function once its capability is granted', () => {
    const result = runtime.execute(kvGuest, '', new SandboxConfig().withCapability('kv', 'output'));
    expect(text(result.output)).toBe('hello from the host');
    expect(result.logs).toEqual(['kv_get greeting']);
    // 4 constants and 2 calls, and kv_get charged 19 for the value.
    expect(result.fuelConsumed).toBe(6 + 19);
  });

  it('denies it without the grant, and allowHostCalls grants it', () => {
    expectFailure(() => runtime.execute(kvGuest, '', new SandboxConfig().withCapability('output')), 'CapabilityDenied', /env\.kv_get needs capability 'kv'/);
    expect(text(runtime.execute(kvGuest, '', new SandboxConfig().allowHostCalls()).output)).toBe('hello from the host');
  });

  it('reports what an embedder function throws as HostError', () => {
    const guestCalling = (name: string) => wat(`(module (import "env" "${name}" (func $f)) (func (export "_start") (call $f)))`);
    expectFailure(() => runtime.execute(guestCalling('host_fail'), '', granted), 'HostError', /env\.host_fail failed: the database is down/);
  });

  it('reports a Promise in a synchronous run as HostError pointing to executeAsync', () => {
    const later = wat('(module (import "env" "host_later" (func $f (result i32))) (func (export "_start") (drop (call $f))))');
    expectFailure(() => runtime.execute(later, '', granted), 'HostError', /env\.host_later returned a Promise: run guests that import it with executeAsync/);
  });

  it('checks the guest pointers an embedder function uses', () => {
    const badKey = wat(`(module (import "env" "kv_get" (func $get (param i32 i32 i32) (result i32))) (memory 1)
      (func (export "_start") (drop (call $get (i32.const 65535) (i32.const 2) (i32.const 0)))))`);
    expectFailure(() => runtime.execute(badKey, '', granted), 'HostError', /env\.kv_get: ptr 65535 \+ len 2 is out of bounds/);
  });

  it('charges an embedder function\'s fuel against the budget', () => {
    expectFailure(() => runtime.execute(kvGuest, '', granted.withFuelLimit(20)), 'OutOfFuel', /fuel limit of 20/);
  });

  it('rejects a config granting a capability the runtime does not have', () => {
    expect(() => runtime.execute(kvGuest, '', new SandboxConfig().withCapability('network'))).toThrow(RangeError);
  });

  it('rejects malformed registrations', () => {
    const call = () => undefined;
    expect(() => new WasmRuntime({ hostFunctions: { log: { host_extra: { params: [], results: [], call } } } })).toThrow(/exists already/);
    expect(() => new WasmRuntime({ hostFunctions: { mine: { host_log: { params: [], results: [], call } } } })).toThrow(/defined twice/);
    expect(() => new WasmRuntime({ hostFunctions: { mine: { f: { params: ['i33' as 'i32'], results: [], call } } } })).toThrow(/unknown value type/);
  });

  it('keeps configs immutable', () => {
    const base = new SandboxConfig();
    const derived = base.withFuelLimit(5).withCapability('log');
    expect(base.fuelLimit).toBe(10_000_000);
    expect(base.capabilities).toEqual([]);
    expect(derived.fuelLimit).toBe(5);
    expect(derived.grants('log')).toBe(true);
    expect(derived.grants('output')).toBe(false);
    expect(Object.isFrozen(derived)).toBe(true);
    expect(() => base.withFuelLimit(-1)).toThrow(RangeError);
    expect(() => base.withTimeout(0)).toThrow(RangeError);
  });
});

describe('determinism and isolation', () => {
  const runtime = new WasmRuntime();

  function summary(result: ExecutionResult) {
    return { ...result, output: Array.from(result.output) };
  }

  it('gives the same output and fuel every time', () => {
    const input = 'The quick brown fox jumps over the lazy dog 0123456789';
    const first = summary(runtime.execute(guest('fuel-mix.wat'), input, granted));
    for (let i = 0; i < 3; i++) expect(summary(runtime.execute(guest('fuel-mix.wat'), input, granted))).toEqual(first);
    expect(summary(new WasmRuntime({ moduleCacheSize: 0 }).execute(guest('fuel-mix.wat'), input, granted))).toEqual(first);
  });

  it('starts every run from a fresh instance', () => {
    const counter = wat(`(module (global $runs (mut i32) (i32.const 0)) (memory 1)
      (func (export "execute") (param i32 i32) (result i32)
        (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
        (i32.add (global.get $runs) (i32.load (i32.const 0)))))`);
    for (let i = 0; i < 3; i++) expect(runtime.execute(counter, '', granted).returnValue).toBe(2);
  });

  it('caches modules by content, not by array', () => {
    const bytes = guest('hello.wat').slice();
    expect(text(runtime.execute(bytes, '', granted).output)).toBe('hello');
    bytes.set(new TextEncoder().encode('j'), bytes.indexOf('h'.charCodeAt(0), bytes.length - 12));
    expect(text(runtime.execute(bytes, '', granted).output)).toBe('jello');
  });

  it('runs a compiled C guest, to the exact fuel', () => {
    const config = granted.withFuelLimit(10_000_000);
    const result = runtime.execute(guest('collatz.wasm'), '1000', config);
    expect(text(result.output)).toBe('871 178');
    expect(result.returnValue).toBe(871);
    expect(result.logs).toEqual([]);
    expect(result.memoryPeakBytes).toBe(2 * 65536);
    expect(runtime.execute(guest('collatz.wasm'), '1000', config.withFuelLimit(result.fuelConsumed)).fuelConsumed).toBe(result.fuelConsumed);
    expectFailure(() => runtime.execute(guest('collatz.wasm'), '1000', config.withFuelLimit(result.fuelConsumed - 1)), 'OutOfFuel');
  });
});
