/**
 * Values crossing between JS and WebAssembly: ToWebAssemblyValue, ToJSValue,
 * DefaultValue, Exported Functions (JS functions that call a WebAssembly
 * function) and host functions (WebAssembly functions that call a JS one).
 */

import { wrapPromiseReturning } from '../host/func.js';
import { Func, type FuncTypeDesc, type ValTypeName } from '../index.js';
import { agentStore } from './agent.js';
import { jsApiError, trapOf } from './errors.js';
import { exceptionFromJs } from './exception.js';
import { toNumber } from './webidl.js';

export type Callable = (...args: unknown[]) => unknown;

/** The Exported Function cache: one JS function per WebAssembly function. */
const exportedFunctions = new WeakMap<Func, Callable>();
/** The [[FunctionAddress]] slot of each Exported Function. */
const functionAddresses = new WeakMap<object, Func>();
/** "The index of the host function": a JS function's position among the function imports it was read for. */
const hostFunctionIndices = new WeakMap<Func, number>();

function v128Error(): TypeError {
  return new TypeError('v128 values cannot pass between JS and WebAssembly');
}

function checkNoV128(types: readonly ValTypeName[]): void {
  if (types.includes('v128')) throw v128Error();
}

/** ToWebAssemblyValue: `value` as a value of `type` at the core API; TypeError when it cannot be one. */
export function toWebAssemblyValue(value: unknown, type: ValTypeName): unknown {
  switch (type) {
    case 'i32':
      return toNumber(value) | 0;
    case 'i64':
      return BigInt.asIntN(64, value as bigint); // BigInt.asIntN applies ToBigInt: numbers, undefined and null are TypeErrors
    case 'f32':
      return Math.fround(toNumber(value));
    case 'f64':
      return toNumber(value);
    case 'externref':
      return value;
    case 'funcref': {
      if (value === null) return null;
      const func = functionAddresses.get(value as object);
      if (func === undefined) throw new TypeError('a funcref must be null or a function exported from WebAssembly');
      return func;
    }
    case 'v128':
      throw v128Error();
  }
}

/** ToJSValue: a core API value of `type` as the JS value the JS-API gives it. */
export function toJSValue(value: unknown, type: ValTypeName): unknown {
  if (type === 'funcref') return value === null ? null : exportedFunction(value as Func);
  if (type === 'v128') throw v128Error();
  return value;
}

/** DefaultValue: what a missing value means for a table or global of `type`. */
export function defaultValue(type: ValTypeName): unknown {
  switch (type) {
    case 'i64': return 0n;
    case 'funcref': return null;
    case 'externref': return undefined;
    default: return 0;
  }
}

/** "The name of the WebAssembly function": its index in its module, or a host function's import index. */
function functionName(func: Func): string {
  return String(func.index >= 0 ? func.index : hostFunctionIndices.get(func) ?? 0);
}

function callExported(func: Func, type: FuncTypeDesc, args: unknown[]): unknown {
  const { params, results } = type;
  checkNoV128(params);
  checkNoV128(results);
  const values = params.map((param, i) => toWebAssemblyValue(args[i], param));
  let returned: unknown[];
  try {
    returned = func.call(agentStore(), values);
  } catch (error) {
    throw jsApiError(error);
  }
  if (results.length === 0) return undefined;
  if (results.length === 1) return toJSValue(returned[0], results[0]!);
  return returned.map((value, i) => toJSValue(value, results[i]!));
}

/** The Exported Function of a WebAssembly function (created on first use, then always the same). */
export function exportedFunction(func: Func): Callable {
  let exported = exportedFunctions.get(func);
  if (exported === undefined) {
    const type = func.type();
    // An arrow function: like a built-in function object, it is no constructor.
    const fn: Callable = (...args) => callExported(func, type, args);
    Object.defineProperty(fn, 'length', { value: type.params.length });
    Object.defineProperty(fn, 'name', { value: functionName(func) });
    exportedFunctions.set(func, fn);
    functionAddresses.set(fn, func);
    exported = fn;
  }
  return exported;
}

/** The WebAssembly function of an Exported Function, or undefined for any other value. */
export function functionAddressOf(value: unknown): Func | undefined {
  return typeof value === 'function' ? functionAddresses.get(value) : undefined;
}

/** "Run a host function": the JS function's result as WebAssembly results (several from an iterable). */
function runHostFunction(callable: Callable, type: FuncTypeDesc, args: unknown[]): unknown {
  const { params, results } = type;
  checkNoV128(params);
  checkNoV128(results);
  const returned: unknown = Reflect.apply(callable, undefined, args.map((arg, i) => toJSValue(arg, params[i]!)));
  if (results.length === 0) return undefined;
  if (results.length === 1) return toWebAssemblyValue(returned, results[0]!);
  const iterate = (returned as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator];
  if (typeof iterate !== 'function') throw new TypeError(`a function returning ${results.length} values must return an iterable`);
  const values = [...(returned as Iterable<unknown>)];
  if (values.length !== results.length) throw new TypeError(`expected ${results.length} results, got ${values.length}`);
  return values.map((value, i) => toWebAssemblyValue(value, results[i]!));
}

/** "Create a host function" from a JS callable, for function import number `index`. */
export function hostFunction(callable: Callable, type: FuncTypeDesc, index: number): Func {
  // A JS function may return a Promise as an externref: a value, not a suspension.
  const func = wrapPromiseReturning(agentStore(), type, (_caller: unknown, ...args: unknown[]) => {
    try {
      return runHostFunction(callable, type, args);
    } catch (error) {
      // Whatever it throws is a WebAssembly exception from here on (catchable by catch_all; JSTag unless it is
      // one), but for a trap it let pass.
      throw trapOf(error) ?? exceptionFromJs(error);
    }
  });
  hostFunctionIndices.set(func, index);
  return func;
}
