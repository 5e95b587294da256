/**
 * Command-line parsing for the purewasm CLI. Options start with `--` (value as the next
 * word or after `=`) and may appear anywhere before a `--` word; every other word is
 * positional, so negative numbers such as `-5` pass through as arguments.
 */

import { UsageError } from './failure.js';

export interface OptionSpec {
  /** The option takes a value (`--fuel N`); otherwise it is a flag (`--stats`). */
  takesValue: boolean;
  /** It may be given more than once (`--env`, `--dir`). */
  repeatable?: boolean;
}

export interface ParsedCommandLine {
  /** Each given option's values, in order; a flag has one empty string per use. */
  options: Map<string, string[]>;
  positionals: string[];
  help: boolean;
}

export function parseCommandLine(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedCommandLine {
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (word === '-h' || word === '--help') {
      help = true;
      continue;
    }
    if (!word.startsWith('--')) {
      positionals.push(word);
      continue;
    }
    const equals = word.indexOf('=');
    const name = equals < 0 ? word.slice(2) : word.slice(2, equals);
    const spec = specs[name];
    if (spec === undefined) throw new UsageError(`unknown option --${name}`);
    let value = '';
    if (spec.takesValue) {
      if (equals >= 0) value = word.slice(equals + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`--${name} needs a value`);
    } else if (equals >= 0) {
      throw new UsageError(`--${name} takes no value`);
    }
    const values = options.get(name) ?? [];
    if (values.length > 0 && !spec.repeatable) throw new UsageError(`--${name} given more than once`);
    values.push(value);
    options.set(name, values);
  }
  return { options, positionals, help };
}

/** A non-negative safe integer, as for --fuel. */
export function parseCount(text: string, option: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`${option} needs a non-negative integer, got '${text}'`);
  return value;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** A byte count with an optional binary unit: 65536, 64K, 16M, 1G. */
export function parseByteSize(text: string, option: string): number {
  const match = /^(\d+)([kmg]?)i?b?$/i.exec(text);
  const value = match === null ? NaN : Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!;
  if (!Number.isSafeInteger(value)) throw new UsageError(`${option} needs a size in bytes (e.g. 65536, 64K, 16M), got '${text}'`);
  return value;
}

/** A positive number of milliseconds. */
export function parseMilliseconds(text: string, option: string): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(value > 0)) throw new UsageError(`${option} needs a positive number of milliseconds, got '${text}'`);
  return value;
}
