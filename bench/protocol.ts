/** What bench/run.ts sends to a measuring child process (bench/measure.ts) and gets back. */
import type { EngineKind } from './modes.js';

export interface Job {
  readonly workload: string;
  readonly wasmPath: string;
  readonly n: number;
  readonly engine: EngineKind;
  readonly consumeFuel: boolean;
  /** Absolute path of the purewasm entry module (dist/src/index.js or src/index.ts); null when neither exists. */
  readonly purewasmEntry: string | null;
  /** The expected result (V8's, as a string); the child fails when its result differs. */
  readonly expect: string;
  /** benchmark.js maxTime, in seconds. */
  readonly maxTime: number;
}

export interface Measurement {
  /** `run(n)`'s result as a string (i64 results are bigints). */
  readonly result: string;
  readonly msPerOp: number;
  /** Relative margin of error of msPerOp, in percent. */
  readonly rme: number;
  readonly samples: number;
  /** Fuel one `run(n)` consumed: the number of WebAssembly instructions it executed. */
  readonly fuelPerRun?: number;
}

/** Prefix of the one stdout line that carries the Measurement as JSON. */
export const RESULT_PREFIX = 'BENCH_RESULT ';
