/**
 * The text format: literals, abbreviations, errors with line:column, text
 * wherever a module is accepted (Module, the sandbox), and the printer.
 */
import { describe, expect, it } from 'vitest';
import { CompileError, Engine, Global, Linker, Module, parseWat, printModule, Store, TextSyntaxError } from '../src/index.js';
import { SandboxConfig, SandboxError, WasmRuntime } from '../src/host/sandbox/index.js';
import { WebAssembly as W } from '../src/js-api/index.js';

const engine = new Engine();

function run(text: string, name: string, ...args: unknown[]): unknown[] {
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, text));
  return instance.getFunc(store, name)!.callRaw(store, args);
}

function syntaxErrorOf(text: string): TextSyntaxError {
  try {
    parseWat(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TextSyntaxError);
    expect(error).toBeInstanceOf(CompileError);
    return error as TextSyntaxError;
  }
  throw new Error(`parsed: ${text}`);
}

const bits32 = (x: number): number => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  return view.getUint32(0);
};

describe('numeric literals', () => {
  const i32 = (lit: string): unknown => run(`(module (func (export "f") (result i32) (i32.const ${lit})))`, 'f')[0];
  const i64 = (lit: string): unknown => run(`(module (func (export "f") (result i64) (i64.const ${lit})))`, 'f')[0];
  const f32Bits = (lit: string): unknown => run(`(module (func (export "f") (result i32) (i32.reinterpret_f32 (f32.const ${lit}))))`, 'f')[0];
  const f64Bits = (lit: string): unknown => run(`(module (func (export "f") (result i64) (i64.reinterpret_f64 (f64.const ${lit}))))`, 'f')[0];

  it('integers: decimal, hex, signs, underscores, the unsigned range', () => {
    expect(i32('1_000')).toBe(1000);
    expect(i32('0xff_ff')).toBe(0xffff);
    expect(i32('-0x8000_0000')).toBe(-0x80000000);
    expect(i32('0xffffffff')).toBe(-1);
    expect(i32('+7')).toBe(7);
    expect(i64('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(i64('0xffff_ffff_ffff_ffff')).toBe(-1n);
  });

  it('floats: hex floats, nan payloads, inf, exact rounding to f32', () => {
    expect(f32Bits('0x1p-149')).toBe(1);
    expect(f32Bits('-0x1.fffffep127')).toBe(bits32(-3.4028234663852886e38) | 0);
    expect(f32Bits('nan:0x200000')).toBe(0x7fa00000);
    expect(f32Bits('-nan')).toBe(0xffc00000 | 0);
    expect(f32Bits('inf')).toBe(0x7f800000);
    // Halfway between two f32 values after rounding to f64 first: must round to even, not up.
    expect(f32Bits('1.000000059604644775390625')).toBe(0x3f800000);
    expect(f32Bits('1.00000005960464477539062500001')).toBe(0x3f800001);
    expect(f64Bits('0x1.fffffffffffffp1023')).toBe(0x7fefffffffffffffn);
    expect(f64Bits('1_000.5e-1_0')).toBe(BigInt.asIntN(64, new BigUint64Array(new Float64Array([1000.5e-10]).buffer)[0]!));
    expect(f64Bits('-nan:0x1')).toBe(BigInt.asIntN(64, 0xfff0000000000001n));
  });

  it('rejects literals out of range or malformed, at their position', () => {
    for (const lit of ['0x1_0000_0000', '-0x8000_0001', '1__0', '_1', '0x', '1e_1', '0x1p', 'nan:0x0', 'nan:0x80_0000', '1e39', '0x1p128']) {
      const error = syntaxErrorOf(`(module (func (result i32)\n  (i32.const ${lit.startsWith('n') || lit.includes('e') || lit.includes('p') ? '0) (drop (f32.const ' + lit + ')' : lit})))`);
      expect(error.line, lit).toBe(2);
      expect(error.message).toMatch(/^2:\d+: expected an? (i32|f32) constant, found/);
    }
  });
});

describe('abbreviations', () => {
  it('folded instructions, if/then/else, labels, br_table', () => {
    const text = `(module
      (func $fac (export "fac") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 1))
          (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
      (func (export "pick") (param i32) (result i32)
        block $c block $b block $a
          (br_table $a $b $c (local.get 0))
        end $a (return (i32.const 10))
        end (return (i32.const 11))
        end $c i32.const 12))`;
    expect(run(text, 'fac', 20n)).toEqual([2432902008176640000n]);
    expect([0, 1, 2, 9].map((i) => run(text, 'pick', i)[0])).toEqual([10, 11, 12, 12]);
  });

  it('inline imports and exports, implicit types shared with explicit ones', () => {
    const bytes = parseWat(`(module
      (type $t (func (param i32) (result i32)))
      (func $imp (import "m" "f") (param i32) (result i32))
      (global (export "g") (import "m" "g") i32)
      (func (export "a") (export "b") (param i32) (result i32) (call $imp (local.get 0)))
      (memory (export "mem") (data "hi" "!"))
      (table $tab (export "tab") funcref (elem $imp 1)))`);
    const module = new Module(engine, bytes);
    expect(module.imports().map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual(['m.f:func', 'm.g:global']);
    expect(module.exports().map((e) => e.name)).toEqual(['g', 'a', 'b', 'mem', 'tab']);
    // One type: the functions' inline signatures reuse the explicit (type $t).
    expect(bytes.subarray(8, 17)).toEqual(Uint8Array.from([1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f, 2]));
    const store = new Store(engine);
    const linker = new Linker(engine);
    linker.funcWrap('m', 'f', { params: ['i32'], results: ['i32'] }, (_caller, x: number) => x * 2);
    linker.define('m', 'g', new Global(store, { value: 'i32', mutable: false }, 7));
    const instance = linker.instantiate(store, module);
    expect(instance.getFunc(store, 'b')!.callRaw(store, [21])).toEqual([42]);
    expect(Array.from(instance.getMemory(store, 'mem')!.data().subarray(0, 3))).toEqual([104, 105, 33]);
  });

  it('element and data segment forms', () => {
    const text = `(module
      (table 4 funcref)
      (memory 1)
      (func $one (result i32) i32.const 1)
      (func $two (result i32) i32.const 2)
      (elem (i32.const 0) $one)
      (elem (table 0) (offset (i32.const 1)) func $two)
      (elem $p funcref (item ref.func $one) (ref.func $two))
      (elem declare func $one)
      (data (i32.const 0) "\\01\\02" "\\u{41}")
      (data $d (memory 0) (offset (i32.const 8)) "xyz")
      (type $r (func (result i32)))
      (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
      (func (export "init") (table.init 0 $p (i32.const 2) (i32.const 0) (i32.const 2)) (elem.drop $p))
      (func (export "load") (param i32) (result i32) (i32.load8_u offset=0 align=1 (local.get 0))))`;
    const store = new Store(engine);
    const instance = new Linker(engine).instantiate(store, new Module(engine, text));
    const call = (i: number): unknown => instance.getFunc(store, 'call')!.callRaw(store, [i])[0];
    expect([call(0), call(1)]).toEqual([1, 2]);
    instance.getFunc(store, 'init')!.callRaw(store, []);
    expect([call(2), call(3)]).toEqual([1, 2]);
    expect([0, 1, 2, 8, 10].map((a) => instance.getFunc(store, 'load')!.callRaw(store, [a])[0])).toEqual([1, 2, 0x41, 120, 122]);
  });

  it('bare module fields, annotations, $"..." identifiers, block comments', () => {
    expect(run(`(; a (; nested ;) comment ;) (@note "anything" (here))
      (func $"the answer" (result i32) (i32.const 42)) (export "f" (func $"the answer"))`, 'f')).toEqual([42]);
  });
});

describe('errors', () => {
  const cases: [string, RegExp][] = [
    ['(module (func (i32.const 1) (i32.bogus)))', /^1:30: unknown operator 'i32.bogus': expected an instruction$/],
    ['(module\n  (func (call $nowhere)))', /^2:15: unknown function \$nowhere$/],
    ['(module (func $f) (func $f))', /^1:25: duplicate function \$f$/],
    ['(module (func) (import "m" "n" (func)))', /^1:16: import after function/],
    ['(module (memory 1) "x")', /^1:20: expected a module field, found a string$/],
    ['(module (func (local.get 0)', /^1:9: unclosed \(: expected \)$/],
    ['(module (func block $a end $b))', /mismatching label \$b: expected \$a/],
    ['(module (func (result i32) (i32.const 1 2)))', /expected a folded instruction or \), found '2'/],
    ['(module (type $t (func)) (func (type $t) (param i32)))', /inline function type does not match/],
    ['(module (data "\\q"))', /^1:16: unknown escape/],
    ['(module (func) (start 0) (start 0))', /multiple start sections/],
    ['(module (data "a"x))', /^1:15: unknown token '"a"x': tokens are separated by whitespace or parentheses$/],
    ['(module (memory 1) (func (i32.load align=3 (i32.const 0))))', /alignment must be a power of two/],
    ['(module) (module)', /^1:10: expected the end of the text after the module$/],
  ];
  for (const [text, message] of cases) {
    it(`${text.replace(/\n/g, ' ')}`, () => {
      expect(syntaxErrorOf(text).message).toMatch(message);
    });
  }

  it('Module reports text errors as CompileError with line and column; validate says false', () => {
    expect(() => new Module(engine, '(module\n (func (result i32) (i64.const 1)))')).toThrow(CompileError); // invalid, not malformed
    expect(() => new Module(engine, '(module\n (func nop nop bogus))')).toThrow(/^2:16: unknown operator 'bogus'/);
    expect(Module.validate(engine, '(module (func nope))')).toBe(false);
    expect(Module.validate(engine, new TextEncoder().encode('(module (func nop))'))).toBe(true);
  });

  it('the spec-exact JS API accepts only binaries', () => {
    const text = new TextEncoder().encode('(module)');
    expect(() => new W.Module(text)).toThrow(W.CompileError);
    expect(W.validate(text)).toBe(false);
  });
});

describe('text where a module is accepted', () => {
  it('new Module(engine, text) from a string and from UTF-8 bytes, names in traps', () => {
    const text = '(module (func $boom (export "boom") unreachable))';
    for (const source of [text, new TextEncoder().encode(`\uFEFF;; a comment first\n${text}`)]) {
      const store = new Store(engine);
      const instance = new Linker(engine).instantiate(store, new Module(engine, source));
      expect(() => instance.getFunc(store, 'boom')!.callRaw(store, [])).toThrow(/unreachable/);
    }
  });

  it('the sandbox executes a WAT guest given as a string or as bytes', () => {
    const runtime = new WasmRuntime();
    const config = new SandboxConfig().withCapability('input', 'output');
    const source = `(module
      (import "env" "host_get_input_len" (func $len (result i32)))
      (import "env" "host_read_input" (func $read (param i32 i32) (result i32)))
      (import "env" "host_write_output" (func $write (param i32 i32)))
      (memory (export "memory") 1)
      (func (export "execute") (param i32 i32) (result i32)
        (local $n i32)
        (local.set $n (call $read (i32.const 64) (call $len)))
        (call $write (i32.const 64) (local.get $n))
        (local.get $n)))`;
    for (const module of [source, new TextEncoder().encode(source)]) {
      const result = runtime.execute(module, 'hello, text', config);
      expect(new TextDecoder().decode(result.output)).toBe('hello, text');
      expect(result.fuelConsumed).toBeGreaterThan(0);
    }
    runtime.validateModule(source);
  });

  it('a text error in the sandbox is ModuleInvalid with its position', () => {
    const runtime = new WasmRuntime();
    for (const call of [
      () => runtime.validateModule('(module\n  (func (export "execute") (i32.const)))'),
      () => runtime.execute('(module\n  (func (export "execute") (i32.const)))', '', new SandboxConfig()),
    ]) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SandboxError);
      expect((error as SandboxError).kind).toBe('ModuleInvalid');
      expect((error as SandboxError).message).toMatch(/^ModuleInvalid: 2:38: expected an i32 constant, found '\)'/);
    }
  });

  it('executeAsync runs text too', async () => {
    const runtime = new WasmRuntime();
    const result = await runtime.executeAsync('(module (memory (export "memory") 1) (func (export "execute") (param i32 i32) (result i32) (i32.const 0)))', '', new SandboxConfig());
    expect(result.output.length).toBe(0);
  });
});

