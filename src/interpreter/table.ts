import type { RefType } from '../decoder/module.js';
import { MAX_TABLE_ELEMENTS, type ResourceLimits } from './limits.js';

/**
 * A table: a JS array of references (function instances or null for funcref,
 * any JS value for externref).
 */
export class TableInstance {
  elements: unknown[];
  readonly elemType: RefType;
  readonly minSize: number;
  readonly maxSize: number | undefined;
  readonly limits: ResourceLimits;
  /** table64: indexed by i64. */
  readonly is64: boolean;

  /** Throws RangeError, naming the limit, when `minSize` exceeds the store limit. */
  constructor(limits: ResourceLimits, elemType: RefType, minSize: number, maxSize: number | undefined, init: unknown, is64 = false) {
    if (minSize > limits.maxTableElements) {
      throw new RangeError(`table of ${minSize} elements exceeds the store limit maxTableElements = ${limits.maxTableElements}`);
    }
    if (minSize > MAX_TABLE_ELEMENTS) {
      throw new RangeError(`table of ${minSize} elements exceeds the engine's maximum of ${MAX_TABLE_ELEMENTS} elements`);
    }
    this.limits = limits;
    this.is64 = is64;
    this.elemType = elemType;
    this.minSize = minSize;
    this.maxSize = maxSize;
    this.elements = new Array<unknown>(minSize).fill(init);
  }

  /** Whether growing by `delta` elements stays within the declared maximum and the limits. */
  canGrow(delta: number): boolean {
    const size = this.elements.length + delta;
    return size <= (this.maxSize ?? (this.is64 ? Number.MAX_SAFE_INTEGER : 0xffffffff)) && size <= this.limits.maxTableElements && size <= MAX_TABLE_ELEMENTS;
  }

  /** Whether a grow by `delta` that canGrow refuses is refused by a store or engine limit, not the declared maximum. */
  exceedsStoreLimit(delta: number): boolean {
    return this.elements.length + delta <= (this.maxSize ?? (this.is64 ? Number.MAX_SAFE_INTEGER : 0xffffffff));
  }

  /** Grows by `delta` elements set to `init`; returns the old size, or -1 (table unchanged) when it cannot. */
  growElements(delta: number, init: unknown): number {
    const old = this.elements.length;
    if (!this.canGrow(delta)) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}
