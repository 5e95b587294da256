import type { FunctionInstance } from './function.js';
import type { GlobalInstance } from './global.js';
import type { MemoryInstance } from './memory.js';
import type { TableInstance } from './table.js';
import type { TagInstance } from './exception-instance.js';
import type { ValidatedModule } from '../validator/index.js';

/**
 * What the executor needs of one module instance: its index spaces (imports
 * first) and the segments the bulk instructions read. Filled in by
 * instantiation.
 */
export class InstanceContext {
  readonly funcs: FunctionInstance[] = [];
  readonly globals: GlobalInstance[] = [];
  readonly tables: TableInstance[] = [];
  readonly memories: MemoryInstance[] = [];
  /** The tag space (exception handling), imports first. */
  readonly tags: TagInstance[] = [];
  /** Memory 0 (the only one Wasm 2.0 instructions address), or null. */
  memory: MemoryInstance | null = null;
  /** Data segments by index; a dropped segment is empty. */
  readonly datas: Uint8Array[] = [];
  /** Element segments by index, as reference values; a dropped segment is empty. */
  readonly elems: unknown[][] = [];
  /** The object host functions called from this instance receive (set by the host layer). */
  caller: unknown = undefined;
  /** The module it instantiates (the compiled tier reads its types). */
  module: ValidatedModule | null = null;
  readonly funcNames: ReadonlyMap<number, string>;

  constructor(funcNames: ReadonlyMap<number, string>) {
    this.funcNames = funcNames;
  }
}
