/**
 * The Node backend: real host directories and the process's standard streams for WASI.
 * The only file in the WASI host that uses `node:` modules, reachable only through its
 * own entry point, so the browser-safe core never loads it.
 *
 * Confinement: the WASI layer resolves paths component by component and refuses
 * absolute paths and '..' above a preopen; this backend never follows symbolic links
 * (they show up as symlinks in readdir/stat and cannot be opened or traversed).
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Errno, FileType } from './constants.js';
import { WasiError } from './errors.js';
import type { FsDir, FsEntry, FsFile, FsHandle, FsOther, FsStat } from './fs.js';
import type { OutputSink, StdinOption } from './streams.js';

const NODE_ERRNO: Record<string, number> = {
  EACCES: Errno.ACCES,
  EAGAIN: Errno.AGAIN,
  EBADF: Errno.BADF,
  EBUSY: Errno.BUSY,
  EEXIST: Errno.EXIST,
  EFBIG: Errno.FBIG,
  EINVAL: Errno.INVAL,
  EIO: Errno.IO,
  EISDIR: Errno.ISDIR,
  ELOOP: Errno.LOOP,
  EMFILE: Errno.MFILE,
  ENAMETOOLONG: Errno.NAMETOOLONG,
  ENOENT: Errno.NOENT,
  ENOMEM: Errno.NOMEM,
  ENOSPC: Errno.NOSPC,
  ENOTDIR: Errno.NOTDIR,
  ENOTEMPTY: Errno.NOTEMPTY,
  ENOTSUP: Errno.NOTSUP,
  EPERM: Errno.PERM,
  EROFS: Errno.ROFS,
  EXDEV: Errno.XDEV,
};

/** Runs a host file-system call, reporting its failure as the matching WASI errno. */
function host<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new WasiError(NODE_ERRNO[code] ?? Errno.IO, (error as Error).message);
    throw error;
  }
}

function fileType(stats: fs.BigIntStats): number {
  if (stats.isFile()) return FileType.REGULAR_FILE;
  if (stats.isDirectory()) return FileType.DIRECTORY;
  if (stats.isSymbolicLink()) return FileType.SYMBOLIC_LINK;
  if (stats.isCharacterDevice()) return FileType.CHARACTER_DEVICE;
  if (stats.isBlockDevice()) return FileType.BLOCK_DEVICE;
  if (stats.isSocket()) return FileType.SOCKET_STREAM;
  return FileType.UNKNOWN;
}

function toStat(stats: fs.BigIntStats): FsStat {
  return {
    filetype: fileType(stats),
    size: Number(stats.size),
    dev: stats.dev,
    ino: stats.ino,
    nlink: stats.nlink,
    atim: stats.atimeNs,
    mtim: stats.mtimeNs,
    ctim: stats.ctimeNs,
  };
}

const lstat = (hostPath: string): fs.BigIntStats | undefined =>
  host(() => fs.lstatSync(hostPath, { bigint: true, throwIfNoEntry: false }));

function entryAt(hostPath: string): FsEntry | undefined {
  const stats = lstat(hostPath);
  if (stats === undefined) return undefined;
  if (stats.isDirectory()) return new NodeDir(hostPath);
  if (stats.isFile()) return new NodeFile(hostPath);
  return new NodeOther(hostPath);
}

class NodeHandle implements FsHandle {
  constructor(private fd: number | undefined) {}

  private get open(): number {
    if (this.fd === undefined) throw new WasiError(Errno.BADF);
    return this.fd;
  }

  read(into: Uint8Array, position: number): number {
    return host(() => fs.readSync(this.open, into, 0, into.byteLength, position));
  }

  write(data: Uint8Array, position: number): number {
    let written = 0;
    while (written < data.byteLength) {
      written += host(() => fs.writeSync(this.open, data, written, data.byteLength - written, position + written));
    }
    return written;
  }

  truncate(size: number): void {
    host(() => fs.ftruncateSync(this.open, size));
  }

  stat(): FsStat {
    return toStat(host(() => fs.fstatSync(this.open, { bigint: true })));
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    host(() => fs.closeSync(fd));
  }
}

