/** A growable byte buffer with the binary format's encodings (LEB128, floats, names). */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b;
  }

  bytes(data: ArrayLike<number>): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Unsigned LEB128 of a value below 2^32. */
  u32(value: number): void {
    this.reserve(5);
    value >>>= 0;
    do {
      let b = value & 0x7f;
      value >>>= 7;
      if (value !== 0) b |= 0x80;
      this.buffer[this.length++] = b;
    } while (value !== 0);
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(value: number): void {
    this.reserve(5);
    value |= 0;
    for (;;) {
      const b = value & 0x7f;
      value >>= 7;
      if ((value === 0 && (b & 0x40) === 0) || (value === -1 && (b & 0x40) !== 0)) {
        this.buffer[this.length++] = b;
        return;
      }
      this.buffer[this.length++] = b | 0x80;
    }
  }

  /** Signed LEB128 of any integer (i64 constants, s33 type indices). */
  sBig(value: bigint): void {
    for (;;) {
      const b = Number(value & 0x7fn);
      value >>= 7n;
      if ((value === 0n && (b & 0x40) === 0) || (value === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }

  /** Unsigned LEB128 of any non-negative integer (memory64 limits and offsets). */
  uBig(value: bigint): void {
    do {
      let b = Number(value & 0x7fn);
      value >>= 7n;
      if (value !== 0n) b |= 0x80;
      this.byte(b);
    } while (value !== 0n);
  }

  u32le(value: number): void {
    this.reserve(4);
    this.buffer[this.length++] = value & 0xff;
    this.buffer[this.length++] = (value >>> 8) & 0xff;
    this.buffer[this.length++] = (value >>> 16) & 0xff;
    this.buffer[this.length++] = (value >>> 24) & 0xff;
  }

  u64le(value: bigint): void {
    this.u32le(Number(value & 0xffffffffn));
    this.u32le(Number(value >> 32n));
  }

  /** A length-prefixed byte string (names, data). */
  vecBytes(data: Uint8Array): void {
    this.u32(data.length);
    this.bytes(data);
  }

  /** A length-prefixed copy of another writer's contents (sections, function bodies). */
  sized(inner: ByteWriter): void {
    this.u32(inner.length);
    this.bytes(inner.view());
  }

  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
