import type { InstanceContext } from '../interpreter/instance.js';
import type { Extern } from './extern.js';
import { Func } from './func.js';
import { Global } from './global.js';
import { Memory } from './memory.js';
import { checkStore, type Store } from './store.js';
import { Table } from './table.js';
import { Tag } from './tag.js';

/** An instantiated module: its exports, each always the same object. */
export class Instance {
  /** @internal */
  readonly ctx: InstanceContext;
  /** @internal */
  readonly store: Store;
  private readonly exportMap: ReadonlyMap<string, Extern>;

  /** @internal Created by instantiation. */
  constructor(store: Store, ctx: InstanceContext, exportMap: ReadonlyMap<string, Extern>) {
    this.store = store;
    this.ctx = ctx;
    this.exportMap = exportMap;
  }

  getExport(store: Store, name: string): Extern | undefined {
    checkStore(store, this.store, 'instance');
    return this.exportMap.get(name);
  }

  getFunc(store: Store, name: string): Func | undefined {
    return this.exportOfKind(store, name, Func);
  }

  getMemory(store: Store, name: string): Memory | undefined {
    return this.exportOfKind(store, name, Memory);
  }

  getTable(store: Store, name: string): Table | undefined {
    return this.exportOfKind(store, name, Table);
  }

  getGlobal(store: Store, name: string): Global | undefined {
    return this.exportOfKind(store, name, Global);
  }

  getTag(store: Store, name: string): Tag | undefined {
    return this.exportOfKind(store, name, Tag);
  }

  private exportOfKind<T extends Extern>(store: Store, name: string, kind: abstract new (...args: never[]) => T): T | undefined {
    const item = this.getExport(store, name);
    return item instanceof kind ? item : undefined;
  }

  /** Every export, in the module's order. */
  exports(store: Store): { name: string; value: Extern }[] {
    checkStore(store, this.store, 'instance');
    return [...this.exportMap].map(([name, value]) => ({ name, value }));
  }
}
