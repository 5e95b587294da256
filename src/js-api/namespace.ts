/**
 * The WebAssembly namespace object: validate, compile, instantiate, the
 * streaming forms of the WebAssembly Web API, and the interfaces.
 */

import { Module as CoreModule } from '../index.js';
import { agentStore } from './agent.js';
import { CompileError, LinkError, RuntimeError, type WebAssemblyErrorConstructor } from './errors.js';
import { Global } from './global.js';
import { Exception, jsTagObject, Tag } from './exception.js';
import { Instance, instantiateModule, readImports } from './instance.js';
import { Memory } from './memory.js';
import { compileBytes, coreModuleOf, Module, moduleObject } from './module.js';
import { Table } from './table.js';
import { copyBufferSource, isObject, toOptionalObject } from './webidl.js';

/** What an imports object holds: for each module name, its items by name. */
export type Imports = Record<string, Record<string, unknown>>;

export interface WebAssemblyInstantiatedSource {
  module: Module;
  instance: Instance;
}

/** A fetch Response, or what of one compileStreaming reads. */
export interface ResponseLike {
  readonly headers: { get(name: string): string | null };
  readonly status: number;
  readonly type?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface WebAssemblyNamespace {
  validate(bytes: BufferSource): boolean;
  compile(bytes: BufferSource): Promise<Module>;
  instantiate(bytes: BufferSource, importObject?: Imports): Promise<WebAssemblyInstantiatedSource>;
  instantiate(moduleObject: Module, importObject?: Imports): Promise<Instance>;
  compileStreaming(source: ResponseLike | PromiseLike<ResponseLike>): Promise<Module>;
  instantiateStreaming(source: ResponseLike | PromiseLike<ResponseLike>, importObject?: Imports): Promise<WebAssemblyInstantiatedSource>;
  readonly Module: typeof Module;
  readonly Instance: typeof Instance;
  readonly Memory: typeof Memory;
  readonly Table: typeof Table;
  readonly Global: typeof Global;
  readonly Tag: typeof Tag;
  readonly Exception: typeof Exception;
  readonly JSTag: Tag;
  readonly CompileError: WebAssemblyErrorConstructor;
  readonly LinkError: WebAssemblyErrorConstructor;
  readonly RuntimeError: WebAssemblyErrorConstructor;
}

/**
 * Lets the caller's synchronous code run first, as the spec does the work "in
 * parallel" and settles the promise in a later task.
 */
function later(): Promise<void> {
  return Promise.resolve();
}

/** "Asynchronously instantiate a WebAssembly module": the imports are read now, the instance made later. */
async function instantiateAsync(module: Module, importObject: object | undefined): Promise<Instance> {
  const core = coreModuleOf(module)!;
  const imports = readImports(core, importObject);
  await later();
  return instantiateModule(core, imports);
}

/** "Instantiate a promise of a module". */
async function instantiateCompiled(compiled: Promise<Module>, importObject: object | undefined): Promise<WebAssemblyInstantiatedSource> {
  const module = await compiled;
  const instance = await instantiateAsync(module, importObject);
  return { module, instance };
}

async function compileAsync(bytes: Uint8Array): Promise<Module> {
  await later();
  return moduleObject(compileBytes(bytes));
}

function isResponse(value: unknown): value is ResponseLike {
  if (!isObject(value)) return false;
  const response = value as Partial<ResponseLike>;
  return typeof response.arrayBuffer === 'function' && isObject(response.headers) && typeof response.headers.get === 'function';
}

/** HTTP tab or space bytes at either end. */
const HTTP_WHITESPACE = /^[\t ]+|[\t ]+$/g;

/**
 * "Compile a potential WebAssembly response": a CORS-same-origin response with
 * an ok status and Content-Type exactly application/wasm, else TypeError.
 */
async function compileResponse(source: unknown): Promise<Module> {
  const response: unknown = await source;
  if (!isResponse(response)) throw new TypeError('the source must be a Response or a promise of one');
  const mimeType = response.headers.get('Content-Type');
  if (mimeType === null || mimeType.replace(HTTP_WHITESPACE, '').toLowerCase() !== 'application/wasm') {
    throw new TypeError(`the response has MIME type ${mimeType === null ? 'none' : `'${mimeType}'`}, not 'application/wasm'`);
  }
  if (response.type === 'opaque' || response.type === 'opaqueredirect') throw new TypeError('the response is not CORS-same-origin');
  if (!(response.status >= 200 && response.status <= 299)) throw new TypeError(`the response has status ${response.status}`);
  const body = await response.arrayBuffer();
  return compileAsync(copyBufferSource(body, 'the response body'));
}

/** Property attributes of the interfaces on the namespace (Web IDL: not enumerable). */
function interfaceProperty(value: unknown): PropertyDescriptor {
  return { value, writable: true, enumerable: false, configurable: true };
}

// Methods (not function expressions), so that, like Web IDL operations, they are no constructors.
const operations = {
  validate(bytes: BufferSource): boolean {
    return CoreModule.validate(agentStore().engine, copyBufferSource(bytes, 'WebAssembly.validate(): argument 0'), { binaryOnly: true });
  },

  async compile(bytes: BufferSource): Promise<Module> {
    return compileAsync(copyBufferSource(bytes, 'WebAssembly.compile(): argument 0'));
  },

  async instantiate(source: unknown, importObject: object | undefined = undefined): Promise<WebAssemblyInstantiatedSource | Instance> {
    const imports = toOptionalObject(importObject, 'WebAssembly.instantiate(): the imports argument');
    if (coreModuleOf(source) !== undefined) return instantiateAsync(source as Module, imports);
    const bytes = copyBufferSource(source, 'WebAssembly.instantiate(): argument 0 (a buffer source or a WebAssembly.Module)');
    return instantiateCompiled(compileAsync(bytes), imports);
  },

  async compileStreaming(source: unknown): Promise<Module> {
    return compileResponse(source);
  },

  async instantiateStreaming(source: unknown, importObject: object | undefined = undefined): Promise<WebAssemblyInstantiatedSource> {
    const imports = toOptionalObject(importObject, 'WebAssembly.instantiateStreaming(): the imports argument');
    return instantiateCompiled(compileResponse(source), imports);
  },
};

export const WebAssembly = Object.defineProperties(operations, {
  Module: interfaceProperty(Module),
  Instance: interfaceProperty(Instance),
  Memory: interfaceProperty(Memory),
  Table: interfaceProperty(Table),
  Global: interfaceProperty(Global),
  Tag: interfaceProperty(Tag),
  Exception: interfaceProperty(Exception),
  // Web IDL: a namespace's attribute is a getter; the tag is made (in the agent's store) on first use.
  JSTag: { get: jsTagObject, enumerable: true, configurable: true },
  CompileError: interfaceProperty(CompileError),
  LinkError: interfaceProperty(LinkError),
  RuntimeError: interfaceProperty(RuntimeError),
  [Symbol.toStringTag]: { value: 'WebAssembly', configurable: true },
}) as unknown as WebAssemblyNamespace;
