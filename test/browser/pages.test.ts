/**
 * purewasm's browser build in real browsers with no WebAssembly and no JIT
 * (Chromium --jitless, Firefox with wasm and its JITs off by preference):
 * unmodified glue code (sql.js, hash-wasm) on install() under a strict CSP and
 * on a page that allows eval, the sandbox keeping a page responsive, and NaN
 * payloads in two engines that NaN-box their values. Expected results come from
 * the same programs on V8's native WebAssembly in this process.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as hashWasm from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.js';
import { guest, wat } from '../sandbox/guests/index.js';
import { launch, watchedPage, type BrowserName, type LaunchedBrowser, type WatchedPage } from './browsers.js';
import { hashWasmWorkload, sqlJsWorkload } from './pages/workloads.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Generous: the browsers interpret everything twice (JS bytecode running purewasm's interpreter). */
const PAGE_TIMEOUT_MS = 180_000;

/** The strict policy: scripts from the page's origin only, so no eval or new Function. */
const STRICT_CSP = "default-src 'self'; script-src 'self'";
/**
 * The eval page enforces a policy that allows eval and reports the strict one
 * without enforcing it, so each code generation shows up as a violation event.
 */
const EVAL_CSP = "default-src 'self'; script-src 'self' 'unsafe-eval'";

type Csp = 'strict' | 'eval';

function pageHeaders(url: URL): Record<string, string> {
  if (!url.pathname.endsWith('.html')) return {};
  const csp = url.searchParams.get('csp');
  if (csp === 'strict') return { 'content-security-policy': STRICT_CSP };
  if (csp === 'eval') return { 'content-security-policy': EVAL_CSP, 'content-security-policy-report-only': "script-src 'self'" };
  return {};
}

/** What programs.js reports. */
interface ProgramsReport {
  error?: string;
  nativeWebAssembly: string;
  installed: boolean;
  engineTier: unknown;
  results: unknown;
  violations: { directive: string; disposition: string; blockedURI: string }[];
}

const CSP_MESSAGE = /Content[- ]Security[- ]Policy|unsafe-eval/i;

/** Under the strict CSP with the default tier: nothing in the console but, at most, the one report of the tier probe. */
function expectAtMostTheProbeReport(errors: string[]): void {
  expect(errors.length).toBeLessThanOrEqual(1);
  for (const error of errors) expect(error).toMatch(CSP_MESSAGE);
}

/**
 * What `tier: 'auto'` resolves to where code generation is allowed: the compiled tier
 * where JS numbers keep NaN payloads (V8), the interpreter where the engine NaN-boxes
 * its values and would canonicalise them (SpiderMonkey; see README, "The two tiers").
 */
const AUTO_TIER_WITH_EVAL = { chromium: 'compiled', firefox: 'interpreter' } as const;

/** The NaN module: f32/f64 bits in and out as i32/i64, through memory, reinterprets, globals, locals and calls. */
const NAN_MODULE = wat(`(module
  (memory (export "memory") 1)
  (global $g32 (mut f32) (f32.const 0))
  (global $g64 (mut f64) (f64.const 0))
  (func $id32 (param f32) (result f32) (local.get 0))
  (func $id64 (param f64) (result f64) (local.get 0))
  (func (export "f32_path") (param $bits i32) (result i32)
    (f32.store (i32.const 0) (f32.reinterpret_i32 (local.get $bits)))
    (global.set $g32 (f32.load (i32.const 0)))
    (i32.reinterpret_f32 (call $id32 (global.get $g32))))
  (func (export "f64_path") (param $bits i64) (result i64)
    (f64.store (i32.const 8) (f64.reinterpret_i64 (local.get $bits)))
    (global.set $g64 (f64.load (i32.const 8)))
    (i64.reinterpret_f64 (call $id64 (global.get $g64))))
  (func (export "f32_memcopy") (param $bits i32) (result i32)
    (i32.store (i32.const 16) (local.get $bits))
    (f32.store (i32.const 20) (f32.load (i32.const 16)))
    (i32.load (i32.const 20)))
  (func (export "f64_memcopy") (param $bits i64) (result i64)
    (i64.store (i32.const 24) (local.get $bits))
    (f64.store (i32.const 32) (f64.load (i32.const 24)))
    (i64.load (i32.const 32)))
  (func (export "f32_neg") (param $bits i32) (result i32) (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get $bits)))))
  (func (export "f64_abs") (param $bits i64) (result i64) (i64.reinterpret_f64 (f64.abs (f64.reinterpret_i64 (local.get $bits)))))
  (func (export "f64_select") (param $bits i64) (result i64)
    (i64.reinterpret_f64 (select (f64.reinterpret_i64 (local.get $bits)) (f64.const 1) (i32.const 1))))
  (func (export "f32_const") (result i32) (i32.reinterpret_f32 (f32.const -nan:0x200001)))
  (func (export "f64_const") (result i64) (i64.reinterpret_f64 (f64.const nan:0x4000000000001))))`);