describe('printer', () => {
  it('prints a module that parses back to the same bytes', () => {
    const bytes = parseWat(`(module
      (type (func (param i32 i64) (result f32)))
      (import "m" "t" (table 1 10 externref))
      (memory i32 1 2)
      (global $g (mut f64) (f64.const -0x1.8p-1000))
      (func (type 0) (local i32 i32) (local f64)
        (block (result f32) (br_if 0 (f32.const -0) (local.get 0)) (drop) (f32.const nan:0x1))
        (select (result i64) (i64.const 1) (local.get 1) (i32.const 0)) drop
        (i64.store32 offset=4294967295 (i32.const 0) (i64.const 1)))
      (elem (table 0) (i32.const 0) externref (ref.null extern))
      (data (memory 0) (i32.const 1) "\\00\\ff\\"\\\\")
      (@custom "note" (after type) "payload"))`);
    const text = printModule(bytes);
    expect(text).toContain('(@custom "note" (after type) "payload")');
    expect(parseWat(text)).toEqual(bytes);
  });

  it('names functions from the name section, and still reads back to the same bytes', () => {
    const bytes = parseWat('(module (func $fac (export "fac") (call $fac)) (func $"odd name" (call $fac)) (start $"odd name"))', { names: true });
    const text = printModule(bytes);
    expect(text).toContain('(export "fac" (func $fac))');
    expect(text).toContain('(start $"odd name")');
    expect(text).toContain('(func $"odd name" (;1;) (type 0)\n    call $fac');
    expect(parseWat(text)).toEqual(bytes);
  });

  it('rejects what is not a module with a CompileError', () => {
    expect(() => printModule(Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1]))).toThrow(CompileError);
  });
});

