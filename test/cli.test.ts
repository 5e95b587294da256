/**
 * The purewasm CLI (src/cli), run from source as a child process: every flag of `run`,
 * `validate` and `wast`, bad input (missing file, not a module, malformed, invalid,
 * missing export, bad arguments, unknown options), the C WASI demo with a real
 * directory, environment, arguments and stdin, fuel profiles and determinism.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import { FuelProfiler, profileTable } from '../src/cli/profile.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(REPO, 'src/cli/main.ts');
const DEMO = join(REPO, 'test/programs/wasi-demo.wasm');
const SAMPLE_WAST = join(REPO, 'test/cli/sample.wast');

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `purewasm ARGS...` from source; stdin gets `input` (default: empty). */
function cli(args: string[], options: { input?: string; main?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', options.main ?? MAIN, ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => {}); // a guest that never reads stdin may exit before we finish writing
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The single "error: ..." line a failure prints. */
function errorLine(result: CliResult): string {
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const MATH_WAT = `(module
  (memory (export "memory") 1)
  (global (export "answer") i32 (i32.const 42))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
  (func (export "div") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "half") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))
  (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
  (func (export "is_null") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func $boom (export "boom") (unreachable))
  (func (export "spin") (loop (br 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2))))))))`;

/** A WASI command whose _start calls proc_exit(42). */
const EXIT_WAT = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 42)) (unreachable)))`;

const files = {
  math: '',
  mathText: '',
  exit: '',
  bigMemory: '',
  unlinkable: '',
  invalid: '',
  truncated: '',
};
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'purewasm-cli-'));
  const wabt = await wabtInit();
  const wat = (source: string): Uint8Array => {
    const module = wabt.parseWat('test.wat', source, { reference_types: true, multi_value: true });
    try {
      return module.toBinary({ write_debug_names: true }).buffer;
    } finally {
      module.destroy();
    }
  };
  const put = (name: string, bytes: Uint8Array | string): string => {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    return path;
  };
  files.math = put('math.wasm', wat(MATH_WAT));
  files.mathText = put('math.wat', MATH_WAT);
  files.exit = put('exit.wasm', wat(EXIT_WAT));
  files.bigMemory = put('big-memory.wasm', wat('(module (memory 2) (func (export "f")))'));
  files.unlinkable = put('unlinkable.wasm', wat('(module (import "env" "missing" (func)) (func (export "_start")))'));
  // (func (result i32) (i64.const 0)): well-formed, but the body's type is wrong.
  const valid = wat('(module (func (result i32) (i32.const 0)))');
  const constAt = valid.indexOf(0x41);
  files.invalid = put('invalid.wasm', valid.map((byte, i) => (i === constAt ? 0x42 : byte)));
  files.truncated = put('truncated.wasm', readFileSync(DEMO).subarray(0, 200));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh host directory for the demo's /sandbox, holding its input.txt. */
function sandbox(): string {
  const dir = mkdtempSync(join(scratch, 'sandbox-'));
  writeFileSync(join(dir, 'input.txt'), 'alpha\nbeta\ngamma\n');
  return dir;
}

describe.concurrent('usage', () => {
  it('--help prints the commands, options and exit codes', async () => {
    const result = await cli(['--help']);
    expect(result.status).toBe(0);
    for (const word of ['purewasm run', 'purewasm validate', 'purewasm wast', '--invoke', '--fuel', '--max-memory', '--timeout',
      '--dir', '--env', '--stats', '--profile', '--json', 'exit codes']) {
      expect(result.stdout).toContain(word);
    }
    expect((await cli(['run', '--help'])).status).toBe(0);
  });

  it('no command prints the usage and exits 2', async () => {
    const result = await cli([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage:');
  });

  it('rejects an unknown command, an unknown option, a missing value and bad values with exit 2', async () => {
    const cases: [string[], string][] = [
      [['frobnicate'], "error: unknown command 'frobnicate'"],
      [['run', files.math, '--bogus'], 'error: unknown option --bogus'],
      [['run', files.math, '--fuel'], 'error: --fuel needs a value'],
      [['run', files.math, '--fuel', 'lots'], "error: --fuel needs a non-negative integer, got 'lots'"],
      [['run', files.math, '--fuel=-1'], "error: --fuel needs a non-negative integer, got '-1'"],
      [['run', files.math, '--max-memory', '12x'], 'error: --max-memory needs a size in bytes'],
      [['run', files.math, '--timeout', '0'], "error: --timeout needs a positive number of milliseconds, got '0'"],
      [['run', files.math, '--env', 'NOVALUE'], "error: --env needs NAME=VALUE, got 'NOVALUE'"],
      [['run', files.math, '--dir', join(scratch, 'nowhere') + '::/x'], 'is not a directory'],
      [['run', files.math, '--stats=yes'], 'error: --stats takes no value'],
      [['run', files.math, '--fuel', '1', '--fuel', '2'], 'error: --fuel given more than once'],
      [['run'], 'error: run needs a FILE'],
      [['validate'], 'error: validate needs exactly one FILE, got 0'],
      [['wast'], 'error: wast needs at least one FILE'],
    ];
    await Promise.all(
      cases.map(async ([args, message]) => {
        const result = await cli(args);
        expect(result.status, args.join(' ')).toBe(2);
        expect(errorLine(result)).toContain(message);
        expect(result.stderr).toContain('purewasm --help');
      }),
    );
  });
});

describe.concurrent('bad modules', () => {
  it('a missing file', async () => {
    const result = await cli(['run', join(scratch, 'absent.wasm')]);
    expect(result.status).toBe(1);
    expect(errorLine(result)).toBe(`error: cannot read ${join(scratch, 'absent.wasm')}: no such file`);
  });

  it('a file that is neither a binary nor a text module', async () => {
    const notModule = join(scratch, 'notes.txt');
    writeFileSync(notModule, 'just some notes\n');
    const result = await cli(['run', notModule]);
    expect(result.status).toBe(1);
    expect(errorLine(result)).toMatch(/notes\.txt: magic header not detected.*byte offset 0/);
  });

  it('a malformed (truncated) module names the byte offset', async () => {
    const result = await cli(['run', files.truncated]);
    expect(result.status).toBe(1);
    expect(errorLine(result)).toMatch(/^error: .*truncated\.wasm: .*\(at byte offset \d+\)$/);
  });

  it('an invalid module names the byte offset', async () => {
    const result = await cli(['run', files.invalid]);
    expect(result.status).toBe(1);
    expect(errorLine(result)).toMatch(/^error: .*invalid\.wasm: .*type.*\(at byte offset \d+\)$/);
  });

  it('a module whose imports cannot be satisfied', async () => {
    const result = await cli(['run', files.unlinkable]);
    expect(result.status).toBe(1);
    expect(errorLine(result)).toMatch(/^error: link error: .*env.*missing/);
  });
});

describe.concurrent('run --invoke', () => {
  const invoke = (name: string, ...args: string[]): Promise<CliResult> => cli(['run', files.math, '--invoke', name, ...args]);

  it('prints each result on its own line, parsed and formatted by type', async () => {
    const cases: [string[], string][] = [
      [['add', '2', '3'], '5'],
      [['add', '-5', '3'], '-2'],
      [['add', '0xffffffff', '1'], '0'],
      [['add', '2147483647', '1'], '-2147483648'],
      [['mul64', '0x7fffffffffffffff', '1'], '9223372036854775807'],
      [['mul64', '-3000000000', '3000000000'], '-9000000000000000000'],
      [['div', '1', '4'], '0.25'],
      [['div', '1', '0'], 'inf'],
      [['div', '-1', 'inf'], '-0'],
      [['div', 'nan', '1'], 'nan'],
      [['half', '3'], '1.5'],
      [['swap', '7', '-8'], '-8\n7'],
      [['is_null', 'null'], '1'],
    ];
    await Promise.all(
      cases.map(async ([args, output]) => {
        const result = await invoke(args[0]!, ...args.slice(1));
        expect(result.stderr, args.join(' ')).toBe('');
        expect(result.status).toBe(0);
        expect(result.stdout).toBe(`${output}\n`);
      }),
    );
  });

  it('--json prints typed results', async () => {
    const result = await cli(['run', files.math, '--json', '--invoke', 'swap', '1', '-2']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ exitCode: 0, results: [{ type: 'i64', value: '-2' }, { type: 'i32', value: 1 }] });
    const floats = await cli(['run', files.math, '--json', '--invoke', 'div', '1', '0']);
    expect(JSON.parse(floats.stdout).results).toEqual([{ type: 'f64', value: 'inf' }]);
  });

  it('a missing export, or an export that is not a function, exits 1 and lists the functions', async () => {
    const missing = await invoke('nope');
    expect(missing.status).toBe(1);
    expect(errorLine(missing)).toMatch(/has no export named 'nope' \(exported functions: add, mul64, .*fib\)$/);
    const global = await invoke('answer');
    expect(global.status).toBe(1);
    expect(errorLine(global)).toContain("export 'answer' is a global, not a function");
  });

  it('a wrong number or type of arguments exits 2', async () => {
    const cases: [string[], string][] = [
      [['add', '1'], "function 'add' takes 2 arguments (i32, i32), got 1"],
      [['add', '1', '2', '3'], 'got 3'],
      [['add', '1.5', '2'], "argument 1 of 'add' is i32: expected a 32-bit integer, got '1.5'"],
      [['add', '1', '4294967296'], "argument 2 of 'add' is i32"],
      [['mul64', '1', '18446744073709551616'], "argument 2 of 'mul64' is i64"],
      [['div', 'one', '2'], "argument 1 of 'div' is f64: expected a number"],
      [['is_null', '0'], "expected 'null'"],
    ];
    await Promise.all(
      cases.map(async ([args, message]) => {
        const result = await invoke(args[0]!, ...args.slice(1));
        expect(result.status, args.join(' ')).toBe(2);
        expect(errorLine(result)).toContain(message);
      }),
    );
  });

  it('a trap prints one line naming the trap and the function, and exits 1', async () => {
    const result = await invoke('boom');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result)).toBe('error: trap: unreachable executed (in function $boom)');
    const json = await cli(['run', files.math, '--invoke', 'boom', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ exitCode: 1, error: { message: 'trap: unreachable executed (in function $boom)', trap: 'unreachable' } });
  });

  it('a module without _start needs --invoke', async () => {
    const result = await cli(['run', files.math]);
    expect(result.status).toBe(1);
    expect(errorLine(result)).toMatch(/has no _start function to run; call one with --invoke NAME \(exported functions: add, /);
  });
});

describe.concurrent('run limits', () => {
  it('--fuel N: runs within the budget, stops with a distinct exit code past it', async () => {
    const within = await cli(['run', files.math, '--fuel', '3', '--invoke', 'add', '1', '2']);
    expect(within.status).toBe(0);
    expect(within.stdout).toBe('3\n');
    const past = await cli(['run', files.math, '--fuel', '2', '--invoke', 'add', '1', '2']);
    expect(past.status).toBe(3);
    expect(errorLine(past)).toBe('error: out of fuel after 2');
    const spin = await cli(['run', files.math, '--fuel', '100000', '--invoke', 'spin', '--json', '--stats']);
    expect(spin.status).toBe(3);
    const report = JSON.parse(spin.stdout);
    expect(report.error).toEqual({ message: 'out of fuel after 100000', trap: 'outOfFuel' });
    expect(report.stats.fuelConsumed).toBeLessThanOrEqual(100000);
    expect(report.stats.fuelConsumed).toBeGreaterThan(99990);
  });

  it('--max-memory BYTES limits memory growth and instantiation', async () => {
    const denied = await cli(['run', files.math, '--max-memory', '64K', '--invoke', 'grow', '1']);
    expect(denied.status).toBe(0);
    expect(denied.stdout).toBe('-1\n');
    const allowed = await cli(['run', files.math, '--max-memory', '131072', '--invoke', 'grow', '1']);
    expect(allowed.stdout).toBe('1\n');
    const tooBig = await cli(['run', files.bigMemory, '--max-memory', '65536', '--invoke', 'f']);
    expect(tooBig.status).toBe(1);
    expect(errorLine(tooBig)).toMatch(/^error: link error: .*memory/i);
  });

  it('--timeout MS stops a guest that runs too long', async () => {
    const started = Date.now();
    const result = await cli(['run', files.math, '--timeout', '200', '--invoke', 'spin']);
    expect(result.status).toBe(4);
    expect(errorLine(result)).toBe('error: timeout after 200 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
    const quick = await cli(['run', files.math, '--timeout', '5000', '--invoke', 'add', '1', '1']);
    expect(quick.stdout).toBe('2\n');
  });
});

describe.concurrent('run a WASI command', () => {
  const demoStdout = (args: string[], greeting: string, stdin: string): string =>
    [
      `argc=${args.length + 1}`,
      `argv[0]=${DEMO}`,
      ...args.map((arg, i) => `argv[${i + 1}]=${arg}`),
      `GREETING=${greeting}`,
      `stdin:${stdin.toUpperCase()}`,
      `stdin bytes=${stdin.length}`,
      'input.txt: stat size=17, seek size=17, lines=3, first="alpha"',
      'entry: input.txt',
      'escape: refused',
      '',
    ].join('\n');

  it('the C demo: --dir, --env, arguments, stdin, stdout, stderr and its exit code', async () => {
    const dir = sandbox();
    const result = await cli(['run', DEMO, '--dir', `${dir}::/sandbox`, '--env', 'GREETING=hi there', '--env', 'OTHER=1', 'x', 'exit=7'], {
      input: 'Hello, stdin!\n',
    });
    expect(result.stdout).toBe(demoStdout(['x', 'exit=7'], 'hi there', 'Hello, stdin!\n'));
    expect(result.stderr).toBe('wasi-demo: done, exiting with 7\n');
    expect(result.status).toBe(7);
    expect(readFileSync(join(dir, 'out', 'report.txt'), 'utf8')).toBe('lines=3\nbytes=17\ngreeting=hi there\n');
  });

  it('options may follow the arguments, and -- passes option-like words to the guest', async () => {
    const dir = sandbox();
    const result = await cli(['run', DEMO, 'first', '--dir', `${dir}::/sandbox`, '--', '--verbose', 'exit=0']);
    expect(result.stdout).toBe(demoStdout(['first', '--verbose', 'exit=0'], '(unset)', ''));
    expect(result.status).toBe(0);
  });

  it('the guest sees only the directories it is given: without --dir the demo fails with its own code', async () => {
    const result = await cli(['run', DEMO]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: stat \/sandbox\/input.txt: /);
  });

  it('proc_exit sets the exit code; --json reports it on the last line of stdout', async () => {
    expect((await cli(['run', files.exit])).status).toBe(42);
    const dir = sandbox();
    const result = await cli(['run', DEMO, '--dir', `${dir}::/sandbox`, '--json', 'exit=5']);
    expect(result.status).toBe(5);
    expect(JSON.parse(result.stdout.trimEnd().split('\n').at(-1)!)).toEqual({ exitCode: 5 });
  });
});

interface Stats {
  fuelConsumed: number;
  instructions: number;
  wallTimeMs: number;
  memoryPeakBytes: number;
}

/** Parses folded stacks: "a;b;c N" lines. */
function parseFolded(text: string): { stack: string[]; fuel: number }[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const match = /^(\S(?:.*\S)?) (\d+)$/.exec(line);
      expect(match, line).not.toBeNull();
      return { stack: match![1]!.split(';'), fuel: Number(match![2]) };
    });
}

/** Rows of the top-functions table on stderr: name, calls, self fuel, total fuel. */
function parseTable(stderr: string): { name: string; calls: number; self: number; total: number }[] {
  const lines = stderr.trimEnd().split('\n');
  const header = lines.findIndex((line) => /^function\s+calls\s+self fuel\s+self\s+total fuel\s+total$/.test(line));
  expect(header).toBeGreaterThanOrEqual(0);
  return lines.slice(header + 1).flatMap((line) => {
    const match = /^(.+?)\s+(\d+)\s+(\d+)\s+\S+\s+(\d+)\s+\S+$/.exec(line);
    return match ? [{ name: match[1]!, calls: Number(match[2]), self: Number(match[3]), total: Number(match[4]) }] : [];
  });
}

describe('the fuel profiler', () => {
  it('splits fuel into self and total per function and per stack, counting recursion once', () => {
    const profiler = new FuelProfiler();
    profiler.enter('main', 0, 0);
    profiler.enter('fib', 1, 10);
    profiler.enter('fib', 1, 20);
    profiler.exit(30);
    profiler.exit(45);
    profiler.enter('fd_write', -1, 50);
    profiler.exit(51);
    profiler.exit(60);
    expect(profiler.folded()).toBe('main 24\nmain;fd_write 1\nmain;fib 25\nmain;fib;fib 10\n');
    expect(profiler.ranking()).toEqual([
      { name: 'fib', calls: 2, selfFuel: 35, totalFuel: 35 },
      { name: 'main', calls: 1, selfFuel: 24, totalFuel: 60 },
      { name: 'fd_write', calls: 1, selfFuel: 1, totalFuel: 1 },
    ]);
    expect(profileTable(profiler.ranking(), 60, 2)).toBe(
      ['function  calls  self fuel   self  total fuel   total', 'fib           2         35  58.3%          35   58.3%', 'main          1         24  40.0%          60  100.0%', ''].join('\n'),
    );
  });

  it('closes frames a run left open and keeps folded lines well-formed', () => {
    const profiler = new FuelProfiler();
    profiler.enter('func[3]', 3, 0);
    profiler.enter('odd;name', 4, 5);
    profiler.finish(9);
    expect(profiler.folded()).toBe('func[3] 5\nfunc[3];odd_name 4\n');
  });
});

describe.concurrent('statistics and profiles', () => {
  it('--stats prints fuel, instructions, wall time and peak memory to stderr', async () => {
    const result = await cli(['run', files.math, '--stats', '--invoke', 'add', '1', '2']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('3\n');
    expect(result.stderr).toMatch(/^fuel consumed: +3\ninstructions: +3\nwall time: +\d+\.\d{3} ms\npeak memory: +65536 bytes\n$/);
  });

  it('--stats --json puts the statistics in the JSON report', async () => {
    const result = await cli(['run', files.math, '--stats', '--json', '--invoke', 'grow', '2']);
    const report = JSON.parse(result.stdout) as { stats: Stats };
    // local.get, memory.grow, and 1024 for each page grown
    expect(report.stats).toMatchObject({ fuelConsumed: 2 + 1024 * 2, instructions: 2 + 1024 * 2, memoryPeakBytes: 3 * 65536 });
    expect(report.stats.wallTimeMs).toBeGreaterThan(0);
    expect(result.stderr).toBe('');
  });

  it('--profile on recursion: calls, self and total fuel without double counting', async () => {
    const profilePath = join(scratch, 'fib.folded');
    const result = await cli(['run', files.math, '--profile', profilePath, '--stats', '--json', '--invoke', 'fib', '10']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { results: { value: number }[]; stats: Stats };
    expect(report.results).toEqual([{ type: 'i32', value: 55 }]);
    const stacks = parseFolded(readFileSync(profilePath, 'utf8'));
    expect(stacks.reduce((sum, line) => sum + line.fuel, 0)).toBe(report.stats.fuelConsumed);
    expect(Math.max(...stacks.map((line) => line.stack.length))).toBe(10); // fib(10) .. fib(1)
    expect(stacks.every((line) => line.stack.every((name) => name === 'fib'))).toBe(true);
    const [fib] = parseTable(result.stderr);
    expect(fib).toEqual({ name: 'fib', calls: 177, self: report.stats.fuelConsumed, total: report.stats.fuelConsumed });
  });

  it('--profile on the C demo: folded stacks add up to the fuel consumed; the table ranks by self fuel', async () => {
    const dir = sandbox();
    const profilePath = join(scratch, 'demo.folded');
    const result = await cli(['run', DEMO, '--dir', `${dir}::/sandbox`, '--profile', profilePath, '--stats', '--json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout.trimEnd().split('\n').at(-1)!) as { stats: Stats };
    const stacks = parseFolded(readFileSync(profilePath, 'utf8'));
    expect(stacks.reduce((sum, line) => sum + line.fuel, 0)).toBe(report.stats.fuelConsumed);
    const roots = new Set(stacks.map((line) => line.stack[0]));
    expect(roots.size).toBe(1);
    expect([...roots][0]).toMatch(/_start/);
    expect(stacks.some((line) => line.stack.includes('main') && line.stack.at(-1) === 'printf_core')).toBe(true);
    const table = parseTable(result.stderr);
    expect(table.length).toBeGreaterThan(3);
    for (const row of table) {
      expect(row.self).toBeLessThanOrEqual(row.total);
      expect(row.total).toBeLessThanOrEqual(report.stats.fuelConsumed);
    }
    expect(table.map((row) => row.self)).toEqual(table.map((row) => row.self).sort((a, b) => b - a));
  });

  it('is deterministic: two runs give the same profile and statistics (wall time aside)', async () => {
    const runOnce = async (n: number): Promise<{ stats: Stats; profile: string; table: string }> => {
      const dir = sandbox();
      const profilePath = join(scratch, `determinism-${n}.folded`);
      const result = await cli(['run', DEMO, '--dir', `${dir}::/sandbox`, '--env', 'GREETING=x', '--profile', profilePath, '--stats', 'a', 'b'], {
        input: 'same input\n',
      });
      const { wallTimeMs, ...stats } = parseStats(result.stderr);
      expect(wallTimeMs).toBeGreaterThan(0);
      return { stats: stats as Stats, profile: readFileSync(profilePath, 'utf8'), table: result.stderr.replace(/wall time:.*\n/, '') };
    };
    const [first, second] = await Promise.all([runOnce(1), runOnce(2)]);
    expect(first.stats.fuelConsumed).toBeGreaterThan(1000);
    expect(second).toEqual(first);
  });
});

/** The --stats lines on stderr as numbers. */
function parseStats(stderr: string): Stats {
  const number = (label: string): number => Number(new RegExp(`^${label}: +([\\d.]+)`, 'm').exec(stderr)?.[1]);
  return {
    fuelConsumed: number('fuel consumed'),
    instructions: number('instructions'),
    wallTimeMs: number('wall time'),
    memoryPeakBytes: number('peak memory'),
  };
}

describe.concurrent('validate', () => {
  it('a valid module', async () => {
    const result = await cli(['validate', DEMO]);
    expect(result).toEqual({ status: 0, stdout: 'valid\n', stderr: '' });
    expect(JSON.parse((await cli(['validate', '--json', files.math])).stdout)).toEqual({ valid: true });
  });

  it('an invalid or malformed module: exit 1 and the message with the byte offset', async () => {
    const invalid = await cli(['validate', files.invalid]);
    expect(invalid.status).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(errorLine(invalid)).toMatch(/^error: .*invalid\.wasm: .*\(at byte offset \d+\)$/);
    const malformed = await cli(['validate', files.truncated, '--json']);
    expect(malformed.status).toBe(1);
    expect(JSON.parse(malformed.stdout).error).toMatch(/byte offset \d+/);
    const missing = await cli(['validate', join(scratch, 'absent.wasm')]);
    expect(missing.status).toBe(1);
    expect(errorLine(missing)).toContain('no such file');
  });
});

describe.concurrent('wast', () => {
  it('runs a script: exit 0 when every assertion passes', async () => {
    const result = await cli(['wast', SAMPLE_WAST]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/sample\.wast: 4 \/ 4 passed\n$/);
    const json = await cli(['wast', '--json', SAMPLE_WAST]);
    expect(JSON.parse(json.stdout)).toMatchObject({ total: 4, passed: 4, failed: 0 });
  });

  it('reports failing assertions with their line and exits 1', async () => {
    const failing = join(scratch, 'failing.wast');
    writeFileSync(failing, '(module (func (export "one") (result i32) (i32.const 1)))\n(assert_return (invoke "one") (i32.const 2))\n');
    const result = await cli(['wast', SAMPLE_WAST, failing]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/failing\.wast: 0 \/ 1 passed\ntotal: 4 \/ 5 passed\n$/);
    expect(result.stderr).toMatch(/failing\.wast:2: \(assert_return \(invoke "one"\) \(i32\.const 2\)\)\n  expected .*2.*, got .*1/);
    const missing = await cli(['wast', join(scratch, 'absent.wast')]);
    expect(missing.status).toBe(1);
    expect(errorLine(missing)).toContain('no such file');
  });

  it('runs scripts without any package installed (its own text parser)', async () => {
    // A copy of the sources outside the repository cannot resolve node_modules (no wabt).
    const copy = mkdtempSync(join(tmpdir(), 'purewasm-cli-nowabt-'));
    try {
      cpSync(join(REPO, 'src'), join(copy, 'src'), { recursive: true });
      cpSync(join(REPO, 'spec-tests'), join(copy, 'spec-tests'), { recursive: true });
      writeFileSync(join(copy, 'package.json'), '{ "type": "module" }');
      const result = await cli(['wast', SAMPLE_WAST], { main: join(copy, 'src/cli/main.ts') });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/: 4 \/ 4 passed\n$/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
