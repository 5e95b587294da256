/**
 * `npm run spec -- [--json] [--verbose] [--fuel] [--eager] [--tier interpreter|compiled] [--timeout SECONDS] [--jobs N] PATH...`:
 * runs .wast scripts (files, or folders recursively); without a PATH, the
 * suites purewasm claims (the testsuite is fetched first when it is missing). Each script runs in a child process with a time
 * limit. `--fuel` runs every module with fuel metering on; `--eager` lowers
 * every function when its module is compiled, not on first call. Exits 0 iff every
 * assertion passed.
 */
import { availableParallelism } from 'node:os';
import { runPathsIsolated } from './isolated.js';
import { claimedSuiteFiles, type Failure, type RunResult } from './suite.js';
import { ensureTestsuite, TestsuiteUnavailable } from './testsuite.js';

const USAGE = 'usage: npm run spec -- [--json] [--verbose] [--fuel] [--eager] [--tier interpreter|compiled] [--timeout SECONDS] [--jobs N] PATH...';
const MAX_COMMAND_CHARS = 400;

interface Options {
  json: boolean;
  verbose: boolean;
  fuel: boolean;
  eager: boolean;
  tier: 'interpreter' | 'compiled' | undefined;
  timeoutSeconds: number;
  jobs: number;
  paths: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { json: false, verbose: false, fuel: false, eager: false, tier: undefined, timeoutSeconds: 120, jobs: availableParallelism(), paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--fuel') options.fuel = true;
    else if (arg === '--eager') options.eager = true;
    else if (arg === '--tier') {
      const tier = argv[++i];
      if (tier !== 'interpreter' && tier !== 'compiled') throw new Error('--tier needs interpreter or compiled');
      options.tier = tier;
    } else if (arg === '--timeout' || arg === '--jobs') {
      const value = Number(argv[++i]);
      if (!(value > 0)) throw new Error(`${arg} needs a positive number`);
      if (arg === '--timeout') options.timeoutSeconds = value;
      else options.jobs = Math.floor(value);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.paths.push(arg);
  }
  return options;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > MAX_COMMAND_CHARS ? `${oneLine.slice(0, MAX_COMMAND_CHARS)} ...` : oneLine;
}

function printFailure(file: string, failure: Failure): void {
  const note = failure.assertion ? '' : ' (not an assertion)';
  console.error(`${file}:${failure.line}: ${shorten(failure.command)}${note}`);
  console.error(`  expected: ${failure.expected}`);
  console.error(`  actual:   ${failure.actual}`);
}

function printReport(result: RunResult, json: boolean): void {
  if (json) {
    const files = result.files.map(({ file, total, passed, failed }) => ({ file, total, passed, failed }));
    console.log(JSON.stringify({ total: result.total, passed: result.passed, failed: result.failed, files, tiers: result.tiers }));
    return;
  }
  for (const file of result.files) console.log(`${file.file}: ${file.passed} / ${file.total}`);
  console.log(`total: ${result.passed} / ${result.total} passed, ${result.failed} failed`);
  const { compiled, interpreted, reasons } = result.tiers;
  if (compiled + interpreted > 0) {
    const why = Object.entries(reasons).map(([reason, n]) => `${n} ${reason}`).join(', ');
    console.log(`compiled tier: ${compiled} function bodies compiled, ${interpreted} interpreted${why === '' ? '' : ` (${why})`}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.paths.length === 0) {
    try {
      ensureTestsuite();
    } catch (error) {
      if (!(error instanceof TestsuiteUnavailable)) throw error;
      console.error(`error: ${error.message}`);
      return 1;
    }
  }
  const paths = options.paths.length > 0 ? options.paths : claimedSuiteFiles();
  const result = await runPathsIsolated(paths, {
    timeoutMs: options.timeoutSeconds * 1000,
    jobs: options.jobs,
    script: { consumeFuel: options.fuel, eagerLowering: options.eager, tier: options.tier },
  });
  if (options.verbose) {
    for (const file of result.files) for (const failure of file.failures) printFailure(file.file, failure);
  }
  printReport(result, options.json);
  return result.failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
