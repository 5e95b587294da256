/**
 * Real programs from npm, unmodified, on purewasm's js-api: sql.js, hash-wasm,
 * wabt and blake3-jit (a SIMD build picked by feature detection), each in a child Node that has no usable native WebAssembly
 * (`--jitless`, and `--disallow-code-generation-from-strings` with the native
 * namespace deleted), compared with the same workload on V8's WebAssembly in
 * this process and with published test vectors.
 *
 * The child is TypeScript run by tsx: tsx transforms with esbuild in a
 * separate process and needs neither a JIT nor code generation from strings,
 * so the children run src/ as it is, with no build step.
 */

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildReport } from './real-programs/child.js';
import { scenarios, type ScenarioName } from './real-programs/scenarios.js';
import { ROWS } from './real-programs/sqljs.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./real-programs/child.ts', import.meta.url));

/** How each child Node is started, and what it must find when it starts. */
const MODES = {
  jitless: { flags: ['--jitless'], nativeWebAssembly: 'undefined', codeGenerationFromStrings: 'allowed' },
  'no-codegen': { flags: ['--disallow-code-generation-from-strings'], nativeWebAssembly: 'object', codeGenerationFromStrings: 'blocked' },
} as const;
type Mode = keyof typeof MODES;

/** Generous: a slow CI machine with both cores busy; the heaviest child takes about 8 s on an idle one. */
const CHILD_TIMEOUT_MS = 100_000;

interface ChildRun {
  report: ChildReport;
  wallMs: number;
}

function runChild(scenario: ScenarioName, mode: Mode): Promise<ChildRun> {
  const args = [...MODES[mode].flags, '--import', 'tsx', CHILD, scenario];
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: REPO, timeout: CHILD_TIMEOUT_MS, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${scenario} (${mode}) failed: ${error.message}\n${stderr}`));
        return;
      }
      resolve({ report: JSON.parse(stdout) as ChildReport, wallMs: Math.round(performance.now() - start) });
    });
  });
}

/** Published answers, so that a bug shared by V8 and purewasm (or in the package) cannot pass. */
const KNOWN: { [Name in ScenarioName]: (results: Awaited<ReturnType<(typeof scenarios)[Name]>>) => void } = {
  'sql.js': (results) => {
    expect(results.sum).toEqual([[(ROWS * (ROWS - 1)) / 2]]);
    const groups = results.groups[0]!.values.map(([group, count, sum]) => [group, count, sum]);
    const expected = Array.from({ length: 7 }, (_, k) => {
      const members = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 7 === k);
      return [`g${k}`, members.length, members.reduce((a, b) => a + b, 0)];
    });
    expect(groups).toEqual(expected);
    expect(results.version).toMatch(/^3\.\d+\.\d+$/);
  },
  'hash-wasm': (results) => {
    expect(results).toEqual({
      // FIPS 180-2, appendix B.1 and B.2.
      sha256Abc: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      sha256TwoBlocks: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
      // BLAKE3 test_vectors.json, input_len 0, 1 and 1025 (first 32 bytes of "hash").
      blake3Empty: 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
      blake3OneByte: '2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213',
      blake3TwoChunks: 'd00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444',
      // xxHash64, seed 0: the empty input, "abc", and python-xxhash's documented example.
      xxhash64Empty: 'ef46db3751d8e999',
      xxhash64Abc: '44bc2cf5ad770999',
      xxhash64Long: 'fbcea83c8a378bf1',
      // The Argon2 reference implementation's src/test.c: Argon2id v19, t=2, m=2^8 KiB, p=1.
      argon2id: '9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe',
    });
  },
  'blake3-jit': (results) => {
    expect(results.featureDetectSimd).toBe(true);
    expect(results.simdBuildUsed).toBe(true);
  },
  wabt: (results) => {
    expect(results.binaryHex.startsWith('0061736d01000000')).toBe(true);
    expect(results.roundTripText).toContain('(func $factorial (type 0) (param $n i64) (result i64)');
    expect(results.roundTripText).toContain('(data (;0;) (i32.const 16) "purewasm")');
    expect(results.validationError).toContain('type mismatch in implicit return, expected [i32] but got [i64]');
    expect(results.factorial20).toBe('2432902008176640000');
    expect(results.fnv1aOfData).toBe(fnv1a32(new TextEncoder().encode('purewasm')));
    expect(results.divmod).toEqual([14, 2]);
    expect(results.hypot).toBe(5);
  },
};

function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

const timings: { scenario: string; mode: string; tier?: string; workloadMs: number; wallMs: number; maxRssMb?: number }[] = [];

afterAll(() => {
  const rows = timings.map((t) => `  ${t.scenario.padEnd(10)} ${t.mode.padEnd(11)} ${(t.tier ?? '').padEnd(11)} ${String(t.workloadMs).padStart(6)} ms workload ${String(t.wallMs).padStart(6)} ms wall${t.maxRssMb === undefined ? '' : ` ${t.maxRssMb} MB max RSS`}`);
  console.log(`real programs, time per scenario and mode:\n${rows.join('\n')}`);
});

describe.each(Object.keys(scenarios) as ScenarioName[])('%s', (scenario) => {
  let native: unknown;

  beforeAll(async () => {
    const start = performance.now();
    native = await scenarios[scenario]();
    const ms = Math.round(performance.now() - start);
    timings.push({ scenario, mode: 'native V8', workloadMs: ms, wallMs: ms });
  });

  it('gives the published answers on native WebAssembly', () => {
    KNOWN[scenario](native as never);
  });

  it.each(Object.keys(MODES) as Mode[])('gives the same results on purewasm in node %s', async (mode) => {
    const { report, wallMs } = await runChild(scenario, mode);
    timings.push({ scenario, mode, tier: report.tier, workloadMs: report.workloadMs, wallMs, maxRssMb: report.maxRssMb });
    expect(report.nativeWebAssembly).toBe(MODES[mode].nativeWebAssembly);
    expect(report.codeGenerationFromStrings).toBe(MODES[mode].codeGenerationFromStrings);
    // Without code generation only the interpreter can run: 'auto' picks it and says nothing.
    if (MODES[mode].codeGenerationFromStrings === 'blocked') expect(report.tier).toBe('interpreter');
    expect(report.ranOnPurewasm).toBe(true);
    expect(report.results).toEqual(native);
    KNOWN[scenario](report.results as never);
  }, CHILD_TIMEOUT_MS + 10_000);
});

describe('blake3-jit against another BLAKE3', () => {
  it("hashes as hash-wasm's BLAKE3 does (native WebAssembly), so the comparisons above check right answers", async () => {
    const { blake3 } = await import('hash-wasm');
    const { BLAKE3_JIT_LENGTHS } = await import('./real-programs/blake3-jit.js');
    const { blake3VectorInput } = await import('./real-programs/hash-wasm.js');
    const native = await scenarios['blake3-jit']();
    const expected = await Promise.all(BLAKE3_JIT_LENGTHS.map((length) => blake3(blake3VectorInput(length))));
    expect(native.digests).toEqual(expected);
  });
});
