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
  /** SIMD workloads: 'scalar' for NAME.wasm built without SIMD, 'simd' for the same C built with -msimd128. */
  readonly simd?: 'scalar' | 'simd';
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

/** `npm run bench -- --simd`: each C source built without and with SIMD (workloads/build.sh), side by side. */
export const SIMD_WORKLOADS: readonly Workload[] = [
  { name: 'blend', n: 40, checksum: '83273968', description: 'auto-vectorized u8 alpha blend and sum', simd: 'scalar' },
  { name: 'blend-simd', n: 40, checksum: '83273968', description: 'the same, -msimd128', simd: 'simd' },
  { name: 'saxpy', n: 50, checksum: '80735', description: 'auto-vectorized f32 a*x + b*y', simd: 'scalar' },
  { name: 'saxpy-simd', n: 50, checksum: '80735', description: 'the same, -msimd128', simd: 'simd' },
  { name: 'intrinsics', n: 40, checksum: '20410', description: 'wasm_simd128.h byte count and f32x4 matrix (plain C without SIMD)', simd: 'scalar' },
  { name: 'intrinsics-simd', n: 40, checksum: '20410', description: 'the same, -msimd128: the intrinsics', simd: 'simd' },
];

export function wasmPath(workload: Workload): string {
  return fileURLToPath(new URL(`./workloads/${workload.name}.wasm`, import.meta.url));
}
