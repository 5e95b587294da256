/**
 * purewasm inside another JS engine: QuickJS (the quickjs-emscripten build,
 * which NaN-boxes its values), standing in for the embedded runtimes the
 * engine is for. The source is transpiled file by file and loaded as ES
 * modules; the checks are what differs between engines: that the core loads
 * without Node or web APIs, and that f64 NaN payloads survive memory.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getQuickJS } from 'quickjs-emscripten';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { wat } from './helpers/wat.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function transpiled(path: string): string {
  const source = readFileSync(path.replace(/\.js$/, '.ts'), 'utf8');
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, preserveConstEnums: true, isolatedModules: true },
  }).outputText;
}

/** Runs `body` (module code with Engine, Module, Store, Linker and `bytes` in scope) in QuickJS; returns its `result`. */
async function inQuickJS(bytes: Uint8Array, body: string): Promise<unknown> {
  const runtime = (await getQuickJS()).newRuntime();
  runtime.setMemoryLimit(256 * 1024 * 1024);
  runtime.setModuleLoader(transpiled, (base, name) => (name.startsWith('.') ? resolve(dirname(base), name) : name));
  const vm = runtime.newContext();
  try {
    const main = `import { Engine, Module, Store, Linker } from ${JSON.stringify(join(SRC, 'index.js'))};
      const bytes = new Uint8Array(${JSON.stringify(Array.from(bytes))});
      ${body}`;
    const evaluated = vm.evalCode(main, join(SRC, 'quickjs-main.js'), { type: 'module' });
    if (evaluated.error) {
      const error = vm.dump(evaluated.error);
      evaluated.error.dispose();
      throw new Error(`QuickJS: ${JSON.stringify(error)}`);
    }
    evaluated.value.dispose();
    runtime.executePendingJobs();
    const result = vm.getProp(vm.global, 'result');
    try {
      return vm.dump(result);
    } finally {
      result.dispose();
    }
  } finally {
    vm.dispose();
    runtime.dispose();
  }
}

describe('purewasm in QuickJS', () => {
  const bytes = wat(`(module (memory 1)
    (func (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call 0 (i32.sub (local.get 0) (i32.const 1))) (call 0 (i32.sub (local.get 0) (i32.const 2)))))))
    (func (export "f64_via_memory") (param i32 i32) (result i32 i32)
      (f64.store (i32.const 8) (f64.reinterpret_i64
        (i64.or (i64.extend_i32_u (local.get 0)) (i64.shl (i64.extend_i32_u (local.get 1)) (i64.const 32)))))
      (f64.store (i32.const 16) (f64.load (i32.const 8)))
      (i32.load (i32.const 16)) (i32.load (i32.const 20)))
    (func (export "oob") (result i32) (i32.load (i32.const 65536))))`);
  const setup = `const engine = new Engine({ consumeFuel: true }); const store = new Store(engine); store.setFuel(1e9);
    const instance = new Linker(engine).instantiate(store, new Module(engine, bytes));
    const call = (name, ...args) => instance.getFunc(store, name).call(store, args);`;

  it('compiles, runs and meters fuel', async () => {
    const result = await inQuickJS(bytes, `${setup}
      const before = store.getFuel();
      globalThis.result = { fib: call('fib', 20)[0], fuel: before - store.getFuel() };`);
    expect(result).toEqual({ fib: 6765, fuel: expect.any(Number) });
    expect((result as { fuel: number }).fuel).toBeGreaterThan(6765);
  });

  it('keeps NaN payloads through f64.load and f64.store, though QuickJS canonicalises NaN doubles', async () => {
    const result = await inQuickJS(bytes, `${setup}
      const f = new Float64Array(1), u = new Uint32Array(f.buffer);
      u[0] = 1; u[1] = 0x7ff00000; f[0] = f[0] + 0;
      globalThis.result = { engine: u[0] === 1, signalling: call('f64_via_memory', 1, 0x7ff00000), quiet: call('f64_via_memory', 0xdeadbeef | 0, 0x7ff4beef) };`);
    expect(result).toEqual({ engine: false, signalling: [1, 0x7ff00000], quiet: [0xdeadbeef | 0, 0x7ff4beef] });
  });

  it('traps with a RuntimeError', async () => {
    const result = await inQuickJS(bytes, `${setup}
      try { call('oob'); globalThis.result = 'no trap'; } catch (error) { globalThis.result = error.name + ': ' + error.trap; }`);
    expect(result).toBe('RuntimeError: memoryOutOfBounds');
  });
});
