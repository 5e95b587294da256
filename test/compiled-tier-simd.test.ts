/**
 * SIMD on the compiled tier (src/compiler/simd-ops.ts): every SIMD instruction, relaxed ones included, is compiled
 * and gives exactly the interpreter's bytes on random vectors (NaN payloads included: both tiers follow the same
 * NaN rules, so no lane is exempt); v128 values cross calls, the API, globals and multiple results; and a frame
 * with live v128 registers handed over to the interpreter (out of fuel) resumes with the same result and fuel.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tierStatistics } from '../src/compiler/runtime.js';
import { Engine, Linker, Module, Store, type ResumableCall } from '../src/index.js';
import { SIMD } from '../src/validator/simd-opcodes.js';
import { body, immediates, MEMORY_OPERAND, moduleBytes, RESULT, SCALAR, scalar, vector } from './helpers/simd-modules.js';
import { wat } from './helpers/wat.js';

type Tier = 'interpreter' | 'compiled';

function runner(tier: Tier, bytes: Uint8Array): (image: Uint8Array) => number[] {
  const engine = new Engine({ tier });
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, bytes));
  const memory = instance.getMemory(store, 'mem')!;
  const run = instance.getFunc(store, 'run')!;
  return (image) => {
    const data = memory.data();
    data.fill(0, 0, 256);
    data.set(image);
    run.call(store, []);
    return Array.from(memory.data().subarray(RESULT, RESULT + 16));
  };
}

const INSTRUCTIONS = [...SIMD].filter(([, instr]) => instr.form !== 'const');

describe('every SIMD instruction on the compiled tier', () => {
  it('covers the 235 instructions of 2.0 but v128.const and the 20 relaxed ones', () => {
    expect(INSTRUCTIONS.length).toBe(255);
  });

  it.each(INSTRUCTIONS.map(([sub, instr]) => [instr.name, sub, instr] as const))('%s is compiled and equals the interpreter', (name, sub, instr) => {
    const before = tierStatistics();
    const modules = new Map<string, [(image: Uint8Array) => number[], (image: Uint8Array) => number[]]>();
    fc.assert(
      fc.property(immediates(instr), vector, vector, vector, scalar, vector, (imm, a, b, c, s, m) => {
        const key = imm.join(',');
        let pair = modules.get(key);
        if (pair === undefined) {
          const bytes = moduleBytes(body(sub, instr, imm));
          pair = [runner('interpreter', bytes), runner('compiled', bytes)];
          modules.set(key, pair);
        }
        const image = new Uint8Array(MEMORY_OPERAND + 16);
        image.set(a, 0);
        image.set(b, 16);
        image.set(c, 32);
        image.set(s, SCALAR);
        image.set(m, MEMORY_OPERAND);
        expect(pair[1](image), `${name} [${imm.join(' ')}]`).toEqual(pair[0](image));
      }),
      { numRuns: 150 },
    );
    const after = tierStatistics();
    expect(after.interpreted).toBe(before.interpreted);
    expect(after.compiled - before.compiled).toBe(modules.size);
  });
});

const CALLS = `(module
  (type $bin (func (param v128 v128) (result v128)))
  (table 2 funcref)
  (elem (i32.const 0) $mix $swap2)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (memory (export "mem") 1)
  (func $mix (export "mix") (param $a v128) (param $b v128) (result v128)
    (f32x4.add (i32x4.add (local.get $a) (local.get $b)) (global.get $g)))
  ;; two v128 results, through the register file
  (func $swap (export "swap") (param v128 v128) (result v128 v128) (local.get 1) (local.get 0))
  (func $swap2 (param $a v128) (param $b v128) (result v128)
    (call $swap (local.get $a) (local.get $b)) (i8x16.sub))
  (func (export "chain") (param $a v128) (param $k i32) (result v128)
    (global.set $g (i64x2.splat (i64.const -7)))
    (call_indirect (type $bin) (call $mix (local.get $a) (local.get $a)) (local.get $a) (local.get $k)))
  ;; a loop over memory with v128 registers live across its fuel segments and back-edges
  (func (export "loop") (param $n i32) (result v128) (local $acc v128) (local $i i32)
    (local.set $acc (v128.const f32x4 0.5 -1 nan:0x200001 3))
    (loop $next
      (local.set $acc (f32x4.mul (f32x4.add (local.get $acc) (v128.load (i32.and (i32.mul (local.get $i) (i32.const 16)) (i32.const 0xfff0))))
        (v128.const f32x4 1.25 0.75 1 -1)))
      (local.set $acc (v128.bitselect (local.get $acc) (i8x16.shuffle 3 2 1 0 7 6 5 4 11 10 9 8 15 14 13 12 (local.get $acc) (local.get $acc))
        (i32x4.splat (i32.shl (local.get $i) (i32.const 29)))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))`;

function callsInstance(tier: Tier, consumeFuel = false) {
  const engine = new Engine({ tier, consumeFuel });
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, wat(CALLS)));
  const bytes = instance.getMemory(store, 'mem')!.data();
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + (i >> 8)) & 0xff;
  return { store, instance };
}

const v128 = fc.uint8Array({ minLength: 16, maxLength: 16 });

describe('v128 values in compiled calls', () => {
  it('crosses direct and indirect calls, the API, globals and two results as the interpreter does', () => {
    const compiled = callsInstance('compiled');
    const interpreted = callsInstance('interpreter');
    const call = (side: typeof compiled, name: string, args: unknown[]) => side.instance.getFunc(side.store, name)!.call(side.store, args);
    fc.assert(
      fc.property(v128, v128, fc.integer({ min: 0, max: 1 }), (a, b, k) => {
        for (const [name, args] of [['mix', [a, b]], ['swap', [a, b]], ['chain', [a, k]]] as const) {
          expect(call(compiled, name, [...args]), name).toEqual(call(interpreted, name, [...args]));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('hands a frame with live v128 registers to the interpreter out of fuel and resumes it exactly', () => {
    const reference = callsInstance('interpreter', true);
    reference.store.setFuel(1e9);
    const expected = reference.instance.getFunc(reference.store, 'loop')!.call(reference.store, [300]);
    const used = 1e9 - reference.store.getFuel();
    const before = tierStatistics();
    for (const slice of [3, 11, 97]) {
      const { store, instance } = callsInstance('compiled', true);
      store.setFuel(slice);
      let result: ResumableCall = instance.getFunc(store, 'loop')!.callResumable(store, [300]);
      let consumed = slice - store.getFuel();
      while (!result.done) {
        store.setFuel(slice);
        result = result.resume();
        consumed += slice - store.getFuel();
      }
      expect(result.results, `slices of ${slice}`).toEqual(expected);
      expect(consumed, `slices of ${slice}`).toBe(used);
    }
    expect(tierStatistics().deopts).toBeGreaterThan(before.deopts);
  });
});
