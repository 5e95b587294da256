/**
 * Robustness of decode + validate: whatever the bytes, the result is a module
 * or a CompileError, never another exception (RangeError, TypeError, ...) and
 * never a hang.
 */
import fc from 'fast-check';
import wabtInit from 'wabt';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModule } from '../src/decoder/index.js';
import { CompileError } from '../src/errors.js';
import { validateModule } from '../src/validator/index.js';
import { uleb as u32 } from './helpers/leb.js';

type Outcome = 'malformed' | 'invalid' | 'valid';

/** The full front end; any exception but CompileError escapes and fails the property. */
function compile(bytes: Uint8Array): Outcome {
  let decoded;
  try {
    decoded = decodeModule(bytes);
  } catch (error) {
    if (error instanceof CompileError) return 'malformed';
    throw error;
  }
  try {
    validateModule(decoded, { fuelCosts: undefined, lazyLowering: false, simd: true });
  } catch (error) {
    if (error instanceof CompileError) return 'invalid';
    throw error;
  }
  return 'valid';
}

/** Valid modules covering every section and most segment and instruction forms. */
const VALID_MODULES_WAT = [
  `(module
    (type $binary (func (param i32 i64) (result i32)))
    (type $void (func))
    (import "env" "f" (func $imported (type $binary)))
    (import "env" "table" (table 1 10 funcref))
    (import "env" "memory" (memory 1 2))
    (import "env" "g" (global $imported-global i32))
    (import "env" "counter" (global (mut i64)))
    (table $refs 2 externref)
    (global $g1 i32 (i32.const -5))
    (global $g2 (mut f32) (f32.const nan:0x1))
    (global $g3 f64 (f64.const -0x1.8p3))
    (global $g4 funcref (ref.func $main))
    (global $g5 externref (ref.null extern))
    (global $g6 i32 (global.get $imported-global))
    (export "main" (func $main))
    (export "memory" (memory 0))
    (export "table" (table 0))
    (export "g1" (global $g1))
    (start $init)
    (elem (i32.const 0) $main)
    (elem $passive funcref (ref.func $main) (ref.null func))
    (elem declare func $helper)
    (elem (table $refs) (i32.const 0) externref (ref.null extern))
    (elem funcref (item ref.func $init))
    (data (i32.const 16) "hello")
    (data $bytes "passive\\00data")
    (func $main (type $binary) (local $x f32) (local $y f64) (local $i i32)
      (block $out
        (loop $top
          (br_if $out (i32.ge_u (local.get $i) (i32.const 10)))
          (i32.store offset=4 (local.get $i) (i32.add (i32.load8_u (local.get $i)) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $top)))
      (local.set $x (f32.mul (f32.convert_i32_s (local.get $i)) (f32.const 1.5)))
      (local.set $y (f64.promote_f32 (local.get $x)))
      (drop (i64.trunc_sat_f64_s (local.get $y)))
      (if (result i32) (i64.eqz (local.get 1))
        (then (call $imported (i32.const 1) (i64.const 2)))
        (else (call_indirect (type $binary) (local.get 0) (local.get 1) (i32.const 0)))))
    (func $init
      (memory.init $bytes (i32.const 0) (i32.const 0) (i32.const 4))
      (data.drop $bytes)
      (table.init 0 $passive (i32.const 0) (i32.const 0) (i32.const 1))
      (elem.drop $passive)
      (memory.copy (i32.const 0) (i32.const 8) (i32.const 4))
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 2))
      (drop (memory.grow (memory.size)))
      (table.set $refs (i32.const 1) (table.get $refs (i32.const 0)))
      (drop (table.grow $refs (ref.null extern) (table.size $refs)))
      (global.set 1 (i64.extend32_s (global.get 1))))
    (func $helper (param $n i32) (result funcref)
      (block $a (block $b (block $c
        (br_table $a $b $c (local.get $n)))
        (return (ref.func $helper)))
        (unreachable))
      (select (result funcref) (ref.null func) (ref.func $main) (local.get $n))))`,
  `(module
    (memory (export "memory") 1)
    (func (export "factorial") (param $n i64) (result i64)
      (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
        (then (i64.const 1))
        (else (i64.mul (local.get $n) (call 0 (i64.sub (local.get $n) (i64.const 1)))))))
    (func (export "sum") (param $ptr i32) (param $len i32) (result i32) (local $acc i32)
      (loop $next
        (if (local.get $len) (then
          (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $ptr))))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
          (local.set $len (i32.sub (local.get $len) (i32.const 1)))
          (br $next))))
      (local.get $acc)))`,
  `(module
    (global $v v128 (v128.const i32x4 1 2 3 4))
    (func (export "lanes") (result i32) (local v128)
      (i32x4.extract_lane 1 (global.get $v))))`,
];

