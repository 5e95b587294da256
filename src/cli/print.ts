/** `purewasm print FILE [--output OUT]`: a binary module as text (the text format reads it back to the same module). */

import { readFileSync, writeFileSync } from 'node:fs';
import { CompileError, printModule } from '../index.js';
import { moduleBinary } from '../text/index.js';
import { CliError, ExitCode, UsageError } from './failure.js';
import { parseCommandLine } from './options.js';

export interface PrintOptions {
  file: string;
  output: string | undefined;
}

/** Parses `print`'s arguments; undefined when help was asked for. */
export function parsePrintOptions(argv: readonly string[]): PrintOptions | undefined {
  const { options, positionals, help } = parseCommandLine(argv, { output: { takesValue: true } });
  if (help) return undefined;
  if (positionals.length !== 1) throw new UsageError(`print needs exactly one FILE, got ${positionals.length}`);
  return { file: positionals[0]!, output: options.get('output')?.[0] };
}

export function printCommand(options: PrintOptions): number {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(options.file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliError(`cannot read ${options.file}: ${reason}`);
  }
  let text: string;
  try {
    // A text module is printed in the canonical form too.
    text = printModule(moduleBinary(bytes));
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    throw new CliError(`${options.file}: ${error.message}`);
  }
  if (options.output === undefined) process.stdout.write(text);
  else writeFileSync(options.output, text);
  return ExitCode.ok;
}
