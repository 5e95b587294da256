/**
 * Text-format modules to binary, through the `wabt` dev dependency. wabt only
 * parses and encodes here; purewasm alone judges whether a binary is valid.
 */
import type wabtFactory from 'wabt';
import { fixDataSegmentMemories } from './data-memory-fix.js';

export type WabtModule = Awaited<ReturnType<typeof wabtFactory>>;

/** The 2.0 features, SIMD and relaxed SIMD, and the 3.0 ones purewasm runs, so wabt's parser accepts their instructions. */
const FEATURES = {
  simd: true,
  relaxed_simd: true,
  multi_value: true,
  tail_call: true,
  extended_const: true,
  multi_memory: true,
  memory64: true,
  exceptions: true,
  bulk_memory: true,
  reference_types: true,
  sign_extension: true,
  sat_float_to_int: true,
  mutable_globals: true,
};

/** wabt could not read the text (a malformed text module, or a gap in wabt). */
export class TextFormatError extends Error {
  override name = 'TextFormatError';
}

let wabtLoading: Promise<WabtModule> | undefined;

export function loadWabt(): Promise<WabtModule> {
  wabtLoading ??= import('wabt').then((mod) => mod.default());
  return wabtLoading;
}

export function watToBinary(wabt: WabtModule, text: string): Uint8Array {
  let parsed;
  try {
    // Exactly this input form: wabt mis-reads strings and other array types.
    parsed = wabt.parseWat('module.wat', Uint8Array.from(Buffer.from(text, 'utf8')), FEATURES);
  } catch (error) {
    throw new TextFormatError(error instanceof Error ? error.message : String(error));
  }
  try {
    return fixDataSegmentMemories(parsed.toBinary({}).buffer.slice(), text);
  } catch (error) {
    throw new TextFormatError(error instanceof Error ? error.message : String(error));
  } finally {
    parsed.destroy();
  }
}
