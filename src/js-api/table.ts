/** WebAssembly.Table. */

import { Table as CoreTable, type ValTypeName } from '../index.js';
import { agentStore } from './agent.js';
import { defaultValue, toJSValue, toWebAssemblyValue } from './values.js';
import {
  defineInterface, fromAddressValue, InternalSlots, requiredMember, toAddressValue, toDictionary, toEnum, type AddressType,
} from './webidl.js';

export type TableKind = 'anyfunc' | 'externref';

export interface TableDescriptor {
  element: TableKind;
  initial: number | bigint;
  maximum?: number | bigint;
  /** 'i64' for a 64-bit table (table64), whose indices and sizes are BigInts. */
  address?: AddressType;
}

/** The JS-API's limit on a table's size. */
const MAX_TABLE_SIZE = 10_000_000;

const tableSlots = new InternalSlots<CoreTable>('WebAssembly.Table');
/** The Table object cache: at most one Table object per core table. */
const tableObjects = new WeakMap<CoreTable, Table>();

function bind(object: Table, core: CoreTable): void {
  tableSlots.set(object, core);
  tableObjects.set(core, object);
}

function elementType(core: CoreTable): ValTypeName {
  return core.type().element;
}

function addressType(core: CoreTable): AddressType {
  return core.type().address ?? 'i32';
}

/** A missing value is DefaultValue; Web IDL passes an explicit undefined as missing too. */
function initialRef(value: unknown, type: ValTypeName): unknown {
  return value === undefined ? defaultValue(type) : toWebAssemblyValue(value, type);
}

/**
 * Sets elements from..size-1 to undefined, the default externref, which the
 * core's constructor and grow take as "no init" (null).
 */
function fillUndefined(core: CoreTable, from: number): void {
  for (let i = from; i < core.size(); i++) core.set(i, undefined);
}

export class Table {
  constructor(descriptor: TableDescriptor, value: unknown = undefined) {
    const dictionary = toDictionary(descriptor, 'WebAssembly.Table(): the descriptor');
    // Members are read in the dictionary's (alphabetical) order: address, element, initial, maximum.
    const address = dictionary.address === undefined ? 'i32' : toEnum(dictionary.address, ['i32', 'i64'] as const, "WebAssembly.Table(): 'address'");
    const element = toEnum(requiredMember(dictionary, 'element', 'WebAssembly.Table()'), ['anyfunc', 'externref'] as const, "WebAssembly.Table(): 'element'");
    const initial = toAddressValue(requiredMember(dictionary, 'initial', 'WebAssembly.Table()'), address, "WebAssembly.Table(): 'initial'");
    const maximumValue = dictionary.maximum;
    // A 64-bit table's maximum can be up to 2^64 - 1; past 2^53 it cannot be reached either, so it is kept as 2^53 - 1.
    const maximum = maximumValue === undefined ? undefined
      : Math.min(toAddressValue(maximumValue, address, "WebAssembly.Table(): 'maximum'"), Number.MAX_SAFE_INTEGER);
    if (maximum !== undefined && maximum < initial) {
      throw new RangeError(`WebAssembly.Table(): 'maximum' ${maximum} is below 'initial' ${initial}`);
    }
    if (initial > MAX_TABLE_SIZE) throw new RangeError(`WebAssembly.Table(): 'initial' ${initial} is above the limit of ${MAX_TABLE_SIZE}`);
    const type: ValTypeName = element === 'anyfunc' ? 'funcref' : 'externref';
    const ref = initialRef(value, type);
    const core = new CoreTable(agentStore(), { element: type, min: initial, max: maximum, ...(address === 'i64' ? { address } : {}) }, ref);
    if (ref === undefined) fillUndefined(core, 0);
    bind(this, core);
  }

  /** The number of elements (a BigInt for a 64-bit table). */
  get length(): number | bigint {
    const core = tableSlots.of(this, 'length');
    return fromAddressValue(core.size(), addressType(core));
  }

  get(index: number | bigint): unknown {
    const core = tableSlots.of(this, 'get()');
    const i = toAddressValue(index, addressType(core), 'WebAssembly.Table.get(): index');
    return toJSValue(core.get(i), elementType(core)); // RangeError out of bounds
  }

  set(index: number | bigint, value: unknown = undefined): void {
    const core = tableSlots.of(this, 'set()');
    const i = toAddressValue(index, addressType(core), 'WebAssembly.Table.set(): index');
    const type = elementType(core);
    // Only a missing value is the default here: an explicit undefined is converted (V8 and the JS-API tests).
    const ref = arguments.length < 2 ? defaultValue(type) : toWebAssemblyValue(value, type);
    core.set(i, ref); // RangeError out of bounds
  }

  /** Grows by `delta` elements set to `value` and returns the old length (BigInts for a 64-bit table); RangeError when it cannot. */
  grow(delta: number | bigint, value: unknown = undefined): number | bigint {
    const core = tableSlots.of(this, 'grow()');
    const address = addressType(core);
    const count = toAddressValue(delta, address, 'WebAssembly.Table.grow(): delta');
    const ref = initialRef(value, elementType(core));
    const old = core.grow(count, ref);
    if (ref === undefined) fillUndefined(core, old);
    return fromAddressValue(old, address);
  }
}
defineInterface(Table, 'Table');

/** The Table object for a core table (created on first use). */
export function tableObject(core: CoreTable): Table {
  let object = tableObjects.get(core);
  if (object === undefined) {
    object = Object.create(Table.prototype) as Table;
    bind(object, core);
  }
  return object;
}

/** The core table of a Table object, or undefined for anything else. */
export function coreTableOf(value: unknown): CoreTable | undefined {
  return tableSlots.find(value);
}
