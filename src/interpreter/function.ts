import type { FuncType } from '../decoder/module.js';
import type { InstanceContext } from './instance.js';
import type { CompiledFunction } from './ir.js';

/** A host function: receives the caller object, then one JS value per parameter. */
// The caller is typed by the host layer (Caller); `any` keeps this layer free of it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostCallback = (caller: any, ...args: any[]) => unknown;

/**
 * A function instance: either a Wasm function (its instance context and
 * compiled body) or a host function (a JS callback). One class for both keeps
 * every call site in the executor monomorphic.
 */
export class FunctionInstance {
  readonly funcType: FuncType;
  /** ir.ts `signatureId` of the type, compared by call_indirect. */
  readonly sigId: number;
  /** The instance a Wasm function belongs to; null for host functions. */
  readonly ctx: InstanceContext | null;
  /** The body of a Wasm function; null for host functions. */
  readonly compiled: CompiledFunction | null;
  /** Index in its module's function space (for names in trap messages); -1 for host functions. */
  readonly index: number;
  readonly host: HostCallback | null;
  /** The store the function belongs to. */
  readonly owner: object;
  /**
   * A host function: whether returning a Promise suspends the call (callResumable)
   * instead of being its result. False only where a Promise is an ordinary
   * externref result (the JS API's imported JS functions).
   */
  readonly suspends: boolean;
  /**
   * The compiled tier's entry for this function (src/compiler/runtime.ts), installed on first use; null
   * until then and on the interpreter tier.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  jit: ((...args: any[]) => unknown) | null = null;
  /**
   * What a compiled tail call to this function calls: the generated body itself where `jit` is its tail-call driver
   * (src/compiler/tail-calls.ts), else the same as `jit`. Set with it.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  jitTail: ((...args: any[]) => unknown) | null = null;
  /** A host function's "module.name", from the first linker definition or import that named it. */
  hostName: string | undefined = undefined;
  private cachedProfileName: string | undefined = undefined;

  constructor(
    owner: object,
    funcType: FuncType,
    sigId: number,
    ctx: InstanceContext | null,
    compiled: CompiledFunction | null,
    index: number,
    host: HostCallback | null,
    suspends = true,
  ) {
    this.owner = owner;
    this.funcType = funcType;
    this.sigId = sigId;
    this.ctx = ctx;
    this.compiled = compiled;
    this.index = index;
    this.host = host;
    this.suspends = suspends;
  }

  /** The name from the module's name section, for trap messages. */
  get debugName(): string | undefined {
    return this.ctx?.funcNames.get(this.index);
  }

  /** The name a profiler sees: the name section's, else `func[index]`; for a host function its module.name. */
  get profileName(): string {
    if (this.compiled === null) return this.hostName ?? '<host>';
    return (this.cachedProfileName ??= this.debugName ?? `func[${this.index}]`);
  }
}
