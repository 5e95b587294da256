/**
 * WebAssembly.Tag, WebAssembly.Exception and WebAssembly.JSTag (the JS API's
 * exception handling), and exceptions crossing between JS and WebAssembly: a
 * WebAssembly exception reaching JS is its Exception object (always the same
 * one), or, for JSTag, the JS value it carries; a value a JS import throws
 * enters WebAssembly as its exception, or as a JSTag exception carrying it.
 */

import { Tag as CoreTag, WasmException, type ValTypeName } from '../index.js';
import { ExceptionInstance } from '../interpreter/exception-instance.js';
import { agentStore } from './agent.js';
import { toJSValue, toWebAssemblyValue } from './values.js';
import { defineInterface, InternalSlots, isObject, requiredMember, toDictionary, toEnum, toUnsignedLong } from './webidl.js';

export interface TagType {
  parameters: string[];
}

export interface ExceptionOptions {
  traceStack?: boolean;
}

const VALUE_TYPES = ['i32', 'i64', 'f32', 'f64', 'v128', 'externref', 'anyfunc', 'funcref', 'exnref'] as const;

const tagSlots = new InternalSlots<CoreTag>('WebAssembly.Tag');
const tagObjects = new WeakMap<CoreTag, Tag>();
const exceptionSlots = new InternalSlots<ExceptionInstance>('WebAssembly.Exception');

function bindTag(object: Tag, core: CoreTag): void {
  tagSlots.set(object, core);
  tagObjects.set(core, object);
}

function toValTypeName(type: (typeof VALUE_TYPES)[number]): ValTypeName {
  return type === 'anyfunc' ? 'funcref' : type;
}

export class Tag {
  constructor(type: TagType) {
    const dictionary = toDictionary(type, 'WebAssembly.Tag(): the type');
    const parameters = requiredMember(dictionary, 'parameters', 'WebAssembly.Tag()');
    if (!isObject(parameters) || typeof (parameters as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError("WebAssembly.Tag(): 'parameters' must be a sequence of value types");
    }
    const params = [...(parameters as Iterable<unknown>)].map((p) => toValTypeName(toEnum(p, VALUE_TYPES, "WebAssembly.Tag(): 'parameters'")));
    bindTag(this, new CoreTag(agentStore(), { params }));
  }
}
defineInterface(Tag, 'Tag');

let jsTag: Tag | undefined;

/** WebAssembly.JSTag: the tag of the exceptions that carry a JS value a JS function threw. */
export function jsTagObject(): Tag {
  return (jsTag ??= new Tag({ parameters: ['externref'] }));
}

function jsTagCore(): CoreTag {
  return tagSlots.find(jsTagObject())!;
}

/** The Tag object for a core tag (created on first use). */
export function tagObject(core: CoreTag): Tag {
  let object = tagObjects.get(core);
  if (object === undefined) {
    object = Object.create(Tag.prototype) as Tag;
    bindTag(object, core);
  }
  return object;
}

/** The core tag of a Tag object, or undefined for anything else. */
export function coreTagOf(value: unknown): CoreTag | undefined {
  return tagSlots.find(value);
}

function bindException(object: Exception, core: ExceptionInstance): void {
  exceptionSlots.set(object, core);
  core.jsObject = object;
}

function payloadTypes(tag: CoreTag): ValTypeName[] {
  return tag.type().params;
}

export class Exception {
  constructor(exceptionTag: Tag, payload: unknown, options: ExceptionOptions | undefined = undefined) {
    const tag = tagSlots.find(exceptionTag);
    if (tag === undefined) throw new TypeError('WebAssembly.Exception(): argument 0 must be a WebAssembly.Tag');
    if (tag === jsTagCore()) throw new TypeError('WebAssembly.Exception(): exceptions of WebAssembly.JSTag cannot be made from JS');
    if (!isObject(payload) || typeof (payload as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError('WebAssembly.Exception(): the payload must be a sequence');
    }
    const values = [...(payload as Iterable<unknown>)];
    const types = payloadTypes(tag);
    if (values.length !== types.length) {
      throw new TypeError(`WebAssembly.Exception(): the tag takes ${types.length} values, the payload has ${values.length}`);
    }
    if (types.includes('v128') || types.includes('exnref')) throw new TypeError('WebAssembly.Exception(): v128 and exnref values cannot come from JS');
    const converted = values.map((value, i) => toWebAssemblyValue(value, types[i]!));
    bindException(this, new WasmException(tag, converted).exception);
    const traceStack = options === undefined || options === null ? false : Boolean(toDictionary(options, 'WebAssembly.Exception(): the options').traceStack);
    if (traceStack) Object.defineProperty(this, 'stack', { value: new Error().stack, writable: true, configurable: true });
  }

  is(exceptionTag: Tag): boolean {
    const core = exceptionSlots.of(this, 'is()');
    const tag = tagSlots.find(exceptionTag);
    if (tag === undefined) throw new TypeError('WebAssembly.Exception.is(): argument 0 must be a WebAssembly.Tag');
    return core.tag === tag;
  }

  getArg(exceptionTag: Tag, index: number): unknown {
    const core = exceptionSlots.of(this, 'getArg()');
    const tag = tagSlots.find(exceptionTag);
    if (tag === undefined) throw new TypeError('WebAssembly.Exception.getArg(): argument 0 must be a WebAssembly.Tag');
    const i = toUnsignedLong(index, 'WebAssembly.Exception.getArg(): the index');
    if (core.tag !== tag) throw new TypeError('WebAssembly.Exception.getArg(): the exception is not of this tag');
    const types = payloadTypes(tag);
    if (i >= types.length) throw new RangeError(`WebAssembly.Exception.getArg(): index ${i} is past the payload's ${types.length} values`);
    return toJSValue(new WasmException(core).payload[i], types[i]!);
  }
}
defineInterface(Exception, 'Exception');

/** What JS sees of a WebAssembly exception: the JS value of a JSTag exception, else its Exception object. */
export function jsValueOfException(exception: ExceptionInstance): unknown {
  if (exception.tag === jsTagCore()) return exception.values[0];
  const existing = exception.jsObject;
  if (existing !== null) return existing;
  const object = Object.create(Exception.prototype) as Exception;
  bindException(object, exception);
  return object;
}

/** What a JS function called from WebAssembly threw, as the WasmException that carries it into WebAssembly. */
export function exceptionFromJs(value: unknown): WasmException {
  const core = exceptionSlots.find(value);
  return core !== undefined ? new WasmException(core) : new WasmException(jsTagCore(), [value]);
}
