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
export type EntryGlue = (func: FunctionInstance, m: Machine, S: { hi: number; fs: number; ds: number }, base: number, depth: number, fuel: number, cd: number) => void;

/**
 * Makes a function of the compiled convention that writes its arguments to slots fp.., calls `run(fp, depth,
 * fuel, cd)` with the real fp and depth (it runs the function some other way, leaving results in slots fp..),
 * and returns the results in the compiled convention.
 */
export type ExitGlue = (run: (fp: number, depth: number, fuel: number, cd: number) => void, m: Machine, S: { hi: number; fs: number; ds: number }) =>
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
