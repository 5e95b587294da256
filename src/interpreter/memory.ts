import { addMemoryBytes, type ResourceLimits } from './limits.js';

export const PAGE_SIZE = 65536;
/** 4 GiB: the most a 32-bit memory can address. */
export const MAX_PAGES = 65536;
/** 2^64 bytes: the most a 64-bit memory can address (memory64). Store limits and the host cap real sizes far below. */
export const MAX_PAGES_64 = 2 ** 48;

/**
 * A linear memory: one ArrayBuffer that `grow` replaces with a larger copy.
 * The executor caches `view`, `bytes` and the length; it refreshes them after
 * memory.grow, after host calls and when it switches instances.
 */
export class MemoryInstance {
  arrayBuffer: ArrayBuffer;
  /** Little-endian loads and stores of every width (measured faster than typed arrays for unaligned access). */
  view: DataView;
  /** For the bulk operations. */
  bytes: Uint8Array;
  pages: number;
  readonly minPages: number;
  readonly maxPages: number | undefined;
  readonly limits: ResourceLimits;
  /** memory64: addressed by i64. */
  readonly is64: boolean;
  /** MAX_PAGES or MAX_PAGES_64. */
  private readonly maxAddressablePages: number;
  /** Called after every successful grow; with any, a grow by 0 pages replaces the buffer too (the JS API needs that). */
  private readonly growListeners: (() => void)[] = [];

  /** Throws RangeError, naming the limit, when `minPages` exceeds the store limit or cannot be allocated. */
  constructor(limits: ResourceLimits, minPages: number, maxPages: number | undefined, is64 = false) {
    const maxAddressable = is64 ? MAX_PAGES_64 : MAX_PAGES;
    if (minPages > maxAddressable) throw new RangeError(`memory of ${minPages} pages exceeds the maximum of ${maxAddressable} pages`);
    if (minPages * PAGE_SIZE > limits.maxMemoryBytes) {
      throw new RangeError(
        `memory of ${minPages} pages (${minPages * PAGE_SIZE} bytes) exceeds the store limit maxMemoryBytes = ${limits.maxMemoryBytes}`,
      );
    }
    if (limits.memoryBytes + minPages * PAGE_SIZE > limits.maxTotalMemoryBytes) {
      throw new RangeError(
        `memory of ${minPages} pages (${minPages * PAGE_SIZE} bytes) with the store's other memories (${limits.memoryBytes} bytes) ` +
          `exceeds the store limit maxTotalMemoryBytes = ${limits.maxTotalMemoryBytes}`,
      );
    }
    this.limits = limits;
    this.is64 = is64;
    this.maxAddressablePages = maxAddressable;
    this.minPages = minPages;
    this.maxPages = maxPages;
    this.pages = minPages;
    this.arrayBuffer = new ArrayBuffer(minPages * PAGE_SIZE);
    this.view = new DataView(this.arrayBuffer);
    this.bytes = new Uint8Array(this.arrayBuffer);
    addMemoryBytes(limits, minPages * PAGE_SIZE);
  }

  /** Whether growing by `delta` pages stays within the declared maximum and the store limit. */
  canGrow(delta: number): boolean {
    return this.withinDeclaredMax(delta) && !this.exceedsStoreLimit(delta);
  }

  private withinDeclaredMax(delta: number): boolean {
    const pages = this.pages + delta;
    return pages <= (this.maxPages ?? this.maxAddressablePages) && pages <= this.maxAddressablePages;
  }

  /** Whether a grow by `delta` within the declared maximum is refused by a store limit (this memory's size, or all memories'). */
  exceedsStoreLimit(delta: number): boolean {
    if (!this.withinDeclaredMax(delta)) return false;
    const limits = this.limits;
    return (this.pages + delta) * PAGE_SIZE > limits.maxMemoryBytes || limits.memoryBytes + delta * PAGE_SIZE > limits.maxTotalMemoryBytes;
  }

  /** Grows by `delta` pages; returns the old size in pages, or -1 (memory unchanged) when it cannot. */
  growPages(delta: number): number {
    const old = this.pages;
    if (!this.canGrow(delta)) return -1;
    if (delta === 0 && this.growListeners.length === 0) return old;
    let buffer: ArrayBuffer;
    try {
      buffer = new ArrayBuffer((old + delta) * PAGE_SIZE);
    } catch {
      return -1; // the host cannot allocate that much: Wasm sees a failed grow
    }
    const bytes = new Uint8Array(buffer);
    bytes.set(this.bytes);
    this.arrayBuffer = buffer;
    this.view = new DataView(buffer);
    this.bytes = bytes;
    this.pages = old + delta;
    addMemoryBytes(this.limits, delta * PAGE_SIZE);
    for (const listener of this.growListeners) listener();
    return old;
  }

  /** Adds a listener called after every successful grow, when the new buffer is in place. */
  addGrowListener(listener: () => void): void {
    this.growListeners.push(listener);
  }
}
