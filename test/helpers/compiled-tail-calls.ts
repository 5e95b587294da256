/**
 * Run by compiled-tier-tail-calls.test.ts in a child process under tsx (10 million calls take minutes under vitest's
 * transform, see tail-recursion.ts). Arguments: the tier and n. Runs n tail calls three ways with fuel metering:
 * self recursion, mutual recursion between functions of different frame sizes, and recursion through a table, and
 * prints the results, the fuel each consumed, the machine's frame-stack and register-file sizes after, and the
 * compiled tier's statistics, as JSON.
 */
import { tierStatistics } from '../../src/compiler/runtime.js';
import { Engine, Linker, Module, Store } from '../../src/index.js';
import { wat } from './wat.js';

const tier = process.argv[2] === 'compiled' ? 'compiled' : 'interpreter';
const n = Number(process.argv[3]);
const engine = new Engine({ maxCallDepth: 8, tier, consumeFuel: true });
const store = new Store(engine);
const instance = new Linker(engine).instantiate(store, new Module(engine, wat(`(module
  (type $sum (func (param i64 i64) (result i64)))
  (table 1 funcref)
  (elem (i32.const 0) $sumIndirect)
  (func $sum (export "sum") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
  (func $sumIndirect (export "sumIndirect") (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call_indirect (type $sum)
        (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)) (i32.const 0)))))
  (func $even (export "even") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd (param $n i32) (result i32) (local f64 f64 f64 i64)
    (local.set 1 (f64.const 1.5))
    (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get $n) (i32.const 1)))))))`)));
const m = store.machine;
const report: Record<string, unknown> = {};
for (const [name, args] of [['sum', [BigInt(n), 0n]], ['sumIndirect', [BigInt(n), 0n]], ['even', [n + 1]]] as const) {
  store.setFuel(Number.MAX_SAFE_INTEGER);
  const [result] = instance.getFunc(store, name)!.call(store, [...args]);
  report[name] = { result: String(result), fuel: Number.MAX_SAFE_INTEGER - store.getFuel() };
}
report.after = { frames: m.framePc.length, slots: m.capacity, depth: m.depth };
report.tiers = tierStatistics();
console.log(JSON.stringify(report));
