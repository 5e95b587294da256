/**
 * Builds the playground into dist/playground/ (after build-browser.ts, whose
 * dist/browser/ it loads): the page, its stylesheet and icon, app.js bundled
 * from playground/app.ts with purewasm and purewasm/wasi left as imports of
 * the browser build, and the examples: each .wat compiled with wabt (a
 * devDependency) keeping its names for the profile, plus two programs compiled
 * from C. dist/ then holds a static site: `npm run playground` serves it.
 */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'playground');
const outdir = join(root, 'dist', 'playground');

/** The entry points app.ts imports from src/, and the browser build file that provides each. */
const FROM_BROWSER_BUILD: Record<string, string> = {
  '../src/index.js': '../browser/purewasm.js',
  '../src/host/wasi/index.js': '../browser/wasi.js',
};

const useBrowserBuild: Plugin = {
  name: 'use-browser-build',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.\/src\// }, (args) => {
      const target = FROM_BROWSER_BUILD[args.path];
      return target === undefined ? undefined : { path: target, external: true };
    });
  },
};

async function main(): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, 'examples'), { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['playground/app.ts'],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    supported: { 'top-level-await': false },
    plugins: [useBrowserBuild],
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css', 'favicon.svg']) copyFileSync(join(source, file), join(outdir, file));

  const wabt = await wabtInit();
  for (const file of readdirSync(join(source, 'examples'))) {
    if (!file.endsWith('.wat')) continue;
    const text = readFileSync(join(source, 'examples', file), 'utf8');
    const parsed = wabt.parseWat(file, text, { bulk_memory: true });
    try {
      writeFileSync(join(outdir, 'examples', file.replace(/\.wat$/, '.wasm')), parsed.toBinary({ write_debug_names: true }).buffer);
    } finally {
      parsed.destroy();
    }
    copyFileSync(join(source, 'examples', file), join(outdir, 'examples', file));
  }
  copyFileSync(join(root, 'examples', 'primes.wasm'), join(outdir, 'examples', 'primes.wasm'));
  copyFileSync(join(root, 'test', 'programs', 'wasi-demo.wasm'), join(outdir, 'examples', 'wasi-demo.wasm'));
  console.log('playground (dist/playground): npm run playground serves it');
}

await main();
