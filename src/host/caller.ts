import { RuntimeError, TRAP_MESSAGES } from '../errors.js';
import type { Instance } from './instance.js';
import { Memory } from './memory.js';
import type { Extern } from './extern.js';
import type { Store } from './store.js';

/** What a host function receives as its first argument: its store's data and the calling instance. */
export class Caller<T = unknown> {
  private readonly store: Store<T>;
  /** The instance whose code made the call; null when the host function was called from the API. */
  readonly instance: Instance | null;

  constructor(store: Store<T>, instance: Instance | null) {
    this.store = store;
    this.instance = instance;
  }

  get data(): T {
    return this.store.data;
  }

  set data(value: T) {
    this.store.data = value;
  }

  /** The caller's memory exported under `name`, or without a name its memory 0 (exported or not). */
  memory(name?: string): Memory | undefined {
    if (this.instance === null) return undefined;
    if (name === undefined) {
      const memory = this.instance.ctx.memory;
      return memory instanceof Memory ? memory : undefined;
    }
    const item = this.instance.getExport(this.store, name);
    return item instanceof Memory ? item : undefined;
  }

  getExport(name: string): Extern | undefined {
    return this.instance?.getExport(this.store, name);
  }

  /** Charges `n` fuel; throws RuntimeError 'outOfFuel' (charging nothing) when the store has less. No-op without metering. */
  consumeFuel(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`fuel must be a non-negative safe integer, got ${String(n)}`);
    const machine = this.store.machine;
    if (!machine.metered) return;
    if (machine.fuel < n) throw new RuntimeError('outOfFuel', TRAP_MESSAGES.outOfFuel);
    machine.fuel -= n;
  }
}
