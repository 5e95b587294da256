/**
 * The lowering's fused and immediate IR forms (ir.ts): i64 ops with constant
 * operands, superinstructions, and memory accesses with a fused address add.
 * Each test checks that the form is really emitted (disassembly), that it
 * computes what the unfused Wasm instructions compute at edge cases (carries,
 * shift counts 0..63 and beyond, NaNs, address wrap-around, exact bounds), and
 * that fuel stays exact per Wasm instruction across the fused op.
 */
import { describe, expect, it } from 'vitest';
import { Engine, Linker, Module, RuntimeError, Store, type Instance } from '../src/index.js';
import { disassemble } from '../src/validator/disassemble.js';
import { wat } from './helpers/wat.js';

function instantiate(text: string, consumeFuel = false): { instance: Instance; store: Store; module: Module } {
  const engine = new Engine({ consumeFuel });
  const module = new Module(engine, wat(text));
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, module);
  return { instance, store, module };
}

/** Disassembly of every function of the module, one string. */
function ir(module: Module): string {
  return module.validated.funcs.map((f) => disassemble(f)).join('\n');
}

const MASK64 = (1n << 64n) - 1n;
const u64 = (x: bigint) => x & MASK64;
const s64 = (x: bigint) => BigInt.asIntN(64, x);

const I64_VALUES = [
  0n, 1n, 2n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, MASK64,
  0x0123456789abcdefn, 0x9e3779b185ebca87n, 0xc2b2ae3d27d4eb4fn, 0x80000000n, 0xffffffff00000000n,
];

function rotl(x: bigint, n: bigint): bigint {
  const k = n & 63n;
  return u64((x << k) | (x >> ((64n - k) & 63n)));
}

const I64_BINARY: Record<string, (a: bigint, b: bigint) => bigint> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  shl: (a, b) => a << (b & 63n),
  shr_u: (a, b) => a >> (b & 63n),
  shr_s: (a, b) => s64(a) >> (b & 63n),
  rotl: (a, b) => rotl(a, b),
  rotr: (a, b) => rotl(a, (64n - (b & 63n)) & 63n),
};

/** The trap code `f` ends with, or 'none'. */
function trapOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as RuntimeError).trap;
  }
  return 'none';
}

describe('i64 binary ops with a constant operand', () => {
  const constants = [...I64_VALUES, 31n, 32n, 33n, 63n, 64n, 65n, MASK64 - 30n];
  const funcs: string[] = [];
  for (const name of Object.keys(I64_BINARY)) {
    constants.forEach((c, i) => {
      funcs.push(`(func (export "${name}_r${i}") (param i64) (result i64) (i64.${name} (local.get 0) (i64.const ${s64(c)})))`);
      funcs.push(`(func (export "${name}_l${i}") (param i64) (result i64) (i64.${name} (i64.const ${s64(c)}) (local.get 0)))`);
    });
  }
  const { instance, store, module } = instantiate(`(module ${funcs.join('\n')})`);

  it('emits the immediate forms', () => {
    const text = ir(module);
    for (const form of ['i64.add_imm', 'i64.mul_imm', 'i64.and_imm', 'i64.or_imm', 'i64.xor_imm', 'i64.shl_imm', 'i64.shl_imm32',
      'i64.shr_s_imm', 'i64.shr_s_imm32', 'i64.shr_u_imm', 'i64.shr_u_imm32', 'i64.rotl_imm', 'i64.rotl_imm32']) {
      expect(text).toContain(`${form} `);
    }
  });

  it('computes what the Wasm instructions compute, for constants on either side', () => {
    for (const [name, reference] of Object.entries(I64_BINARY)) {
      constants.forEach((c, i) => {
        for (const x of I64_VALUES) {
          const right = instance.getFunc(store, `${name}_r${i}`)!.call(store, [s64(x)])[0];
          expect(right, `${name}(${x}, ${c})`).toBe(s64(u64(reference(x, c))));
          const left = instance.getFunc(store, `${name}_l${i}`)!.call(store, [s64(x)])[0];
          expect(left, `${name}(${c}, ${x})`).toBe(s64(u64(reference(c, x))));
        }
      });
    }
  });
});

describe('i32 rotates by a constant', () => {
  const counts = [0, 1, 7, 14, 25, 31, 32, 33, 63, -1, -25, 0x7fffffff];
  const values = [0, 1, -1, 0x80000000 | 0, 0x12345678, 0x9e3779b9 | 0, 0x7fffffff];
  const funcs = counts.flatMap((c, i) => ['rotl', 'rotr'].map((name) =>
    `(func (export "${name}${i}") (param i32) (result i32) (i32.${name} (local.get 0) (i32.const ${c})))`));
  const { instance, store, module } = instantiate(`(module ${funcs.join('\n')})`);
  const rotl = (x: number, n: number) => ((x << (n & 31)) | (x >>> ((32 - (n & 31)) & 31))) | 0;

  it('emits rotl_imm, and nothing for a count that is a multiple of 32', () => {
    expect(ir(module)).toContain('i32.rotl_imm ');
    expect(ir(module)).not.toContain('i32.rotr');
    expect(ir(module)).not.toContain('i32.rotl ');
  });

  it('computes what the Wasm instructions compute', () => {
    counts.forEach((c, i) => {
      for (const x of values) {
        expect(instance.getFunc(store, `rotl${i}`)!.call(store, [x])[0], `rotl(${x}, ${c})`).toBe(rotl(x, c));
        expect(instance.getFunc(store, `rotr${i}`)!.call(store, [x])[0], `rotr(${x}, ${c})`).toBe(rotl(x, 32 - (c & 31)));
      }
    });
  });
});

