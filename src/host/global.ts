import { GlobalInstance } from '../interpreter/global.js';
import { checkRef, decodeNumber, encodeNumber } from '../interpreter/values.js';
import { checkIsStore, type Store } from './store.js';
import { globalTypeToDesc, valTypeFromName, type GlobalTypeDesc, type RawValue, type Value } from './types.js';

/** A global variable (the public face of GlobalInstance). */
export class Global extends GlobalInstance {
  /** @internal */
  readonly store: Store;

  constructor(store: Store, type: GlobalTypeDesc, value: Value) {
    checkIsStore(store);
    if (typeof type !== 'object' || type === null) throw new TypeError('a global type must be { value, mutable }');
    super(valTypeFromName(type.value), Boolean(type.mutable));
    this.store = store;
    this.write(value, false);
  }

  type(): GlobalTypeDesc {
    return globalTypeToDesc({ valueType: this.valueType, mutable: this.mutable });
  }

  get(): Value {
    return this.read(false);
  }

  /** TypeError when the global is immutable or `value` is not of its type. */
  set(value: Value): void {
    this.checkMutable();
    this.write(value, false);
  }

  getRaw(): RawValue {
    return this.read(true);
  }

  setRaw(value: RawValue): void {
    this.checkMutable();
    this.write(value, true);
  }

  private checkMutable(): void {
    if (!this.mutable) throw new TypeError('cannot set an immutable global');
  }

  private read(raw: boolean): unknown {
    return this.isRef ? this.ref : decodeNumber(this.valueType, raw, this.words, 0);
  }

  private write(value: unknown, raw: boolean): void {
    if (this.isRef) this.ref = checkRef(this.valueType, value);
    else encodeNumber(this.valueType, value, raw, this.words, 0);
  }
}
