/**
 * WebAssembly.Memory. `buffer` is the core memory's current ArrayBuffer; the
 * one handed out before a grow (from JS or by `memory.grow` in WebAssembly) is
 * detached. The core reports no growth, so the buffers handed out are checked
 * against the core's current one whenever JS can observe them: on `buffer`, on
 * `grow`, when a call into WebAssembly returns or throws and before
 * WebAssembly calls a JS function (`refreshMemoryBuffers`).
 */

import { Memory as CoreMemory } from '../index.js';
import { agentStore } from './agent.js';
import { defineInterface, InternalSlots, requiredMember, toDictionary, toUnsignedLong } from './webidl.js';

export interface MemoryDescriptor {
  initial: number;
  maximum?: number;
}

const MAX_PAGES = 65536;

class MemoryState {
  readonly core: CoreMemory;
  /** The buffer last handed out (the core's current one when it was), or null. */
  buffer: ArrayBuffer | null = null;
  /** This state in `exposedMemories`; weak so that handing out a buffer keeps no memory alive. */
  readonly ref = new WeakRef(this);

  constructor(core: CoreMemory) {
    this.core = core;
  }
}

const memorySlots = new InternalSlots<MemoryState>('WebAssembly.Memory');
/** The Memory object cache: at most one Memory object per core memory. */
const memoryObjects = new WeakMap<CoreMemory, Memory>();
/** Memories whose handed-out buffer is still the core's current one. */
const exposedMemories = new Set<WeakRef<MemoryState>>();

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

function refresh(state: MemoryState): void {
  if (state.buffer === null || state.buffer === state.core.buffer()) return;
  detach(state.buffer);
  state.buffer = null;
  exposedMemories.delete(state.ref);
}

/** Detaches every handed-out buffer its memory has replaced. */
export function refreshMemoryBuffers(): void {
  for (const ref of exposedMemories) {
    const state = ref.deref();
    if (state === undefined) exposedMemories.delete(ref);
    else refresh(state);
  }
}

function bind(object: Memory, core: CoreMemory): void {
  memorySlots.set(object, new MemoryState(core));
  memoryObjects.set(core, object);
}

export class Memory {
  constructor(descriptor: MemoryDescriptor) {
    const dictionary = toDictionary(descriptor, 'WebAssembly.Memory(): the descriptor');
    const initial = toUnsignedLong(requiredMember(dictionary, 'initial', 'WebAssembly.Memory()'), "WebAssembly.Memory(): 'initial'");
    const maximumValue = dictionary.maximum;
    const maximum = maximumValue === undefined ? undefined : toUnsignedLong(maximumValue, "WebAssembly.Memory(): 'maximum'");
    if (initial > MAX_PAGES) throw new RangeError(`WebAssembly.Memory(): 'initial' ${initial} is above the limit of ${MAX_PAGES} pages`);
    if (maximum !== undefined && maximum > MAX_PAGES) {
      throw new RangeError(`WebAssembly.Memory(): 'maximum' ${maximum} is above the limit of ${MAX_PAGES} pages`);
    }
    if (maximum !== undefined && maximum < initial) {
      throw new RangeError(`WebAssembly.Memory(): 'maximum' ${maximum} is below 'initial' ${initial}`);
    }
    bind(this, new CoreMemory(agentStore(), maximum === undefined ? { min: initial } : { min: initial, max: maximum }));
  }

  /** Grows by `delta` pages and returns the old size in pages; RangeError when it cannot. */
  grow(delta: number): number {
    const state = memorySlots.of(this, 'grow()');
    const pages = toUnsignedLong(delta, 'WebAssembly.Memory.grow(): delta');
    const old = state.core.grow(pages); // RangeError when it cannot grow
    refresh(state);
    return old;
  }

  get buffer(): ArrayBuffer {
    const state = memorySlots.of(this, 'buffer');
    refresh(state);
    if (state.buffer === null) {
      state.buffer = state.core.buffer();
      exposedMemories.add(state.ref);
    }
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
