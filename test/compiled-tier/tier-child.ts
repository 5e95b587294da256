/**
 * Run by compiled-tier.test.ts in a child Node (with or without
 * `--disallow-code-generation-from-strings`): which tier `new Engine()` picks
 * and whether a function runs on it; with argument `compiled`, what
 * `tier: 'compiled'` does. Prints one line of JSON and nothing else.
 *
 * The module is written out in bytes (fib(i32) -> i32, recursive) so that
 * the child needs nothing that generates code.
 */
import { Engine, Linker, Module, Store } from '../../src/index.js';

const FIB = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type 0: (i32) -> i32
  0x03, 0x02, 0x01, 0x00, // func 0: type 0
  0x07, 0x07, 0x01, 0x03, 0x66, 0x69, 0x62, 0x00, 0x00, // export "fib"
  0x0a, 0x1e, 0x01, 0x1c, 0x00, // code: one body of 28 bytes, no locals
  0x20, 0x00, 0x41, 0x02, 0x49, // local.get 0, i32.const 2, i32.lt_u
  0x04, 0x7f, 0x20, 0x00, // if (result i32) local.get 0
  0x05, // else
  0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x00, // fib(n - 1)
  0x20, 0x00, 0x41, 0x02, 0x6b, 0x10, 0x00, // fib(n - 2)
  0x6a, 0x0b, 0x0b, // i32.add, end, end
]);

function run(engine: Engine): number {
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, FIB));
  return instance.getFunc(store, 'fib')!.call(store, [20])[0] as number;
}

if (process.argv[2] === 'compiled') {
  try {
    new Engine({ tier: 'compiled' });
    process.stdout.write(`${JSON.stringify({ created: true })}\n`);
  } catch (error) {
    const { name, message } = error as Error;
    process.stdout.write(`${JSON.stringify({ created: false, name, message, isError: error instanceof Error })}\n`);
  }
} else {
  const engine = new Engine();
  process.stdout.write(`${JSON.stringify({ tier: engine.tier, fib20: run(engine), interpreter: run(new Engine({ tier: 'interpreter' })) })}\n`);
}
