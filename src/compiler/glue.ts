/**
 * Adapters between the interpreter's register-file convention and the
 * compiled calling convention (runtime.ts), generated per signature so that
 * values move as JS parameters and typed-array words: a JS array of doubles
 * (rest parameters, `apply`) may canonicalise a NaN and lose its payload.
 * Sources are built from the signature's type codes only.
 */

import { ValType } from '../decoder/module.js';
import type { FunctionInstance } from '../interpreter/function.js';
import type { Machine } from '../interpreter/machine.js';

interface Signature {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/**
 * Calls `func.jit` with the arguments in slots base.., then puts a single result in slot base (several are
 * there already). base and depth are real; the generated function gets them shifted by S.fs and S.ds.
 */
export type EntryGlue = (func: FunctionInstance, m: Machine, S: GlueState, base: number, depth: number, fuel: number, cd: number) => void;

/** What glue reads of CompiledState (runtime.ts): a result's words after the first (S.hi; a v128's S.h2, S.h3) and the shifts. */
interface GlueState {
  hi: number;
  h2: number;
  h3: number;
  fs: number;
  ds: number;
}

/**
 * Makes a function of the compiled convention that writes its arguments to slots fp.., calls `run(fp, depth,
 * fuel, cd)` with the real fp and depth (it runs the function some other way, leaving results in slots fp..),
 * and returns the results in the compiled convention.
 */
export type ExitGlue = (run: (fp: number, depth: number, fuel: number, cd: number) => void, m: Machine, S: GlueState) =>
  (fp: number, depth: number, fuel: number, cd: number, ...params: unknown[]) => unknown;

function isWord(type: ValType): boolean {
  return type === ValType.I32 || type === ValType.F32;
}

/** JS parameter names for a signature's params, with each one's slot write. */
function parameters(params: readonly ValType[]): { names: string[]; writes: string[]; reads: string[] } {
  const names: string[] = [];
  const writes: string[] = [];
  const reads: string[] = [];
  params.forEach((type, i) => {
    const slot = `(base + ${i})`;
    if (isWord(type)) {
      names.push(`p${i}`);
      writes.push(`w[${slot} << 1] = p${i};`);
      reads.push(`w[${slot} << 1]`);
    } else if (type === ValType.I64) {
      names.push(`p${i}`, `q${i}`);
      writes.push(`w[${slot} << 1] = p${i}; w[(${slot} << 1) + 1] = q${i};`);
      reads.push(`w[${slot} << 1]`, `w[(${slot} << 1) + 1]`);
    } else if (type === ValType.F64) {
      names.push(`p${i}`);
      writes.push(`m.f64[${slot}] = p${i};`);
      reads.push(`m.f64[${slot}]`);
    } else if (type === ValType.V128) {
      // Four words, in the v128 register file (read after any growth of it: m.v128.i32 is replaced then).
      const words = [`p${i}`, `q${i}`, `y${i}`, `z${i}`];
      names.push(...words);
      writes.push(words.map((word, k) => `m.v128.i32[(${slot} << 2) + ${k}] = ${word};`).join(' '));
      for (let k = 0; k < 4; k++) reads.push(`m.v128.i32[(${slot} << 2) + ${k}]`);
    } else {
      names.push(`p${i}`);
      writes.push(`m.refs[${slot}] = p${i};`);
      reads.push(`m.refs[${slot}]`);
    }
  });
  return { names, writes, reads };
}

const entries = new Map<string, EntryGlue>();
const exits = new Map<string, ExitGlue>();

function key(type: Signature, metered: boolean): string {
  return `${type.params.join(',')}:${type.results.join(',')}:${metered ? 'm' : ''}`;
}

/** The leading parameters of the compiled convention: fuel only where the engine meters it. */
function leading(metered: boolean): string {
  return metered ? 'fuel, cd' : 'cd';
}

export function entryGlue(type: Signature, metered: boolean): EntryGlue {
  const k = key(type, metered);
  let glue = entries.get(k);
  if (glue === undefined) {
    const { reads } = parameters(type.params);
    const lines = ['const w = m.w;', `const res = func.jit(base + S.fs, depth + S.ds, ${leading(metered)}${reads.map((r) => ', ' + r).join('')});`];
    if (type.results.length === 1) {
      const result = type.results[0]!;
      lines.push('const v = m.w;');
      if (isWord(result)) lines.push('v[base << 1] = res;');
      else if (result === ValType.I64) lines.push('v[base << 1] = res; v[(base << 1) + 1] = S.hi;');
      else if (result === ValType.F64) lines.push('m.f64[base] = res;');
      else if (result === ValType.V128) lines.push('const vi = m.v128.i32; vi[base << 2] = res; vi[(base << 2) + 1] = S.hi; vi[(base << 2) + 2] = S.h2; vi[(base << 2) + 3] = S.h3;');
      else lines.push('m.refs[base] = res;');
    }
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    glue = new Function('func', 'm', 'S', 'base', 'depth', 'fuel', 'cd', lines.join('\n')) as EntryGlue;
    entries.set(k, glue);
  }
  return glue;
}

export function exitGlue(type: Signature, metered: boolean): ExitGlue {
  const k = key(type, metered);
  let glue = exits.get(k);
  if (glue === undefined) {
    const { names, writes } = parameters(type.params);
    const lines = [
      `return function (shiftedBase, shiftedDepth, ${leading(metered)}${names.map((n) => ', ' + n).join('')}) {`,
      'const base = shiftedBase - S.fs;',
      `m.ensureSlots(base + ${Math.max(type.params.length, type.results.length)});`,
      'const w = m.w;',
      ...writes,
      `run(base, shiftedDepth - S.ds, ${metered ? 'fuel' : '0'}, cd);`,
    ];
    if (type.results.length === 1) {
      const result = type.results[0]!;
      lines.push('const v = m.w;');
      if (isWord(result)) lines.push('return v[base << 1];');
      else if (result === ValType.I64) lines.push('S.hi = v[(base << 1) + 1]; return v[base << 1];');
      else if (result === ValType.F64) lines.push('return m.f64[base];');
      else if (result === ValType.V128) lines.push('const vi = m.v128.i32; S.hi = vi[(base << 2) + 1]; S.h2 = vi[(base << 2) + 2]; S.h3 = vi[(base << 2) + 3]; return vi[base << 2];');
      else lines.push('return m.refs[base];');
    }
    lines.push('};');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    glue = new Function('run', 'm', 'S', lines.join('\n')) as ExitGlue;
    exits.set(k, glue);
  }
  return glue;
}

/** A function's entry before it is compiled: `tierUp(func)` makes its real entry, which is then called with the same arguments. */
export type StubGlue = (tierUp: (func: FunctionInstance) => (...args: unknown[]) => unknown) => (this: FunctionInstance, ...args: unknown[]) => unknown;

const stubs = new Map<string, (this: FunctionInstance, ...args: unknown[]) => unknown>();

export function stubFor(type: Signature, metered: boolean, tierUp: (func: FunctionInstance) => (...args: unknown[]) => unknown): (this: FunctionInstance, ...args: unknown[]) => unknown {
  const k = key(type, metered);
  let stub = stubs.get(k);
  if (stub === undefined) {
    const { names } = parameters(type.params);
    const list = ['fp', 'depth', leading(metered), ...names].join(', ');
    const source = `return function (${list}) { return tierUp(this)(${list}); };`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    stub = (new Function('tierUp', source) as StubGlue)(tierUp);
    stubs.set(k, stub);
  }
  return stub;
}

/**
 * Calls `callee.jitTail` (a function's generated body, not its tail-call driver; set, as the caller prepared it) with
 * the arguments a tail call left in slots fp.. (fp and depth shifted, as the caller's), and returns its result in the
 * compiled convention (tail-calls.ts).
 */
export type TailGlue = (m: Machine, S: GlueState, callee: FunctionInstance, fp: number, depth: number, fuel: number, cd: number) => unknown;

const tails = new Map<string, TailGlue>();

export function tailGlue(type: Signature, metered: boolean): TailGlue {
  const k = key(type, metered);
  let glue = tails.get(k);
  if (glue === undefined) {
    const { reads } = parameters(type.params);
    const lines = [
      'const base = fp - S.fs, w = m.w;',
      `return callee.jitTail(fp, depth, ${leading(metered)}${reads.map((r) => ', ' + r).join('')});`,
    ];
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    glue = new Function('m', 'S', 'callee', 'fp', 'depth', 'fuel', 'cd', lines.join('\n')) as TailGlue;
    tails.set(k, glue);
  }
  return glue;
}
