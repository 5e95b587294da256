/**
 * Child process of bench/run.ts: measures one workload in one mode and prints
 * a Measurement. Usage: node [mode flags] --import tsx bench/measure.ts JOB_JSON
 */
import { readFileSync } from 'node:fs';
import Benchmark from 'benchmark';
import { LOADERS } from './engines.js';
import { RESULT_PREFIX, type Job, type Measurement } from './protocol.js';

function timeWithBenchmarkJs(name: string, fn: () => void, maxTime: number): Benchmark {
  const bench = new Benchmark(name, fn, { maxTime, minSamples: 5 });
  bench.run({ async: false });
  if (bench.error) throw bench.error;
  return bench;
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
    throw new Error(`${job.workload}: run(${job.n}) returned ${result}, expected ${job.expect}`);
  }

  let last: unknown;
  const bench = timeWithBenchmarkJs(job.workload, () => {
    last = loaded.run(job.n);
  }, job.maxTime);
  if (String(last) !== result) {
    throw new Error(`${job.workload}: a repeated run(${job.n}) returned ${String(last)}, the first returned ${result}`);
  }

  const measurement: Measurement = {
    result,
    msPerOp: bench.stats.mean * 1000,
    rme: bench.stats.rme,
    samples: bench.stats.sample.length,
    ...(fuelPerRun === undefined ? {} : { fuelPerRun }),
  };
  process.stdout.write(RESULT_PREFIX + JSON.stringify(measurement) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
