/**
 * The browser build (`npm run build` runs it after tsc): dist/browser/ gets
 * - an ES module per entry point (purewasm.js, js-api.js, sandbox.js, wasi.js)
 *   that a page loads with one `<script type="module">` or `import`; the code
 *   they share sits in chunks they import, so a page using two entry points
 *   loads the engine once and `instanceof` works across them;
 * - purewasm.global.js, a classic script that defines the global `purewasm`
 *   with the exports of all four entry points;
 * - a source map for each file, and sizes.json with the bytes each entry
 *   point loads (itself and its chunks), raw and gzipped, which it also prints.
 * The build fails on a `node:` import (platform 'browser') and on top-level
 * await; test/browser/bundle.test.ts checks the output for Node globals.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'browser');

/** Output name (without .js) -> source entry point; the names match the package's subpaths. */
const BROWSER_ENTRIES: Record<string, string> = {
  purewasm: 'src/index.ts',
  'js-api': 'src/js-api/index.ts',
  sandbox: 'src/host/sandbox/index.ts',
  wasi: 'src/host/wasi/index.ts',
};

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // Error classes and the js-api interfaces keep their `name` (messages and spec conformance use it).
  keepNames: true,
  sourcemap: true,
  sourcesContent: true,
  // A page must be able to load the bundle as a classic or module script without waiting on anything.
  supported: { 'top-level-await': false },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

interface BundleSize {
  file: string;
  /** Bytes the entry point loads: the file and every chunk it imports. */
  bytes: number;
  gzipBytes: number;
}

/** The output files an output imports statically, itself first. */
function closure(metafile: Metafile, output: string): string[] {
  const seen = new Set<string>([output]);
  for (const file of seen) {
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (!imported.external && imported.kind === 'import-statement') seen.add(imported.path);
    }
  }
  return [...seen];
}

function sizeOf(files: string[]): { bytes: number; gzipBytes: number } {
  const text = Buffer.concat(files.map((file) => readFileSync(join(root, file))));
  return { bytes: text.length, gzipBytes: gzipSync(text, { level: 9 }).length };
}

async function main(): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  const modules = await build({
    ...common,
    entryPoints: Object.entries(BROWSER_ENTRIES).map(([out, source]) => ({ out, in: source })),
    outdir,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  const global = await build({
    ...common,
    entryPoints: [{ out: 'purewasm.global', in: 'scripts/browser-global.ts' }],
    outdir,
    format: 'iife',
    globalName: 'purewasm',
  });

  const sizes: BundleSize[] = [];
  for (const [output, meta] of Object.entries(modules.metafile!.outputs)) {
    if (meta.entryPoint === undefined) continue;
    sizes.push({ file: relative(outdir, join(root, output)), ...sizeOf(closure(modules.metafile!, output)) });
  }
  for (const [output, meta] of Object.entries(global.metafile!.outputs)) {
    if (meta.entryPoint !== undefined) sizes.push({ file: relative(outdir, join(root, output)), ...sizeOf([output]) });
  }
  writeFileSync(join(outdir, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log('browser build (dist/browser), bytes each entry point loads:');
  for (const size of sizes) console.log(`  ${size.file.padEnd(20)} ${kib(size.bytes).padStart(10)}  ${kib(size.gzipBytes).padStart(9)} gzipped`);
}

await main();
