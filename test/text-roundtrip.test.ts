/**
 * Print then parse: every module of the claimed spec suites that compiles, the
 * bench workloads and the real programs' modules (sql.js, hash-wasm). The
 * parsed binary must be the original byte for byte, or, where the original is
 * not in the parser's encoding (longer LEB128s than needed, empty sections,
 * split local runs, a data count section no instruction needs), print to the
 * same text again: the same module after decoding. Either way it must compile.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Engine, Module, parseWat, printModule } from '../src/index.js';
import { testsuiteRoot } from '../spec-tests/suite.js';
import { benchModules, realProgramModules, specModules, type CorpusModule } from './helpers/module-corpus.js';

const engine = new Engine();

function roundTrip(modules: CorpusModule[]): { exact: number; decodedEqual: number } {
  let exact = 0;
  let decodedEqual = 0;
  for (const { name, bytes } of modules) {
    const text = printModule(bytes);
    const back = parseWat(text);
    if (back.length === bytes.length && back.every((b, i) => b === bytes[i])) {
      exact++;
      continue;
    }
    expect(printModule(back), name).toBe(text);
    expect(Module.validate(engine, back), name).toBe(true);
    decodedEqual++;
  }
  return { exact, decodedEqual };
}

describe('print then parse', () => {
  it('the modules of the claimed spec suites', () => {
    expect(existsSync(testsuiteRoot()), `no spec testsuite at ${testsuiteRoot()} (npm test fetches it)`).toBe(true);
    const modules = specModules();
    expect(modules.length).toBeGreaterThan(1000);
    const { exact, decodedEqual } = roundTrip(modules);
    expect(exact + decodedEqual).toBe(modules.length);
    // Only hand-made binaries (binary.wast, binary-leb128.wast ... of 2.0 and 3.0) are not in the parser's encoding.
    expect(exact).toBeGreaterThan(modules.length * 0.95);
  });

  it('the bench workloads', () => {
    const modules = benchModules();
    expect(modules.length).toBeGreaterThanOrEqual(7);
    const { exact, decodedEqual } = roundTrip(modules);
    expect(exact + decodedEqual).toBe(modules.length);
  });

  it('the real programs: sql.js and hash-wasm', () => {
    const modules = realProgramModules();
    expect(modules.filter((m) => m.name.startsWith('sql.js')).length).toBeGreaterThanOrEqual(1);
    expect(modules.filter((m) => m.name.startsWith('hash-wasm')).length).toBeGreaterThanOrEqual(10);
    const { exact, decodedEqual } = roundTrip(modules);
    expect(exact + decodedEqual).toBe(modules.length);
  }, 120_000);
});
