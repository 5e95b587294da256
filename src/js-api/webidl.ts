/**
 * The Web IDL conversions the JS-API's signatures imply ([EnforceRange]
 * unsigned long, dictionaries, enums, BufferSource) and the shape Web IDL gives
 * interfaces (enumerable operations and attributes, a toStringTag).
 */

export function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** ECMAScript ToNumber: unary plus throws the TypeError the spec requires for BigInt and Symbol. */
export function toNumber(value: unknown): number {
  return +(value as number);
}

/** ECMAScript ToString: a template literal throws the TypeError the spec requires for Symbol. */
export function toDomString(value: unknown): string {
  return `${value as string}`;
}

/** `[EnforceRange] unsigned long`: a finite number, truncated, within 0..2^32-1; TypeError otherwise. */
export function toUnsignedLong(value: unknown, what: string): number {
  const number = toNumber(value);
  if (!Number.isFinite(number)) throw new TypeError(`${what} must be convertible to a finite number`);
  const integer = Math.trunc(number);
  if (integer < 0 || integer > 0xffffffff) throw new TypeError(`${what} must be in the unsigned long range, got ${integer}`);
  return integer + 0; // -0 becomes 0
}

/** 'i32' or 'i64': the address type of a memory or table (memory64, table64). */
export type AddressType = 'i32' | 'i64';

/**
 * An AddressValue to an integer (JS API 3.0): for 'i32' an [EnforceRange]
 * unsigned long, for 'i64' a BigInt (ToBigInt: a Number is a TypeError) within
 * 0..2^64-1. Sizes past 2^53 cannot be allocated anyway; they come back as
 * numbers that stay larger than any limit, so bounds checks still fail.
 */
export function toAddressValue(value: unknown, address: AddressType, what: string): number {
  if (address === 'i32') return toUnsignedLong(value, what);
  // BigInt.asIntN applies ECMAScript ToBigInt (a Number is a TypeError); this width keeps every value as it is.
  let big: bigint;
  try {
    big = BigInt.asIntN(Number.MAX_SAFE_INTEGER, value as bigint);
  } catch (error) {
    if (error instanceof TypeError) throw new TypeError(`${what} must be a BigInt for an i64 address type`);
    throw error;
  }
  if (big < 0n || big >= 1n << 64n) throw new TypeError(`${what} must be in the unsigned 64-bit range, got ${big}`);
  return Number(big);
}

/** An address-typed result: a number for 'i32', a BigInt for 'i64'. */
export function fromAddressValue(value: number, address: AddressType): number | bigint {
  return address === 'i64' ? BigInt(value) : value;
}

/** A dictionary argument: undefined and null are the empty dictionary, other primitives a TypeError. */
export function toDictionary(value: unknown, what: string): Record<PropertyKey, unknown> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new TypeError(`${what} must be an object`);
  return value as Record<PropertyKey, unknown>;
}

/** A required dictionary member (TypeError when absent). */
export function requiredMember(dictionary: Record<PropertyKey, unknown>, key: string, what: string): unknown {
  const value = dictionary[key];
  if (value === undefined) throw new TypeError(`${what}: property '${key}' is required`);
  return value;
}

export function toEnum<T extends string>(value: unknown, values: readonly T[], what: string): T {
  const string = toDomString(value);
  if (!(values as readonly string[]).includes(string)) {
    throw new TypeError(`${what} must be one of ${values.map((v) => `'${v}'`).join(', ')}, got '${string}'`);
  }
  return string as T;
}

/** Web IDL's "optional object": undefined, or an object (TypeError otherwise, null included). */
export function toOptionalObject(value: unknown, what: string): object | undefined {
  if (value !== undefined && !isObject(value)) throw new TypeError(`${what} must be an object`);
  return value;
}

