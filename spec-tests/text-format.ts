/**
 * Text-format modules to binary, through the `wabt` dev dependency. wabt only
 * parses and encodes here; purewasm alone judges whether a binary is valid.
 */
import type wabtFactory from 'wabt';

export type WabtModule = Awaited<ReturnType<typeof wabtFactory>>;

/**
 * The 2.0 features and relaxed SIMD, so wabt's parser accepts every instruction
 * purewasm implements; memory64 so that a 3.0 script's offset of 2^32 or more
 * (invalid for a 32-bit memory) is encoded for purewasm to reject, not refused by wabt.
 */
const FEATURES = {
  simd: true,
  relaxed_simd: true,
  memory64: true,
  multi_value: true,
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
    return parsed.toBinary({}).buffer.slice();
  } catch (error) {
    throw new TextFormatError(error instanceof Error ? error.message : String(error));
  } finally {
    parsed.destroy();
  }
}
