/**
 * WASI preview1 (src/host/wasi): the C demo guest (test/programs/wasi-demo.c, built with
 * clang + wasi-libc) on V8's WebAssembly and on purewasm's core API, plus unit tests of
 * single calls made straight through `wasiImport` against a WebAssembly.Memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { Engine, Linker, Module, Store } from '../src/index.js';
import {
  Errno,
  FileType,
  OFlags,
  Rights,
  WASI,
  WASIExitError,
  WASI_FUNCTION_TYPES,
  defineWasi,
  memfs,
  startWasi,
  type MemDir,
  type WASIOptions,
} from '../src/host/wasi/index.js';
import { nodeDir } from '../src/host/wasi/node-fs.js';

const demoBytes = readFileSync(new URL('./programs/wasi-demo.wasm', import.meta.url));
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

const INPUT = 'alpha\nbeta\ngamma\n';
const demoSandbox = (): MemDir => memfs({ 'input.txt': INPUT, sub: { 'a.txt': 'A' } });
const demoOptions = (sandbox: MemDir, extra: WASIOptions = {}): WASIOptions => ({
  args: ['demo', 'x', 'exit=7'],
  env: { GREETING: 'hello' },
  preopens: { '/sandbox': sandbox },
  stdin: 'Hello, stdin!\n',
  ...extra,
});
const DEMO_STDOUT = [
  'argc=3',
  'argv[0]=demo',
  'argv[1]=x',
  'argv[2]=exit=7',
  'GREETING=hello',
  'stdin:HELLO, STDIN!',
  '',
  'stdin bytes=14',
  'input.txt: stat size=17, seek size=17, lines=3, first="alpha"',
  'entry: input.txt',
  'entry: sub/',
  'escape: refused',
  '',
].join('\n');
const DEMO_REPORT = 'lines=3\nbytes=17\ngreeting=hello\n';

/** Instantiates on V8's own WebAssembly. */
const instantiate = (bytes: Uint8Array, imports?: WebAssembly.Imports): WebAssembly.Instance =>
  new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), imports);

function runOnV8(wasi: WASI, bytes: Uint8Array = demoBytes): number {
  return wasi.start(instantiate(bytes, wasi.getImportObject()));
}

let wat: (source: string) => Uint8Array;
beforeAll(async () => {
  const wabt = await wabtInit();
  wat = (source) => {
    const module = wabt.parseWat('test.wat', source);
    try {
      return module.toBinary({}).buffer;
    } finally {
      module.destroy();
    }
  };
});

describe('the C demo on V8 with an in-memory file system', () => {
  it('sees args, env, stdin, files and exits with the chosen code', () => {
    const sandbox = demoSandbox();
    const wasi = new WASI(demoOptions(sandbox));
    expect(runOnV8(wasi)).toBe(7);
    expect(text(wasi.getStdout())).toBe(DEMO_STDOUT);
    expect(text(wasi.getStderr())).toBe('wasi-demo: done, exiting with 7\n');
    expect(sandbox.readText('out/report.txt')).toBe(DEMO_REPORT);
    expect(sandbox.readText('input.txt')).toBe(INPUT);
  });

  it('returns 0 when main returns 0, and streams output and stdin through callbacks', () => {
    const sandbox = demoSandbox();
    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    const pieces = ['ab', 'c\n', 'déf'];
    const requested: number[] = [];
    const wasi = new WASI(
      demoOptions(sandbox, {
        args: ['demo'],
        stdin: (max) => {
          requested.push(max);
          return pieces.shift() ?? null;
        },
        stdout: (chunk) => stdout.push(chunk),
        stderr: (chunk) => stderr.push(chunk),
      }),
    );
    expect(runOnV8(wasi)).toBe(0);
    const out = text(concat(stdout));
    expect(out).toContain('stdin:ABC\nDéF\n'); // toupper leaves the two UTF-8 bytes of é alone
    expect(out).toContain('stdin bytes=8\n');
    expect(text(concat(stderr))).toBe('wasi-demo: done, exiting with 0\n');
    expect(requested.length).toBe(4); // three chunks, then end of input
    expect(wasi.getStdout().byteLength).toBe(0); // nothing collected when a callback is given
  });

  it('reports a missing input file through errno and exit code 2', () => {
    const wasi = new WASI(demoOptions(memfs({})));
    expect(runOnV8(wasi)).toBe(2);
    expect(text(wasi.getStderr())).toBe('error: stat /sandbox/input.txt: No such file or directory\n');
  });
});

