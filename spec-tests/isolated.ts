/**
 * Runs scripts in child processes, so an engine bug that hangs or crashes the
 * process costs one file (all its assertions fail) instead of the whole run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { collectWastFiles, displayName, summarize, type FileResult, type RunResult } from './suite.js';
import { countAssertions } from './script.js';
import type { ScriptOptions } from './runner.js';

export interface IsolationOptions {
  /** Per-file limit; a file that runs longer fails as a whole. */
  timeoutMs: number;
  /** Child processes working in parallel. */
  jobs: number;
  script: ScriptOptions;
}

/** The worker next to this file, in the same form (.ts under tsx, .js when compiled). */
const WORKER = fileURLToPath(new URL(`./worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url));

function wholeFileFailed(path: string, file: string, reason: string): FileResult {
  let total = 1;
  try {
    total = Math.max(1, countAssertions(readFileSync(path, 'utf8')));
  } catch {
    // An unreadable script still counts as one failure.
  }
  return {
    file,
    total,
    passed: 0,
    failed: total,
    failures: [{ line: 0, command: path, expected: 'the script to finish', actual: reason, assertion: true }],
  };
}

function runInChild(child: ChildProcess, path: string, file: string, options: IsolationOptions): Promise<FileResult> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    const onMessage = (result: FileResult): void => {
      cleanup();
      resolve(result);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`the runner process died (${signal ?? `exit code ${code}`})`));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', onError);
    child.send({ path, file, options: options.script });
  });
}

export async function runPathsIsolated(paths: string[], options: IsolationOptions): Promise<RunResult> {
  const files = collectWastFiles(paths);
  const results: FileResult[] = [];
  let next = 0;

  const lane = async (): Promise<void> => {
    let child: ChildProcess | undefined;
    while (next < files.length) {
      const index = next++;
      const path = files[index]!;
      const file = displayName(path);
      // The child's stdout goes to stderr: with --json, stdout carries only the report.
      child ??= fork(WORKER, [], { execArgv: process.execArgv, stdio: ['ignore', 2, 2, 'ipc'] });
      try {
        results[index] = await runInChild(child, path, file, options);
      } catch (error) {
        results[index] = wholeFileFailed(path, file, (error as Error).message);
        child.kill('SIGKILL');
        child = undefined;
      }
    }
    child?.kill();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, files.length)) }, lane));
  return summarize(results);
}
