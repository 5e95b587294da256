/**
 * Runs one fuzz module on an engine and records everything observable, in
 * order: each export call with its arguments and outcome, each call to an
 * import with its arguments, and at the end every memory, table and global.
 * The same driver runs on V8's native WebAssembly and on purewasm through a
 * small adapter per engine, so the two records can be compared line by line.
 *
 * The imports follow binaryen's fuzz_shell.js (module `fuzzing-support`):
 * log-*, table-get/set on the export `table`, call-export(-catch) by index in
 * the export list, call-ref(-catch), sleep. `-catch` variants return 1 when
 * the callee threw a host (JS) or Wasm exception and let traps through; `throw`
 * throws a Wasm exception of the imported tag `wasmtag` or a JS error. Functions
 * called from the host get zero arguments (0, 0n, null).
 */
import { CompileError, Engine, Func, Global, LinkError, Linker, Memory, Module, RuntimeError, Store, Table, Tag, WasmException } from '../../src/index.js';
import type { TrapCode } from '../../src/errors.js';
import type { FuncTypeDesc } from '../../src/index.js';
import { seededRandom } from './generate.js';
import { GROW_FUEL_PER_PAGE, INSTRUCTION_COUNTER, withInstructionCounter, type FuncSig, type FuzzValType, type ModuleInfo } from './wasm-binary.js';

/** What one engine did with one module. */
export interface Observation {
  /** `call NAME(ARGS)`, `-> RESULTS | trap KIND | host | stack | fuel`, `import NAME(ARGS)`, `instantiate ...`. */
  events: string[];
  /** Final memories (bytes), tables and globals (value text) by export name; null when a run stopped early. */
  state: { memories: Map<string, Uint8Array>; values: Map<string, string> } | null;
  exportsCalled: number;
  /** The export whose call was cut short by fuel or by exhausting the stack, if any: later calls were not made. */
  stoppedAt: string | null;
  /**
   * Fuel as withInstructionCounter counts it (instructions, plus memory.grow's pages), after instantiation and
   * after each export call that was not cut short; null when the run does not count.
   */
  instructions: number[] | null;
}

/** The engine-specific half of the driver. */
interface Adapter {
  /** Instantiates with these host functions (by import name) and globals; throws as the engine does. */
  instantiate(bytes: Uint8Array, info: ModuleInfo, host: Map<string, HostFn>): void;
  /** The export named `name` once instantiation finished, else undefined (as in fuzz_shell during start). */
  getExport(name: string): unknown;
  isFunc(value: unknown): boolean;
  /** Calls a function with JS values; results as an array. */
  call(func: unknown, args: unknown[], sig: FuncSig): unknown[];
  /** The index in the module's function space of a function reference. */
  funcIndex(func: unknown): number;
  tableLength(table: unknown): number;
  tableGet(table: unknown, index: number): unknown;
  tableSet(table: unknown, index: number, value: unknown): void;
  isTable(value: unknown): boolean;
  memoryBytes(memory: unknown): Uint8Array;
  globalValue(global: unknown): unknown;
  /** `trap KIND`, `host` (a JS exception), `exception` (a Wasm one), `stack`, `fuel`, `compile error` or `link error`. */
  classify(error: unknown): string;
  /** What fuzz_shell's `throw` import throws: a Wasm exception of `wasmtag` (payload 0) for 0, else a JS error. */
  thrown(which: number): unknown;
  /** Wasm instructions executed since instantiation began, for runs that count them. */
  instructionsExecuted?: () => number;
}

type HostFn = (args: unknown[]) => unknown;

/** The one externref value the host hands out (the `__fuzz_import` global, some arguments). */
const EXTERN_MARKER = Object.freeze({ fuzz: 'externref' });