const F32_PAYLOADS = ['0x7fc00001', '0x7f800001', '0xffc12345', '0x7fbfffff', '0x7fc00000'];
const F64_PAYLOADS = ['0x7ff0000000000001', '0xfff8deadbeef0001', '0x7ff4000000000000', '0x7ff8000000000000', '0xffffffffffffffff'];
const NAN_CALLS: [string, string | null][] = [
  ...['f32_path', 'f32_memcopy', 'f32_neg'].flatMap((name) => F32_PAYLOADS.map((bits): [string, string] => [name, BigInt(bits).toString()])),
  ...['f64_path', 'f64_memcopy', 'f64_abs', 'f64_select'].flatMap((name) => F64_PAYLOADS.map((bits): [string, string] => [name, BigInt(bits).toString()])),
  ['f32_const', null],
  ['f64_const', null],
];

/** The NaN calls on V8's WebAssembly, reported as nan.js reports them. */
async function nativeNanResults(): Promise<{ results: string[]; memory: { f32: string; f64: string } }> {
  const instance = await WebAssembly.instantiate(new WebAssembly.Module(new Uint8Array(NAN_MODULE)));
  const exports = instance.exports as Record<string, (...args: unknown[]) => number | bigint> & { memory: WebAssembly.Memory };
  const results = NAN_CALLS.map(([name, bits]) => {
    const wide = name.startsWith('f64');
    const result = exports[name]!(...(bits === null ? [] : [wide ? BigInt.asIntN(64, BigInt(bits)) : Number(BigInt.asIntN(32, BigInt(bits)))]));
    return wide ? BigInt.asUintN(64, result as bigint).toString() : String((result as number) >>> 0);
  });
  const view = new DataView(exports.memory.buffer);
  return { results, memory: { f32: String(view.getUint32(0, true)), f64: view.getBigUint64(8, true).toString() } };
}

let server: StaticServer;
let nativePrograms: unknown;
let nativeNan: Awaited<ReturnType<typeof nativeNanResults>>;

beforeAll(async () => {
  server = await startStaticServer(REPO, { headers: pageHeaders });
  const initSqlJs = createRequire(import.meta.url)('sql.js') as (options?: object) => Promise<unknown>;
  nativePrograms = { sql: await sqlJsWorkload(initSqlJs), hashes: await hashWasmWorkload(hashWasm) };
  nativeNan = await nativeNanResults();
});

afterAll(async () => {
  await server?.close();
});

