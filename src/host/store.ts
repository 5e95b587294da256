import { useCompiledTier } from '../compiler/runtime.js';
import { defaultLimits, type ResourceLimits } from '../interpreter/limits.js';
import { DEFAULT_INTERRUPT_INTERVAL, Machine, type Profiler } from '../interpreter/machine.js';
import { Caller } from './caller.js';
import { checkEngine, type Engine } from './engine.js';

export interface StoreLimits {
  /** Largest size in bytes of any one linear memory (creation and growth). */
  maxMemoryBytes?: number;
  /** Largest size in bytes of all the store's linear memories together (multi-memory; creation and growth). */
  maxTotalMemoryBytes?: number;
  /** Largest number of elements of any one table (creation and growth). */
  maxTableElements?: number;
  /** Most instances the store may create. */
  maxInstances?: number;
  /**
   * What memory.grow / table.grow past maxMemoryBytes, maxTotalMemoryBytes or maxTableElements do:
   * return -1 ('fail', the default and the spec behaviour) or trap with
   * RuntimeError 'resourceLimitExceeded' ('trap'). A grow past the declared
   * maximum always returns -1.
   */
  onGrowFailure?: 'fail' | 'trap';
}

export type { Profiler };

function checkLimit(value: number | undefined, what: string): void {
  if (value !== undefined && !(value >= 0)) throw new RangeError(`${what} must be a non-negative number, got ${String(value)}`);
}

/**
 * Owns everything instances create (functions, memories, tables, globals), the
 * fuel, the limits and the execution state (register file and call stack).
 */
export class Store<T = unknown> {
  readonly engine: Engine;
  data: T;
  /** @internal */
  readonly machine: Machine;
  /** @internal Shared by reference with the store's memories and tables. */
  readonly limits: ResourceLimits = defaultLimits();
  /** @internal */
  maxInstances = Infinity;
  /** @internal */
  instanceCount = 0;

  constructor(engine: Engine, data?: T) {
    checkEngine(engine, 'a Store');
    this.engine = engine;
    this.data = data as T;
    const { maxCallDepth, maxStackSlots, consumeFuel, fuelCosts } = engine.config;
    this.machine = new Machine(maxCallDepth, maxStackSlots, consumeFuel, fuelCosts);
    this.machine.defaultCaller = new Caller(this, null);
    if (engine.config.tier === 'compiled') useCompiledTier(this.machine, this);
  }

  private checkMetered(): void {
    if (!this.engine.config.consumeFuel) {
      throw new Error('fuel is not enabled: create the Engine with { consumeFuel: true }');
    }
  }

  setFuel(fuel: number): void {
    this.checkMetered();
    if (!Number.isSafeInteger(fuel) || fuel < 0) throw new RangeError(`fuel must be a non-negative safe integer, got ${String(fuel)}`);
    const m = this.machine;
    m.fuelBase += fuel - m.fuel; // keeps the fuel consumed so far, which profilers see
    m.fuel = fuel;
  }

  /** Fuel left. */
  getFuel(): number {
    this.checkMetered();
    return this.machine.fuel;
  }

  setLimits(limits: StoreLimits): void {
    checkLimit(limits.maxMemoryBytes, 'maxMemoryBytes');
    checkLimit(limits.maxTotalMemoryBytes, 'maxTotalMemoryBytes');
    checkLimit(limits.maxTableElements, 'maxTableElements');
    checkLimit(limits.maxInstances, 'maxInstances');
    if (limits.maxMemoryBytes !== undefined) this.limits.maxMemoryBytes = limits.maxMemoryBytes;
    if (limits.maxTotalMemoryBytes !== undefined) this.limits.maxTotalMemoryBytes = limits.maxTotalMemoryBytes;
    if (limits.maxTableElements !== undefined) this.limits.maxTableElements = limits.maxTableElements;
    if (limits.maxInstances !== undefined) this.maxInstances = limits.maxInstances;
    const policy = limits.onGrowFailure;
    if (policy !== undefined) {
      if (policy !== 'fail' && policy !== 'trap') throw new RangeError(`onGrowFailure must be 'fail' or 'trap', got ${String(policy)}`);
      this.limits.onGrowFailure = policy;
    }
  }

  /** The largest total linear-memory size (bytes, all memories of this store) seen so far. */
  get memoryPeakBytes(): number {
    return this.limits.memoryPeakBytes;
  }

  /**
   * Calls `check` at loop back-edges and calls, once every `interval` of them
   * (default 10,000); when it returns true the running call fails with
   * RuntimeError 'interrupted'. `undefined` removes the check.
   */
  setInterrupt(check: (() => boolean) | undefined, interval: number = DEFAULT_INTERRUPT_INTERVAL): void {
    if (check !== undefined && typeof check !== 'function') throw new TypeError('the interrupt check must be a function');
    if (!Number.isSafeInteger(interval) || interval < 1) throw new RangeError(`interval must be a positive safe integer, got ${String(interval)}`);
    const m = this.machine;
    m.interruptCheck = check ?? null;
    m.interruptInterval = interval;
    m.countdown = interval;
    m.interruptSeen = false;
  }

  /**
   * Reports every Wasm and host function entry and exit (also exits unwound by
   * a trap) with the fuel consumed so far (0 without fuel metering); applies to
   * calls started after it. `undefined` removes it.
   */
  setProfiler(profiler: Profiler | undefined): void {
    if (profiler !== undefined && (typeof profiler?.enter !== 'function' || typeof profiler.exit !== 'function')) {
      throw new TypeError('a profiler needs enter and exit methods');
    }
    this.machine.profiler = profiler ?? null;
  }
}

export function checkIsStore(store: unknown): asserts store is Store {
  if (!(store instanceof Store)) throw new TypeError(`expected a Store, got ${store === null ? 'null' : typeof store}`);
}

/** API misuse: an object of one store used with another. */
export function checkStore(store: unknown, owner: object, what: string): asserts store is Store {
  checkIsStore(store);
  if (store !== owner) throw new TypeError(`${what} belongs to a different store`);
}
