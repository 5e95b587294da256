import { ValType } from '../decoder/module.js';

/**
 * A global: 8 bytes of bits (an i32 or f32 in the low word, an i64 or f64 in
 * both words, so NaN payloads survive) or a reference in `ref`.
 */
export class GlobalInstance {
  readonly words = new Int32Array(2);
  ref: unknown = null;
  readonly valueType: ValType;
  readonly mutable: boolean;

  constructor(valueType: ValType, mutable: boolean) {
    this.valueType = valueType;
    this.mutable = mutable;
  }

  get isRef(): boolean {
    return this.valueType === ValType.FuncRef || this.valueType === ValType.ExternRef;
  }
}