describe.each(['chromium', 'firefox'] as BrowserName[])('%s without WebAssembly or JIT', (browserName) => {
  let launched: LaunchedBrowser;
  const programRuns = new Map<string, Promise<{ watched: WatchedPage; report: ProgramsReport }>>();

  beforeAll(async () => {
    launched = await launch(browserName);
  });

  afterAll(async () => {
    await launched?.close();
  });

  /** Loads programs.html once per policy and tier, and waits for its report. */
  function programs(csp: Csp, tier?: string): Promise<{ watched: WatchedPage; report: ProgramsReport }> {
    const key = `${csp} ${tier}`;
    let run = programRuns.get(key);
    if (run === undefined) {
      run = (async () => {
        const watched = await watchedPage(launched.browser);
        const query = new URLSearchParams({ csp, ...(tier === undefined ? {} : { tier }) });
        await watched.page.goto(`${server.origin}/test/browser/pages/programs.html?${query}`);
        await watched.page.waitForFunction(() => 'purewasmResult' in window, { timeout: PAGE_TIMEOUT_MS });
        const report = (await watched.page.evaluate(() => (window as unknown as { purewasmResult: Promise<unknown> }).purewasmResult)) as ProgramsReport;
        return { watched, report };
      })();
      programRuns.set(key, run);
    }
    return run;
  }

  async function expectNativeResults(csp: Csp, tier?: string): Promise<ProgramsReport> {
    const { report } = await programs(csp, tier);
    expect(report.error).toBeUndefined();
    expect(report.nativeWebAssembly).toBe('undefined');
    expect(report.installed).toBe(true);
    expect(report.results).toEqual(nativePrograms);
    return report;
  }

  describe("strict CSP (script-src 'self', no unsafe-eval)", () => {
    it("tier 'interpreter': sql.js and hash-wasm give the native results, with nothing in the console", async () => {
      const report = await expectNativeResults('strict', 'interpreter');
      const { watched } = await programs('strict', 'interpreter');
      expect(report.violations).toEqual([]);
      expect(watched.errors()).toEqual([]);
    }, PAGE_TIMEOUT_MS);

    it('default tier: the native results, and at most the one CSP report of the tier probe', async () => {
      const report = await expectNativeResults('strict');
      const { watched } = await programs('strict');
      expect(report.violations.length).toBeLessThanOrEqual(1);
      for (const violation of report.violations) expect(violation).toMatchObject({ directive: 'script-src', disposition: 'enforce', blockedURI: 'eval' });
      expectAtMostTheProbeReport(watched.errors());
    }, PAGE_TIMEOUT_MS);

    it("default tier resolves to 'interpreter'", async () => {
      const { report } = await programs('strict');
      expect(report.engineTier).toBe('interpreter');
    }, PAGE_TIMEOUT_MS);
  });

  describe('a page that allows eval', () => {
    it(`default tier resolves to '${AUTO_TIER_WITH_EVAL[browserName]}', with the native results`, async () => {
      const report = await expectNativeResults('eval');
      expect(report.engineTier).toBe(AUTO_TIER_WITH_EVAL[browserName]);
      const { watched } = await programs('eval');
      expect(watched.errors().filter((error) => !CSP_MESSAGE.test(error))).toEqual([]);
    }, PAGE_TIMEOUT_MS);

    it("tier 'compiled': sql.js and hash-wasm give the native results from generated code", async () => {
      const report = await expectNativeResults('eval', 'compiled');
      expect(report.engineTier).toBe('compiled');
      // The report-only strict policy reports each code generation without blocking it.
      expect(report.violations.filter((violation) => violation.blockedURI === 'eval' && violation.disposition === 'report').length).toBeGreaterThan(1);
      const { watched } = await programs('eval', 'compiled');
      expect(watched.errors().filter((error) => !CSP_MESSAGE.test(error))).toEqual([]);
    }, PAGE_TIMEOUT_MS);
  });

  describe('the sandbox', () => {
    let watched: WatchedPage;
    type GuestRun = { kind: string; frames: number; elapsedMs: number; output?: string; fuelConsumed?: number };
    const runGuest = (bytes: Uint8Array, input: string, mode: 'sync' | 'async', timeoutMs: number): Promise<GuestRun> =>
      watched.page.evaluate(
        (guestBytes, guestInput, runMode, timeout) =>
          (window as unknown as { runGuest: (...args: unknown[]) => Promise<GuestRun> }).runGuest(guestBytes, guestInput, runMode, timeout),
        [...bytes],
        input,
        mode,
        timeoutMs,
      );

    beforeAll(async () => {
      watched = await watchedPage(launched.browser);
      await watched.page.goto(`${server.origin}/test/browser/pages/sandbox.html?csp=strict`);
      await watched.page.waitForFunction(() => 'sandboxReady' in window, { timeout: PAGE_TIMEOUT_MS });
    }, PAGE_TIMEOUT_MS);

    it('executeAsync ends an endless guest at its timeout while the page keeps drawing frames', async () => {
      const run = await runGuest(guest('infinite-loop.wat'), '', 'async', 1000);
      expect(run.kind).toBe('Timeout');
      expect(run.elapsedMs).toBeGreaterThanOrEqual(900);
      // About 60 a second when the page is free; a blocked page draws none.
      expect(run.frames).toBeGreaterThanOrEqual(5);
    }, PAGE_TIMEOUT_MS);

    it('execute ends it at the timeout too, but the page draws nothing meanwhile', async () => {
      const run = await runGuest(guest('infinite-loop.wat'), '', 'sync', 500);
      expect(run.kind).toBe('Timeout');
      expect(run.frames).toBe(0);
    }, PAGE_TIMEOUT_MS);

    it('a compiled C guest gives the same output and fuel in slices as in one run', async () => {
      const sync = await runGuest(guest('collatz.wasm'), '3000', 'sync', 60_000);
      const sliced = await runGuest(guest('collatz.wasm'), '3000', 'async', 60_000);
      expect(sync.kind).toBe('finished');
      // Below 3000, 2919 has the longest Collatz sequence: 216 steps.
      expect(sync.output).toBe('2919 216');
      expect(sliced).toMatchObject({ kind: 'finished', output: sync.output, fuelConsumed: sync.fuelConsumed });
      // More than one 100,000-fuel slice, so executeAsync really yielded and resumed.
      expect(sync.fuelConsumed).toBeGreaterThan(300_000);
      expectAtMostTheProbeReport(watched.errors());
    }, PAGE_TIMEOUT_MS);
  });

  it('the classic-script build defines the global purewasm, under the strict CSP', async () => {
    const watched = await watchedPage(launched.browser);
    await watched.page.goto(`${server.origin}/test/browser/pages/classic.html?csp=strict`);
    await watched.page.waitForFunction(() => 'classicResult' in window, { timeout: PAGE_TIMEOUT_MS });
    expect(await watched.page.evaluate(() => (window as unknown as { classicResult: unknown }).classicResult)).toEqual({
      sum: 42,
      fuelUsed: 3, // local.get, local.get, i32.add
      installed: true,
      viaNamespace: 42,
      entryPoints: ['Engine', 'install', 'WebAssembly', 'WasmRuntime', 'SandboxConfig', 'WASI', 'memfs'],
    });
    expectAtMostTheProbeReport(watched.errors());
    await watched.page.close();
  }, PAGE_TIMEOUT_MS);

  it('the strict policy really blocks eval, and the eval page allows it', async () => {
    const tryEval = async (csp: Csp): Promise<string> => {
      const watched = await watchedPage(launched.browser);
      await watched.page.goto(`${server.origin}/test/browser/pages/csp-check.html?csp=${csp}`);
      await watched.page.waitForFunction(() => 'evalOutcome' in window, { timeout: PAGE_TIMEOUT_MS });
      const outcome = await watched.page.evaluate(() => (window as unknown as { evalOutcome: string }).evalOutcome);
      await watched.page.close();
      return outcome;
    };
    expect(await tryEval('strict')).toBe('EvalError');
    expect(await tryEval('eval')).toBe('42');
  }, PAGE_TIMEOUT_MS);

  describe('NaN payloads through f32/f64 loads, stores and reinterprets', () => {
    async function nanOnPage(csp: Csp, tier: string): Promise<unknown> {
      const watched = await watchedPage(launched.browser);
      await watched.page.goto(`${server.origin}/test/browser/pages/nan.html?csp=${csp}`);
      await watched.page.waitForFunction(() => 'nanReady' in window, { timeout: PAGE_TIMEOUT_MS });
      const report = await watched.page.evaluate(
        (bytes, engineTier, calls) => (window as unknown as { nanResults: (...args: unknown[]) => unknown }).nanResults(bytes, engineTier, calls),
        [...NAN_MODULE],
        tier,
        NAN_CALLS,
      );
      await watched.page.close();
      return report;
    }

    it('keep every bit on the interpreter tier', async () => {
      const { results, memory } = (await nanOnPage('strict', 'interpreter')) as typeof nativeNan;
      expect({ results, memory }).toEqual(nativeNan);
    }, PAGE_TIMEOUT_MS);

    it(`keep every bit on the default tier where eval is allowed ('${AUTO_TIER_WITH_EVAL[browserName]}')`, async () => {
      expect(await nanOnPage('eval', 'auto')).toEqual({ tier: AUTO_TIER_WITH_EVAL[browserName], ...nativeNan });
    }, PAGE_TIMEOUT_MS);

    it("on tier 'compiled' forced", async () => {
      const report = (await nanOnPage('eval', 'compiled')) as typeof nativeNan & { tier: string };
      expect(report.tier).toBe('compiled');
      if (AUTO_TIER_WITH_EVAL[browserName] === 'compiled') {
        expect(report).toEqual({ tier: 'compiled', ...nativeNan });
        return;
      }
      // A NaN-boxing engine canonicalises an f64 NaN held in a JS variable, payload and sign
      // (the documented reason 'auto' keeps the interpreter here); f32 values are held as bits.
      const f32 = (results: string[]): string[] => results.filter((_, i) => !NAN_CALLS[i]![0].startsWith('f64'));
      expect(f32(report.results)).toEqual(f32(nativeNan.results));
      expect(report.memory.f32).toBe(nativeNan.memory.f32);
      const isF64NaN = (bits: string): boolean => (BigInt(bits) & 0x7ff0000000000000n) === 0x7ff0000000000000n && (BigInt(bits) & 0xfffffffffffffn) !== 0n;
      for (const [i, bits] of report.results.entries()) if (NAN_CALLS[i]![0].startsWith('f64')) expect(isF64NaN(bits), bits).toBe(true);
    }, PAGE_TIMEOUT_MS);
  });
});
