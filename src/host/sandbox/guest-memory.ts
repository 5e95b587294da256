import type { Caller } from '../caller.js';
import { SandboxError } from './errors.js';

const NO_MEMORY = new Uint8Array(0);

function describeI32(value: number): string {
  return value < 0 ? `${value} (${value >>> 0} unsigned)` : String(value);
}

/**
 * The guest's bytes ptr..ptr+len (a view, valid until the guest runs again),
 * taking both as unsigned i32 as Wasm does. A range outside the guest's memory
 * 0 (or any non-empty range when it has none) is a HostError naming `where`.
 */
export function guestBytes(caller: Caller, where: string, ptr: number, len: number): Uint8Array {
  const memory = caller.memory()?.data() ?? NO_MEMORY;
  const start = ptr >>> 0;
  const end = start + (len >>> 0);
  if (end > memory.length) {
    const size = memory === NO_MEMORY ? 'the guest has no linear memory' : `the guest's memory is ${memory.length} bytes`;
    throw new SandboxError('HostError', `${where}: ptr ${describeI32(ptr)} + len ${describeI32(len)} is out of bounds: ${size}`);
  }
  return memory.subarray(start, end);
}
