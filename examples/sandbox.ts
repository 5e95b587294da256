/**
 * The sandbox example (`npx tsx examples/sandbox.ts`): runs an untrusted guest
 * on an input and prints its output, fuel and peak memory, then shows what a
 * hostile guest gets instead, and an async run that a timer can interrupt.
 * The guests are WebAssembly text, which the sandbox takes as it takes binaries.
 */
import { SandboxConfig, SandboxError, WasmRuntime } from '../src/host/sandbox/index.js';

// Upper-cases its input: execute(ptr, len) gets the input length, reads the
// input with host_read_input and answers with host_write_output.
const shout = `(module
  (import "env" "host_read_input" (func $read_input (param i32 i32) (result i32)))
  (import "env" "host_write_output" (func $write_output (param i32 i32)))
  (import "env" "host_log" (func $log (param i32 i32)))
  (memory 1)
  (data (i32.const 0) "shouting")
  (func (export "execute") (param $ptr i32) (param $len i32) (result i32)
    (local $n i32) (local $i i32) (local $c i32)
    (local.set $n (call $read_input (i32.const 1024) (local.get $len)))
    (call $log (i32.const 0) (i32.const 8))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (i32.load8_u offset=1024 (local.get $i)))
        (if (i32.lt_u (i32.sub (local.get $c) (i32.const 97)) (i32.const 26))
          (then (i32.store8 offset=1024 (local.get $i) (i32.sub (local.get $c) (i32.const 32)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (call $write_output (i32.const 1024) (local.get $n))
    (local.get $n)))`;

// Never stops.
const spin = '(module (func (export "_start") (loop $forever (br $forever))))';

const runtime = new WasmRuntime();
runtime.validateModule(shout); // throws SandboxError 'ModuleInvalid' for a bad module

const config = new SandboxConfig()
  .withFuelLimit(1_000_000)
  .withMemoryLimit(16 << 20)
  .withTimeout(500)
  .withCapability('input', 'output', 'log'); // or .allowHostCalls()

const result = runtime.execute(shout, 'hello from the host', config);
console.log(`output: ${new TextDecoder().decode(result.output)}`);
console.log(`fuel consumed: ${result.fuelConsumed}, peak memory: ${result.memoryPeakBytes} bytes, logs: ${JSON.stringify(result.logs)}`);

try {
  runtime.execute(spin, '', config);
} catch (error) {
  if (!(error instanceof SandboxError)) throw error;
  console.log(`the spinning guest: ${error.kind} (${error.message})`);
}

// executeAsync runs in fuel slices and yields between them, so timers keep
// firing; here one of them aborts the run.
const controller = new AbortController();
let ticks = 0;
const ticker = setInterval(() => ticks++, 10);
setTimeout(() => controller.abort(new Error('we waited long enough')), 200);
try {
  await runtime.executeAsync(spin, '', config.withFuelLimit(Number.MAX_SAFE_INTEGER), { signal: controller.signal });
} catch (error) {
  if (!(error instanceof SandboxError)) throw error;
  console.log(`the async spinning guest: ${error.kind} (${error.message}) after ${error.fuelConsumed} fuel; meanwhile a 10 ms timer ticked ${ticks} times`);
} finally {
  clearInterval(ticker);
}
