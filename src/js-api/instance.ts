/** WebAssembly.Instance: reading the imports, instantiating, and the exports object. */

import {
  Func, Global as CoreGlobal, instantiate, Memory as CoreMemory, Table as CoreTable, Tag as CoreTag,
  type Extern, type FuncTypeDesc, type GlobalTypeDesc, type ImportType, type Instance as CoreInstance, type Module as CoreModule,
} from '../index.js';
import { agentStore } from './agent.js';
import { jsApiError, LinkError } from './errors.js';
import { constantGlobal, coreGlobalOf, globalObject, type Global } from './global.js';
import { coreMemoryOf, memoryObject, type Memory } from './memory.js';
import { coreModuleOf, type Module } from './module.js';
import { coreTableOf, tableObject, type Table } from './table.js';
import { coreTagOf, tagObject, type Tag } from './exception.js';
import { exportedFunction, functionAddressOf, hostFunction, toWebAssemblyValue, type Callable } from './values.js';
import { defineInterface, InternalSlots, isObject, toOptionalObject } from './webidl.js';

/** What an exports object holds: Exported Functions, Memory, Table and Global objects. */
export type ExportValue = Callable | Memory | Table | Global | Tag;
export type Exports = Record<string, ExportValue>;

/** The exports object of each Instance. */
const instanceSlots = new InternalSlots<Exports>('WebAssembly.Instance');

function importName(imp: ImportType): string {
  return `import ${imp.module}.${imp.name}`;
}

/** A global import given as a plain value: a new immutable global, or LinkError when the value does not fit. */
function globalFromValue(imp: ImportType, value: unknown): CoreGlobal {
  const type = (imp.type as GlobalTypeDesc).value;
  const fits = type === 'i64' ? typeof value === 'bigint'
    : type === 'i32' || type === 'f32' || type === 'f64' ? typeof value === 'number'
      : type !== 'v128';
  if (!fits) throw new LinkError(`${importName(imp)}: a ${type} global import needs a WebAssembly.Global or a ${type === 'i64' ? 'BigInt' : 'Number'}`);
  let converted: unknown;
  try {
    converted = toWebAssemblyValue(value, type);
  } catch (error) {
    throw new LinkError(`${importName(imp)}: ${(error as Error).message}`, { cause: error });
  }
  return constantGlobal(type, converted);
}

/** "Read the imports": one core extern per import, in order; TypeError or LinkError naming the import. */
export function readImports(module: CoreModule, importObject: object | undefined): Extern[] {
  const imports = module.imports();
  if (imports.length > 0 && importObject === undefined) {
    throw new TypeError('an imports object is required: the module has imports');
  }
  let functionIndex = 0;
  return imports.map((imp) => {
    const namespace = (importObject as Record<string, unknown>)[imp.module];
    if (!isObject(namespace)) throw new TypeError(`${importName(imp)}: the imports object's "${imp.module}" is not an object`);
    const value = (namespace as Record<string, unknown>)[imp.name];
    switch (imp.kind) {
      case 'func': {
        if (typeof value !== 'function') throw new LinkError(`${importName(imp)}: a function import needs a callable`);
        const index = functionIndex++;
        return functionAddressOf(value) ?? hostFunction(value as Callable, imp.type as FuncTypeDesc, index);
      }
      case 'global':
        return coreGlobalOf(value) ?? globalFromValue(imp, value);
      case 'memory': {
        const memory = coreMemoryOf(value);
        if (memory === undefined) throw new LinkError(`${importName(imp)}: a memory import needs a WebAssembly.Memory`);
        return memory;
      }
      case 'table': {
        const table = coreTableOf(value);
        if (table === undefined) throw new LinkError(`${importName(imp)}: a table import needs a WebAssembly.Table`);
        return table;
      }
      case 'tag': {
        const tag = coreTagOf(value);
        if (tag === undefined) throw new LinkError(`${importName(imp)}: a tag import needs a WebAssembly.Tag`);
        return tag;
      }
    }
  });
}

/**
 * "Instantiate the core of a WebAssembly module": LinkError when an import
 * does not match or a segment does not fit, RuntimeError when the start
 * function traps, and what a JS function it calls throws.
 */
function instantiateCore(module: CoreModule, imports: readonly Extern[]): CoreInstance {
  try {
    return instantiate(agentStore(), module, imports);
  } catch (error) {
    throw jsApiError(error);
  }
}

function jsExtern(item: Extern): ExportValue {
  if (item instanceof Func) return exportedFunction(item);
  if (item instanceof CoreMemory) return memoryObject(item);
  if (item instanceof CoreTable) return tableObject(item);
  if (item instanceof CoreTag) return tagObject(item);
  return globalObject(item);
}

/** "Create an exports object": frozen, with a null prototype, in the module's export order. */
function exportsObject(instance: CoreInstance): Exports {
  const exports = Object.create(null) as Exports;
  for (const { name, value } of instance.exports(agentStore())) {
    Object.defineProperty(exports, name, { value: jsExtern(value), writable: true, enumerable: true, configurable: true });
  }
  return Object.freeze(exports);
}

/** "Initialize an instance object" from a module whose imports were read. */
function initialize(object: Instance, module: CoreModule, imports: readonly Extern[]): void {
  instanceSlots.set(object, exportsObject(instantiateCore(module, imports)));
}

export class Instance {
  constructor(module: Module, importObject: object | undefined = undefined) {
    const core = coreModuleOf(module);
    if (core === undefined) throw new TypeError('WebAssembly.Instance(): argument 0 must be a WebAssembly.Module');
    initialize(this, core, readImports(core, toOptionalObject(importObject, 'WebAssembly.Instance(): the imports argument')));
  }

  get exports(): Exports {
    return instanceSlots.of(this, 'exports');
  }
}
defineInterface(Instance, 'Instance');

/** Instantiates a module whose imports were read, as an Instance object (for WebAssembly.instantiate). */
export function instantiateModule(module: CoreModule, imports: readonly Extern[]): Instance {
  const instance = Object.create(Instance.prototype) as Instance;
  initialize(instance, module, imports);
  return instance;
}
