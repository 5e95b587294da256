// A requestAnimationFrame counter, and a function the test calls to run a guest in the sandbox.
import { SandboxConfig, SandboxError, WasmRuntime } from '/dist/browser/sandbox.js';

let framesDrawn = 0;
const output = document.getElementById('frames');
function onFrame() {
  framesDrawn++;
  output.textContent = String(framesDrawn);
  requestAnimationFrame(onFrame);
}
requestAnimationFrame(onFrame);

const runtime = new WasmRuntime();

/** Runs `bytes` with `execute` or `executeAsync` and a timeout; reports how it ended and how many frames were drawn meanwhile. */
window.runGuest = async (bytes, input, mode, timeoutMs) => {
  const config = new SandboxConfig().withFuelLimit(Number.MAX_SAFE_INTEGER).withTimeout(timeoutMs).allowHostCalls();
  const framesBefore = framesDrawn;
  const start = performance.now();
  let outcome;
  try {
    const result = mode === 'async'
      ? await runtime.executeAsync(new Uint8Array(bytes), input, config)
      : runtime.execute(new Uint8Array(bytes), input, config);
    outcome = { kind: 'finished', output: new TextDecoder().decode(result.output), fuelConsumed: result.fuelConsumed };
  } catch (error) {
    outcome = error instanceof SandboxError ? { kind: error.kind, fuelConsumed: error.fuelConsumed } : { kind: 'unexpected', error: String(error) };
  }
  return { ...outcome, frames: framesDrawn - framesBefore, elapsedMs: performance.now() - start };
};
window.sandboxReady = true;
