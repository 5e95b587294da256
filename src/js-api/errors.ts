/**
 * WebAssembly.CompileError, LinkError and RuntimeError: constructors with the
 * ECMAScript NativeError structure (callable with or without `new`, inheriting
 * from Error), and the mapping of the core engine's errors onto them.
 */

import { CompileError as CoreCompileError, LinkError as CoreLinkError, RuntimeError as CoreRuntimeError, WasmException } from '../index.js';
import { jsValueOfException } from './exception.js';

export interface WebAssemblyErrorConstructor {
  new (message?: string, options?: ErrorOptions): Error;
  (message?: string, options?: ErrorOptions): Error;
  readonly prototype: Error;
}

function nativeErrorConstructor(name: string): WebAssemblyErrorConstructor {
  // Reflect.construct gives the object Error's internal slot (stack, message,
  // cause) with the prototype of `new.target`, which is what NativeError does.
  const constructor = function (message?: unknown, ...options: unknown[]): Error {
    return Reflect.construct(Error, [message, ...options], new.target ?? constructor) as Error;
  };
  Object.defineProperty(constructor, 'name', { value: name });
  Object.setPrototypeOf(constructor, Error);
  const prototype = Object.create(Error.prototype, {
    constructor: { value: constructor, writable: true, configurable: true },
    name: { value: name, writable: true, configurable: true },
    message: { value: '', writable: true, configurable: true },
  }) as Error;
  Object.defineProperty(constructor, 'prototype', { value: prototype, writable: false });
  return constructor as unknown as WebAssemblyErrorConstructor;
}

export const CompileError = nativeErrorConstructor('CompileError');
export const LinkError = nativeErrorConstructor('LinkError');
export const RuntimeError = nativeErrorConstructor('RuntimeError');

/**
 * Whether a core LinkError is a segment that does not fit its table or memory.
 * In Wasm 2.0 that is a trap during instantiation, a RuntimeError to JS (as in
 * V8 and the spec tests); the core's LinkError carries that trap as its cause.
 */
function isSegmentTrap(error: CoreLinkError): boolean {
  return error.cause instanceof CoreRuntimeError;
}

/**
 * The trap a JS value stands for, when it is the error a trap of WebAssembly became
 * (`jsApiError`): a JS function that lets it pass keeps it a trap, which no
 * catch_all catches (as in V8), instead of a JS exception entering WebAssembly.
 */
export function trapOf(value: unknown): CoreRuntimeError | undefined {
  if (!(value instanceof Error)) return undefined;
  const cause = value.cause;
  return cause instanceof CoreRuntimeError && !(cause instanceof WasmException) ? cause : undefined;
}

/** The JS-API error for an error of the core engine; other values unchanged. */
export function jsApiError(error: unknown): unknown {
  if (error instanceof CoreCompileError) return new CompileError(error.message, { cause: error });
  if (error instanceof CoreLinkError) {
    return isSegmentTrap(error) ? new RuntimeError(error.message, { cause: error }) : new LinkError(error.message, { cause: error });
  }
  // A WebAssembly exception: what a JS function threw comes back unchanged, any other is its Exception object.
  if (error instanceof WasmException) return jsValueOfException(error.exception);
  if (error instanceof CoreRuntimeError) {
    // A stack overflow is the exception JS throws for one (V8 and JSC: RangeError), not a trap.
    if (error.trap === 'callStackExhausted') return new RangeError(error.message, { cause: error });
    return new RuntimeError(error.message, { cause: error });
  }
  return error;
}