/** Trap kinds as purewasm reports them. */
const PUREWASM_TRAPS: Partial<Record<TrapCode, string>> = {
  unreachable: 'unreachable',
  memoryOutOfBounds: 'memory',
  tableOutOfBounds: 'table',
  indirectCallToNull: 'null',
  badSignature: 'signature',
  integerOverflow: 'overflow',
  integerDivideByZero: 'div0',
  invalidConversionToInteger: 'conversion',
};
/** V8's trap messages in the same terms; where V8 merges two kinds, compare.ts accepts either. */
const V8_TRAPS: Record<string, string> = {
  'unreachable': 'unreachable',
  'memory access out of bounds': 'memory',
  'data segment out of bounds': 'memory',
  'table index is out of bounds': 'table',
  'element segment out of bounds': 'table',
  'null function or function signature mismatch': 'null-or-signature',
  'divide by zero': 'div0',
  'remainder by zero': 'div0',
  'divide result unrepresentable': 'overflow',
  'float unrepresentable in integer range': 'float-to-int',
};

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack size/i.test(error.message);
}

/** Text of a value of a known type that both engines must agree on. NaN payloads do not survive JS numbers. */
function show(value: unknown, type: FuzzValType, adapter: Adapter): string {
  switch (type) {
    case 'i32':
      return String((value as number) | 0);
    case 'i64':
      return String(BigInt.asIntN(64, value as bigint));
    case 'f32':
    case 'f64': {
      const n = value as number;
      if (Number.isNaN(n)) return 'nan';
      return Object.is(n, -0) ? '-0' : String(n);
    }
    case 'v128':
      // The JS API gives no v128 value (a TypeError), so V8's side has nothing to show: only memories carry them out.
      return 'v128';
    case 'funcref':
      return value === null ? 'null' : `func${adapter.funcIndex(value)}`;
    case 'externref':
      return value === null ? 'null' : value === EXTERN_MARKER ? 'marker' : `extern:${typeof value}`;
    case 'exnref':
      return value === null ? 'null' : 'exn';
  }
}

function showAll(values: readonly unknown[], types: readonly FuzzValType[], adapter: Adapter): string {
  return types.map((type, i) => show(values[i], type, adapter)).join(', ');
}

const F32_VALUES = [0, -0, 1, -1.5, 0.5, 1e-45, 3.4028234663852886e38, Infinity, -Infinity, 2147483648, -2147483904, 4294967296];
const F64_VALUES = [0, -0, 1, -1.5, 0.5, 5e-324, 1.7976931348623157e308, Infinity, -Infinity, 2147483648, -9223372036854775808, 1e20];
const I32_VALUES = [0, 1, -1, 2, 42, 0x7fffffff, -0x80000000, 0xffff, 0x10000, 1024, -100];
const I64_VALUES = [0n, 1n, -1n, 2n, 42n, (1n << 63n) - 1n, -(1n << 63n), 0xffffffffn, 0x100000000n, -100n];

/** Deterministic arguments for a top-level call: picked from edge values by the export's name. No NaNs (their bits do not cross JS). */
export function argumentsFor(name: string, params: readonly FuzzValType[]): unknown[] {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  const random = seededRandom(hash);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return params.map((type) => {
    const fresh = random() < 0.25;
    switch (type) {
      case 'i32':
        return fresh ? Math.floor(random() * 2 ** 32) | 0 : pick(I32_VALUES);
      case 'i64':
        return fresh ? BigInt.asIntN(64, BigInt(Math.floor(random() * 2 ** 53)) * 4099n) : pick(I64_VALUES);
      case 'f32':
        return fresh ? Math.fround((random() - 0.5) * 2 ** Math.floor(random() * 80 - 40)) : Math.fround(pick(F32_VALUES));
      case 'f64':
        return fresh ? (random() - 0.5) * 2 ** Math.floor(random() * 200 - 100) : pick(F64_VALUES);
      case 'funcref':
        return null;
      case 'externref':
        return fresh ? null : EXTERN_MARKER;
      case 'exnref':
        return null;
      case 'v128':
        throw new Error('v128 arguments cannot cross the JS API: such exports are not called');
    }
  });
}

/** Whether a signature has a v128, which the JS API turns into a TypeError at the call (mimicked on purewasm). */
function crossesV128(sig: FuncSig): boolean {
  return sig.params.includes('v128') || sig.results.includes('v128');
}

function v128TypeError(): TypeError {
  return new TypeError('v128 values cannot pass between JS and WebAssembly');
}

