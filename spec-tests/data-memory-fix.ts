/**
 * A workaround for a gap in wabt's JS build: with multi-memory, a data
 * segment for a memory other than 0 gets the flags 0x02 ("explicit memory
 * index") but its writer, whose features are not those of the parser, leaves
 * out the index itself. This reads the memory each data segment names from
 * the text and puts the index back into the binary. (The text format reader of
 * purewasm's own that replaces wabt makes this file unnecessary.)
 */
import { head, parseSExprs, type SExpr, type SList } from './sexpr.js';

/** Memory index of every data segment of the module text, in order. */
function dataSegmentMemories(text: string): number[] {
  const [module] = parseSExprs(text);
  if (module === undefined || head(module) !== 'module') return [];
  const fields = (module as SList).items.filter((item): item is SList => item.kind === 'list');
  const memoryNames = new Map<string, number>();
  let memoryCount = 0;
  const nameOf = (field: SList): string | undefined => {
    const id = field.items[1];
    return id?.kind === 'atom' && id.text.startsWith('$') ? id.text : undefined;
  };
  // Imported memories come first in the index space.
  const isImportedMemory = (field: SList): boolean =>
    (head(field) === 'import' && field.items.some((item) => head(item) === 'memory')) ||
    (head(field) === 'memory' && field.items.some((item) => head(item) === 'import'));
  for (const pass of [true, false]) {
    for (const field of fields) {
      if (isImportedMemory(field) !== pass) continue;
      if (head(field) === 'memory') {
        const name = nameOf(field);
        if (name !== undefined) memoryNames.set(name, memoryCount);
        memoryCount++;
      } else if (head(field) === 'import') {
        const desc = field.items.find((item) => head(item) === 'memory') as SList;
        const name = nameOf(desc);
        if (name !== undefined) memoryNames.set(name, memoryCount);
        memoryCount++;
      }
    }
  }
  const indexOf = (ref: SExpr | undefined): number => {
    if (ref?.kind !== 'atom') return 0;
    return ref.text.startsWith('$') ? memoryNames.get(ref.text) ?? 0 : Number(ref.text);
  };
  const memories: number[] = [];
  let definedMemory = memoryCount - fields.filter((f) => head(f) === 'memory' && !isImportedMemory(f)).length;
  for (const field of fields) {
    if (head(field) === 'memory' && !isImportedMemory(field)) {
      // `(memory (data ...))`: an inline segment of this memory.
      if (field.items.some((item) => head(item) === 'data')) memories.push(definedMemory);
      definedMemory++;
    } else if (head(field) === 'data') {
      const use = field.items.find((item) => head(item) === 'memory') as SList | undefined;
      const second = field.items[1];
      const third = field.items[2];
      // `(data (memory x) ...)`, `(data x (offset ...))` or `(data $id x ...)`.
      if (use !== undefined) memories.push(indexOf(use.items[1]));
      else if (second?.kind === 'atom' && !second.text.startsWith('$')) memories.push(indexOf(second));
      else if (third?.kind === 'atom') memories.push(indexOf(third));
      else memories.push(0);
    }
  }
  return memories;
}

function readU32(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, pos];
  }
}

function skipLeb(bytes: Uint8Array, pos: number): number {
  while (bytes[pos++]! & 0x80);
  return pos;
}

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Skips a constant expression (as wabt writes them) up to and including its `end`. */
function skipConstExpr(bytes: Uint8Array, pos: number): number {
  for (;;) {
    const op = bytes[pos++]!;
    if (op === 0x0b) return pos;
    if (op === 0x41 || op === 0x42 || op === 0x23) pos = skipLeb(bytes, pos);
  }
}

/** The binary with the memory index of every data segment flagged 0x02 put back (see above). */
export function fixDataSegmentMemories(binary: Uint8Array, text: string): Uint8Array {
  if (!/\(\s*memory\b[\s\S]*\(\s*memory\b/.test(text)) return binary; // one memory: nothing to fix
  let pos = 8;
  while (pos < binary.length) {
    const id = binary[pos]!;
    const [size, contentStart] = readU32(binary, pos + 1);
    const end = contentStart + size;
    if (id !== 11) {
      pos = end;
      continue;
    }
    const memories = dataSegmentMemories(text);
    const content: number[] = [];
    let [count, p] = readU32(binary, contentStart);
    content.push(...uleb(count));
    for (let i = 0; i < count; i++) {
      const flags = binary[p++]!;
      content.push(flags);
      if (flags === 2) content.push(...uleb(memories[i] ?? 0));
      const from = p;
      if (flags !== 1) p = skipConstExpr(binary, p);
      const [length, dataStart] = readU32(binary, p);
      p = dataStart + length;
      content.push(...binary.subarray(from, p));
    }
    return Uint8Array.from([...binary.subarray(0, pos), 11, ...uleb(content.length), ...content, ...binary.subarray(end)]);
  }
  return binary;
}
