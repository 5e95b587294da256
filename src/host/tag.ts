import { signatureId } from '../interpreter/ir.js';
import { TagInstance } from '../interpreter/exception-instance.js';
import { checkIsStore, type Store } from './store.js';
import { tagTypeFromDesc, tagTypeToDesc, type TagTypeDesc } from './types.js';

/**
 * An exception tag (the public face of TagInstance). Tags match by identity:
 * a Wasm `catch` of an imported tag catches exactly the exceptions thrown with
 * this object. Throw one from a host function with `new WasmException(tag, payload)`.
 */
export class Tag extends TagInstance {
  /** @internal */
  readonly store: Store;
  /** @internal ir.ts signatureId of the type: imports match when it is equal. */
  readonly sigId: number;

  constructor(store: Store, type: TagTypeDesc) {
    checkIsStore(store);
    const funcType = tagTypeFromDesc(type);
    super(funcType);
    this.store = store;
    this.sigId = signatureId(funcType.params, funcType.results);
  }

  type(): TagTypeDesc {
    return tagTypeToDesc(this.funcType);
  }
}
