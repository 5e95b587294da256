/** WebAssembly text to bytes for tests, through purewasm's own text parser. */
import { parseWat } from '../../src/text/index.js';

export function wat(text: string, options: { names?: boolean } = {}): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(parseWat(text, { names: options.names ?? false }));
}
