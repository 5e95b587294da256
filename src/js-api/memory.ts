/**
 * WebAssembly.Memory. `buffer` is the core memory's current ArrayBuffer; the
 * one handed out before a grow (from JS or by `memory.grow` in WebAssembly,
 * also by 0 pages) is detached, from the core memory's grow listener.
 */

import { Memory as CoreMemory } from '../index.js';
import { MAX_PAGES, MAX_PAGES_64 } from '../interpreter/memory.js';
import { agentStore } from './agent.js';
import {
  defineInterface, fromAddressValue, InternalSlots, requiredMember, toAddressValue, toDictionary, toEnum, type AddressType,
} from './webidl.js';

export interface MemoryDescriptor {
  initial: number | bigint;
  maximum?: number | bigint;
  /** 'i64' for a 64-bit memory (memory64), whose sizes are BigInts. */
  address?: AddressType;
}

class MemoryState {
  readonly core: CoreMemory;
  /** The buffer last handed out (the core's current one: a grow detaches it), or null. */
  buffer: ArrayBuffer | null = null;

  constructor(core: CoreMemory) {
    this.core = core;
    // With a listener the core also replaces its buffer on a grow by 0 pages, as the JS API requires.
    core.onGrow(() => {
      if (this.buffer === null) return;
      detach(this.buffer);
      this.buffer = null;
    });
  }
}

const memorySlots = new InternalSlots<MemoryState>('WebAssembly.Memory');
/** The Memory object cache: at most one Memory object per core memory. */
const memoryObjects = new WeakMap<CoreMemory, Memory>();

type Transferable = ArrayBuffer & { transfer?: () => ArrayBuffer };

/**
 * Detaches a buffer the core no longer uses: ArrayBuffer.prototype.transfer
 * (ES2024) where the engine has it, else a transferring structuredClone
 * (browsers, Node 17+); both move the bytes without copying them.
 */
function detach(buffer: ArrayBuffer): void {
  const transfer = (buffer as Transferable).transfer;
  if (typeof transfer === 'function') transfer.call(buffer);
  else if (typeof structuredClone === 'function') structuredClone(buffer, { transfer: [buffer] });
}

function bind(object: Memory, core: CoreMemory): void {
  memorySlots.set(object, new MemoryState(core));
  memoryObjects.set(core, object);
}

export class Memory {
  constructor(descriptor: MemoryDescriptor) {
    const dictionary = toDictionary(descriptor, 'WebAssembly.Memory(): the descriptor');
    // Members are read in the dictionary's (alphabetical) order: address, initial, maximum.
    const address = dictionary.address === undefined ? 'i32' : toEnum(dictionary.address, ['i32', 'i64'] as const, "WebAssembly.Memory(): 'address'");
    const initial = toAddressValue(requiredMember(dictionary, 'initial', 'WebAssembly.Memory()'), address, "WebAssembly.Memory(): 'initial'");
    const maximumValue = dictionary.maximum;
    const maximum = maximumValue === undefined ? undefined : toAddressValue(maximumValue, address, "WebAssembly.Memory(): 'maximum'");
    const limit = address === 'i64' ? MAX_PAGES_64 : MAX_PAGES;
    if (initial > limit) throw new RangeError(`WebAssembly.Memory(): 'initial' ${initial} is above the limit of ${limit} pages`);
    if (maximum !== undefined && maximum > limit) {
      throw new RangeError(`WebAssembly.Memory(): 'maximum' ${maximum} is above the limit of ${limit} pages`);
    }
    if (maximum !== undefined && maximum < initial) {
      throw new RangeError(`WebAssembly.Memory(): 'maximum' ${maximum} is below 'initial' ${initial}`);
    }
    bind(this, new CoreMemory(agentStore(), { min: initial, ...(maximum === undefined ? {} : { max: maximum }), ...(address === 'i64' ? { address } : {}) }));
  }

  /** Grows by `delta` pages and returns the old size in pages (BigInts for a 64-bit memory); RangeError when it cannot. */
  grow(delta: number | bigint): number | bigint {
    const state = memorySlots.of(this, 'grow()');
    const address: AddressType = state.core.type().address ?? 'i32';
    const pages = toAddressValue(delta, address, 'WebAssembly.Memory.grow(): delta');
    return fromAddressValue(state.core.grow(pages), address); // RangeError when it cannot grow
  }

  get buffer(): ArrayBuffer {
    const state = memorySlots.of(this, 'buffer');
    state.buffer ??= state.core.buffer();
    return state.buffer;
  }
}
defineInterface(Memory, 'Memory');

/** The Memory object for a core memory (created on first use). */
export function memoryObject(core: CoreMemory): Memory {
  let object = memoryObjects.get(core);
  if (object === undefined) {
    object = Object.create(Memory.prototype) as Memory;
    bind(object, core);
  }
  return object;
}

/** The core memory of a Memory object, or undefined for anything else. */
export function coreMemoryOf(value: unknown): CoreMemory | undefined {
  return memorySlots.find(value)?.core;
}
