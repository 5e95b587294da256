/** WebAssembly.Table. */

import { Table as CoreTable, type ValTypeName } from '../index.js';
import { agentStore } from './agent.js';
import { defaultValue, toJSValue, toWebAssemblyValue } from './values.js';
import { defineInterface, InternalSlots, requiredMember, toDictionary, toEnum, toUnsignedLong } from './webidl.js';

export type TableKind = 'anyfunc' | 'externref';

export interface TableDescriptor {
  element: TableKind;
  initial: number;
  maximum?: number;
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
    const element = toEnum(requiredMember(dictionary, 'element', 'WebAssembly.Table()'), ['anyfunc', 'externref'] as const, "WebAssembly.Table(): 'element'");
    const initial = toUnsignedLong(requiredMember(dictionary, 'initial', 'WebAssembly.Table()'), "WebAssembly.Table(): 'initial'");
    const maximumValue = dictionary.maximum;
    const maximum = maximumValue === undefined ? undefined : toUnsignedLong(maximumValue, "WebAssembly.Table(): 'maximum'");
    if (maximum !== undefined && maximum < initial) {
      throw new RangeError(`WebAssembly.Table(): 'maximum' ${maximum} is below 'initial' ${initial}`);
    }
    if (initial > MAX_TABLE_SIZE) throw new RangeError(`WebAssembly.Table(): 'initial' ${initial} is above the limit of ${MAX_TABLE_SIZE}`);
    const type: ValTypeName = element === 'anyfunc' ? 'funcref' : 'externref';
    const ref = initialRef(value, type);
    const core = new CoreTable(agentStore(), { element: type, min: initial, max: maximum }, ref);
    if (ref === undefined) fillUndefined(core, 0);
    bind(this, core);
  }

  get length(): number {
    return tableSlots.of(this, 'length').size();
  }

  get(index: number): unknown {
    const core = tableSlots.of(this, 'get()');
    const i = toUnsignedLong(index, 'WebAssembly.Table.get(): index');
    return toJSValue(core.get(i), elementType(core)); // RangeError out of bounds
  }

  set(index: number, value: unknown = undefined): void {
    const core = tableSlots.of(this, 'set()');
    const i = toUnsignedLong(index, 'WebAssembly.Table.set(): index');
    const type = elementType(core);
    // Only a missing value is the default here: an explicit undefined is converted (V8 and the JS-API tests).
    const ref = arguments.length < 2 ? defaultValue(type) : toWebAssemblyValue(value, type);
    core.set(i, ref); // RangeError out of bounds
  }

  /** Grows by `delta` elements set to `value` and returns the old length; RangeError when it cannot. */
  grow(delta: number, value: unknown = undefined): number {
    const core = tableSlots.of(this, 'grow()');
    const count = toUnsignedLong(delta, 'WebAssembly.Table.grow(): delta');
    const ref = initialRef(value, elementType(core));
    const old = core.grow(count, ref);
    if (ref === undefined) fillUndefined(core, old);
    return old;
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
