/**
 * Compares what V8 and purewasm observed for one module, and purewasm's two
 * tiers with each other. The records are compared line by line up to the
 * first difference (later lines follow from it), then the final state. A
 * run that one engine cut short (fuel, stack depth) is compared with V8 up to
 * the call that was cut; the tiers must agree on everything, stops and fuel
 * included.
 */
import { observePurewasm, observeV8, TIERS, type Observation, type PurewasmMode } from './harness.js';
import { readModuleInfo, type ModuleInfo } from './wasm-binary.js';

export type Cause = 'instantiate' | 'result' | 'trap' | 'trap-kind' | 'import-call' | 'event-count' | 'memory' | 'global' | 'table' | 'fuel';

export interface Divergence {
  cause: Cause;
  /** The purewasm run that parted from its reference: tier and mode, as `compiled sliced`. */
  mode: string;
  /** What it was compared with: V8, or the interpreter's run in the same mode (for the compiled tier). */
  reference: 'v8' | 'interpreter';
  /** The export being called when the records parted, if any. */
  export: string | null;
  /** The reference's line and purewasm's. */
  v8: string;
  purewasm: string;
}

export interface ModuleReport {
  divergences: Divergence[];
  exportsCalled: number;
  /** Lines and state items compared. */
  comparisons: number;
  /** `fuel` or `stack` and the export, when a run was cut short; later exports were not compared. */
  stopped: { reason: string; export: string; exportsSkipped: number } | null;
  /** Neither engine could compile or instantiate it (the same way). */
  notInstantiated: boolean;
  v8: Observation;
  /** purewasm's record per run, as `interpreter metered` (unmetered and sliced only when the metered run was not cut short). */
  purewasm: Map<string, Observation>;
}

const FAILURES = /^-> (trap |host$|stack$|fuel$)/;

/**
 * Trap kinds V8 does not tell apart, and the purewasm kinds each stands for.
 * The spec only says that an instruction traps, not how a trap is reported.
 */
const V8_MERGED_TRAPS: Record<string, string[]> = {
  'trap float-to-int': ['trap overflow', 'trap conversion'],
  'trap null-or-signature': ['trap null', 'trap signature'],
};

/** The two records agree on a line: equal, or a merged V8 trap kind against one of its purewasm kinds. */
function sameLine(v8: string, ours: string): boolean {
  if (v8 === ours) return true;
  for (const [merged, kinds] of Object.entries(V8_MERGED_TRAPS)) {
    if (!v8.endsWith(merged)) continue;
    const prefix = v8.slice(0, -merged.length);
    return kinds.some((kind) => ours === prefix + kind);
  }
  return false;
}

