/**
 * The browser build (scripts/build-browser.ts, run by `npm run build`): every
 * entry point is there with its source map, imports nothing from Node, uses no
 * Node global, and is what the package's `browser` export condition names.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(REPO, 'dist', 'browser');

function outputs(dir = OUT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? outputs(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
}

describe('the browser build', () => {
  it('has every entry point, the classic script and their sizes (npm run build makes them)', () => {
    expect(existsSync(OUT), 'dist/browser is missing: run npm run build').toBe(true);
    const sizes = JSON.parse(readFileSync(join(OUT, 'sizes.json'), 'utf8')) as { file: string; bytes: number; gzipBytes: number }[];
    expect(sizes.map((size) => size.file).sort()).toEqual(['js-api.js', 'purewasm.global.js', 'purewasm.js', 'sandbox.js', 'wasi.js']);
    for (const size of sizes) {
      expect(size.gzipBytes).toBeGreaterThan(0);
      expect(size.gzipBytes).toBeLessThan(size.bytes);
    }
  });

  it.each([/\bnode:/, /\brequire\(/, /\bprocess\./, /\bBuffer\./, /\b__dirname\b/, /\b__filename\b/, /\bimport\.meta\b/])(
    'no output uses Node: %s',
    (pattern) => {
      for (const file of outputs()) expect(pattern.test(readFileSync(file, 'utf8')), `${file} matches ${pattern}`).toBe(false);
    },
  );

  it('each output has a source map that names the TypeScript sources', () => {
    for (const file of outputs()) {
      expect(readFileSync(file, 'utf8')).toMatch(/\/\/# sourceMappingURL=[\w.-]+\.js\.map\n?$/);
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      if (map.sources.length === 0) continue; // a chunk of re-exports only
      expect(map.sources.some((source) => source.endsWith('.ts'))).toBe(true);
      expect(map.sourcesContent?.length).toBe(map.sources.length);
    }
  });

  it("the package's browser condition names these files, and not the Node-only wasi/node", () => {
    const { exports } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string | null>> };
    expect(Object.fromEntries(Object.entries(exports).map(([path, conditions]) => [path, conditions.browser]))).toEqual({
      '.': './dist/browser/purewasm.js',
      './js-api': './dist/browser/js-api.js',
      './sandbox': './dist/browser/sandbox.js',
      './wasi': './dist/browser/wasi.js',
      './wasi/node': null,
    });
    // The condition comes before 'import', so bundlers targeting browsers pick it.
    for (const conditions of Object.values(exports)) expect(Object.keys(conditions)).toEqual(['types', 'browser', 'import']);
  });
});