function zeroArguments(params: readonly FuzzValType[]): unknown[] {
  return params.map((type) => (type === 'i64' ? 0n : type === 'funcref' || type === 'externref' || type === 'exnref' ? null : 0));
}

/** Runs `bytes` (described by `info`) on the engine behind `adapter`. */
function observe(adapter: Adapter, bytes: Uint8Array, info: ModuleInfo): Observation {
  const events: string[] = [];
  const exportList = info.exports;
  const signatureOf = (func: unknown): FuncSig => {
    const sig = info.funcs[adapter.funcIndex(func)];
    if (sig === undefined) throw new Error('function reference outside the module');
    return sig;
  };
  const callByIndex = (index: number): void => {
    const entry = exportList[index];
    const value = entry === undefined ? undefined : adapter.getExport(entry.name);
    if (!adapter.isFunc(value)) throw new TypeError(`export ${index} is not a function`);
    if (crossesV128(signatureOf(value))) throw v128TypeError();
    adapter.call(value, zeroArguments(signatureOf(value).params), signatureOf(value));
  };
  const callRef = (ref: unknown): void => {
    if (ref === null) throw new TypeError('call-ref of null');
    if (crossesV128(signatureOf(ref))) throw v128TypeError();
    adapter.call(ref, zeroArguments(signatureOf(ref).params), signatureOf(ref));
  };
  const catching = (thunk: () => void): number => {
    try {
      thunk();
      return 0;
    } catch (error) {
      const outcome = adapter.classify(error);
      if (outcome === 'host' || outcome === 'exception') return 1;
      throw error;
    }
  };
  const table = (): unknown => {
    const value = adapter.getExport('table');
    if (!adapter.isTable(value)) throw new TypeError('no exported table');
    return value;
  };
  const behaviour: Record<string, HostFn> = {
    'log-i32': () => undefined,
    'log-i64': () => undefined,
    'log-f32': () => undefined,
    'log-f64': () => undefined,
    'table-get': ([index]) => adapter.tableGet(table(), (index as number) >>> 0),
    'table-set': ([index, value]) => adapter.tableSet(table(), (index as number) >>> 0, value),
    'call-export': ([index]) => callByIndex(index as number),
    'call-export-catch': ([index]) => catching(() => callByIndex(index as number)),
    'call-ref': ([ref]) => callRef(ref),
    'call-ref-catch': ([ref]) => catching(() => callRef(ref)),
    'sleep': ([, id]) => id,
    'throw': ([which]) => {
      throw adapter.thrown(which as number);
    },
  };
  const host = new Map<string, HostFn>();
  for (const imported of info.imports) {
    if (imported.kind !== 'func') continue;
    const sig = imported.sig!;
    const name = imported.module === 'fuzzing-support' ? behaviour[imported.name] : undefined;
    host.set(`${imported.module}.${imported.name}`, (args) => {
      // V8 throws before calling the JS function; purewasm's core API would pass the v128 on.
      if (crossesV128(sig)) throw v128TypeError();
      events.push(`import ${imported.name}(${showAll(args, sig.params, adapter)})`);
      if (name === undefined) throw new TypeError(`no host function ${imported.module}.${imported.name}`);
      return name(args);
    });
  }

  const counted = adapter.instructionsExecuted;
  const observation: Observation = { events, state: null, exportsCalled: 0, stoppedAt: null, instructions: counted ? [] : null };
  try {
    adapter.instantiate(bytes, info, host);
  } catch (error) {
    events.push(`instantiate: ${adapter.classify(error)}`);
    return observation;
  }
  observation.instructions?.push(counted!());
  for (const entry of exportList) {
    if (entry.kind !== 'func') continue;
    const func = adapter.getExport(entry.name);
    const sig = signatureOf(func);
    if (crossesV128(sig)) {
      events.push(`call ${entry.name}: v128 in its type, not callable from JS`);
      continue;
    }
    const args = argumentsFor(entry.name, sig.params);
    events.push(`call ${entry.name}(${showAll(args, sig.params, adapter)})`);
    observation.exportsCalled++;
    try {
      const results = adapter.call(func, args, sig);
      events.push(`-> ${showAll(results, sig.results, adapter)}`);
    } catch (error) {
      const outcome = adapter.classify(error);
      events.push(`-> ${outcome}`);
      // Fuel and stack depth are per-engine limits: what happened before the stop differs legitimately.
      if (outcome === 'fuel' || outcome === 'stack') {
        observation.stoppedAt = entry.name;
        return observation;
      }
    }
    observation.instructions?.push(counted!());
  }

  const memories = new Map<string, Uint8Array>();
  const values = new Map<string, string>();
  for (const entry of exportList) {
    const value = adapter.getExport(entry.name);
    if (entry.kind === 'memory') memories.set(entry.name, adapter.memoryBytes(value).slice());
    else if (entry.kind === 'global') {
      const type = info.globals[entry.index]!.type;
      // V8's Global.value of a v128 is a TypeError; show() has nothing to print for one anyway.
      values.set(entry.name, type === 'v128' ? 'v128' : show(adapter.globalValue(value), type, adapter));
    }
    else if (entry.kind === 'table') {
      const length = adapter.tableLength(value);
      const items = Array.from({ length }, (_, i) => show(adapter.tableGet(value, i), 'funcref', adapter));
      values.set(entry.name, `[${items.join(' ')}]`);
    }
  }
  observation.state = { memories, values };
  return observation;
}

