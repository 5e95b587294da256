/**
 * `npm run bench [-- OPTIONS] [WORKLOAD...]`: runs every workload in every mode
 * (one child node process per workload and mode, see measure.ts), checks that
 * all modes return V8's result (engines that are no oracle get a "wrong result"
 * cell instead of failing the run), and prints ms/op per mode with the ratio
 * columns the modes declare and their geometric means.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODES, MODES, REFERENCE_MODE, type Mode } from './modes.js';
import { RESULT_PREFIX, type ChildResult, type Job, type Measurement } from './protocol.js';
import { SIMD_WORKLOADS, WORKLOADS, wasmPath, type Workload } from './workloads.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/**
 * The child runs as plain JavaScript from dist/ (`npm run build` compiles it):
 * under tsx's loader, purewasm measured 10-35% slower (more when the child
 * then loads benchmark.js through it), which is not how users run it.
 */
const compiledMeasureScript = `${repoRoot}dist/bench/measure.js`;
const measureCommand = existsSync(compiledMeasureScript)
  ? [compiledMeasureScript]
  : ['--import', 'tsx', fileURLToPath(new URL('./measure.ts', import.meta.url))];
/** A child that takes longer is stuck (a broken engine looping forever), not slow (polywasm --jitless on hash64 is). */
const CHILD_TIMEOUT_MS = 300_000;
/** How much of a failed child's stderr the progress log shows. */
const ERROR_LINES = 3;
const DEFAULT_MAX_TIME = 1.5;

const USAGE = `usage: npm run bench -- [options] [workload...]

Workloads (a name selects every workload containing it; default: all):
${WORKLOADS.map((w) => `  ${w.name.padEnd(10)} ${w.description}, n = ${w.n}`).join('\n')}
SIMD workloads (with --simd; each C source built without and with -msimd128):
${SIMD_WORKLOADS.map((w) => `  ${w.name.padEnd(16)} ${w.description}, n = ${w.n}`).join('\n')}

Modes (columns; ${REFERENCE_MODE} always runs):
${MODES.map((m) => `  ${m.id.padEnd(19)} ${m.description}`).join('\n')}

Options:
  --modes=A,B,...   the modes to run (default ${DEFAULT_MODES.join(',')})
  --all             every mode, in one table
  --simd            run the SIMD workloads instead, and print how much faster each SIMD
                    build runs than its scalar build in every mode
  --fuel            add purewasm+fuel (fuel metering on) and its overhead
  --interrupt       add purewasm+interrupt (a never-firing interrupt check) and its overhead
  --loop            time every mode with the plain timing loop (default: benchmark.js,
                    except for modes that cannot run it)
  --max-time=S      seconds to time each measurement (default ${DEFAULT_MAX_TIME})
  --repeat=K        measure each workload and mode K times (the modes take turns) and keep
                    the fastest: steadier ratios on a busy machine (default 1)
  --purewasm=PATH   load purewasm from PATH (e.g. src/index.ts, or another build to compare)
  --json            print the results as JSON on stdout instead of the table
  --json=FILE       write the results as JSON to FILE, and print the table
By default purewasm is loaded from dist/src/index.js (run \`npm run build\` first: the
tsc build inlines const enums), else from src/index.ts through tsx.`;

