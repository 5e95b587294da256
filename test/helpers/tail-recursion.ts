/**
 * Run by tail-call.test.ts in a child process under tsx: 10 million tail calls
 * take seconds there, but minutes under vitest, whose module transform leaves
 * the executor's const-enum case labels as property loads. The tier is the
 * first argument. Prints the result and the machine's frame-stack and
 * register-file sizes before and after, as JSON.
 */
import { Engine, Linker, Module, Store } from '../../src/index.js';
import { wat } from './wat.js';

const engine = new Engine({ maxCallDepth: 8, tier: process.argv[2] === 'compiled' ? 'compiled' : 'interpreter' });
const store = new Store(engine);
const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
  (func $sum (export "sum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)))))))`)));
const m = store.machine;
const before = { frames: m.framePc.length, slots: m.capacity };
const [sum] = instance.getFunc(store, 'sum')!.call(store, [10_000_000n, 0n]);
console.log(JSON.stringify({ sum: String(sum), before, after: { frames: m.framePc.length, slots: m.capacity, depth: m.depth } }));
