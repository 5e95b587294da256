/**
 * The CI batch of differential fuzzing (the full run is `npm run fuzz`): a
 * fixed range of binaryen translate-to-fuzz modules, and every module in
 * test/fuzz/corpus (divergences found earlier, kept once fixed), each run on
 * V8 and on both of purewasm's tiers (metered, unmetered, sliced) with
 * identical results, traps, import calls, memory, tables and globals, and the
 * same fuel on both tiers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkModule, compareInstructionCounts, compareTiers } from './fuzz/compare.js';
import { generateModules, WasmOptPool } from './fuzz/generate.js';
import { observePurewasm, observeV8, TIERS } from './fuzz/harness.js';
import { GROW_FUEL_PER_PAGE, readModuleInfo, usesSimd, withInstructionCounter } from './fuzz/wasm-binary.js';
import { wat } from './helpers/wat.js';

const CI_SEEDS = Array.from({ length: 40 }, (_, i) => 100_000 + i);
const corpusDir = new URL('./fuzz/corpus/', import.meta.url);

describe('differential fuzzing against V8', () => {
  it(`${CI_SEEDS.length} generated modules behave as on V8`, async () => {
    const pool = new WasmOptPool(1);
    let compared = 0;
    let withSimd = 0;
    const divergent: string[] = [];
    try {
      for await (const generated of generateModules(pool, CI_SEEDS, 2)) {
        // wasm-opt sometimes emits post-2.0 instructions: such a seed is not a module to compare.
        if ('error' in generated) continue;
        const report = checkModule(generated.bytes);
        compared++;
        if (usesSimd(generated.bytes)) withSimd++;
        expect(report.comparisons).toBeGreaterThan(0);
        expect([...report.purewasm.keys()].filter((run) => run.endsWith(' metered'))).toEqual(TIERS.map((tier) => `${tier} metered`));
        for (const d of report.divergences) divergent.push(`seed ${generated.seed}: ${d.cause} at ${d.export ?? 'final state'}`);
      }
    } finally {
      await pool.close();
    }
    expect(divergent).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(CI_SEEDS.length * 0.9);
    // binaryen puts SIMD in nearly every module it generates with --enable-simd.
    expect(withSimd).toBeGreaterThanOrEqual(compared / 2);
  }, 300_000);

  const corpus = readdirSync(corpusDir).filter((name) => name.endsWith('.wasm'));
  it.each(corpus)('corpus %s behaves as on V8', (name) => {
    const report = checkModule(new Uint8Array(readFileSync(new URL(name, corpusDir))));
    expect(report.divergences).toEqual([]);
  });
});

describe('the fuel oracle: V8 counting the instructions it executes', () => {
  // sum(n): loop 1, body 10 per iteration, final local.get 1 (10n + 2, as counted in fuel.test.ts);
  // trap: local.get, i32.const, i32.div_u by zero = 3, the trapping instruction included;
  // grow: 5 instructions, and 2 pages grown at GROW_FUEL_PER_PAGE (the second grow fails: nothing).
  const bytes = wat(`(module
    (memory 1 4)
    (func (export "sum") (param $n i32) (result i32) (local $acc i32)
      (loop $l
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (local.get $n)))
      local.get $acc)
    (func (export "trap") (param i32) (result i32)
      (if (result i32) (i32.const 0) (then (i32.const 1)) (else (i32.div_u (local.get 0) (i32.const 0)))))
    (func (export "grow") (result i32)
      (drop (memory.grow (i32.const 2)))
      (memory.grow (i32.const 10))))`);
  const info = readModuleInfo(bytes);

  it('counts every executed instruction but else and end, the trapping one included, and pages grown', () => {
    const counted = observeV8(bytes, info, true);
    const sumArgs = /^call sum\((-?\d+)\)$/.exec(counted.events[0]!)!;
    const n = Number(sumArgs[1]) >>> 0;
    // The harness picks sum's argument; a large n would not finish: it is one of its small edge values here.
    expect(n).toBeLessThan(100_000);
    // if 1 + its condition 1, else branch: local.get, i32.const, i32.div_u.
    const afterTrap = 10 * n + 2 + 5;
    expect(counted.instructions).toEqual([0, 10 * n + 2, afterTrap, afterTrap + 5 + 2 * GROW_FUEL_PER_PAGE]);
    expect(counted.events.slice(-3)).toEqual(['-> trap div0', 'call grow()', '-> -1']);
  });

  it('agrees with purewasm fuel, and a difference is reported', () => {
    const counted = observeV8(bytes, info, true);
    const metered = observePurewasm(bytes, info, { kind: 'metered' });
    expect(compareInstructionCounts(info, counted, metered)).toEqual({ divergence: null, comparisons: 4 });
    const off = { ...metered, instructions: metered.instructions!.map((count, i) => (i === 2 ? count - 1 : count)) };
    expect(compareInstructionCounts(info, counted, off).divergence).toMatchObject({ cause: 'fuel', export: 'trap' });
  });

  it('is the same on both tiers, metered and sliced, and a difference between the tiers is reported', () => {
    const interpreter = observePurewasm(bytes, info, { kind: 'sliced', slice: 5000 }, 'interpreter');
    const compiled = observePurewasm(bytes, info, { kind: 'sliced', slice: 5000 }, 'compiled');
    expect(compiled.instructions).toEqual(interpreter.instructions);
    expect(compareTiers(info, interpreter, compiled, 'compiled sliced').divergences).toEqual([]);
    const moreFuel = { ...compiled, instructions: compiled.instructions!.map((count, i) => (i === 1 ? count + 1 : count)) };
    expect(compareTiers(info, interpreter, moreFuel, 'compiled sliced').divergences).toMatchObject([{ cause: 'fuel', export: 'sum', reference: 'interpreter' }]);
    const otherResult = { ...compiled, events: compiled.events.map((line, i) => (i === 1 ? '-> 0' : line)) };
    expect(compareTiers(info, interpreter, otherResult, 'compiled sliced').divergences).toMatchObject([{ cause: 'result', export: 'sum' }]);
  });

  it('leaves the module valid and its other globals and exports where they were', () => {
    const counting = withInstructionCounter(bytes);
    expect(WebAssembly.validate(counting as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(readModuleInfo(counting).exports.slice(0, info.exports.length)).toEqual(info.exports);
  });
});
