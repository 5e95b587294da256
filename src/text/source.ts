/**
 * Where a module may be given as text or binary (Module, the sandbox, the CLI):
 * the binary it stands for. Bytes are text when they are UTF-8 whose first
 * token is a `(` (every text module but the empty one starts so); anything
 * else is left to the binary decoder, which reports a bad header with its offset.
 */
import { decodeUtf8 } from '../decoder/utf8.js';
import { parseWat } from './parser.js';

/** Is `bytes` a module in the text format: UTF-8 that starts with `(` after whitespace and comments? */
export function isModuleText(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // a byte order mark
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) i++;
    else if (b === 0x3b && bytes[i + 1] === 0x3b) while (i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i++;
    else if (b === 0x28 && bytes[i + 1] === 0x3b) i = skipBlockComment(bytes, i);
    else return b === 0x28 && decodeUtf8(bytes) !== null;
  }
  return false;
}

function skipBlockComment(bytes: Uint8Array, i: number): number {
  let depth = 0;
  while (i < bytes.length) {
    if (bytes[i] === 0x28 && bytes[i + 1] === 0x3b) {
      depth++;
      i += 2;
    } else if (bytes[i] === 0x3b && bytes[i + 1] === 0x29) {
      i += 2;
      if (--depth === 0) return i;
    } else {
      i++;
    }
  }
  return i;
}

/**
 * The binary module of `source`: text (a string, or UTF-8 bytes) is parsed
 * (with a name section from the functions' identifiers, for traces and
 * profiles), a binary returned as is.
 */
export function moduleBinary(source: Uint8Array | string): Uint8Array {
  if (typeof source === 'string') return parseWat(stripBom(source), { names: true });
  if (!isModuleText(source)) return source;
  return parseWat(stripBom(decodeUtf8(source)!), { names: true });
}

/** A leading byte order mark is not part of the text. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
