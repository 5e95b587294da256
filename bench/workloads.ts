/** The benchmark workloads: C sources in workloads/, built to .wasm by workloads/build.sh. */
import { fileURLToPath } from 'node:url';

export interface Workload {
  /** Also the file name: workloads/NAME.c and workloads/NAME.wasm. */
  readonly name: string;
  /** The argument of `run(n)`, sized so one V8 TurboFan run takes about 2 ms. */
  readonly n: number;
  /** `run(n)`'s result, checked natively (x86-64 clang) once: guards the .wasm against drifting from its source and n. */
  readonly checksum: string;
  readonly description: string;
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'fib', n: 30, checksum: '832040', description: 'recursion: naive Fibonacci' },
  { name: 'matmul', n: 176, checksum: '-450299904', description: 'loops over memory: i32 matrix multiply' },
  { name: 'nbody', n: 50_000, checksum: '-4628112337076096852', description: 'f64 math: n-body simulation' },
  { name: 'hash64', n: 2_000, checksum: '7125565627425151809', description: 'i64 hashing: xxHash64-style mixing over 16 KiB' },
  { name: 'quicksort', n: 50_000, checksum: '80558408', description: 'sorting: quicksort of pseudo-random i32' },
  { name: 'interp', n: 10_000, checksum: '1229', description: 'switch-heavy bytecode interpreter (br_table)' },
  { name: 'bulkmem', n: 10_000, checksum: '1335012569', description: 'bulk memory: memory.copy / memory.fill' },
];

export function wasmPath(workload: Workload): string {
  return fileURLToPath(new URL(`./workloads/${workload.name}.wasm`, import.meta.url));
}
