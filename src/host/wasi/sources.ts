/** Time and randomness for WASI: the system's by default, or deterministic ones. */

export type ClockName = 'realtime' | 'monotonic' | 'process_cputime' | 'thread_cputime';
/** Returns the current time of `clock` in nanoseconds. */
export type Clock = (clock: ClockName) => bigint;
/** Fills `buffer` with random bytes. */
export type RandomSource = (buffer: Uint8Array) => void;

export const CLOCK_NAMES: readonly ClockName[] = ['realtime', 'monotonic', 'process_cputime', 'thread_cputime'];

const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

/** Wall clock from `performance.timeOrigin`; the other clocks count from when the page/process started. */
export const systemClock: Clock = (clock) => {
  const sinceOrigin = performance.now();
  return clock === 'realtime' ? msToNs(performance.timeOrigin + sinceOrigin) : msToNs(sinceOrigin);
};

/** Web Crypto, in slices because getRandomValues refuses more than 65536 bytes at once. */
export const systemRandom: RandomSource = (buffer) => {
  for (let offset = 0; offset < buffer.byteLength; offset += 65536) {
    crypto.getRandomValues(buffer.subarray(offset, offset + 65536));
  }
};

/**
 * Blocks until `clock` reads at least `deadline` (ns), for poll_oneoff. A virtual clock
 * is moved forward instead, so sleeping programs stay deterministic and fast.
 */
export type WaitUntil = (clock: ClockName, deadline: bigint) => void;

export interface SteppingClock {
  read: Clock;
  advanceTo: WaitUntil;
}

/**
 * A clock that only moves when read: every read of any clock advances time by `step`
 * nanoseconds, so a program sees the same times on every run yet loops that wait for
 * time to pass still finish. `realtime` starts at `start`, the others at 0. All clocks
 * share one elapsed time, so `advanceTo` moves them all.
 */
export function steppingClock(start: bigint, step: bigint): SteppingClock {
  let elapsed = 0n;
  return {
    read: (clock) => {
      elapsed += step;
      return clock === 'realtime' ? start + elapsed : elapsed;
    },
    advanceTo: (clock, deadline) => {
      const target = clock === 'realtime' ? deadline - start : deadline;
      if (target > elapsed) elapsed = target;
    },
  };
}

/** Set on the first failed Atomics.wait: a browser's main thread may not block. */
let atomicsWaitRefused = false;
let waitCell: Int32Array | undefined;

/**
 * Blocks the thread for `nanoseconds`. JS has no sleep: Atomics.wait on a cell nobody
 * notifies does it where blocking is allowed (Node, workers); elsewhere spin on the clock.
 */
function sleepFor(nanoseconds: bigint): void {
  if (nanoseconds <= 0n) return;
  const ms = Number(nanoseconds) / 1e6;
  if (!atomicsWaitRefused && typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object') {
    try {
      waitCell ??= new Int32Array(new SharedArrayBuffer(4));
      Atomics.wait(waitCell, 0, 0, ms);
      return;
    } catch {
      atomicsWaitRefused = true;
    }
  }
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: nothing else can run on this thread until the guest resumes anyway
  }
}

/** Waits for the system clock itself, re-checking because a timed wait may end early. */
export const waitForSystemClock: WaitUntil = (clock, deadline) => {
  for (let left = deadline - systemClock(clock); left > 0n; left = deadline - systemClock(clock)) sleepFor(left);
};

/** For a caller's own clock, which may not follow real time: wait once for the time it says is left. */
export function waitForCustomClock(read: Clock): WaitUntil {
  return (clock, deadline) => sleepFor(deadline - read(clock));
}

/** A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). Not for secrets. */
export function seededRandom(seed: number): RandomSource {
  let splitmix = seed >>> 0;
  const nextSeed = (): number => {
    splitmix = (splitmix + 0x9e3779b9) >>> 0;
    let z = splitmix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = nextSeed();
  let s1 = nextSeed();
  let s2 = nextSeed();
  let s3 = nextSeed();
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return (buffer) => {
    for (let i = 0; i < buffer.byteLength; i += 4) {
      let word = next();
      for (let j = i; j < Math.min(i + 4, buffer.byteLength); j++) {
        buffer[j] = word & 0xff;
        word >>>= 8;
      }
    }
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
