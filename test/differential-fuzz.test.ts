/**
 * The CI batch of differential fuzzing (the full run is `npm run fuzz`): a
 * fixed range of binaryen translate-to-fuzz modules, and every module in
 * test/fuzz/corpus (divergences found earlier, kept once fixed), each run on
 * V8 and on purewasm (metered, unmetered, sliced) with identical results,
 * traps, import calls, memory, tables and globals.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkModule } from './fuzz/compare.js';
import { generateModules, WasmOptPool } from './fuzz/generate.js';

const CI_SEEDS = Array.from({ length: 40 }, (_, i) => 100_000 + i);
const corpusDir = new URL('./fuzz/corpus/', import.meta.url);

describe('differential fuzzing against V8', () => {
  it(`${CI_SEEDS.length} generated modules behave as on V8`, async () => {
    const pool = new WasmOptPool(1);
    let compared = 0;
    const divergent: string[] = [];
    try {
      for await (const generated of generateModules(pool, CI_SEEDS, 2)) {
        // wasm-opt sometimes emits post-2.0 instructions: such a seed is not a module to compare.
        if ('error' in generated) continue;
        const report = checkModule(generated.bytes);
        compared++;
        expect(report.comparisons).toBeGreaterThan(0);
        for (const d of report.divergences) divergent.push(`seed ${generated.seed}: ${d.cause} at ${d.export ?? 'final state'}`);
      }
    } finally {
      await pool.close();
    }
    expect(divergent).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(CI_SEEDS.length * 0.9);
  }, 300_000);

  const corpus = readdirSync(corpusDir).filter((name) => name.endsWith('.wasm'));
  it.each(corpus)('corpus %s behaves as on V8', (name) => {
    const report = checkModule(new Uint8Array(readFileSync(new URL(name, corpusDir))));
    expect(report.divergences).toEqual([]);
  });
});
