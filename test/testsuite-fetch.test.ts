/**
 * A fresh clone has no spec testsuite beside it: the test command fetches it
 * at the pinned commits (here from a local bare repository standing in for
 * WebAssembly/spec), and when it cannot, stops with one line saying how to get it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTestsuite, PINS, type SuitePin } from '../spec-tests/testsuite.js';

const REPO = join(import.meta.dirname, '..');
let scratch: string;
let fixtureUrl: string;
let pins: SuitePin[];

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=fixture', '-c', 'user.email=fixture@example.invalid', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

function put(root: string, path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'purewasm-fetch-'));
  const work = join(scratch, 'spec');
  mkdirSync(work);
  git(work, 'init', '-q');
  put(work, 'test/core/a.wast', '(module)');
  put(work, 'test/core/simd/b.wast', '(module)');
  put(work, 'test/core/run.py', '# not a script');
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'wg-2.0');
  git(work, 'tag', 'wg-2.0');
  const commit2 = git(work, 'rev-parse', 'HEAD');
  put(work, 'test/core/c.wast', '(module)');
  put(work, 'test/legacy/exceptions/d.wast', '(module)');
  put(work, 'document/big.txt', 'not fetched into the testsuite');
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'wg-3.0');
  git(work, 'tag', 'wg-3.0');
  const commit3 = git(work, 'rev-parse', 'HEAD');
  git(scratch, 'clone', '-q', '--bare', work, 'spec.git');
  fixtureUrl = `file://${join(scratch, 'spec.git')}`;
  pins = PINS.map((pin) => ({ ...pin, commit: pin.tag === 'wg-2.0' ? commit2 : commit3 }));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function listFiles(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(root, join(prefix, entry.name)) : [join(prefix, entry.name)]).sort();
}

describe('fetching the spec testsuite', () => {
  it('fetches the pinned commits into the testsuite layout', () => {
    const destination = join(scratch, 'fetched');
    fetchTestsuite(destination, fixtureUrl, pins);
    expect(listFiles(destination)).toEqual([
      'wasm-2.0/a.wast', 'wasm-2.0/simd/b.wast',
      'wasm-3.0/a.wast', 'wasm-3.0/c.wast', 'wasm-3.0/legacy/exceptions/d.wast', 'wasm-3.0/simd/b.wast',
    ]);
    expect(existsSync(`${destination}.partial`)).toBe(false);
  });

  it('refuses a tag that is not at the pinned commit, and leaves nothing behind', () => {
    const destination = join(scratch, 'moved');
    // A pinned commit the repository does not have: fetched by tag instead, which is elsewhere.
    const wrong = pins.map((pin) => ({ ...pin, commit: pin.tag === 'wg-3.0' ? '1234567890'.repeat(4) : pin.commit }));
    expect(() => fetchTestsuite(destination, fixtureUrl, wrong)).toThrow(/^wg-3\.0 of .* is commit [0-9a-f]{40}, not the pinned [0-9a-f]{40}$/);
    expect(existsSync(destination)).toBe(false);
  });

  it('an unreachable repository is a one-line error', () => {
    let message = '';
    try {
      fetchTestsuite(join(scratch, 'never'), `file://${join(scratch, 'absent.git')}`, pins);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^git fetch .*absent\.git wg-2\.0: .+/);
    expect(message).not.toContain('\n');
  });

  it('npm test and npm run spec on a clone with no testsuite and no way to fetch it: one clear line, no stack trace', () => {
    const clone = join(scratch, 'clone');
    for (const dir of ['src', 'spec-tests', 'test']) cpSync(join(REPO, dir), join(clone, dir), { recursive: true, filter: (path) => !path.includes('.testsuite') });
    writeFileSync(join(clone, 'package.json'), '{ "type": "module" }');
    const env: NodeJS.ProcessEnv = { ...process.env, WASM_SPEC_REPOSITORY: `file://${join(scratch, 'absent.git')}` };
    delete env['WASM_TESTSUITE'];
    for (const script of ['test/run-all.ts', 'spec-tests/cli.ts']) {
      const result = spawnSync(process.execPath, ['--import', 'tsx', join(clone, script)], { cwd: REPO, env, encoding: 'utf8' });
      expect(result.status, script).toBe(1);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^the spec testsuite is not at .*: fetching wg-2\.0 and wg-3\.0 of file:.*absent\.git into /);
      expect(lines[1]).toMatch(/^error: the WebAssembly spec testsuite is missing and fetching it failed \(git fetch .*\); set WASM_TESTSUITE to a copy laid out as spec-tests\/README\.md describes, or run again with network access$/);
      expect(lines).toHaveLength(2);
      expect(result.stdout).toBe('');
    }
  });

  it('npm test on a clone fetches the testsuite (from the local repository) before running', () => {
    const clone = join(scratch, 'clone-fetching');
    cpSync(join(REPO, 'spec-tests'), join(clone, 'spec-tests'), { recursive: true, filter: (path) => !path.includes('.testsuite') });
    cpSync(join(REPO, 'src'), join(clone, 'src'), { recursive: true });
    writeFileSync(join(clone, 'package.json'), '{ "type": "module" }');
    // The pins of the real testsuite cannot match the fixture's commits, so this stops at the pin check, after fetching.
    const env: NodeJS.ProcessEnv = { ...process.env, WASM_SPEC_REPOSITORY: fixtureUrl };
    delete env['WASM_TESTSUITE'];
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(clone, 'spec-tests/cli.ts')], { cwd: REPO, env, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/wg-2\.0 of file:.*spec\.git is commit [0-9a-f]{40}, not the pinned fffc6e12fa454e475455a7b58d3b5dc343980c10/);
    expect(existsSync(join(clone, 'spec-tests/.testsuite'))).toBe(false);
  });
});
