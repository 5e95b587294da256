/**
 * The run-time objects of exception handling: tags and exceptions (the values
 * of type exnref). Kept apart from exceptions.ts, which unwinds frames, so
 * that values.ts can recognise an exnref without importing the executor side.
 */
import type { FuncType } from '../decoder/module.js';

/** A tag: exceptions are matched by the identity of this object. */
export class TagInstance {
  readonly funcType: FuncType;
  /** How messages name it: an export or import name, else `tag[index]`; set by whoever creates it. */
  name: string | undefined = undefined;

  constructor(type: FuncType) {
    this.funcType = type;
  }
}

/** An exception (an exnref): its tag and its payload as raw values (ValType order of the tag's params). */
export class ExceptionInstance {
  readonly tag: TagInstance;
  readonly values: readonly unknown[];
  /** The JS API's WebAssembly.Exception standing for this exception, once one was made (identity across JS). */
  jsObject: object | null = null;

  constructor(tag: TagInstance, values: readonly unknown[]) {
    this.tag = tag;
    this.values = values;
  }
}
