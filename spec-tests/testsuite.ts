/**
 * Finding the official spec testsuite, and fetching it when it is not there:
 * the `.wast` files of WebAssembly/spec at the pinned commits (see
 * spec-tests/README.md), laid out as ../shared/spec-testsuite is:
 * `wasm-2.0/` = test/core of tag wg-2.0, `wasm-3.0/` = test/core of tag wg-3.0
 * with test/legacy as `wasm-3.0/legacy/`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fetchedTestsuiteRoot, testsuiteRoot } from './suite.js';

export const SPEC_REPOSITORY = 'https://github.com/WebAssembly/spec.git';

export interface SuitePin {
  /** The folder of the testsuite root it becomes. */
  folder: string;
  tag: string;
  commit: string;
  /** [path in the repository, path under `folder`] */
  paths: readonly (readonly [string, string])[];
}

export const PINS: readonly SuitePin[] = [
  { folder: 'wasm-2.0', tag: 'wg-2.0', commit: 'fffc6e12fa454e475455a7b58d3b5dc343980c10', paths: [['test/core', '.']] },
  {
    folder: 'wasm-3.0', tag: 'wg-3.0', commit: '9d36019973201a19f9c9ebb0f10828b2fe2374aa',
    paths: [['test/core', '.'], ['test/legacy', 'legacy']],
  },
];

/** The testsuite is missing and could not be fetched; the message is one line that says how to get it. */
export class TestsuiteUnavailable extends Error {
  override name = 'TestsuiteUnavailable';
}

function git(args: string[], cwd?: string): { ok: boolean; output: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) return { ok: false, output: (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : result.error.message };
  const lastLine = `${result.stderr}${result.stdout}`.trim().split('\n').pop() ?? '';
  return { ok: result.status === 0, output: result.status === 0 ? result.stdout.trim() : lastLine };
}

/** Copies the .wast files under `from` into `to`, keeping sub-folders. */
function copyScripts(from: string, to: string): number {
  let count = 0;
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) count += copyScripts(path, join(to, name));
    else if (name.endsWith('.wast')) {
      mkdirSync(to, { recursive: true });
      cpSync(path, join(to, name));
      count++;
    }
  }
  return count;
}

/**
 * Fetches the pinned commits of `url` into `destination` (which must not
 * exist yet). Throws an Error with a one-line reason when it cannot.
 */
export function fetchTestsuite(destination: string, url: string = SPEC_REPOSITORY, pins: readonly SuitePin[] = PINS): void {
  const work = mkdtempSync(join(tmpdir(), 'purewasm-testsuite-'));
  const staging = `${destination}.partial`;
  try {
    const repo = join(work, 'repo');
    const init = git(['init', '-q', repo]);
    if (!init.ok) throw new Error(init.output);
    rmSync(staging, { recursive: true, force: true });
    for (const pin of pins) {
      // By commit where the server allows it (GitHub does); else by tag, checked against the pinned commit.
      let fetched = git(['fetch', '-q', '--depth', '1', '--no-tags', url, pin.commit], repo);
      if (!fetched.ok) fetched = git(['fetch', '-q', '--depth', '1', '--no-tags', url, `refs/tags/${pin.tag}`], repo);
      if (!fetched.ok) throw new Error(`git fetch ${url} ${pin.tag}: ${fetched.output}`);
      const head = git(['rev-parse', 'FETCH_HEAD^{commit}'], repo);
      if (head.output !== pin.commit) throw new Error(`${pin.tag} of ${url} is commit ${head.output}, not the pinned ${pin.commit}`);
      const tree = join(work, pin.folder);
      mkdirSync(tree);
      const checkout = git(['--work-tree', tree, 'checkout', pin.commit, '--', ...pin.paths.map(([from]) => from)], repo);
      if (!checkout.ok) throw new Error(`git checkout ${pin.tag}: ${checkout.output}`);
      for (const [from, to] of pin.paths) copyScripts(join(tree, from), join(staging, pin.folder, to));
    }
    mkdirSync(dirname(destination), { recursive: true });
    renameSync(staging, destination);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The testsuite root, fetched into the ignored folder spec-tests/.testsuite
 * first when it is nowhere (WASM_TESTSUITE, ../shared/spec-testsuite, that
 * folder). WASM_SPEC_REPOSITORY overrides where it is fetched from (a mirror,
 * a local clone). Throws TestsuiteUnavailable with one line when neither works.
 */
export function ensureTestsuite(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  const found = testsuiteRoot();
  if (existsSync(join(found, 'wasm-2.0'))) return found;
  const destination = fetchedTestsuiteRoot();
  const url = process.env['WASM_SPEC_REPOSITORY'] ?? SPEC_REPOSITORY;
  log(`the spec testsuite is not at ${found}: fetching ${PINS.map((p) => p.tag).join(' and ')} of ${url} into ${relative(process.cwd(), destination) || destination}`);
  try {
    fetchTestsuite(destination, url);
  } catch (error) {
    throw new TestsuiteUnavailable(
      `the WebAssembly spec testsuite is missing and fetching it failed (${(error as Error).message}); `
        + 'set WASM_TESTSUITE to a copy laid out as spec-tests/README.md describes, or run again with network access',
    );
  }
  return destination;
}