describe('i64 ARX superinstructions', () => {
  const counts = [1, 7, 31, 32, 33, 40, 63];
  const funcs = [
    `(func (export "add_add") (param i64 i64 i64) (result i64) (i64.add (i64.add (local.get 0) (local.get 1)) (local.get 2)))`,
    ...counts.flatMap((n) => [
      `(func (export "rotl_xor${n}") (param i64 i64) (result i64) (i64.xor (local.get 1) (i64.rotl (local.get 0) (i64.const ${n}))))`,
      `(func (export "rotr_xor${n}") (param i64 i64) (result i64) (i64.xor (i64.rotr (local.get 0) (i64.const ${n})) (local.get 1)))`,
      `(func (export "xor_rotl${n}") (param i64 i64) (result i64) (i64.rotl (i64.xor (local.get 0) (local.get 1)) (i64.const ${n})))`,
      `(func (export "xor_rotr${n}") (param i64 i64) (result i64) (i64.rotr (i64.xor (local.get 0) (local.get 1)) (i64.const ${n})))`,
      `(func (export "load_xor_rotr${n}") (param i32 i64) (result i64)
        (i64.rotr (i64.xor (local.get 1) (i64.load offset=8 (local.get 0))) (i64.const ${n})))`,
    ]),
  ];
  const { instance, store, module } = instantiate(`(module (memory (export "mem") 1) ${funcs.join('\n')})`);
  const call = (name: string, ...args: bigint[]) => instance.getFunc(store, name)!.call(store, args)[0];

  it('are emitted, in both rotate-count ranges', () => {
    const text = ir(module);
    for (const form of ['i64.add_add', 'i64.rotl_imm_xor', 'i64.rotl_imm32_xor', 'i64.xor_rotl_imm', 'i64.xor_rotl_imm32',
      'i64.load_xor_rotl_imm', 'i64.load_xor_rotl_imm32']) {
      expect(text).toContain(`${form} `);
    }
  });

  it('compute what the separate instructions compute', () => {
    for (const a of I64_VALUES) {
      for (const b of I64_VALUES) {
        for (const c of [0n, 1n, MASK64, 0x80000000n]) expect(call('add_add', s64(a), s64(b), s64(c))).toBe(s64(u64(a + b + c)));
        for (const n of counts) {
          const big = BigInt(n);
          expect(call(`rotl_xor${n}`, s64(a), s64(b)), `rotl_xor${n}`).toBe(s64(rotl(a, big) ^ b));
          expect(call(`rotr_xor${n}`, s64(a), s64(b)), `rotr_xor${n}`).toBe(s64(rotl(a, 64n - big) ^ b));
          expect(call(`xor_rotl${n}`, s64(a), s64(b)), `xor_rotl${n}`).toBe(s64(rotl(a ^ b, big)));
          expect(call(`xor_rotr${n}`, s64(a), s64(b)), `xor_rotr${n}`).toBe(s64(rotl(a ^ b, 64n - big)));
        }
      }
    }
  });

  it('read the i64.load operand little-endian at any alignment, and trap past the end', () => {
    const memory = instance.getMemory(store, 'mem')!;
    const view = new DataView(memory.data().buffer);
    for (const address of [0, 3, 65520]) {
      for (const a of I64_VALUES) {
        view.setBigUint64(address + 8, a, true);
        for (const n of counts) {
          const loaded = instance.getFunc(store, `load_xor_rotr${n}`)!.call(store, [address, s64(0x0123456789abcdefn)])[0];
          expect(loaded, `load_xor_rotr${n} at ${address}`).toBe(s64(rotl(a ^ 0x0123456789abcdefn, 64n - BigInt(n))));
        }
      }
    }
    expect(() => instance.getFunc(store, 'load_xor_rotr7')!.call(store, [65521, 0n])).toThrow(
      expect.objectContaining({ trap: 'memoryOutOfBounds' }),
    );
  });
});

describe('a branch on an i32.and with a constant', () => {
  const { instance, store, module } = instantiate(`(module
    (func (export "br_if") (param i32) (result i32)
      (block $set (br_if $set (i32.and (local.get 0) (i32.const 0x80000004))) (return (i32.const 0)))
      (i32.const 1))
    (func (export "if") (param i32) (result i32)
      (if (result i32) (i32.and (local.get 0) (i32.const 6)) (then (i32.const 10)) (else (i32.const 20))))
    (func (export "br_if_mask0") (param i32) (result i32)
      (block $set (br_if $set (i32.and (local.get 0) (i32.const 0))) (return (i32.const 0)))
      (i32.const 1)))`);
  const call = (name: string, x: number) => instance.getFunc(store, name)!.call(store, [x])[0];

  it('fuses the test into the branch, in both senses', () => {
    const text = ir(module);
    expect(text).toContain('br_if_and_imm_nez ');
    expect(text).toContain('br_if_and_imm_eqz ');
    expect(text).not.toContain('i32.and_imm');
  });

  it('branches exactly when a masked bit is set', () => {
    for (const x of [0, 1, 2, 4, 6, 8, -1, 0x80000000 | 0, 0x7ffffffb, 0x12345678]) {
      expect(call('br_if', x), `br_if ${x}`).toBe((x & 0x80000004) !== 0 ? 1 : 0);
      expect(call('if', x), `if ${x}`).toBe((x & 6) !== 0 ? 10 : 20);
      expect(call('br_if_mask0', x)).toBe(0);
    }
  });
});

describe('stores of a constant', () => {
  const { instance, store, module } = instantiate(`(module
    (memory (export "mem") 1)
    (func (export "all") (param $p i32)
      (i32.store (local.get $p) (i32.const 0x89abcdef))
      (i64.store offset=4 (local.get $p) (i64.const 0x0123456789abcdef))
      (f32.store offset=12 (local.get $p) (f32.const nan:0x200001))
      (f64.store offset=16 (local.get $p) (f64.const -nan:0x8000000000001))
      (i32.store8 offset=24 (local.get $p) (i32.const 0x1ff))
      (i32.store16 offset=25 (local.get $p) (i32.const 0x12345))
      (i64.store8 offset=27 (local.get $p) (i64.const -2))
      (i64.store16 offset=28 (local.get $p) (i64.const 0x7fff8001))
      (i64.store32 offset=30 (local.get $p) (i64.const 0x1_2345_6789)))
    (func (export "last") (param $p i32) (i64.store (local.get $p) (i64.const -1))))`);
  const call = (name: string, p: number) => instance.getFunc(store, name)!.call(store, [p]);

  it('store the constant as an immediate', () => {
    const text = ir(module);
    for (const form of ['i32.store_imm ', 'i64.store_imm ', 'i32.store8_imm ', 'i32.store16_imm ']) expect(text).toContain(form);
    expect(text).not.toContain('const');
  });

  it('write the bytes the separate instructions write, NaN payloads included', () => {
    call('all', 100);
    const bytes = new Uint8Array(instance.getMemory(store, 'mem')!.buffer(), 100, 34);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toBe('efcdab89' + 'efcdab8967452301' + '0100a07f' + '010000000000f8ff' + 'ff' + '4523' + 'fe' + '0180' + '89674523');
  });

  it('trap at the exact bound, before writing anything', () => {
    expect(trapOf(() => call('last', 65528))).toBe('none');
    expect(trapOf(() => call('last', 65529))).toBe('memoryOutOfBounds');
    const view = new DataView(instance.getMemory(store, 'mem')!.buffer());
    expect(view.getUint8(65529)).toBe(0xff); // the in-bounds store above, untouched by the trapping one
    expect(trapOf(() => call('all', 65530))).toBe('memoryOutOfBounds');
  });
});