// ------------------------------------------------------------------ V8

/**
 * Runs the module on the host's native WebAssembly; with `countInstructions`, a
 * copy that counts its executed instructions (withInstructionCounter).
 */
// Node 20's WebAssembly has Tag and Exception, but no types for them nor JSTag.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const V8Api = WebAssembly as any;
const V8Exception = V8Api.Exception as new (tag: unknown, payload: unknown[]) => Error;
const v8WasmTag: unknown = new V8Api.Tag({ parameters: ['i32'] });
const v8JsTag = (): unknown => {
  if (V8Api.JSTag === undefined) throw new WebAssembly.LinkError('no WebAssembly.JSTag');
  return V8Api.JSTag;
};

export function observeV8(bytes: Uint8Array, info: ModuleInfo, countInstructions = false): Observation {
  let exports: Record<string, unknown> | undefined;
  const code = countInstructions ? withInstructionCounter(bytes) : bytes;
  const adapter: Adapter = {
    instantiate(code, moduleInfo, host) {
      const imports: Record<string, Record<string, unknown>> = {};
      for (const imported of moduleInfo.imports) {
        const namespace = (imports[imported.module] ??= {});
        if (imported.kind === 'func') {
          const fn = host.get(`${imported.module}.${imported.name}`)!;
          namespace[imported.name] = (...args: unknown[]) => fn(args);
        } else if (imported.kind === 'global') {
          namespace[imported.name] = importedGlobalValue(imported.global!);
        } else if (imported.kind === 'tag') {
          namespace[imported.name] = imported.name === 'jstag' ? v8JsTag() : v8WasmTag;
        }
      }
      const instance = new WebAssembly.Instance(new WebAssembly.Module(code as Uint8Array<ArrayBuffer>), imports as WebAssembly.Imports);
      exports = instance.exports as Record<string, unknown>;
    },
    getExport: (name) => exports?.[name],
    isFunc: (value) => typeof value === 'function',
    call(func, args, sig) {
      const result = (func as (...a: unknown[]) => unknown)(...args);
      if (sig.results.length === 0) return [];
      return sig.results.length === 1 ? [result] : (result as unknown[]);
    },
    funcIndex: (func) => Number((func as { name: string }).name),
    isTable: (value) => value instanceof WebAssembly.Table,
    tableLength: (table) => (table as WebAssembly.Table).length,
    tableGet: (table, index) => (table as WebAssembly.Table).get(index),
    tableSet: (table, index, value) => (table as WebAssembly.Table).set(index, value),
    memoryBytes: (memory) => new Uint8Array((memory as WebAssembly.Memory).buffer),
    globalValue: (global) => (global as WebAssembly.Global).value,
    thrown: (which) => (which === 0 ? new V8Exception(v8WasmTag, [0]) : new Error('fuzz throw')),
    classify(error) {
      if (error instanceof V8Exception) return 'exception';
      if (error instanceof WebAssembly.RuntimeError) return `trap ${V8_TRAPS[error.message] ?? `v8:${error.message}`}`;
      if (isStackOverflow(error)) return 'stack';
      if (error instanceof WebAssembly.CompileError) return `compile error`;
      if (error instanceof WebAssembly.LinkError) return `link error`;
      return 'host';
    },
  };
  if (countInstructions) adapter.instructionsExecuted = () => Number((exports![INSTRUCTION_COUNTER] as WebAssembly.Global).value);
  return observe(adapter, code, info);
}