// The intrinsic getters read internal slots, so they work across realms and
// ignore own properties a caller may have put on the object.
function getter(prototype: object, name: string): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(prototype, name)!.get! as (this: unknown) => unknown;
}
const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayBuffer = getter(typedArrayPrototype, 'buffer');
const typedArrayByteOffset = getter(typedArrayPrototype, 'byteOffset');
const typedArrayByteLength = getter(typedArrayPrototype, 'byteLength');
const dataViewBuffer = getter(DataView.prototype, 'buffer');
const dataViewByteOffset = getter(DataView.prototype, 'byteOffset');
const dataViewByteLength = getter(DataView.prototype, 'byteLength');

/** Calls an intrinsic getter; undefined when `value` lacks the internal slot it reads. */
function tryGetter(get: (this: unknown) => unknown, value: unknown): unknown {
  try {
    return get.call(value);
  } catch {
    return undefined;
  }
}

/**
 * "Get a copy of the bytes held by the buffer source": an ArrayBuffer or a
 * view on one (a SharedArrayBuffer is not a BufferSource). A detached buffer
 * holds no bytes. TypeError for anything else.
 */
export function copyBufferSource(value: unknown, what: string): Uint8Array {
  const length = tryGetter(arrayBufferByteLength, value);
  if (typeof length === 'number') {
    return length === 0 ? new Uint8Array(0) : new Uint8Array(ArrayBuffer.prototype.slice.call(value, 0));
  }
  if (ArrayBuffer.isView(value)) {
    const isTypedArray = tryGetter(typedArrayBuffer, value) !== undefined;
    const buffer = (isTypedArray ? typedArrayBuffer : dataViewBuffer).call(value);
    const offset = (isTypedArray ? typedArrayByteOffset : dataViewByteOffset).call(value) as number;
    const byteLength = (isTypedArray ? typedArrayByteLength : dataViewByteLength).call(value) as number;
    if (typeof tryGetter(arrayBufferByteLength, buffer) === 'number') {
      return byteLength === 0 ? new Uint8Array(0) : new Uint8Array(buffer as ArrayBuffer, offset, byteLength).slice();
    }
  }
  throw new TypeError(`${what} must be a buffer source (an ArrayBuffer or a view on one)`);
}

/** What class syntax already shapes: the constructor's own length, name and prototype, and prototype.constructor. */
const CONSTRUCTOR_KEYS = new Set<PropertyKey>(['length', 'name', 'prototype']);
const PROTOTYPE_KEYS = new Set<PropertyKey>(['constructor']);

/**
 * Gives a class the shape of a Web IDL interface: its operations and
 * attributes (static and on the prototype) enumerable, as class syntax does
 * not make them, and `Symbol.toStringTag` "WebAssembly.<name>" on the prototype.
 */
export function defineInterface(constructor: abstract new (...args: never[]) => unknown, name: string): void {
  const targets: [object, Set<PropertyKey>][] = [[constructor, CONSTRUCTOR_KEYS], [constructor.prototype as object, PROTOTYPE_KEYS]];
  for (const [target, skipped] of targets) {
    for (const key of Reflect.ownKeys(target)) {
      if (!skipped.has(key)) Object.defineProperty(target, key, { enumerable: true });
    }
  }
  Object.defineProperty(constructor.prototype, Symbol.toStringTag, { value: `WebAssembly.${name}`, configurable: true });
}

/** The internal slots of one interface's objects, and the brand check its members start with. */
export class InternalSlots<T> {
  private readonly slots = new WeakMap<object, T>();
  private readonly interfaceName: string;

  constructor(interfaceName: string) {
    this.interfaceName = interfaceName;
  }

  set(object: object, value: T): void {
    this.slots.set(object, value);
  }

  /** The slots of `value`, or undefined when it is not an object of this interface. */
  find(value: unknown): T | undefined {
    return isObject(value) ? this.slots.get(value) : undefined;
  }

  /** The slots of a receiver; TypeError when it is not an object of this interface. */
  of(receiver: unknown, member: string): T {
    const slots = this.find(receiver);
    if (slots === undefined) throw new TypeError(`${this.interfaceName}.${member}: receiver is not a ${this.interfaceName}`);
    return slots;
  }
}
