/**
 * Calling a function from the API: arguments into registers at the top of the
 * store's register file, run, results out, and a RuntimeError for a trap; and
 * resumable calls that stop when fuel runs out or a host function returns a Promise.
 */

import { RuntimeError, TRAP_MESSAGES } from '../errors.js';
import { abandon, failSuspended, invoke, run } from '../interpreter/executor.js';
import type { FunctionInstance } from '../interpreter/function.js';
import { deliverResults, HostCall, hostFailure } from '../interpreter/host-call.js';
import { Status, type Machine } from '../interpreter/machine.js';
import { readSlot, writeSlot } from '../interpreter/values.js';
import { checkStore, type Store } from './store.js';

function withFunctionName(message: string, func: FunctionInstance | null): string {
  const name = func?.debugName;
  return name === undefined ? message : `${message} (in function $${name})`;
}

/** The error for the trap the machine just reported (and forget it). */
function trapError(m: Machine): RuntimeError {
  const error = m.trapError ?? new RuntimeError(m.trap, withFunctionName(TRAP_MESSAGES[m.trap], m.trapFunc));
  m.trapError = null;
  return error;
}

function outOfFuelError(func: FunctionInstance | null): RuntimeError {
  return new RuntimeError('outOfFuel', withFunctionName(TRAP_MESSAGES.outOfFuel, func));
}

/** Validates and writes the arguments into slots base..; TypeError on misuse. */
function writeArgs(m: Machine, func: FunctionInstance, base: number, args: readonly unknown[], raw: boolean): void {
  if (!Array.isArray(args)) throw new TypeError('arguments must be an array');
  const { params, results } = func.funcType;
  if (args.length !== params.length) {
    throw new TypeError(`expected ${params.length} argument${params.length === 1 ? '' : 's'}, got ${args.length}`);
  }
  if (!m.ensureSlots(base + Math.max(params.length, results.length))) {
    throw new RuntimeError('callStackExhausted', withFunctionName(TRAP_MESSAGES.callStackExhausted, func));
  }
  for (let i = 0; i < params.length; i++) {
    try {
      writeSlot(m, base + i, params[i]!, args[i], raw);
    } catch (error) {
      throw new TypeError(`argument ${i}: ${(error as Error).message}`);
    }
  }
}

function readResults(m: Machine, func: FunctionInstance, base: number, raw: boolean): unknown[] {
  return func.funcType.results.map((type, i) => readSlot(m, base + i, type, raw));
}

/** Runs `step` (a run of the machine from entryDepth), turning JS stack overflow into a trap. */
function guarded(m: Machine, entryDepth: number, step: () => Status): Status {
  try {
    return step();
  } catch (error) {
    abandon(m, entryDepth);
    const failure = hostFailure(error);
    if (failure.trap === 'host') throw error; // an engine bug, not a trap: keep its stack
    m.trapError = failure;
    return Status.Trap;
  }
}

/** Runs `step` with `m.canSuspend` = `canSuspend`, restoring the setting of the run it may be nested in. */
function suspending<T>(m: Machine, canSuspend: boolean, step: () => T): T {
  const saved = m.canSuspend;
  m.canSuspend = canSuspend;
  try {
    return step();
  } finally {
    m.canSuspend = saved;
  }
}

/** Func.call / Func.callRaw: runs to completion; out of fuel is a trap, and so is a host function returning a Promise. */
export function callFunction(store: Store, func: FunctionInstance, args: readonly unknown[], raw: boolean): unknown[] {
  checkStore(store, func.owner, 'function');
  const m = store.machine;
  const base = m.top;
  writeArgs(m, func, base, args, raw);
  const entryDepth = m.depth;
  const status = suspending(m, false, () => guarded(m, entryDepth, () => invoke(m, func, base)));
  if (status === Status.OutOfFuel) {
    const stoppedIn = m.func;
    abandon(m, entryDepth);
    throw outOfFuelError(stoppedIn);
  }
  if (status === Status.Trap) throw trapError(m);
  return readResults(m, func, base, raw);
}

/** engine-hooks.md: the state of a call made with Func.callResumable. */
export type ResumableCall =
  | { readonly done: true; readonly results: unknown[] }
  | {
      readonly done: false;
      readonly reason: 'outOfFuel';
      /** Continues with the store's current fuel (store.setFuel first). */
      resume(): ResumableCall;
      /** Gives up the call, dropping its frames. */
      cancel(): void;
    }
  | {
      readonly done: false;
      readonly reason: 'hostSuspend';
      /** Settles (never rejects) when the host function's promise settles. */
      readonly pending: Promise<unknown>;
      /** After `pending`: delivers the promise's value as the host function's results, or fails the call if it rejected. */
      resume(): ResumableCall;
      /** Gives up the call, dropping its frames. */
      cancel(): void;
    };

type Settlement = { readonly fulfilled: boolean; readonly value: unknown };

