/** The fuel cost model of DESIGN.md section 2. */

/** Per-instruction costs by class, and the rates of the dynamic (bulk) costs. */
export interface FuelCosts {
  /** Every instruction not in a class below. */
  readonly base: number;
  /** All loads. */
  readonly load: number;
  /** All stores. */
  readonly store: number;
  /** call, call_indirect, return_call and return_call_indirect. */
  readonly call: number;
  /** The fixed part of memory.copy/fill/init/grow and table.copy/fill/init/grow. */
  readonly bulk: number;
  /** memory.copy/fill/init charge floor(bytes / bytesPerFuel) more. */
  readonly bytesPerFuel: number;
  /** table.copy/fill/init/grow charge floor(elements / elementsPerFuel) more. */
  readonly elementsPerFuel: number;
  /** memory.grow charges this much more per page grown. */
  readonly fuelPerPage: number;
}

export const DEFAULT_FUEL_COSTS: FuelCosts = {
  base: 1,
  load: 1,
  store: 1,
  call: 1,
  bulk: 1,
  bytesPerFuel: 64,
  elementsPerFuel: 8,
  fuelPerPage: 1024,
};

export type FuelClass = 'base' | 'load' | 'store' | 'call' | 'bulk';

/** `else` and `end` are delimiters and cost nothing; everything else costs its class. */
export function instructionCost(costs: FuelCosts, fuelClass: FuelClass | 'free'): number {
  return fuelClass === 'free' ? 0 : costs[fuelClass];
}

/**
 * The most any single cost (or fuelPerPage) may be: a fuel trace keeps each
 * instruction's cost in a 32-bit word, and memory.grow's charge (pages times
 * fuelPerPage) must stay an exact integer.
 */
export const MAX_FUEL_COST = 2 ** 30;

export function resolveFuelCosts(overrides: Partial<FuelCosts> | undefined): FuelCosts {
  const costs = { ...DEFAULT_FUEL_COSTS, ...overrides };
  for (const [key, value] of Object.entries(costs)) {
    const isRate = key === 'bytesPerFuel' || key === 'elementsPerFuel';
    if (!Number.isSafeInteger(value) || value < (isRate ? 1 : 0)) {
      throw new RangeError(`fuelCosts.${key} must be a ${isRate ? 'positive' : 'non-negative'} safe integer, got ${String(value)}`);
    }
    if (!isRate && value > MAX_FUEL_COST) {
      throw new RangeError(`fuelCosts.${key} must be at most ${MAX_FUEL_COST}, got ${String(value)}`);
    }
  }
  return costs;
}
