/** `purewasm wast FILE...`: runs WebAssembly spec test scripts with the spec runner. */

import { existsSync } from 'node:fs';
import { CliError, ExitCode, UsageError } from './failure.js';
import { parseCommandLine } from './options.js';

export interface WastOptions {
  paths: string[];
  json: boolean;
}

/** Parses `wast`'s arguments; undefined when help was asked for. */
export function parseWastOptions(argv: readonly string[]): WastOptions | undefined {
  const { options, positionals, help } = parseCommandLine(argv, { json: { takesValue: false } });
  if (help) return undefined;
  if (positionals.length === 0) throw new UsageError('wast needs at least one FILE');
  return { paths: positionals, json: options.has('json') };
}

const MAX_COMMAND_CHARS = 120;

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > MAX_COMMAND_CHARS ? `${line.slice(0, MAX_COMMAND_CHARS)} ...` : line;
}

export async function wastCommand(options: WastOptions): Promise<number> {
  const missing = options.paths.find((path) => !existsSync(path));
  if (missing !== undefined) throw new CliError(`cannot read ${missing}: no such file`);
  const { runPaths } = await import('../../spec-tests/runner.js');
  const result = await runPaths(options.paths);
  for (const file of result.files) {
    for (const failure of file.failures) {
      process.stderr.write(`${file.file}:${failure.line}: ${shorten(failure.command)}\n  expected ${failure.expected}, got ${failure.actual}\n`);
    }
  }
  if (options.json) {
    const files = result.files.map(({ file, total, passed, failed }) => ({ file, total, passed, failed }));
    process.stdout.write(`${JSON.stringify({ total: result.total, passed: result.passed, failed: result.failed, files })}\n`);
  } else {
    for (const file of result.files) process.stdout.write(`${file.file}: ${file.passed} / ${file.total} passed\n`);
    if (result.files.length > 1) process.stdout.write(`total: ${result.passed} / ${result.total} passed\n`);
  }
  return result.failed === 0 && result.files.every((file) => file.failures.length === 0) ? ExitCode.ok : ExitCode.error;
}