describe('the stack-pointer idiom', () => {
  const program = `(module
    (global $sp (export "sp") (mut i32) (i32.const 1024))
    (global $other (export "other") (mut i32) (i32.const 7))
    (func $frame (export "frame") (param $x i32) (result i32) (local $fp i32)
      (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 16))))
      (local.set $x (i32.add (local.get $x) (global.get $sp)))
      (global.set $sp (i32.add (local.get $fp) (i32.const 16)))
      (local.get $x))
    (func (export "nested") (param $n i32) (result i32)
      (global.set $sp (i32.add (global.get $sp) (i32.const -32)))
      (if (local.get $n) (then (drop (call $frame (local.get $n)))))
      (global.set $sp (i32.sub (global.get $sp) (i32.const -32)))
      (global.get $sp))
    (func (export "cross") (result i32)
      (global.set $other (i32.add (global.get $sp) (i32.const 1)))
      (global.get $other)))`;
  const { instance, store, module } = instantiate(program);
  const call = (name: string, ...args: number[]) => instance.getFunc(store, name)!.call(store, args)[0];
  const global = (name: string) => instance.getGlobal(store, name)!.get();

  it('moves the global in one op, and still writes the local', () => {
    const text = ir(module);
    expect(text).toContain('global.add_imm ');
    expect(text).toContain('i32.add_imm_global.set ');
    expect(text).toContain('global.get_add_imm ');
    // A different global: get-and-add, then a plain set.
    expect(text).toContain('global.set 1,');
  });

  it('computes what the separate instructions compute', () => {
    expect(call('frame', 5)).toBe(5 + 1024 - 16);
    expect(global('sp')).toBe(1024);
    expect(call('nested', 3)).toBe(1024);
    expect(call('nested', 0)).toBe(1024);
    expect(call('cross')).toBe(1025);
    expect(global('other')).toBe(1025);
  });

  it('stops exactly inside the fused ops under fuel', () => {
    // frame: 5 (prologue) + 4 (body) + 4 (epilogue) + 1. nested: 4 + 2 (if) + 3 (then, with the call) + frame + 4 + 1.
    expect(fuelSweep(program, 'frame', [5])).toBe(14);
    expect(fuelSweep(program, 'nested', [3])).toBe(4 + 2 + 3 + 14 + 4 + 1);
  });
});

