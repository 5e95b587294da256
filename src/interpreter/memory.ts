import type { ResourceLimits } from './limits.js';

export const PAGE_SIZE = 65536;
/** 4 GiB: the most a 32-bit memory can address. */
export const MAX_PAGES = 65536;

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
  private readonly limits: ResourceLimits;

  /** Throws RangeError when `minPages` exceeds the store limit or cannot be allocated. */
  constructor(limits: ResourceLimits, minPages: number, maxPages: number | undefined) {
    if (minPages > MAX_PAGES || minPages * PAGE_SIZE > limits.maxMemoryBytes) {
      throw new RangeError(`memory of ${minPages} pages exceeds the store limit of ${limits.maxMemoryBytes} bytes`);
    }
    this.limits = limits;
    this.minPages = minPages;
    this.maxPages = maxPages;
    this.pages = minPages;
    this.arrayBuffer = new ArrayBuffer(minPages * PAGE_SIZE);
    this.view = new DataView(this.arrayBuffer);
    this.bytes = new Uint8Array(this.arrayBuffer);
  }

  /** Whether growing by `delta` pages stays within the declared maximum and the store limit. */
  canGrow(delta: number): boolean {
    const pages = this.pages + delta;
    return pages <= (this.maxPages ?? MAX_PAGES) && pages <= MAX_PAGES && pages * PAGE_SIZE <= this.limits.maxMemoryBytes;
  }

  /** Grows by `delta` pages; returns the old size in pages, or -1 (memory unchanged) when it cannot. */
  growPages(delta: number): number {
    const old = this.pages;
    if (!this.canGrow(delta)) return -1;
    if (delta === 0) return old;
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
    return old;
  }
}
