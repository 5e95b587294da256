import { FunctionInstance, type HostCallback } from '../interpreter/function.js';
import { signatureId } from '../interpreter/ir.js';
import { callFunction, callFunctionResumable, type ResumableCall } from './call.js';
import type { Caller } from './caller.js';
import { checkIsStore, type Store } from './store.js';
import { funcTypeFromDesc, funcTypeToDesc, type FuncTypeDesc, type RawValue, type Value } from './types.js';

/** A function: Wasm (from an instance) or host (a JS callback). The public face of FunctionInstance. */
export class Func extends FunctionInstance {
  /**
   * A host function. It receives the Caller, then one argument per parameter;
   * it returns undefined (no results), the single result, or an array of results.
   * Returning a Promise suspends a callResumable call until it settles (and fails a plain call).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static wrap<T>(store: Store<T>, type: FuncTypeDesc, fn: (caller: Caller<T>, ...args: any[]) => any): Func {
    return hostFunc(store, type, fn, true);
  }

  type(): FuncTypeDesc {
    return funcTypeToDesc(this.funcType);
  }

  /** RuntimeError on a trap (or when fuel runs out); TypeError on a wrong number or type of arguments. */
  call(store: Store, args: Value[]): Value[] {
    return callFunction(store, this, args, false);
  }

  /** Like call, with raw values: f32 as its u32 bits (number), f64 as its u64 bits (bigint). */
  callRaw(store: Store, args: RawValue[]): RawValue[] {
    return callFunction(store, this, args, true);
  }

  /**
   * Like call, but stops instead of failing when fuel runs out ('outOfFuel') or
   * a host function returns a Promise ('hostSuspend'), and can be resumed.
   * Fuel across stops adds up exactly as in one uninterrupted call.
   */
  callResumable(store: Store, args: Value[]): ResumableCall {
    return callFunctionResumable(store, this, args, false);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function hostFunc<T>(store: Store<T>, type: FuncTypeDesc, fn: (caller: Caller<T>, ...args: any[]) => any, suspends: boolean): Func {
  checkIsStore(store);
  if (typeof fn !== 'function') throw new TypeError('a host function must be a function');
  const funcType = funcTypeFromDesc(type);
  return new Func(store, funcType, signatureId(funcType.params, funcType.results), null, null, -1, fn as HostCallback, suspends);
}

/**
 * @internal Not in the public API: a host function for which a returned Promise
 * is an ordinary result (an externref), never a suspension. The JS API's
 * imported JS functions need this.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function wrapPromiseReturning(store: Store, type: FuncTypeDesc, fn: (caller: Caller, ...args: any[]) => any): Func {
  return hostFunc(store, type, fn, false);
}
