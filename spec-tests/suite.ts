/** Where the scripts are, which ones purewasm claims, and the shape of run results. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Failure {
  line: number;
  /** The command's source text. */
  command: string;
  expected: string;
  actual: string;
  /** False for a module, register or action command outside an assertion: reported, not counted. */
  assertion: boolean;
}

export interface FileResult {
  file: string;
  total: number;
  passed: number;
  failed: number;
  failures: Failure[];
  /** On the compiled tier: function bodies it compiled, and those it left to the interpreter by reason. */
  tiers?: TierCounts;
}

export interface TierCounts {
  compiled: number;
  interpreted: number;
  reasons: Record<string, number>;
}

export interface RunResult {
  total: number;
  passed: number;
  failed: number;
  files: FileResult[];
  tiers: TierCounts;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm test` fetches the testsuite when it is nowhere else (ignored by git). */
export function fetchedTestsuiteRoot(): string {
  return join(REPO_ROOT, 'spec-tests/.testsuite');
}

/**
 * The spec testsuite root: the first that exists of $WASM_TESTSUITE,
 * ../shared/spec-testsuite next to the repository, and the fetched copy;
 * the first of them when none does.
 */
export function testsuiteRoot(): string {
  const env = process.env['WASM_TESTSUITE'];
  const candidates = [...(env ? [resolve(env)] : []), resolve(REPO_ROOT, '../shared/spec-testsuite'), fetchedTestsuiteRoot()];
  return candidates.find((path) => existsSync(join(path, 'wasm-2.0'))) ?? candidates[0]!;
}

/**
 * Top-level wasm-3.0 scripts not claimed yet, with what they need: typed
 * function references and GC (other issues), exception handling, script
 * commands the runner lacks.
 */
export const UNCLAIMED_WASM_3_0: Readonly<Record<string, string>> = {
  'align.wast': 'the text parser reads align=N as a u32 (2^63 is a text error; 3.0 makes it a validation error)',
  'br_if.wast': 'typed function references',
  'br_on_non_null.wast': 'typed function references',
  'br_on_null.wast': 'typed function references',
  'br_table.wast': 'typed function references',
  'call_ref.wast': 'typed function references',
  'elem.wast': 'typed function references',
  'global.wast': 'typed function references',
  'instance.wast': 'table initializer expressions (typed function references)',
  'linking.wast': 'typed function references',
  'local_init.wast': 'typed function references',
  'local_tee.wast': 'typed function references',
  'ref.wast': 'typed function references and GC',
  'ref_as_non_null.wast': 'typed function references',
  'ref_is_null.wast': 'typed function references',
  'ref_null.wast': 'GC',
  'return_call_ref.wast': 'typed function references',
  'select.wast': 'typed function references',
  'table.wast': 'typed function references',
  'type-equivalence.wast': 'GC (recursive types)',
  'type-rec.wast': 'GC (recursive types)',
  'unreached-invalid.wast': 'typed function references',
  'unreached-valid.wast': 'typed function references',
};

/** Folders of wasm-3.0 purewasm claims (searched recursively), in full but the scripts below. */
const CLAIMED_WASM_3_0_FOLDERS = ['bulk-memory', 'memory64', 'multi-memory', 'simd', 'relaxed-simd', 'exceptions', 'legacy'];

/** Scripts in the claimed folders not claimed yet, with what they need (their other assertions pass). */
export const UNCLAIMED_IN_WASM_3_0_FOLDERS: Readonly<Record<string, string>> = {
  'exceptions/tag.wast': 'GC recursive type groups (rec), for the link-time typing of tag imports (3 of 4 assertions pass)',
  'exceptions/try_table.wast': 'typed function references ((ref $t), (ref exn) in tag and block types; 51 of 56 assertions pass)',
};

function wastFilesIn(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.wast'))
    .sort()
    .map((name) => join(folder, name));
}

/**
 * The suites purewasm claims: all of wasm-2.0 (its top-level scripts and its
 * simd folder); of wasm-3.0 the top-level scripts but those above, and the
 * folders above (but the scripts listed with them).
 */
export function claimedSuiteFiles(): string[] {
  const wasm3 = join(testsuiteRoot(), 'wasm-3.0');
  return [
    ...wastFilesIn(join(testsuiteRoot(), 'wasm-2.0')),
    ...wastFilesIn(join(testsuiteRoot(), 'wasm-2.0', 'simd')),
    ...wastFilesIn(wasm3).filter((path) => !(basename(path) in UNCLAIMED_WASM_3_0)),
    ...collectWastFiles(CLAIMED_WASM_3_0_FOLDERS.map((folder) => join(wasm3, folder)))
      .filter((path) => !(relative(wasm3, path).split(sep).join('/') in UNCLAIMED_IN_WASM_3_0_FOLDERS)),
  ];
}

/** .wast files of each path: a file itself, or a folder searched recursively. */
export function collectWastFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (path: string): void => {
    if (!statSync(path).isDirectory()) {
      files.push(path);
      return;
    }
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      if (statSync(child).isDirectory() || name.endsWith('.wast')) visit(child);
    }
  };
  for (const path of paths) visit(path);
  return files;
}

/** A script's name in reports: relative to the testsuite root when inside it (as in COUNTS.md). */
export function displayName(path: string): string {
  const inSuite = relative(testsuiteRoot(), resolve(path));
  return inSuite.startsWith('..') ? relative(process.cwd(), resolve(path)) : inSuite;
}

export function summarize(files: FileResult[]): RunResult {
  return {
    total: files.reduce((n, f) => n + f.total, 0),
    passed: files.reduce((n, f) => n + f.passed, 0),
    failed: files.reduce((n, f) => n + f.failed, 0),
    files,
    tiers: files.reduce((sum: TierCounts, f) => {
      if (f.tiers === undefined) return sum;
      const reasons = { ...sum.reasons };
      for (const [reason, n] of Object.entries(f.tiers.reasons)) reasons[reason] = (reasons[reason] ?? 0) + n;
      return { compiled: sum.compiled + f.tiers.compiled, interpreted: sum.interpreted + f.tiers.interpreted, reasons };
    }, { compiled: 0, interpreted: 0, reasons: {} }),
  };
}

