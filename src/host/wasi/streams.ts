/** The guest's standard streams. */

const encoder = new TextEncoder();

/**
 * Standard input: fixed bytes or text, or a callback asked for at most `maxBytes` bytes
 * whenever the buffered input runs out (an empty result or null means end of input).
 */
export type StdinOption = Uint8Array | string | ((maxBytes: number) => Uint8Array | string | null | undefined);

/** Receives each chunk the guest writes (one chunk per fd_write call; the chunk is a copy). */
export type OutputSink = (chunk: Uint8Array) => void;

const toBytes = (data: Uint8Array | string): Uint8Array => (typeof data === 'string' ? encoder.encode(data) : data);

export class InputStream {
  private pending: Uint8Array;
  private offset = 0;
  private readonly pull: ((maxBytes: number) => Uint8Array | string | null | undefined) | undefined;
  private ended = false;

  constructor(source: StdinOption | undefined) {
    if (typeof source === 'function') {
      this.pending = new Uint8Array(0);
      this.pull = source;
    } else {
      this.pending = source === undefined ? new Uint8Array(0) : toBytes(source);
      this.pull = undefined;
    }
  }

  /**
   * Up to `maxBytes` bytes of input (a view, valid until the next call). Asks the callback
   * for more only when `mayPull` and nothing is buffered, so one fd_read never blocks on
   * input after it already has some.
   */
  take(maxBytes: number, mayPull: boolean): Uint8Array {
    if (this.offset >= this.pending.byteLength && mayPull && this.pull !== undefined && !this.ended) {
      const chunk = this.pull(maxBytes);
      this.pending = chunk === null || chunk === undefined ? new Uint8Array(0) : toBytes(chunk);
      this.offset = 0;
      if (this.pending.byteLength === 0) this.ended = true;
    }
    const count = Math.min(maxBytes, this.pending.byteLength - this.offset);
    const chunk = this.pending.subarray(this.offset, this.offset + count);
    this.offset += count;
    return chunk;
  }

  /**
   * What a read could get now without asking the callback (poll_oneoff must not block on
   * it): the buffered byte count, and whether input has certainly ended.
   */
  available(): { bytes: number; ended: boolean } {
    const bytes = this.pending.byteLength - this.offset;
    return { bytes, ended: bytes === 0 && (this.pull === undefined || this.ended) };
  }
}

/** Collects output when the embedder gave no sink. */
export class OutputCollector {
  private readonly chunks: Uint8Array[] = [];
  readonly sink: OutputSink = (chunk) => {
    this.chunks.push(chunk);
  };

  bytes(): Uint8Array {
    const total = this.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    const all = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return all;
  }
}