interface Options {
  workloads: Workload[];
  modes: Mode[];
  /** --loop: the plain loop times every mode. */
  loop: boolean;
  maxTime: number;
  repeat: number;
  /** --purewasm: the engine's entry module, instead of dist/ or src/. */
  purewasm: string | null;
  /** null: no JSON; '-': JSON on stdout instead of the table. */
  json: string | null;
  /** --simd: the SIMD workload pairs, and the SIMD-over-scalar table. */
  simd: boolean;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parseOptions(args: readonly string[]): Options {
  const filters: string[] = [];
  let modeIds = [...DEFAULT_MODES];
  const added: string[] = [];
  let loop = false;
  let maxTime = DEFAULT_MAX_TIME;
  let repeat = 1;
  let purewasm: string | null = null;
  let json: string | null = null;
  let simd = false;
  for (const arg of args) {
    const [flag, value] = arg.startsWith('--') ? splitFlag(arg) : [arg, undefined];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (flag === '--fuel') added.push('purewasm+fuel');
    else if (flag === '--interrupt') added.push('purewasm+interrupt');
    else if (flag === '--all') added.push(...MODES.map((m) => m.id));
    else if (flag === '--loop') loop = true;
    else if (flag === '--simd') simd = true;
    else if (flag === '--purewasm' && value) purewasm = resolve(value);
    else if (flag === '--json') json = value ?? '-';
    else if (flag === '--modes' && value) modeIds = value.split(',');
    else if (flag === '--max-time' && value && Number(value) > 0) maxTime = Number(value);
    else if (flag === '--repeat' && value && Number.isSafeInteger(Number(value)) && Number(value) > 0) repeat = Number(value);
    else if (flag.startsWith('-')) fail(`unknown or incomplete option ${arg}\n\n${USAGE}`);
    else filters.push(arg);
  }
  const unknown = modeIds.find((id) => !MODES.some((m) => m.id === id));
  if (unknown !== undefined) fail(`unknown mode ${unknown}\n\n${USAGE}`);
  const selected = new Set([REFERENCE_MODE, ...modeIds, ...added]);
  const modes = MODES.filter((m) => selected.has(m.id));
  const workloads = (simd ? SIMD_WORKLOADS : WORKLOADS).filter((w) => filters.length === 0 || filters.some((f) => w.name.includes(f)));
  if (workloads.length === 0) fail(`no workload matches ${filters.join(' ')}\n\n${USAGE}`);
  return { workloads, modes, loop, maxTime, repeat, purewasm, json, simd };
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

type Outcome =
  | { readonly status: 'measured'; readonly measurement: Measurement }
  | { readonly status: 'wrong result'; readonly result: string }
  | { readonly status: 'failed'; readonly error: string };

function measure(workload: Workload, mode: Mode, options: Options, entry: string | null): Outcome {
  const job: Job = {
    workload: workload.name,
    wasmPath: wasmPath(workload),
    n: workload.n,
    engine: mode.engine,
    consumeFuel: mode.consumeFuel ?? false,
    interrupt: mode.interrupt ?? false,
    tier: mode.tier,
    purewasmEntry: entry,
    expect: workload.checksum,
    timer: options.loop ? 'loop' : (mode.timer ?? 'benchmark'),
    maxTime: options.maxTime,
  };
  const child = spawnSync(process.execPath, [...mode.nodeFlags, ...measureCommand, JSON.stringify(job)], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (child.status === 0 && line !== undefined) {
    const result = JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
    return result.kind === 'measured'
      ? { status: 'measured', measurement: result.measurement }
      : { status: 'wrong result', result: result.result };
  }
  const reason = child.error ? child.error.message : child.stderr.trim() || `exit status ${String(child.status)}`;
  return { status: 'failed', error: reason };
}

/** Of the repeated measurements of one workload and mode: the first that did not measure, else the fastest. */
function best(outcomes: readonly Outcome[]): Outcome {
  let fastest: Outcome | undefined;
  for (const outcome of outcomes) {
    if (outcome.status !== 'measured') return outcome;
    if (fastest?.status !== 'measured' || outcome.measurement.msPerOp < fastest.measurement.msPerOp) fastest = outcome;
  }
  return fastest!;
}

/** Failed, or wrong from an engine that must compute right. */
function failsTheRun(mode: Mode, outcome: Outcome): boolean {
  return outcome.status === 'failed' || (outcome.status === 'wrong result' && !mode.mayReturnWrongResults);
}

function describe(workload: Workload, mode: Mode, outcome: Outcome): string {
  const head = `${`${workload.name}(${workload.n})`.padEnd(18)} ${mode.id.padEnd(19)}`;
  if (outcome.status === 'failed') {
    // The message and where it was thrown; the whole stack is in the JSON.
    const excerpt = outcome.error.split('\n').slice(0, ERROR_LINES).join('\n');
    return `${head} FAILED\n${excerpt.replace(/^/gm, '    ')}`;
  }
  if (outcome.status === 'wrong result') {
    const verdict = mode.mayReturnWrongResults ? 'wrong result' : 'FAILED: wrong result';
    return `${head} ${verdict}: run(${workload.n}) returned ${outcome.result}, expected ${workload.checksum}`;
  }
  const m = outcome.measurement;
  const fuel = m.fuelPerRun === undefined
    ? ''
    : `, ${m.fuelPerRun.toExponential(3)} fuel/run = ${(m.fuelPerRun / m.msPerOp / 1000).toFixed(1)} M fuel/s`;
  return `${head} ${formatMs(m)} (${m.samples} samples, ${m.timer}${fuel})`;
}

function formatMs(m: Measurement): string {
  const digits = m.msPerOp >= 100 ? 1 : m.msPerOp >= 10 ? 2 : 3;
  return `${m.msPerOp.toFixed(digits)} ±${m.rme.toFixed(1)}%`;
}

function formatOutcome(outcome: Outcome | undefined): string {
  if (outcome === undefined) return '';
  switch (outcome.status) {
    case 'measured': return formatMs(outcome.measurement);
    case 'wrong result': return 'wrong result';
    case 'failed': return 'FAILED';
  }
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

interface Column {
  /** Two header lines: the mode, then what the column holds. */
  header: [string, string];
  cells: string[];
  footer: string;
}

function renderTable(reports: readonly WorkloadReport[], modes: readonly Mode[], geomeans: Record<string, number>): string {
  const columns: Column[] = [
    { header: ['', 'workload'], cells: reports.map((r) => `${r.name}(${r.n})`), footer: 'geometric mean' },
  ];
  const withRatio = ratioModes(modes);
  for (const mode of modes) {
    columns.push({ header: [mode.label, 'ms/op'], cells: reports.map((r) => formatOutcome(r.modes[mode.id])), footer: '' });
    if (withRatio.includes(mode)) {
      const { as, header } = mode.compare!;
      const geomean = geomeans[mode.id];
      const counted = reports.filter((r) => r.ratios[mode.id] !== undefined).length;
      // A mean over fewer workloads (a wrong result, a failure) is not comparable with the others: say so.
      const partial = counted < reports.length ? ` (${counted}/${reports.length})` : '';
      columns.push({
        header: ['', header],
        cells: reports.map((r) => {
          const ratio = r.ratios[mode.id];
          return ratio === undefined ? '' : formatRatio(ratio, as);
        }),
        footer: geomean === undefined ? '' : formatRatio(geomean, as) + partial,
      });
    }
  }
  const widths = columns.map((c) => Math.max(...c.header.map((h) => h.length), c.footer.length, ...c.cells.map((s) => s.length)));
  const row = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  const lines = [
    row(columns.map((c) => c.header[0])),
    row(columns.map((c) => c.header[1])),
    rule,
    ...reports.map((_, i) => row(columns.map((c) => c.cells[i]!))),
  ];
  if (withRatio.length > 0) lines.push(rule, row(columns.map((c) => c.footer)));
  return lines.join('\n');
}

/**
 * Per mode, how many times faster each SIMD build runs than its scalar build
 * (scalar ms / SIMD ms; above 1: SIMD pays), and the geometric mean.
 */
function simdSpeedups(reports: readonly WorkloadReport[], modes: readonly Mode[]): Record<string, Record<string, number>> {
  const speedups: Record<string, Record<string, number>> = {};
  for (const mode of modes) {
    const perPair: Record<string, number> = {};
    for (const simd of reports.filter((r) => r.name.endsWith('-simd'))) {
      const scalar = reports.find((r) => r.name === simd.name.slice(0, -'-simd'.length));
      const a = scalar?.modes[mode.id];
      const b = simd.modes[mode.id];
      if (a?.status === 'measured' && b?.status === 'measured') perPair[scalar!.name] = a.measurement.msPerOp / b.measurement.msPerOp;
    }
    const mean = geometricMean(Object.values(perPair));
    if (mean !== null) speedups[mode.id] = { ...perPair, 'geometric mean': mean };
  }
  return speedups;
}

function renderSpeedups(speedups: Record<string, Record<string, number>>, modes: readonly Mode[]): string {
  const shown = modes.filter((m) => speedups[m.id] !== undefined);
  const rows = Object.keys(speedups[shown[0]?.id ?? ''] ?? {});
  const header = ['SIMD build vs scalar build (x faster)', ...shown.map((m) => m.label)];
  const body = rows.map((row) => [row, ...shown.map((m) => (speedups[m.id]![row] === undefined ? '' : `${speedups[m.id]![row]!.toFixed(2)}x`))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
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
    const outcomes = new Map<Mode, Outcome[]>(options.modes.map((mode) => [mode, []]));
    // Rounds rather than K in a row: a slow spell of the machine then hits every mode.
    for (let round = 0; round < options.repeat; round++) {
      for (const mode of options.modes) {
        const outcome = measure(workload, mode, options, entry);
        outcomes.get(mode)!.push(outcome);
        log(describe(workload, mode, outcome));
      }
    }
    for (const mode of options.modes) {
      const outcome = best(outcomes.get(mode)!);
      report.modes[mode.id] = outcome;
      failed ||= failsTheRun(mode, outcome);
    }
    for (const mode of ratioModes(options.modes)) {
      const mine = report.modes[mode.id];
      const theirs = report.modes[mode.compare!.to];
      if (mine?.status === 'measured' && theirs?.status === 'measured') {
        report.ratios[mode.id] = mine.measurement.msPerOp / theirs.measurement.msPerOp;
      }
    }
    reports.push(report);
  }

  const geomeans: Record<string, number> = {};
  for (const mode of ratioModes(options.modes)) {
    const mean = geometricMean(reports.flatMap((r) => (r.ratios[mode.id] === undefined ? [] : [r.ratios[mode.id]!])));
    if (mean !== null) geomeans[mode.id] = mean;
  }

  const table = renderTable(reports, options.modes, geomeans);
  const speedups = options.simd ? simdSpeedups(reports, options.modes) : undefined;
  if (options.json !== '-') process.stdout.write(`\n${table}\n`);
  if (speedups !== undefined && options.json !== '-') process.stdout.write(`\n${renderSpeedups(speedups, options.modes)}\n`);
  if (options.json !== null) {
    const json = JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        v8: process.versions.v8,
        platform: `${process.platform} ${process.arch}`,
        purewasmEntry: entry,
        loop: options.loop,
        maxTime: options.maxTime,
        repeat: options.repeat,
        modes: options.modes,
        workloads: reports,
        geomeans,
        ...(speedups === undefined ? {} : { simdSpeedups: speedups }),
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
