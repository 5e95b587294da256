/** The sandbox test guests: .wat files compiled by purewasm's text parser on first use, .wasm files built by build.sh. */
import { readFileSync } from 'node:fs';
import { parseWat } from '../../../src/text/index.js';

const compiled = new Map<string, Uint8Array>();

function compileWat(_name: string, text: string): Uint8Array {
  return parseWat(text);
}

/** The module bytes of guest `name` (e.g. 'echo.wat', 'collatz.wasm'). */
export function guest(name: string): Uint8Array {
  let bytes = compiled.get(name);
  if (bytes === undefined) {
    const source = readFileSync(new URL(name, import.meta.url));
    bytes = name.endsWith('.wat') ? compileWat(name, source.toString('utf8')) : new Uint8Array(source);
    compiled.set(name, bytes);
  }
  return bytes;
}

/** A module from WAT text written in a test. */
export function wat(text: string): Uint8Array {
  return compileWat('inline.wat', text);
}
