/**
 * Modules to round-trip through the printer and the parser: every module of
 * the claimed spec suites that compiles, the bench workloads, and the real
 * programs of the tests (sql.js's .wasm files, the modules hash-wasm embeds
 * as base64).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine, Module, parseWat } from '../../src/index.js';
import { parseCommand, readScript, type ModuleDef } from '../../spec-tests/script.js';
import { claimedSuiteFiles, testsuiteRoot } from '../../spec-tests/suite.js';

export interface CorpusModule {
  name: string;
  bytes: Uint8Array;
}

const engine = new Engine();

function compiles(bytes: Uint8Array): boolean {
  return Module.validate(engine, bytes);
}

function moduleDefOf(command: ReturnType<typeof parseCommand>): ModuleDef | undefined {
  if (command.kind === 'module') return command.module;
  if ('module' in command) return command.module;
  if (command.kind === 'assert_trap' && 'source' in command.target) return command.target;
  return undefined;
}

/** The binary of every module in the claimed spec scripts that parses and compiles. */
export function specModules(): CorpusModule[] {
  if (!existsSync(testsuiteRoot())) return [];
  const out: CorpusModule[] = [];
  for (const file of claimedSuiteFiles()) {
    const name = file.slice(testsuiteRoot().length + 1);
    for (const entry of readScript(readFileSync(file, 'utf8'))) {
      let def: ModuleDef | undefined;
      try {
        def = moduleDefOf(parseCommand(entry.expr, entry.source));
      } catch {
        continue; // not a command with a module
      }
      if (!def) continue;
      let bytes: Uint8Array;
      try {
        bytes = def.source.kind === 'binary' ? def.source.bytes : parseWat(def.source.text);
      } catch {
        continue; // malformed text
      }
      if (compiles(bytes)) out.push({ name: `${name}:${entry.line}`, bytes });
    }
  }
  return out;
}

const REPO = join(import.meta.dirname, '../..');

export function benchModules(): CorpusModule[] {
  const folder = join(REPO, 'bench/workloads');
  return readdirSync(folder).filter((f) => f.endsWith('.wasm')).sort().map((f) => ({ name: `bench/workloads/${f}`, bytes: readFileSync(join(folder, f)) }));
}

/** sql.js's .wasm files and every module hash-wasm embeds (base64 strings that decode to `\0asm`). */
export function realProgramModules(): CorpusModule[] {
  const out: CorpusModule[] = [];
  const sqlDist = join(REPO, 'node_modules/sql.js/dist');
  if (existsSync(sqlDist)) {
    for (const f of readdirSync(sqlDist).filter((f) => f.endsWith('.wasm')).sort()) out.push({ name: `sql.js/dist/${f}`, bytes: readFileSync(join(sqlDist, f)) });
  }
  const hashDist = join(REPO, 'node_modules/hash-wasm/dist');
  if (existsSync(hashDist)) {
    for (const f of readdirSync(hashDist).filter((f) => f.endsWith('.umd.min.js')).sort()) {
      const source = readFileSync(join(hashDist, f), 'utf8');
      for (const match of source.matchAll(/"(AGFzbQ[A-Za-z0-9+/=]+)"/g)) {
        out.push({ name: `hash-wasm/dist/${f}`, bytes: Buffer.from(match[1]!, 'base64') });
      }
    }
  }
  return out;
}
