/**
 * Runs .wast scripts against purewasm. Every assertion counts: one the runner
 * cannot carry out (unsupported syntax, a text module it cannot read, a missing
 * module) is a failure, never a skip.
 */
import { readFileSync } from 'node:fs';
import { Engine, Func, Linker, Module, Store, WasmException, type Instance } from '../src/index.js';
import { CompileError, LinkError, RuntimeError } from '../src/errors.js';
import { WASM_2_0_FEATURES, type Features } from '../src/decoder/features.js';
import { tierStatistics } from '../src/compiler/runtime.js';
import { spectestExports } from './spectest.js';
import { parseWat, TextSyntaxError } from '../src/text/index.js';
import { parseCommand, readScript, type Action, type Command, type ModuleDef, type ScriptEntry } from './script.js';
import { parseConst, parseExpectation } from './values.js';
import type { SExpr } from './sexpr.js';
import { collectWastFiles, displayName, summarize, type Failure, type FileResult, type RunResult } from './suite.js';

export type { Failure, FileResult, RunResult };

/** An assertion whose outcome differs from the script's expectation. */
class Mismatch extends Error {
  constructor(readonly expected: string, readonly actual: string) {
    super(`expected ${expected}, got ${actual}`);
  }
}

function hex(value: number | bigint, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** A raw value for messages; the type is not known here, so numbers also show their bits. */
function formatRaw(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? `${value} (${hex(value >>> 0, 8)})` : `${value}`;
  if (typeof value === 'bigint') return `${value}n (${hex(BigInt.asUintN(64, value), 16)})`;
  if (value instanceof Uint8Array) return `v128 ${Array.from(value, (b) => hex(b, 2).slice(2)).join(' ')}`;
  if (value instanceof Func) return 'funcref';
  return `externref ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
}

function formatError(error: unknown): string {
  if (error instanceof RuntimeError) return `RuntimeError(${error.trap}): ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The state of one script: one engine and store, the modules it defined and registered. */
class ScriptRun {
  private readonly engine: Engine;
  private readonly store: Store;
  private readonly spectest: ReturnType<typeof spectestExports>;
  /** Instances by `$id`; an Error stands for a module definition that failed. */
  private readonly named = new Map<string, Instance | Error>();
  private current: Instance | Error | undefined;
  /** Modules of `(module definition ...)` by `$id`, and the latest one. */
  private readonly definitions = new Map<string, Module>();
  private lastDefinition: Module | undefined;
  private readonly registered = new Map<string, Instance>();
  private linker: Linker | undefined;
  private readonly hostValues = new Map<number, object>();
  private readonly hostRefs = (n: number): object => {
    let value = this.hostValues.get(n);
    if (value === undefined) {
      value = { externref: n };
      this.hostValues.set(n, value);
    }
    return value;
  };

  constructor(options: ScriptOptions) {
    this.engine = new Engine({ consumeFuel: options.consumeFuel, lazyLowering: !options.eagerLowering, tier: options.tier, features: options.features });
    this.store = new Store(this.engine);
    // Metering on: the results must not change, so the budget never runs out.
    if (options.consumeFuel) this.store.setFuel(Number.MAX_SAFE_INTEGER);
    this.spectest = spectestExports(this.store);
  }

  execute(command: Command, source: string): void {
    switch (command.kind) {
      case 'module': return this.defineModule(command.module);
      case 'module_instance': return this.instantiateDefinition(command.instanceId, command.definitionId);
      case 'register': return this.register(command.as, command.moduleId);
      case 'action': {
        this.perform(command.action);
        return;
      }
      case 'assert_return': return this.assertReturn(command.action, command.results, source);
      case 'assert_trap':
        if ('source' in command.target) return this.assertInstantiationFails(command.target, 'a trap', (e) => e instanceof RuntimeError || e instanceof LinkError);
        return this.assertActionTraps(command.target, 'a trap', (e) => e instanceof RuntimeError && !(e instanceof WasmException));
      case 'assert_exhaustion':
        return this.assertActionTraps(command.action, 'call stack exhaustion', (e) => e instanceof RuntimeError && e.trap === 'callStackExhausted');
      case 'assert_exception':
        return this.assertActionTraps(command.action, 'an uncaught exception', (e) => e instanceof WasmException);
      case 'assert_invalid': return this.assertNotCompiled(command.module, false);
      case 'assert_malformed': return this.assertNotCompiled(command.module, true);
      case 'assert_unlinkable':
        return this.assertInstantiationFails(command.module, 'a LinkError', (e) => e instanceof LinkError);
      case 'assert_uninstantiable':
        return this.assertInstantiationFails(command.module, 'a RuntimeError or LinkError at instantiation', (e) => e instanceof RuntimeError || e instanceof LinkError);
    }
  }

  private binary(def: ModuleDef): Uint8Array {
    const { source } = def;
    if (source.kind === 'binary') return source.bytes;
    // purewasm's own text parser; a quoted module may be a whole `(module ...)` or its fields alone.
    return parseWat(source.text);
  }

  private compile(def: ModuleDef): Module {
    return new Module(this.engine, this.binary(def));
  }

  private getLinker(): Linker {
    if (this.linker) return this.linker;
    const linker = new Linker(this.engine);
    for (const [name, item] of this.spectest) linker.define('spectest', name, item);
    for (const [name, instance] of this.registered) linker.defineInstance(this.store, name, instance);
    this.linker = linker;
    return linker;
  }

  private defineModule(def: ModuleDef): void {
    if (def.definitionOnly) {
      const module = this.compile(def);
      this.lastDefinition = module;
      if (def.id !== undefined) this.definitions.set(def.id, module);
      return;
    }
    let outcome: Instance | Error;
    try {
      outcome = this.getLinker().instantiate(this.store, this.compile(def));
    } catch (error) {
      outcome = error instanceof Error ? error : new Error(String(error));
    }
    this.current = outcome;
    if (def.id !== undefined) this.named.set(def.id, outcome);
    if (outcome instanceof Error) throw new Mismatch('the module to instantiate', formatError(outcome));
  }

  private instantiateDefinition(instanceId: string | undefined, definitionId: string | undefined): void {
    const module = definitionId === undefined ? this.lastDefinition : this.definitions.get(definitionId);
    if (module === undefined) throw new Error(`no module definition ${definitionId ?? '(none yet)'}`);
    let outcome: Instance | Error;
    try {
      outcome = this.getLinker().instantiate(this.store, module);
    } catch (error) {
      outcome = error instanceof Error ? error : new Error(String(error));
    }
    this.current = outcome;
    if (instanceId !== undefined) this.named.set(instanceId, outcome);
    if (outcome instanceof Error) throw new Mismatch('the module to instantiate', formatError(outcome));
  }

  private register(as: string, moduleId: string | undefined): void {
    const instance = this.instance(moduleId);
    const replacing = this.registered.has(as);
    this.registered.set(as, instance);
    // A linker cannot redefine a name, so a re-registration rebuilds it.
    if (replacing) this.linker = undefined;
    else this.linker?.defineInstance(this.store, as, instance);
  }

  private instance(moduleId: string | undefined): Instance {
    const found = moduleId === undefined ? this.current : this.named.get(moduleId);
    const which = moduleId ?? 'the current module';
    if (found === undefined) throw new Error(`no module ${which}`);
    if (found instanceof Error) throw new Error(`${which} failed to instantiate: ${formatError(found)}`);
    return found;
  }

  private perform(action: Action): unknown[] {
    const instance = this.instance(action.moduleId);
    if (action.kind === 'get') {
      const global = instance.getGlobal(this.store, action.name);
      if (!global) throw new Error(`no exported global "${action.name}"`);
      return [global.getRaw()];
    }
    const func = instance.getFunc(this.store, action.name);
    if (!func) throw new Error(`no exported function "${action.name}"`);
    const args = action.args.map((arg) => parseConst(arg, this.hostRefs));
    return func.callRaw(this.store, args);
  }

  private assertReturn(action: Action, results: SExpr[], source: string): void {
    const expected = results.map((r) => parseExpectation(r, source, this.hostRefs, (v) => v instanceof Func));
    const expectedText = `[${expected.map((e) => e.text).join(' ')}]`;
    let actual: unknown[];
    try {
      actual = this.perform(action);
    } catch (error) {
      throw new Mismatch(expectedText, formatError(error));
    }
    const actualText = `[${actual.map(formatRaw).join(', ')}]`;
    if (actual.length !== expected.length || !expected.every((e, i) => e.matches(actual[i]))) {
      throw new Mismatch(expectedText, actualText);
    }
  }

  private assertActionTraps(action: Action, what: string, accepts: (error: unknown) => boolean): void {
    let results: unknown[];
    try {
      results = this.perform(action);
    } catch (error) {
      if (accepts(error)) return;
      throw new Mismatch(what, formatError(error));
    }
    throw new Mismatch(what, `returned [${results.map(formatRaw).join(', ')}]`);
  }

  /** The module must compile, then fail to instantiate in the way `accepts` allows. */
  private assertInstantiationFails(def: ModuleDef, what: string, accepts: (error: unknown) => boolean): void {
    let module: Module;
    try {
      module = this.compile(def);
    } catch (error) {
      throw new Mismatch(`${what} (after compiling)`, formatError(error));
    }
    try {
      this.getLinker().instantiate(this.store, module);
    } catch (error) {
      if (accepts(error)) return;
      throw new Mismatch(what, formatError(error));
    }
    throw new Mismatch(what, 'instantiated');
  }

  /** assert_invalid / assert_malformed: purewasm must reject the module; for assert_malformed, its text parser may reject the text. */
  private assertNotCompiled(def: ModuleDef, malformed: boolean): void {
    const expected = malformed ? 'a malformed module' : 'an invalid module (CompileError)';
    let bytes: Uint8Array;
    try {
      bytes = this.binary(def);
    } catch (error) {
      if (malformed && error instanceof TextSyntaxError) return;
      throw new Mismatch(expected, `the text parser failed: ${formatError(error)}`);
    }
    try {
      new Module(this.engine, bytes);
    } catch (error) {
      if (error instanceof CompileError) return;
      throw new Mismatch(expected, formatError(error));
    }
    throw new Mismatch(expected, 'compiled');
  }
}

function runEntry(run: ScriptRun, entry: ScriptEntry): Failure | undefined {
  try {
    run.execute(parseCommand(entry.expr, entry.source), entry.source);
    return undefined;
  } catch (error) {
    const expected = error instanceof Mismatch ? error.expected : 'the command to run';
    const actual = error instanceof Mismatch ? error.actual : formatError(error);
    return { line: entry.line, command: entry.text, expected, actual, assertion: entry.isAssertion };
  }
}

export interface ScriptOptions {
  /** Run every module with fuel metering on (an unlimited budget): the results must be the same. */
  consumeFuel: boolean;
  /** Lower every function when its module is compiled instead of on first call: the results must be the same. */
  eagerLowering: boolean;
  /** The tier to run on (the engine's default, 'auto', when absent). */
  tier?: 'interpreter' | 'compiled';
  /** The 3.0 features the engine allows (default all); the wasm-2.0 scripts get none, as they test the 2.0 language. */
  features?: Features;
}

/** Runs one script; `file` is the name to report. */
export async function runWastFile(path: string, file: string = displayName(path), options: ScriptOptions = { consumeFuel: false, eagerLowering: false }): Promise<FileResult> {
  const source = readFileSync(path, 'utf8');
  const result: FileResult = { file, total: 0, passed: 0, failed: 0, failures: [] };
  let entries: ScriptEntry[];
  try {
    entries = readScript(source);
  } catch (error) {
    // Unreadable script: nothing can be counted, so it is one failure.
    result.total = result.failed = 1;
    result.failures.push({ line: 0, command: path, expected: 'a readable script', actual: formatError(error), assertion: true });
    return result;
  }
  const features = options.features ?? (file.split(/[\\/]/).includes('wasm-2.0') ? WASM_2_0_FEATURES : undefined);
  const run = new ScriptRun({ ...options, features });
  const before = tierStatistics();
  for (const entry of entries) {
    const failure = runEntry(run, entry);
    if (entry.isAssertion) {
      result.total++;
      if (failure) result.failed++;
      else result.passed++;
    }
    if (failure) result.failures.push(failure);
  }
  if (options.tier === 'compiled') {
    const after = tierStatistics();
    const reasons: Record<string, number> = {};
    for (const [reason, n] of Object.entries(after.reasons)) if (n > (before.reasons[reason] ?? 0)) reasons[reason] = n - (before.reasons[reason] ?? 0);
    result.tiers = { compiled: after.compiled - before.compiled, interpreted: after.interpreted - before.interpreted, reasons };
  }
  return result;
}

/** Runs the scripts of `paths` one after another in this process. */
export async function runPaths(paths: string[]): Promise<RunResult> {
  const files: FileResult[] = [];
  for (const path of collectWastFiles(paths)) files.push(await runWastFile(path, displayName(path)));
  return summarize(files);
}
