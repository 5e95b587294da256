/**
 * WASI poll_oneoff (src/host/wasi/wasi.ts): the C guest test/programs/sleep.c (nanosleep,
 * usleep, clock_nanosleep, poll) under the virtual and the real clock, on V8 and on
 * purewasm; hand-built subscription arrays through a tiny WAT module; and node:wasi (in a
 * child process with piped stdio) as an oracle for the event layout.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import wabtInit from 'wabt';
import { Engine, Linker, Module, Store } from '../src/index.js';
import { Errno, EventType, Rights, WASI, defineWasi, memfs, startWasi, type WASIOptions } from '../src/host/wasi/index.js';

const sleepBytes = readFileSync(new URL('./programs/sleep.wasm', import.meta.url));
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const MS = 1_000_000n;
const HANGUP = 1;

const instantiate = (bytes: Uint8Array, imports?: WebAssembly.Imports): WebAssembly.Instance =>
  new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), imports);

/** Runs sleep.wasm on V8; returns its exit code, stdout and the wall time taken. */
function runSleep(options: WASIOptions): { code: number; out: string; err: string; wallMs: number } {
  const wasi = new WASI(options);
  const started = performance.now();
  const code = wasi.start(instantiate(sleepBytes, wasi.getImportObject()));
  return { code, out: text(wasi.getStdout()), err: text(wasi.getStderr()), wallMs: performance.now() - started };
}

/** The numbers sleep.c printed, by line label. */
function facts(out: string): Record<string, bigint> {
  const result: Record<string, bigint> = {};
  for (const line of out.trim().split('\n')) {
    const [label, rest] = line.split(': ');
    result[label!] = BigInt(rest!.split(' ').pop()!);
  }
  return result;
}

describe('sleep.c: the C library sleeping through poll_oneoff', () => {
  it('deterministic with step 0: finishes at once with exactly the requested virtual times', () => {
    const { code, out, err, wallMs } = runSleep({ args: ['sleep', '50', '3'], deterministic: { step: 0n } });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'nanosleep: 50000000',
        'usleep: 50000000',
        'abstime late: 0',
        'poll timeout: ready=0 50000000',
        'poll stdin: ready=1 in=1 hup=1 0', // no stdin given: at end of input, so ready at once
        'sleep: 3000000000',
        '',
      ].join('\n'),
    );
    expect(wallMs).toBeLessThan(1000); // 3.2 virtual seconds
  });

  it('deterministic with the default step: each sleep is the duration plus two clock reads', () => {
    // start read, poll_oneoff reads the clock once and jumps to the deadline, end read
    const { code, out } = runSleep({ args: ['sleep', '50', '1'], deterministic: { startTime: 1_700_000_000n * 1000n * MS } });
    expect(code).toBe(0);
    expect(facts(out)).toEqual({
      nanosleep: 50_002_000n,
      usleep: 50_002_000n,
      'abstime late': 1000n, // an absolute deadline needs no clock read to compute
      'poll timeout': 50_002_000n,
      'poll stdin': 2000n,
      sleep: 1_000_002_000n,
    });
    expect(runSleep({ args: ['sleep', '50', '1'], deterministic: { startTime: 1_700_000_000n * 1000n * MS } }).out).toBe(out);
  });

  it('sees stdin with data as readable without hangup', () => {
    const { out } = runSleep({ args: ['sleep', '1'], deterministic: true, stdin: 'data' });
    expect(out).toContain('poll stdin: ready=1 in=1 hup=0 ');
  });

  it('the real clock: every 50 ms sleep takes at least 50 ms', () => {
    const { code, out, wallMs } = runSleep({ args: ['sleep', '50'] });
    expect(code).toBe(0);
    const seen = facts(out);
    for (const label of ['nanosleep', 'usleep', 'poll timeout']) {
      expect(seen[label]).toBeGreaterThanOrEqual(50n * MS);
      expect(seen[label]).toBeLessThan(1000n * MS);
    }
    expect(seen['abstime late']).toBeGreaterThanOrEqual(0n);
    expect(seen['abstime late']).toBeLessThan(1000n * MS);
    expect(seen['poll stdin']).toBeLessThan(1000n * MS); // a 60 s timeout, but stdin is ready
    expect(wallMs).toBeGreaterThanOrEqual(200);
  });

  it('runs the same on purewasm through the core API', () => {
    const engine = new Engine();
    const store = new Store(engine);
    const wasi = new WASI({ args: ['sleep', '50', '3'], deterministic: { step: 0n } });
    const instance = defineWasi(new Linker(engine), wasi).instantiate(store, new Module(engine, sleepBytes));
    expect(startWasi(wasi, store, instance)).toBe(0);
    expect(text(wasi.getStdout())).toBe(runSleep({ args: ['sleep', '50', '3'], deterministic: { step: 0n } }).out);
  });
});

