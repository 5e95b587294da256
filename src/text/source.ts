/**
 * Where a module may be given as text or binary (Module, the sandbox, the CLI):
 * the binary it stands for. Bytes that start with `\0` are binary (a broken
 * header is the decoder's to report); other bytes that are UTF-8 are text.
 */
import { decodeUtf8 } from '../decoder/utf8.js';
import { parseWat } from './parser.js';

/** Is `bytes` a module in the text format (UTF-8 that does not start with the binary's `\0`)? */
export function isModuleText(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] !== 0 && decodeUtf8(bytes) !== null;
}

/** The binary module of `source`: text (a string, or UTF-8 bytes) is parsed, a binary returned as is. */
export function moduleBinary(source: Uint8Array | string): Uint8Array {
  if (typeof source === 'string') return parseWat(stripBom(source));
  if (!isModuleText(source)) return source;
  return parseWat(stripBom(decodeUtf8(source)!));
}

/** A leading byte order mark is not part of the text. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
