/**
 * The project's test command (`npm test`): the vitest unit/property tests, then
 * the spec testsuite run the engine claims five times (on the compiled tier and on
 * the interpreter, each with and without fuel metering, and with every function
 * lowered at compile time), then one summary line
 * `N passed, N failed` counting unit tests and spec assertions together.
 * Exits non-zero if anything failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}
interface SpecJson {
  total: number;
  passed: number;
  failed: number;
  files: { file: string; total: number; passed: number; failed: number }[];
}

const scratch = mkdtempSync(join(tmpdir(), 'purewasm-test-'));
const vitestReport = join(scratch, 'vitest.json');

const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
  { stdio: 'inherit' },
);
let unit: VitestJson | undefined;
try {
  unit = JSON.parse(readFileSync(vitestReport, 'utf8')) as VitestJson;
} catch {
  console.error(`vitest produced no report (exit ${vitest.status ?? vitest.signal})`);
}

/** Runs the claimed spec suites (with `extraArgs`); prints each file when `listFiles`, else only failing ones. */
function runSpec(title: string, extraArgs: string[], listFiles: boolean): SpecJson | undefined {
  console.log(`\n${title}:`);
  const specRun = spawnSync('npx', ['tsx', 'spec-tests/cli.ts', '--json', ...extraArgs], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  });
  let spec: SpecJson | undefined;
  try {
    spec = JSON.parse(specRun.stdout) as SpecJson;
  } catch {
    console.error(`the spec runner produced no report (exit ${specRun.status ?? specRun.signal})`);
    return undefined;
  }
  for (const file of spec.files) {
    if (!listFiles && file.failed === 0) continue;
    const mark = file.failed === 0 ? 'ok  ' : 'FAIL';
    console.log(`  ${mark} ${file.file}: ${file.passed} / ${file.total}`);
  }
  console.log(`  spec assertions: ${spec.passed} / ${spec.total} passed`);
  return spec;
}

const spec = runSpec('Spec testsuite (the suites purewasm claims), compiled tier', ['--tier', 'compiled'], true);
// Metering must not change any result: the same suites again with fuel on.
const specFuel = runSpec('The same suites with fuel metering on, compiled tier', ['--tier', 'compiled', '--fuel'], false);
// The interpreter is the reference and the tier under a CSP: both tiers, with and without fuel.
const specInterpreter = runSpec('The same suites on the interpreter', ['--tier', 'interpreter'], false);
const specInterpreterFuel = runSpec('The same suites on the interpreter with fuel metering on', ['--tier', 'interpreter', '--fuel'], false);
// Lazy lowering lowers only what runs: here every function of every valid module is lowered.
const specEager = runSpec('The same suites with every function lowered at compile time', ['--eager'], false);
rmSync(scratch, { recursive: true, force: true });

const unitFailed = unit ? unit.numFailedTests : 1;
const specRuns = [spec, specFuel, specInterpreter, specInterpreterFuel, specEager];
const passed = (unit?.numPassedTests ?? 0) + specRuns.reduce((sum, run) => sum + (run?.passed ?? 0), 0);
// A runner that produced no report counts as one failure, so the line never claims a clean run.
const failed =
  unitFailed + specRuns.reduce((sum, run) => sum + (run ? run.failed : 1), 0) + (vitest.status !== 0 && unitFailed === 0 ? 1 : 0);
console.log(`\nunit tests: ${unit?.numPassedTests ?? 0} passed, ${unitFailed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