describe('superinstructions', () => {
  const { instance, store, module } = instantiate(`(module
    (memory (export "mem") 1)
    (func (export "i64_load_mul") (param i32) (result i64)
      (i64.mul (i64.load offset=8 (local.get 0)) (i64.const 0x9e3779b185ebca87)))
    (func (export "i64_load_mul_add") (param i32 i64) (result i64)
      (i64.add (local.get 1) (i64.mul (i64.load (i32.add (local.get 0) (i32.const 4))) (i64.const -3))))
    (func (export "i32_load_mul") (param i32 i32) (result i32) (i32.mul (local.get 1) (i32.load offset=4 (local.get 0))))
    (func (export "i64_load_add") (param i32 i64) (result i64) (i64.add (local.get 1) (i64.load offset=8 (local.get 0))))
    (func (export "i64_load_xor") (param i32 i64) (result i64) (i64.xor (i64.load (local.get 0)) (local.get 1)))
    (func (export "i32_load_mul_add") (param i32 i32 i32) (result i32)
      (i32.add (local.get 2) (i32.mul (i32.load (local.get 0)) (local.get 1))))
    (func (export "f64_load_add") (param i32 f64) (result f64) (f64.add (local.get 1) (f64.load (local.get 0))))
    (func (export "f64_load_sub") (param i32 f64) (result f64) (f64.sub (local.get 1) (f64.load (local.get 0))))
    (func (export "f64_load_mul") (param i32 f64) (result f64) (f64.mul (f64.load (local.get 0)) (local.get 1)))
    (func (export "round31") (param i32 i64) (result i64) (local i64)
      (i64.mul (local.tee 2 (i64.rotl (i64.add (i64.mul (i64.load (local.get 0)) (i64.const 0xc2b2ae3d27d4eb4f)) (local.get 1))
                                       (i64.const 31)))
               (i64.const 0x9e3779b185ebca87))
      (i64.xor (local.get 2)))
    (func (export "round0") (param i32 i64) (result i64)
      (i64.mul (i64.rotl (i64.add (local.get 1) (i64.mul (i64.load offset=8 (local.get 0)) (i64.const -1))) (i64.const 0))
               (i64.const 0x100000001)))
    (func (export "i32_mul_add") (param i32 i32 i32) (result i32)
      (i32.add (i32.mul (local.get 0) (local.get 1)) (local.get 2)))
    (func (export "i32_add_mul") (param i32 i32 i32) (result i32)
      (i32.add (local.get 2) (i32.mul (local.get 0) (local.get 1))))
    (func (export "i32_shl_add") (param i32 i32) (result i32)
      (i32.add (local.get 1) (i32.shl (local.get 0) (i32.const 3))))
    (func (export "i32_mul_imm_add") (param i32 i32) (result i32)
      (i32.add (local.get 1) (i32.mul (local.get 0) (i32.const 0x9e3779b9))))
    (func (export "i32_add_add") (param i32 i32 i32) (result i32)
      (i32.add (local.get 2) (i32.add (local.get 0) (local.get 1))))
    (func (export "i32_rotl_xor") (param i32 i32) (result i32)
      (i32.xor (i32.rotr (local.get 0) (i32.const 6)) (local.get 1)))
    (func (export "i32_xor_rotl") (param i32 i32) (result i32)
      (i32.rotl (i32.xor (local.get 0) (local.get 1)) (i32.const 7)))
    (func (export "i32_xor_rotr") (param i32 i32) (result i32)
      (i32.rotr (i32.xor (local.get 0) (local.get 1)) (i32.const 16)))
    (func (export "i64_mul_add") (param i64 i64 i64) (result i64)
      (i64.add (local.get 2) (i64.mul (local.get 0) (local.get 1))))
    (func (export "i64_mul_imm_add") (param i64 i64) (result i64)
      (i64.add (i64.mul (local.get 0) (i64.const 0xc2b2ae3d27d4eb4f)) (local.get 1)))
    (func (export "i64_rotl_mul") (param i64) (result i64)
      (i64.mul (i64.rotl (local.get 0) (i64.const 31)) (i64.const 0x9e3779b185ebca87)))
    (func (export "i64_rotl_tee_mul") (param i64) (result i64) (local i64)
      (i64.mul (local.tee 1 (i64.rotl (local.get 0) (i64.const 7))) (i64.const 0x165667b19e3779f9))
      (local.get 1)
      (i64.xor))
    (func (export "f64_mul_add") (param f64 f64 f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
    (func (export "f64_mul_sub") (param f64 f64 f64) (result f64)
      (f64.sub (local.get 2) (f64.mul (local.get 0) (local.get 1))))
    (func (export "f64_mul_mul") (param f64 f64 f64) (result f64)
      (f64.mul (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
  )`);
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args)[0];

  it('are emitted', () => {
    const text = ir(module);
    for (const form of ['i32.mul_add', 'i32.shl_imm_add', 'i32.mul_imm_add', 'i32.add_add', 'i32.rotl_imm_xor', 'i32.xor_rotl_imm', 'i64.mul_add', 'i64.mul_imm_add', 'i64.rotl_imm_mul_imm',
      'f64.mul_add', 'f64.mul_sub', 'f64.mul_mul',
      'i64.load_mul_imm', 'i64.load_mul_imm_add', 'i64.load_mul_imm_add_rotl_imm_mul_imm', 'i64.load_add', 'i64.load_xor', 'i32.load_mul', 'i32.load_mul_add',
      'f64.load_add', 'f64.load_sub', 'f64.load_mul']) {
      expect(text).toContain(`${form} `);
    }
  });

  it('wrap like the separate i32 instructions', () => {
    const values = [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678, 65537];
    for (const a of values) {
      for (const b of values) {
        for (const c of values) {
          expect(call('i32_mul_add', a, b, c)).toBe((Math.imul(a, b) + c) | 0);
          expect(call('i32_add_mul', a, b, c)).toBe((Math.imul(a, b) + c) | 0);
        }
        expect(call('i32_shl_add', a, b)).toBe(((a << 3) + b) | 0);
        expect(call('i32_mul_imm_add', a, b)).toBe((Math.imul(a, 0x9e3779b9) + b) | 0);
        expect(call('i32_rotl_xor', a, b)).toBe(((a >>> 6) | (a << 26)) ^ b);
        expect(call('i32_xor_rotl', a, b)).toBe(((a ^ b) << 7) | ((a ^ b) >>> 25));
        expect(call('i32_xor_rotr', a, b)).toBe(((a ^ b) >>> 16) | ((a ^ b) << 16));
        for (const c of values) expect(call('i32_add_add', a, b, c)).toBe((a + b + c) | 0);
      }
    }
  });

  it('carry like the separate i64 instructions', () => {
    for (const a of I64_VALUES) {
      for (const b of I64_VALUES) {
        expect(call('i64_mul_imm_add', s64(a), s64(b))).toBe(s64(u64(a * 0xc2b2ae3d27d4eb4fn + b)));
        for (const c of [0n, 1n, MASK64, 0x80000000n, 0xffffffffn]) expect(call('i64_mul_add', s64(a), s64(b), s64(c))).toBe(s64(u64(a * b + c)));
      }
      expect(call('i64_rotl_mul', s64(a))).toBe(s64(u64(rotl(a, 31n) * 0x9e3779b185ebca87n)));
      // The tee'd local still gets the rotated value.
      const rotated = rotl(a, 7n);
      expect(call('i64_rotl_tee_mul', s64(a))).toBe(s64(u64(rotated * 0x165667b19e3779f9n) ^ rotated));
    }
  });

  it('load, multiply and add like the separate instructions, and trap at the exact bound', () => {
    const view = new DataView(instance.getMemory(store, 'mem')!.buffer());
    for (const a of I64_VALUES) {
      view.setBigUint64(64, a, true);
      expect(call('i64_load_mul', 56)).toBe(s64(u64(a * 0x9e3779b185ebca87n)));
      for (const b of I64_VALUES) expect(call('i64_load_mul_add', 60, s64(b))).toBe(s64(u64(a * u64(-3n) + b)));
    }
    view.setBigUint64(65528, 5n, true);
    expect(call('i64_load_mul', 65520)).toBe(s64(u64(5n * 0x9e3779b185ebca87n)));
    expect(call('i64_load_mul_add', 65524, 1n)).toBe(-14n);
    expect(trapOf(() => call('i64_load_mul', 65521))).toBe('memoryOutOfBounds');
    expect(trapOf(() => call('i64_load_mul_add', 65525, 0n))).toBe('memoryOutOfBounds');
    expect(trapOf(() => call('i64_load_mul_add', -4, 0n))).toBe('none');
    expect(trapOf(() => call('i64_load_mul_add', -5, 0n))).toBe('memoryOutOfBounds');
  });

  it('load and add or xor like the separate i64 instructions, and trap at the exact bound', () => {
    const view = new DataView(instance.getMemory(store, 'mem')!.buffer());
    for (const a of I64_VALUES) {
      view.setBigUint64(256, a, true);
      for (const b of I64_VALUES) {
        expect(call('i64_load_add', 248, s64(b))).toBe(s64(u64(a + b)));
        expect(call('i64_load_xor', 256, s64(b))).toBe(s64(a ^ b));
      }
    }
    expect(trapOf(() => call('i64_load_add', 65520, 0n))).toBe('none');
    expect(trapOf(() => call('i64_load_add', 65521, 0n))).toBe('memoryOutOfBounds');
    expect(trapOf(() => call('i64_load_xor', 65529, 0n))).toBe('memoryOutOfBounds');
    expect(trapOf(() => call('i64_load_xor', -1, 0n))).toBe('memoryOutOfBounds');
  });

  it('compute a load-multiply-add-rotate-multiply sequence (fused pieces) like the separate instructions', () => {
    const view = new DataView(instance.getMemory(store, 'mem')!.buffer());
    for (const a of I64_VALUES) {
      view.setBigUint64(512, a, true);
      for (const b of I64_VALUES) {
        const rotated = rotl(u64(a * 0xc2b2ae3d27d4eb4fn + b), 31n);
        expect(call('round31', 512, s64(b))).toBe(s64(u64(rotated * 0x9e3779b185ebca87n) ^ rotated));
        expect(call('round0', 504, s64(b))).toBe(s64(u64(u64(b - a) * 0x100000001n)));
      }
    }
    view.setBigUint64(65528, 3n, true);
    expect(call('round0', 65520, 0n)).toBe(s64(u64(-3n * 0x100000001n)));
    let trapped = '';
    try {
      call('round31', 65529, 0n);
    } catch (error) {
      trapped = (error as RuntimeError).trap;
    }
    expect(trapped).toBe('memoryOutOfBounds');
  });

  it('load and compute like the separate i32 and f64 instructions, and trap at the exact bound', () => {
    const view = new DataView(instance.getMemory(store, 'mem')!.buffer());
    const ints = [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678];
    for (const a of ints) {
      view.setInt32(128, a, true);
      for (const b of ints) {
        expect(call('i32_load_mul', 124, b)).toBe(Math.imul(a, b));
        expect(call('i32_load_mul_add', 128, b, a)).toBe((Math.imul(a, b) + a) | 0);
      }
    }
    const floats = [0, -0, 1.5, -2.25, 1e308, Infinity, -Infinity, NaN];
    for (const a of floats) {
      view.setFloat64(256, a, true);
      for (const b of floats) {
        expect(call('f64_load_add', 256, b)).toBe(b + a);
        expect(call('f64_load_sub', 256, b)).toBe(b - a);
        expect(call('f64_load_mul', 256, b)).toBe(a * b);
      }
    }
    expect(trapOf(() => call('i32_load_mul', 65528, 1))).toBe('none');
    expect(trapOf(() => call('i32_load_mul', 65529, 1))).toBe('memoryOutOfBounds');
    expect(trapOf(() => call('i32_load_mul_add', 65533, 1, 1))).toBe('memoryOutOfBounds');
    expect(trapOf(() => call('f64_load_sub', 65528, 1))).toBe('none');
    expect(trapOf(() => call('f64_load_sub', 65529, 1))).toBe('memoryOutOfBounds');
  });

  it('round like the separate f64 instructions, NaNs and infinities included', () => {
    const values = [0, -0, 1.5, -2.25, 1e308, -1e308, 5e-324, Infinity, -Infinity, NaN, 0.1];
    for (const a of values) {
      for (const b of values) {
        for (const c of values) {
          expect(call('f64_mul_add', a, b, c)).toBe(a * b + c);
          expect(call('f64_mul_sub', a, b, c)).toBe(c - a * b);
          expect(call('f64_mul_mul', a, b, c)).toBe(a * b * c);
        }
      }
    }
  });
});

