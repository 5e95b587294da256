import { RuntimeError, TRAP_MESSAGES } from '../errors.js';
import type { FunctionInstance } from './function.js';
import type { Machine } from './machine.js';
import { readSlot, writeSlot } from './values.js';

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The RuntimeError for an exception a host function threw: a RuntimeError
 * passes through unchanged, a JS stack overflow (deep host/Wasm re-entrancy)
 * is call-stack exhaustion, anything else is trap 'host' with the thrown value
 * as its cause.
 */
export function hostFailure(error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  if (isStackOverflow(error)) return new RuntimeError('callStackExhausted', TRAP_MESSAGES.callStackExhausted, { cause: error });
  return new RuntimeError('host', `${TRAP_MESSAGES.host}: ${messageOf(error)}`, { cause: error });
}

/** How a host function call went. */
export const enum HostCall {
  Ok,
  /** It threw, or its result did not fit: `m.trapError` says why. */
  Failed,
  /** It returned a Promise in a run that may suspend: `m.suspendedPromise`. */
  Suspended,
}

/**
 * Calls a host function whose arguments are in slots `slot`.., and writes its
 * results there. `top` is the first slot a nested invocation (the host calling
 * back into Wasm) may use.
 */
export function callHost(m: Machine, func: FunctionInstance, slot: number, caller: unknown, top: number): HostCall {
  const params = func.funcType.params;
  const args: unknown[] = [caller];
  for (let i = 0; i < params.length; i++) args.push(readSlot(m, slot + i, params[i]!, false));
  const savedTop = m.top;
  m.top = top;
  const profiler = m.profiler;
  if (profiler !== null) profiler.enter(func.profileName, -1, m.fuelBase - m.fuel);
  let returned: unknown;
  try {
    returned = Reflect.apply(func.host!, undefined, args);
  } catch (error) {
    m.trapError = hostFailure(error);
    return HostCall.Failed;
  } finally {
    m.top = savedTop;
    if (profiler !== null) profiler.exit(m.fuelBase - m.fuel);
  }
  if (returned instanceof Promise && func.suspends) {
    if (m.canSuspend) {
      m.suspendedPromise = returned;
      return HostCall.Suspended;
    }
    // The call fails now; its promise has nobody left to observe a rejection.
    returned.catch(() => undefined);
    m.trapError = new RuntimeError('host', 'host function returned a Promise; use callResumable');
    return HostCall.Failed;
  }
  return deliverResults(m, func, slot, returned);
}

/** Writes what host function `func` returned (or its promise fulfilled with) into slots `slot`... */
export function deliverResults(m: Machine, func: FunctionInstance, slot: number, returned: unknown): HostCall {
  try {
    writeResults(m, func, slot, returned);
  } catch (error) {
    m.trapError = new RuntimeError('host', `${TRAP_MESSAGES.host}: bad result: ${messageOf(error)}`, { cause: error });
    return HostCall.Failed;
  }
  return HostCall.Ok;
}

/** A host function returns undefined (no results), the single result, or an array of results. */
function writeResults(m: Machine, func: FunctionInstance, slot: number, returned: unknown): void {
  const results = func.funcType.results;
  if (results.length === 0) return;
  if (results.length === 1) {
    writeSlot(m, slot, results[0]!, returned, false);
    return;
  }
  if (!Array.isArray(returned) || returned.length !== results.length) {
    throw new TypeError(`expected an array of ${results.length} results`);
  }
  for (let i = 0; i < results.length; i++) writeSlot(m, slot + i, results[i]!, returned[i], false);
}
