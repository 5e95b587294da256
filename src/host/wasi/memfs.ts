/** An in-memory file system for WASI: browser-safe, deterministic, the default backend. */

import { Errno, FileType } from './constants.js';
import { WasiError } from './errors.js';
import type { FsDir, FsEntry, FsFile, FsHandle, FsStat } from './fs.js';

/** A directory tree: strings are UTF-8 file contents, byte arrays raw contents, objects subdirectories. */
export interface MemTree {
  [name: string]: string | Uint8Array | MemTree;
}

export interface MemfsOptions {
  /** The timestamp (ns since the epoch) every node reports; default 0. Writes do not change it. */
  time?: bigint;
  /** Largest size a file may reach, in bytes; writing beyond it fails with EFBIG. Default 256 MiB. */
  maxFileBytes?: number;
}

/** State shared by all nodes of one tree. */
interface MemfsContext {
  nextIno: bigint;
  readonly time: bigint;
  readonly maxFileBytes: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function baseStat(context: MemfsContext, filetype: number, ino: bigint, size: number): FsStat {
  return { filetype, size, dev: 0n, ino, nlink: 1n, atim: context.time, mtim: context.time, ctim: context.time };
}

/** A regular file; it is its own handle since positioned I/O needs no per-open state. */
export class MemFile implements FsFile, FsHandle {
  readonly kind = 'file';
  private readonly ino: bigint;
  /** Capacity grows geometrically; bytes at and past `length` are always zero. */
  private bytes: Uint8Array;
  private length: number;

  constructor(
    private readonly context: MemfsContext,
    content: Uint8Array,
  ) {
    this.ino = context.nextIno++;
    this.bytes = content.slice();
    this.length = content.byteLength;
  }

