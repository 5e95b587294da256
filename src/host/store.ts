import { defaultLimits, type ResourceLimits } from '../interpreter/limits.js';
import { Machine } from '../interpreter/machine.js';
import { Caller } from './caller.js';
import type { Engine } from './engine.js';

export interface StoreLimits {
  /** Largest size in bytes of any one linear memory (creation and growth). */
  maxMemoryBytes?: number;
  /** Largest number of elements of any one table (creation and growth). */
  maxTableElements?: number;
  /** Most instances the store may create. */
  maxInstances?: number;
}

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
    this.engine = engine;
    this.data = data as T;
    const { maxCallDepth, consumeFuel, fuelCosts } = engine.config;
    this.machine = new Machine(maxCallDepth, consumeFuel, fuelCosts);
    this.machine.defaultCaller = new Caller(this, null);
  }

  private checkMetered(): void {
    if (!this.engine.config.consumeFuel) {
      throw new Error('fuel is not enabled: create the Engine with { consumeFuel: true }');
    }
  }

  setFuel(fuel: number): void {
    this.checkMetered();
    if (!Number.isSafeInteger(fuel) || fuel < 0) throw new RangeError(`fuel must be a non-negative safe integer, got ${String(fuel)}`);
    this.machine.fuel = fuel;
  }

  /** Fuel left. */
  getFuel(): number {
    this.checkMetered();
    return this.machine.fuel;
  }

  setLimits(limits: StoreLimits): void {
    checkLimit(limits.maxMemoryBytes, 'maxMemoryBytes');
    checkLimit(limits.maxTableElements, 'maxTableElements');
    checkLimit(limits.maxInstances, 'maxInstances');
    if (limits.maxMemoryBytes !== undefined) this.limits.maxMemoryBytes = limits.maxMemoryBytes;
    if (limits.maxTableElements !== undefined) this.limits.maxTableElements = limits.maxTableElements;
    if (limits.maxInstances !== undefined) this.maxInstances = limits.maxInstances;
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