describe('memory accesses with a fused address add', () => {
  const { instance, store, module } = instantiate(`(module
    (memory (export "mem") 1)
    (func (export "load") (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const 16))))
    (func (export "load_offset") (param i32) (result i32) (i32.load offset=8 (i32.add (local.get 0) (i32.const 16))))
    (func (export "load_i64") (param i32) (result i64) (i64.load offset=4 (i32.add (local.get 0) (i32.const -4))))
    (func (export "store") (param i32 i32) (i32.store (i32.add (local.get 0) (i32.const 16)) (local.get 1)))
    (func (export "store_const") (param i32) (i64.store offset=1 (i32.add (local.get 0) (i32.const 3)) (i64.const -2)))
    (func (export "at_const") (result i32) (i32.store offset=4 (i32.const 8) (i32.const 77)) (i32.load (i32.const 12)))
    (func (export "scaled") (param i32) (result i32) (i32.load offset=4 (i32.add (i32.shl (local.get 0) (i32.const 2)) (i32.const 16))))
    (func (export "shifted") (param i32) (result i32) (i32.load (i32.shl (local.get 0) (i32.const 3))))
    (func (export "indexed") (param i32 i32) (result i32) (i32.load offset=2 (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2)))))
  )`);
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args);
  const mem = () => new DataView(instance.getMemory(store, 'mem')!.buffer());
  const trap = (name: string, ...args: unknown[]) => trapOf(() => call(name, ...args));

  it('puts the add into the access', () => {
    const text = ir(module);
    // Results go straight to register 0; r1 (after the param) is the zero register.
    expect(text).toContain('i32.load r0, r0, 16, 0');
    expect(text).toContain('i32.load r0, r0, 16, 8');
    expect(text).toContain('i32.store r0, 16, 0, r1');
    // Constant addresses use the zero register (r0 here, where there are no params or locals).
    expect(text).toContain('i32.store_imm r0, 8, 4, 77');
    expect(text).toContain('i32.load r0, r0, 12, 0');
    expect(text).toContain('i32.load_scaled r0, r0, 2, 16, 4');
    expect(text).toContain('i32.load_scaled r0, r0, 3, 0, 0');
    expect(text).toContain('i32.load_indexed r0, r0, r1, 2, 2');
    expect(text).not.toContain('copy');
    expect(text).not.toContain('i32.add_imm');
    expect(text).not.toContain('i32.shl');
  });

  it('computes scaled and indexed addresses like the separate instructions', () => {
    mem().setInt32(40, 0x5eed, true);
    // (5 << 2) + 16 + 4 = 40; (2^30 + 5) << 2 wraps to 20.
    expect(call('scaled', 5)).toEqual([0x5eed]);
    expect(call('scaled', 0x40000005)).toEqual([0x5eed]);
    expect(call('shifted', 5)).toEqual([0x5eed]);
    expect(call('shifted', 0x20000005)).toEqual([0x5eed]);
    // 30 + (2 << 2) + 2 = 40; -2 + (10 << 2) wraps to 38, + 2; (2^30 + 2) << 2 wraps to 8.
    expect(call('indexed', 30, 2)).toEqual([0x5eed]);
    expect(call('indexed', -2, 10)).toEqual([0x5eed]);
    expect(call('indexed', 30, 0x40000002)).toEqual([0x5eed]);
    expect(call('scaled', (65536 - 24) / 4)).toEqual([0]);
    expect(trap('scaled', (65536 - 20) / 4)).toBe('memoryOutOfBounds');
    // (-4 << 2) + 16 = 0, then offset 4: in bounds; (-5 << 2) + 16 wraps to 0xfffffffc.
    expect(call('scaled', -4)).toEqual([mem().getInt32(4, true)]);
    expect(trap('scaled', -5)).toBe('memoryOutOfBounds');
    expect(trap('shifted', 8191 + 1)).toBe('memoryOutOfBounds');
    expect(call('indexed', 65536 - 6, 0)).toEqual([0]);
    expect(trap('indexed', 65536 - 5, 0)).toBe('memoryOutOfBounds');
    expect(call('indexed', 65536 - 10, 1)).toEqual([0]);
  });

  it('accesses constant addresses', () => {
    expect(call('at_const')).toEqual([77]);
    expect(call('at_const')).toEqual([77]);
  });

  it('wraps the add but not the offset', () => {
    mem().setInt32(8, 0x11223344, true);
    // -8 + 16 wraps to 8: in bounds.
    expect(call('load', -8)).toEqual([0x11223344]);
    // (-8 + 16) + 8 = 16, and 0xfffffff0 + 16 = 0 then + 8.
    mem().setInt32(16, 77, true);
    expect(call('load_offset', -8)).toEqual([77]);
    mem().setInt32(8, 99, true);
    expect(call('load_offset', -16)).toEqual([99]);
    mem().setBigInt64(4, 0x0102030405060708n, true);
    expect(call('load_i64', 4)).toEqual([0x0102030405060708n]);
    // 0 - 4 wraps to 0xfffffffc: the offset 4 does not bring it back.
    expect(trap('load_i64', 0)).toBe('memoryOutOfBounds');
    call('store', -16, 1234);
    expect(mem().getInt32(0, true)).toBe(1234);
    // -3 + 3 wraps to 0, then offset 1.
    call('store_const', -3);
    expect(mem().getBigInt64(1, true)).toBe(-2n);
    // -4 + 3 wraps to 0xffffffff, and the offset takes it past 4 GiB.
    expect(trap('store_const', -4)).toBe('memoryOutOfBounds');
  });

  it('traps at the exact bound', () => {
    expect(call('load', 65536 - 20)).toEqual([0]);
    expect(trap('load', 65536 - 19)).toBe('memoryOutOfBounds');
    expect(trap('load', -17)).toBe('memoryOutOfBounds');
    expect(call('load_offset', 65536 - 28)).toEqual([0]);
    expect(trap('load_offset', 65536 - 27)).toBe('memoryOutOfBounds');
    // The add wraps to 0xfffffff8, far out of bounds, even though base + offset would not be.
    expect(trap('load_offset', -24)).toBe('memoryOutOfBounds');
    expect(trap('store', 65536 - 19, 1)).toBe('memoryOutOfBounds');
    expect(trap('store_const', 65536 - 11)).toBe('memoryOutOfBounds');
    call('store_const', 65536 - 12);
    expect(mem().getBigInt64(65528, true)).toBe(-2n);
  });
});

