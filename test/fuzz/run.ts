/**
 * Differential fuzzing, the full run (`npm run fuzz`): generates modules with
 * binaryen's translate-to-fuzz, runs every export on V8 and on purewasm's
 * two tiers, and compares (see harness.ts, compare.ts). Prints the totals; exits 1 when any
 * module diverged. Each divergent module is saved with a description, ready
 * to be minimized and added to test/fuzz/corpus.
 *
 *   tsx test/fuzz/run.ts [--count 2000] [--seed 1] [--jobs N] [--save DIR] [--self]
 *   (--self: modules with multi-memory and memory64 too, which V8 cannot run: purewasm's
 *   metered and sliced runs are compared with its unmetered one; see checkModuleSelf)
 *   tsx test/fuzz/run.ts --file a.wasm [b.wasm ...]   (check given modules, print both records on divergence)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkModule, checkModuleSelf, type Divergence, type ModuleReport } from './compare.js';
import { FEATURE_FLAGS, SELF_FEATURE_FLAGS, WasmOptPool, generateModules } from './generate.js';
import { usesSimd } from './wasm-binary.js';

const { values: options, positionals } = parseArgs({
  options: {
    count: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    save: { type: 'string', default: join(tmpdir(), 'purewasm-fuzz-divergences') },
    file: { type: 'boolean', default: false },
    self: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

function describe(d: Divergence): string {
  const where = d.export === null ? 'final state' : `export ${d.export}`;
  const reference = options.self ? 'unmetered' : d.reference;
  return `${d.cause} (purewasm ${d.mode}, against ${reference}) at ${where}\n    ${`${reference}:`.padEnd(13)}${d.v8}\n    purewasm:    ${d.purewasm}`;
}

/** The records around where they part, for --file. */
function printRecords(report: ModuleReport): void {
  const records = [['v8', report.v8], ...[...report.purewasm].map(([mode, o]) => [`purewasm ${mode}`, o] as const)] as const;
  for (const [name, { events }] of records) {
    console.log(`--- ${name} (${events.length} lines)`);
    console.log(events.join('\n'));
  }
}

if (options.file) {
  let failed = false;
  for (const file of positionals) {
    const report = checkModule(new Uint8Array(readFileSync(file)));
    console.log(`${file}: ${report.exportsCalled} exports, ${report.comparisons} comparisons, ${report.divergences.length} divergences` +
      (report.stopped ? `, stopped by ${report.stopped.reason} at ${report.stopped.export}` : ''));
    for (const d of report.divergences) console.log(`  ${describe(d)}`);
    if (report.divergences.length > 0) {
      failed = true;
      printRecords(report);
    }
  }
  process.exit(failed ? 1 : 0);
}

const count = Number(options.count);
const firstSeed = Number(options.seed);
const jobs = Math.max(1, Number(options.jobs));
const seeds = Array.from({ length: count }, (_, i) => firstSeed + i);

const totals = {
  modules: 0,
  simdModules: 0,
  generationFailures: new Map<string, number>(),
  notInstantiated: 0,
  exportsCalled: 0,
  comparisons: 0,
  stopped: new Map<string, number>(),
  exportsSkipped: 0,
  byCause: new Map<string, number>(),
  divergent: 0,
};
const started = performance.now();
let checkingMs = 0;
mkdirSync(options.save, { recursive: true });

const pool = new WasmOptPool(jobs);
const check = options.self ? checkModuleSelf : checkModule;
for await (const generated of generateModules(pool, seeds, 2 * jobs, options.self ? SELF_FEATURE_FLAGS : FEATURE_FLAGS)) {
  if ('error' in generated) {
    const reason = generated.error.message;
    totals.generationFailures.set(reason, (totals.generationFailures.get(reason) ?? 0) + 1);
    continue;
  }
  const { seed, bytes } = generated;
  const before = performance.now();
  const report = check(bytes);
  checkingMs += performance.now() - before;
  totals.modules++;
  if (usesSimd(bytes)) totals.simdModules++;
  totals.exportsCalled += report.exportsCalled;
  totals.comparisons += report.comparisons;
  if (report.notInstantiated) totals.notInstantiated++;
  if (report.stopped) {
    totals.stopped.set(report.stopped.reason, (totals.stopped.get(report.stopped.reason) ?? 0) + 1);
    totals.exportsSkipped += report.stopped.exportsSkipped;
  }
  if (report.divergences.length > 0) {
    const text = report.divergences.map(describe).join('\n');
    totals.divergent++;
    for (const d of report.divergences) totals.byCause.set(d.cause, (totals.byCause.get(d.cause) ?? 0) + 1);
    const file = join(options.save, `seed-${seed}.wasm`);
    writeFileSync(file, bytes);
    writeFileSync(file.replace(/\.wasm$/, '.txt'), `seed ${seed}\n${text}\n`);
    console.log(`seed ${seed}: ${text}\n  saved ${file}`);
  }
  if (totals.modules % 100 === 0) {
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`... ${totals.modules} modules, ${totals.divergent} divergent, ${seconds} s`);
  }
}

await pool.close();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
console.log(`
modules:          ${totals.modules} compared (${totals.notInstantiated} of them rejected alike by both engines; ${totals.simdModules} use SIMD)
not generated:    ${[...totals.generationFailures].map(([reason, n]) => `${n} (${reason})`).join(', ') || 'none'}
exports called:   ${totals.exportsCalled}
comparisons:      ${totals.comparisons}
stopped early:    ${[...totals.stopped].map(([reason, n]) => `${n} by ${reason}`).join(', ') || 'none'} (${totals.exportsSkipped} exports not compared)
divergent:        ${totals.divergent} modules
${[...totals.byCause].map(([cause, n]) => `  ${cause}: ${n}`).join('\n')}
time:             ${seconds(performance.now() - started)} total, ${seconds(checkingMs)} running both engines (the rest is wasm-opt)`);
process.exit(totals.divergent > 0 ? 1 : 0);
