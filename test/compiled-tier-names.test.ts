/**
 * Security of the compiled tier: no string a module controls becomes part of
 * generated JavaScript. Modules whose export, import, custom-section and
 * name-section names are JavaScript break-out and prototype payloads run
 * through every entry point (core API, `purewasm/js-api`, the sandbox, the
 * CLI); nothing in the names runs, every source given to `new Function` is
 * free of them, and behaviour equals native WebAssembly in this process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine, Func, instantiate, Linker, Module, RuntimeError, Store } from '../src/index.js';
import { WebAssembly as PurewasmWebAssembly } from '../src/js-api/index.js';
import { SandboxConfig, WasmRuntime } from '../src/host/sandbox/index.js';
import { uleb } from './helpers/leb.js';


/** Each would set globalThis.__pwned (and print PWNED) if it ever became code, in any quoting context. */
const PAYLOADS = [
  `';globalThis.__pwned=1;process.stdout.write('PWNED');'`,
  `";globalThis.__pwned=2;process.stdout.write("PWNED");"`,
  '`;globalThis.__pwned=3;process.stdout.write(`PWNED`);`',
  '${globalThis.__pwned=4,process.stdout.write("PWNED")}',
  '*/globalThis.__pwned=5;process.stdout.write("PWNED");/*',
  '\u2028globalThis.__pwned=6;process.stdout.write("PWNED");\u2029//',
  '\n}catch(e){}globalThis.__pwned=7;process.stdout.write("PWNED");try{\r\n',
  `\\'});globalThis.__pwned=8;process.stdout.write('PWNED');(function(){//`,
  '</script><script>globalThis.__pwned=9</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'then',
  '',
  'x'.repeat(70_000) + `';globalThis.__pwned=10;'`,
];
const MARK = '__pwned';

const utf8 = (text: string): number[] => Array.from(new TextEncoder().encode(text));
const name = (text: string): number[] => [...uleb(utf8(text).length), ...utf8(text)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const custom = (title: string, content: number[]): number[] => section(0, [...name(title), ...content]);
const I32 = 0x7f;

function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/**
 * A module that imports one function per payload (module and field names from the list), exports function i
 * (returning 11 * (i + 1)) under payload i, exports `sum` (all imports called and added), a memory and a
 * trapping function under payload names, names everything in its name section with payloads, and carries a
 * custom section per payload (named and filled with it).
 */
function payloadModule(): Uint8Array<ArrayBuffer> {
  const n = PAYLOADS.length;
  const imports = PAYLOADS.map((p, i) => [...name(p), ...name(PAYLOADS[(i + 3) % n]!), 0x00, 0x00]);
  const constants = PAYLOADS.map((_, i) => [0x00, 0x41, ...sleb(11 * (i + 1)), 0x0b]);
  const sumBody = [0x00, 0x41, 0x00, ...PAYLOADS.flatMap((_, i) => [0x10, ...uleb(i), 0x6a]), 0x0b];
  const trapBody = [0x00, 0x00, 0x0b];
  const bodies = [...constants, sumBody, trapBody].map((body) => [...uleb(body.length), ...body]);
  // Functions: n imports, then n constants, sum (2n), trap (2n + 1).
  const exports = [
    ...PAYLOADS.map((p, i) => [...name(p), 0x00, ...uleb(n + i)]),
    [...name('sum'), 0x00, ...uleb(2 * n)],
    [...name(`trap${PAYLOADS[0]}`), 0x00, ...uleb(2 * n + 1)],
    [...name(`memory${PAYLOADS[2]}`), 0x02, 0x00],
  ];
  const functionNames = vec(Array.from({ length: 2 * n + 2 }, (_, i) => [...uleb(i), ...name(PAYLOADS[i % n]!)]));
  const localNames = vec([[...uleb(n), ...vec([[0x00, ...name(PAYLOADS[1]!)]])]]);
  const nameSection = [
    ...name('name'),
    0x00, ...uleb(name(PAYLOADS[3]!).length), ...name(PAYLOADS[3]!),
    0x01, ...uleb(functionNames.length), ...functionNames,
    0x02, ...uleb(localNames.length), ...localNames,
  ];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...custom(PAYLOADS[4]!, utf8(PAYLOADS[5]!)),
    ...section(1, vec([[0x60, 0x00, 0x01, I32]])),
    ...section(2, vec(imports)),
    ...section(3, vec(Array.from({ length: n + 2 }, () => [0x00]))),
    ...section(5, vec([[0x00, 0x01]])),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
    ...PAYLOADS.flatMap((p) => custom(p, utf8(p))),
    ...section(0, nameSection),
  ]);
}

const BYTES = payloadModule();

/** An import object with own properties only (an object literal would take `__proto__` as the prototype). */
function importObject(valueOf: (module: string, field: string) => unknown): Record<string, Record<string, unknown>> {
  const imports = Object.create(null) as Record<string, Record<string, unknown>>;
  PAYLOADS.forEach((module, i) => {
    const field = PAYLOADS[(i + 3) % PAYLOADS.length]!;
    const namespace = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(namespace, field, { value: valueOf(module, field), enumerable: true });
    Object.defineProperty(imports, module, { value: namespace, enumerable: true });
  });
  return imports;
}
const importValue = (i: number): number => 1000 * (i + 1);
const nativeImports = importObject((module) => () => importValue(PAYLOADS.indexOf(module)));

