/**
 * Every ```ts block of README.md runs, typechecks, and prints what its
 * `// prints: ...` comments say. A block preceded by `<!-- not-tested -->` is
 * skipped. The package's import specifiers ('purewasm', 'purewasm/sandbox', ...)
 * are rewritten to the source files that package.json's exports point at (via
 * dist/), so the examples test the public entry points without a build. The
 * blocks run from the repository root, as the README tells readers to.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SKIP_MARK = '<!-- not-tested -->';
const PRINTS = /\/\/ prints: (.*)$/;

interface Example {
  /** The heading of the README section the block is in, for test names. */
  section: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
}

function extractExamples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  let section = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = line.slice(3);
    if (!line.startsWith('```')) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    if (line === '```ts' && lines[previous]?.trim() !== SKIP_MARK) {
      examples.push({ section, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    }
    i = end;
  }
  return examples;
}

/** 'purewasm/...' -> the source file behind package.json's "exports" entry. */
function packageEntries(): Map<string, string> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, { import: string }>;
  };
  const entries = new Map<string, string>();
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    const source = join(ROOT, target.import.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
    if (!existsSync(source)) throw new Error(`package.json exports ${specifier} -> ${target.import}, but ${source} does not exist`);
    entries.set(specifier, source);
  }
  return entries;
}

/** Rewrites the package's import specifiers to relative `.js` paths of the sources, from `dir`. */
function rewriteImports(code: string, entries: Map<string, string>, dir: string): string {
  return code.replace(/from '(purewasm(?:\/[^']*)?)'/g, (_match, specifier: string) => {
    const source = entries.get(specifier);
    if (source === undefined) throw new Error(`README imports '${specifier}', which package.json does not export`);
    const path = relative(dir, source).replace(/\\/g, '/').replace(/\.ts$/, '.js');
    return `from '${path.startsWith('.') ? path : `./${path}`}'`;
  });
}

const examples = extractExamples(README);
const entries = packageEntries();
// .scratch/ is git-ignored; inside the repo so that bare imports (wabt) resolve from node_modules.
mkdirSync(join(ROOT, '.scratch'), { recursive: true });
const workDir = mkdtempSync(join(ROOT, '.scratch', 'readme-examples-'));
const files = examples.map((example, index) => {
  const file = join(workDir, `example-${index + 1}.mts`);
  writeFileSync(file, `${rewriteImports(example.code, entries, workDir)}\n`);
  return file;
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('README.md', () => {
  it('has runnable TypeScript examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const specifier of entries.keys()) expect(README, `an example imports '${specifier}'`).toContain(`from '${specifier}'`);
  });

  it('keeps the placeholders the lead fills in', () => {
    for (const name of ['spec-figures', 'bench-figures', 'known-failures']) {
      expect(README).toMatch(new RegExp(`<!-- ${name} -->[\\s\\S]*<!-- /${name} -->`));
    }
  });

  examples.forEach((example, index) => {
    it.concurrent(`example ${index + 1} (${example.section}, README.md:${example.line}) runs and prints what it says`, async () => {
      const expected = example.code.split('\n').flatMap((line) => {
        const match = PRINTS.exec(line);
        return match ? [match[1]!.trim()] : [];
      });
      const { stdout } = await run(process.execPath, ['--import', 'tsx', files[index]!], {
        cwd: ROOT,
        timeout: 30_000,
        encoding: 'utf8',
      }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
        throw new Error(`example ${index + 1} exited with ${error.code}:\n${error.stderr ?? ''}${error.stdout ?? ''}`);
      });
      const printed = stdout.split('\n').map((line) => line.trimEnd());
      if (printed.at(-1) === '') printed.pop();
      expect(printed).toEqual(expected);
    });
  });

  // Errors inside src/ are `npm run typecheck`'s business; this test reports only the examples' own.
  it.concurrent('examples typecheck against the public API', async () => {
    const tsconfig = join(workDir, 'tsconfig.json');
    writeFileSync(tsconfig, JSON.stringify({
      extends: relative(workDir, join(ROOT, 'tsconfig.json')).replace(/\\/g, '/'),
      compilerOptions: { noEmit: true, rootDir: ROOT },
      include: ['*.mts'],
    }));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const output = await run(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' })
      .then(({ stdout }) => stdout, (error: { stdout?: string }) => error.stdout ?? '');
    const inExamples = output.split('\n').filter((line) => /example-\d+\.mts\(\d+,\d+\): error/.test(line));
    expect(inExamples, 'tsc errors in the README examples (example-N is the N-th tested ts block)').toEqual([]);
  });
});
