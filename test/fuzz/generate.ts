/**
 * Random modules from binaryen's `wasm-opt --translate-to-fuzz`: a seed gives
 * a deterministic input file, wasm-opt (the npm package's JS build, kept
 * loaded in worker threads) turns it into a valid module using only the features purewasm
 * implements, and prepareModule makes it comparable.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { withDeterministicNaNs, withStateExports } from './wasm-binary.js';

/**
 * WebAssembly 2.0, SIMD included, plus tail calls (Node 20's V8 runs them as 3.0
 * defines them): everything else wasm-opt knows stays off.
 */
export const FEATURE_FLAGS = [
  '--mvp-features',
  '--enable-simd',
  '--enable-mutable-globals',
  '--enable-sign-ext',
  '--enable-nontrapping-float-to-int',
  '--enable-multivalue',
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-reference-types',
  '--enable-call-indirect-overlong',
  '--enable-tail-call',
];

/**
 * For `npm run fuzz -- --self`: also multi-memory and memory64, which Node 20's
 * V8 cannot run as 3.0 defines them, so purewasm is compared with itself.
 */
export const SELF_FEATURE_FLAGS = [...FEATURE_FLAGS, '--enable-multimemory', '--enable-memory64', '--enable-exception-handling'];

/**
 * What the harness runs: the generated module with every memory, table and
 * global exported, and NaN results made deterministic (see wasm-binary.ts).
 */
export function prepareModule(generated: Uint8Array): Uint8Array {
  return withDeterministicNaNs(withStateExports(generated));
}

/**
 * Passes run after generation, by seed: optimized code has other shapes
 * (selects, br_tables, merged blocks, reused locals) than raw
 * translate-to-fuzz output, and the lowering treats each differently.
 * (--flatten is left out: with reference types it emits ref.as_non_null,
 * which is not WebAssembly 2.0.)
 */
const PASS_VARIANTS = [[], [], ['-O1'], ['-O2'], ['-O3'], ['-Oz']];

export function passesFor(seed: number): string[] {
  return PASS_VARIANTS[seed % PASS_VARIANTS.length]!;
}

/** mulberry32: a tiny seeded generator, so a seed means the same module on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The raw bytes wasm-opt reads for `seed`: 1 to 32 KiB (module size grows with it). */
export function fuzzInput(seed: number): Uint8Array {
  const random = seededRandom(seed);
  const input = new Uint8Array(1024 + Math.floor(random() * 31 * 1024));
  for (let i = 0; i < input.length; i++) input[i] = Math.floor(random() * 256);
  return input;
}

/** tsx's module-loader API (ESM build), found through its package.json so that any working directory works. */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifest), exports['./esm/api']!.import.default)).href;
}

/** Worker threads do not inherit the TypeScript loader: the worker registers tsx, then loads its module. */
const WORKER_BOOT = `import(${JSON.stringify(tsxEsmApi())})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./wasm-opt-worker.ts', import.meta.url).href)}); })`;

/**
 * A pool of worker threads running wasm-opt (see wasm-opt-worker.ts). Jobs go
 * to the worker with the fewest pending; close() when done.
 */
export class WasmOptPool {
  private readonly workers: { worker: Worker; pending: Map<number, { resolve: () => void; reject: (e: Error) => void }> }[];
  private nextId = 0;

  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_BOOT, { eval: true });
      const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
      worker.on('message', ({ id, error }: { id: number; error?: string }) => {
        const job = pending.get(id)!;
        pending.delete(id);
        if (error === undefined) job.resolve();
        else job.reject(new Error(error));
      });
      worker.on('error', (error) => {
        for (const job of pending.values()) job.reject(error);
        pending.clear();
      });
      return { worker, pending };
    });
  }

  run(args: string[]): Promise<void> {
    const target = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ id, args });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  /** The module for `seed`, prepared for comparison (prepareModule). */
  async generate(seed: number, featureFlags: readonly string[] = FEATURE_FLAGS): Promise<Uint8Array> {
    const dir = await mkdtemp(join(tmpdir(), 'purewasm-fuzz-'));
    try {
      const input = join(dir, 'input.dat');
      const output = join(dir, 'module.wasm');
      await writeFile(input, fuzzInput(seed));
      await this.run(['--translate-to-fuzz', input, '-o', output, '--quiet', ...featureFlags, ...passesFor(seed)]);
      return prepareModule(new Uint8Array(await readFile(output)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * Generates the modules for `seeds`, keeping `ahead` in flight, and yields
 * them in seed order.
 */
export async function* generateModules(
  pool: WasmOptPool,
  seeds: readonly number[],
  ahead: number,
  featureFlags: readonly string[] = FEATURE_FLAGS,
): AsyncGenerator<{ seed: number; bytes: Uint8Array } | { seed: number; error: Error }> {
  const pending: Promise<Uint8Array>[] = [];
  let next = 0;
  const launch = (): void => {
    const seed = seeds[next++]!;
    const job = pool.generate(seed, featureFlags);
    job.catch(() => undefined); // observed when its turn comes
    pending.push(job);
  };
  while (next < seeds.length && pending.length < ahead) launch();
  for (const seed of seeds) {
    let result: { seed: number; bytes: Uint8Array } | { seed: number; error: Error };
    try {
      result = { seed, bytes: await pending.shift()! };
    } catch (error) {
      result = { seed, error: error as Error };
    }
    if (next < seeds.length) launch();
    yield result;
  }
}
