/**
 * WebAssembly text to bytes for tests, through the wabt devDependency (2.0
 * features and relaxed SIMD on). wabt mangles strings, so the text goes in as UTF-8 bytes.
 */
const wabt = await (await import('wabt')).default();

export function wat(text: string, options: { names?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const parsed = wabt.parseWat('test.wat', Uint8Array.from(Buffer.from(text, 'utf8')), {
    multi_value: true,
    bulk_memory: true,
    reference_types: true,
    simd: true,
    relaxed_simd: true,
  });
  try {
    return Uint8Array.from(parsed.toBinary({ write_debug_names: options.names ?? false }).buffer);
  } finally {
    parsed.destroy();
  }
}
