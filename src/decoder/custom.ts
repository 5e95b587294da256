/** Custom sections, and the function names of the `name` custom section. */
import { CompileError } from '../errors.js';
import type { CustomSection } from './module.js';
import { ByteReader } from './reader.js';
import { readVecLength } from './vector.js';

export const NAME_SECTION = 'name';
const FUNCTION_NAMES_SUBSECTION = 1;

/** The name must be valid UTF-8 and fit in the section; the rest is kept as a view. */
export function readCustomSection(r: ByteReader): CustomSection {
  const name = r.name();
  return { name, bytes: r.bytesN(r.end - r.pos) };
}

/**
 * Function names from a `name` section's payload. The name section is debug
 * information: a malformed one is ignored (an empty map), never a module error.
 */
export function decodeFunctionNames(payload: Uint8Array): Map<number, string> {
  try {
    return readFunctionNames(new ByteReader(payload));
  } catch (error) {
    if (error instanceof CompileError) return new Map();
    throw error;
  }
}

function readFunctionNames(r: ByteReader): Map<number, string> {
  const names = new Map<number, string>();
  let lastId = -1;
  while (!r.atEnd) {
    const id = r.u8();
    // Each subsection occurs at most once, in order of increasing id.
    if (id <= lastId) r.fail('name subsections out of order', r.pos - 1);
    lastId = id;
    const size = r.u32();
    if (size > r.end - r.pos) r.fail('name subsection size out of bounds');
    const subsectionEnd = r.pos + size;
    if (id === FUNCTION_NAMES_SUBSECTION) {
      const payloadEnd = r.end;
      r.end = subsectionEnd;
      const count = readVecLength(r);
      for (let i = 0; i < count; i++) {
        const index = r.u32();
        const name = r.name();
        if (!names.has(index)) names.set(index, name);
      }
      if (r.pos !== subsectionEnd) r.fail('name subsection size mismatch');
      r.end = payloadEnd;
    }
    r.pos = subsectionEnd;
  }
  return names;
}
