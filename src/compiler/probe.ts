/**
 * What the host allows the compiled tier, probed once and silently (a browser
 * may still log its own CSP report for the attempt):
 *   - code generation: no under `--disallow-code-generation-from-strings`, a CSP
 *     without 'unsafe-eval', or an embedder that removed `Function`;
 *   - NaN payloads in JS numbers: engines that NaN-box their values (QuickJS,
 *     JavaScriptCore, SpiderMonkey) canonicalise a NaN held in a variable. The
 *     compiled tier keeps f64 values in variables, so there it would lose the
 *     payloads the interpreter keeps (see README, "The two tiers").
 */

let generation: boolean | undefined;
let payloads: boolean | undefined;

export function codeGenerationAllowed(): boolean {
  if (generation === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      generation = new Function('return 1')() === 1;
    } catch {
      generation = false;
    }
  }
  return generation;
}

/** Whether a signalling NaN with a payload survives being read into a variable and written back. */
export function numbersKeepNaNPayloads(): boolean {
  if (payloads === undefined) {
    const source = new Float64Array(1);
    const sourceWords = new Int32Array(source.buffer);
    sourceWords[0] = 1;
    sourceWords[1] = 0x7ff00000;
    // Through a variable, as generated code holds an f64 (an array of doubles would canonicalise it even on V8).
    const held = source[0]!;
    const target = new Float64Array(1);
    target[0] = held;
    const words = new Int32Array(target.buffer);
    payloads = words[0] === 1 && words[1] === 0x7ff00000;
  }
  return payloads;
}
