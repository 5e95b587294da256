/**
 * The playground (dist/playground, built by `npm run build`) in headless
 * Chromium without WebAssembly or JIT: examples run to a result, a trap, out of
 * fuel and a memory limit, with the fuel, peak memory and profile the engine
 * reports for the same run in this process; a WASI program's output; text
 * pasted in the editor. Each case leaves a screenshot in test/browser/artifacts/
 * (ignored by git); UPDATE_SCREENSHOT=1 also rewrites playground/screenshot.png,
 * the README's picture.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.js';
import { FuelProfiler } from '../../src/cli/profile.js';
import { Engine, Linker, Module, RuntimeError, Store } from '../../src/index.js';
import { launch, watchedPage, type LaunchedBrowser, type WatchedPage } from './browsers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = join(REPO, 'dist', 'playground', 'examples');
const ARTIFACTS = join(REPO, 'test', 'browser', 'artifacts');
const TIMEOUT_MS = 120_000;

/** What the engine reports for `exportName(args)` of an example with fuel `budget`: outcome, fuel used, peak memory, profile. */
function onEngine(file: string, exportName: string, args: number[], budget: number, maxMemoryBytes = 16 << 20) {
  const engine = new Engine({ consumeFuel: true });
  const store = new Store(engine);
  store.setLimits({ maxMemoryBytes });
  store.setFuel(budget);
  const profiler = new FuelProfiler();
  store.setProfiler(profiler);
  const instance = new Linker(engine).instantiate(store, new Module(engine, readFileSync(join(EXAMPLES, file))));
  let outcome: { results: unknown[] } | { trap: string };
  try {
    outcome = { results: instance.getFunc(store, exportName)!.call(store, args) };
  } catch (error) {
    outcome = { trap: (error as RuntimeError).trap };
  }
  const fuelUsed = budget - store.getFuel();
  profiler.finish(fuelUsed);
  return { outcome, fuelUsed, memoryPeakBytes: store.memoryPeakBytes, profile: profiler.ranking() };
}

/** The same module on V8's WebAssembly, for results that do not depend on purewasm. */
function onV8(file: string, exportName: string, args: number[]): unknown {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(EXAMPLES, file))));
  return (instance.exports[exportName] as (...values: number[]) => unknown)(...args);
}

const fuelText = (fuel: number): string => fuel.toLocaleString('en-US');

let server: StaticServer;
let launched: LaunchedBrowser;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startStaticServer(join(REPO, 'dist'), { index: '/playground/' });
  launched = await launch('chromium');
  watched = await watchedPage(launched.browser);
  page = watched.page;
  await page.setViewport({ width: 1280, height: 1000 });
  await page.goto(`${server.origin}/`);
  await page.waitForSelector('body[data-ready]', { timeout: TIMEOUT_MS });
});

afterAll(async () => {
  await launched?.close();
  await server?.close();
});

async function pickExample(id: string, exportName: string): Promise<void> {
  await page.select('#example', id);
  await page.waitForFunction((name) => (document.getElementById('export') as HTMLSelectElement).value === name && document.getElementById('result')!.dataset.outcome === 'idle', { timeout: TIMEOUT_MS }, exportName);
}

async function runAndRead(): Promise<{ outcome: string; result: string; fuel: string; peak: string; stdout: string; tier: string }> {
  await page.click('#run');
  await page.waitForFunction(() => ['ok', 'trap', 'error'].includes(document.getElementById('result')!.dataset.outcome ?? ''), { timeout: TIMEOUT_MS });
  return page.evaluate(() => {
    const text = (id: string): string => document.getElementById(id)!.textContent ?? '';
    return {
      outcome: document.getElementById('result')!.dataset.outcome!,
      result: text('result'),
      fuel: text('fuel-used'),
      peak: text('peak-memory'),
      stdout: text('stdout'),
      tier: text('tier-used'),
    };
  });
}

/** The profile table's rows: [function, calls, self fuel, self %, total fuel, total %]. */
function profileRows(): Promise<string[][]> {
  return page.$$eval('#profile tbody tr', (rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent ?? '')));
}

function flameNodes(): Promise<{ name: string; self: number; total: number; depth: number; width: string; ancestor: boolean }[]> {
  return page.$$eval('#flame .flame-node', (nodes) =>
    nodes.map((node) => {
      const box = node as HTMLElement;
      return {
        name: box.dataset.name!,
        self: Number(box.dataset.self),
        total: Number(box.dataset.total),
        depth: Number(box.dataset.depth),
        width: box.style.width,
        ancestor: box.classList.contains('flame-ancestor'),
      };
    }),
  );
}

