/** The `spectest` host module the scripts import, as the spec's reference interpreter defines it. */
import { Func, Global, Memory, Table, type Extern, type FuncTypeDesc, type Store } from '../src/index.js';

const PRINT_FUNCTIONS: Record<string, FuncTypeDesc['params']> = {
  print: [],
  print_i32: ['i32'],
  print_i64: ['i64'],
  print_f32: ['f32'],
  print_f64: ['f64'],
  print_i32_f32: ['i32', 'f32'],
  print_f64_f64: ['f64', 'f64'],
};

export function spectestExports(store: Store): [string, Extern][] {
  const exports: [string, Extern][] = Object.entries(PRINT_FUNCTIONS).map(([name, params]) => [
    name,
    Func.wrap(store, { params, results: [] }, () => undefined),
  ]);
  exports.push(
    ['global_i32', new Global(store, { value: 'i32', mutable: false }, 666)],
    ['global_i64', new Global(store, { value: 'i64', mutable: false }, 666n)],
    ['global_f32', new Global(store, { value: 'f32', mutable: false }, 666.6)],
    ['global_f64', new Global(store, { value: 'f64', mutable: false }, 666.6)],
    ['table', new Table(store, { element: 'funcref', min: 10, max: 20 }, null)],
    ['memory', new Memory(store, { min: 1, max: 2 })],
  );
  return exports;
}
