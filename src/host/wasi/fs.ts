/**
 * The file-system interface WASI runs on. Two backends implement it: the in-memory
 * `memfs` (browser-safe, the default) and the Node backend in `node-fs.ts`. Names
 * passed to these methods are single path components, never '', '.', '..' or containing
 * '/': path resolution and sandboxing happen in the WASI layer, above the backend.
 * Failures are reported by throwing `WasiError` with a WASI errno.
 */

export interface FsStat {
  /** A `FileType` value. */
  filetype: number;
  size: number;
  dev: bigint;
  ino: bigint;
  nlink: bigint;
  /** Timestamps in nanoseconds since the Unix epoch. */
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** An open file: positioned I/O, like pread/pwrite. */
export interface FsHandle {
  /** Reads into `into` from `position`; returns the byte count (0 at end of file). */
  read(into: Uint8Array, position: number): number;
  /** Writes all of `data` at `position`, extending the file if needed; returns the byte count. */
  write(data: Uint8Array, position: number): number;
  /** Sets the size, dropping bytes or appending zeros. */
  truncate(size: number): void;
  stat(): FsStat;
  close(): void;
}

export interface FsFile {
  readonly kind: 'file';
  stat(): FsStat;
  open(access: { read: boolean; write: boolean }): FsHandle;
}

export interface FsDir {
  readonly kind: 'dir';
  stat(): FsStat;
  /** The entry called `name`, or undefined when there is none. */
  lookup(name: string): FsEntry | undefined;
  /** Entry names (without '.' and '..') in a stable order, so readdir cookies stay meaningful. */
  names(): string[];
  createFile(name: string): FsFile;
  createDir(name: string): FsDir;
  /** Removes the file or (empty) directory called `name`. */
  remove(name: string): void;
  /**
   * Moves entry `name` to `targetName` in `target` (possibly this directory), replacing a
   * compatible existing entry as POSIX rename does. EXDEV when `target` is another backend.
   */
  rename(name: string, target: FsDir, targetName: string): void;
}

/** Anything that is neither a regular file nor a directory (symlink, device, socket...). */
export interface FsOther {
  readonly kind: 'other';
  stat(): FsStat;
}

export type FsEntry = FsFile | FsDir | FsOther;

export function isFsDir(value: unknown): value is FsDir {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as FsDir).kind === 'dir' &&
    typeof (value as FsDir).lookup === 'function'
  );
}
