/**
 * `npm run bench [-- OPTIONS] [WORKLOAD...]`: runs every workload in every mode
 * (one child node process per workload and mode, see measure.ts), checks that
 * all modes return V8's result, and prints ms/op per mode with the ratio columns
 * the modes declare and their geometric means.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODES, MODES, REFERENCE_MODE, type Mode } from './modes.js';
import { RESULT_PREFIX, type Job, type Measurement } from './protocol.js';
import { WORKLOADS, wasmPath, type Workload } from './workloads.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const measureScript = fileURLToPath(new URL('./measure.ts', import.meta.url));
/** A child that takes longer is stuck (a broken engine looping forever), not slow. */
const CHILD_TIMEOUT_MS = 120_000;
/** How much of a failed child's stderr the progress log shows. */
const ERROR_LINES = 3;
const DEFAULT_MAX_TIME = 1.5;

const USAGE = `usage: npm run bench -- [options] [workload...]

Workloads (a name selects every workload containing it; default: all):
${WORKLOADS.map((w) => `  ${w.name.padEnd(10)} ${w.description}, n = ${w.n}`).join('\n')}

Options:
  --fuel            add the column purewasm+fuel (fuel metering on) and its overhead
  --modes=A,B,...   the modes to run (default ${DEFAULT_MODES.join(',')}; known: ${MODES.map((m) => m.id).join(', ')})
  --max-time=S      benchmark.js maxTime per measurement, in seconds (default ${DEFAULT_MAX_TIME})
  --purewasm=PATH   load purewasm from PATH (e.g. src/index.ts, or another build to compare)
  --json            print the results as JSON on stdout instead of the table
  --json=FILE       write the results as JSON to FILE, and print the table
By default purewasm is loaded from dist/src/index.js (run \`npm run build\` first: the
tsc build inlines const enums), else from src/index.ts through tsx.`;