function importedGlobalValue(type: FuzzValType): unknown {
  if (type === 'externref') return EXTERN_MARKER;
  if (type === 'funcref' || type === 'exnref') return null;
  return type === 'i64' ? 0n : 0;
}

// ------------------------------------------------------------------ purewasm

/** Every instruction costs 1 (the defaults), memory.grow its per-page rate, bulk ops nothing per byte or element. */
const COUNTED_FUEL_COSTS = { bytesPerFuel: Number.MAX_SAFE_INTEGER, elementsPerFuel: Number.MAX_SAFE_INTEGER, fuelPerPage: GROW_FUEL_PER_PAGE };

/** Fuel for each top-level export call; the modules' hang limit keeps real runs far below it. */
export const FUEL_PER_CALL = 50_000_000;

/**
 * How purewasm runs the module. `metered`: fuel on, one budget per export
 * call. `unmetered`: the engine without fuel (other lowering, no Fuel ops).
 * `sliced`: each export call through callResumable with `slice` fuel at a
 * time, resumed until done: every stop point, the op-by-op fuel fallback and
 * resumption must not change what the program does.
 */
export type PurewasmMode = { kind: 'metered' } | { kind: 'unmetered' } | { kind: 'sliced'; slice: number };

/** The two ways purewasm runs Wasm functions; every mode runs on both. */
export const TIERS = ['interpreter', 'compiled'] as const;
export type PurewasmTier = (typeof TIERS)[number];

/**
 * Runs the module on purewasm in `mode` on `tier`. Metered and sliced runs
 * record the fuel used after instantiation and after each export call.
 */