function exportBefore(events: readonly string[], index: number): string | null {
  for (let i = index; i >= 0; i--) {
    const match = /^call ([^(]*)\(/.exec(events[i]!);
    if (match) return match[1]!;
  }
  return null;
}

function lineCause(a: string, b: string): Cause {
  if (a.startsWith('instantiate') || b.startsWith('instantiate')) return 'instantiate';
  if (a.startsWith('-> ') && b.startsWith('-> ')) {
    const failedA = FAILURES.test(a);
    const failedB = FAILURES.test(b);
    if (failedA && failedB) return 'trap-kind';
    return failedA || failedB ? 'trap' : 'result';
  }
  return 'import-call';
}

function hex(bytes: Uint8Array, from: number, to: number): string {
  return Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function compareMemory(name: string, v8: Uint8Array, ours: Uint8Array): Omit<Divergence, 'mode' | 'reference'> | null {
  if (v8.length !== ours.length) {
    return { cause: 'memory', export: null, v8: `${name}: ${v8.length} bytes`, purewasm: `${name}: ${ours.length} bytes` };
  }
  let first = 0;
  while (first < v8.length && v8[first] === ours[first]) first++;
  if (first === v8.length) return null;
  const from = Math.max(0, first - 8);
  const to = Math.min(v8.length, first + 8);
  return {
    cause: 'memory',
    export: null,
    v8: `${name}[${from}..${to}): ${hex(v8, from, to)}`,
    purewasm: `${name}[${from}..${to}): ${hex(ours, from, to)}`,
  };
}

export function compareObservations(
  info: ModuleInfo,
  v8: Observation,
  ours: Observation,
  mode: string,
): Omit<ModuleReport, 'v8' | 'purewasm'> {
  const reference = 'v8';
  const divergences: Divergence[] = [];
  let comparisons = 0;

  // Cut both records at the call one engine did not finish.
  let limit = Math.max(v8.events.length, ours.events.length);
  let stopped: ModuleReport['stopped'] = null;
  for (const observation of [ours, v8]) {
    if (observation.stoppedAt === null) continue;
    const line = `call ${observation.stoppedAt}(`;
    const at = observation.events.findIndex((event) => event.startsWith(line));
    if (at < limit) {
      limit = at;
      const reason = observation.events[observation.events.length - 1]!.slice(3);
      const funcs = info.exports.filter((e) => e.kind === 'func').map((e) => e.name);
      stopped = { reason, export: observation.stoppedAt, exportsSkipped: funcs.length - funcs.indexOf(observation.stoppedAt) };
    }
  }

  const compared = Math.min(limit, v8.events.length, ours.events.length);
  let parted = -1;
  for (let i = 0; i < compared; i++) {
    comparisons++;
    if (!sameLine(v8.events[i]!, ours.events[i]!)) {
      parted = i;
      break;
    }
  }
  if (parted >= 0) {
    const a = v8.events[parted]!;
    const b = ours.events[parted]!;
    divergences.push({ cause: lineCause(a, b), mode, reference, export: exportBefore(v8.events, parted), v8: a, purewasm: b });
  } else if (Math.min(limit, v8.events.length) !== Math.min(limit, ours.events.length)) {
    const a = v8.events[compared] ?? '(end)';
    const b = ours.events[compared] ?? '(end)';
    divergences.push({ cause: lineCause(a, b), mode, reference, export: exportBefore(v8.events, compared), v8: a, purewasm: b });
  } else if (stopped === null && v8.state !== null && ours.state !== null) {
    for (const [name, bytes] of v8.state.memories) {
      comparisons++;
      const divergence = compareMemory(name, bytes, ours.state.memories.get(name) ?? new Uint8Array());
      if (divergence) divergences.push({ ...divergence, mode, reference });
    }
    for (const [name, text] of v8.state.values) {
      comparisons++;
      const other = ours.state.values.get(name) ?? '(missing)';
      if (text === other) continue;
      const kind = info.exports.find((e) => e.name === name)?.kind === 'table' ? 'table' : 'global';
      divergences.push({ cause: kind, mode, reference, export: null, v8: `${name} = ${text}`, purewasm: `${name} = ${other}` });
    }
  }
  const notInstantiated = v8.events.length > 0 && v8.events[0]!.startsWith('instantiate') && v8.events[0] === ours.events[0];
  return { divergences, exportsCalled: ours.exportsCalled, comparisons, stopped, notInstantiated };
}

/**
 * Fuel against an independent count: the instructions V8 executed in a copy of
 * the module that counts them, after instantiation and after each export call,
 * against the fuel purewasm's metered run used (every cost 1). Compared as far
 * as both runs went.
 */
export function compareInstructionCounts(
  info: ModuleInfo,
  counted: Observation,
  metered: Observation,
  mode = 'compiled metered',
  reference: Divergence['reference'] = 'v8',
): { divergence: Divergence | null; comparisons: number } {
  const v8 = counted.instructions ?? [];
  const ours = metered.instructions ?? [];
  const funcs = info.exports.filter((e) => e.kind === 'func').map((e) => e.name);
  const comparable = Math.min(v8.length, ours.length);
  for (let i = 0; i < comparable; i++) {
    if (v8[i] === ours[i]) continue;
    // Entry 0 is instantiation (the start function), entry i the i-th export call.
    const at = i === 0 ? null : funcs[i - 1]!;
    const what = at === null ? 'after instantiation' : `after ${at}`;
    const divergence: Divergence = { cause: 'fuel', mode, reference, export: at, v8: `${v8[i]} ${reference === 'v8' ? 'instructions' : 'fuel'} ${what}`, purewasm: `${ours[i]} fuel ${what}` };
    return { divergence, comparisons: i + 1 };
  }
  return { divergence: null, comparisons: comparable };
}

/**
 * The compiled tier's run against the interpreter's in the same mode: the
 * same record line by line to the end (a stop by fuel or stack depth
 * included), the same final state and the same fuel after every call.
 */
export function compareTiers(info: ModuleInfo, interpreter: Observation, compiled: Observation, mode: string): { divergences: Divergence[]; comparisons: number } {
  const divergences: Divergence[] = [];
  const length = Math.max(interpreter.events.length, compiled.events.length);
  let comparisons = 0;
  for (let i = 0; i < length; i++) {
    comparisons++;
    const a = interpreter.events[i] ?? '(end)';
    const b = compiled.events[i] ?? '(end)';
    if (a === b) continue;
    divergences.push({ cause: lineCause(a, b), mode, reference: 'interpreter', export: exportBefore(interpreter.events, i), v8: a, purewasm: b });
    return { divergences, comparisons };
  }
  if (interpreter.state !== null && compiled.state !== null) {
    // compareObservations compares final states the same way; V8's rules for cut runs do not apply here.
    const state = compareObservations(info, interpreter, compiled, mode);
    comparisons += state.comparisons;
    for (const d of state.divergences) divergences.push({ ...d, reference: 'interpreter' });
  }
  if ((interpreter.instructions === null) !== (compiled.instructions === null)) throw new Error('the tiers were run in different modes');
  const fuel = compareInstructionCounts(info, interpreter, compiled, mode, 'interpreter');
  comparisons += fuel.comparisons;
  if (fuel.divergence !== null) divergences.push(fuel.divergence);
  else if (interpreter.instructions !== null && interpreter.instructions.length !== compiled.instructions!.length) {
    divergences.push({ cause: 'fuel', mode, reference: 'interpreter', export: null, v8: `${interpreter.instructions.length} fuel counts`, purewasm: `${compiled.instructions!.length} fuel counts` });
  }
  return { divergences, comparisons };
}

/** Fuel per slice in sliced mode, by module: from one instruction at a time to whole blocks. */
const SLICES = [1, 7, 64, 1000];

/**
 * Runs `bytes` on V8 and, on each tier, on purewasm metered, then, if that
 * run was not cut short (so the module is known to terminate), unmetered and
 * sliced. Compares each purewasm record with V8's, the metered runs' fuel with
 * V8's count of executed instructions, and each compiled-tier run with the
 * interpreter's in the same mode.
 */
export function checkModule(bytes: Uint8Array): ModuleReport {
  const info = readModuleInfo(bytes);
  const v8 = observeV8(bytes, info);
  const counted = observeV8(bytes, info, true);
  const slice = SLICES[bytes.length % SLICES.length]!;
  let report: ModuleReport | undefined;
  const add = (result: { divergences: Divergence[]; comparisons: number }): void => {
    report!.divergences.push(...result.divergences);
    report!.comparisons += result.comparisons;
  };
  for (const tier of TIERS) {
    const metered = observePurewasm(bytes, info, { kind: 'metered' }, tier);
    const meteredResult = compareObservations(info, v8, metered, `${tier} metered`);
    // The report's summary (exports called, where a run stopped) is the first tier's.
    if (report === undefined) report = { ...meteredResult, v8, purewasm: new Map() };
    else add(meteredResult);
    report.purewasm.set(`${tier} metered`, metered);
    const fuel = compareInstructionCounts(info, counted, metered, `${tier} metered`);
    add({ divergences: fuel.divergence === null ? [] : [fuel.divergence], comparisons: fuel.comparisons });
    if (metered.stoppedAt !== null) continue;
    const modes: PurewasmMode[] = [{ kind: 'unmetered' }, { kind: 'sliced', slice }];
    for (const mode of modes) {
      const label = `${tier} ${mode.kind}`;
      const observation = observePurewasm(bytes, info, mode, tier);
      report.purewasm.set(label, observation);
      add(compareObservations(info, v8, observation, label));
    }
  }
  for (const [label, interpreter] of report!.purewasm) {
    if (!label.startsWith('interpreter ')) continue;
    const mode = label.slice('interpreter '.length);
    const compiled = report!.purewasm.get(`compiled ${mode}`);
    if (compiled === undefined) {
      report!.divergences.push({ cause: 'event-count', mode: `compiled ${mode}`, reference: 'interpreter', export: null, v8: 'ran to the end', purewasm: 'stopped early' });
    } else add(compareTiers(info, interpreter, compiled, `compiled ${mode}`));
  }
  return report!;
}

/**
 * For modules V8 cannot run (multi-memory, memory64): purewasm unmetered is
 * the reference, and the metered and sliced runs (other lowering, every stop
 * point and resumption) must do the same. The `v8` fields of the report hold
 * the reference's lines.
 */
export function checkModuleSelf(bytes: Uint8Array): ModuleReport {
  const info = readModuleInfo(bytes);
  const metered = observePurewasm(bytes, info, { kind: 'metered' });
  const reference = observePurewasm(bytes, info, { kind: 'unmetered' });
  const report: ModuleReport = { ...compareObservations(info, reference, metered, 'metered'), v8: reference, purewasm: new Map([['metered', metered]]) };
  if (metered.stoppedAt !== null) return report;
  const mode: PurewasmMode = { kind: 'sliced', slice: SLICES[bytes.length % SLICES.length]! };
  const sliced = observePurewasm(bytes, info, mode);
  const result = compareObservations(info, reference, sliced, mode.kind);
  report.purewasm.set(mode.kind, sliced);
  report.divergences.push(...result.divergences);
  report.comparisons += result.comparisons;
  return report;
}
