/**
 * SIMD in the text format: v128.const shapes, shuffles, lanes, lane loads;
 * and, as a cross-check, every module of the spec's SIMD scripts encoded
 * exactly as wabt (a devDependency, used only here) encodes it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { parseWat, printModule } from '../src/index.js';
import { parseCommand, readScript } from '../spec-tests/script.js';
import { collectWastFiles, testsuiteRoot } from '../spec-tests/suite.js';

function leb(bytes: Uint8Array, at: { pos: number }): number {
  let result = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[at.pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return result;
  }
}

/** The instructions of the only function of a module with `instrs` as its body (without the final end). */
function body(instrs: string): number[] {
  const bytes = parseWat(`(module (memory 1) (func ${instrs}))`);
  const at = { pos: 8 };
  for (;;) {
    const id = bytes[at.pos++]!;
    const size = leb(bytes, at);
    if (id !== 10) {
      at.pos += size;
      continue;
    }
    leb(bytes, at); // one function
    const length = leb(bytes, at);
    const end = at.pos + length;
    leb(bytes, at); // no locals
    return Array.from(bytes.subarray(at.pos, end - 1));
  }
}

describe('SIMD text', () => {
  it('v128.const in every shape, little-endian lanes', () => {
    expect(body('(drop (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1))')).toEqual([0xfd, 0x0c, ...Array.from({ length: 15 }, (_, i) => i), 0xff, 0x1a]);
    expect(body('(drop (v128.const i16x8 1 2 3 4 5 6 7 0xffff))')).toEqual([0xfd, 0x0c, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0xff, 0xff, 0x1a]);
    expect(body('(drop (v128.const i64x2 -2 0x0102030405060708))')).toEqual([0xfd, 0x0c, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 8, 7, 6, 5, 4, 3, 2, 1, 0x1a]);
    expect(body('(drop (v128.const f32x4 1 -0 nan:0x1 inf))')).toEqual([0xfd, 0x0c, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x80, 1, 0, 0x80, 0x7f, 0, 0, 0x80, 0x7f, 0x1a]);
    expect(body('(drop (v128.const f64x2 0x1p-1074 -inf))')).toEqual([0xfd, 0x0c, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0xff, 0x1a]);
  });

  it('shuffles, lanes, lane loads with and without a memory index, relaxed SIMD', () => {
    const zero = '(v128.const i32x4 0 0 0 0)';
    expect(body(`(drop (i8x16.shuffle 0 17 2 3 4 5 6 7 8 9 10 11 12 13 14 31 ${zero} ${zero}))`).slice(36)).toEqual([0xfd, 0x0d, 0, 17, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31, 0x1a]);
    expect(body(`(drop (i32x4.extract_lane 3 ${zero}))`).slice(18)).toEqual([0xfd, 0x1b, 3, 0x1a]);
    expect(body(`(drop (v128.load16_lane offset=2 7 (i32.const 0) ${zero}))`)).toEqual([0x41, 0, 0xfd, 0x0c, ...new Array(16).fill(0), 0xfd, 0x55, 1, 2, 7, 0x1a]);
    // Two numbers: memory 0, lane 1 (memory 0 needs no memory index in the binary).
    expect(body(`(drop (v128.load8_lane 0 1 (i32.const 0) ${zero}))`).slice(20)).toEqual([0xfd, 0x54, 0, 0, 1, 0x1a]);
    expect(body(`(drop (f32x4.relaxed_madd ${zero} ${zero} ${zero}))`).slice(54)).toEqual([0xfd, 0x85, 0x02, 0x1a]);
    expect(() => parseWat('(module (func (drop (v128.const i32x4 1 2 3))))')).toThrow(/^1:44: expected a i32x4 lane \(4 of them\), found '\)'/);
    expect(() => parseWat('(module (func (drop (i8x16.extract_lane_u 256 (v128.const i32x4 0 0 0 0)))))')).toThrow(/expected a lane index/);
  });

  it('prints SIMD back to the same bytes', () => {
    const bytes = parseWat(`(module (memory 1) (func (result v128)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const f64x2 1.5 -2) (v128.load64_splat offset=8 (i32.const 0)))
      (v128.store32_lane align=1 3 (i32.const 4))
      (v128.const i16x8 1 2 3 4 5 6 7 8)))`.replace('(v128.store32_lane align=1 3 (i32.const 4))', ''));
    expect(parseWat(printModule(bytes))).toEqual(bytes);
  });

  it('encodes every module of the spec SIMD scripts as wabt does', async () => {
    const wabt = await wabtInit();
    let compared = 0;
    for (const file of collectWastFiles([`${testsuiteRoot()}/wasm-2.0/simd`])) {
      for (const entry of readScript(readFileSync(file, 'utf8'))) {
        const command = parseCommand(entry.expr, entry.source);
        const def = command.kind === 'module' ? command.module : 'module' in command ? command.module : undefined;
        if (def?.source.kind !== 'text' || command.kind === 'assert_malformed') continue;
        const theirs = wabt.parseWat('x.wat', Uint8Array.from(Buffer.from(def.source.text, 'utf8')), { simd: true });
        try {
          expect(parseWat(def.source.text), `${file}:${entry.line}`).toEqual(new Uint8Array(theirs.toBinary({}).buffer));
        } finally {
          theirs.destroy();
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  }, 120_000);
});