/** Runs `name(args)` with every budget below its total cost: each stops, and resuming finishes with the same results and total. */
function fuelSweep(program: string, name: string, args: unknown[]): number {
  const full = instantiate(program, true);
  full.store.setFuel(1_000_000);
  const results = full.instance.getFunc(full.store, name)!.call(full.store, args);
  const total = 1_000_000 - full.store.getFuel();
  for (let budget = 0; budget < total; budget++) {
    const { instance, store } = instantiate(program, true);
    store.setFuel(budget);
    const call = instance.getFunc(store, name)!.callResumable(store, args);
    expect(call.done).toBe(false);
    expect(store.getFuel()).toBeGreaterThanOrEqual(0);
    if (call.done) continue;
    store.setFuel(1_000_000);
    const finished = call.resume();
    expect(finished.done && finished.results).toEqual(results);
    expect(budget + 1_000_000 - store.getFuel()).toBe(total);
  }
  return total;
}

describe('adjacent ops merged after lowering', () => {
  const LOOPS = `(module
    (func (export "count_to") (param $n i32) (result i32) (local $i i32) (local $s i32)
      (loop $l
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.ne (local.get $i) (local.get $n))))
      (local.get $s))
    (func (export "count_down") (param $n i32) (result i32) (local $s i32)
      (loop $l
        (local.set $s (i32.add (local.get $s) (local.get $n)))
        (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
      (local.get $s)))`;

  it('merges an add of a constant with the loop branch on its result', () => {
    const { instance, store, module } = instantiate(LOOPS);
    const [up, down] = module.validated.funcs.map((f) => disassemble(f));
    expect(up).toContain('i32.add_imm_br_if_ne r1, r1, 1, r0, @0');
    expect(down).toContain('i32.add_imm_br_if_nez r0, r0, -1, @0');
    expect(instance.getFunc(store, 'count_to')!.call(store, [10])).toEqual([45]);
    expect(instance.getFunc(store, 'count_to')!.call(store, [1])).toEqual([0]);
    expect(instance.getFunc(store, 'count_down')!.call(store, [10])).toEqual([55]);
    expect(fuelSweep(LOOPS, 'count_to', [3])).toBe(3 * 12 + 2);
    expect(fuelSweep(LOOPS, 'count_down', [3])).toBe(3 * 9 + 2);
  });

  it('merges an add of a constant with a copy of its result', () => {
    // $p steps down by 4 and $q takes each new value: a tee, then a set from the teed local.
    const program = `(module
      (func (export "walk") (param $p i32) (param $n i32) (result i32) (local $q i32) (local $s i32)
        (loop $l
          (local.set $p (local.tee $q (i32.add (local.get $p) (i32.const -4))))
          (local.set $s (i32.add (local.get $s) (local.get $q)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (i32.add (local.get $s) (local.get $p))))`;
    const { instance, store, module } = instantiate(program);
    expect(disassemble(module.validated.funcs[0]!)).toContain('i32.add_imm_copy r2, r0, -4, r0');
    // s = 96 + 92 + 88, p = 88.
    expect(instance.getFunc(store, 'walk')!.call(store, [100, 3])).toEqual([96 + 92 + 88 + 88]);
    expect(fuelSweep(program, 'walk', [100, 3])).toBe(1 + 3 * 14 + 3);
  });

  const { instance, store, module } = instantiate(`(module
    (func (export "steps") (param i32 i32) (result i32)
      (local.set 0 (i32.add (local.get 0) (i32.const 3)))
      (local.set 1 (i32.sub (local.get 1) (i32.const 5)))
      (i32.mul (local.get 0) (local.get 1)))
    (func (export "target") (param i32 i32) (result i32)
      (block (br_if 0 (local.get 0)) (local.set 1 (i32.add (local.get 1) (i32.const 1))))
      (local.set 1 (i32.add (local.get 1) (i32.const 2)))
      (local.get 1)))`);
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args)[0];

  it('merges two adds of constants, unless the second is a branch target', () => {
    const [steps, target] = module.validated.funcs.map((f) => disassemble(f));
    expect(steps).toContain('i32.add_imm2 r0, r0, 3, r1, r1, -5');
    expect(target).not.toContain('add_imm2');
    expect(call('steps', 0x7ffffffe, -0x7ffffffe)).toBe(Math.imul((0x7ffffffe + 3) | 0, (-0x7ffffffe - 5) | 0));
    expect(call('target', 0, 10)).toBe(13);
    expect(call('target', 1, 10)).toBe(12);
  });
});

