import type { FuncType } from '../decoder/module.js';
import { signatureId } from '../interpreter/ir.js';
import type { Caller } from './caller.js';
import { checkEngine, type Engine } from './engine.js';
import type { Extern } from './extern.js';
import { Func } from './func.js';
import { Global } from './global.js';
import type { Instance } from './instance.js';
import { instantiateModule } from './instantiate.js';
import { Memory } from './memory.js';
import type { Module } from './module.js';
import type { Store } from './store.js';
import { Table } from './table.js';
import { Tag } from './tag.js';
import { funcTypeFromDesc, type FuncTypeDesc } from './types.js';

/** A host function defined once in a linker and created per store on first use. */
class HostFuncDefinition {
  /** "module.name", the name profilers see. */
  private readonly name: string;
  private readonly type: FuncType;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly fn: (caller: Caller<any>, ...args: any[]) => any;
  private readonly perStore = new WeakMap<Store, Func>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(name: string, type: FuncType, fn: (caller: Caller<any>, ...args: any[]) => any) {
    this.name = name;
    this.type = type;
    this.fn = fn;
  }

  funcFor(store: Store): Func {
    let func = this.perStore.get(store);
    if (func === undefined) {
      func = new Func(store, this.type, signatureId(this.type.params, this.type.results), null, null, -1, this.fn);
      func.hostName = this.name;
      this.perStore.set(store, func);
    }
    return func;
  }
}

function isExtern(item: unknown): item is Extern {
  return item instanceof Func || item instanceof Memory || item instanceof Table || item instanceof Global || item instanceof Tag;
}

function checkName(value: unknown, what: string): void {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
}

/**
 * Names items by (module, name) and resolves a module's imports with them.
 * A later definition of the same name replaces the earlier one.
 */
export class Linker {
  readonly engine: Engine;
  private readonly items = new Map<string, Map<string, Extern | HostFuncDefinition>>();

  constructor(engine: Engine) {
    checkEngine(engine, 'a Linker');
    this.engine = engine;
  }

  private set(module: string, name: string, item: Extern | HostFuncDefinition): this {
    checkName(module, 'module name');
    checkName(name, 'item name');
    let names = this.items.get(module);
    if (names === undefined) {
      names = new Map();
      this.items.set(module, names);
    }
    names.set(name, item);
    return this;
  }

  define(module: string, name: string, item: Extern): this {
    if (!isExtern(item)) throw new TypeError('define expects a Func, Memory, Table, Global or Tag');
    return this.set(module, name, item);
  }

  /** A host function, usable in every store this linker instantiates into. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  funcWrap<T = unknown>(module: string, name: string, type: FuncTypeDesc, fn: (caller: Caller<T>, ...args: any[]) => any): this {
    if (typeof fn !== 'function') throw new TypeError('a host function must be a function');
    return this.set(module, name, new HostFuncDefinition(`${module}.${name}`, funcTypeFromDesc(type), fn));
  }

  /** Defines every export of `instance` under `module`. */
  defineInstance(store: Store, module: string, instance: Instance): this {
    for (const { name, value } of instance.exports(store)) this.define(module, name, value);
    return this;
  }

  /** The item defined as module.name, as seen from `store`. */
  get(store: Store, module: string, name: string): Extern | undefined {
    const item = this.items.get(module)?.get(name);
    return item instanceof HostFuncDefinition ? item.funcFor(store) : item;
  }

  /** LinkError names the import and both types; a trap in the start function is a RuntimeError. */
  instantiate(store: Store, module: Module): Instance {
    return instantiateModule(store, module, (imp) => this.get(store, imp.module, imp.name));
  }
}