describe('each abbreviation means its expanded form', () => {
  const pairs: [string, string][] = [
    // Folded instructions are their operands, then the instruction.
    ['(func (drop (i32.add (i32.const 1) (i32.const 2))))', '(func i32.const 1 i32.const 2 i32.add drop)'],
    ['(func (if (i32.const 1) (then nop) (else unreachable)))', '(func i32.const 1 if nop else unreachable end)'],
    ['(func (block $b (loop $l (br_if $b (i32.const 0)) (br $l))))', '(func block $b loop $l i32.const 0 br_if 1 br 0 end end)'],
    // Inline exports and imports.
    ['(func (export "a") (export "b"))', '(func) (export "a" (func 0)) (export "b" (func 0))'],
    ['(func (import "m" "f") (param i32))', '(type (func (param i32))) (import "m" "f" (func (type 0)))'],
    ['(global (import "m" "g") (mut i64))', '(import "m" "g" (global (mut i64)))'],
    ['(memory (export "m") (import "a" "b") 1 2)', '(import "a" "b" (memory 1 2)) (export "m" (memory 0))'],
    // Type uses: implicit definitions after the explicit ones, reused when equal.
    ['(func (param i32)) (type (func)) (func (param i32))', '(type (func)) (type (func (param i32))) (func (type 1)) (func (type 1))'],
    ['(type $t (func (result i32))) (func (result i32) (i32.const 0))', '(type $t (func (result i32))) (func (type $t) (i32.const 0))'],
    ['(func (param $a i32) (param i64 f32) (local $x i32) (local f64 f64))', '(func (param i32 i64 f32) (local i32 f64 f64))'],
    ['(func (block (param i32) (result i64) drop (i64.const 0)) drop)', '(type (func)) (type (func (param i32) (result i64))) (func (type 0) (block (type 1) drop (i64.const 0)) drop)'],
    // Tables and memories with inline elements and data.
    ['(table funcref (elem $f $f)) (func $f)', '(table 2 2 funcref) (elem (i32.const 0) func $f $f) (func $f)'],
    ['(memory (data "ab" "c"))', '(memory 1 1) (data (i32.const 0) "abc")'],
    // Offsets and items.
    ['(table 1 funcref) (elem (i32.const 0) $f) (func $f)', '(table 1 funcref) (elem (offset (i32.const 0)) func $f) (func $f)'],
    ['(elem funcref (ref.func 0) (ref.null func)) (func)', '(elem funcref (item (ref.func 0)) (item ref.null func)) (func)'],
    ['(memory 1) (data (i32.const 4) "x")', '(memory 1) (data (offset i32.const 4) "x")'],
    // Memory arguments, default indices.
    ['(memory 1) (func (drop (i32.load (i32.const 0))))', '(memory 1) (func (drop (i32.load offset=0 align=4 (i32.const 0))))'],
    ['(table 1 funcref) (func (drop (table.size)))', '(table 1 funcref) (func (drop (table.size 0)))'],
    ['(type (func)) (table 1 funcref) (func (call_indirect (type 0) (i32.const 0)))', '(type (func)) (table 1 funcref) (func (call_indirect 0 (type 0) (i32.const 0)))'],
    ['(table 1 funcref) (elem funcref) (func (table.init 0 (i32.const 0) (i32.const 0) (i32.const 0)))', '(table 1 funcref) (elem funcref) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0)))'],
    // Identifiers, numbers.
    ['(func $"f" (call $f))', '(func $f (call 0))'],
    ['(func (drop (i32.const 0x_1))) ', '(func (drop (i32.const 0)))'],
  ];
  for (const [short, long] of pairs.slice(0, -1)) {
    it(short, () => {
      expect(parseWat(`(module ${short})`)).toEqual(parseWat(`(module ${long})`));
    });
  }
  it('a malformed literal is not an abbreviation', () => {
    const [short] = pairs[pairs.length - 1]!;
    expect(() => parseWat(`(module ${short})`)).toThrow(TextSyntaxError);
  });
});