async function screenshot(name: string): Promise<string> {
  const path = join(ARTIFACTS, `playground-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

describe('the playground in Chromium without WebAssembly or JIT', () => {
  it('knows the browser has no WebAssembly', async () => {
    expect(await page.$eval('#native-status', (node) => node.textContent)).toBe('this browser has none right now.');
  });

  it('runs the sort example: result, fuel, peak memory and an interactive profile', async () => {
    await pickExample('sort', 'run');
    const shown = await runAndRead();
    const expected = onEngine('sort.wasm', 'run', [1000], 10_000_000);
    const checksum = onV8('sort.wasm', 'run', [1000]);
    expect(expected.outcome).toEqual({ results: [checksum] });
    expect(shown).toMatchObject({ outcome: 'ok', result: `run(1000) = ${checksum}`, fuel: fuelText(expected.fuelUsed), peak: '65,536 bytes' });

    // The table is the engine's profile of the same run, function by function.
    const percent = (part: number): string => `${((100 * part) / expected.fuelUsed).toFixed(1)}%`;
    expect(await profileRows()).toEqual(
      expected.profile.map((fn) => [fn.name, fuelText(fn.calls), fuelText(fn.selfFuel), percent(fn.selfFuel), fuelText(fn.totalFuel), percent(fn.totalFuel)]),
    );
    expect(expected.profile.map((fn) => fn.name).sort()).toEqual(['at', 'checksum', 'fill', 'merge', 'merge_sort', 'next_random', 'put', 'run']);
    expect(expected.profile.find((fn) => fn.name === 'merge_sort')!.calls).toBe(1999); // 2n - 1 for n = 1000

    const nodes = await flameNodes();
    expect(nodes[0]).toMatchObject({ name: 'all', total: expected.fuelUsed, depth: 0, width: '100%' });
    expect(nodes.find((node) => node.name === 'run')).toMatchObject({ depth: 1, total: expected.fuelUsed });
    expect(nodes.find((node) => node.name === 'next_random')).toMatchObject({ depth: 3 });
    // The recursion: merge_sort within merge_sort, ten levels for 1000 numbers.
    expect(Math.max(...nodes.filter((node) => node.name === 'merge_sort').map((node) => node.depth))).toBeGreaterThanOrEqual(10);
    await screenshot('sort');
    if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(join(ARTIFACTS, 'playground-sort.png'), join(REPO, 'playground', 'screenshot.png'));

    // Clicking a box zooms into it: it spans the width, its ancestors become bars above it.
    await page.click('#flame .flame-node[data-name="merge_sort"][data-depth="2"]');
    const zoomed = await flameNodes();
    expect(zoomed.filter((node) => node.ancestor).map((node) => node.name)).toEqual(['all', 'run']);
    expect(zoomed.find((node) => !node.ancestor)).toMatchObject({ name: 'merge_sort', depth: 2, width: '100%' });
    expect(await page.$eval('#flame-details', (node) => node.textContent)).toMatch(/^merge_sort: [\d,]+ fuel in this stack .* Function merge_sort: 1,999 calls/);
    await page.click('#flame .flame-node[data-name="all"]');
    expect((await flameNodes()).filter((node) => node.ancestor)).toEqual([]);
  }, TIMEOUT_MS);

  it("runs on the compiled tier by default (this page allows eval), and on the interpreter to the same result, fuel and profile", async () => {
    const compiled = await runAndRead();
    const compiledProfile = await profileRows();
    expect(compiled.tier).toBe('compiled');
    await page.select('#tier', 'interpreter');
    const interpreted = await runAndRead();
    expect(interpreted).toEqual({ ...compiled, tier: 'interpreter' });
    expect(await profileRows()).toEqual(compiledProfile);
    await page.select('#tier', 'auto');
  }, TIMEOUT_MS);

  it('shows a trap, with the fuel used up to it and the profile', async () => {
    await pickExample('divide', 'average');
    const shown = await runAndRead();
    const expected = onEngine('divide.wasm', 'average', [0], 10_000_000);
    expect(expected.outcome).toEqual({ trap: 'integerDivideByZero' });
    expect(shown.outcome).toBe('trap');
    expect(shown.result).toMatch(/^Trap: integer divide by zero.*\(integerDivideByZero\)$/);
    expect(shown.fuel).toBe(fuelText(expected.fuelUsed));
    expect((await profileRows()).map((row) => row[0])).toEqual(expect.arrayContaining(['average', 'sum']));
    await screenshot('trap');
  }, TIMEOUT_MS);

  it('stops an endless loop when the fuel runs out', async () => {
    await pickExample('spin', 'spin');
    const shown = await runAndRead();
    expect(shown.outcome).toBe('trap');
    expect(shown.result).toMatch(/^Out of fuel: .*\(outOfFuel\)$/);
    expect(shown.fuel).toBe('1,000,000');
    const [spin] = await profileRows();
    expect(spin).toEqual(['spin', '1', '1,000,000', '100.0%', '1,000,000', '100.0%']);
    await screenshot('out-of-fuel');
  }, TIMEOUT_MS);

  it('stops it at the time limit when the fuel would last', async () => {
    await page.$eval('#fuel', (input) => ((input as HTMLInputElement).value = '1000000000000'));
    await page.$eval('#time', (input) => ((input as HTMLInputElement).value = '300'));
    const shown = await runAndRead();
    expect(shown.outcome).toBe('trap');
    expect(shown.result).toBe('Time limit: stopped after 300 ms (interrupted)');
    await page.$eval('#time', (input) => ((input as HTMLInputElement).value = '5000'));
  }, TIMEOUT_MS);

  it('grows memory up to the memory limit and reports the peak', async () => {
    await pickExample('grow', 'grow');
    const shown = await runAndRead();
    const expected = onEngine('grow.wasm', 'grow', [100], 10_000_000, 2 << 20);
    expect(expected.outcome).toEqual({ results: [32] });
    expect(shown).toMatchObject({ outcome: 'ok', result: 'grow(100) = 32', fuel: fuelText(expected.fuelUsed), peak: '2.00 MiB (2,097,152 bytes)' });
  }, TIMEOUT_MS);

  it("shows a WASI program's output", async () => {
    await pickExample('wasi', '_start');
    const shown = await runAndRead();
    expect(shown).toMatchObject({ outcome: 'ok', result: '_start exited with code 0' });
    expect(shown.stdout).toContain('argv[1]=hello\nargv[2]=world\n');
    expect(shown.stdout).toContain('GREETING=hello from the playground\n');
    expect(shown.stdout).toContain('stdin:HELLO FROM THE PAGE');
    expect(shown.stdout).toContain('lines=3');
  }, TIMEOUT_MS);

  it('runs a .wasm file the user chooses, and rejects an argument of the wrong type', async () => {
    const input = await page.$('input#file');
    await input!.uploadFile(join(EXAMPLES, 'fib.wasm'));
    await page.waitForFunction(() => (document.getElementById('export') as HTMLSelectElement).value === 'fib', { timeout: TIMEOUT_MS });
    expect(await page.$eval('#source-status', (node) => node.textContent)).toBe('Runs the binary fib.wasm (84 bytes).');
    await page.$eval('#args', (field) => ((field as HTMLInputElement).value = '0xf'));
    const expected = onEngine('fib.wasm', 'fib', [15], 10_000_000);
    expect(await runAndRead()).toMatchObject({ outcome: 'ok', result: 'fib(15) = 610', fuel: fuelText(expected.fuelUsed) });
    expect((await profileRows())[0]).toEqual(['fib', '1,973', fuelText(expected.fuelUsed), '100.0%', fuelText(expected.fuelUsed), '100.0%']);

    await page.$eval('#args', (field) => ((field as HTMLInputElement).value = 'fifteen'));
    expect(await runAndRead()).toMatchObject({ outcome: 'error', result: '"fifteen" is not an i32' });
    await page.$eval('#args', (field) => ((field as HTMLInputElement).value = '-0x80000001'));
    expect(await runAndRead()).toMatchObject({ outcome: 'error', result: '-0x80000001 does not fit an i32' });
  }, TIMEOUT_MS);

  it('runs pasted WebAssembly text, or says plainly that this build cannot read text yet', async () => {
    let textSupported = true;
    try {
      new Module(new Engine(), '(module)' as unknown as Uint8Array);
    } catch {
      textSupported = false;
    }
    await page.$eval('#source', (area) => {
      const textarea = area as HTMLTextAreaElement;
      textarea.value = '(module (func (export "answer") (result i32) (i32.const 42)))';
      textarea.dispatchEvent(new Event('input'));
    });
    if (textSupported) {
      await page.waitForFunction(() => (document.getElementById('export') as HTMLSelectElement).value === 'answer', { timeout: TIMEOUT_MS });
      await page.$eval('#args', (input) => ((input as HTMLInputElement).value = ''));
      expect(await runAndRead()).toMatchObject({ outcome: 'ok', result: 'answer() = 42', fuel: '1' });
    } else {
      await page.waitForFunction(() => document.getElementById('source-status')!.dataset.problem === 'true', { timeout: TIMEOUT_MS });
      const message = /cannot read WebAssembly text yet .* drop a \.wasm file or pick an example/;
      expect(await page.$eval('#source-status', (node) => node.textContent)).toMatch(message);
      const shown = await runAndRead();
      expect(shown.outcome).toBe('error');
      expect(shown.result).toMatch(message);
    }
    await screenshot('text');
  }, TIMEOUT_MS);

  it('logged no errors', () => {
    expect(watched.errors()).toEqual([]);
  });
});