describe('binary ops whose constant operand is an identity', () => {
  const I32_IDENTITIES = [
    ['add', '0'], ['sub', '0'], ['or', '0'], ['xor', '0'], ['and', '-1'], ['mul', '1'], ['div_s', '1'], ['div_u', '1'],
    ['shl', '0'], ['shr_s', '32'], ['shr_u', '64'], ['rotl', '0'], ['rotr', '-32'],
  ];
  const I64_IDENTITIES = [
    ['add', '0'], ['sub', '0'], ['or', '0'], ['xor', '0'], ['and', '-1'], ['mul', '1'], ['div_s', '1'], ['div_u', '1'],
    ['shl', '0'], ['shr_s', '64'], ['shr_u', '128'], ['rotl', '0'], ['rotr', '-64'],
  ];
  // Near misses: the same ops with a constant that is not an identity.
  const I64_NEAR_MISSES = [['add', '0x100000000'], ['and', '0xffffffff'], ['mul', '0x100000001'], ['shl', '32'], ['rotr', '96']];
  const func = (type: string, [name, c]: string[], index: number) =>
    `(func (export "${type}_${index}") (param ${type}) (result ${type}) (${type}.${name} (local.get 0) (${type}.const ${c})))`;
  const program = `(module
    ${I32_IDENTITIES.map((entry, i) => func('i32', entry!, i)).join('\n')}
    ${I64_IDENTITIES.map((entry, i) => func('i64', entry!, i)).join('\n')}
    ${I64_NEAR_MISSES.map((entry, i) => func('i64', entry!, 100 + i)).join('\n')}
    (func (export "alias") (param i32) (result i32)
      ;; The elided add leaves local 0 itself on the stack: the set must not change it.
      (i32.add (local.get 0) (i32.const 0))
      (local.set 0 (i32.const 7))))`;
  const { instance, store, module } = instantiate(program);
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args)[0];

  it('emit no op at all', () => {
    const bodies = module.validated.funcs.map((f) => disassemble(f));
    for (const body of bodies.slice(0, I32_IDENTITIES.length + I64_IDENTITIES.length)) expect(body).toBe('0: return');
    for (const body of bodies.slice(I32_IDENTITIES.length + I64_IDENTITIES.length, -1)) expect(body).not.toBe('0: return');
  });

  it('return the operand, and near misses do not', () => {
    for (const x of [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678]) {
      I32_IDENTITIES.forEach((_, i) => expect(call(`i32_${i}`, x)).toBe(x));
    }
    for (const x of I64_VALUES.map(s64)) I64_IDENTITIES.forEach((_, i) => expect(call(`i64_${i}`, x)).toBe(x));
    const x = 0x0123456789abcdefn;
    expect([100, 101, 102, 103, 104].map((i) => call(`i64_${i}`, x))).toEqual([
      x + 0x100000000n, x & 0xffffffffn, s64(x * 0x100000001n), s64(x << 32n), s64(rotl(x, 32n)),
    ]);
    expect(call('alias', 5)).toBe(5);
  });

  it('still charge fuel for the Wasm instruction', () => {
    expect(fuelSweep(program, 'i32_0', [3])).toBe(3);
    expect(fuelSweep(program, 'alias', [3])).toBe(5);
  });

  it('do not count as the instruction that traps: a division by 1 before a trapping load', () => {
    const { instance, store } = instantiate(
      `(module (memory 1)
        (func (export "load") (param i32) (result i32)
          (i32.load (i32.div_u (local.get 0) (i32.const 1)))))`,
      true,
    );
    store.setFuel(1000);
    expect(() => instance.getFunc(store, 'load')!.call(store, [65536])).toThrow(RuntimeError);
    // Every instruction up to and including the load: local.get, i32.const, i32.div_u, i32.load.
    expect(1000 - store.getFuel()).toBe(4);
  });
});

