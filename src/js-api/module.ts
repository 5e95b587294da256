/** WebAssembly.Module: a compiled module and its static reflection methods. */

import { Module as CoreModule, type ExternKind } from '../index.js';
import { agentStore } from './agent.js';
import { jsApiError } from './errors.js';
import { copyBufferSource, defineInterface, InternalSlots, toDomString } from './webidl.js';

export type ImportExportKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

export interface ModuleExportDescriptor {
  name: string;
  kind: ImportExportKind;
}

export interface ModuleImportDescriptor {
  module: string;
  name: string;
  kind: ImportExportKind;
}

const moduleSlots = new InternalSlots<CoreModule>('WebAssembly.Module');

/** "The string value of the extern type". */
function kindName(kind: ExternKind): ImportExportKind {
  return kind === 'func' ? 'function' : kind;
}

/** "Compile a WebAssembly module": CompileError when the bytes are no valid module. */
export function compileBytes(bytes: Uint8Array): CoreModule {
  try {
    return new CoreModule(agentStore().engine, bytes, { binaryOnly: true });
  } catch (error) {
    throw jsApiError(error);
  }
}

function coreModuleArgument(value: unknown, method: string): CoreModule {
  const core = moduleSlots.find(value);
  if (core === undefined) throw new TypeError(`WebAssembly.Module.${method}(): argument 0 must be a WebAssembly.Module`);
  return core;
}

export class Module {
  constructor(bytes: BufferSource) {
    moduleSlots.set(this, compileBytes(copyBufferSource(bytes, 'WebAssembly.Module(): argument 0')));
  }

  static exports(moduleObject: Module): ModuleExportDescriptor[] {
    return coreModuleArgument(moduleObject, 'exports')
      .exports()
      .map(({ name, kind }) => ({ name, kind: kindName(kind) }));
  }

  static imports(moduleObject: Module): ModuleImportDescriptor[] {
    return coreModuleArgument(moduleObject, 'imports')
      .imports()
      .map(({ module, name, kind }) => ({ module, name, kind: kindName(kind) }));
  }

  /** Copies of the contents of the custom sections called `sectionName`, in order. */
  static customSections(moduleObject: Module, sectionName: string): ArrayBuffer[] {
    const core = coreModuleArgument(moduleObject, 'customSections');
    if (arguments.length < 2) throw new TypeError('WebAssembly.Module.customSections(): argument 1 is required');
    return core.customSections(toDomString(sectionName)).map((bytes) => {
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      return copy.buffer;
    });
  }
}
defineInterface(Module, 'Module');

/** A Module object for a module compiled from source bytes. */
export function moduleObject(core: CoreModule): Module {
  const object = Object.create(Module.prototype) as Module;
  moduleSlots.set(object, core);
  return object;
}

/** The core module of a Module object, or undefined for anything else. */
export function coreModuleOf(value: unknown): CoreModule | undefined {
  return moduleSlots.find(value);
}
