/**
 * The project's test command (`npm test`): the vitest unit/property tests, then
 * the spec testsuite run the engine claims five times (on the compiled tier and on
 * the interpreter, each with and without fuel metering, and with every function
 * lowered at compile time), then the browser tests in Chromium and Firefox, then
 * one summary line `N passed, N failed` counting unit tests, spec assertions and
 * browser tests together.
 * Exits non-zero if anything failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSERS, missingBrowsers } from './browser/installed.js';
import { ensureTestsuite, TestsuiteUnavailable } from '../spec-tests/testsuite.js';

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

// The spec testsuite: found, or fetched at the pinned commits; else one line that says how to get it.
try {
  process.env['WASM_TESTSUITE'] = ensureTestsuite();
} catch (error) {
  if (!(error instanceof TestsuiteUnavailable)) throw error;
  console.error(`error: ${error.message}`);
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'purewasm-test-'));

/** Runs vitest with `extraArgs`; the report is undefined when vitest produced none. */
function runVitest(name: string, extraArgs: string[]): { report: VitestJson | undefined; status: number | null } {
  const reportFile = join(scratch, `${name}.json`);
  const run = spawnSync('npx', ['vitest', 'run', ...extraArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`], {
    stdio: 'inherit',
  });
  try {
    return { report: JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJson, status: run.status };
  } catch {
    console.error(`vitest (${name}) produced no report (exit ${run.status ?? run.signal})`);
    return { report: undefined, status: run.status };
  }
}

const vitest = runVitest('unit', []);
const unit = vitest.report;

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

console.log('\nBrowser tests (Chromium and Firefox without WebAssembly or JIT, the browser build, the playground):');
const missing = missingBrowsers();
let browser: { passed: number; failed: number };
if (missing.length > 0) {
  // One line, and a failure: a machine without the browsers has not shown that purewasm works in them.
  console.log(`  not run: ${missing.map((name) => BROWSERS[name]).join(' and ')} missing (apt-get install chromium firefox-esr); counted as 1 failed`);
  browser = { passed: 0, failed: 1 };
} else {
  const run = runVitest('browser', ['-c', 'vitest.browser.config.ts']);
  const failed = run.report ? run.report.numFailedTests : 1;
  browser = { passed: run.report?.numPassedTests ?? 0, failed: failed + (run.status !== 0 && failed === 0 ? 1 : 0) };
}
rmSync(scratch, { recursive: true, force: true });

const unitFailed = unit ? unit.numFailedTests : 1;
const specRuns = [spec, specFuel, specInterpreter, specInterpreterFuel, specEager];
const passed = (unit?.numPassedTests ?? 0) + specRuns.reduce((sum, run) => sum + (run?.passed ?? 0), 0) + browser.passed;
// A runner that produced no report counts as one failure, so the line never claims a clean run.
const failed =
  unitFailed +
  specRuns.reduce((sum, run) => sum + (run ? run.failed : 1), 0) +
  (vitest.status !== 0 && unitFailed === 0 ? 1 : 0) +
  browser.failed;
console.log(`\nunit tests: ${unit?.numPassedTests ?? 0} passed, ${unitFailed} failed`);
console.log(`browser tests: ${browser.passed} passed, ${browser.failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