export function observePurewasm(bytes: Uint8Array, info: ModuleInfo, mode: PurewasmMode = { kind: 'metered' }, tier: PurewasmTier = 'compiled'): Observation {
  // Metered runs charge nothing per byte or element, so the fuel they use is what V8 counts
  // (withInstructionCounter); sliced runs keep the default costs and all their extras.
  const fuelCosts = mode.kind === 'metered' ? COUNTED_FUEL_COSTS : undefined;
  const engine = new Engine({ consumeFuel: mode.kind !== 'unmetered', fuelCosts, tier });
  const store = new Store(engine);
  let instance: ReturnType<Linker['instantiate']> | undefined;
  const importIndex = new Map<Func, number>();
  const wasmTag = new Tag(store, { params: ['i32'] });
  let depth = 0;
  let instantiating = false;
  /** Fuel used under budgets already replaced, and the current budget. */
  let fuelUsedBefore = 0;
  let budget = 0;
  const refuel = (amount: number): void => {
    if (mode.kind === 'unmetered') return;
    fuelUsedBefore += budget - store.getFuel();
    budget = amount;
    store.setFuel(amount);
  };
  /**
   * A top-level call in sliced mode; stops as out of fuel once FUEL_PER_CALL is spent. A stop
   * that used none of its budget is a single charge larger than the budget (a bulk op's
   * per-byte part, memory.grow's per-page part): as any host must, grant more (twice as much
   * each time) until it fits, then go back to `slice`.
   */
  const callSliced = (func: Func, args: unknown[], slice: number): unknown[] => {
    let grant = slice;
    refuel(grant);
    let state = func.callResumable(store, args);
    for (let spent = grant; !state.done; spent += grant) {
      if (state.reason !== 'outOfFuel' || spent >= FUEL_PER_CALL) {
        state.cancel();
        throw new RuntimeError('outOfFuel', `stopped after ${spent} fuel (${state.reason})`);
      }
      grant = store.getFuel() === budget ? 2 * grant : slice;
      refuel(grant);
      state = state.resume();
    }
    return state.results;
  };
  const adapter: Adapter = {
    instantiate(code, moduleInfo, host) {
      const module = new Module(engine, code);
      const linker = new Linker(engine);
      let funcIndex = 0;
      for (const imported of moduleInfo.imports) {
        if (imported.kind === 'func') {
          const fn = host.get(`${imported.module}.${imported.name}`)!;
          const func = Func.wrap(store, imported.sig as FuncTypeDesc, (_caller, ...args: unknown[]) => fn(args));
          importIndex.set(func, funcIndex++);
          linker.define(imported.module, imported.name, func);
        } else if (imported.kind === 'global') {
          // As on V8: the JS API has no v128 value to give such an import.
          if (imported.global === 'v128') throw new LinkError(`imported v128 global ${imported.name}`);
          const global = new Global(store, { value: imported.global!, mutable: false }, importedGlobalValue(imported.global!));
          linker.define(imported.module, imported.name, global);
        } else if (imported.kind === 'tag') {
          // fuzz_shell's jstag is WebAssembly.JSTag; the core API has none, so it is a tag of its own type.
          linker.define(imported.module, imported.name, imported.name === 'jstag' ? new Tag(store, { params: ['externref'] }) : wasmTag);
        }
      }
      refuel(FUEL_PER_CALL);
      // The start function is a call that cannot be resumed: exports it calls through an
      // import share its budget, as nested calls do in metered mode, instead of being sliced.
      depth++;
      instantiating = true;
      try {
        instance = linker.instantiate(store, module);
      } finally {
        depth--;
        instantiating = false;
      }
    },
    getExport: (name) => instance?.getExport(store, name),
    isFunc: (value) => value instanceof Func,
    call(func, args) {
      if (depth === 0 && mode.kind === 'sliced') {
        depth++;
        try {
          return callSliced(func as Func, args, mode.slice);
        } finally {
          depth--;
        }
      }
      // Top-level calls get a fresh budget; calls made by host functions share their caller's,
      // except under a sliced export call, whose small slices are meant for the outer call only.
      const nestedInSlice = depth > 0 && mode.kind === 'sliced' && !instantiating;
      if (depth === 0 || nestedInSlice) refuel(FUEL_PER_CALL);
      depth++;
      try {
        return (func as Func).call(store, args);
      } finally {
        depth--;
        if (nestedInSlice) refuel(mode.slice);
      }
    },
    funcIndex(func) {
      const f = func as Func;
      return f.index >= 0 ? f.index : importIndex.get(f) ?? -1;
    },
    isTable: (value) => value instanceof Table,
    tableLength: (table) => (table as Table).size(),
    tableGet: (table, index) => (table as Table).get(index),
    tableSet: (table, index, value) => (table as Table).set(index, value),
    memoryBytes: (memory) => (memory as Memory).data(),
    globalValue: (global) => (global as Global).get(),
    thrown: (which) => (which === 0 ? new WasmException(wasmTag, [0]) : new Error('fuzz throw')),
    classify(error) {
      if (error instanceof WasmException) return 'exception';
      if (error instanceof RuntimeError) {
        if (error.trap === 'host') return 'host';
        if (error.trap === 'callStackExhausted') return 'stack';
        if (error.trap === 'outOfFuel') return 'fuel';
        return `trap ${PUREWASM_TRAPS[error.trap] ?? error.trap}`;
      }
      if (isStackOverflow(error)) return 'stack';
      if (error instanceof CompileError) return 'compile error';
      if (error instanceof LinkError) return 'link error';
      // A JS exception thrown by the harness's host code before reaching Wasm, as on V8.
      return 'host';
    },
  };
  if (mode.kind !== 'unmetered') adapter.instructionsExecuted = () => fuelUsedBefore + budget - store.getFuel();
  return observe(adapter, bytes, info);
}
