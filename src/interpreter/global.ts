import { ValType } from '../decoder/module.js';

/**
 * A global: bits in `words` (an i32 or f32 in word 0, an i64 or f64 in words
 * 0 and 1, so NaN payloads survive, a v128 in all four) or a reference in `ref`.
 */
export class GlobalInstance {
  readonly words = new Int32Array(4);
  ref: unknown = null;
  readonly valueType: ValType;
  readonly mutable: boolean;

  constructor(valueType: ValType, mutable: boolean) {
    this.valueType = valueType;
    this.mutable = mutable;
  }

  get isRef(): boolean {
    return this.valueType === ValType.FuncRef || this.valueType === ValType.ExternRef || this.valueType === ValType.ExnRef;
  }
}
