/**
 * WebAssembly text to bytes for tests, through the wabt devDependency (2.0
 * features, SIMD and relaxed SIMD, and the 3.0 ones purewasm runs on). wabt mangles strings, so the text goes in as UTF-8 bytes.
 */
import { fixDataSegmentMemories } from '../../spec-tests/data-memory-fix.js';

const wabt = await (await import('wabt')).default();

/** multi_memory is one of wabt's flags, missing from its type declarations. */
const FEATURES = {
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  simd: true,
  relaxed_simd: true,
  tail_call: true,
  extended_const: true,
  multi_memory: true,
  memory64: true,
};

export function wat(text: string, options: { names?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const parsed = wabt.parseWat('test.wat', Uint8Array.from(Buffer.from(text, 'utf8')), FEATURES);
  try {
    return Uint8Array.from(fixDataSegmentMemories(parsed.toBinary({ write_debug_names: options.names ?? false }).buffer, text));
  } finally {
    parsed.destroy();
  }
}
