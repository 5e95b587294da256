import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { SandboxError } from './errors.js';

export function outOfFuelError(limit: number): SandboxError {
  return new SandboxError('OutOfFuel', `the guest used up its fuel limit of ${limit}`);
}

/**
 * The fuel budget of one execution, handed to the store in parts (slices for
 * executeAsync, all at once for execute). Whatever the parts, `consumed` is
 * exact: it is what was handed out minus what the store still holds.
 */
export class FuelAccount {
  readonly limit: number;
  private readonly store: Store;
  private handedOut = 0;

  constructor(store: Store, limit: number) {
    this.store = store;
    this.limit = limit;
  }

  /** Budget not yet handed to the store. */
  get unhanded(): number {
    return this.limit - this.handedOut;
  }

  get consumed(): number {
    return this.handedOut - this.store.getFuel();
  }

  /** Hands up to `amount` more of the budget to the store. */
  grant(amount: number): void {
    const added = Math.min(amount, this.unhanded);
    this.store.setFuel(this.store.getFuel() + added);
    this.handedOut += added;
  }

  /** Takes back the fuel the store holds, so the next grant decides how much it gets. */
  reclaim(): void {
    this.handedOut -= this.store.getFuel();
    this.store.setFuel(0);
  }

  /**
   * Charges a host function's extra cost. It draws on the whole budget, not
   * just the current slice, so sliced and uninterrupted runs fail alike.
   */
  charge(caller: Caller, amount: number): void {
    const shortfall = amount - this.store.getFuel();
    if (shortfall > this.unhanded) throw outOfFuelError(this.limit);
    if (shortfall > 0) this.grant(shortfall);
    caller.consumeFuel(amount);
  }
}
