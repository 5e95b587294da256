import { MAX_TABLE_ELEMENTS } from '../interpreter/limits.js';
import { TableInstance } from '../interpreter/table.js';
import { checkRef } from '../interpreter/values.js';
import { checkIsStore, type Store } from './store.js';
import { addressIs64, limitsFromDesc, refTypeFromName, tableTypeToDesc, type TableTypeDesc, type Value } from './types.js';

/** A table of references (the public face of TableInstance). */
export class Table extends TableInstance {
  /** @internal */
  readonly store: Store;

  /** Throws RangeError when the minimum exceeds the store's limits. */
  constructor(store: Store, type: TableTypeDesc, init: Value = null) {
    checkIsStore(store);
    const elemType = refTypeFromName(type?.element);
    const is64 = addressIs64(type);
    const limits = limitsFromDesc(type, is64 ? Number.MAX_SAFE_INTEGER : 0xffffffff);
    super(store.limits, elemType, limits.min, limits.max, checkRef(elemType, init), is64);
    this.store = store;
  }

  type(): TableTypeDesc {
    return tableTypeToDesc({ elemType: this.elemType, limits: { min: this.minSize, max: this.maxSize }, is64: this.is64 });
  }

  size(): number {
    return this.elements.length;
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.elements.length) {
      throw new RangeError(`table index ${String(index)} is out of bounds (size ${this.elements.length})`);
    }
  }

  get(index: number): Value {
    this.checkIndex(index);
    return this.elements[index];
  }

  set(index: number, value: Value): void {
    this.checkIndex(index);
    this.elements[index] = checkRef(this.elemType, value);
  }

  /** Grows by `delta` elements set to `init`; returns the old size; RangeError when it cannot. */
  grow(delta: number, init: Value = null): number {
    if (!Number.isInteger(delta) || delta < 0 || delta > MAX_TABLE_ELEMENTS) {
      throw new RangeError(`cannot grow a table by ${String(delta)} elements`);
    }
    const old = this.growElements(delta, checkRef(this.elemType, init));
    if (old < 0) throw new RangeError(`cannot grow table of ${this.elements.length} elements by ${delta}`);
    return old;
  }
}
