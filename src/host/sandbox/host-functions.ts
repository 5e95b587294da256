/**
 * The host functions guests import from module `env`: the built-in ones and
 * those an embedder registers, each behind a capability.
 */

import type { Caller } from '../caller.js';
import { funcTypeFromDesc, type FuncTypeDesc, type ValTypeName } from '../types.js';
import { BUILTIN_CAPABILITIES } from './config.js';
import { SandboxError, messageOf } from './errors.js';
import { guestBytes } from './guest-memory.js';
import type { ExecutionState } from './state.js';

export const HOST_MODULE = 'env';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/** What an embedder's host function receives first: safe access to the calling guest. */
export class HostContext {
  private readonly caller: Caller;
  private readonly state: ExecutionState;
  /** The import name, for error messages. */
  private readonly where: string;

  /** @internal */
  constructor(caller: Caller, state: ExecutionState, where: string) {
    this.caller = caller;
    this.state = state;
    this.where = where;
  }

  /** A copy of the guest's bytes ptr..ptr+len; HostError when out of bounds. */
  read(ptr: number, len: number): Uint8Array {
    return guestBytes(this.caller, this.where, ptr, len).slice();
  }

  /** The guest's bytes ptr..ptr+len as UTF-8 text. */
  readText(ptr: number, len: number): string {
    return utf8Decoder.decode(guestBytes(this.caller, this.where, ptr, len));
  }

  /** Copies `bytes` into the guest's memory at ptr; HostError when out of bounds. */
  write(ptr: number, bytes: Uint8Array): void {
    guestBytes(this.caller, this.where, ptr, bytes.length).set(bytes);
  }

  /** Adds a message to the execution's logs (within the log limit). */
  log(message: string): void {
    const bytes = utf8Encoder.encode(message);
    this.state.checkLogRoom(bytes.length);
    this.state.appendLog(bytes);
  }

  /** Charges fuel from the execution's budget; OutOfFuel when it cannot pay. */
  consumeFuel(amount: number): void {
    if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`fuel must be a non-negative safe integer, got ${String(amount)}`);
    this.state.fuel.charge(this.caller, amount);
  }
}

/** A host function an embedder offers to guests as `env.<name>` (WasmRuntimeOptions.hostFunctions). */
export interface SandboxHostFunction {
  params: ValTypeName[];
  results: ValTypeName[];
  /**
   * Receives the context, then one argument per param (i32/f32/f64 as number,
   * i64 as bigint). Returns undefined, the result, or an array of results; with
   * executeAsync it may return a Promise of that. What it throws becomes HostError.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(context: HostContext, ...args: any[]): unknown;
}

/** One function of module `env`, as the linker of an execution binds it. */
export interface HostImport {
  readonly capability: string;
  readonly type: FuncTypeDesc;
  invoke(state: ExecutionState, caller: Caller, args: unknown[]): unknown;
}

/** Charges the per-byte cost of a copy of `length` bytes. */
function chargeCopy(state: ExecutionState, caller: Caller, length: number): void {
  state.fuel.charge(caller, Math.floor(length / state.bytesPerFuel));
}

const BUILTINS: Record<string, HostImport> = {
  host_log: {
    capability: 'log',
    type: { params: ['i32', 'i32'], results: [] },
    invoke(state, caller, args) {
      const [ptr, len] = args as [number, number];
      const bytes = guestBytes(caller, 'host_log', ptr, len);
      state.checkLogRoom(bytes.length);
      chargeCopy(state, caller, bytes.length);
      state.appendLog(bytes);
    },
  },
  host_write_output: {
    capability: 'output',
    type: { params: ['i32', 'i32'], results: [] },
    invoke(state, caller, args) {
      const [ptr, len] = args as [number, number];
      const bytes = guestBytes(caller, 'host_write_output', ptr, len);
      state.checkOutputRoom(bytes.length);
      chargeCopy(state, caller, bytes.length);
      state.appendOutput(bytes);
    },
  },
  /** Copies min(len, input length) bytes of the input to ptr and returns how many. */
  host_read_input: {
    capability: 'input',
    type: { params: ['i32', 'i32'], results: ['i32'] },
    invoke(state, caller, args) {
      const [ptr, len] = args as [number, number];
      const buffer = guestBytes(caller, 'host_read_input', ptr, len);
      const count = Math.min(buffer.length, state.input.length);
      chargeCopy(state, caller, count);
      buffer.set(state.input.subarray(0, count));
      return count;
    },
  },
  host_get_input_len: {
    capability: 'input',
    type: { params: [], results: ['i32'] },
    invoke(state) {
      return state.input.length;
    },
  },
};

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    && typeof (value as { then?: unknown }).then === 'function';
}

/** What an embedder's function threw, as the sandbox reports it: its own errors pass, the rest is HostError. */
function embedderFailure(where: string, error: unknown): SandboxError {
  if (error instanceof SandboxError) return error;
  return new SandboxError('HostError', `${where} failed: ${messageOf(error)}`, { cause: error });
}

function embedderImport(capability: string, name: string, fn: SandboxHostFunction): HostImport {
  const where = `${HOST_MODULE}.${name}`;
  return {
    capability,
    type: { params: [...fn.params], results: [...fn.results] },
    invoke(state, caller, args) {
      let result: unknown;
      try {
        result = fn.call(new HostContext(caller, state, where), ...args);
      } catch (error) {
        throw embedderFailure(where, error);
      }
      if (!isThenable(result)) return result;
      const settled = Promise.resolve(result).then(undefined, (error: unknown) => {
        throw embedderFailure(where, error);
      });
      if (state.async) return settled;
      settled.catch(() => undefined); // the run fails now; its later rejection must not go unhandled
      throw new SandboxError('HostError', `${where} returned a Promise: run guests that import it with executeAsync`);
    },
  };
}

/** The host functions one runtime offers, by import name. */
export class HostCatalog {
  private readonly imports = new Map<string, HostImport>();
  private readonly capabilityNames = new Set<string>(BUILTIN_CAPABILITIES);

  /** Throws TypeError for a malformed registration or a name used twice. */
  constructor(registered: Record<string, Record<string, SandboxHostFunction>> = {}) {
    for (const [name, entry] of Object.entries(BUILTINS)) this.imports.set(name, entry);
    for (const [capability, functions] of Object.entries(registered)) {
      if (capability === '' || this.capabilityNames.has(capability)) {
        throw new TypeError(`cannot register capability ${JSON.stringify(capability)}: ${capability === '' ? 'the name is empty' : 'it exists already'}`);
      }
      this.capabilityNames.add(capability);
      for (const [name, fn] of Object.entries(functions)) {
        if (this.imports.has(name)) throw new TypeError(`host function ${HOST_MODULE}.${name} is defined twice`);
        if (typeof fn?.call !== 'function') throw new TypeError(`host function ${HOST_MODULE}.${name} needs a call function`);
        funcTypeFromDesc(fn); // throws TypeError for a malformed type
        this.imports.set(name, embedderImport(capability, name, fn));
      }
    }
  }

  get(name: string): HostImport | undefined {
    return this.imports.get(name);
  }

  hasCapability(name: string): boolean {
    return this.capabilityNames.has(name);
  }

  importNames(): string[] {
    return [...this.imports.keys()].map((name) => `${HOST_MODULE}.${name}`);
  }
}
