/**
 * hash-wasm, loaded unmodified from node_modules: its hand-tuned C hashers
 * compiled to WebAssembly, on inputs that have published test vectors.
 */

import { argon2id, blake3, sha256, xxhash64 } from 'hash-wasm';

/** The BLAKE3 test-vector input: the bytes 0, 1, ..., 250 repeated. */
export function blake3VectorInput(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i % 251);
}

export interface HashWasmResults {
  sha256Abc: string;
  sha256TwoBlocks: string;
  blake3Empty: string;
  blake3OneByte: string;
  blake3TwoChunks: string;
  xxhash64Empty: string;
  xxhash64Abc: string;
  xxhash64Long: string;
  argon2id: string;
}

export async function hashWasmWorkload(): Promise<HashWasmResults> {
  return {
    sha256Abc: await sha256('abc'),
    sha256TwoBlocks: await sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    blake3Empty: await blake3(''),
    blake3OneByte: await blake3(blake3VectorInput(1)),
    // 1025 bytes: two chunks, so the tree's parent node is hashed too.
    blake3TwoChunks: await blake3(blake3VectorInput(1025)),
    xxhash64Empty: await xxhash64(''),
    xxhash64Abc: await xxhash64('abc'),
    // Longer than 32 bytes: the four-lane stripe loop runs.
    xxhash64Long: await xxhash64('Nobody inspects the spammish repetition'),
    // The smallest Argon2id case of the reference implementation's test suite (m = 256 KiB).
    argon2id: await argon2id({
      password: 'password', salt: 'somesalt', iterations: 2, memorySize: 256, parallelism: 1, hashLength: 32, outputType: 'hex',
    }),
  };
}
