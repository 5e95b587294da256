/** The CLI with text-format modules: run and validate a .wat, print a .wasm as text, bad text. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWat } from '../src/index.js';

const REPO = join(import.meta.dirname, '..');
const MAIN = join(REPO, 'src/cli/main.ts');

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end('');
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const FAC_WAT = `;; factorial, and a WASI hello
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from text\\n")
  (func $fac (export "fac") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
  (func $crash (export "crash") unreachable)
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
`;

let scratch: string;
const file = (name: string, content: string | Uint8Array): string => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'purewasm-text-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.concurrent('text modules on the command line', () => {
  it('run a .wat: its _start, and --invoke', async () => {
    const wat = file('fac.wat', FAC_WAT);
    const start = await cli(['run', wat]);
    expect(start.stderr).toBe('');
    expect(start.stdout).toBe('hello from text\n');
    expect(start.status).toBe(0);
    const invoke = await cli(['run', wat, '--invoke', 'fac', '20']);
    expect(invoke.stdout).toBe('2432902008176640000\n');
    expect(invoke.status).toBe(0);
  });

  it('a trap in a .wat names the function from its identifier', async () => {
    const result = await cli(['run', file('crash.wat', FAC_WAT), '--invoke', 'crash']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/unreachable/);
    expect(result.stderr).toMatch(/crash/);
  });

  it('validate a .wat, and one that is invalid or malformed', async () => {
    const ok = await cli(['validate', file('ok.wat', FAC_WAT)]);
    expect(ok.stdout).toBe('valid\n');
    expect(ok.status).toBe(0);
    const invalid = await cli(['validate', file('invalid.wat', '(module (func (result i32) (i64.const 1)))'), '--json']);
    expect(invalid.status).toBe(1);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ valid: false });
    const malformed = await cli(['validate', file('malformed.wat', '(module\n  (func (result i32)\n    (i32.const 1) (i32.frob)))')]);
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toBe(`error: ${join(scratch, 'malformed.wat')}: 3:20: unknown operator 'i32.frob': expected an instruction\n`);
    const broken = await cli(['run', file('broken.wat', '(module (func (export "f") (i32.const 0x)))'), '--invoke', 'f']);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/^error: .*broken\.wat: 1:39: expected an i32 constant, found '0x'\n$/);
  });

  it('print a .wasm as text that parses back to the same bytes, to stdout or --output', async () => {
    const bytes = parseWat(FAC_WAT);
    const wasm = file('fac.wasm', bytes);
    const printed = await cli(['print', wasm]);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/^\(module\n {2}\(type \(;0;\) \(func \(param i32 i32 i32 i32\) \(result i32\)\)\)/);
    expect(parseWat(printed.stdout)).toEqual(bytes);
    const out = join(scratch, 'fac-printed.wat');
    const toFile = await cli(['print', wasm, '--output', out]);
    expect(toFile.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
    const bad = await cli(['print', file('bad.wasm', Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 5]))]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: .*bad\.wasm: .*byte offset \d+\)\n$/);
    const usage = await cli(['print']);
    expect(usage.status).toBe(2);
  });
});
