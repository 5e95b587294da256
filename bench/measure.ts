/**
 * Child process of bench/run.ts: measures one workload in one mode and prints
 * a ChildResult. Usage: node [mode flags] --import tsx bench/measure.ts JOB_JSON
 */
import { readFileSync } from 'node:fs';
import { LOADERS } from './engines.js';
import { RESULT_PREFIX, type ChildResult, type Job, type Measurement } from './protocol.js';

type Timing = Pick<Measurement, 'msPerOp' | 'rme' | 'samples'>;

async function timeWithBenchmarkJs(name: string, fn: () => void, maxTime: number): Promise<Timing> {
  // Imported on demand: benchmark.js needs `Function`, which some modes disallow.
  const { default: Benchmark } = await import('benchmark');
  const bench = new Benchmark(name, fn, { maxTime, minSamples: 5 });
  bench.run({ async: false });
  if (bench.error) throw bench.error;
  return { msPerOp: bench.stats.mean * 1000, rme: bench.stats.rme, samples: bench.stats.sample.length };
}

/** Share of maxTime spent warming up before the plain loop starts timing. */
const WARM_UP_SHARE = 0.2;
const MIN_SAMPLES = 5;
/** A sample repeats `run(n)` until it lasts this long, so the clock's resolution does not matter. */
const MIN_SAMPLE_MS = 5;
/** Two-sided 95% quantiles of Student's t distribution for 1..30 degrees of freedom; 1.96 beyond. */
const T_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * A timing loop without generated code: warm up, then take samples (each
 * enough runs to last MIN_SAMPLE_MS) until maxTime has passed.
 */
function timeWithLoop(fn: () => void, maxTime: number): Timing {
  const budgetMs = maxTime * 1000;
  const warmUpStart = performance.now();
  let warmUpRuns = 0;
  do {
    fn();
    warmUpRuns++;
  } while (performance.now() - warmUpStart < budgetMs * WARM_UP_SHARE);
  const runsPerSample = Math.max(1, Math.ceil(MIN_SAMPLE_MS / ((performance.now() - warmUpStart) / warmUpRuns)));

  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < MIN_SAMPLES || performance.now() - start < budgetMs) {
    const sampleStart = performance.now();
    for (let i = 0; i < runsPerSample; i++) fn();
    samples.push((performance.now() - sampleStart) / runsPerSample);
  }
  const mean = samples.reduce((sum, s) => sum + s, 0) / samples.length;
  const variance = samples.reduce((sum, s) => sum + (s - mean) ** 2, 0) / (samples.length - 1);
  const standardError = Math.sqrt(variance / samples.length);
  const t = T_95[samples.length - 2] ?? 1.96;
  return { msPerOp: mean, rme: (t * standardError * 100) / mean, samples: samples.length };
}

function report(result: ChildResult): void {
  process.stdout.write(RESULT_PREFIX + JSON.stringify(result) + '\n');
}

async function main(): Promise<void> {
  const jobArg = process.argv[2];
  if (jobArg === undefined) throw new Error('usage: measure.ts JOB_JSON');
  const job = JSON.parse(jobArg) as Job;
  const loaded = await LOADERS[job.engine](readFileSync(job.wasmPath), job);

  const fuelBefore = loaded.fuelLeft?.();
  const result = String(loaded.run(job.n));
  const fuelPerRun = fuelBefore === undefined ? undefined : fuelBefore - loaded.fuelLeft!();
  if (result !== job.expect) {
    report({ kind: 'wrong result', result });
    return;
  }

  let last: unknown;
  const fn = () => {
    last = loaded.run(job.n);
  };
  const timing = job.timer === 'loop' ? timeWithLoop(fn, job.maxTime) : await timeWithBenchmarkJs(job.workload, fn, job.maxTime);
  if (String(last) !== result) {
    throw new Error(`${job.workload}: a repeated run(${job.n}) returned ${String(last)}, the first returned ${result}`);
  }
  const measurement: Measurement = { result, ...timing, timer: job.timer, ...(fuelPerRun === undefined ? {} : { fuelPerRun }) };
  report({ kind: 'measured', measurement });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
