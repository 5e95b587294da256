/** WebAssembly.Global. */

import { Global as CoreGlobal, type ValTypeName } from '../index.js';
import { agentStore } from './agent.js';
import { defaultValue, toJSValue, toWebAssemblyValue } from './values.js';
import { defineInterface, InternalSlots, requiredMember, toDictionary, toEnum } from './webidl.js';

export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'externref' | 'anyfunc';

export interface GlobalDescriptor {
  value: ValueType;
  mutable?: boolean;
}

const VALUE_TYPES: readonly ValueType[] = ['i32', 'i64', 'f32', 'f64', 'v128', 'externref', 'anyfunc'];

const globalSlots = new InternalSlots<CoreGlobal>('WebAssembly.Global');
/** The Global object cache: at most one Global object per core global. */
const globalObjects = new WeakMap<CoreGlobal, Global>();

function bind(object: Global, core: CoreGlobal): void {
  globalSlots.set(object, core);
  globalObjects.set(core, object);
}

/** GetGlobalValue. */
function read(core: CoreGlobal): unknown {
  return toJSValue(core.get(), core.type().value);
}

export class Global {
  constructor(descriptor: GlobalDescriptor, v: unknown = undefined) {
    // Dictionary members are read in lexicographic order: mutable, then value.
    const dictionary = toDictionary(descriptor, 'WebAssembly.Global(): the descriptor');
    const mutable = Boolean(dictionary.mutable);
    const valueType = toEnum(requiredMember(dictionary, 'value', 'WebAssembly.Global()'), VALUE_TYPES, "WebAssembly.Global(): 'value'");
    if (valueType === 'v128') throw new TypeError('WebAssembly.Global(): v128 globals cannot be created from JS');
    const type: ValTypeName = valueType === 'anyfunc' ? 'funcref' : valueType;
    // Web IDL passes an explicit undefined as a missing value: DefaultValue.
    const value = v === undefined ? defaultValue(type) : toWebAssemblyValue(v, type);
    bind(this, new CoreGlobal(agentStore(), { value: type, mutable }, value));
  }

  get value(): unknown {
    return read(globalSlots.of(this, 'value'));
  }

  set value(v: unknown) {
    const core = globalSlots.of(this, 'value');
    const type = core.type();
    if (!type.mutable) throw new TypeError('WebAssembly.Global.value: cannot set the value of an immutable global');
    core.set(toWebAssemblyValue(v, type.value));
  }

  valueOf(): unknown {
    return read(globalSlots.of(this, 'valueOf()'));
  }
}
defineInterface(Global, 'Global');

/** The Global object for a core global (created on first use). */
export function globalObject(core: CoreGlobal): Global {
  let object = globalObjects.get(core);
  if (object === undefined) {
    object = Object.create(Global.prototype) as Global;
    bind(object, core);
  }
  return object;
}

/** The core global of a Global object, or undefined for anything else. */
export function coreGlobalOf(value: unknown): CoreGlobal | undefined {
  return globalSlots.find(value);
}

/** A new immutable global holding `value`, for a global import given as a plain value. */
export function constantGlobal(type: ValTypeName, value: unknown): CoreGlobal {
  return new CoreGlobal(agentStore(), { value: type, mutable: false }, value);
}