// ---- hand-built subscriptions ----------------------------------------------------------

const POLL_WAT = `(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "poll") (param i32 i32 i32 i32) (result i32)
    (call $poll (local.get 0) (local.get 1) (local.get 2) (local.get 3))))`;

const SUBS = 1024;
const EVENTS = 8192;
const NEVENTS = 16384;
const SCRATCH = 20000;
const PAGE = 65536;

type Subscription =
  | { userdata: bigint; clock: { id: number; timeout: bigint; abstime?: boolean } }
  | { userdata: bigint; fdRead: number }
  | { userdata: bigint; fdWrite: number }
  | { userdata: bigint; tag: number };

interface PollEvent {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

/** Writes subscriptions (with junk in every unused byte) into guest memory at `at`. */
function writeSubscriptions(memory: ArrayBuffer, subscriptions: Subscription[], at = SUBS): void {
  const bytes = new Uint8Array(memory);
  const view = new DataView(memory);
  subscriptions.forEach((sub, i) => {
    const base = at + i * 48;
    bytes.fill(0xa5, base, base + 48);
    view.setBigUint64(base, sub.userdata, true);
    if ('clock' in sub) {
      bytes[base + 8] = EventType.CLOCK;
      view.setUint32(base + 16, sub.clock.id, true);
      view.setBigUint64(base + 24, sub.clock.timeout, true);
      view.setBigUint64(base + 32, 0n, true); // precision
      view.setUint16(base + 40, sub.clock.abstime ? 1 : 0, true);
    } else if ('fdRead' in sub || 'fdWrite' in sub) {
      bytes[base + 8] = 'fdRead' in sub ? EventType.FD_READ : EventType.FD_WRITE;
      view.setUint32(base + 16, 'fdRead' in sub ? sub.fdRead : sub.fdWrite, true);
    } else {
      bytes[base + 8] = sub.tag;
    }
  });
}

function readEvents(memory: ArrayBuffer, count: number): PollEvent[] {
  const view = new DataView(memory);
  return Array.from({ length: count }, (_, i) => {
    const base = EVENTS + i * 32;
    return {
      userdata: view.getBigUint64(base, true),
      error: view.getUint16(base + 8, true),
      type: view.getUint8(base + 10),
      nbytes: view.getBigUint64(base + 16, true),
      flags: view.getUint16(base + 24, true),
    };
  });
}

let pollBytes: Uint8Array;
beforeAll(async () => {
  const wabt = await wabtInit();
  const module = wabt.parseWat('poll.wat', POLL_WAT);
  try {
    pollBytes = module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
});

/** The WAT module on V8 with our WASI; `poll` fills events and reports them. */
function pollHarness(options: WASIOptions = {}) {
  const wasi = new WASI(options);
  const instance = instantiate(pollBytes, wasi.getImportObject());
  wasi.initialize(instance);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const callPoll = instance.exports.poll as (inPtr: number, outPtr: number, n: number, nevents: number) => number;
  const bytes = (): Uint8Array => new Uint8Array(memory.buffer);
  const view = (): DataView => new DataView(memory.buffer);
  const poll = (subscriptions: Subscription[]) => {
    writeSubscriptions(memory.buffer, subscriptions);
    bytes().fill(0xbb, EVENTS, EVENTS + 32 * (subscriptions.length + 1));
    view().setUint32(NEVENTS, 0xdead, true);
    const started = performance.now();
    const errno = callPoll(SUBS, EVENTS, subscriptions.length, NEVENTS);
    const wallMs = performance.now() - started;
    const count = view().getUint32(NEVENTS, true);
    return { errno, count, events: errno === 0 ? readEvents(memory.buffer, count) : [], wallMs };
  };
  const call = (name: keyof typeof wasi.wasiImport, ...args: (number | bigint)[]): number => wasi.wasiImport[name](...args) as number;
  const clock = (id: number): bigint => {
    expect(call('clock_time_get', id, 0n, SCRATCH)).toBe(0);
    return view().getBigUint64(SCRATCH, true);
  };
  /** path_open in preopen fd 3; returns the new fd. */
  const open = (path: string, rights: bigint = (1n << 30n) - 1n): number => {
    const encoded = new TextEncoder().encode(path);
    bytes().set(encoded, SCRATCH + 64);
    expect(call('path_open', 3, 0, SCRATCH + 64, encoded.byteLength, 0, rights, rights, 0, SCRATCH)).toBe(0);
    return view().getUint32(SCRATCH, true);
  };
  /** fd_read of up to `max` bytes; returns the count. */
  const read = (fd: number, max: number): number => {
    view().setUint32(SCRATCH, SCRATCH + 256, true);
    view().setUint32(SCRATCH + 4, max, true);
    expect(call('fd_read', fd, SCRATCH, 1, SCRATCH + 8)).toBe(0);
    return view().getUint32(SCRATCH + 8, true);
  };
  return { wasi, memory, poll, callPoll, call, clock, open, read, bytes, view };
}

const event = (userdata: bigint, type: number, extra: Partial<PollEvent> = {}): PollEvent => ({
  userdata,
  error: 0,
  type,
  nbytes: 0n,
  flags: 0,
  ...extra,
});
const MONOTONIC = 1;
const REALTIME = 0;

describe('poll_oneoff with hand-built subscriptions', () => {
  it('writes 32-byte events: userdata, error, type, nbytes, flags, zero padding; later slots untouched', () => {
    const t = pollHarness({ deterministic: true, stdin: 'abc' });
    const hex = (count: number): string => Buffer.from(t.bytes().slice(EVENTS, EVENTS + 32 * count)).toString('hex');
    const result = t.poll([
      { userdata: 0x0102030405060708n, fdRead: 0 },
      { userdata: 9n, fdWrite: 99 },
      { userdata: 10n, clock: { id: MONOTONIC, timeout: 0n } },
    ]);
    expect(result).toMatchObject({ errno: 0, count: 3 });
    expect(hex(4)).toBe(
      ['0807060504030201', '0000', '01', '0000000000', '0300000000000000', '0000', '000000000000'].join('') +
        ['0900000000000000', '0800', '02', '0000000000', '0000000000000000', '0000', '000000000000'].join('') +
        ['0a00000000000000', '0000', '00', '0000000000', '0000000000000000', '0000', '000000000000'].join('') +
        'bb'.repeat(32),
    );
    expect(t.read(0, 3)).toBe(3);
    t.poll([{ userdata: 11n, fdRead: 0 }]);
    expect(hex(1)).toBe(['0b00000000000000', '0000', '01', '0000000000', '0000000000000000', '0100', '000000000000'].join(''));
  });

  it('echoes full 64-bit userdata and reports events in subscription order', () => {
    const t = pollHarness({ deterministic: true, stdin: 'abc' });
    const result = t.poll([
      { userdata: 0xfffffffffffffffen, fdWrite: 1 },
      { userdata: 7n, clock: { id: REALTIME, timeout: 0n } },
      { userdata: 1n << 63n, fdRead: 0 },
    ]);
    expect(result.errno).toBe(0);
    expect(result.events).toEqual([
      event(0xfffffffffffffffen, EventType.FD_WRITE),
      event(7n, EventType.CLOCK),
      event(1n << 63n, EventType.FD_READ, { nbytes: 3n }),
    ]);
  });

  it('EBADF for an unknown fd, ENOTCAPABLE without the poll right, EINVAL for an unknown clock', () => {
    const t = pollHarness({ deterministic: true, preopens: { '/p': memfs({ 'f.txt': 'x' }) } });
    const fd = t.open('f.txt', Rights.FD_READ | Rights.FD_SEEK);
    const result = t.poll([
      { userdata: 1n, fdRead: 99 },
      { userdata: 2n, fdWrite: 3 }, // a directory
      { userdata: 3n, fdRead: fd },
      { userdata: 4n, clock: { id: 9, timeout: 0n } },
    ]);
    expect(result.events).toEqual([
      event(1n, EventType.FD_READ, { error: Errno.BADF }),
      event(2n, EventType.FD_WRITE, { error: Errno.NOTCAPABLE }),
      event(3n, EventType.FD_READ, { error: Errno.NOTCAPABLE }),
      event(4n, EventType.CLOCK, { error: Errno.INVAL }),
    ]);
  });

  it('EINVAL for zero subscriptions and for an unknown subscription tag, without writing events', () => {
    const t = pollHarness({ deterministic: true });
    expect(t.poll([])).toMatchObject({ errno: Errno.INVAL, count: 0xdead });
    expect(t.poll([{ userdata: 1n, fdWrite: 1 }, { userdata: 2n, tag: 3 }])).toMatchObject({ errno: Errno.INVAL, count: 0xdead });
    expect(t.bytes()[EVENTS]).toBe(0xbb);
  });

  it('EFAULT for subscriptions, events or nevents out of bounds, before anything happens', () => {
    const t = pollHarness({ deterministic: true });
    writeSubscriptions(t.memory.buffer, [{ userdata: 1n, fdWrite: 1 }, { userdata: 2n, clock: { id: MONOTONIC, timeout: 10n ** 12n } }]);
    t.bytes().fill(0xbb, EVENTS, EVENTS + 64);
    const before = t.clock(MONOTONIC);
    expect(t.callPoll(PAGE - 48, EVENTS, 2, NEVENTS)).toBe(Errno.FAULT);
    expect(t.callPoll(SUBS, PAGE - 32, 2, NEVENTS)).toBe(Errno.FAULT);
    expect(t.callPoll(SUBS, EVENTS, 2, PAGE - 2)).toBe(Errno.FAULT);
    expect(t.callPoll(SUBS, EVENTS, 0x7fffffff, NEVENTS)).toBe(Errno.FAULT);
    expect(t.callPoll(-1, EVENTS, 1, NEVENTS)).toBe(Errno.FAULT);
    expect(t.bytes()[EVENTS]).toBe(0xbb);
    expect(t.clock(MONOTONIC) - before).toBe(1000n); // only the read itself: no jump to a deadline
  });

  it('a ready fd beats a long timeout: no wait, the timer is not reported, expired timers are', () => {
    const real = pollHarness();
    const result = real.poll([
      { userdata: 1n, clock: { id: MONOTONIC, timeout: 10_000n * MS } },
      { userdata: 2n, fdWrite: 2 },
      { userdata: 3n, clock: { id: MONOTONIC, timeout: 0n } },
    ]);
    expect(result.events).toEqual([event(2n, EventType.FD_WRITE), event(3n, EventType.CLOCK)]);
    expect(result.wallMs).toBeLessThan(1000);

    const virtual = pollHarness({ deterministic: { step: 0n } });
    expect(virtual.poll([{ userdata: 1n, clock: { id: MONOTONIC, timeout: 10_000n * MS } }, { userdata: 9n, fdRead: 99 }]).events).toEqual([
      event(9n, EventType.FD_READ, { error: Errno.BADF }),
    ]);
    expect(virtual.clock(MONOTONIC)).toBe(0n); // the virtual clock did not jump either
  });

  it('reports bytes left to read in a file, and 0 for writing', () => {
    const t = pollHarness({ deterministic: true, preopens: { '/p': memfs({ 'f.txt': 'hello world' }) } });
    const fd = t.open('f.txt');
    expect(t.poll([{ userdata: 1n, fdRead: fd }, { userdata: 2n, fdWrite: fd }]).events).toEqual([
      event(1n, EventType.FD_READ, { nbytes: 11n }),
      event(2n, EventType.FD_WRITE),
    ]);
    expect(t.read(fd, 4)).toBe(4);
    expect(t.poll([{ userdata: 1n, fdRead: fd }]).events).toEqual([event(1n, EventType.FD_READ, { nbytes: 7n })]);
    expect(t.call('fd_seek', fd, 20n, 0, SCRATCH)).toBe(0); // past the end
    expect(t.poll([{ userdata: 1n, fdRead: fd }]).events).toEqual([event(1n, EventType.FD_READ)]);
  });

  it('stdin: buffered bytes, hangup at the end; a read callback is never called by poll', () => {
    const fixed = pollHarness({ deterministic: true, stdin: 'abcdef' });
    expect(fixed.poll([{ userdata: 1n, fdRead: 0 }]).events).toEqual([event(1n, EventType.FD_READ, { nbytes: 6n })]);
    expect(fixed.read(0, 6)).toBe(6);
    expect(fixed.poll([{ userdata: 1n, fdRead: 0 }]).events).toEqual([event(1n, EventType.FD_READ, { flags: HANGUP })]);

    const pieces = ['xyz'];
    let pulls = 0;
    const pulled = pollHarness({
      deterministic: true,
      stdin: () => {
        pulls++;
        return pieces.shift() ?? null;
      },
    });
    expect(pulled.poll([{ userdata: 1n, fdRead: 0 }]).events).toEqual([event(1n, EventType.FD_READ)]); // unknown yet
    expect(pulls).toBe(0);
    expect(pulled.read(0, 1)).toBe(1);
    expect(pulled.poll([{ userdata: 1n, fdRead: 0 }]).events).toEqual([event(1n, EventType.FD_READ, { nbytes: 2n })]);
    expect(pulled.read(0, 8)).toBe(2);
    expect(pulled.read(0, 8)).toBe(0);
    expect(pulled.poll([{ userdata: 1n, fdRead: 0 }]).events).toEqual([event(1n, EventType.FD_READ, { flags: HANGUP })]);
    expect(pulls).toBe(2);
  });

  it('virtual clock: the earliest of relative and absolute timers fires and the clock jumps to it', () => {
    const t = pollHarness({ deterministic: { step: 0n, startTime: 1000n * MS } });
    const result = t.poll([
      { userdata: 1n, clock: { id: MONOTONIC, timeout: 30n * MS } },
      { userdata: 2n, clock: { id: REALTIME, timeout: 1020n * MS, abstime: true } },
      { userdata: 3n, clock: { id: MONOTONIC, timeout: 10n * MS, abstime: true } },
      { userdata: 4n, clock: { id: REALTIME, timeout: 15n * MS } },
    ]);
    expect(result.events).toEqual([event(3n, EventType.CLOCK)]);
    expect(t.clock(MONOTONIC)).toBe(10n * MS);
    expect(t.clock(REALTIME)).toBe(1010n * MS);
    // Two timers due at the same moment on different clocks fire together.
    expect(
      t.poll([
        { userdata: 5n, clock: { id: REALTIME, timeout: 1015n * MS, abstime: true } },
        { userdata: 6n, clock: { id: MONOTONIC, timeout: 5n * MS } },
      ]).events,
    ).toEqual([event(5n, EventType.CLOCK), event(6n, EventType.CLOCK)]);
    expect(t.clock(MONOTONIC)).toBe(15n * MS);
  });

  it('an absolute deadline already passed fires at once without moving the clock', () => {
    const t = pollHarness({ deterministic: { step: 0n, startTime: 5000n * MS } });
    expect(t.poll([{ userdata: 1n, clock: { id: REALTIME, timeout: 4000n * MS, abstime: true } }]).events).toEqual([
      event(1n, EventType.CLOCK),
    ]);
    expect(t.clock(REALTIME)).toBe(5000n * MS);
  });

  it('the real clock blocks until the earliest timer; a custom clock waits the time it says is left', () => {
    const real = pollHarness();
    const result = real.poll([
      { userdata: 1n, clock: { id: MONOTONIC, timeout: 80n * MS } },
      { userdata: 2n, clock: { id: MONOTONIC, timeout: 30n * MS } },
    ]);
    expect(result.events).toEqual([event(2n, EventType.CLOCK)]);
    expect(result.wallMs).toBeGreaterThanOrEqual(29.5); // timer resolution
    expect(result.wallMs).toBeLessThan(80);

    const frozen = pollHarness({ clock: () => 100n * MS });
    const custom = frozen.poll([{ userdata: 1n, clock: { id: MONOTONIC, timeout: 130n * MS, abstime: true } }]);
    expect(custom.events).toEqual([event(1n, EventType.CLOCK)]);
    expect(custom.wallMs).toBeGreaterThanOrEqual(29.5);

    const frozenDeterministic = pollHarness({ clock: () => 0n, deterministic: true });
    const instant = frozenDeterministic.poll([{ userdata: 1n, clock: { id: MONOTONIC, timeout: 60_000n * MS } }]);
    expect(instant.events).toEqual([event(1n, EventType.CLOCK)]);
    expect(instant.wallMs).toBeLessThan(1000);
  });

  it('sched_yield succeeds', () => {
    expect(pollHarness().call('sched_yield')).toBe(0);
  });
});

// ---- node:wasi as an oracle ------------------------------------------------------------

/**
 * Runs POLL_WAT under node:wasi in a child Node process whose stdin and stdout are pipes
 * (node:wasi polls fds with epoll, which refuses regular files and /dev/null), with 'abcdef'
 * on stdin. Returns, per case, the errno, nevents and the bytes of each event written.
 */
const ORACLE = `
import { WASI } from 'node:wasi';
const cases = JSON.parse(process.env.POLL_CASES);
const wasi = new WASI({ version: 'preview1', returnOnExit: true });
const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(process.env.POLL_WASM, 'base64')), wasi.getImportObject());
wasi.initialize(instance);
const memory = new Uint8Array(instance.exports.memory.buffer);
const results = cases.map(({ subs, n }) => {
  memory.set(Buffer.from(subs, 'base64'), ${SUBS});
  const errno = instance.exports.poll(${SUBS}, ${EVENTS}, n, ${NEVENTS});
  const count = new DataView(memory.buffer).getUint32(${NEVENTS}, true);
  const events = errno === 0 ? Array.from({ length: count }, (_, i) => Buffer.from(memory.slice(${EVENTS} + i * 32, ${EVENTS} + i * 32 + 32)).toString('hex')) : [];
  return { errno, count: errno === 0 ? count : 0, events };
});
process.stdout.write(JSON.stringify(results));
`;

interface OracleResult {
  errno: number;
  count: number;
  events: string[];
}

function encodeCase(subscriptions: Subscription[]): { subs: string; n: number } {
  const memory = new ArrayBuffer(SUBS + 48 * Math.max(1, subscriptions.length));
  writeSubscriptions(memory, subscriptions);
  return { subs: Buffer.from(memory, SUBS).toString('base64'), n: subscriptions.length };
}

describe('the event layout agrees with node:wasi on V8', () => {
  it('fd readiness, relative timers, zero subscriptions', () => {
    const cases: Subscription[][] = [
      [
        { userdata: 0x1122334455667788n, fdWrite: 1 },
        { userdata: 2n, clock: { id: MONOTONIC, timeout: 10_000n * MS } },
        { userdata: 3n, fdWrite: 2 },
      ],
      [
        { userdata: 4n, clock: { id: MONOTONIC, timeout: 10_000n * MS } },
        { userdata: 5n, fdRead: 0 },
      ],
      [
        { userdata: 6n, clock: { id: MONOTONIC, timeout: 40n * MS } },
        { userdata: 7n, clock: { id: MONOTONIC, timeout: 20n * MS } },
      ],
      [{ userdata: 8n, clock: { id: REALTIME, timeout: 0n } }],
      [],
    ];
    const child = spawnSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', ORACLE], {
      input: 'abcdef',
      env: { ...process.env, POLL_WASM: Buffer.from(pollBytes).toString('base64'), POLL_CASES: JSON.stringify(cases.map(encodeCase)) },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    const oracle = JSON.parse(child.stdout) as OracleResult[];

    const ours = pollHarness({ stdin: 'abcdef' });
    const hex = (count: number): string[] =>
      Array.from({ length: count }, (_, i) => Buffer.from(ours.bytes().slice(EVENTS + i * 32, EVENTS + i * 32 + 32)).toString('hex'));
    cases.forEach((subscriptions, i) => {
      const result = ours.poll(subscriptions);
      const expected = oracle[i]!;
      expect({ errno: result.errno, count: result.errno === 0 ? result.count : 0 }).toEqual({ errno: expected.errno, count: expected.count });
      hex(expected.count).forEach((ourEvent, j) => {
        const theirs = expected.events[j]!;
        // userdata, error and type; node:wasi leaves the rest of a clock event unwritten
        expect(ourEvent.slice(0, 22)).toBe(theirs.slice(0, 22));
        const type = Number.parseInt(theirs.slice(20, 22), 16);
        // node:wasi reports nbytes 0 for pipes; we know how much stdin holds
        if (type === EventType.FD_WRITE) expect(ourEvent.slice(32, 52)).toBe(theirs.slice(32, 52));
      });
    });
    expect(oracle.map((result) => result.count)).toEqual([2, 1, 1, 1, 0]);
    expect(oracle[4]!.errno).toBe(Errno.INVAL);
  });
});

// Last in the file: once Atomics.wait has been refused, WASI remembers it for the process.
describe('where the thread may not block (a browser main thread)', () => {
  it('spins on the clock when Atomics.wait throws, and stops trying Atomics.wait', () => {
    const refuse = vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context');
    });
    try {
      const t = pollHarness();
      for (let round = 0; round < 2; round++) {
        const result = t.poll([{ userdata: 1n, clock: { id: MONOTONIC, timeout: 30n * MS } }]);
        expect(result.events).toEqual([event(1n, EventType.CLOCK)]);
        expect(result.wallMs).toBeGreaterThanOrEqual(29.5);
      }
      expect(refuse).toHaveBeenCalledTimes(1);
    } finally {
      refuse.mockRestore();
    }
  });
});
