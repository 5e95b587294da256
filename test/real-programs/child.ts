/**
 * Runs one real program on purewasm in a Node started without a usable native
 * WebAssembly: `node --jitless` has none, and under
 * `--disallow-code-generation-from-strings` the native one is deleted first.
 * Usage: node <flags> --import tsx test/real-programs/child.ts <scenario>
 * Prints one line of JSON, a ChildReport.
 */

import { Engine } from '../../src/index.js';
import { install, WebAssembly as purewasm } from '../../src/js-api/index.js';
import { scenarios, type ScenarioName } from './scenarios.js';

export interface ChildReport {
  /** `typeof WebAssembly` when the process started. */
  nativeWebAssembly: string;
  /** Whether `new Function(string)` works: tsx and the packages must not need it. */
  codeGenerationFromStrings: 'allowed' | 'blocked';
  /** The tier 'auto' resolves to in this process: the one install()'s namespace runs on. */
  tier: 'interpreter' | 'compiled';
  /** Whether globalThis.WebAssembly was still purewasm's when the program finished. */
  ranOnPurewasm: boolean;
  /** From install() to the last result: compiling, instantiating and running the program. */
  workloadMs: number;
  maxRssMb: number;
  results: unknown;
}

function codeGenerationFromStrings(): ChildReport['codeGenerationFromStrings'] {
  try {
    // A probe of the process flags, not code this harness needs.
    new Function('return 0');
    return 'allowed';
  } catch (error) {
    if (error instanceof EvalError) return 'blocked';
    throw error;
  }
}

const name = process.argv[2] as ScenarioName;
const workload = scenarios[name];
if (workload === undefined) throw new Error(`unknown scenario '${name}'; known: ${Object.keys(scenarios).join(', ')}`);

const nativeWebAssembly = typeof globalThis.WebAssembly;
const codeGeneration = codeGenerationFromStrings();
Reflect.deleteProperty(globalThis, 'WebAssembly');
const start = performance.now();
if (!install()) throw new Error('install() did not put purewasm on globalThis');
const results = await workload();
const report: ChildReport = {
  nativeWebAssembly,
  codeGenerationFromStrings: codeGeneration,
  tier: new Engine().tier,
  ranOnPurewasm: globalThis.WebAssembly === (purewasm as unknown),
  workloadMs: Math.round(performance.now() - start),
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  results,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
