/**
 * WASI preview1 (`wasi_snapshot_preview1`) with an API close to `node:wasi`. Browser-safe:
 * files come from the backends given as preopens (the in-memory `memfs` by default),
 * output goes to callbacks, and time and randomness can be made deterministic.
 */

import {
  ClockId,
  DIRECTORY_RIGHTS,
  Errno,
  EVENTRWFLAGS_HANGUP,
  EventType,
  FDFLAGS_ALL,
  FdFlags,
  FILE_RIGHTS,
  FileType,
  Layout,
  OFlags,
  PREOPENTYPE_DIR,
  Rights,
  SUBCLOCKFLAGS_ABSTIME,
  Whence,
} from './constants.js';
import { WASIExitError, WasiError, findExit } from './errors.js';
import { isFsDir, type FsDir, type FsEntry, type FsFile, type FsHandle, type FsStat } from './fs.js';
import { memfs, type MemTree } from './memfs.js';
import { GuestMemory, type WasiMemory } from './memory.js';
import { WASI_FUNCTION_TYPES, WASI_MODULE, type WasiFunctionName } from './signatures.js';
import {
  CLOCK_NAMES,
  seededRandom,
  steppingClock,
  systemClock,
  systemRandom,
  waitForCustomClock,
  waitForSystemClock,
  type Clock,
  type ClockName,
  type RandomSource,
  type WaitUntil,
} from './sources.js';
import { InputStream, OutputCollector, type OutputSink, type StdinOption } from './streams.js';

export interface DeterministicOptions {
  /** PRNG seed for random_get; default 0. */
  seed?: number;
  /** Realtime clock start in ns since the epoch; default 0. */
  startTime?: bigint;
  /** Nanoseconds each clock read advances time; default 1000. */
  step?: bigint;
}

export interface WASIOptions {
  /** Command-line arguments; the first is conventionally the program name. */
  args?: string[];
  /** Environment variables. */
  env?: Record<string, string>;
  /**
   * Directories the guest may use, by guest path: a file-system backend (`memfs(...)`,
   * or `nodeDir(...)` from the separate Node entry) or a plain tree for `memfs`.
   */
  preopens?: Record<string, FsDir | MemTree>;
  stdin?: StdinOption;
  /** Default: output is collected, see getStdout(). */
  stdout?: OutputSink;
  /** Default: output is collected, see getStderr(). */
  stderr?: OutputSink;
  /**
   * true (default): `start()` returns the code passed to proc_exit. false: proc_exit makes
   * `start()` throw the WASIExitError (with `.code`) so the embedder decides what exiting
   * means, e.g. a CLI calls process.exit(code). Either way the guest stops at proc_exit.
   */
  returnOnExit?: boolean;
  /**
   * Fixed clocks and a seeded PRNG; `clock` and `random` still override them. Sleeping
   * (poll_oneoff) never blocks: the virtual clock jumps to the deadline instead.
   */
  deterministic?: boolean | DeterministicOptions;
  /**
   * Replaces the clocks. poll_oneoff then blocks for the time this clock says is left,
   * or not at all in deterministic mode (this clock cannot be moved forward).
   */
  clock?: Clock;
  random?: RandomSource;
}

/** The instance shape `start`/`initialize` accept: WebAssembly.Instance or any look-alike. */
export interface WasiInstance {
  readonly exports: Record<string, unknown>;
}

export type WasiImportFunction = (...args: (number | bigint)[]) => number | undefined;

interface DescriptorBase {
  rightsBase: bigint;
  rightsInheriting: bigint;
  flags: number;
}
interface StdinDescriptor extends DescriptorBase {
  kind: 'stdin';
  stream: InputStream;
}
interface OutputDescriptor extends DescriptorBase {
  kind: 'output';
  sink: OutputSink;
}
interface FileDescriptor extends DescriptorBase {
  kind: 'file';
  file: FsFile;
  handle: FsHandle;
  position: number;
}
interface DirDescriptor extends DescriptorBase {
  kind: 'dir';
  dir: FsDir;
  /** For the '..' entry of readdir; a preopen is its own parent. */
  parent: FsDir;
  /** The guest path of a preopened directory, UTF-8. */
  preopenName: Uint8Array | undefined;
}
type Descriptor = StdinDescriptor | OutputDescriptor | FileDescriptor | DirDescriptor;

/** One subscription of a poll_oneoff call, as the event it reports if it is ready. */
interface PollEntry {
  userdata: bigint;
  type: number;
  error: number;
  nbytes: bigint;
  flags: number;
  /** Clock subscriptions only: when it fires. */
  timer?: { clock: ClockName; deadline: bigint };
}

/** A resolved path: what it names and the directory that contains that. */
interface Resolved {
  /** The directory containing `entry` (for a path ending in '.' or '..', the one above it). */
  parent: FsDir;
  /** The last component; undefined when the path ends in '.' or '..' and names a directory itself. */
  name: string | undefined;
  entry: FsEntry | undefined;
  trailingSlash: boolean;
}

const encoder = new TextEncoder();
const pathDecoder = new TextDecoder('utf-8', { fatal: true });

