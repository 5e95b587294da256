/**
 * Every SIMD instruction of WebAssembly 2.0 against V8's native WebAssembly on
 * random vectors (NaN payloads, infinities, zeros, lane boundaries included)
 * and random lane immediates. Each instruction gets a module whose `run`
 * loads its operands from memory (v128 at 0, 16, 32; a scalar at 48; memory
 * instructions address bytes 96..) and stores the result at 64; both engines
 * run it on the same memory and the result bytes must agree.
 *
 * NaN rule: where V8's lane is a NaN produced by float arithmetic (the spec's
 * nondeterministic NaN payloads), purewasm's must be a NaN with the quiet bit
 * set (an arithmetic NaN); every other lane, NaNs moved by bit operations
 * included, must match bit for bit. Relaxed SIMD is left out: Node 20's V8
 * has none, and its answers are machine-dependent by design.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, Linker, Module, Store } from '../src/index.js';
import { FIRST_RELAXED_SIMD, SIMD } from '../src/validator/simd-opcodes.js';
import { body, immediates, MEMORY_OPERAND, moduleBytes, RESULT, SCALAR, scalar, vector } from './helpers/simd-modules.js';

/** Instructions whose float results may be NaNs of any payload (the spec's nans rule). */
const ARITHMETIC_NAN = /^f(32x4|64x2)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64x2_zero|promote_low_f32x4)$/;

function laneWidthOf(name: string): 4 | 8 {
  return name.startsWith('f64x2') ? 8 : 4;
}

function isArithmeticNaN(bytes: Uint8Array, at: number, width: 4 | 8): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  if (width === 4) {
    const bits = view.getUint32(at, true);
    return (bits & 0x7fc00000) === 0x7fc00000;
  }
  const hi = view.getUint32(at + 4, true);
  return (hi & 0x7ff80000) === 0x7ff80000;
}

function isNaNLane(bytes: Uint8Array, at: number, width: 4 | 8): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return width === 4 ? Number.isNaN(view.getFloat32(at, true)) : Number.isNaN(view.getFloat64(at, true));
}

/** Compares the 16 result bytes, with the NaN rule of the file comment for arithmetic float instructions. */
function expectSameResult(name: string, expected: Uint8Array, actual: Uint8Array, context: string): void {
  if (ARITHMETIC_NAN.test(name)) {
    const width = name === 'f32x4.demote_f64x2_zero' ? 4 : name === 'f64x2.promote_low_f32x4' ? 8 : laneWidthOf(name);
    for (let at = 0; at < 16; at += width) {
      if (isNaNLane(expected, at, width)) {
        expect(isArithmeticNaN(actual, at, width), `${context}: lane at byte ${at} must be an arithmetic NaN`).toBe(true);
      } else {
        expect(Array.from(actual.subarray(at, at + width)), `${context}: lane at byte ${at}`).toEqual(Array.from(expected.subarray(at, at + width)));
      }
    }
    return;
  }
  expect(Array.from(actual), context).toEqual(Array.from(expected));
}

// ---------------------------------------------------------------- the engines

interface Runner {
  run(memoryImage: Uint8Array): Uint8Array;
}

function nativeRunner(bytes: Uint8Array<ArrayBuffer>): Runner {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const memory = instance.exports['mem'] as WebAssembly.Memory;
  const run = instance.exports['run'] as () => void;
  return {
    run(image) {
      const data = new Uint8Array(memory.buffer);
      data.fill(0, 0, 256);
      data.set(image);
      run();
      return data.slice(RESULT, RESULT + 16);
    },
  };
}

const engine = new Engine();
const store = new Store(engine);
const linker = new Linker(engine);

function purewasmRunner(bytes: Uint8Array): Runner {
  const instance = linker.instantiate(store, new Module(engine, bytes));
  const memory = instance.getMemory(store, 'mem')!;
  const run = instance.getFunc(store, 'run')!;
  return {
    run(image) {
      const data = memory.data();
      data.fill(0, 0, 256);
      data.set(image);
      run.call(store, []);
      return memory.data().slice(RESULT, RESULT + 16);
    },
  };
}

const INSTRUCTIONS = [...SIMD].filter(([sub, instr]) => sub < FIRST_RELAXED_SIMD && instr.form !== 'const');

describe('every SIMD instruction agrees with V8 on random vectors', () => {
  it('covers all 2.0 SIMD instructions but v128.const (which the spec tests and every module here use)', () => {
    expect(INSTRUCTIONS.length).toBe(235);
  });

  it.each(INSTRUCTIONS.map(([sub, instr]) => [instr.name, sub, instr] as const))('%s', (name, sub, instr) => {
    const modules = new Map<string, [Runner, Runner]>();
    fc.assert(
      fc.property(immediates(instr), vector, vector, vector, scalar, vector, (imm, a, b, c, s, m) => {
        const key = imm.join(',');
        let pair = modules.get(key);
        if (pair === undefined) {
          const bytes = moduleBytes(body(sub, instr, imm));
          pair = [nativeRunner(bytes), purewasmRunner(bytes)];
          modules.set(key, pair);
        }
        const image = new Uint8Array(MEMORY_OPERAND + 16);
        image.set(a, 0);
        image.set(b, 16);
        image.set(c, 32);
        image.set(s, SCALAR);
        image.set(m, MEMORY_OPERAND);
        const expected = pair[0].run(image);
        const actual = pair[1].run(image);
        expectSameResult(name, expected, actual, `${name} [${imm.join(' ')}]`);
      }),
      { numRuns: 300 },
    );
  });
});
