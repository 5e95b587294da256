/** One run of one guest: a fresh Store, its limits, fuel, clock and host functions. */

import type { Engine } from '../engine.js';
import type { Func } from '../func.js';
import { Linker } from '../linker.js';
import type { Module } from '../module.js';
import { Store } from '../store.js';
import type { SandboxConfig } from './config.js';
import { SandboxError, messageOf } from './errors.js';
import { toSandboxError } from './failure.js';
import { FuelAccount, outOfFuelError } from './fuel.js';
import type { EntryPoint } from './guest-module.js';
import { HOST_MODULE, type HostImport } from './host-functions.js';
import { ExecutionState } from './state.js';

export interface ExecutionResult {
  /** The bytes the guest wrote with host_write_output. */
  output: Uint8Array;
  /** Exact fuel (DESIGN.md section 2) of the start function and the entry point together. */
  fuelConsumed: number;
  /** Largest size the guest's linear memory reached, in bytes. */
  memoryPeakBytes: number;
  /** The messages the guest logged with host_log. */
  logs: string[];
  /** The i32 that `execute` returned; undefined when the entry point was `_start`. */
  returnValue: number | undefined;
}

/** Everything checked before a store exists: the compiled guest, what it imports and how to call it. */
export interface ExecutionPlan {
  readonly engine: Engine;
  readonly module: Module;
  readonly hostImports: ReadonlyMap<string, HostImport>;
  readonly entry: EntryPoint;
  readonly input: Uint8Array;
  readonly config: SandboxConfig;
}

/** A Promise that resolves in a later task, after pending timers and I/O (not a microtask). */
function viaMessageChannel(): Promise<void> {
  return new Promise((resolve) => {
    // A fresh channel each time: one shared channel can deliver message after message in one turn and starve timers.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Lets timers, I/O and other tasks run before the guest continues: setImmediate where it exists (Node), else a message (browsers). */
const nextTask: () => Promise<void> = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : typeof MessageChannel === 'function'
    ? viaMessageChannel
    : () => new Promise((resolve) => setTimeout(resolve, 0));

export class Execution {
  private readonly plan: ExecutionPlan;
  private readonly signal: AbortSignal | undefined;
  private readonly store: Store;
  private readonly fuel: FuelAccount;
  private readonly state: ExecutionState;
  private deadline = Infinity;
  /** Set by the first interrupt check that stops the guest. */
  private interruptReason: string | undefined;

  constructor(plan: ExecutionPlan, async: boolean, signal?: AbortSignal) {
    const { engine, config } = plan;
    this.plan = plan;
    this.signal = signal;
    this.store = new Store(engine);
    this.store.setLimits({
      maxMemoryBytes: config.memoryLimitBytes,
      // The limit is on the guest's memory use: all its memories together.
      maxTotalMemoryBytes: config.memoryLimitBytes,
      maxTableElements: config.tableLimit,
      maxInstances: 1,
      onGrowFailure: config.trapsOnGrowFailure ? 'trap' : 'fail',
    });
    this.fuel = new FuelAccount(this.store, config.fuelLimit);
    this.state = new ExecutionState(plan.input, config, this.fuel, async, engine.config.fuelCosts.bytesPerFuel);
  }

  /** execute: the whole budget at once; host functions must answer synchronously. */
  runSync(): ExecutionResult {
    try {
      const entry = this.instantiate();
      return this.result(entry.call(this.store, this.entryArgs()));
    } catch (error) {
      throw this.failure(error);
    }
  }

  /**
   * executeAsync: the entry point runs `sliceFuel` at a time with a turn of the
   * event loop between slices, and waits for host functions' Promises. The
   * start function runs in one go, as instantiation cannot stop halfway.
   */
  async runAsync(sliceFuel: number): Promise<ExecutionResult> {
    try {
      this.throwIfInterrupted();
      const entry = this.instantiate();
      this.fuel.reclaim();
      this.fuel.grant(sliceFuel);
      let call = entry.callResumable(this.store, this.entryArgs());
      while (!call.done) {
        if (call.reason === 'outOfFuel') {
          if (this.fuel.unhanded === 0) throw outOfFuelError(this.fuel.limit);
          await nextTask();
          this.fuel.grant(sliceFuel);
        } else {
          await this.settle(call.pending);
        }
        this.throwIfInterrupted();
        call = call.resume();
      }
      return this.result(call.results);
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Links the granted host functions, starts the clock and instantiates (running the start function). */
  private instantiate(): Func {
    const { engine, module, hostImports, entry } = this.plan;
    const linker = new Linker(engine);
    for (const [name, hostImport] of hostImports) {
      linker.funcWrap(HOST_MODULE, name, hostImport.type, (caller, ...args: unknown[]) => hostImport.invoke(this.state, caller, args));
    }
    this.fuel.grant(this.fuel.limit);
    this.startClock();
    const instance = linker.instantiate(this.store, module);
    return instance.getFunc(this.store, entry.name)!;
  }

  private entryArgs(): number[] {
    return this.plan.entry.name === 'execute' ? [0, this.plan.input.length] : [];
  }

  private startClock(): void {
    const { timeoutMs } = this.plan.config;
    if (timeoutMs !== undefined) this.deadline = performance.now() + timeoutMs;
    if (timeoutMs !== undefined || this.signal !== undefined) this.store.setInterrupt(() => this.interrupted());
  }

  private timeoutReason(): string {
    return `the guest ran longer than its timeout of ${this.plan.config.timeoutMs} ms`;
  }

  private abortReason(): string {
    return `the run was aborted: ${messageOf(this.signal?.reason)}`;
  }

  /** Whether the guest must stop now (abort or timeout); remembers why. */
  private interrupted(): boolean {
    if (this.signal?.aborted) this.interruptReason = this.abortReason();
    else if (performance.now() >= this.deadline) this.interruptReason = this.timeoutReason();
    else return false;
    return true;
  }

  private throwIfInterrupted(): void {
    if (this.interrupted()) throw new SandboxError('Timeout', this.interruptReason!);
  }

  /** Waits for a host function's Promise, but not past the deadline or an abort (then Timeout). */
  private async settle(pending: Promise<unknown>): Promise<void> {
    this.throwIfInterrupted();
    const signal = this.signal;
    const interruption = await new Promise<string | undefined>((resolve) => {
      const finish = (reason: string | undefined): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(reason);
      };
      const onAbort = (): void => finish(this.abortReason());
      const timer = this.deadline === Infinity
        ? undefined
        : setTimeout(() => finish(this.timeoutReason()), this.deadline - performance.now());
      signal?.addEventListener('abort', onAbort);
      pending.then(() => finish(undefined), () => finish(undefined));
    });
    if (interruption === undefined) return;
    this.interruptReason = interruption;
    throw new SandboxError('Timeout', interruption);
  }

  private result(results: unknown[]): ExecutionResult {
    return {
      output: this.state.output(),
      fuelConsumed: this.fuel.consumed,
      memoryPeakBytes: this.store.memoryPeakBytes,
      logs: [...this.state.logs],
      returnValue: this.plan.entry.returnsValue ? (results[0] as number) : undefined,
    };
  }

  private failure(error: unknown): SandboxError {
    const { config, module } = this.plan;
    const context = { config, module, maxCallDepth: this.plan.engine.config.maxCallDepth, maxStackSlots: this.plan.engine.config.maxStackSlots, interruptReason: this.interruptReason };
    return toSandboxError(error, context).withDetails({
      fuelConsumed: this.fuel.consumed,
      memoryPeakBytes: this.store.memoryPeakBytes,
      logs: [...this.state.logs],
    });
  }
}