interface Options {
  workloads: Workload[];
  modes: Mode[];
  maxTime: number;
  /** --purewasm: the engine's entry module, instead of dist/ or src/. */
  purewasm: string | null;
  /** null: no JSON; '-': JSON on stdout instead of the table. */
  json: string | null;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parseOptions(args: readonly string[]): Options {
  const filters: string[] = [];
  let modeIds = [...DEFAULT_MODES];
  let fuel = false;
  let maxTime = DEFAULT_MAX_TIME;
  let purewasm: string | null = null;
  let json: string | null = null;
  for (const arg of args) {
    const [flag, value] = arg.startsWith('--') ? splitFlag(arg) : [arg, undefined];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (flag === '--fuel') fuel = true;
    else if (flag === '--purewasm' && value) purewasm = resolve(value);
    else if (flag === '--json') json = value ?? '-';
    else if (flag === '--modes' && value) modeIds = value.split(',');
    else if (flag === '--max-time' && value && Number(value) > 0) maxTime = Number(value);
    else if (flag.startsWith('-')) fail(`unknown or incomplete option ${arg}\n\n${USAGE}`);
    else filters.push(arg);
  }
  if (fuel && !modeIds.includes('purewasm+fuel')) modeIds.push('purewasm+fuel');
  modeIds = [REFERENCE_MODE, ...modeIds.filter((id) => id !== REFERENCE_MODE)];
  const modes = modeIds.map((id) => MODES.find((m) => m.id === id) ?? fail(`unknown mode ${id}\n\n${USAGE}`));
  const workloads = WORKLOADS.filter((w) => filters.length === 0 || filters.some((f) => w.name.includes(f)));
  if (workloads.length === 0) fail(`no workload matches ${filters.join(' ')}\n\n${USAGE}`);
  return { workloads, modes, maxTime, purewasm, json };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return newest;
}

/** dist/src/index.js when built, else src/index.ts; null when neither exists. */
function defaultPurewasmEntry(): string | null {
  const dist = `${repoRoot}dist/src/index.js`;
  const src = `${repoRoot}src/index.ts`;
  if (existsSync(dist)) {
    if (newestMtime(`${repoRoot}src`) > statSync(dist).mtimeMs) {
      process.stderr.write('warning: dist/ is older than src/: run `npm run build` to measure the current engine\n');
    }
    return dist;
  }
  return existsSync(src) ? src : null;
}

type Outcome = { ok: true; measurement: Measurement } | { ok: false; error: string };

function measure(workload: Workload, mode: Mode, entry: string | null, maxTime: number): Outcome {
  const job: Job = {
    workload: workload.name,
    wasmPath: wasmPath(workload),
    n: workload.n,
    engine: mode.engine,
    consumeFuel: mode.consumeFuel ?? false,
    purewasmEntry: entry,
    expect: workload.checksum,
    maxTime,
  };
  const child = spawnSync(process.execPath, [...mode.nodeFlags, '--import', 'tsx', measureScript, JSON.stringify(job)], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (child.status === 0 && line !== undefined) {
    return { ok: true, measurement: JSON.parse(line.slice(RESULT_PREFIX.length)) as Measurement };
  }
  const reason = child.error ? child.error.message : child.stderr.trim() || `exit status ${String(child.status)}`;
  return { ok: false, error: reason };
}

function describe(workload: Workload, mode: Mode, outcome: Outcome): string {
  const head = `${`${workload.name}(${workload.n})`.padEnd(18)} ${mode.id.padEnd(14)}`;
  if (!outcome.ok) {
    // The message and where it was thrown; the whole stack is in the JSON.
    const excerpt = outcome.error.split('\n').slice(0, ERROR_LINES).join('\n');
    return `${head} FAILED\n${excerpt.replace(/^/gm, '    ')}`;
  }
  const m = outcome.measurement;
  const fuel = m.fuelPerRun === undefined
    ? ''
    : `, ${m.fuelPerRun.toExponential(3)} fuel/run = ${(m.fuelPerRun / m.msPerOp / 1000).toFixed(1)} M fuel/s`;
  return `${head} ${formatMs(m)} (${m.samples} samples${fuel})`;
}

function formatMs(m: Measurement): string {
  const digits = m.msPerOp >= 100 ? 1 : m.msPerOp >= 10 ? 2 : 3;
  return `${m.msPerOp.toFixed(digits)} ±${m.rme.toFixed(1)}%`;
}

function geometricMean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

function formatRatio(ratio: number, as: 'slowdown' | 'overhead'): string {
  if (as === 'slowdown') return `${ratio.toFixed(ratio >= 10 ? 1 : 2)}x`;
  const percent = (ratio - 1) * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

interface WorkloadReport {
  name: string;
  n: number;
  description: string;
  checksum: string;
  modes: Record<string, Outcome>;
  /** mode id -> time of the mode over the time of the mode it compares to. */
  ratios: Record<string, number>;
}

function ratioModes(modes: readonly Mode[]): Mode[] {
  return modes.filter((m) => m.compare !== undefined && modes.some((other) => other.id === m.compare!.to));
}

function renderTable(reports: readonly WorkloadReport[], modes: readonly Mode[], geomeans: Record<string, number>): string {
  const columns: { header: string; cells: string[]; footer: string }[] = [
    { header: 'workload', cells: reports.map((r) => `${r.name}(${r.n})`), footer: 'geometric mean' },
  ];
  for (const mode of modes) {
    columns.push({
      header: `${mode.label} (ms/op)`,
      cells: reports.map((r) => {
        const outcome = r.modes[mode.id];
        return outcome === undefined ? '' : outcome.ok ? formatMs(outcome.measurement) : 'FAILED';
      }),
      footer: '',
    });
    if (ratioModes(modes).includes(mode)) {
      const as = mode.compare!.as;
      const geomean = geomeans[mode.id];
      columns.push({
        header: mode.compare!.header,
        cells: reports.map((r) => {
          const ratio = r.ratios[mode.id];
          return ratio === undefined ? '' : formatRatio(ratio, as);
        }),
        footer: geomean === undefined ? '' : formatRatio(geomean, as),
      });
    }
  }
  const widths = columns.map((c) => Math.max(c.header.length, c.footer.length, ...c.cells.map((s) => s.length)));
  const row = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  const lines = [row(columns.map((c) => c.header)), rule, ...reports.map((_, i) => row(columns.map((c) => c.cells[i]!)))];
  if (ratioModes(modes).length > 0) lines.push(rule, row(columns.map((c) => c.footer)));
  return lines.join('\n');
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const entry = options.modes.some((m) => m.engine === 'purewasm') ? (options.purewasm ?? defaultPurewasmEntry()) : null;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`node ${process.version}, V8 ${process.versions.v8}; purewasm from ${entry ?? '(not used or missing)'}`);

  let failed = false;
  const reports: WorkloadReport[] = [];
  for (const workload of options.workloads) {
    const report: WorkloadReport = {
      name: workload.name,
      n: workload.n,
      description: workload.description,
      checksum: workload.checksum,
      modes: {},
      ratios: {},
    };
    for (const mode of options.modes) {
      const outcome = measure(workload, mode, entry, options.maxTime);
      report.modes[mode.id] = outcome;
      failed ||= !outcome.ok;
      log(describe(workload, mode, outcome));
    }
    for (const mode of ratioModes(options.modes)) {
      const mine = report.modes[mode.id];
      const theirs = report.modes[mode.compare!.to];
      if (mine?.ok && theirs?.ok) report.ratios[mode.id] = mine.measurement.msPerOp / theirs.measurement.msPerOp;
    }
    reports.push(report);
  }

  const geomeans: Record<string, number> = {};
  for (const mode of ratioModes(options.modes)) {
    const mean = geometricMean(reports.flatMap((r) => (r.ratios[mode.id] === undefined ? [] : [r.ratios[mode.id]!])));
    if (mean !== null) geomeans[mode.id] = mean;
  }

  const table = renderTable(reports, options.modes, geomeans);
  if (options.json !== '-') process.stdout.write(`\n${table}\n`);
  if (options.json !== null) {
    const json = JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        v8: process.versions.v8,
        platform: `${process.platform} ${process.arch}`,
        purewasmEntry: entry,
        maxTime: options.maxTime,
        modes: options.modes,
        workloads: reports,
        geomeans,
      },
      null,
      2,
    );
    if (options.json === '-') process.stdout.write(`${json}\n`);
    else writeFileSync(options.json, `${json}\n`);
  }
  if (failed) {
    log('\nFAILED: some measurements failed or returned a result different from V8 (see above)');
    process.exitCode = 1;
  }
}

main();
