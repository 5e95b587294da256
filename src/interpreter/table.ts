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
  private readonly limits: ResourceLimits;

  /** Throws RangeError when `minSize` exceeds the store limit. */
  constructor(limits: ResourceLimits, elemType: RefType, minSize: number, maxSize: number | undefined, init: unknown) {
    if (minSize > Math.min(limits.maxTableElements, MAX_TABLE_ELEMENTS)) {
      throw new RangeError(`table of ${minSize} elements exceeds the store limit of ${limits.maxTableElements} elements`);
    }
    this.limits = limits;
    this.elemType = elemType;
    this.minSize = minSize;
    this.maxSize = maxSize;
    this.elements = new Array<unknown>(minSize).fill(init);
  }

  /** Whether growing by `delta` elements stays within the declared maximum and the limits. */
  canGrow(delta: number): boolean {
    const size = this.elements.length + delta;
    return size <= (this.maxSize ?? 0xffffffff) && size <= this.limits.maxTableElements && size <= MAX_TABLE_ELEMENTS;
  }

  /** Grows by `delta` elements set to `init`; returns the old size, or -1 (table unchanged) when it cannot. */
  growElements(delta: number, init: unknown): number {
    const old = this.elements.length;
    if (!this.canGrow(delta)) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}
