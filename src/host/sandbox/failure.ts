/** Every error the engine raises, as the SandboxError a caller can act on. */

import { LinkError, RuntimeError } from '../../errors.js';
import { PAGE_SIZE } from '../../interpreter/memory.js';
import type { Module } from '../module.js';
import type { SandboxConfig } from './config.js';
import { SandboxError, messageOf } from './errors.js';
import { outOfFuelError } from './fuel.js';

/** What the messages need to know about the execution that failed. */
export interface FailureContext {
  readonly config: SandboxConfig;
  readonly module: Module;
  readonly maxCallDepth: number;
  readonly maxStackSlots: number;
  /** Why the interrupt check stopped the guest (timeout or abort), once it has. */
  readonly interruptReason: string | undefined;
}

/** Why the module cannot even be instantiated within the limits, if it cannot. */
function declaredOverLimit(module: Module, config: SandboxConfig): string | undefined {
  const memories = module.decoded.memories;
  const pages = memories.reduce((sum, { limits }) => sum + limits.min, 0);
  const bytes = pages * PAGE_SIZE;
  if (bytes > config.memoryLimitBytes) {
    const what = memories.length === 1 ? 'a memory' : `${memories.length} memories`;
    return `the module declares ${what} of ${pages} pages (${bytes} bytes), more than the memory limit of ${config.memoryLimitBytes} bytes`;
  }
  for (const { limits } of module.decoded.tables) {
    if (limits.min > config.tableLimit) {
      return `the module declares a table of ${limits.min} elements, more than the table limit of ${config.tableLimit}`;
    }
  }
  return undefined;
}

/** Imports are checked before instantiating (guest-module.ts): a LinkError is a limit or a segment out of bounds. */
function linkFailure(error: LinkError, context: FailureContext): SandboxError {
  const overLimit = declaredOverLimit(context.module, context.config);
  if (overLimit !== undefined) return new SandboxError('OutOfMemory', overLimit, { cause: error });
  return new SandboxError('InstantiationFailed', error.message, { cause: error });
}

function trapFailure(error: RuntimeError, context: FailureContext): SandboxError {
  const { config } = context;
  switch (error.trap) {
    case 'outOfFuel':
      return outOfFuelError(config.fuelLimit);
    case 'interrupted':
      return new SandboxError('Timeout', context.interruptReason ?? error.message, { cause: error });
    case 'resourceLimitExceeded':
      return new SandboxError(
        'OutOfMemory',
        `${error.message}: the guest grew past the memory limit of ${config.memoryLimitBytes} bytes or the table limit of ${config.tableLimit} elements`,
        { cause: error },
      );
    case 'callStackExhausted':
      // A stack limit, not the linear-memory limit: a larger memory limit would not help, so not OutOfMemory.
      return new SandboxError(
        'ExecutionFailed',
        `call stack exhausted: the guest nested calls deeper than ${context.maxCallDepth} frames or ${context.maxStackSlots} register slots (runaway recursion?)`,
        { cause: error },
      );
    case 'uncaughtException':
      // Not a trap: the guest threw a Wasm exception (C++ throw, ...) that nothing caught.
      return new SandboxError('ExecutionFailed', `the guest ended with an ${error.message}`, { cause: error });
    case 'host': {
      const cause = error.cause;
      if (cause instanceof SandboxError) return cause;
      if (cause instanceof RuntimeError) return trapFailure(cause, context);
      return new SandboxError('HostError', error.message, { cause: error });
    }
    default:
      return new SandboxError('ExecutionFailed', `the guest trapped: ${error.message}`, { cause: error });
  }
}

/** Never throws and never returns anything but a SandboxError. */
export function toSandboxError(error: unknown, context: FailureContext): SandboxError {
  if (error instanceof SandboxError) return error;
  if (error instanceof LinkError) return linkFailure(error, context);
  if (error instanceof RuntimeError) return trapFailure(error, context);
  return new SandboxError('ExecutionFailed', `the engine failed: ${messageOf(error)}`, { cause: error });
}