describe('3.0 syntax the engine does not run yet', () => {
  it('GC types and instructions, exceptions, typed references: parsed, printed, parsed back to the same bytes', () => {
    const bytes = parseWat(`(module
      (rec
        (type $node (sub (struct (field $value i32) (field $next (mut (ref null $node))))))
        (type $leaf (sub final $node (struct (field i32) (field (mut (ref null $node))) (field i8 i16)))))
      (type $bytes (array (mut i8)))
      (type $fn (func (param i32) (result i32)))
      (tag $oops (param i32))
      (data $d "abc")
      (func $id (type $fn) (local.get 0))
      (func (export "f") (param $n (ref null $node)) (result i32)
        (drop (struct.get $node $next (local.get $n)))
        (drop (array.new_data $bytes $d (i32.const 0) (i32.const 3)))
        (drop (ref.test (ref null $leaf) (local.get $n)))
        (drop (block $out (result (ref $node)) (br_on_cast $out anyref (ref $node) (ref.null any)) (unreachable)))
        (block $h (result i32)
          (try_table (result i32) (catch $oops $h)
            (throw $oops (call_ref $fn (i32.const 1) (ref.func $id)))))))`);
    expect(parseWat(printModule(bytes))).toEqual(bytes);
    expect(() => new Module(engine, bytes)).toThrow(CompileError);
  });
});

describe('legacy exception handling', () => {
  it('try/catch/catch_all/delegate/rethrow, plain and folded, print and parse back', () => {
    const bytes = parseWat(`(module (tag $e (param i32))
      (func (result i32)
        try $t (result i32)
          (throw $e (i32.const 1))
        catch $e
          rethrow $t
        catch_all
          i32.const 2
        end)
      (func
        (block $out
          (try (do (try (do (nop)) (delegate $out))) (catch_all (nop))))))`);
    const text = printModule(bytes);
    expect(text).toContain('delegate 1');
    expect(parseWat(text)).toEqual(bytes);
    expect(() => parseWat('(module (func (try (do) (catch_all) (catch_all))))')).toThrow(/expected '\)', found '\('/);
  });
});
