/** `purewasm validate FILE`: decodes and validates a module without running it. */

import { Engine } from '../index.js';
import { CliError, ExitCode, UsageError } from './failure.js';
import { parseCommandLine } from './options.js';
import { loadModule } from './run.js';

export interface ValidateOptions {
  file: string;
  json: boolean;
}

/** Parses `validate`'s arguments; undefined when help was asked for. */
export function parseValidateOptions(argv: readonly string[]): ValidateOptions | undefined {
  const { options, positionals, help } = parseCommandLine(argv, { json: { takesValue: false } });
  if (help) return undefined;
  if (positionals.length !== 1) throw new UsageError(`validate needs exactly one FILE, got ${positionals.length}`);
  return { file: positionals[0]!, json: options.has('json') };
}

export function validateCommand(options: ValidateOptions): number {
  try {
    loadModule(new Engine(), options.file);
  } catch (error) {
    if (!(error instanceof CliError) || !options.json) throw error;
    process.stdout.write(`${JSON.stringify({ valid: false, error: error.message })}\n`);
    return error.exitCode;
  }
  process.stdout.write(options.json ? `${JSON.stringify({ valid: true })}\n` : 'valid\n');
  return ExitCode.ok;
}