/** Every source text `new Function` receives while `run` runs (the compiled tier's only way to make code). */
function capturingGeneratedCode<T>(run: () => T): { result: T; sources: string[] } {
  const sources: string[] = [];
  const original = globalThis.Function;
  globalThis.Function = new Proxy(original, {
    construct(target, args: string[]) {
      sources.push(args.join('\n'));
      return Reflect.construct(target, args) as object;
    },
    apply(target, self, args: string[]) {
      sources.push(args.join('\n'));
      return Reflect.apply(target, self, args) as unknown;
    },
  });
  try {
    return { result: run(), sources };
  } finally {
    globalThis.Function = original;
  }
}

/** No payload, nor any long piece of one, in any generated source. */
function expectCleanSources(sources: string[]): void {
  expect(sources.length).toBeGreaterThan(0);
  for (const source of sources) {
    expect(source).not.toContain(MARK);
    expect(source).not.toContain('PWNED');
    expect(source).not.toContain('x'.repeat(64));
    expect(source).not.toMatch(/[\u2028\u2029`]/);
  }
}

/** Native results: each export's value, the sum, the trap, and the module's reflection. */
function native() {
  const module = new WebAssembly.Module(BYTES);
  const exports = new WebAssembly.Instance(module, nativeImports as WebAssembly.Imports).exports as Record<string, () => number>;
  return {
    keys: Object.keys(exports),
    values: PAYLOADS.map((p) => exports[p]!()),
    sum: exports.sum!(),
    exportDescriptors: WebAssembly.Module.exports(module),
    importDescriptors: WebAssembly.Module.imports(module),
    customSections: PAYLOADS.map((p) => WebAssembly.Module.customSections(module, p).map((b) => Array.from(new Uint8Array(b)))),
  };
}

const expected = native();

afterAll(() => {
  expect(MARK in globalThis).toBe(false);
});

describe('names that are JavaScript payloads never become code', () => {
  it('the module is what native WebAssembly expects', () => {
    expect(expected.values).toEqual(PAYLOADS.map((_, i) => 11 * (i + 1)));
    expect(expected.sum).toBe(PAYLOADS.reduce((total, _, i) => total + importValue(i), 0));
    expect(expected.keys).toContain('__proto__');
  });

  it('core API: Linker and instantiate, on the compiled tier', () => {
    const engine = new Engine();
    expect(engine.tier).toBe('compiled');
    const store = new Store(engine);
    const module = new Module(engine, BYTES);
    const linker = new Linker(engine);
    PAYLOADS.forEach((p, i) => linker.funcWrap(p, PAYLOADS[(i + 3) % PAYLOADS.length]!, { params: [], results: ['i32'] }, () => importValue(i)));
    const { result, sources } = capturingGeneratedCode(() => {
      const instance = linker.instantiate(store, module);
      const values = PAYLOADS.map((p) => instance.getFunc(store, p)!.call(store, [])[0]);
      const sum = instance.getFunc(store, 'sum')!.call(store, [])[0];
      let trap: unknown;
      try {
        instance.getFunc(store, `trap${PAYLOADS[0]}`)!.call(store, []);
      } catch (error) {
        trap = error;
      }
      return { values, sum, trap, names: instance.exports(store).map((e) => e.name), compiled: (instance.getFunc(store, 'sum') as Func).jit !== null };
    });
    expect(result.compiled).toBe(true);
    expect(result.values).toEqual(expected.values);
    expect(result.sum).toBe(expected.sum);
    expect(result.trap).toBeInstanceOf(RuntimeError);
    expect((result.trap as RuntimeError).trap).toBe('unreachable');
    expect(result.names).toEqual(expected.keys);
    expect(module.exports().map((e) => e.name)).toEqual(expected.exportDescriptors.map((e) => e.name));
    expectCleanSources(sources);
    // The other way in: imports as an array in import order.
    const byOrder = PAYLOADS.map((_, i) => Func.wrap(store, { params: [], results: ['i32'] }, () => importValue(i)));
    const again = capturingGeneratedCode(() => {
      const instance = instantiate(store, module, byOrder);
      return [...PAYLOADS, 'sum'].map((p) => instance.getFunc(store, p)!.call(store, [])[0]);
    });
    expect(again.result).toEqual([...expected.values, expected.sum]);
    for (const source of again.sources) expect(source).not.toContain(MARK);
  });

  it('purewasm/js-api: Module, Instance, reflection and custom sections as native WebAssembly', async () => {
    const imports = importObject((module) => () => importValue(PAYLOADS.indexOf(module)));
    const { result, sources } = capturingGeneratedCode(() => {
      const module = new PurewasmWebAssembly.Module(BYTES);
      const exports = new PurewasmWebAssembly.Instance(module, imports).exports as Record<string, () => number>;
      return {
        keys: Object.keys(exports),
        values: PAYLOADS.map((p) => exports[p]!()),
        sum: exports.sum!(),
        exportDescriptors: PurewasmWebAssembly.Module.exports(module),
        importDescriptors: PurewasmWebAssembly.Module.imports(module),
        customSections: PAYLOADS.map((p) => PurewasmWebAssembly.Module.customSections(module, p).map((b) => Array.from(new Uint8Array(b)))),
        protoIsOwn: Object.prototype.hasOwnProperty.call(exports, '__proto__'),
        trap: (() => {
          try {
            exports[`trap${PAYLOADS[0]}`]!();
          } catch (error) {
            return error instanceof PurewasmWebAssembly.RuntimeError;
          }
          return false;
        })(),
      };
    });
    expect(result).toEqual({ ...expected, protoIsOwn: true, trap: true });
    expectCleanSources(sources);
    const { instance } = await PurewasmWebAssembly.instantiate(BYTES, imports);
    expect((instance.exports as Record<string, () => number>).constructor!()).toBe(expected.values[PAYLOADS.indexOf('constructor')]);
  });

  it('the sandbox: payload names in exports, the name section and custom sections', () => {
    // execute(ptr, len) -> i32 calls the payload-named functions; imports only what the sandbox offers.
    const n = PAYLOADS.length;
    const bodies = [
      ...PAYLOADS.map((_, i) => [0x00, 0x41, ...sleb(7 * (i + 1)), 0x0b]),
      [0x00, 0x41, 0x00, ...PAYLOADS.flatMap((_, i) => [0x10, ...uleb(i), 0x6a]), 0x20, 0x01, 0x6a, 0x0b],
    ].map((body) => [...uleb(body.length), ...body]);
    const functionNames = vec(Array.from({ length: n + 1 }, (_, i) => [...uleb(i), ...name(PAYLOADS[i % n]!)]));
    const guest = new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      ...section(1, vec([[0x60, 0x00, 0x01, I32], [0x60, 0x02, I32, I32, 0x01, I32]])),
      ...section(3, vec([...PAYLOADS.map(() => [0x00]), [0x01]])),
      ...section(5, vec([[0x00, 0x01]])),
      ...section(7, vec([...PAYLOADS.map((p, i) => [...name(p), 0x00, ...uleb(i)]), [...name('execute'), 0x00, ...uleb(n)], [...name('memory'), 0x02, 0x00]])),
      ...section(10, vec(bodies)),
      ...PAYLOADS.flatMap((p) => custom(p, utf8(p))),
      ...section(0, [...name('name'), 0x01, ...uleb(functionNames.length), ...functionNames]),
    ]);
    const nativeExecute = (new WebAssembly.Instance(new WebAssembly.Module(guest)).exports as { execute: (p: number, l: number) => number }).execute;
    const runtime = new WasmRuntime();
    const { result, sources } = capturingGeneratedCode(() => runtime.execute(guest, 'input', new SandboxConfig()));
    expect(result.returnValue).toBe(nativeExecute(0, 5));
    expectCleanSources(sources);
    // Payload import names: refused before anything runs, as imports the sandbox does not offer.
    expect(() => runtime.execute(BYTES, '', new SandboxConfig().allowHostCalls())).toThrow(/InstantiationFailed|import/);
  });
});

describe('the CLI runs payload-named exports as native WebAssembly', () => {
  const REPO = fileURLToPath(new URL('..', import.meta.url));
  const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'purewasm-names-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  // No imports here: the CLI links WASI and nothing else.
  const n = PAYLOADS.length;
  const bodies = PAYLOADS.map((_, i) => [0x00, 0x41, ...sleb(13 * (i + 1)), 0x0b]).map((body) => [...uleb(body.length), ...body]);
  const functionNames = vec(PAYLOADS.map((p, i) => [...uleb(i), ...name(p)]));
  const file = join(scratch, 'names.wasm');
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 0x00, 0x01, I32]])),
    ...section(3, vec(PAYLOADS.map(() => [0x00]))),
    ...section(7, vec(PAYLOADS.map((p, i) => [...name(p), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
    ...PAYLOADS.flatMap((p) => custom(p, utf8(p))),
    ...section(0, [...name('name'), 0x01, ...uleb(functionNames.length), ...functionNames]),
  ]);
  writeFileSync(file, bytes);
  const nativeExports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as Record<string, () => number>;

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  // One of each kind (quotes, template, comment, line terminators, prototype names); a command line cannot carry
  // an empty argument usefully nor a 70 kB one portably. The children run side by side.
  const invoked = [PAYLOADS[0]!, PAYLOADS[3]!, PAYLOADS[4]!, PAYLOADS[5]!, '__proto__', 'constructor'];
  it('purewasm run --invoke NAME prints what native WebAssembly returns, and nothing from the name runs', async () => {
    const runs = await Promise.all(invoked.map((payload) => cli(['run', file, '--invoke', payload])));
    expect(runs).toEqual(invoked.map((payload) => ({ code: 0, stdout: `${nativeExports[payload]!()}\n`, stderr: '' })));
  }, 120_000);
});
