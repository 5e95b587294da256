/**
 * A worker thread that keeps binaryen's wasm-opt loaded. The npm package's
 * wasm-opt is an Emscripten program (JS with embedded Wasm); starting a node
 * process for it costs ~0.5 s, most of it compiling that Wasm. Here each
 * request runs the program's main() in a fresh VM context (so no state leaks
 * between runs) while the compiled Wasm module is reused.
 *
 * Messages in: { id, args } (wasm-opt's command line). Out: { id, error? }.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const WASM_OPT = join(dirname(require.resolve('binaryen/package.json')), 'bin', 'wasm-opt');
const program = new vm.Script(readFileSync(WASM_OPT, 'utf8').replace(/^#!.*\n/, ''), { filename: WASM_OPT });

let compiled: Promise<WebAssembly.Module> | undefined;
/** The WebAssembly namespace the program sees: instantiate compiles its (always identical) binary once. */
const cachingWebAssembly = Object.create(WebAssembly, {
  instantiate: {
    value: async (binary: BufferSource, imports: WebAssembly.Imports) => {
      compiled ??= WebAssembly.compile(binary);
      const module = await compiled;
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    },
  },
});

function runWasmOpt(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (status: number): void => {
      if (status === 0) resolve();
      else reject(new Error(`wasm-opt exited with status ${status}`));
    };
    // Emscripten reads its configuration from a global `Module` object.
    const Module = {
      postRun: [() => finish(0)],
      quit: (status: number, toThrow: unknown) => {
        finish(status);
        throw toThrow;
      },
      onAbort: (what: unknown) => reject(new Error(`wasm-opt aborted: ${String(what)}`)),
      print: () => undefined,
      printErr: () => undefined,
    };
    const fakeProcess = Object.create(process, {
      argv: { value: [process.execPath, WASM_OPT, ...args] },
      exitCode: { set: (status: number) => finish(status), get: () => undefined },
    });
    const context = vm.createContext({
      Module, process: fakeProcess, require, __filename: WASM_OPT, __dirname: dirname(WASM_OPT),
      console, setTimeout, clearTimeout, TextDecoder, TextEncoder, URL, performance, Buffer,
      crypto: globalThis.crypto, WebAssembly: cachingWebAssembly,
    });
    try {
      program.runInContext(context);
    } catch (error) {
      if ((error as { name?: string } | null)?.name !== 'ExitStatus') reject(error);
    }
  });
}

// Requests are handled one at a time: main() of an Emscripten program is not reentrant.
let queue = Promise.resolve();
parentPort!.on('message', ({ id, args }: { id: number; args: string[] }) => {
  queue = queue.then(() =>
    runWasmOpt(args).then(
      () => parentPort!.postMessage({ id }),
      (error: unknown) => parentPort!.postMessage({ id, error: String(error) }),
    ),
  );
});