  /** A copy of the current contents. */
  content(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  text(): string {
    return decoder.decode(this.bytes.subarray(0, this.length));
  }

  stat(): FsStat {
    return baseStat(this.context, FileType.REGULAR_FILE, this.ino, this.length);
  }

  open(): FsHandle {
    return this;
  }

  close(): void {}

  read(into: Uint8Array, position: number): number {
    if (position >= this.length) return 0;
    const count = Math.min(into.byteLength, this.length - position);
    into.set(this.bytes.subarray(position, position + count));
    return count;
  }

  write(data: Uint8Array, position: number): number {
    const end = position + data.byteLength;
    this.reserve(end);
    this.bytes.set(data, position);
    if (end > this.length) this.length = end;
    return data.byteLength;
  }

  truncate(size: number): void {
    if (size < this.length) {
      this.bytes.fill(0, size, this.length);
    } else {
      this.reserve(size);
    }
    this.length = size;
  }

  private reserve(size: number): void {
    if (size > this.context.maxFileBytes) throw new WasiError(Errno.FBIG, 'file too large');
    if (size <= this.bytes.byteLength) return;
    const capacity = Math.min(this.context.maxFileBytes, Math.max(size, this.bytes.byteLength * 2, 64));
    let grown: Uint8Array;
    try {
      grown = new Uint8Array(capacity);
    } catch {
      throw new WasiError(Errno.NOSPC, 'out of memory for file contents');
    }
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

export class MemDir implements FsDir {
  readonly kind = 'dir';
  private readonly ino: bigint;
  private readonly entries = new Map<string, MemFile | MemDir>();

  constructor(private readonly context: MemfsContext) {
    this.ino = context.nextIno++;
  }

  stat(): FsStat {
    return baseStat(this.context, FileType.DIRECTORY, this.ino, 0);
  }

  lookup(name: string): MemFile | MemDir | undefined {
    return this.entries.get(name);
  }

  names(): string[] {
    return [...this.entries.keys()].sort(compareCodeUnits);
  }

  createFile(name: string): MemFile {
    return this.add(name, new MemFile(this.context, new Uint8Array(0)));
  }

  createDir(name: string): MemDir {
    return this.add(name, new MemDir(this.context));
  }

  remove(name: string): void {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new WasiError(Errno.NOENT);
    if (entry.kind === 'dir' && entry.entries.size > 0) throw new WasiError(Errno.NOTEMPTY);
    this.entries.delete(name);
  }

  rename(name: string, target: FsDir, targetName: string): void {
    if (!(target instanceof MemDir) || target.context !== this.context) throw new WasiError(Errno.XDEV);
    const source = this.entries.get(name);
    if (source === undefined) throw new WasiError(Errno.NOENT);
    const existing = target.entries.get(targetName);
    if (existing === source) return;
    if (source.kind === 'dir' && (source === target || source.contains(target))) throw new WasiError(Errno.INVAL);
    if (existing !== undefined) {
      if (source.kind === 'file' && existing.kind === 'dir') throw new WasiError(Errno.ISDIR);
      if (source.kind === 'dir' && existing.kind === 'file') throw new WasiError(Errno.NOTDIR);
      if (existing.kind === 'dir' && existing.entries.size > 0) throw new WasiError(Errno.NOTEMPTY);
    }
    this.entries.delete(name);
    target.entries.set(targetName, source);
  }

  /** The node at a '/'-separated path below this directory (embedder convenience). */
  get(path: string): MemFile | MemDir | undefined {
    let node: MemFile | MemDir | undefined = this;
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (node.kind !== 'dir') return undefined;
      node = node.entries.get(part);
      if (node === undefined) return undefined;
    }
    return node;
  }

  /** The contents of the file at `path`; throws if there is no such file. */
  readFile(path: string): Uint8Array {
    return this.file(path).content();
  }

  /** The contents of the file at `path` decoded as UTF-8; throws if there is no such file. */
  readText(path: string): string {
    return this.file(path).text();
  }

  /** Creates or replaces the file at `path`; parent directories must exist. */
  writeFile(path: string, content: string | Uint8Array): void {
    const parts = path.split('/').filter((part) => part !== '' && part !== '.');
    const name = parts.pop();
    const parent = this.get(parts.join('/'));
    if (name === undefined || parent === undefined || parent.kind !== 'dir') {
      throw new Error(`memfs: no directory for ${path}`);
    }
    if (parent.entries.get(name)?.kind === 'dir') throw new Error(`memfs: ${path} is a directory`);
    parent.entries.set(name, new MemFile(this.context, toBytes(content)));
  }

  /** The whole tree as a plain object with byte-array contents. */
  toTree(): MemTree {
    const tree: MemTree = {};
    for (const name of this.names()) {
      const entry = this.entries.get(name)!;
      tree[name] = entry.kind === 'dir' ? entry.toTree() : entry.content();
    }
    return tree;
  }

  private file(path: string): MemFile {
    const node = this.get(path);
    if (node === undefined || node.kind !== 'file') throw new Error(`memfs: no file at ${path}`);
    return node;
  }

  private add<T extends MemFile | MemDir>(name: string, entry: T): T {
    if (this.entries.has(name)) throw new WasiError(Errno.EXIST);
    this.entries.set(name, entry);
    return entry;
  }

  private contains(node: FsEntry): boolean {
    for (const entry of this.entries.values()) {
      if (entry === node || (entry.kind === 'dir' && entry.contains(node))) return true;
    }
    return false;
  }

  /** Fills this directory from a tree description. */
  populate(tree: MemTree): this {
    for (const [name, value] of Object.entries(tree)) {
      if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
        throw new TypeError(`memfs: invalid file name ${JSON.stringify(name)}`);
      }
      if (typeof value === 'string' || value instanceof Uint8Array) {
        this.entries.set(name, new MemFile(this.context, toBytes(value)));
      } else {
        this.entries.set(name, new MemDir(this.context).populate(value));
      }
    }
    return this;
  }
}

function toBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? encoder.encode(content) : content;
}

/** Sorts by UTF-16 code units, independent of locale. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds an in-memory directory from a plain object tree. */
export function memfs(tree: MemTree = {}, options: MemfsOptions = {}): MemDir {
  const context: MemfsContext = {
    nextIno: 1n,
    time: options.time ?? 0n,
    maxFileBytes: options.maxFileBytes ?? 256 * 1024 * 1024,
  };
  return new MemDir(context).populate(tree);
}