/** A custom section appended to a module, so mutations reach custom section parsing too. */
function withCustomSection(bytes: Uint8Array, name: string, payload: number[]): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const content = [nameBytes.length, ...nameBytes, ...payload];
  return new Uint8Array([...bytes, 0, content.length, ...content]);
}

let validModules: Uint8Array[] = [];

beforeAll(async () => {
  const wabt = await wabtInit();
  validModules = VALID_MODULES_WAT.map((text, i) => {
    const module = wabt.parseWat(`fuzz-base-${i}.wat`, text);
    try {
      return withCustomSection(module.toBinary({ write_debug_names: true }).buffer, 'producers', [0]);
    } finally {
      module.destroy();
    }
  });
});

type Edit =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number };

/** Large LEB128 values are the classic way to provoke huge allocations. */
const hugeLeb = fc.constantFrom(
  new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]),
  new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x10]),
  new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
);

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 6 }), hugeLeb) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Edits land after the 8-byte header (a broken header is covered by the random-bytes properties). */
function applyEdits(original: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let bytes = original;
  for (const e of edits) {
    if (bytes.length <= 8) break;
    const at = 8 + (e.at % (bytes.length - 8));
    switch (e.kind) {
      case 'flip':
        bytes = bytes.slice();
        bytes[at] = bytes[at]! ^ (1 << e.bit);
        break;
      case 'set':
        bytes = bytes.slice();
        bytes[at] = e.value;
        break;
      case 'insert': {
        const out = new Uint8Array(bytes.length + e.bytes.length);
        out.set(bytes.subarray(0, at));
        out.set(e.bytes, at);
        out.set(bytes.subarray(at), at + e.bytes.length);
        bytes = out;
        break;
      }
      case 'delete': {
        const end = Math.min(bytes.length, at + e.length);
        const out = new Uint8Array(bytes.length - (end - at));
        out.set(bytes.subarray(0, at));
        out.set(bytes.subarray(end), at);
        bytes = out;
        break;
      }
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
    }
  }
  return bytes;
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

describe('decoder robustness', () => {
  it('the base modules decode and validate (one uses SIMD)', () => {
    expect(validModules.map(compile)).toEqual(['valid', 'valid', 'valid']);
    for (const bytes of validModules) expect(decodeModule(bytes).customSections.some((s) => s.name === 'producers')).toBe(true);
    expect([...decodeModule(validModules[0]!).funcNames.values()]).toEqual(['imported', 'main', 'init', 'helper']);
  });

  it('mutated valid modules give a module or a CompileError', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 4 }), (which, edits) => {
        compile(applyEdits(validModules[which % validModules.length]!, edits));
      }),
      { numRuns: 10_000 },
    );
  });

  it('random bytes, with and without a valid header, give a module or a CompileError', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 96 }), (withHeader, tail) => {
        compile(withHeader ? new Uint8Array([...HEADER, ...tail]) : tail);
      }),
      { numRuns: 4000 },
    );
  });

  it('random sections with correct sizes give a module or a CompileError', () => {
    const randomSection = fc.record({ id: fc.integer({ min: 0, max: 12 }), content: fc.uint8Array({ maxLength: 48 }) });
    fc.assert(
      fc.property(fc.array(randomSection, { maxLength: 6 }), (sections) => {
        const bytes = [...HEADER];
        for (const { id, content } of sections) bytes.push(id, ...u32(content.length), ...content);
        compile(new Uint8Array(bytes));
      }),
      { numRuns: 4000 },
    );
  });
});
