import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  TRAP_DIV_ZERO,
  TRAP_INVALID_CONVERSION,
  TRAP_OVERFLOW,
  f32ConvertI64S,
  f32ConvertI64U,
  f64ConvertI64S,
  f64ConvertI64U,
  fMax,
  fMin,
  fNearest,
  i32TruncSCheck,
  i32TruncSatS,
  i32TruncSatU,
  i32TruncUCheck,
  i64Clz,
  i64Ctz,
  i64DivS,
  i64DivU,
  i64Mul,
  i64Popcnt,
  i64RemS,
  i64RemU,
  i64Rotl,
  i64Rotr,
  i64Shl,
  i64ShrS,
  i64ShrU,
  i64TruncS,
  i64TruncSatS,
  i64TruncSatU,
  i64TruncU,
  numericTrapCode,
} from '../src/interpreter/numeric.js';

const RUNS = { numRuns: 3000 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// Register file with operands at word 2 (a) and 4 (b); results go to word 6 unless aliased.
const A = 2;
const B = 4;
const D = 6;

function setI64(w: Int32Array, at: number, v: bigint): void {
  w[at] = Number(BigInt.asIntN(32, v));
  w[at + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

function getI64(w: Int32Array, at: number): bigint {
  return (BigInt(w[at + 1]!) << 32n) | BigInt(w[at]! >>> 0);
}

const edgeI64: bigint[] = [0n, 1n, -1n, 2n, -2n, INT64_MIN, INT64_MAX, INT64_MIN + 1n, INT64_MAX - 1n];
for (let k = 0n; k < 64n; k++) {
  const p = BigInt.asIntN(64, 1n << k);
  edgeI64.push(p, BigInt.asIntN(64, p - 1n), BigInt.asIntN(64, p + 1n), BigInt.asIntN(64, -p));
}
for (const base of [2n ** 53n, 2n ** 32n, 2n ** 31n, 2n ** 21n * 2n ** 32n]) {
  for (let delta = -2n; delta <= 2n; delta++) edgeI64.push(base + delta, -(base + delta));
}

/** i64 values: uniform, edge, small, sparse bit patterns (they exercise carries and rounding ties). */
const i64 = fc.oneof(
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.constantFrom(...edgeI64),
  fc.integer().map(BigInt),
  fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
  fc
    .array(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 4 })
    .map((bits) => BigInt.asIntN(64, bits.reduce((v, b) => v | (1n << BigInt(b)), 0n))),
);

type Binary = (w: Int32Array, d: number, a: number, b: number) => number | void;

/** Runs op on (a, b) into D, then aliased into A and into B, and checks all agree. */
function runBinary(op: Binary, a: bigint, b: bigint): { trap: number; value: bigint } {
  const w = new Int32Array(8);
  setI64(w, A, a);
  setI64(w, B, b);
  const trap = op(w, D, A, B) ?? 0;
  const value = getI64(w, D);
  if (trap === 0) {
    setI64(w, A, a);
    expect(op(w, A, A, B) ?? 0).toBe(0);
    expect(getI64(w, A)).toBe(value);
    setI64(w, A, a);
    setI64(w, B, b);
    op(w, B, A, B);
    expect(getI64(w, B)).toBe(value);
  }
  return { trap, value };
}

const u64 = (v: bigint) => BigInt.asUintN(64, v);
const s64 = (v: bigint) => BigInt.asIntN(64, v);

describe('i64 arithmetic against BigInt', () => {
  const cases: [string, Binary, (a: bigint, b: bigint) => bigint | number][] = [
    ['mul', i64Mul, (a, b) => s64(a * b)],
    ['div_s', i64DivS, (a, b) => (b === 0n ? TRAP_DIV_ZERO : a === INT64_MIN && b === -1n ? TRAP_OVERFLOW : s64(a / b))],
    ['div_u', i64DivU, (a, b) => (b === 0n ? TRAP_DIV_ZERO : s64(u64(a) / u64(b)))],
    ['rem_s', i64RemS, (a, b) => (b === 0n ? TRAP_DIV_ZERO : a % b)],
    ['rem_u', i64RemU, (a, b) => (b === 0n ? TRAP_DIV_ZERO : s64(u64(a) % u64(b)))],
    ['shl', i64Shl, (a, b) => s64(a << (u64(b) & 63n))],
    ['shr_s', i64ShrS, (a, b) => a >> (u64(b) & 63n)],
    ['shr_u', i64ShrU, (a, b) => s64(u64(a) >> (u64(b) & 63n))],
    ['rotl', i64Rotl, (a, b) => rotl(a, u64(b) & 63n)],
    ['rotr', i64Rotr, (a, b) => rotl(a, (64n - (u64(b) & 63n)) & 63n)],
  ];
  for (const [name, op, reference] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(i64, i64, (a, b) => {
          const expected = reference(a, b);
          const { trap, value } = runBinary(op, a, b);
          if (typeof expected === 'number') expect(trap).toBe(expected);
          else expect([trap, value]).toEqual([0, expected]);
        }),
        RUNS,
      );
    });
  }

  it('divides every pair of edge values', () => {
    for (const a of edgeI64) {
      for (const b of edgeI64) {
        if (b === 0n) continue;
        expect(runBinary(i64DivU, a, b).value).toBe(s64(u64(a) / u64(b)));
        expect(runBinary(i64RemU, a, b).value).toBe(s64(u64(a) % u64(b)));
        expect(runBinary(i64RemS, a, b).value).toBe(a % b);
        if (!(a === INT64_MIN && b === -1n)) expect(runBinary(i64DivS, a, b).value).toBe(s64(a / b));
      }
    }
  });

  it('INT64_MIN rem -1 is 0 and INT64_MIN div -1 overflows', () => {
    expect(runBinary(i64RemS, INT64_MIN, -1n)).toEqual({ trap: 0, value: 0n });
    expect(runBinary(i64DivS, INT64_MIN, -1n).trap).toBe(TRAP_OVERFLOW);
    expect(runBinary(i64DivS, INT64_MIN, 1n).value).toBe(INT64_MIN);
  });

  it('maps trap results to trap codes', () => {
    expect(numericTrapCode(TRAP_DIV_ZERO)).toBe('integerDivideByZero');
    expect(numericTrapCode(TRAP_OVERFLOW)).toBe('integerOverflow');
    expect(numericTrapCode(TRAP_INVALID_CONVERSION)).toBe('invalidConversionToInteger');
  });
});