describe('fuel across fused ops', () => {
  // A loop using the fused forms; each iteration is 31 Wasm instructions, the load traps past the end.
  const PROGRAM = `(module
    (memory 1)
    (func (export "mix") (param $p i32) (param $n i32) (result i64) (local $h i64)
      (loop $l
        (local.set $h
          (i64.mul
            (i64.rotl
              (i64.add (i64.mul (i64.load (i32.add (local.get $p) (i32.const 8))) (i64.const 0xc2b2ae3d27d4eb4f)) (local.get $h))
              (i64.const 31))
            (i64.const 0x9e3779b185ebca87)))
        (i32.store (i32.add (local.get $p) (i32.const 4)) (i32.add (i32.mul (local.get $n) (local.get $n)) (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $h))
    (func (export "mix2") (param $p i32) (param $n i32) (result i64) (local $h i64) (local $t i64)
      (loop $l
        (local.set $t (i64.add (i64.mul (i64.load (local.get $p)) (i64.const 0xc2b2ae3d27d4eb4f)) (local.get $h)))
        (local.set $h (i64.mul (i64.rotl (local.get $t) (i64.const 31)) (i64.const 0x9e3779b185ebca87)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (i64.xor (local.get $h) (local.get $t))))`;

  function consumed(budget: number, args: number[]) {
    const { instance, store } = instantiate(PROGRAM, true);
    store.setFuel(budget);
    const mix = instance.getFunc(store, 'mix')!;
    try {
      return { results: mix.call(store, args), used: budget - store.getFuel() };
    } catch (error) {
      return { trap: (error as RuntimeError).trap, used: budget - store.getFuel() };
    }
  }

  it('charges every Wasm instruction of a fused op', () => {
    const { instance, module } = instantiate(PROGRAM, true);
    expect(instance).toBeDefined();
    const text = ir(module);
    for (const form of ['i64.load_mul_imm_add_rotl_imm_mul_imm', 'i64.load_mul_imm_add ', 'i64.rotl_imm_mul_imm ', 'i32.mul_add', 'i32.add_imm2 r0, r0, 8, r1, r1, -1']) {
      expect(text).toContain(form);
    }
    // 1 (loop) + 31 per iteration + 1 (local.get) = 95 for 3 iterations.
    expect(consumed(1_000_000, [0, 3])).toEqual({ results: [expect.any(BigInt)], used: 95 });
  });

  it('stops at the exact instruction boundary inside fused ops and resumes to the same result', () => {
    expect(fuelSweep(PROGRAM, 'mix', [0, 3])).toBe(95);
    // The round split by a local: 1 (loop) + 22 per iteration + 3.
    expect(fuelSweep(PROGRAM, 'mix2', [0, 3])).toBe(70);
  });

  it('stops exactly inside scaled and indexed loads too', () => {
    const program = `(module (memory 1)
      (func (export "sum") (param $n i32) (result i32) (local $acc i32)
        (loop $l
          (local.set $acc (i32.add (local.get $acc)
            (i32.add (i32.load offset=4 (i32.add (i32.shl (local.get $n) (i32.const 2)) (i32.const 16)))
                     (i32.load (i32.add (local.get $acc) (i32.shl (local.get $n) (i32.const 3)))))))
          (i32.store (i32.shl (local.get $n) (i32.const 2)) (local.get $n))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $acc)))`;
    const { module } = instantiate(program);
    expect(ir(module)).toContain('i32.load_scaled');
    expect(ir(module)).toContain('i32.load_indexed');
    expect(ir(module)).toContain('i32.add_imm_br_if_nez');
    fuelSweep(program, 'sum', [4]);
  });

  it('stops exactly inside the ARX fusions too', () => {
    // Per iteration 6 + 6 + 6 + 5 = 23 instructions; 2 before the loop, 1 for it, 3 after.
    const program = `(module
      (func (export "arx") (param $n i32) (result i32) (local $a i32) (local $b i32)
        (local.set $b (i32.const 0x9e3779b9))
        (loop $l
          (local.set $a (i32.add (i32.add (local.get $a) (local.get $b)) (local.get $n)))
          (local.set $b (i32.rotl (i32.xor (local.get $b) (local.get $a)) (i32.const 7)))
          (local.set $a (i32.xor (i32.rotr (local.get $a) (i32.const 13)) (local.get $b)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (i32.xor (local.get $a) (local.get $b))))`;
    const { module } = instantiate(program);
    for (const form of ['i32.add_add', 'i32.xor_rotl_imm', 'i32.rotl_imm_xor']) expect(ir(module)).toContain(form);
    expect(fuelSweep(program, 'arx', [3])).toBe(2 + 1 + 3 * 23 + 3);
  });

  it('stops exactly inside the i64 ARX fusions too', () => {
    // Per iteration 5 + 7 + 6 + 6 + 7 + 5 = 36 instructions; 2 before the loop, 1 for it, 3 after.
    const program = `(module (memory 1)
      (func (export "arx") (param $n i32) (result i64) (local $a i64) (local $b i64)
        (local.set $b (i64.const 0x9e3779b97f4a7c15))
        (loop $l
          (local.set $b (i64.xor (local.get $b) (i64.load (i32.const 8))))
          (local.set $a (i64.add (i64.add (local.get $a) (local.get $b)) (i64.extend_i32_u (local.get $n))))
          (local.set $b (i64.rotr (i64.xor (local.get $b) (local.get $a)) (i64.const 24)))
          (local.set $a (i64.xor (i64.rotr (local.get $a) (i64.const 63)) (local.get $b)))
          (local.set $b (i64.rotl (i64.xor (local.get $a) (i64.load offset=16 (local.get $n))) (i64.const 40)))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (i64.xor (local.get $a) (local.get $b))))`;
    const { module } = instantiate(program);
    for (const form of ['i64.xor_rotl_imm32', 'i64.rotl_imm_xor', 'i64.load_xor ', 'i64.load_xor_rotl_imm32']) expect(ir(module)).toContain(form);
    expect(fuelSweep(program, 'arx', [3])).toBe(2 + 1 + 3 * 36 + 3);
  });

  it('stops exactly around a fused flag test', () => {
    // 1 (loop) + 5 iterations of 4 (test and if) + 5 (counter) + 4 for each of the 2 taken thens (n = 3, 2) + 1.
    const program = `(module
      (func (export "flags") (param $n i32) (result i32) (local $c i32)
        (loop $l
          (if (i32.and (local.get $n) (i32.const 2)) (then (local.set $c (i32.add (local.get $c) (i32.const 1)))))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $c)))`;
    expect(ir(instantiate(program).module)).toContain('br_if_and_imm_eqz');
    expect(fuelSweep(program, 'flags', [5])).toBe(1 + 5 * 9 + 2 * 4 + 1);
  });

  it('a copy or constant that falls into a loop head charges its Fuel op, exactly', () => {
    // Each loop is entered from straight-line code ending in a move: a copy of $n, a constant 0.
    const program = `(module
      (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
        (loop $outer
          (local.set $j (local.get $n))
          (loop $inner
            (local.set $s (i32.add (local.get $s) (local.get $j)))
            (br_if $inner (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
          (local.set $i (i32.const 0))
          (loop $count
            (br_if $count (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 3))))
          (br_if $outer (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $s)))`;
    const { module } = instantiate(program, true);
    expect(ir(module)).toContain('copy_then_fuel');
    expect(ir(module)).toContain('const32_then_fuel');
    fuelSweep(program, 'nested', [3]);
  });

  it('counts a trapping fused load up to and including the load', () => {
    // p = 65528: the first load (ea 65536) traps; loop + 2 local.get/const + add + load = 5.
    expect(consumed(1_000_000, [65528, 3])).toEqual({ trap: 'memoryOutOfBounds', used: 5 });
  });
});
