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

/**
 * Calls a host function whose arguments are in slots `slot`.., and writes its
 * results there. `top` is the first slot a nested invocation (the host calling
 * back into Wasm) may use. Returns false on failure, with `m.trapError` set.
 */
export function callHost(m: Machine, func: FunctionInstance, slot: number, caller: unknown, top: number): boolean {
  const { params, results } = func.funcType;
  const args: unknown[] = [caller];
  for (let i = 0; i < params.length; i++) args.push(readSlot(m, slot + i, params[i]!, false));
  const savedTop = m.top;
  m.top = top;
  let returned: unknown;
  try {
    returned = Reflect.apply(func.host!, undefined, args);
  } catch (error) {
    m.trapError = hostFailure(error);
    return false;
  } finally {
    m.top = savedTop;
  }
  try {
    writeResults(m, func, slot, returned);
  } catch (error) {
    m.trapError = new RuntimeError('host', `${TRAP_MESSAGES.host}: bad result: ${messageOf(error)}`, { cause: error });
    return false;
  }
  return true;
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