/**
 * A call that can stop when fuel runs out or a host function returns a
 * Promise, and continue later (DESIGN.md section 2, property 3). While it is
 * stopped its frames stay on the store's stack; other calls on the store run
 * above them, and it can be resumed only when nothing else is stopped above it.
 */
class StoppedCall {
  private readonly store: Store;
  private readonly func: FunctionInstance;
  private readonly base: number;
  private readonly entryDepth: number;
  private readonly raw: boolean;
  // The machine's stop state, saved because other calls may run while this one waits.
  private stoppedFunc: FunctionInstance | null = null;
  private pc = 0;
  private fp = 0;
  private pendingEntry = -1;
  private depth = 0;
  // A host suspension: the host function, where its results go, where the run continues, and its outcome.
  private host: FunctionInstance | null = null;
  private slot = 0;
  private next = 0;
  private settlement: Settlement | undefined = undefined;
  private resumed = false;

  constructor(store: Store, func: FunctionInstance, base: number, entryDepth: number, raw: boolean) {
    this.store = store;
    this.func = func;
    this.base = base;
    this.entryDepth = entryDepth;
    this.raw = raw;
  }

  /** Interprets the status of a run; on a stop keeps the frames and returns a resumable result. */
  settle(status: Status): ResumableCall {
    const m = this.store.machine;
    if (status === Status.Trap) {
      m.top = this.base;
      throw trapError(m);
    }
    if (status === Status.Done) {
      m.top = this.base;
      return { done: true, results: readResults(m, this.func, this.base, this.raw) };
    }
    const stopped = new StoppedCall(this.store, this.func, this.base, this.entryDepth, this.raw);
    stopped.depth = m.depth;
    const resume = () => stopped.resume();
    const cancel = () => stopped.cancel();
    if (this.func.compiled === null) {
      // A host function called directly suspended: no frames, only its arguments and results.
      const { params, results } = this.func.funcType;
      m.top = this.base + Math.max(params.length, results.length);
    } else {
      stopped.stoppedFunc = m.func;
      stopped.pc = m.pc;
      stopped.fp = m.fp;
      stopped.pendingEntry = m.pendingEntry;
      m.top = m.fp + m.func!.compiled!.frameSize;
    }
    if (status === Status.OutOfFuel) return { done: false, reason: 'outOfFuel', resume, cancel };
    stopped.host = m.suspendedHost;
    stopped.slot = m.suspendedSlot;
    stopped.next = m.suspendedNext;
    const promise = m.suspendedPromise!;
    m.suspendedPromise = null;
    m.suspendedHost = null;
    const pending = promise.then(
      (value) => { stopped.settlement = { fulfilled: true, value }; },
      (reason) => { stopped.settlement = { fulfilled: false, value: reason }; },
    );
    return { done: false, reason: 'hostSuspend', pending, resume, cancel };
  }

  /** Makes the machine current again for this call; it must be the topmost stopped one. */
  private reclaim(): Machine {
    const m = this.store.machine;
    if (this.resumed) throw new Error('this call was already resumed or cancelled');
    if (m.depth !== this.depth) throw new Error('another call is stopped above this one');
    this.resumed = true;
    m.func = this.stoppedFunc;
    m.pc = this.pc;
    m.fp = this.fp;
    m.pendingEntry = this.pendingEntry;
    return m;
  }

  private cancel(): void {
    const m = this.reclaim();
    abandon(m, this.entryDepth);
    m.top = this.base;
  }

  private resume(): ResumableCall {
    if (this.host !== null && this.settlement === undefined && !this.resumed) {
      throw new Error("the host function's promise has not settled yet: await `pending` before resume()");
    }
    const m = this.reclaim();
    return this.settle(suspending(m, true, () => guarded(m, this.entryDepth, () => this.continueRun(m))));
  }

  private continueRun(m: Machine): Status {
    const host = this.host;
    if (host === null) return run(m, this.entryDepth);
    const { fulfilled, value } = this.settlement!;
    const outcome = fulfilled ? deliverResults(m, host, this.slot, value) : HostCall.Failed;
    const error = fulfilled ? m.trapError : hostFailure(value);
    if (this.func.compiled === null) {
      if (outcome === HostCall.Ok) return Status.Done;
      m.trapError = error;
      return Status.Trap;
    }
    if (outcome !== HostCall.Ok) return failSuspended(m, this.entryDepth, error!);
    m.pc = this.next;
    return run(m, this.entryDepth);
  }
}

/** Func.callResumable (engine-hooks.md). */
export function callFunctionResumable(store: Store, func: FunctionInstance, args: readonly unknown[], raw: boolean): ResumableCall {
  checkStore(store, func.owner, 'function');
  const m = store.machine;
  const base = m.top;
  writeArgs(m, func, base, args, raw);
  const entryDepth = m.depth;
  const call = new StoppedCall(store, func, base, entryDepth, raw);
  return call.settle(suspending(m, true, () => guarded(m, entryDepth, () => invoke(m, func, base))));
}