const STDIN_RIGHTS = Rights.FD_READ | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_FILESTAT_GET | Rights.POLL_FD_READWRITE;
const OUTPUT_RIGHTS = Rights.FD_WRITE | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_FILESTAT_GET | Rights.POLL_FD_READWRITE;
const ALL_RIGHTS = FILE_RIGHTS | DIRECTORY_RIGHTS;
const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const u32 = (value: number | bigint): number =>
  typeof value === 'bigint' ? Number(BigInt.asUintN(32, value)) : value >>> 0;
const u64 = (value: number | bigint): bigint => BigInt.asUintN(64, typeof value === 'bigint' ? value : BigInt(Math.trunc(value)));

/** A 64-bit file offset or size from the guest as a JS number, or EINVAL beyond 2^53. */
function fileOffset(value: bigint): number {
  if (value > MAX_SAFE) throw new WasiError(Errno.INVAL, 'offset too large');
  return Number(value);
}

function encodeStrings(strings: string[], what: string): Uint8Array[] {
  return strings.map((text) => {
    if (text.includes('\0')) throw new TypeError(`WASI: ${what} must not contain NUL characters`);
    const bytes = encoder.encode(text);
    const terminated = new Uint8Array(bytes.byteLength + 1);
    terminated.set(bytes);
    return terminated;
  });
}

function hasMemoryShape(value: unknown): value is WasiMemory {
  return typeof value === 'object' && value !== null && 'buffer' in value;
}

export class WASI {
  /** The `wasi_snapshot_preview1` functions, taking and returning plain numbers (i64 as bigint). */
  readonly wasiImport: Record<WasiFunctionName, WasiImportFunction>;

  private readonly memory = new GuestMemory();
  private readonly args: Uint8Array[];
  private readonly env: Uint8Array[];
  private readonly fds = new Map<number, Descriptor>();
  private readonly clock: Clock;
  private readonly waitUntil: WaitUntil;
  private readonly random: RandomSource;
  private readonly returnOnExit: boolean;
  private readonly stdoutCollector = new OutputCollector();
  private readonly stderrCollector = new OutputCollector();
  private started = false;

  constructor(options: WASIOptions = {}) {
    this.args = encodeStrings(options.args ?? [], 'args');
    this.env = encodeStrings(
      Object.entries(options.env ?? {}).map(([key, value]) => {
        if (key === '' || key.includes('=')) throw new TypeError(`WASI: invalid environment variable name ${JSON.stringify(key)}`);
        return `${key}=${value}`;
      }),
      'env',
    );
    this.returnOnExit = options.returnOnExit ?? true;

    const deterministic = options.deterministic === true ? {} : options.deterministic || undefined;
    if (options.clock !== undefined) {
      this.clock = options.clock;
      this.waitUntil = deterministic ? () => {} : waitForCustomClock(options.clock);
    } else if (deterministic) {
      const virtual = steppingClock(deterministic.startTime ?? 0n, deterministic.step ?? 1000n);
      this.clock = virtual.read;
      this.waitUntil = virtual.advanceTo;
    } else {
      this.clock = systemClock;
      this.waitUntil = waitForSystemClock;
    }
    this.random = options.random ?? (deterministic ? seededRandom(deterministic.seed ?? 0) : systemRandom);

    const stdio = { rightsInheriting: 0n, flags: 0 };
    this.fds.set(0, { kind: 'stdin', stream: new InputStream(options.stdin), rightsBase: STDIN_RIGHTS, ...stdio });
    this.fds.set(1, { kind: 'output', sink: options.stdout ?? this.stdoutCollector.sink, rightsBase: OUTPUT_RIGHTS, ...stdio });
    this.fds.set(2, { kind: 'output', sink: options.stderr ?? this.stderrCollector.sink, rightsBase: OUTPUT_RIGHTS, ...stdio });
    let fd = 3;
    for (const [guestPath, backend] of Object.entries(options.preopens ?? {})) {
      if (typeof backend === 'string') {
        throw new TypeError('WASI: host directories need the Node backend: preopens: { guest: nodeDir(hostPath) }');
      }
      const dir = isFsDir(backend) ? backend : memfs(backend);
      this.fds.set(fd++, {
        kind: 'dir',
        dir,
        parent: dir,
        preopenName: encoder.encode(guestPath),
        rightsBase: DIRECTORY_RIGHTS,
        rightsInheriting: ALL_RIGHTS,
        flags: 0,
      });
    }

    const imports = {} as Record<WasiFunctionName, WasiImportFunction>;
    for (const name of Object.keys(WASI_FUNCTION_TYPES) as WasiFunctionName[]) {
      imports[name] = this.bindSyscall(name);
    }
    this.wasiImport = imports;
  }

  getImportObject(): { [WASI_MODULE]: Record<WasiFunctionName, WasiImportFunction> } {
    return { [WASI_MODULE]: this.wasiImport };
  }

  /**
   * Uses `memory` for every following call. start()/initialize() do this with the
   * instance's exported memory; call it yourself when the memory is imported, or when
   * an engine hands the memory to each host call (see defineWasi).
   */
  bindMemory(memory: WasiMemory): void {
    this.memory.bind(memory);
  }

