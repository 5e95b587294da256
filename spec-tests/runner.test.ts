/** The spec runner's own logic: script reading, literals, expected values, and assertion counts. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseF32Bits, parseF64Bits, parseI32, parseI64 } from './literals.js';
import { parseSExprs, stringText, type SExpr } from './sexpr.js';
import { countAssertions, parseCommand, readScript } from './script.js';
import { parseConst, parseExpectation } from './values.js';
import { claimedSuiteFiles, displayName, testsuiteRoot } from './suite.js';
import { runWastFile } from './runner.js';

const f32Bits = (x: number): number => new Uint32Array(Float32Array.of(x).buffer)[0]!;
const f64Bits = (x: number): bigint => new BigUint64Array(Float64Array.of(x).buffer)[0]!;

describe('s-expressions', () => {
  it('reads strings with every escape form', () => {
    const [expr] = parseSExprs(String.raw`"a\n\t\\\'\"\41\ff\u{1F600}\u{0_41}"`);
    expect(expr?.kind).toBe('string');
    const bytes = Array.from((expr as SExpr & { kind: 'string' }).bytes);
    expect(bytes).toEqual([0x61, 0x0a, 0x09, 0x5c, 0x27, 0x22, 0x41, 0xff, 0xf0, 0x9f, 0x98, 0x80, 0x41]);
  });

  it('keeps a leading byte order mark in a name', () => {
    const [expr] = parseSExprs('"\u{feff}"');
    expect(stringText(expr as SExpr & { kind: 'string' })).toBe('\u{feff}');
  });

  it('skips line comments and nested block comments, and tracks lines', () => {
    const exprs = parseSExprs(';; line\n(; outer (; inner ;) still ;)\n(a ;; x\n (b "s;;") c)');
    expect(exprs).toHaveLength(1);
    const list = exprs[0]!;
    expect(list.line).toBe(3);
    expect(list.kind === 'list' && list.items.map((i) => i.kind)).toEqual(['atom', 'list', 'atom']);
    expect(list.kind === 'list' && list.items[1]!.line).toBe(4);
  });

  it('rejects unbalanced input', () => {
    expect(() => parseSExprs('(a (b)')).toThrow(/unclosed/);
    expect(() => parseSExprs('a)')).toThrow(/unexpected/);
    expect(() => parseSExprs('(; never closed')).toThrow(/block comment/);
  });
});

describe('integer literals', () => {
  it('reads decimal and hex with separators, wrapping i32 to signed', () => {
    expect(parseI32('0xffff_ffff')).toBe(-1);
    expect(parseI32('-0x8000_0000')).toBe(-2147483648);
    expect(parseI32('+1_000')).toBe(1000);
    expect(parseI64('0xffffffffffffffff')).toBe(-1n);
    expect(parseI64('-9223372036854775808')).toBe(-(1n << 63n));
  });

  it('rejects out-of-range and badly formed literals', () => {
    expect(() => parseI32('0x1_0000_0000')).toThrow(RangeError);
    expect(() => parseI32('-0x8000_0001')).toThrow(RangeError);
    expect(() => parseI64('0x1_0000_0000_0000_0000')).toThrow(RangeError);
    expect(() => parseI32('1__0')).toThrow(SyntaxError);
    expect(() => parseI32('_1')).toThrow(SyntaxError);
  });
});

describe('float literals', () => {
  it('reads special values and NaN payloads', () => {
    expect(parseF32Bits('inf')).toBe(0x7f800000);
    expect(parseF32Bits('-inf')).toBe(0xff800000);
    expect(parseF32Bits('nan')).toBe(0x7fc00000);
    expect(parseF32Bits('-nan:0x1')).toBe(0xff800001);
    expect(parseF64Bits('nan:0x4_0000_0000_0000')).toBe(0x7ff4000000000000n);
    expect(parseF32Bits('-0')).toBe(0x80000000);
    expect(() => parseF32Bits('nan:0x800000')).toThrow(RangeError);
  });

  it('rounds hex floats to nearest, ties to even, including subnormals', () => {
    expect(parseF32Bits('0x1p-149')).toBe(1);
    expect(parseF32Bits('0x1p-150')).toBe(0); // tie between 0 and the least subnormal: even is 0
    expect(parseF32Bits('0x1.8p-150')).toBe(1);
    expect(parseF32Bits('0x1.000001p0')).toBe(0x3f800000); // halfway, even
    expect(parseF32Bits('0x1.000003p0')).toBe(0x3f800002); // halfway, even upwards
    expect(parseF32Bits('0x1.fffffefp127')).toBe(0x7f7fffff);
    expect(parseF32Bits('0x1.ffffffp127')).toBe(0x7f800000); // rounds past the largest finite value
    expect(parseF32Bits('0x1.fffffep-127')).toBe(0x00800000); // largest subnormal rounds up to the least normal
    expect(parseF64Bits('0x1p-1074')).toBe(1n);
    expect(parseF64Bits('0x0.8p-1073')).toBe(1n);
    expect(parseF64Bits('0x1.fffffffffffff8p1023')).toBe(0x7ff0000000000000n);
  });

  it('rounds decimals to f32 once, not through f64', () => {
    // 1 + 2^-24 is halfway between two f32 values; a hair above it must round up, though via f64 it would tie to even.
    expect(parseF32Bits('1.000000059604644775390625')).toBe(0x3f800000);
    expect(parseF32Bits('1.000000059604644775390625000000000001')).toBe(0x3f800001);
    expect(parseF32Bits('1.4e-45')).toBe(1);
    expect(parseF32Bits('3.4028235e38')).toBe(0x7f7fffff);
    expect(parseF32Bits('1e39')).toBe(0x7f800000);
    expect(parseF64Bits('4.9406564584124654e-324')).toBe(1n);
    expect(parseF64Bits('2.4703282292062328e-324')).toBe(1n); // just above half the least subnormal
    expect(parseF64Bits('1_000.000_1e-3')).toBe(f64Bits(1.0000001));
  });

  it('agrees with JavaScript on the shortest decimal form of any f64', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const text = Object.is(x, -0) ? '-0' : String(x).replace('Infinity', 'inf');
        expect(parseF64Bits(text)).toBe(f64Bits(x));
      }),
    );
  });

  it('reads back the f32 of any f64-exact decimal', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = Object.is(x, -0) ? '-0' : String(x).replace('Infinity', 'inf');
        expect(parseF32Bits(text)).toBe(f32Bits(x));
      }),
    );
  });
});

describe('values', () => {
  const hostRefs = (n: number): object => ({ n });
  const expectation = (text: string) => parseExpectation(parseSExprs(text)[0]!, text, hostRefs, (v) => v === 'func');

  it('turns constants into raw values', () => {
    const c = (text: string): unknown => parseConst(parseSExprs(text)[0]!, hostRefs);
    expect(c('(i32.const 0xffffffff)')).toBe(-1);
    expect(c('(i64.const 1)')).toBe(1n);
    expect(c('(f32.const -0x1p-1)')).toBe(0xbf000000);
    expect(c('(f64.const 1.5)')).toBe(0x3ff8000000000000n);
    expect(c('(ref.null extern)')).toBeNull();
    expect(c('(ref.extern 3)')).toEqual({ n: 3 });
    expect(Array.from(c('(v128.const i16x8 1 2 3 4 5 6 7 -1)') as Uint8Array).slice(12)).toEqual([7, 0, 0xff, 0xff]);
  });

  it('matches NaN classes by their bits', () => {
    const canonical = expectation('(f32.const nan:canonical)');
    expect(canonical.matches(0x7fc00000)).toBe(true);
    expect(canonical.matches(0xffc00000)).toBe(true);
    expect(canonical.matches(0x7fc00001)).toBe(false);
    const arithmetic = expectation('(f64.const nan:arithmetic)');
    expect(arithmetic.matches(0xfff8000000000123n)).toBe(true);
    expect(arithmetic.matches(0x7ff4000000000000n)).toBe(false);
    expect(expectation('(f32.const -nan:0x200000)').matches(0xffa00000)).toBe(true);
  });

  it('keeps types apart and matches references', () => {
    expect(expectation('(i32.const 1)').matches(1n)).toBe(false);
    expect(expectation('(f64.const 0)').matches(0)).toBe(false);
    expect(expectation('(ref.func)').matches('func')).toBe(true);
    expect(expectation('(ref.func)').matches(null)).toBe(false);
    expect(expectation('(ref.null func)').matches(null)).toBe(true);
    expect(expectation('(ref.extern 2)').matches(hostRefs(2))).toBe(false); // a different object
    expect(expectation('(either (i32.const 1) (i32.const 2))').matches(2)).toBe(true);
    expect(() => expectation('(ref.i31)')).toThrow(SyntaxError);
  });

  it('matches v128 lanes, with NaN classes per lane', () => {
    const lanes = expectation('(v128.const f32x4 nan:canonical 1 -0 inf)');
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(0, 0xffc00000, true);
    new DataView(bytes.buffer).setUint32(4, 0x3f800000, true);
    new DataView(bytes.buffer).setUint32(8, 0x80000000, true);
    new DataView(bytes.buffer).setUint32(12, 0x7f800000, true);
    expect(lanes.matches(bytes)).toBe(true);
    bytes[8] = 1;
    expect(lanes.matches(bytes)).toBe(false);
  });
});

describe('script commands', () => {
  const command = (text: string) => parseCommand(parseSExprs(text)[0]!, text);

  it('reads module forms', () => {
    expect(command('(module $m binary "\\00asm" "\\01\\00\\00\\00")')).toEqual({
      kind: 'module',
      module: { id: '$m', source: { kind: 'binary', bytes: Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0) }, definitionOnly: false },
    });
    expect(command('(module quote "(func" ")")')).toEqual({ kind: 'module', module: { id: undefined, source: { kind: 'quote', text: '(func)' }, definitionOnly: false } });
    expect(command('(module $x (func))')).toEqual({ kind: 'module', module: { id: '$x', source: { kind: 'text', text: '(module $x (func))' }, definitionOnly: false } });
    expect(command('(module definition $d (func))')).toEqual({
      kind: 'module',
      module: { id: '$d', source: { kind: 'text', text: '(module definition $d (func))' }, definitionOnly: true },
    });
    expect(command('(module instance $i $d)')).toEqual({ kind: 'module_instance', instanceId: '$i', definitionId: '$d' });
    expect(command('(module instance)')).toEqual({ kind: 'module_instance', instanceId: undefined, definitionId: undefined });
    expect(() => command('(module instance "x")')).toThrow(SyntaxError);
  });

  it('reads actions and assertions', () => {
    expect(command('(register "r" $m)')).toEqual({ kind: 'register', as: 'r', moduleId: '$m' });
    const trap = command('(assert_trap (invoke $m "f" (i32.const 1)) "unreachable")');
    expect(trap.kind === 'assert_trap' && trap.target).toMatchObject({ kind: 'invoke', moduleId: '$m', name: 'f' });
    const moduleTrap = command('(assert_trap (module (func)) "x")');
    expect(moduleTrap.kind === 'assert_trap' && 'source' in moduleTrap.target).toBe(true);
    expect(command('(assert_return (get "g") (i32.const 1))')).toMatchObject({ kind: 'assert_return', action: { kind: 'get', name: 'g' } });
    expect(() => command('(assert_return (get "g" (i32.const 1)))')).toThrow(SyntaxError);
    expect(() => command('(thread $t)')).toThrow(/unsupported command/);
  });

  it('treats a script of module fields as one inline module', () => {
    const entries = readScript('(func) (memory 0)');
    expect(entries).toHaveLength(1);
    expect(parseCommand(entries[0]!.expr, entries[0]!.source)).toMatchObject({ kind: 'module', module: { source: { kind: 'text' } } });
  });

  it('counts every assertion kind', () => {
    const script = `(module) (assert_return (invoke "f")) (assert_trap (invoke "f") "t") (assert_exhaustion (invoke "f") "e")
      (assert_invalid (module) "i") (assert_malformed (module quote "") "m") (assert_unlinkable (module) "u")
      (assert_uninstantiable (module) "u") (invoke "f") (register "x")`;
    expect(countAssertions(script)).toBe(7);
  });
});

describe('assertion counts match COUNTS.md', () => {
  const root = testsuiteRoot();
  const counts = new Map<string, number>();
  for (const match of readFileSync(join(root, 'COUNTS.md'), 'utf8').matchAll(/^\| ([^|]+\.wast) \| (\d+) \|$/gm)) {
    counts.set(match[1]!, Number(match[2]));
  }

  it('for every script of the testsuite', () => {
    expect(counts.size).toBe(434);
    const mismatches = [...counts].filter(([file, count]) => countAssertions(readFileSync(join(root, file), 'utf8')) !== count);
    expect(mismatches).toEqual([]);
  });

  it('for the claimed suites: wasm-2.0 (90 + 58 SIMD scripts), 74 top-level wasm-3.0 scripts, bulk-memory, memory64, multi-memory, SIMD, relaxed SIMD, exceptions (2 of 4 scripts) and legacy exceptions: 112,810 assertions', () => {
    const files = claimedSuiteFiles().map(displayName);
    expect(files).toHaveLength(90 + 58 + 74 + 8 + 25 + 41 + 59 + 7 + 2 + 4);
    expect(files.filter((file) => file.startsWith('wasm-2.0/')).reduce((n, file) => n + counts.get(file)!, 0)).toBe(26716 + 25514);
    expect(files.filter((file) => /^wasm-3\.0\/(memory64|multi-memory)\//.test(file)).reduce((n, file) => n + counts.get(file)!, 0)).toBe(8277 + 768);
    expect(files.filter((file) => /^wasm-3\.0\/(simd|relaxed-simd)\//.test(file)).reduce((n, file) => n + counts.get(file)!, 0)).toBe(25515 + 69);
    expect(files.filter((file) => file.startsWith('wasm-3.0/bulk-memory/')).reduce((n, file) => n + counts.get(file)!, 0)).toBe(7183);
    expect(files.filter((file) => /^wasm-3\.0\/(exceptions|legacy)\//.test(file)).reduce((n, file) => n + counts.get(file)!, 0)).toBe(12 + 14 + 89);
    expect(files.reduce((n, file) => n + counts.get(file)!, 0)).toBe(54270 + 7183 + 25514 + 25515 + 69 + 144 + 12 + 14 + 89);
  });
});

describe('3.0 script forms', () => {
  it('module definitions are compiled once and instantiated by (module instance) as often as asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'purewasm-wast-'));
    try {
      const path = join(dir, 'instances.wast');
      writeFileSync(path, `(module definition $M
  (global $g (mut i32) (i32.const 0))
  (func (export "inc") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))
(module instance $I1 $M)
(module instance $I2 $M)
(assert_return (invoke $I1 "inc") (i32.const 1))
(assert_return (invoke $I1 "inc") (i32.const 2))
(assert_return (invoke $I2 "inc") (i32.const 1))
(module instance $M)
(assert_return (invoke "inc") (i32.const 1))
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
`);
      const result = await runWastFile(path, 'instances.wast');
      expect(result.failures).toEqual([]);
      expect(result).toMatchObject({ total: 5, passed: 5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