describe('the C demo with the Node backend', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'purewasm-wasi-'));
    writeFileSync(join(dir, 'input.txt'), INPUT);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and writes a real directory', () => {
    const wasi = new WASI({ ...demoOptions(memfs()), preopens: { '/sandbox': nodeDir(dir) } });
    expect(runOnV8(wasi)).toBe(7);
    expect(text(wasi.getStdout())).toBe(DEMO_STDOUT.replace('entry: sub/\n', ''));
    expect(readFileSync(join(dir, 'out', 'report.txt'), 'utf8')).toBe(DEMO_REPORT);
  });

  it('does not follow symbolic links out of the preopen', () => {
    symlinkSync('/etc', join(dir, 'etc-link'));
    const t = harness({ preopens: { '/sandbox': nodeDir(dir) } });
    expect(t.open('etc-link/passwd')[0]).toBe(Errno.LOOP);
    expect(t.open('etc-link')[0]).toBe(Errno.LOOP);
    expect(t.open('input.txt')[0]).toBe(Errno.SUCCESS);
    expect(t.open('../' + dir.split('/').pop() + '/input.txt')[0]).toBe(Errno.NOTCAPABLE);
  });

  it('runs as a Node command with the process stdin, stdout, stderr and exit code', () => {
    const wasiEntry = new URL('../src/host/wasi/index.ts', import.meta.url).href;
    const nodeEntry = new URL('../src/host/wasi/node-fs.ts', import.meta.url).href;
    const wasm = new URL('./programs/wasi-demo.wasm', import.meta.url).href;
    const script = `
      import { readFileSync } from 'node:fs';
      import { WASI } from '${wasiEntry}';
      import { nodeDir, nodeStdin, nodeOutput } from '${nodeEntry}';
      const wasi = new WASI({ args: ['demo', 'exit=5'], env: { GREETING: 'from node' },
        preopens: { '/sandbox': nodeDir(${JSON.stringify(dir)}) },
        stdin: nodeStdin(), stdout: nodeOutput(1), stderr: nodeOutput(2) });
      const module = new WebAssembly.Module(readFileSync(new URL('${wasm}')));
      process.exitCode = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      input: 'piped input\n',
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('wasi-demo: done, exiting with 5\n');
    expect(child.stdout).toContain('GREETING=from node\nstdin:PIPED INPUT\n\nstdin bytes=12\n');
    expect(child.status).toBe(5);
    expect(readFileSync(join(dir, 'out', 'report.txt'), 'utf8')).toBe('lines=3\nbytes=17\ngreeting=from node\n');
  });

  it('rejects host paths given as plain strings', () => {
    expect(() => new WASI({ preopens: { '/x': dir as never } })).toThrow(/Node backend/);
  });
});

describe('the C demo on purewasm through the core API', () => {
  it('produces the same output, file and exit code as on V8', () => {
    const sandbox = demoSandbox();
    const wasi = new WASI(demoOptions(sandbox));
    const engine = new Engine();
    const module = new Module(engine, demoBytes);
    const store = new Store(engine);
    const linker = new Linker(engine);
    defineWasi(linker, wasi);
    const instance = linker.instantiate(store, module);
    expect(startWasi(wasi, store, instance)).toBe(7);
    expect(text(wasi.getStdout())).toBe(DEMO_STDOUT);
    expect(text(wasi.getStderr())).toBe('wasi-demo: done, exiting with 7\n');
    expect(sandbox.readText('out/report.txt')).toBe(DEMO_REPORT);
  });

  it('unwinds the guest at proc_exit', () => {
    const engine = new Engine();
    const store = new Store(engine);
    const linker = new Linker(engine);
    const wasi = new WASI();
    defineWasi(linker, wasi);
    const instance = linker.instantiate(store, new Module(engine, wat(EXIT_WAT)));
    expect(startWasi(wasi, store, instance)).toBe(42);
    expect(instance.getFunc(store, 'after')!.call(store, [])).toEqual([0]);
  });
});

/** Calls proc_exit(42) from _start; `after` tells whether code after the call ran. */
const EXIT_WAT = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global $after (mut i32) (i32.const 0))
  (func (export "_start")
    (call $exit (i32.const 42))
    (global.set $after (i32.const 1))
    unreachable)
  (func (export "after") (result i32) (global.get $after)))`;

describe('start, initialize and proc_exit', () => {
  it('proc_exit unwinds: start returns the code and nothing after the call runs', () => {
    const wasi = new WASI();
    const instance = instantiate(wat(EXIT_WAT), wasi.getImportObject());
    expect(wasi.start(instance)).toBe(42);
    expect((instance.exports.after as () => number)()).toBe(0);
  });

  it('with returnOnExit false, start throws WASIExitError carrying the code', () => {
    const wasi = new WASI({ returnOnExit: false });
    const instance = instantiate(wat(EXIT_WAT), wasi.getImportObject());
    const error = (() => {
      try {
        wasi.start(instance);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WASIExitError);
    expect((error as WASIExitError).code).toBe(42);
  });

  it('start can run once, and needs _start and a memory', () => {
    const wasi = new WASI();
    const instance = instantiate(wat(EXIT_WAT), wasi.getImportObject());
    wasi.start(instance);
    expect(() => wasi.start(instance)).toThrow(/already started/);
    const noMemory = instantiate(wat('(module (func (export "_start")))'));
    expect(() => new WASI().start(noMemory)).toThrow(/memory/);
    const noStart = instantiate(wat('(module (memory (export "memory") 1))'));
    const unstarted = new WASI();
    expect(() => unstarted.start(noStart)).toThrow(/_start/);
    expect(() => unstarted.initialize(noStart)).not.toThrow(); // a failed start() does not use up the WASI
  });

  it('initialize runs _initialize for a reactor and refuses a command', () => {
    const reactor = instantiate(
      wat(`(module (memory (export "memory") 1) (global $g (mut i32) (i32.const 0))
        (func (export "_initialize") (global.set $g (i32.const 5)))
        (func (export "get") (result i32) (global.get $g)))`),
    );
    new WASI().initialize(reactor);
    expect((reactor.exports.get as () => number)()).toBe(5);
    const command = instantiate(wat(EXIT_WAT), new WASI().getImportObject());
    expect(() => new WASI().initialize(command)).toThrow(/_start/);
  });
});

// ---- unit tests of single calls ------------------------------------------------------

const PAGE = 65536;
const SCRATCH = 1024; // where tests put paths and iovecs
const OUT = 4096; // where calls write results

/** A WASI bound to a fresh one-page memory, with helpers to call functions directly. */
function harness(options: WASIOptions = {}) {
  const wasi = new WASI({ deterministic: true, ...options });
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  wasi.bindMemory(memory);
  const call = (name: keyof typeof WASI_FUNCTION_TYPES, ...args: (number | bigint)[]): number =>
    wasi.wasiImport[name](...args) as number;
  const bytes = (): Uint8Array => new Uint8Array(memory.buffer);
  const view = (): DataView => new DataView(memory.buffer);
  const put = (ptr: number, data: string | Uint8Array): number => {
    const encoded = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    bytes().set(encoded, ptr);
    return encoded.byteLength;
  };
  /** path_open relative to `dirFd`; returns [errno, fd]. */
  const open = (
    path: string,
    oflags = 0,
    rights: bigint = (1n << 30n) - 1n,
    fdflags = 0,
    dirFd = 3,
  ): [number, number] => {
    const len = put(SCRATCH, path);
    const errno = call('path_open', dirFd, 0, SCRATCH, len, oflags, rights, rights, fdflags, OUT);
    return [errno, view().getUint32(OUT, true)];
  };
  /** fd_write of one iovec; returns [errno, written]. */
  const write = (fd: number, data: string): [number, number] => {
    const len = put(SCRATCH + 256, data);
    view().setUint32(SCRATCH, SCRATCH + 256, true);
    view().setUint32(SCRATCH + 4, len, true);
    const errno = call('fd_write', fd, SCRATCH, 1, OUT);
    return [errno, view().getUint32(OUT, true)];
  };
  /** fd_read of one iovec of `max` bytes; returns [errno, text]. */
  const read = (fd: number, max: number): [number, string] => {
    view().setUint32(SCRATCH, SCRATCH + 256, true);
    view().setUint32(SCRATCH + 4, max, true);
    const errno = call('fd_read', fd, SCRATCH, 1, OUT);
    const count = view().getUint32(OUT, true);
    return [errno, errno === 0 ? text(bytes().slice(SCRATCH + 256, SCRATCH + 256 + count)) : ''];
  };
  const seek = (fd: number, offset: number | bigint, whence: number): [number, bigint] => {
    const errno = call('fd_seek', fd, offset, whence, OUT);
    return [errno, view().getBigUint64(OUT, true)];
  };
  return { wasi, memory, call, bytes, view, put, open, write, read, seek };
}

describe('args, environ, clocks, random', () => {
  it('args_get / environ_get lay out NUL-terminated strings and a pointer array', () => {
    const t = harness({ args: ['prog', 'é'], env: { A: '1', B: 'x=y' } });
    expect(t.call('args_sizes_get', OUT, OUT + 4)).toBe(0);
    expect([t.view().getUint32(OUT, true), t.view().getUint32(OUT + 4, true)]).toEqual([2, 5 + 3]);
    expect(t.call('args_get', 2000, 3000)).toBe(0);
    expect([t.view().getUint32(2000, true), t.view().getUint32(2004, true)]).toEqual([3000, 3005]);
    expect(text(t.bytes().slice(3000, 3008))).toBe('prog\0é\0');
    expect(t.call('environ_sizes_get', OUT, OUT + 4)).toBe(0);
    expect([t.view().getUint32(OUT, true), t.view().getUint32(OUT + 4, true)]).toEqual([2, 4 + 6]);
    expect(t.call('environ_get', 2000, 3000)).toBe(0);
    expect(text(t.bytes().slice(3000, 3010))).toBe('A=1\0B=x=y\0');
  });

  it('rejects args and env that cannot be C strings', () => {
    expect(() => new WASI({ args: ['a\0b'] })).toThrow(TypeError);
    expect(() => new WASI({ env: { 'A=B': 'c' } })).toThrow(TypeError);
  });

  it('deterministic mode: clocks advance per read and random bytes come from a seed', () => {
    const a = harness({ deterministic: { seed: 7, startTime: 1_000_000_000n } });
    const b = harness({ deterministic: { seed: 7, startTime: 1_000_000_000n } });
    const times = (t: ReturnType<typeof harness>): bigint[] =>
      [1, 1, 0].map((id) => {
        expect(t.call('clock_time_get', id, 1000n, OUT)).toBe(0);
        return t.view().getBigUint64(OUT, true);
      });
    expect(times(a)).toEqual([1000n, 2000n, 1_000_003_000n]);
    expect(times(b)).toEqual([1000n, 2000n, 1_000_003_000n]);
    expect(a.call('random_get', OUT, 37)).toBe(0);
    expect(b.call('random_get', OUT, 37)).toBe(0);
    expect(a.bytes().slice(OUT, OUT + 37)).toEqual(b.bytes().slice(OUT, OUT + 37));
    const c = harness({ deterministic: { seed: 8 } });
    c.call('random_get', OUT, 37);
    expect(c.bytes().slice(OUT, OUT + 37)).not.toEqual(a.bytes().slice(OUT, OUT + 37));
  });

  it('custom clock and random sources, clock ids, resolution', () => {
    const seen: string[] = [];
    const t = harness({
      clock: (clock) => {
        seen.push(clock);
        return 123n;
      },
      random: (buffer) => buffer.fill(9),
    });
    expect(t.call('clock_time_get', 3, 0n, OUT)).toBe(0);
    expect(t.view().getBigUint64(OUT, true)).toBe(123n);
    expect(seen).toEqual(['thread_cputime']);
    expect(t.call('clock_time_get', 4, 0n, OUT)).toBe(Errno.INVAL);
    expect(t.call('clock_res_get', 0, OUT)).toBe(0);
    expect(t.view().getBigUint64(OUT, true)).toBe(1000n);
    expect(t.call('random_get', OUT, 3)).toBe(0);
    expect([...t.bytes().slice(OUT, OUT + 3)]).toEqual([9, 9, 9]);
  });

  it('system sources give plausible values', () => {
    const t = harness({ deterministic: false });
    t.call('clock_time_get', 0, 0n, OUT);
    const now = t.view().getBigUint64(OUT, true);
    expect(Number(now / 1_000_000n)).toBeGreaterThan(Date.now() - 60_000);
    expect(Number(now / 1_000_000n)).toBeLessThan(Date.now() + 60_000);
    expect(t.call('random_get', OUT, 70_000)).toBe(Errno.FAULT); // past the end of memory
    expect(t.call('random_get', OUT, 1000)).toBe(0);
    expect(t.bytes().slice(OUT, OUT + 1000).some((b) => b !== 0)).toBe(true);
  });
});

describe('file descriptors', () => {
  const files = () => memfs({ 'hello.txt': 'hello world', sub: { 'a.txt': 'A' } }, { time: 123n });

  it('fd_seek: SET, CUR, END, negative results, i64 as bigint or number, ESPIPE on streams', () => {
    const t = harness({ preopens: { '/sandbox': files() } });
    const [errno, fd] = t.open('hello.txt');
    expect(errno).toBe(0);
    expect(t.seek(fd, 6n, 0)).toEqual([0, 6n]);
    expect(t.read(fd, 100)).toEqual([0, 'world']);
    expect(t.seek(fd, -5n, 1)).toEqual([0, 6n]);
    expect(t.seek(fd, -2, 2)).toEqual([0, 9n]); // a number works as well as a bigint
    expect(t.read(fd, 100)).toEqual([0, 'ld']);
    expect(t.seek(fd, -1n, 0)[0]).toBe(Errno.INVAL);
    expect(t.seek(fd, 0xffffffffffffffffn, 0)[0]).toBe(Errno.INVAL); // u64 max is -1 as a filedelta
    expect(t.seek(fd, 0n, 3)[0]).toBe(Errno.INVAL);
    expect(t.seek(fd, 20n, 0)).toEqual([0, 20n]); // past the end is allowed; reads return 0
    expect(t.read(fd, 10)).toEqual([0, '']);
    expect(t.call('fd_tell', fd, OUT)).toBe(0);
    expect(t.view().getBigUint64(OUT, true)).toBe(20n);
    expect(t.seek(1, 0n, 0)[0]).toBe(Errno.SPIPE);
    expect(t.seek(3, 0n, 0)[0]).toBe(Errno.ISDIR);
    expect(t.seek(99, 0n, 0)[0]).toBe(Errno.BADF);
  });

  it('writes, appends and extends files; pread/pwrite do not move the position', () => {
    const sandbox = files();
    const t = harness({ preopens: { '/sandbox': sandbox } });
    const [, fd] = t.open('hello.txt');
    expect(t.seek(fd, 20n, 0)[0]).toBe(0);
    expect(t.write(fd, '!')).toEqual([0, 1]);
    expect(sandbox.readFile('hello.txt')).toEqual(new Uint8Array([...new TextEncoder().encode('hello world'), 0, 0, 0, 0, 0, 0, 0, 0, 0, 33]));
    const [, appender] = t.open('hello.txt', 0, (1n << 30n) - 1n, 1 /* APPEND */);
    expect(t.write(appender, '?')).toEqual([0, 1]);
    expect(sandbox.readText('hello.txt').endsWith('!?')).toBe(true);
    t.put(SCRATCH + 256, 'HE');
    t.view().setUint32(SCRATCH, SCRATCH + 256, true);
    t.view().setUint32(SCRATCH + 4, 2, true);
    expect(t.call('fd_pwrite', fd, SCRATCH, 1, 0n, OUT)).toBe(0);
    expect(t.call('fd_pread', fd, SCRATCH, 1, 4n, OUT)).toBe(0);
    expect(t.view().getUint32(OUT, true)).toBe(2);
    expect(text(t.bytes().slice(SCRATCH + 256, SCRATCH + 258))).toBe('o ');
    expect(t.call('fd_tell', fd, OUT)).toBe(0);
    expect(t.view().getBigUint64(OUT, true)).toBe(21n);
    expect(sandbox.readText('hello.txt').startsWith('HEllo')).toBe(true);
    expect(t.call('fd_filestat_set_size', fd, 3n)).toBe(0);
    expect(sandbox.readText('hello.txt')).toBe('HEl');
  });

  it('reads with several iovecs and writes gathered iovecs as one chunk', () => {
    const chunks: string[] = [];
    const t = harness({ stdin: 'abcdefgh', stdout: (chunk) => chunks.push(text(chunk)) });
    const v = t.view();
    [
      [2000, 3],
      [2100, 2],
    ].forEach(([ptr, len], i) => {
      v.setUint32(SCRATCH + i * 8, ptr!, true);
      v.setUint32(SCRATCH + i * 8 + 4, len!, true);
    });
    expect(t.call('fd_read', 0, SCRATCH, 2, OUT)).toBe(0);
    expect(v.getUint32(OUT, true)).toBe(5);
    expect(text(t.bytes().slice(2000, 2003)) + text(t.bytes().slice(2100, 2102))).toBe('abcde');
    expect(t.call('fd_write', 1, SCRATCH, 2, OUT)).toBe(0);
    expect(v.getUint32(OUT, true)).toBe(5);
    expect(chunks).toEqual(['abcde']);
    expect(t.read(0, 100)).toEqual([0, 'fgh']);
    expect(t.read(0, 100)).toEqual([0, '']);
  });

  it('EBADF for unknown or closed fds and for the wrong direction', () => {
    const t = harness({ preopens: { '/sandbox': files() } });
    expect(t.write(42, 'x')[0]).toBe(Errno.BADF);
    expect(t.read(42, 1)[0]).toBe(Errno.BADF);
    expect(t.call('fd_close', 42)).toBe(Errno.BADF);
    expect(t.call('fd_fdstat_get', 42, OUT)).toBe(Errno.BADF);
    expect(t.call('fd_filestat_get', 42, OUT)).toBe(Errno.BADF);
    expect(t.read(1, 1)[0]).toBe(Errno.BADF);
    expect(t.write(0, 'x')[0]).toBe(Errno.BADF);
    const [, readOnly] = t.open('hello.txt', 0, Rights.FD_READ | Rights.FD_SEEK);
    expect(t.write(readOnly, 'x')[0]).toBe(Errno.BADF);
    expect(t.call('fd_close', readOnly)).toBe(0);
    expect(t.call('fd_close', readOnly)).toBe(Errno.BADF);
    expect(t.read(readOnly, 1)[0]).toBe(Errno.BADF);
    expect(t.write(3, 'x')[0]).toBe(Errno.ISDIR);
  });

  it('fd_renumber moves a descriptor over another', () => {
    const t = harness({ preopens: { '/sandbox': files() } });
    const [, fd] = t.open('hello.txt');
    expect(t.call('fd_renumber', fd, 1)).toBe(0);
    expect(t.read(1, 5)).toEqual([0, 'hello']);
    expect(t.read(fd, 1)[0]).toBe(Errno.BADF);
    expect(t.call('fd_renumber', 1, 77)).toBe(Errno.BADF);
  });

  it('fdstat: layout, rights, flags', () => {
    const t = harness({ preopens: { '/sandbox': files() } });
    const fdstat = (fd: number) => {
      t.bytes().fill(0xaa, OUT, OUT + 24);
      expect(t.call('fd_fdstat_get', fd, OUT)).toBe(0);
      const v = t.view();
      return {
        filetype: v.getUint8(OUT),
        pad1: v.getUint8(OUT + 1),
        flags: v.getUint16(OUT + 2, true),
        pad4: v.getUint32(OUT + 4, true),
        base: v.getBigUint64(OUT + 8, true),
        inheriting: v.getBigUint64(OUT + 16, true),
      };
    };
    const stdout = fdstat(1);
    expect(stdout).toMatchObject({ filetype: FileType.CHARACTER_DEVICE, pad1: 0, flags: 0, pad4: 0 });
    expect(stdout.base & Rights.FD_WRITE).toBe(Rights.FD_WRITE);
    expect(stdout.base & (Rights.FD_SEEK | Rights.FD_TELL)).toBe(0n); // so libc's isatty() says yes
    const dir = fdstat(3);
    expect(dir.filetype).toBe(FileType.DIRECTORY);
    expect(dir.base & Rights.PATH_OPEN).toBe(Rights.PATH_OPEN);
    const [, fd] = t.open('hello.txt', 0, Rights.FD_READ | Rights.FD_WRITE | Rights.PATH_OPEN, 1);
    expect(fdstat(fd)).toMatchObject({ filetype: FileType.REGULAR_FILE, flags: 1, base: Rights.FD_READ | Rights.FD_WRITE });
    expect(t.call('fd_fdstat_set_flags', fd, 4)).toBe(Errno.NOTCAPABLE); // PATH_OPEN was asked, not FD_FDSTAT_SET_FLAGS
    expect(t.call('fd_fdstat_set_rights', fd, Rights.FD_READ | Rights.FD_WRITE, 0n)).toBe(0);
    const [, flagged] = t.open('hello.txt', 0, Rights.FD_READ | Rights.FD_FDSTAT_SET_FLAGS, 1);
    expect(t.call('fd_fdstat_set_flags', flagged, 4)).toBe(0);
    expect(fdstat(flagged).flags).toBe(4);
    expect(t.call('fd_fdstat_set_flags', flagged, 0x40)).toBe(Errno.INVAL);
    expect(t.call('fd_fdstat_set_rights', fd, Rights.FD_READ, 0n)).toBe(0);
    expect(fdstat(fd).base).toBe(Rights.FD_READ);
    expect(t.call('fd_fdstat_set_rights', fd, Rights.FD_READ | Rights.FD_WRITE, 0n)).toBe(Errno.NOTCAPABLE);
  });

  it('filestat: layout for files, directories and stdio', () => {
    const t = harness({ preopens: { '/sandbox': files() } });
    const filestat = (errno: number) => {
      expect(errno).toBe(0);
      const v = t.view();
      return {
        dev: v.getBigUint64(OUT, true),
        ino: v.getBigUint64(OUT + 8, true),
        filetype: v.getUint8(OUT + 16),
        pad: [...t.bytes().slice(OUT + 17, OUT + 24)],
        nlink: v.getBigUint64(OUT + 24, true),
        size: v.getBigUint64(OUT + 32, true),
        atim: v.getBigUint64(OUT + 40, true),
        mtim: v.getBigUint64(OUT + 48, true),
        ctim: v.getBigUint64(OUT + 56, true),
      };
    };
    t.bytes().fill(0xaa, OUT, OUT + 64);
    const [, fd] = t.open('hello.txt');
    const file = filestat(t.call('fd_filestat_get', fd, OUT));
    expect(file).toMatchObject({ filetype: FileType.REGULAR_FILE, pad: [0, 0, 0, 0, 0, 0, 0], nlink: 1n, size: 11n });
    expect(file).toMatchObject({ atim: 123n, mtim: 123n, ctim: 123n });
    const len = t.put(SCRATCH, 'sub/../hello.txt');
    expect(filestat(t.call('path_filestat_get', 3, 0, SCRATCH, len, OUT))).toEqual(file);
    expect(filestat(t.call('fd_filestat_get', 3, OUT)).filetype).toBe(FileType.DIRECTORY);
    expect(filestat(t.call('fd_filestat_get', 0, OUT)).filetype).toBe(FileType.CHARACTER_DEVICE);
    const missing = t.put(SCRATCH, 'nope');
    expect(t.call('path_filestat_get', 3, 0, SCRATCH, missing, OUT)).toBe(Errno.NOENT);
  });

  it('prestat and prestat_dir_name describe preopens only', () => {
    const t = harness({ preopens: { '/sandbox': files(), '.': memfs() } });
    t.bytes().fill(0xaa, OUT, OUT + 8);
    expect(t.call('fd_prestat_get', 3, OUT)).toBe(0);
    expect([...t.bytes().slice(OUT, OUT + 4)]).toEqual([0, 0, 0, 0]); // tag dir + padding
    expect(t.view().getUint32(OUT + 4, true)).toBe(8);
    expect(t.call('fd_prestat_dir_name', 3, 2000, 8)).toBe(0);
    expect(text(t.bytes().slice(2000, 2008))).toBe('/sandbox');
    expect(t.call('fd_prestat_dir_name', 3, 2000, 7)).toBe(Errno.NAMETOOLONG);
    expect(t.call('fd_prestat_get', 4, OUT)).toBe(0);
    expect(t.view().getUint32(OUT + 4, true)).toBe(1);
    expect(t.call('fd_prestat_get', 5, OUT)).toBe(Errno.BADF); // libc stops scanning here
    expect(t.call('fd_prestat_get', 1, OUT)).toBe(Errno.BADF);
    const [, opened] = t.open('sub');
    expect(t.call('fd_prestat_get', opened, OUT)).toBe(Errno.BADF);
  });
});

describe('paths', () => {
  it('refuses to leave the directory: absolute paths and .. above it', () => {
    const t = harness({ preopens: { '/sandbox': memfs({ 'hello.txt': 'hi', sub: { 'a.txt': 'A' } }) } });
    expect(t.open('../hello.txt')[0]).toBe(Errno.NOTCAPABLE);
    expect(t.open('sub/../../hello.txt')[0]).toBe(Errno.NOTCAPABLE);
    expect(t.open('/hello.txt')[0]).toBe(Errno.NOTCAPABLE);
    expect(t.open('..')[0]).toBe(Errno.NOTCAPABLE);
    expect(t.open('sub/../hello.txt')[0]).toBe(0);
    expect(t.open('./sub//a.txt')[0]).toBe(0);
    // A directory fd is a capability of its own: '..' cannot climb above it either.
    const [, sub] = t.open('sub', OFlags.DIRECTORY);
    expect(t.open('../hello.txt', 0, (1n << 30n) - 1n, 0, sub)[0]).toBe(Errno.NOTCAPABLE);
    expect(t.open('a.txt', 0, (1n << 30n) - 1n, 0, sub)[0]).toBe(0);
    expect(t.open('a.txt', 0, (1n << 30n) - 1n, 0, 0)[0]).toBe(Errno.NOTDIR);
  });

  it('rejects paths that are not UTF-8 or contain NUL', () => {
    const t = harness({ preopens: { '/sandbox': memfs({}) } });
    t.put(SCRATCH, new Uint8Array([0x61, 0xff]));
    expect(t.call('path_open', 3, 0, SCRATCH, 2, 0, 0n, 0n, 0, OUT)).toBe(Errno.ILSEQ);
    t.put(SCRATCH, new Uint8Array([0x61, 0, 0x62]));
    expect(t.call('path_open', 3, 0, SCRATCH, 3, 0, 0n, 0n, 0, OUT)).toBe(Errno.INVAL);
  });

  it('path_open flags: CREAT, EXCL, TRUNC, DIRECTORY', () => {
    const sandbox = memfs({ 'hello.txt': 'hello', sub: {} });
    const t = harness({ preopens: { '/sandbox': sandbox } });
    expect(t.open('new.txt')[0]).toBe(Errno.NOENT);
    expect(t.open('new.txt', OFlags.CREAT)[0]).toBe(0);
    expect(sandbox.readText('new.txt')).toBe('');
    expect(t.open('new.txt', OFlags.CREAT | OFlags.EXCL)[0]).toBe(Errno.EXIST);
    expect(t.open('hello.txt', OFlags.CREAT)[0]).toBe(0);
    expect(sandbox.readText('hello.txt')).toBe('hello');
    expect(t.open('hello.txt', OFlags.TRUNC)[0]).toBe(0);
    expect(sandbox.readText('hello.txt')).toBe('');
    expect(t.open('hello.txt', OFlags.DIRECTORY)[0]).toBe(Errno.NOTDIR);
    expect(t.open('hello.txt/')[0]).toBe(Errno.NOTDIR);
    expect(t.open('sub', OFlags.DIRECTORY)[0]).toBe(0);
    expect(t.open('sub', OFlags.TRUNC)[0]).toBe(Errno.ISDIR);
    expect(t.open('sub/x', OFlags.CREAT | OFlags.DIRECTORY)[0]).toBe(Errno.INVAL);
    expect(t.open('missing/x', OFlags.CREAT)[0]).toBe(Errno.NOENT);
    expect(t.open('hello.txt/x', OFlags.CREAT)[0]).toBe(Errno.NOTDIR);
    expect(t.open('')[0]).toBe(Errno.NOENT);
    const [errno, dotFd] = t.open('.', OFlags.DIRECTORY);
    expect(errno).toBe(0);
    expect(t.open('sub', OFlags.DIRECTORY, (1n << 30n) - 1n, 0, dotFd)[0]).toBe(0);
  });

  it('rights: a directory fd without PATH_CREATE_FILE cannot create, and opened files get at most what was asked', () => {
    const t = harness({ preopens: { '/sandbox': memfs({ 'a.txt': 'a' }) } });
    const [, limited] = t.open('.', OFlags.DIRECTORY, Rights.PATH_OPEN | Rights.FD_READDIR);
    expect(t.open('b.txt', OFlags.CREAT, (1n << 30n) - 1n, 0, limited)[0]).toBe(Errno.NOTCAPABLE);
    const [, readOnly] = t.open('a.txt', 0, Rights.FD_READ);
    expect(t.seek(readOnly, 0n, 0)[0]).toBe(Errno.NOTCAPABLE);
    expect(t.read(readOnly, 5)).toEqual([0, 'a']);
  });

  it('create, unlink, rmdir and rename', () => {
    const sandbox = memfs({ 'a.txt': 'a', full: { 'x.txt': 'x' } });
    const t = harness({ preopens: { '/sandbox': sandbox } });
    const at = (path: string): [number, number] => [SCRATCH, t.put(SCRATCH, path)];
    expect(t.call('path_create_directory', 3, ...at('d'))).toBe(0);
    expect(t.call('path_create_directory', 3, ...at('d'))).toBe(Errno.EXIST);
    expect(t.call('path_remove_directory', 3, ...at('full'))).toBe(Errno.NOTEMPTY);
    expect(t.call('path_remove_directory', 3, ...at('a.txt'))).toBe(Errno.NOTDIR);
    expect(t.call('path_unlink_file', 3, ...at('d'))).toBe(Errno.ISDIR);
    expect(t.call('path_unlink_file', 3, ...at('full/x.txt'))).toBe(0);
    expect(t.call('path_remove_directory', 3, ...at('full'))).toBe(0);
    expect(t.call('path_unlink_file', 3, ...at('nope'))).toBe(Errno.NOENT);
    const from = t.put(2000, 'a.txt');
    const to = t.put(2100, 'd/b.txt');
    expect(t.call('path_rename', 3, 2000, from, 3, 2100, to)).toBe(0);
    expect(sandbox.toTree()).toEqual({ d: { 'b.txt': new TextEncoder().encode('a') } });
    const self = t.put(2000, 'd');
    const inside = t.put(2100, 'd/e');
    expect(t.call('path_rename', 3, 2000, self, 3, 2100, inside)).toBe(Errno.INVAL);
    const escape = t.put(2100, '../d');
    expect(t.call('path_rename', 3, 2000, self, 3, 2100, escape)).toBe(Errno.NOTCAPABLE);
  });
});

describe('fd_readdir', () => {
  type Dirent = { next: bigint; ino: bigint; type: number; name: string };
  const parse = (bytes: Uint8Array, used: number): { entries: Dirent[]; partial: number } => {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const entries: Dirent[] = [];
    let at = 0;
    while (at + 24 <= used) {
      const namlen = view.getUint32(at + 16, true);
      if (at + 24 + namlen > used) break;
      entries.push({
        next: view.getBigUint64(at, true),
        ino: view.getBigUint64(at + 8, true),
        type: view.getUint8(at + 20),
        name: text(bytes.slice(at + 24, at + 24 + namlen)),
      });
      at += 24 + namlen;
    }
    return { entries, partial: used - at };
  };

  const setup = () => {
    const t = harness({ preopens: { '/sandbox': memfs({ 'b.txt': 'bb', 'a.txt': 'a', dir: {} }) } });
    const readdir = (cookie: bigint | number, bufLen = 1000, fd = 3) => {
      const errno = t.call('fd_readdir', fd, 2000, bufLen, cookie, OUT);
      const used = t.view().getUint32(OUT, true);
      return { errno, used, ...parse(t.bytes().slice(2000, 2000 + used), used) };
    };
    return { t, readdir };
  };

  it('lists ., .. and the entries with types, inodes and next cookies', () => {
    const { t, readdir } = setup();
    const all = readdir(0n);
    expect(all.errno).toBe(0);
    expect(all.partial).toBe(0);
    expect(all.entries.map((e) => [e.name, e.type, e.next])).toEqual([
      ['.', FileType.DIRECTORY, 1n],
      ['..', FileType.DIRECTORY, 2n],
      ['a.txt', FileType.REGULAR_FILE, 3n],
      ['b.txt', FileType.REGULAR_FILE, 4n],
      ['dir', FileType.DIRECTORY, 5n],
    ]);
    expect(all.used).toBeLessThan(1000); // less than the buffer: end of directory
    const len = t.put(SCRATCH, 'a.txt');
    t.call('path_filestat_get', 3, 0, SCRATCH, len, OUT);
    expect(all.entries[2]!.ino).toBe(t.view().getBigUint64(OUT + 8, true));
  });

  it('resumes from a cookie, including a number cookie, and ends with bufused 0', () => {
    const { readdir } = setup();
    expect(readdir(3n).entries.map((e) => e.name)).toEqual(['b.txt', 'dir']);
    expect(readdir(4).entries.map((e) => e.name)).toEqual(['dir']);
    expect(readdir(5n).used).toBe(0);
    expect(readdir(1n << 40n).used).toBe(0);
  });

  it('fills a small buffer completely, cutting the last entry, so the caller can retry', () => {
    const { readdir } = setup();
    const small = readdir(0n, 30);
    expect(small.used).toBe(30);
    expect(small.entries.map((e) => e.name)).toEqual(['.']);
    expect(small.partial).toBe(5);
    const tiny = readdir(2n, 10);
    expect(tiny.used).toBe(10);
    expect(tiny.entries).toEqual([]);
  });

  it('needs a directory with FD_READDIR', () => {
    const { t, readdir } = setup();
    expect(readdir(0n, 100, 1).errno).toBe(Errno.NOTDIR);
    expect(readdir(0n, 100, 50).errno).toBe(Errno.BADF);
    const [, file] = t.open('a.txt');
    expect(readdir(0n, 100, file).errno).toBe(Errno.NOTDIR);
    const [, noList] = t.open('dir', OFlags.DIRECTORY, Rights.PATH_OPEN);
    expect(readdir(0n, 100, noList).errno).toBe(Errno.NOTCAPABLE);
  });
});

describe('guest memory', () => {
  it('bad pointers give EFAULT and have no side effects', () => {
    const chunks: Uint8Array[] = [];
    const t = harness({ args: ['a'], stdout: (chunk) => chunks.push(chunk) });
    expect(t.call('args_sizes_get', PAGE - 2, OUT)).toBe(Errno.FAULT);
    expect(t.call('args_get', -1, 0)).toBe(Errno.FAULT); // i32 -1 is address 0xffffffff
    expect(t.call('fd_write', 1, PAGE - 4, 1, OUT)).toBe(Errno.FAULT); // iovec array out of bounds
    t.view().setUint32(SCRATCH, PAGE - 2, true);
    t.view().setUint32(SCRATCH + 4, 4, true);
    expect(t.call('fd_write', 1, SCRATCH, 1, OUT)).toBe(Errno.FAULT); // buffer out of bounds
    t.view().setUint32(SCRATCH, 0, true);
    expect(t.call('fd_write', 1, SCRATCH, 1, PAGE)).toBe(Errno.FAULT); // result pointer out of bounds
    expect(chunks).toEqual([]);
    expect(t.call('fd_write', 1, SCRATCH, 0x7fffffff, OUT)).toBe(Errno.FAULT);
    expect(t.call('clock_time_get', 0, 0n, PAGE - 7)).toBe(Errno.FAULT);
  });

  it('follows memory.grow: the buffer is re-read on every call', () => {
    const t = harness({ args: ['grown'] });
    expect(t.call('args_get', PAGE + 16, PAGE + 32)).toBe(Errno.FAULT);
    t.memory.grow(1);
    expect(t.call('args_get', PAGE + 16, PAGE + 32)).toBe(0);
    expect(text(t.bytes().slice(PAGE + 32, PAGE + 38))).toBe('grown\0');
  });

  it('without a bound memory every pointer faults', () => {
    const wasi = new WASI({ args: ['a'] });
    expect(wasi.wasiImport.args_sizes_get!(0, 4)).toBe(Errno.FAULT);
  });
});

describe('the import table', () => {
  it('every preview1 function exists; the unimplemented ones return ENOSYS', () => {
    const t = harness();
    expect(Object.keys(t.wasi.wasiImport).sort()).toEqual(Object.keys(WASI_FUNCTION_TYPES).sort());
    expect(Object.keys(t.wasi.getImportObject())).toEqual(['wasi_snapshot_preview1']);
    expect(t.call('sock_accept', 3, 0, OUT)).toBe(Errno.NOSYS);
    expect(t.call('proc_raise', 9)).toBe(Errno.NOSYS);
    expect(t.call('path_symlink', 0, 0, 3, 0, 0)).toBe(Errno.NOSYS);
    expect(t.call('sched_yield')).toBe(0);
  });

  it('declares the core types wasi-libc imports', () => {
    expect(WASI_FUNCTION_TYPES.fd_seek).toEqual({ params: ['i32', 'i64', 'i32', 'i32'], results: ['i32'] });
    expect(WASI_FUNCTION_TYPES.path_open).toEqual({
      params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i64', 'i64', 'i32', 'i32'],
      results: ['i32'],
    });
    expect(WASI_FUNCTION_TYPES.proc_exit).toEqual({ params: ['i32'], results: [] });
    const imported = WebAssembly.Module.imports(new WebAssembly.Module(demoBytes));
    for (const { module, name } of imported) {
      expect(module).toBe('wasi_snapshot_preview1');
      expect(WASI_FUNCTION_TYPES).toHaveProperty(name);
    }
  });
});

describe('memfs', () => {
  it('builds from a plain tree, reads back, and rejects bad names', () => {
    const dir = memfs({ 'a.txt': 'é', bin: new Uint8Array([1, 2]), sub: { deep: {} } });
    expect(dir.readText('a.txt')).toBe('é');
    expect(dir.toTree()).toEqual({
      'a.txt': new TextEncoder().encode('é'),
      bin: new Uint8Array([1, 2]),
      sub: { deep: {} },
    });
    dir.writeFile('sub/new.txt', 'n');
    expect(dir.readText('sub/new.txt')).toBe('n');
    expect(() => dir.readFile('sub')).toThrow();
    expect(() => memfs({ 'a/b': 'x' })).toThrow(TypeError);
    expect(() => memfs({ '..': 'x' })).toThrow(TypeError);
  });

  it('a plain object as a preopen becomes a memfs; files beyond maxFileBytes fail with EFBIG', () => {
    const t = harness({ preopens: { '/p': { 'f.txt': 'x' } } });
    expect(t.open('f.txt')[0]).toBe(0);
    const small = harness({ preopens: { '/p': memfs({ 'f.txt': '' }, { maxFileBytes: 4 }) } });
    const [, fd] = small.open('f.txt');
    expect(small.write(fd, 'abcd')).toEqual([0, 4]);
    expect(small.write(fd, 'e')[0]).toBe(Errno.FBIG);
    expect(small.call('fd_filestat_set_size', fd, 1n << 40n)).toBe(Errno.FBIG);
  });
});

describe('the Node backend entry stays separate', () => {
  it('the browser-safe core does not import node: modules', () => {
    const dir = new URL('../src/host/wasi/', import.meta.url);
    for (const file of ['index.ts', 'wasi.ts', 'memfs.ts', 'memory.ts', 'fs.ts', 'streams.ts', 'sources.ts', 'errors.ts', 'constants.ts', 'signatures.ts', 'linker.ts']) {
      expect(readFileSync(new URL(file, dir), 'utf8')).not.toMatch(/from 'node:/);
    }
    expect(existsSync(new URL('node-fs.ts', dir))).toBe(true);
  });
});

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}
