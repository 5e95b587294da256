/**
 * The text parser on hostile input: random token streams and mutated valid
 * modules give a module or a TextSyntaxError (a CompileError with a line and
 * column), never another exception or a hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompileError, Engine, Module, parseWat, printModule, TextSyntaxError } from '../src/index.js';

const engine = new Engine();

/** Parses, then compiles what parsed: each step may only fail with its own error type. */
function check(text: string): void {
  let bytes: Uint8Array;
  try {
    bytes = parseWat(text);
  } catch (error) {
    if (!(error instanceof TextSyntaxError)) throw error;
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message).toMatch(/^\d+:\d+: /);
    return;
  }
  try {
    new Module(engine, bytes);
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
  }
}

const WORDS = [
  'module', 'func', 'param', 'result', 'local', 'type', 'import', 'export', 'table', 'memory', 'global', 'mut', 'start',
  'elem', 'data', 'offset', 'item', 'declare', 'then', 'else', 'end', 'block', 'loop', 'if', 'br', 'br_if', 'br_table',
  'call', 'call_indirect', 'return', 'select', 'drop', 'nop', 'unreachable', 'local.get', 'local.set', 'local.tee',
  'global.get', 'global.set', 'i32.const', 'i64.const', 'f32.const', 'f64.const', 'i32.add', 'i64.mul', 'f32.div',
  'i32.load', 'i64.store', 'memory.grow', 'memory.size', 'memory.init', 'data.drop', 'memory.copy', 'table.get',
  'table.init', 'table.copy', 'elem.drop', 'ref.null', 'ref.func', 'ref.is_null', 'funcref', 'externref', 'func',
  'extern', 'i32', 'i64', 'f32', 'f64', 'v128', 'rec', 'sub', 'ref', 'null', 'offset=4', 'align=2', 'align=3',
  'shared', 'binary', 'quote', 'definition', '@custom', '(@custom', '(@x', 'before', 'after', 'first', 'last',
];
const NUMBERS = ['0', '1', '-1', '0x10', '4294967295', '4294967296', '-0x8000_0000', '1_000', '1__0', '0x1p-149', '1e39',
  'nan', '-nan:0x1', 'nan:0x0', 'inf', '-inf', '1.5', '0x1.fffffep127', '18446744073709551615', '1e-400', '9'.repeat(40)];
const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('(', ')') },
  { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom('$a', '$b', '$f', '$"x y"', '$', '$"\\ff"') },
  { weight: 2, arbitrary: fc.constantFrom('"m"', '"\\00\\ff"', '"\\u{1F600}"', '"bad\\q"', '"open', '"\\u{d800}"') },
  { weight: 1, arbitrary: fc.constantFrom(';;', '(;', ';)', '\n', '\t', '\r', ',', '[', '\u00e9', '\u0000', 'x"y"') },
);
const tokenStream = fc.array(token, { maxLength: 60 }).map((tokens) => tokens.join(' '));

const VALID = [
  `(module
  (type $t (func (param i32) (result i32)))
  (import "m" "f" (func $imp (type $t)))
  (memory (export "mem") 1 2)
  (table 2 funcref)
  (global $g (mut i64) (i64.const -5))
  (func $fac (export "fac") (param $n i32) (result i32)
    (if (result i32) (i32.le_s (local.get $n) (i32.const 1))
      (then (i32.const 1))
      (else (i32.mul (local.get $n) (call $fac (i32.sub (local.get $n) (i32.const 1)))))))
  (func (param f32 f64) (result f32) (local i32 i64)
    block $b loop $l br $b br_table 0 1 end end
    (f32.add (f32.const 0x1.8p1) (f32.const -nan:0x123))
    (i64.store offset=8 align=4 (i32.const 0) (global.get $g))
    (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))
    (drop (call_indirect (type $t) (i32.const 1) (i32.const 0))))
  (elem (i32.const 0) $fac $imp)
  (elem funcref (ref.func $fac) (ref.null func))
  (data (i32.const 8) "hi\\00\\ff" "x")
  (data "passive"))`,
  `(func (export "f") (result i64) (local $x i64)
  (local.set $x (i64.const 0x7fff_ffff_ffff_ffff))
  (block $done (loop $next (br_if $done (i64.eqz (local.get $x))) (local.set $x (i64.shr_u (local.get $x) (i64.const 1))) (br $next)))
  (select (result i64) (local.get $x) (i64.const 2) (i32.const 1)))
(memory 1) (data (memory 0) (offset (i32.const 0)) "\\u{48}ello")`,
];

type Mutation = { kind: 'delete'; at: number; length: number } | { kind: 'insert'; at: number; text: string } | { kind: 'duplicate'; at: number; length: number };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: token }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 30 }) }),
);

function mutate(text: string, edits: Mutation[]): string {
  for (const edit of edits) {
    const at = edit.at % (text.length + 1);
    if (edit.kind === 'delete') text = text.slice(0, at) + text.slice(at + edit.length);
    else if (edit.kind === 'insert') text = `${text.slice(0, at)} ${edit.text} ${text.slice(at)}`;
    else text = text.slice(0, at) + text.slice(at, at + edit.length) + text.slice(at);
  }
  return text;
}

describe('text parser fuzz', () => {
  it('the valid seeds parse and compile', () => {
    for (const text of VALID) expect(() => new Module(engine, parseWat(text))).not.toThrow();
  });

  it('random token streams', () => {
    fc.assert(fc.property(tokenStream, (text) => check(text)), { numRuns: 3000 });
    fc.assert(fc.property(tokenStream, (text) => check(`(module ${text})`)), { numRuns: 2000 });
  });

  it('mutated valid modules', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, edits) => check(mutate(VALID[which % VALID.length]!, edits))),
      { numRuns: 4000 },
    );
  });

  it('absurd nesting and sizes', () => {
    check(`(module (func ${'(block '.repeat(200_000)}${')'.repeat(200_000)}))`);
    check(`(module (func ${'(i32.add '.repeat(100_000)}${')'.repeat(100_000)}))`);
    check(`(module (func ${'block '.repeat(100_000)}${'end '.repeat(100_000)}))`);
    check(`(module (func (f64.const 1e${'9'.repeat(1000)}) (f64.const 0x1p-${'9'.repeat(1000)})))`);
    check('('.repeat(100_000));
  });
});

describe('printer fuzz', () => {
  it('mutated binaries print or give a CompileError, and what prints parses', () => {
    const seeds = VALID.map((text) => parseWat(text));
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (which, edits) => {
        const bytes = seeds[which % seeds.length]!.slice();
        for (const [at, value] of edits) bytes[8 + (at % (bytes.length - 8))] = value;
        let text: string;
        try {
          text = printModule(bytes);
        } catch (error) {
          if (!(error instanceof CompileError)) throw error;
          return;
        }
        try {
          parseWat(text);
        } catch (error) {
          if (!(error instanceof TextSyntaxError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