  /**
   * Runs a command: calls the `_start` export and returns its exit code (0 when `_start`
   * returns). proc_exit unwinds the guest; see `returnOnExit`. Callable once.
   */
  start(instance: WasiInstance): number {
    const entry = this.claim(instance, 'start', '_start', '_initialize')!;
    try {
      entry();
      return 0;
    } catch (error) {
      const exit = findExit(error);
      if (exit === undefined) throw error;
      if (this.returnOnExit) return exit.code;
      throw exit;
    }
  }

  /** Sets up a reactor: calls `_initialize` if exported. A proc_exit in it throws WASIExitError. Callable once. */
  initialize(instance: WasiInstance): void {
    const entry = this.claim(instance, 'initialize', '_initialize', '_start');
    try {
      entry?.();
    } catch (error) {
      throw findExit(error) ?? error;
    }
  }

  /** Bytes written to stdout when no `stdout` callback was given. */
  getStdout(): Uint8Array {
    return this.stdoutCollector.bytes();
  }

  /** Bytes written to stderr when no `stderr` callback was given. */
  getStderr(): Uint8Array {
    return this.stderrCollector.bytes();
  }

  /**
   * Checks `instance` for `method` (an entry function named `entryName`, no export named
   * `forbidden`, a memory), binds its memory and marks this WASI started. Returns the entry.
   */
  private claim(
    instance: WasiInstance,
    method: string,
    entryName: string,
    forbidden: string,
  ): (() => unknown) | undefined {
    if (this.started) throw new Error(`WASI: ${method}(): this WASI instance has already started`);
    if (typeof instance !== 'object' || instance === null || typeof instance.exports !== 'object') {
      throw new TypeError(`WASI: ${method}() needs a WebAssembly instance`);
    }
    const { exports } = instance;
    if (forbidden in exports) throw new TypeError(`WASI: ${method}(): instance must not export ${forbidden}`);
    const entry = exports[entryName];
    if (entry !== undefined && typeof entry !== 'function') {
      throw new TypeError(`WASI: ${method}(): export ${entryName} is not a function`);
    }
    if (hasMemoryShape(exports.memory)) {
      this.bindMemory(exports.memory);
    } else if (!this.memory.bound) {
      throw new TypeError(`WASI: ${method}(): instance exports no memory named "memory"`);
    }
    if (method === 'start' && entry === undefined) throw new TypeError('WASI: start(): instance has no _start export');
    this.started = true;
    return entry as (() => unknown) | undefined;
  }

  /** Wraps one syscall: converts arguments by the signature, and turns WasiError into its errno. */
  private bindSyscall(name: WasiFunctionName): WasiImportFunction {
    const syscall = (this.syscalls as Partial<Record<WasiFunctionName, (...args: (number | bigint)[]) => number | void>>)[name];
    if (syscall === undefined) return () => Errno.NOSYS;
    const params = WASI_FUNCTION_TYPES[name].params;
    return (...raw) => {
      const args = params.map((type, i) => (type === 'i64' ? u64(raw[i] ?? 0) : u32(raw[i] ?? 0)));
      try {
        return syscall(...args) ?? Errno.SUCCESS;
      } catch (error) {
        if (error instanceof WasiError) return error.errno;
        throw error;
      }
    };
  }

  // ---- helpers -------------------------------------------------------------------

  private descriptor(fd: number): Descriptor {
    const descriptor = this.fds.get(fd);
    if (descriptor === undefined) throw new WasiError(Errno.BADF);
    return descriptor;
  }

  private requireRight(descriptor: Descriptor, right: bigint): void {
    if ((descriptor.rightsBase & right) === 0n) throw new WasiError(Errno.NOTCAPABLE);
  }

  private fileDescriptor(fd: number, right: bigint): FileDescriptor {
    const descriptor = this.descriptor(fd);
    if (descriptor.kind === 'dir') throw new WasiError(Errno.ISDIR);
    if (descriptor.kind !== 'file') throw new WasiError(Errno.SPIPE);
    this.requireRight(descriptor, right);
    return descriptor;
  }

  private dirDescriptor(fd: number, right: bigint): DirDescriptor {
    const descriptor = this.descriptor(fd);
    if (descriptor.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    this.requireRight(descriptor, right);
    return descriptor;
  }

  private allocateFd(descriptor: Descriptor): number {
    let fd = 0;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, descriptor);
    return fd;
  }

  /** The (ptr, len) pairs of an iovec array, each checked against memory. */
  private iovecs(ptr: number, count: number): { ptr: number; len: number }[] {
    this.memory.assertRange(ptr, count * Layout.IOVEC_SIZE);
    const list: { ptr: number; len: number }[] = [];
    for (let i = 0; i < count; i++) {
      const base = ptr + i * Layout.IOVEC_SIZE;
      const iovec = { ptr: this.memory.u32(base), len: this.memory.u32(base + 4) };
      this.memory.assertRange(iovec.ptr, iovec.len);
      list.push(iovec);
    }
    return list;
  }

