/**
 * `npm run bench:text [-- --runs=N]`: the text format's speed. (1) The largest
 * .wast script of the spec testsuite, tokenized whole and read as the spec
 * runner reads it (its s-expressions, then its modules parsed to binaries);
 * (2) sql.js's module printed as text (the largest .wat at hand, ~14 MB), parsed,
 * and printed;
 * each time is the median of N runs (default 5) after one warm-up run, as MB of
 * text per second.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWat, printModule } from '../src/index.js';
import { tokenize } from '../src/text/lexer.js';
import { parseCommand, readScript } from '../spec-tests/script.js';
import { collectWastFiles, testsuiteRoot } from '../spec-tests/suite.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const runs = runsArg ? Number(runsArg.slice(7)) : 5;

function median(run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

function report(what: string, chars: number, ms: number): void {
  console.log(`${what}: ${(chars / 1e6).toFixed(2)} MB in ${ms.toFixed(0)} ms = ${(chars / 1e6 / (ms / 1000)).toFixed(1)} MB/s`);
}

const largest = collectWastFiles([testsuiteRoot()]).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
const script = readFileSync(largest, 'utf8');
console.log(`${largest.slice(testsuiteRoot().length + 1)} (${(script.length / 1e6).toFixed(2)} MB), the largest .wast:`);
report('  tokenize it whole', script.length, median(() => tokenize(script)));
// As the spec runner reads it: the script's s-expressions, then every module in it.
report('  read it as the spec runner does', script.length, median(() => {
  for (const entry of readScript(script)) {
    const command = parseCommand(entry.expr, entry.source);
    const def = command.kind === 'module' ? command.module : 'module' in command ? command.module : undefined;
    if (def === undefined || def.source.kind === 'binary') continue;
    try {
      parseWat(def.source.text);
    } catch {
      // assert_malformed text: rejecting it is part of reading the script
    }
  }
}));

const sqlite = readFileSync(join(repoRoot, 'node_modules/sql.js/dist/sql-wasm.wasm'));
const text = printModule(sqlite);
console.log(`sql.js's sql-wasm.wasm (${(sqlite.length / 1e6).toFixed(2)} MB binary) as text:`);
report('  parse', text.length, median(() => parseWat(text)));
report('  print', text.length, median(() => printModule(sqlite)));
