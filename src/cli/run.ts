/**
 * `purewasm run`: runs a WASI command (its `_start`), or calls one export with
 * --invoke, under optional fuel, memory and time limits, with statistics and a
 * fuel profile on request.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { CompileError, Engine, Func, Linker, Module, Store, type ExportType, type FuncTypeDesc, type Instance, type Value } from '../index.js';
import { findExit } from '../host/wasi/errors.js';
import { WASI, defineWasi, type FsDir } from '../host/wasi/index.js';
import { nodeDir, nodeOutput, nodeStdin } from '../host/wasi/node-fs.js';
import { CliError, ExitCode, UsageError, describeFailure, type Failure } from './failure.js';
import { parseByteSize, parseCommandLine, parseCount, parseMilliseconds, type OptionSpec } from './options.js';
import { FuelProfiler, profileTable } from './profile.js';
import { formatResult, jsonResult, parseArguments } from './values.js';

export interface RunOptions {
  file: string;
  /** The guest's argv after argv[0], or the --invoke arguments. */
  args: string[];
  invoke?: string;
  fuel?: number;
  maxMemoryBytes?: number;
  timeoutMs?: number;
  /** Guest path -> host directory. */
  dirs: Map<string, string>;
  env: Record<string, string>;
  stats: boolean;
  json: boolean;
  /** Where to write the folded-stacks profile. */
  profile?: string;
}

const RUN_OPTIONS: Record<string, OptionSpec> = {
  invoke: { takesValue: true },
  fuel: { takesValue: true },
  'max-memory': { takesValue: true },
  timeout: { takesValue: true },
  dir: { takesValue: true, repeatable: true },
  env: { takesValue: true, repeatable: true },
  stats: { takesValue: false },
  json: { takesValue: false },
  profile: { takesValue: true },
};

/** Rows of the --profile table. */
const PROFILE_TABLE_ROWS = 15;

/** Parses `run`'s arguments; undefined when help was asked for. */
export function parseRunOptions(argv: readonly string[]): RunOptions | undefined {
  const { options, positionals, help } = parseCommandLine(argv, RUN_OPTIONS);
  if (help) return undefined;
  const [file, ...args] = positionals;
  if (file === undefined) throw new UsageError('run needs a FILE');
  const single = (name: string): string | undefined => options.get(name)?.[0];
  const fuel = single('fuel');
  const maxMemory = single('max-memory');
  const timeout = single('timeout');
  const result: RunOptions = {
    file,
    args,
    invoke: single('invoke'),
    fuel: fuel === undefined ? undefined : parseCount(fuel, '--fuel'),
    maxMemoryBytes: maxMemory === undefined ? undefined : parseByteSize(maxMemory, '--max-memory'),
    timeoutMs: timeout === undefined ? undefined : parseMilliseconds(timeout, '--timeout'),
    dirs: new Map(),
    env: {},
    stats: options.has('stats'),
    json: options.has('json'),
    profile: single('profile'),
  };
  if (result.invoke === '') throw new UsageError('--invoke needs a function name');
  if (result.profile === '') throw new UsageError('--profile needs a file name');
  for (const spec of options.get('dir') ?? []) {
    // HOST::GUEST, or a single path used on both sides.
    const separator = spec.indexOf('::');
    const host = separator < 0 ? spec : spec.slice(0, separator);
    const guest = separator < 0 ? spec : spec.slice(separator + 2);
    if (host === '' || guest === '') throw new UsageError(`--dir needs HOST::GUEST or DIR, got '${spec}'`);
    result.dirs.set(guest, host);
  }
  for (const pair of options.get('env') ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`--env needs NAME=VALUE, got '${pair}'`);
    result.env[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return result;
}

/** Reads and compiles the module (binary or text); CliError with the file name when it cannot. */
export function loadModule(engine: Engine, file: string): Module {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliError(`cannot read ${file}: ${reason}`);
  }
  try {
    return new Module(engine, bytes);
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    throw new CliError(`${file}: ${error.message}`);
  }
}

function openPreopens(dirs: Map<string, string>): Record<string, FsDir> {
  const preopens: Record<string, FsDir> = {};
  for (const [guest, host] of dirs) {
    try {
      preopens[guest] = nodeDir(host);
    } catch {
      throw new UsageError(`--dir: ${host} is not a directory`);
    }
  }
  return preopens;
}

function exportedFunctionNames(exports: ExportType[]): string {
  const names = exports.filter((e) => e.kind === 'func').map((e) => e.name);
  return names.length === 0 ? 'it exports no functions' : `exported functions: ${names.join(', ')}`;
}

interface PlannedCall {
  name: string;
  type: FuncTypeDesc;
  args: Value[];
  /** Called with --invoke: results are printed, and a WASI reactor is initialized first. */
  invoked: boolean;
}

/** The export to call and its arguments, checked before instantiation so nothing runs on a bad command line. */
function planCall(module: Module, options: RunOptions): PlannedCall {
  const exports = module.exports();
  if (options.invoke === undefined) {
    const start = exports.find((e) => e.name === '_start' && e.kind === 'func');
    if (start === undefined) {
      throw new CliError(`${options.file} has no _start function to run; call one with --invoke NAME (${exportedFunctionNames(exports)})`);
    }
    return { name: '_start', type: start.type as FuncTypeDesc, args: [], invoked: false };
  }
  const name = options.invoke;
  const target = exports.find((e) => e.name === name);
  if (target === undefined || target.kind !== 'func') {
    const what = target === undefined ? 'no export' : `export '${name}' is a ${target.kind}, not a function;`;
    throw new CliError(`${options.file} has ${what}${target === undefined ? ` named '${name}'` : ''} (${exportedFunctionNames(exports)})`);
  }
  const type = target.type as FuncTypeDesc;
  return { name, type, args: parseArguments(name, type, options.args), invoked: true };
}