function rotl(a: bigint, n: bigint): bigint {
  const u = u64(a);
  return s64((u << n) | (u >> ((64n - n) & 63n)));
}

describe('i64 bit counting against BigInt', () => {
  const cases: [string, (w: Int32Array, d: number, a: number) => void, (bits: string) => number][] = [
    ['clz', i64Clz, (bits) => bits.indexOf('1') === -1 ? 64 : bits.indexOf('1')],
    ['ctz', i64Ctz, (bits) => bits.lastIndexOf('1') === -1 ? 64 : 63 - bits.lastIndexOf('1')],
    ['popcnt', i64Popcnt, (bits) => bits.split('').filter((c) => c === '1').length],
  ];
  for (const [name, op, reference] of cases) {
    it(name, () => {
      fc.assert(
        fc.property(i64, (a) => {
          const w = new Int32Array(8);
          setI64(w, A, a);
          op(w, D, A);
          const expected = BigInt(reference(u64(a).toString(2).padStart(64, '0')));
          expect(getI64(w, D)).toBe(expected);
          op(w, A, A);
          expect(getI64(w, A)).toBe(expected);
        }),
        RUNS,
      );
    });
  }
});

// ---------------------------------------------------------------- truncations

const f32Of = (x: number) => Math.fround(x);

/** x and its two nearest doubles and f32s on each side (x rounded to f32 for the latter). */
function neighbours(x: number): number[] {
  const f64 = new Float64Array([x]);
  const bits64 = new BigInt64Array(f64.buffer);
  const f32 = new Float32Array([x]);
  const bits32 = new Int32Array(f32.buffer);
  const base64 = bits64[0]!;
  const base32 = bits32[0]!;
  const out: number[] = [];
  for (const delta of [-2, -1, 0, 1, 2]) {
    bits64[0] = base64 + BigInt(delta);
    bits32[0] = base32 + delta;
    out.push(f64[0]!, f32[0]!);
  }
  return out;
}

const edgeFloats: number[] = [0, -0, NaN, Infinity, -Infinity, 0.5, -0.5, 0.9999999999999999, -0.9999999999999999, 1, -1];
for (const boundary of [2 ** 31, 2 ** 32, 2 ** 53, 2 ** 63, 2 ** 64]) {
  for (const x of [boundary, -boundary]) edgeFloats.push(...neighbours(x), x - 0.5, x + 0.5, x - 1, x + 1);
}