  private gather(iovecs: { ptr: number; len: number }[]): Uint8Array {
    if (iovecs.length === 1) return this.memory.read(iovecs[0]!.ptr, iovecs[0]!.len);
    const total = iovecs.reduce((sum, iovec) => sum + iovec.len, 0);
    const data = new Uint8Array(total);
    let offset = 0;
    for (const iovec of iovecs) {
      data.set(this.memory.window(iovec.ptr, iovec.len), offset);
      offset += iovec.len;
    }
    return data;
  }

  private readFile(descriptor: FileDescriptor, iovecs: { ptr: number; len: number }[], position: number): number {
    let total = 0;
    for (const iovec of iovecs) {
      const count = descriptor.handle.read(this.memory.window(iovec.ptr, iovec.len), position + total);
      total += count;
      if (count < iovec.len) break;
    }
    return total;
  }

  private readPath(ptr: number, len: number): string {
    const bytes = this.memory.window(ptr, len);
    let path: string;
    try {
      path = pathDecoder.decode(bytes);
    } catch {
      throw new WasiError(Errno.ILSEQ, 'path is not UTF-8');
    }
    if (path.includes('\0')) throw new WasiError(Errno.INVAL, 'path contains NUL');
    return path;
  }

  /**
   * Resolves `path` relative to a directory descriptor without ever leaving it: absolute
   * paths and '..' above the descriptor's directory are ENOTCAPABLE. Symbolic links are
   * never followed (ELOOP).
   */
  private resolve(base: DirDescriptor, path: string): Resolved {
    if (path === '') throw new WasiError(Errno.NOENT);
    if (path.startsWith('/')) throw new WasiError(Errno.NOTCAPABLE, 'absolute path');
    const parts = path.split('/');
    const trailingSlash = parts[parts.length - 1] === '';
    const components = parts.filter((part) => part !== '');
    // stack[0] is the capability: popping it would escape.
    const stack: FsDir[] = [base.dir];
    const top = (): FsDir => stack[stack.length - 1]!;
    const up = (): void => {
      if (stack.length === 1) throw new WasiError(Errno.NOTCAPABLE, 'path escapes its directory');
      stack.pop();
    };
    for (let i = 0; i < components.length - 1; i++) {
      const part = components[i]!;
      if (part === '.') continue;
      if (part === '..') {
        up();
        continue;
      }
      const entry = top().lookup(part);
      if (entry === undefined) throw new WasiError(Errno.NOENT);
      if (entry.kind !== 'dir') throw new WasiError(entry.stat().filetype === FileType.SYMBOLIC_LINK ? Errno.LOOP : Errno.NOTDIR);
      stack.push(entry);
    }
    const last = components[components.length - 1]!;
    if (last === '.' || last === '..') {
      if (last === '..') up();
      const dir = top();
      const parent = stack.length > 1 ? stack[stack.length - 2]! : base.parent;
      return { parent, name: undefined, entry: dir, trailingSlash };
    }
    const parent = top();
    const entry = parent.lookup(last);
    if (trailingSlash && entry !== undefined && entry.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    return { parent, name: last, entry, trailingSlash };
  }

  private writeFilestat(ptr: number, stat: FsStat): void {
    this.memory.assertRange(ptr, Layout.FILESTAT_SIZE);
    this.memory.setU64(ptr, stat.dev);
    this.memory.setU64(ptr + 8, stat.ino);
    this.memory.setU64(ptr + 16, 0n); // filetype byte plus padding
    this.memory.setU8(ptr + 16, stat.filetype);
    this.memory.setU64(ptr + 24, stat.nlink);
    this.memory.setU64(ptr + 32, BigInt(stat.size));
    this.memory.setU64(ptr + 40, stat.atim);
    this.memory.setU64(ptr + 48, stat.mtim);
    this.memory.setU64(ptr + 56, stat.ctim);
  }

  private stdioStat(): FsStat {
    return { filetype: FileType.CHARACTER_DEVICE, size: 0, dev: 0n, ino: 0n, nlink: 1n, atim: 0n, mtim: 0n, ctim: 0n };
  }

  private descriptorStat(descriptor: Descriptor): FsStat {
    switch (descriptor.kind) {
      case 'file':
        return descriptor.handle.stat();
      case 'dir':
        return descriptor.dir.stat();
      default:
        return this.stdioStat();
    }
  }

  private writeStrings(strings: Uint8Array[], pointersPtr: number, bufferPtr: number): void {
    this.memory.assertRange(pointersPtr, strings.length * 4);
    this.memory.assertRange(bufferPtr, strings.reduce((sum, s) => sum + s.byteLength, 0));
    let offset = bufferPtr;
    strings.forEach((bytes, i) => {
      this.memory.setU32(pointersPtr + i * 4, offset);
      this.memory.write(offset, bytes);
      offset += bytes.byteLength;
    });
  }

  private writeSizes(strings: Uint8Array[], countPtr: number, sizePtr: number): void {
    this.memory.assertRange(countPtr, 4);
    this.memory.assertRange(sizePtr, 4);
    this.memory.setU32(countPtr, strings.length);
    this.memory.setU32(sizePtr, strings.reduce((sum, s) => sum + s.byteLength, 0));
  }

  // ---- syscalls (arguments already converted: i32 -> unsigned number, i64 -> unsigned bigint) ----

  private readonly syscalls = {
    args_get: (argv: number, argvBuf: number): void => this.writeStrings(this.args, argv, argvBuf),
    args_sizes_get: (argc: number, bufSize: number): void => this.writeSizes(this.args, argc, bufSize),
    environ_get: (environ: number, environBuf: number): void => this.writeStrings(this.env, environ, environBuf),
    environ_sizes_get: (count: number, bufSize: number): void => this.writeSizes(this.env, count, bufSize),

    clock_res_get: (id: number, resolutionPtr: number): number | void => {
      if (id > ClockId.THREAD_CPUTIME) return Errno.INVAL;
      this.memory.setU64(resolutionPtr, 1000n);
    },
    clock_time_get: (id: number, _precision: bigint, timePtr: number): number | void => {
      const clock = CLOCK_NAMES[id];
      if (clock === undefined) return Errno.INVAL;
      this.memory.assertRange(timePtr, 8);
      this.memory.setU64(timePtr, this.clock(clock));
    },
    random_get: (ptr: number, len: number): void => {
      this.memory.assertRange(ptr, len);
      const bytes = new Uint8Array(len);
      this.random(bytes);
      this.memory.write(ptr, bytes);
    },
    sched_yield: (): void => {},
    poll_oneoff: (inPtr: number, outPtr: number, nsubscriptions: number, neventsPtr: number): number | void => {
      if (nsubscriptions === 0) return Errno.INVAL; // would wait forever
      this.memory.assertRange(inPtr, nsubscriptions * Layout.SUBSCRIPTION_SIZE);
      this.memory.assertRange(outPtr, nsubscriptions * Layout.EVENT_SIZE);
      this.memory.assertRange(neventsPtr, 4);
      // Each clock is read at most once per check, so a relative timeout of 0 has expired
      // and a virtual clock moves predictably.
      let now = new Map<ClockName, bigint>();
      const read = (clock: ClockName): bigint => {
        let time = now.get(clock);
        if (time === undefined) now.set(clock, (time = this.clock(clock)));
        return time;
      };
      const entries: PollEntry[] = [];
      for (let i = 0; i < nsubscriptions; i++) {
        const base = inPtr + i * Layout.SUBSCRIPTION_SIZE;
        const userdata = this.memory.u64(base);
        const type = this.memory.u8(base + 8);
        if (type === EventType.FD_READ || type === EventType.FD_WRITE) {
          entries.push(this.fdReadiness(userdata, type, this.memory.u32(base + 16)));
          continue;
        }
        if (type !== EventType.CLOCK) return Errno.INVAL;
        const entry: PollEntry = { userdata, type, error: Errno.SUCCESS, nbytes: 0n, flags: 0 };
        const clock = CLOCK_NAMES[this.memory.u32(base + 16)];
        if (clock === undefined) {
          entry.error = Errno.INVAL;
        } else {
          const timeout = this.memory.u64(base + 24);
          const absolute = (this.memory.u16(base + 40) & SUBCLOCKFLAGS_ABSTIME) !== 0;
          entry.timer = { clock, deadline: absolute ? timeout : read(clock) + timeout };
        }
        entries.push(entry);
      }

      const expired = (entry: PollEntry): boolean => entry.timer !== undefined && entry.timer.deadline <= read(entry.timer.clock);
      // fd subscriptions (and failed ones) are ready at once: in-memory files and stdio never block.
      let ready = entries.filter((entry) => entry.timer === undefined || expired(entry));
      if (ready.length === 0) {
        const left = (entry: PollEntry): bigint => entry.timer!.deadline - read(entry.timer!.clock);
        const first = entries.reduce((soonest, entry) => (left(entry) < left(soonest) ? entry : soonest));
        this.waitUntil(first.timer!.clock, first.timer!.deadline);
        now = new Map();
        ready = entries.filter((entry) => entry === first || expired(entry));
      }

      ready.forEach((entry, i) => {
        const event = outPtr + i * Layout.EVENT_SIZE;
        this.memory.write(event, new Uint8Array(Layout.EVENT_SIZE));
        this.memory.setU64(event, entry.userdata);
        this.memory.setU16(event + 8, entry.error);
        this.memory.setU8(event + 10, entry.type);
        this.memory.setU64(event + 16, entry.nbytes);
        this.memory.setU16(event + 24, entry.flags);
      });
      this.memory.setU32(neventsPtr, ready.length);
    },
    proc_exit: (code: number): never => {
      throw new WASIExitError(code);
    },

    fd_close: (fd: number): void => {
      const descriptor = this.descriptor(fd);
      this.fds.delete(fd);
      if (descriptor.kind === 'file') descriptor.handle.close();
    },
    fd_renumber: (from: number, to: number): void => {
      const descriptor = this.descriptor(from);
      const replaced = this.descriptor(to);
      if (from === to) return;
      if (replaced.kind === 'file') replaced.handle.close();
      this.fds.set(to, descriptor);
      this.fds.delete(from);
    },
    fd_fdstat_get: (fd: number, ptr: number): void => {
      const descriptor = this.descriptor(fd);
      this.memory.assertRange(ptr, Layout.FDSTAT_SIZE);
      this.memory.setU64(ptr, 0n); // filetype, padding, flags, padding
      this.memory.setU8(ptr, this.descriptorStat(descriptor).filetype);
      this.memory.setU16(ptr + 2, descriptor.flags);
      this.memory.setU64(ptr + 8, descriptor.rightsBase);
      this.memory.setU64(ptr + 16, descriptor.rightsInheriting);
    },
    fd_fdstat_set_flags: (fd: number, flags: number): number | void => {
      const descriptor = this.descriptor(fd);
      if ((flags & ~FDFLAGS_ALL) !== 0) return Errno.INVAL;
      this.requireRight(descriptor, Rights.FD_FDSTAT_SET_FLAGS);
      descriptor.flags = flags & FDFLAGS_ALL;
    },
    fd_fdstat_set_rights: (fd: number, base: bigint, inheriting: bigint): number | void => {
      const descriptor = this.descriptor(fd);
      // Rights can only be dropped, never gained.
      if ((base & ~descriptor.rightsBase) !== 0n || (inheriting & ~descriptor.rightsInheriting) !== 0n) {
        return Errno.NOTCAPABLE;
      }
      descriptor.rightsBase = base;
      descriptor.rightsInheriting = inheriting;
    },
    fd_filestat_get: (fd: number, ptr: number): void => {
      const descriptor = this.descriptor(fd);
      this.requireRight(descriptor, Rights.FD_FILESTAT_GET);
      this.writeFilestat(ptr, this.descriptorStat(descriptor));
    },
    fd_filestat_set_size: (fd: number, size: bigint): void => {
      const descriptor = this.fileDescriptor(fd, Rights.FD_FILESTAT_SET_SIZE);
      descriptor.handle.truncate(fileOffset(size));
    },
    fd_sync: (fd: number): void => {
      this.descriptor(fd);
    },
    fd_datasync: (fd: number): void => {
      this.descriptor(fd);
    },

    fd_prestat_get: (fd: number, ptr: number): void => {
      const descriptor = this.descriptor(fd);
      if (descriptor.kind !== 'dir' || descriptor.preopenName === undefined) throw new WasiError(Errno.BADF);
      this.memory.assertRange(ptr, Layout.PRESTAT_SIZE);
      this.memory.setU32(ptr, PREOPENTYPE_DIR); // tag byte plus padding
      this.memory.setU32(ptr + 4, descriptor.preopenName.byteLength);
    },
    fd_prestat_dir_name: (fd: number, pathPtr: number, pathLen: number): void => {
      const descriptor = this.descriptor(fd);
      if (descriptor.kind !== 'dir' || descriptor.preopenName === undefined) throw new WasiError(Errno.BADF);
      if (pathLen < descriptor.preopenName.byteLength) throw new WasiError(Errno.NAMETOOLONG);
      this.memory.write(pathPtr, descriptor.preopenName);
    },

    fd_read: (fd: number, iovsPtr: number, iovsLen: number, nreadPtr: number): void => {
      const descriptor = this.descriptor(fd);
      const iovecs = this.iovecs(iovsPtr, iovsLen);
      this.memory.assertRange(nreadPtr, 4);
      if (descriptor.kind === 'dir') throw new WasiError(Errno.ISDIR);
      if ((descriptor.rightsBase & Rights.FD_READ) === 0n) throw new WasiError(Errno.BADF);
      let total = 0;
      if (descriptor.kind === 'stdin') {
        for (const iovec of iovecs) {
          const chunk = descriptor.stream.take(iovec.len, total === 0);
          this.memory.write(iovec.ptr, chunk);
          total += chunk.byteLength;
          if (chunk.byteLength < iovec.len) break;
        }
      } else if (descriptor.kind === 'file') {
        total = this.readFile(descriptor, iovecs, descriptor.position);
        descriptor.position += total;
      }
      this.memory.setU32(nreadPtr, total);
    },
    fd_pread: (fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nreadPtr: number): void => {
      const descriptor = this.fileDescriptor(fd, Rights.FD_READ);
      const iovecs = this.iovecs(iovsPtr, iovsLen);
      this.memory.assertRange(nreadPtr, 4);
      this.memory.setU32(nreadPtr, this.readFile(descriptor, iovecs, fileOffset(offset)));
    },
    fd_write: (fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number): void => {
      const descriptor = this.descriptor(fd);
      const data = this.gather(this.iovecs(iovsPtr, iovsLen));
      this.memory.assertRange(nwrittenPtr, 4);
      if (descriptor.kind === 'dir') throw new WasiError(Errno.ISDIR);
      if ((descriptor.rightsBase & Rights.FD_WRITE) === 0n) throw new WasiError(Errno.BADF);
      if (descriptor.kind === 'output') {
        descriptor.sink(data);
      } else if (descriptor.kind === 'file') {
        if (descriptor.flags & FdFlags.APPEND) descriptor.position = descriptor.handle.stat().size;
        descriptor.handle.write(data, descriptor.position);
        descriptor.position += data.byteLength;
      }
      this.memory.setU32(nwrittenPtr, data.byteLength);
    },
    fd_pwrite: (fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nwrittenPtr: number): void => {
      const descriptor = this.fileDescriptor(fd, Rights.FD_WRITE);
      const data = this.gather(this.iovecs(iovsPtr, iovsLen));
      this.memory.assertRange(nwrittenPtr, 4);
      descriptor.handle.write(data, fileOffset(offset));
      this.memory.setU32(nwrittenPtr, data.byteLength);
    },
    fd_seek: (fd: number, offset: bigint, whence: number, newOffsetPtr: number): number | void => {
      const descriptor = this.fileDescriptor(fd, Rights.FD_SEEK);
      this.memory.assertRange(newOffsetPtr, 8);
      const delta = BigInt.asIntN(64, offset);
      let base: number;
      if (whence === Whence.SET) base = 0;
      else if (whence === Whence.CUR) base = descriptor.position;
      else if (whence === Whence.END) base = descriptor.handle.stat().size;
      else return Errno.INVAL;
      const target = BigInt(base) + delta;
      if (target < 0n) return Errno.INVAL;
      descriptor.position = fileOffset(target);
      this.memory.setU64(newOffsetPtr, target);
    },
    fd_tell: (fd: number, ptr: number): void => {
      const descriptor = this.fileDescriptor(fd, Rights.FD_TELL);
      this.memory.setU64(ptr, BigInt(descriptor.position));
    },

    fd_readdir: (fd: number, bufPtr: number, bufLen: number, cookie: bigint, bufUsedPtr: number): void => {
      const descriptor = this.dirDescriptor(fd, Rights.FD_READDIR);
      this.memory.assertRange(bufPtr, bufLen);
      this.memory.assertRange(bufUsedPtr, 4);
      const names = descriptor.dir.names();
      const count = names.length + 2; // '.' and '..' come first
      let used = 0;
      for (let index = cookie; index < BigInt(count) && used < bufLen; index++) {
        const i = Number(index);
        let name: string;
        let stat: FsStat;
        if (i < 2) {
          name = i === 0 ? '.' : '..';
          stat = (i === 0 ? descriptor.dir : descriptor.parent).stat();
        } else {
          name = names[i - 2]!;
          const entry = descriptor.dir.lookup(name);
          if (entry === undefined) continue; // removed since names() was taken
          stat = entry.stat();
        }
        const nameBytes = encoder.encode(name);
        const record = new Uint8Array(Layout.DIRENT_SIZE + nameBytes.byteLength);
        const view = new DataView(record.buffer);
        view.setBigUint64(0, index + 1n, true); // d_next: the cookie of the following entry
        view.setBigUint64(8, stat.ino, true);
        view.setUint32(16, nameBytes.byteLength, true);
        view.setUint8(20, stat.filetype);
        record.set(nameBytes, Layout.DIRENT_SIZE);
        // The last record may be cut off; the guest then retries with a larger buffer.
        const fits = record.subarray(0, Math.min(record.byteLength, bufLen - used));
        this.memory.write(bufPtr + used, fits);
        used += fits.byteLength;
      }
      this.memory.setU32(bufUsedPtr, used);
    },

    path_open: (
      dirFd: number,
      _lookupFlags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      rightsBase: bigint,
      rightsInheriting: bigint,
      fdflags: number,
      openedFdPtr: number,
    ): number | void => {
      const base = this.dirDescriptor(dirFd, Rights.PATH_OPEN);
      const path = this.readPath(pathPtr, pathLen);
      this.memory.assertRange(openedFdPtr, 4);
      if ((fdflags & ~FDFLAGS_ALL) !== 0) return Errno.INVAL;
      const create = (oflags & OFlags.CREAT) !== 0;
      const wantDirectory = (oflags & OFlags.DIRECTORY) !== 0;
      if (create && wantDirectory) return Errno.INVAL;
      const resolved = this.resolve(base, path);
      let entry = resolved.entry;
      if (entry !== undefined) {
        if (create && (oflags & OFlags.EXCL) !== 0) return Errno.EXIST;
      } else {
        if (!create) return Errno.NOENT;
        if (resolved.trailingSlash) return Errno.ISDIR;
        this.requireRight(base, Rights.PATH_CREATE_FILE);
        entry = resolved.parent.createFile(resolved.name!);
      }
      const inheritable = base.rightsInheriting;
      if (entry.kind === 'dir') {
        if ((oflags & OFlags.TRUNC) !== 0) return Errno.ISDIR;
        return this.writeFd(openedFdPtr, {
          kind: 'dir',
          dir: entry,
          parent: resolved.parent,
          preopenName: undefined,
          rightsBase: rightsBase & inheritable & DIRECTORY_RIGHTS,
          rightsInheriting: rightsInheriting & inheritable,
          flags: fdflags,
        });
      }
      if (wantDirectory) return Errno.NOTDIR;
      if (entry.kind !== 'file') {
        return entry.stat().filetype === FileType.SYMBOLIC_LINK ? Errno.LOOP : Errno.NOTSUP;
      }
      const granted = rightsBase & inheritable & FILE_RIGHTS;
      const truncate = (oflags & OFlags.TRUNC) !== 0;
      const handle = entry.open({
        read: (granted & Rights.FD_READ) !== 0n,
        write: truncate || (granted & WRITE_RIGHTS) !== 0n,
      });
      try {
        if (truncate) handle.truncate(0);
      } catch (error) {
        handle.close();
        throw error;
      }
      return this.writeFd(openedFdPtr, {
        kind: 'file',
        file: entry,
        handle,
        position: 0,
        rightsBase: granted,
        rightsInheriting: rightsInheriting & inheritable & FILE_RIGHTS,
        flags: fdflags,
      });
    },
    path_filestat_get: (dirFd: number, _lookupFlags: number, pathPtr: number, pathLen: number, bufPtr: number): void => {
      const base = this.dirDescriptor(dirFd, Rights.PATH_FILESTAT_GET);
      const resolved = this.resolve(base, this.readPath(pathPtr, pathLen));
      if (resolved.entry === undefined) throw new WasiError(Errno.NOENT);
      this.writeFilestat(bufPtr, resolved.entry.stat());
    },
    path_create_directory: (dirFd: number, pathPtr: number, pathLen: number): void => {
      const base = this.dirDescriptor(dirFd, Rights.PATH_CREATE_DIRECTORY);
      const resolved = this.resolve(base, this.readPath(pathPtr, pathLen));
      if (resolved.entry !== undefined || resolved.name === undefined) throw new WasiError(Errno.EXIST);
      resolved.parent.createDir(resolved.name);
    },
    path_unlink_file: (dirFd: number, pathPtr: number, pathLen: number): void => {
      const base = this.dirDescriptor(dirFd, Rights.PATH_UNLINK_FILE);
      const resolved = this.resolve(base, this.readPath(pathPtr, pathLen));
      if (resolved.entry === undefined) throw new WasiError(Errno.NOENT);
      if (resolved.entry.kind === 'dir' || resolved.name === undefined) throw new WasiError(Errno.ISDIR);
      resolved.parent.remove(resolved.name);
    },
    path_remove_directory: (dirFd: number, pathPtr: number, pathLen: number): void => {
      const base = this.dirDescriptor(dirFd, Rights.PATH_REMOVE_DIRECTORY);
      const resolved = this.resolve(base, this.readPath(pathPtr, pathLen));
      if (resolved.entry === undefined) throw new WasiError(Errno.NOENT);
      if (resolved.name === undefined) throw new WasiError(Errno.INVAL);
      if (resolved.entry.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
      if (resolved.entry.names().length > 0) throw new WasiError(Errno.NOTEMPTY);
      resolved.parent.remove(resolved.name);
    },
    path_rename: (fromFd: number, fromPtr: number, fromLen: number, toFd: number, toPtr: number, toLen: number): void => {
      const fromBase = this.dirDescriptor(fromFd, Rights.PATH_RENAME_SOURCE);
      const toBase = this.dirDescriptor(toFd, Rights.PATH_RENAME_TARGET);
      const from = this.resolve(fromBase, this.readPath(fromPtr, fromLen));
      const to = this.resolve(toBase, this.readPath(toPtr, toLen));
      if (from.entry === undefined) throw new WasiError(Errno.NOENT);
      if (from.name === undefined || to.name === undefined) throw new WasiError(Errno.INVAL);
      if ((from.trailingSlash || to.trailingSlash) && from.entry.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
      from.parent.rename(from.name, to.parent, to.name);
    },
  };

  /**
   * The event for an fd_read/fd_write subscription, always ready: EBADF for an unknown fd,
   * ENOTCAPABLE without the poll right; else the bytes a read can get now (0 for writes).
   */
  private fdReadiness(userdata: bigint, type: number, fd: number): PollEntry {
    const entry: PollEntry = { userdata, type, error: Errno.SUCCESS, nbytes: 0n, flags: 0 };
    const descriptor = this.fds.get(fd);
    if (descriptor === undefined) {
      entry.error = Errno.BADF;
    } else if ((descriptor.rightsBase & Rights.POLL_FD_READWRITE) === 0n) {
      entry.error = Errno.NOTCAPABLE;
    } else if (type === EventType.FD_READ && descriptor.kind === 'file') {
      entry.nbytes = BigInt(Math.max(0, descriptor.handle.stat().size - descriptor.position));
    } else if (type === EventType.FD_READ && descriptor.kind === 'stdin') {
      const { bytes, ended } = descriptor.stream.available();
      entry.nbytes = BigInt(bytes);
      if (ended) entry.flags = EVENTRWFLAGS_HANGUP;
    }
    return entry;
  }

  private writeFd(ptr: number, descriptor: Descriptor): void {
    this.memory.setU32(ptr, this.allocateFd(descriptor));
  }
}