interface Outcome {
  exitCode: number;
  results?: { values: Value[]; type: FuncTypeDesc };
  failure?: Failure;
}

/** Calls `func`; a proc_exit inside it ends the call with the guest's exit code. */
function callGuest(store: Store, func: Func, args: Value[]): { exitCode: number; values?: Value[] } {
  try {
    return { exitCode: ExitCode.ok, values: func.call(store, args) };
  } catch (error) {
    const exit = findExit(error);
    if (exit === undefined) throw error;
    return { exitCode: exit.code };
  }
}

function execute(store: Store, linker: Linker, module: Module, call: PlannedCall): Outcome {
  const instance: Instance = linker.instantiate(store, module);
  const initialize = instance.getFunc(store, '_initialize');
  if (call.invoked && initialize !== undefined) {
    // A WASI reactor: its constructors run before any other export is called.
    const init = callGuest(store, initialize, []);
    if (init.exitCode !== ExitCode.ok) return { exitCode: init.exitCode };
  }
  const outcome = callGuest(store, instance.getFunc(store, call.name)!, call.args);
  if (!call.invoked || outcome.values === undefined) return { exitCode: outcome.exitCode };
  return { exitCode: outcome.exitCode, results: { values: outcome.values, type: call.type } };
}

interface Stats {
  fuelConsumed: number;
  instructions: number;
  wallTimeMs: number;
  memoryPeakBytes: number;
}

function statsText(stats: Stats): string {
  return [
    `fuel consumed:  ${stats.fuelConsumed}`,
    `instructions:   ${stats.instructions}`,
    `wall time:      ${stats.wallTimeMs.toFixed(3)} ms`,
    `peak memory:    ${stats.memoryPeakBytes} bytes`,
  ].join('\n') + '\n';
}

export function runCommand(options: RunOptions): number {
  const preopens = openPreopens(options.dirs);
  // Statistics and profiles count fuel; without --fuel the budget is unlimited.
  const metered = options.fuel !== undefined || options.stats || options.profile !== undefined;
  const engine = new Engine({ consumeFuel: metered });
  const module = loadModule(engine, options.file);
  const call = planCall(module, options);

  const store = new Store(engine);
  const budget = options.fuel ?? Number.MAX_SAFE_INTEGER;
  if (metered) store.setFuel(budget);
  if (options.maxMemoryBytes !== undefined) store.setLimits({ maxMemoryBytes: options.maxMemoryBytes });
  const profiler = options.profile === undefined ? undefined : new FuelProfiler();
  if (profiler) store.setProfiler(profiler);
  const wasi = new WASI({
    args: [options.file, ...(call.invoked ? [] : options.args)],
    env: options.env,
    preopens,
    stdin: nodeStdin(),
    stdout: nodeOutput(1),
    stderr: nodeOutput(2),
  });
  const linker = defineWasi(new Linker(engine), wasi);

  const started = performance.now();
  if (options.timeoutMs !== undefined) {
    const deadline = started + options.timeoutMs;
    store.setInterrupt(() => performance.now() > deadline);
  }
  let outcome: Outcome;
  try {
    outcome = execute(store, linker, module, call);
  } catch (error) {
    const failure = describeFailure(error, { fuel: options.fuel, timeoutMs: options.timeoutMs });
    outcome = { exitCode: failure.exitCode, failure };
  }
  const wallTimeMs = performance.now() - started;
  const fuelConsumed = metered ? budget - store.getFuel() : 0;
  const stats: Stats = { fuelConsumed, instructions: fuelConsumed, wallTimeMs, memoryPeakBytes: store.memoryPeakBytes };

  profiler?.finish(fuelConsumed);
  report(options, outcome, stats, profiler);
  return outcome.exitCode;
}

/** Prints the outcome: the error line, the profile, results and statistics, as text or JSON. */
function report(options: RunOptions, outcome: Outcome, stats: Stats, profiler: FuelProfiler | undefined): void {
  if (outcome.failure) process.stderr.write(`error: ${outcome.failure.message}\n`);
  if (profiler && options.profile !== undefined) {
    try {
      writeFileSync(options.profile, profiler.folded());
    } catch (error) {
      throw new CliError(`cannot write the profile to ${options.profile}: ${(error as Error).message}`);
    }
    process.stderr.write(profileTable(profiler.ranking(), stats.fuelConsumed, PROFILE_TABLE_ROWS));
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(jsonReport(outcome, options.stats ? stats : undefined))}\n`);
    return;
  }
  const results = outcome.results;
  if (results) results.values.forEach((value, i) => process.stdout.write(`${formatResult(value, results.type.results[i]!)}\n`));
  if (options.stats) process.stderr.write(statsText(stats));
}

function jsonReport(outcome: Outcome, stats: Stats | undefined): Record<string, unknown> {
  const report: Record<string, unknown> = { exitCode: outcome.exitCode };
  const results = outcome.results;
  if (results) report.results = results.values.map((value, i) => jsonResult(value, results.type.results[i]!));
  if (outcome.failure) {
    report.error = outcome.failure.trap === undefined ? { message: outcome.failure.message } : { message: outcome.failure.message, trap: outcome.failure.trap };
  }
  if (stats) report.stats = stats;
  return report;
}
