/**
 * blake3-jit, loaded unmodified from node_modules: it builds a WebAssembly SIMD
 * module at run time and uses it only when `WebAssembly.validate` accepts a
 * SIMD probe (else it hashes in plain JS), so it shows whether purewasm's
 * SIMD is picked and right. wasm-feature-detect's simd() rides along: what
 * feature-detecting programs see (its relaxedSimd() is tested in
 * js-api-simd.test.ts: Node 20's V8 has no relaxed SIMD to compare with).
 */

import { hash, warmupSimd } from 'blake3-jit';
import { simd } from 'wasm-feature-detect';
import { blake3VectorInput } from './hash-wasm.js';

/** Lengths at and above blake3-jit's SIMD threshold (4 chunks of 1024 bytes), and one below it. */
export const BLAKE3_JIT_LENGTHS = [1025, 4096, 31744, 102400];

export interface Blake3JitResults {
  featureDetectSimd: boolean;
  /** blake3-jit's own answer: its SIMD module compiled and instantiated, so inputs from 4096 bytes on use it. */
  simdBuildUsed: boolean;
  /** Hex digests of the test-vector input of each length. */
  digests: string[];
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function blake3JitWorkload(): Promise<Blake3JitResults> {
  return {
    featureDetectSimd: await simd(),
    simdBuildUsed: warmupSimd(),
    digests: BLAKE3_JIT_LENGTHS.map((length) => hex(hash(blake3VectorInput(length)))),
  };
}