class NodeFile implements FsFile {
  readonly kind = 'file';
  constructor(private readonly hostPath: string) {}

  stat(): FsStat {
    const stats = lstat(this.hostPath);
    if (stats === undefined) throw new WasiError(Errno.NOENT);
    return toStat(stats);
  }

  open(access: { read: boolean; write: boolean }): FsHandle {
    const { O_RDONLY, O_WRONLY, O_RDWR } = fs.constants;
    const mode = access.write ? (access.read ? O_RDWR : O_WRONLY) : O_RDONLY;
    // O_NOFOLLOW: a symlink swapped in after lookup must not lead outside the preopen.
    const flags = mode | (fs.constants.O_NOFOLLOW ?? 0);
    return new NodeHandle(host(() => fs.openSync(this.hostPath, flags)));
  }
}

class NodeOther implements FsOther {
  readonly kind = 'other';
  constructor(private readonly hostPath: string) {}

  stat(): FsStat {
    const stats = lstat(this.hostPath);
    if (stats === undefined) throw new WasiError(Errno.NOENT);
    return toStat(stats);
  }
}

class NodeDir implements FsDir {
  readonly kind = 'dir';
  constructor(readonly hostPath: string) {}

  private child(name: string): string {
    return path.join(this.hostPath, name);
  }

  stat(): FsStat {
    const stats = lstat(this.hostPath);
    if (stats === undefined) throw new WasiError(Errno.NOENT);
    return toStat(stats);
  }

  lookup(name: string): FsEntry | undefined {
    return entryAt(this.child(name));
  }

  names(): string[] {
    return host(() => fs.readdirSync(this.hostPath)).sort();
  }

  createFile(name: string): FsFile {
    const { O_CREAT, O_EXCL, O_WRONLY } = fs.constants;
    host(() => fs.closeSync(fs.openSync(this.child(name), O_CREAT | O_EXCL | O_WRONLY, 0o666)));
    return new NodeFile(this.child(name));
  }

  createDir(name: string): FsDir {
    host(() => fs.mkdirSync(this.child(name), 0o777));
    return new NodeDir(this.child(name));
  }

  remove(name: string): void {
    const target = this.child(name);
    const stats = lstat(target);
    if (stats === undefined) throw new WasiError(Errno.NOENT);
    host(() => (stats.isDirectory() ? fs.rmdirSync(target) : fs.unlinkSync(target)));
  }

  rename(name: string, target: FsDir, targetName: string): void {
    if (!(target instanceof NodeDir)) throw new WasiError(Errno.XDEV);
    host(() => fs.renameSync(this.child(name), target.child(targetName)));
  }
}

/** A host directory for `preopens`, e.g. `preopens: { '/data': nodeDir('./data') }`. */
export function nodeDir(hostPath: string): FsDir {
  const resolved = path.resolve(hostPath);
  const stats = fs.statSync(resolved);
  if (!stats.isDirectory()) throw new Error(`nodeDir: ${resolved} is not a directory`);
  return new NodeDir(resolved);
}

/**
 * `stdin` that reads the host process's standard input synchronously (WASI calls are
 * synchronous). Do not also read `process.stdin`: that switches fd 0 to non-blocking.
 */
export function nodeStdin(): StdinOption {
  return (maxBytes) => {
    const buffer = new Uint8Array(Math.min(maxBytes, 65536));
    for (;;) {
      try {
        return buffer.subarray(0, fs.readSync(0, buffer, 0, buffer.byteLength, null));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EOF') return null; // Windows reports end of a pipe this way
        if (code !== 'EAGAIN') throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // non-blocking fd: wait for input
      }
    }
  };
}

/** A `stdout`/`stderr` sink writing synchronously to a host file descriptor (1 or 2). */
export function nodeOutput(fd: number): OutputSink {
  return (chunk) => {
    for (let written = 0; written < chunk.byteLength; ) {
      written += fs.writeSync(fd, chunk, written, chunk.byteLength - written);
    }
  };
}
