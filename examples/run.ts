/**
 * The bundled example (`npm run example`): runs examples/primes.wasm on purewasm
 * with a host function and fuel metering, and prints what it computed and cost.
 */
import { readFileSync } from 'node:fs';
import { Engine, Linker, Module, Store } from '../src/index.js';

const limit = Number(process.argv[2] ?? 100_000);
const bytes = readFileSync(new URL('./primes.wasm', import.meta.url));

const engine = new Engine({ consumeFuel: true });
const module = new Module(engine, bytes);
const store = new Store(engine);
store.setFuel(1_000_000_000);

const linker = new Linker(engine);
linker.funcWrap('env', 'log', { params: ['i32', 'i32'], results: [] }, (caller, ptr: number, len: number) => {
  const memory = caller.memory('memory');
  if (!memory) throw new Error('the guest exports no memory');
  console.log(`guest says: ${new TextDecoder().decode(memory.data().subarray(ptr, ptr + len))}`);
});

const instance = linker.instantiate(store, module);
const countPrimes = instance.getFunc(store, 'count_primes');
if (!countPrimes) throw new Error('count_primes is not exported');

const [count] = countPrimes.call(store, [limit]);
console.log(`count_primes(${limit}) = ${String(count)}`);
console.log(`fuel consumed: ${1_000_000_000 - store.getFuel()}`);
