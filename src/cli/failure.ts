/** Exit codes and the one-line messages the CLI prints for failures. */

import { LinkError, RuntimeError } from '../errors.js';

/**
 * Exit codes of the CLI itself. A WASI program's own exit code passes through
 * unchanged, so a guest can return any of these too.
 */
export const ExitCode = {
  ok: 0,
  /** A trap, a module that cannot compile or link, an unreadable file. */
  error: 1,
  /** A bad command line: unknown option, bad value, wrong arguments for --invoke. */
  usage: 2,
  outOfFuel: 3,
  timeout: 4,
} as const;

/** The command line is wrong; exit with ExitCode.usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the CLI reports with its own message and exit code. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.error,
  ) {
    super(message);
  }
}

export interface Failure {
  /** One line, without the "error: " prefix. */
  message: string;
  exitCode: number;
  /** The trap code, for traps. */
  trap?: string;
}

/** What the run was limited by, to name the limit that stopped it. */
export interface RunLimits {
  fuel?: number;
  timeoutMs?: number;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

function causeText(error: Error): string {
  const cause = error.cause;
  if (cause === undefined) return '';
  return `: ${oneLine(cause instanceof Error ? cause.message : String(cause))}`;
}

export function describeFailure(error: unknown, limits: RunLimits = {}): Failure {
  if (error instanceof UsageError) return { message: oneLine(error.message), exitCode: ExitCode.usage };
  if (error instanceof CliError) return { message: oneLine(error.message), exitCode: error.exitCode };
  if (error instanceof RuntimeError) {
    const trap = error.trap;
    if (trap === 'outOfFuel') return { message: `out of fuel after ${limits.fuel}`, exitCode: ExitCode.outOfFuel, trap };
    if (trap === 'interrupted') return { message: `timeout after ${limits.timeoutMs} ms`, exitCode: ExitCode.timeout, trap };
    if (trap === 'uncaughtException') return { message: oneLine(error.message), exitCode: ExitCode.error, trap };
    return { message: `trap: ${oneLine(error.message)}${causeText(error)}`, exitCode: ExitCode.error, trap };
  }
  if (error instanceof LinkError) return { message: `link error: ${oneLine(error.message)}`, exitCode: ExitCode.error };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { message: oneLine(message), exitCode: ExitCode.error };
}
