/** Where the scripts are, which ones purewasm claims, and the shape of run results. */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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
}

export interface RunResult {
  total: number;
  passed: number;
  failed: number;
  files: FileResult[];
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The spec testsuite root: $WASM_TESTSUITE, else ../shared/spec-testsuite next to the repository. */
export function testsuiteRoot(): string {
  return resolve(process.env['WASM_TESTSUITE'] ?? join(REPO_ROOT, '../shared/spec-testsuite'));
}

/** The folders purewasm claims in full: all of WebAssembly 2.0 (SIMD included) and 3.0's SIMD and relaxed SIMD. */
const CLAIMED_FOLDERS = ['wasm-2.0', 'wasm-2.0/simd', 'wasm-3.0/simd', 'wasm-3.0/relaxed-simd'];

/** The scripts of the claimed folders (each folder's own .wast files, not its subfolders). */
export function claimedSuiteFiles(): string[] {
  return CLAIMED_FOLDERS.flatMap((relative) => {
    const folder = join(testsuiteRoot(), relative);
    return readdirSync(folder)
      .filter((name) => name.endsWith('.wast'))
      .sort()
      .map((name) => join(folder, name));
  });
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
  };
}

