import type { Module } from '../module.js';

/** FNV-1a: cheap next to compiling, and collisions only cost a byte comparison. */
function hashBytes(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Compiled modules by content, least recently used first out: running the same
 * guest again skips decoding, validation and lowering. A Module is immutable,
 * so executions in separate stores can share it.
 */
export class ModuleCache {
  private readonly capacity: number;
  // A Map keeps insertion order: re-inserting on a hit makes the first key the least recently used.
  private readonly entries = new Map<string, { bytes: Uint8Array; module: Module }>();

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new RangeError(`the module cache size must be a non-negative safe integer, got ${String(capacity)}`);
    this.capacity = capacity;
  }

  /** The cached module for these bytes, or the one `compile` makes (then cached). */
  getOrCompile(bytes: Uint8Array, compile: () => Module): Module {
    if (this.capacity === 0) return compile();
    const key = `${bytes.length}:${hashBytes(bytes)}`;
    const entry = this.entries.get(key);
    if (entry !== undefined && sameBytes(entry.bytes, bytes)) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.module;
    }
    const module = compile();
    this.entries.delete(key);
    this.entries.set(key, { bytes: bytes.slice(), module });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return module;
  }
}
