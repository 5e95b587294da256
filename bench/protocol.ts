/** What bench/run.ts sends to a measuring child process (bench/measure.ts) and gets back. */
import type { EngineKind, Timer } from './modes.js';

export interface Job {
  readonly workload: string;
  readonly wasmPath: string;
  readonly n: number;
  readonly engine: EngineKind;
  readonly consumeFuel: boolean;
  /** purewasm only: install an interrupt check that never interrupts. */
  readonly interrupt: boolean;
  /** purewasm only: the Engine's tier, or undefined for its default. */
  readonly tier?: 'interpreter' | 'compiled';
  /** Absolute path of the purewasm entry module (dist/src/index.js or src/index.ts); null when neither exists. */
  readonly purewasmEntry: string | null;
  /** The expected result (V8's, as a string). */
  readonly expect: string;
  readonly timer: Timer;
  /** How long to time, in seconds (benchmark.js maxTime, or the plain loop's duration). */
  readonly maxTime: number;
}

export interface Measurement {
  /** `run(n)`'s result as a string (i64 results are bigints). */
  readonly result: string;
  readonly msPerOp: number;
  /** Relative margin of error of msPerOp (95% confidence), in percent. */
  readonly rme: number;
  readonly samples: number;
  readonly timer: Timer;
  /** Fuel one `run(n)` consumed: the number of WebAssembly instructions it executed. */
  readonly fuelPerRun?: number;
}

/**
 * The child's one result line. A result different from `expect` is reported
 * (not thrown) so that the parent can show it for engines that are no oracle.
 */
export type ChildResult =
  | { readonly kind: 'measured'; readonly measurement: Measurement }
  | { readonly kind: 'wrong result'; readonly result: string };

/** Prefix of the one stdout line that carries the ChildResult as JSON. */
export const RESULT_PREFIX = 'BENCH_RESULT ';
