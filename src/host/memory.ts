import { MAX_PAGES, MAX_PAGES_64, MemoryInstance } from '../interpreter/memory.js';
import { checkIsStore, type Store } from './store.js';
import { addressIs64, limitsFromDesc, memoryTypeToDesc, type MemoryTypeDesc } from './types.js';

/** A linear memory (the public face of MemoryInstance). */
export class Memory extends MemoryInstance {
  /** @internal */
  readonly store: Store;

  /** Throws RangeError when the minimum exceeds the store's limits. */
  constructor(store: Store, type: MemoryTypeDesc) {
    checkIsStore(store);
    const is64 = addressIs64(type);
    const limits = limitsFromDesc(type, is64 ? MAX_PAGES_64 : MAX_PAGES);
    super(store.limits, limits.min, limits.max, is64);
    this.store = store;
  }

  type(): MemoryTypeDesc {
    return memoryTypeToDesc({ limits: { min: this.minPages, max: this.maxPages }, is64: this.is64 });
  }

  /** Current size in pages. */
  size(): number {
    return this.pages;
  }

  /** Grows by `delta` pages and returns the old size; RangeError when it cannot. */
  grow(delta: number): number {
    if (!Number.isInteger(delta) || delta < 0) throw new RangeError(`delta must be a non-negative integer, got ${String(delta)}`);
    const old = this.growPages(delta);
    if (old < 0) throw new RangeError(`cannot grow memory of ${this.pages} pages by ${delta} pages`);
    return old;
  }

  /**
   * Calls `listener` after every successful grow (by Wasm or by the API), once
   * the new buffer is in place. While a memory has listeners, a grow by 0 pages
   * also replaces its buffer (as the JS API requires of WebAssembly.Memory).
   */
  onGrow(listener: () => void): void {
    if (typeof listener !== 'function') throw new TypeError('a grow listener must be a function');
    this.addGrowListener(listener);
  }

  /** The current buffer; grow replaces it. */
  buffer(): ArrayBuffer {
    return this.arrayBuffer;
  }

  data(): Uint8Array {
    return this.bytes;
  }
}