const floats = fc.oneof(
  fc.double(),
  fc.float().map(f32Of),
  fc.constantFrom(...edgeFloats),
  fc.double({ min: -(2 ** 65), max: 2 ** 65 }),
  fc.double({ min: -(2 ** 33), max: 2 ** 33 }),
  fc.double({ min: -2, max: 2 }),
);

/** Reference truncation: the trap, or the integer result. */
function truncRef(x: number, min: bigint, max: bigint): number | bigint {
  if (Number.isNaN(x)) return TRAP_INVALID_CONVERSION;
  if (!Number.isFinite(x)) return TRAP_OVERFLOW;
  const t = BigInt(Math.trunc(x));
  return t < min || t > max ? TRAP_OVERFLOW : t;
}

function satRef(x: number, min: bigint, max: bigint): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x === Infinity) return max;
  if (x === -Infinity) return min;
  const t = BigInt(Math.trunc(x));
  return t < min ? min : t > max ? max : t;
}

describe('float -> integer truncations', () => {
  it('i64.trunc_s and i64.trunc_u', () => {
    fc.assert(
      fc.property(floats, (x) => {
        for (const [op, min, max, wrap] of [
          [i64TruncS, INT64_MIN, INT64_MAX, s64],
          [i64TruncU, 0n, 2n ** 64n - 1n, u64],
        ] as const) {
          const w = new Int32Array(8);
          const trap = op(w, D, x);
          const expected = truncRef(x, min, max);
          if (typeof expected === 'number') expect(trap).toBe(expected);
          else expect([trap, wrap(getI64(w, D))]).toEqual([0, expected]);
        }
      }),
      RUNS,
    );
  });

  it('i64.trunc_sat_s and i64.trunc_sat_u', () => {
    fc.assert(
      fc.property(floats, (x) => {
        const w = new Int32Array(8);
        i64TruncSatS(w, D, x);
        expect(getI64(w, D)).toBe(satRef(x, INT64_MIN, INT64_MAX));
        i64TruncSatU(w, D, x);
        expect(u64(getI64(w, D))).toBe(satRef(x, 0n, 2n ** 64n - 1n));
      }),
      RUNS,
    );
  });

  it('i32 truncation checks and saturating truncations', () => {
    fc.assert(
      fc.property(floats, (x) => {
        const s = truncRef(x, -(2n ** 31n), 2n ** 31n - 1n);
        expect(i32TruncSCheck(x)).toBe(typeof s === 'number' ? s : 0);
        if (typeof s === 'bigint') expect(x | 0).toBe(Number(s));
        const u = truncRef(x, 0n, 2n ** 32n - 1n);
        expect(i32TruncUCheck(x)).toBe(typeof u === 'number' ? u : 0);
        if (typeof u === 'bigint') expect(x | 0).toBe(Number(BigInt.asIntN(32, u)));
        expect(i32TruncSatS(x)).toBe(Number(satRef(x, -(2n ** 31n), 2n ** 31n - 1n)));
        expect(i32TruncSatU(x)).toBe(Number(BigInt.asIntN(32, satRef(x, 0n, 2n ** 32n - 1n))));
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------- i64 -> float

/** Exact round-to-nearest-even of an integer to a float with `precision` significant bits. */
function roundToPrecision(v: bigint, precision: number): number {
  const negative = v < 0n;
  const m = negative ? -v : v;
  const shift = m.toString(2).length - precision;
  let result: number;
  if (shift <= 0) {
    result = Number(m);
  } else {
    const s = BigInt(shift);
    let q = m >> s;
    const rest = m - (q << s);
    const half = 1n << (s - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q++;
    result = Number(q) * 2 ** shift;
  }
  return negative ? -result : result;
}

describe('i64 -> float conversions round once, to nearest even', () => {
  function check(a: bigint): void {
    const w = new Int32Array(8);
    setI64(w, A, a);
    const u = u64(a);
    expect(f64ConvertI64S(w, A)).toBe(roundToPrecision(a, 53));
    expect(f64ConvertI64U(w, A)).toBe(roundToPrecision(u, 53));
    const f32s = f32ConvertI64S(w, A);
    const f32u = f32ConvertI64U(w, A);
    expect(f32s).toBe(roundToPrecision(a, 24));
    expect(f32u).toBe(roundToPrecision(u, 24));
    expect(Math.fround(f32s)).toBe(f32s);
    expect(Math.fround(f32u)).toBe(f32u);
  }

  it('random and edge values', () => {
    fc.assert(fc.property(i64, (a) => check(a)), RUNS);
  });

  it('ties and sticky bits below a tie (where double rounding would go wrong)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2 ** 23, max: 2 ** 24 - 1 }),
        fc.integer({ min: 30, max: 40 }),
        fc.constantFrom(0n, 1n, -1n),
        fc.boolean(),
        (mantissa, exponent, sticky, negative) => {
          // mantissa * 2^exponent plus exactly half an f32 ulp, plus or minus a sticky 1.
          const e = BigInt(exponent);
          const v = (BigInt(mantissa) << e) + (1n << (e - 1n)) + sticky;
          if (v < 2n ** 63n) check(negative ? -v : v);
          check(BigInt.asIntN(64, v));
        },
      ),
      RUNS,
    );
    // Number(2^60 + 2^36 + 1) is the tie 2^60 + 2^36, which fround rounds down; the true value rounds up.
    const w = new Int32Array(8);
    setI64(w, A, 2n ** 60n + 2n ** 36n + 1n);
    expect(f32ConvertI64S(w, A)).toBe(2 ** 60 + 2 ** 37);
    expect(Math.fround(Number(2n ** 60n + 2n ** 36n + 1n))).toBe(2 ** 60);
  });
});

// ---------------------------------------------------------------- nearest, min, max

function nearestRef(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  let r = diff < 0.5 ? floor : diff > 0.5 ? floor + 1 : floor % 2 === 0 ? floor : floor + 1;
  if (r === 0) r = x < 0 || Object.is(x, -0) ? -0 : 0;
  return r;
}

describe('ceil, floor, trunc, nearest, min, max', () => {
  const nearestEdges = [
    0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 2 ** 52 - 0.5,
    -(2 ** 52 - 0.5), 2 ** 52, 2 ** 52 + 1, 2 ** 53, 1e300, Number.MIN_VALUE, -Number.MIN_VALUE, NaN, Infinity,
    -Infinity, 0.7, -0.7, 3.5, 4.5, -4.5, Math.fround(8388607.5), Math.fround(-8388608.5),
  ];
  it('nearest on edge values', () => {
    for (const x of nearestEdges) expect(fNearest(x)).toBe(nearestRef(x));
    expect(Object.is(fNearest(-0.5), -0)).toBe(true);
    expect(Object.is(fNearest(-0.2), -0)).toBe(true);
    expect(Object.is(fNearest(-0), -0)).toBe(true);
    expect(fNearest(2.5)).toBe(2);
    expect(fNearest(-3.5)).toBe(-4);
  });

  it('nearest on random values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.double({ min: -1e6, max: 1e6 }), fc.integer().map((n) => n / 2)), (x) => {
        expect(fNearest(x)).toBe(nearestRef(x));
      }),
      RUNS,
    );
  });

  it('nearest keeps f32 values f32', () => {
    fc.assert(
      fc.property(fc.float(), (x) => {
        const r = fNearest(Math.fround(x));
        expect(Math.fround(r)).toBe(r);
      }),
      RUNS,
    );
  });

  it('min and max: NaN wins, -0 < +0', () => {
    expect(Object.is(fMin(0, -0), -0)).toBe(true);
    expect(Object.is(fMin(-0, 0), -0)).toBe(true);
    expect(Object.is(fMax(0, -0), 0)).toBe(true);
    expect(Object.is(fMax(-0, 0), 0)).toBe(true);
    expect(fMin(NaN, -Infinity)).toBeNaN();
    expect(fMax(Infinity, NaN)).toBeNaN();
    fc.assert(
      fc.property(fc.double(), fc.double(), (a, b) => {
        const nan = Number.isNaN(a) || Number.isNaN(b);
        const lessOrNegZero = a < b || (a === b && Object.is(a, -0));
        expect(fMin(a, b)).toBe(nan ? NaN : lessOrNegZero ? a : b);
        expect(fMax(a, b)).toBe(nan ? NaN : lessOrNegZero ? b : a);
      }),
      RUNS,
    );
  });

  it('a signalling NaN read from a Float64Array comes back quiet', () => {
    const f64 = new Float64Array(2);
    const bits = new BigUint64Array(f64.buffer);
    const quiet = 0x0008000000000000n;
    const ops: ((x: number) => number)[] = [fNearest, (x) => fMin(x, 1), (x) => fMax(1, x)];
    for (const op of ops) {
      for (const signalling of [0x7ff4000000000000n, 0xfff0000000000001n]) {
        bits[0] = signalling;
        f64[1] = op(f64[0]!);
        expect(Number.isNaN(f64[1])).toBe(true);
        expect(bits[1]! & quiet).toBe(quiet);
      }
    }
  });
});
