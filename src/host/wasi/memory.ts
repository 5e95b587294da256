/** Bounds-checked access to the guest's linear memory. */

import { Errno } from './constants.js';
import { WasiError } from './errors.js';

/**
 * A guest memory: a `WebAssembly.Memory`-shaped object (`buffer` getter) or a purewasm
 * `Memory` (`buffer()` method). Both replace their buffer on grow, so it is re-read.
 */
export type WasiMemory = { readonly buffer: ArrayBufferLike } | { buffer(): ArrayBufferLike };

const NO_MEMORY = new ArrayBuffer(0);

export class GuestMemory {
  private source: WasiMemory | undefined;
  private cachedBuffer: ArrayBufferLike = NO_MEMORY;
  private cachedBytes: Uint8Array = new Uint8Array(NO_MEMORY);
  private cachedView: DataView = new DataView(NO_MEMORY);

  bind(source: WasiMemory): void {
    this.source = source;
  }

  get bound(): boolean {
    return this.source !== undefined;
  }

  /** The current bytes; refreshed whenever the guest's buffer was replaced (grow). */
  private refresh(): void {
    const source = this.source;
    const buffer = source === undefined ? NO_MEMORY : typeof source.buffer === 'function' ? source.buffer() : source.buffer;
    if (buffer !== this.cachedBuffer || this.cachedBytes.byteLength !== buffer.byteLength) {
      this.cachedBuffer = buffer;
      this.cachedBytes = new Uint8Array(buffer);
      this.cachedView = new DataView(buffer);
    }
  }

  /** Throws EFAULT unless [ptr, ptr + length) lies inside memory. */
  private check(ptr: number, length: number): void {
    this.refresh();
    if (ptr + length > this.cachedBytes.byteLength) throw new WasiError(Errno.FAULT, 'pointer out of bounds');
  }

  u8(ptr: number): number {
    this.check(ptr, 1);
    return this.cachedBytes[ptr]!;
  }
  u16(ptr: number): number {
    this.check(ptr, 2);
    return this.cachedView.getUint16(ptr, true);
  }
  u32(ptr: number): number {
    this.check(ptr, 4);
    return this.cachedView.getUint32(ptr, true);
  }
  u64(ptr: number): bigint {
    this.check(ptr, 8);
    return this.cachedView.getBigUint64(ptr, true);
  }

  setU8(ptr: number, value: number): void {
    this.check(ptr, 1);
    this.cachedBytes[ptr] = value;
  }
  setU16(ptr: number, value: number): void {
    this.check(ptr, 2);
    this.cachedView.setUint16(ptr, value, true);
  }
  setU32(ptr: number, value: number): void {
    this.check(ptr, 4);
    this.cachedView.setUint32(ptr, value, true);
  }
  setU64(ptr: number, value: bigint): void {
    this.check(ptr, 8);
    this.cachedView.setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }

  /** Throws EFAULT unless the range is inside memory; for checking outputs before side effects. */
  assertRange(ptr: number, length: number): void {
    this.check(ptr, length);
  }

  /** A copy of guest bytes (safe to keep after the guest runs again). */
  read(ptr: number, length: number): Uint8Array {
    this.check(ptr, length);
    return this.cachedBytes.slice(ptr, ptr + length);
  }

  /** A live window onto guest bytes, to fill in place; valid until memory grows. */
  window(ptr: number, length: number): Uint8Array {
    this.check(ptr, length);
    return this.cachedBytes.subarray(ptr, ptr + length);
  }

  write(ptr: number, data: Uint8Array): void {
    this.check(ptr, data.byteLength);
    this.cachedBytes.set(data, ptr);
  }
}
