/** The real programs, by name: each loads an npm package unmodified and returns JSON-able results. */

import { blake3JitWorkload } from './blake3-jit.js';
import { hashWasmWorkload } from './hash-wasm.js';
import { sqlJsWorkload } from './sqljs.js';
import { wabtWorkload } from './wabt.js';

export const scenarios = {
  'sql.js': sqlJsWorkload,
  'hash-wasm': hashWasmWorkload,
  wabt: wabtWorkload,
  'blake3-jit': blake3JitWorkload,
} satisfies Record<string, () => Promise<unknown>>;

export type ScenarioName = keyof typeof scenarios;
