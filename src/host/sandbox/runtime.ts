import { Engine, type Tier } from '../engine.js';
import { Module } from '../module.js';
import { SandboxConfig } from './config.js';
import { SandboxError, messageOf } from './errors.js';
import { Execution, type ExecutionPlan, type ExecutionResult } from './execution.js';
import { findEntryPoint, resolveHostImports } from './guest-module.js';
import { HostCatalog, type SandboxHostFunction } from './host-functions.js';
import { ModuleCache } from './module-cache.js';

export const DEFAULT_SLICE_FUEL = 100_000;
export const DEFAULT_MODULE_CACHE_SIZE = 16;

export interface WasmRuntimeOptions {
  /** The tier guests run on (default 'auto': compiled where the host allows code generation; see Engine). */
  tier?: Tier;
  /**
   * Host functions the embedder offers, by capability and then by import name:
   * `{ kv: { kv_get: { params, results, call } } }` lets a guest import
   * `env.kv_get` once its config grants capability 'kv'.
   */
  hostFunctions?: Record<string, Record<string, SandboxHostFunction>>;
  /** Most nested Wasm calls; deeper recursion fails with ExecutionFailed. Default 10_000. */
  maxCallDepth?: number;
  /** How many compiled modules to keep, by content. Default 16; 0 compiles every time. */
  moduleCacheSize?: number;
}

export interface ExecuteAsyncOptions {
  /** Aborting it ends the run with Timeout. */
  signal?: AbortSignal;
  /** Fuel per slice between turns of the event loop. Default 100_000 (a few milliseconds). */
  sliceFuel?: number;
}

function toInput(input: Uint8Array | string): Uint8Array {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input)
    : input instanceof Uint8Array ? input.slice() // the caller may change its array while an async run waits
      : undefined;
  if (bytes === undefined) throw new TypeError('the input must be a Uint8Array or a string');
  if (bytes.length > 0x7fffffff) throw new RangeError('the input is too large for host_get_input_len (an i32)');
  return bytes;
}

/** The module's bytes: a binary, or the text format (a string is encoded as UTF-8; Module parses it). */
function toModuleBytes(bytes: GuestModule): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (typeof bytes === 'string') return new TextEncoder().encode(bytes);
  throw new TypeError('the module must be a Uint8Array, an ArrayBuffer or a string of WebAssembly text');
}

/** A guest module: the binary format, or the text format as a string or UTF-8 bytes. */
export type GuestModule = Uint8Array | ArrayBuffer | string;

/**
 * Runs guest modules, one fresh store per execution, so nothing a guest does
 * survives into the next run. All runs share one fuel-metering engine.
 */
export class WasmRuntime {
  private readonly engine: Engine;
  private readonly catalog: HostCatalog;
  private readonly modules: ModuleCache;

  constructor(options: WasmRuntimeOptions = {}) {
    this.engine = new Engine({ consumeFuel: true, maxCallDepth: options.maxCallDepth, tier: options.tier });
    this.catalog = new HostCatalog(options.hostFunctions);
    this.modules = new ModuleCache(options.moduleCacheSize ?? DEFAULT_MODULE_CACHE_SIZE);
  }

  /**
   * Throws SandboxError 'ModuleInvalid' unless `bytes` is a valid module (binary, or
   * text: then a parse error is ModuleInvalid too, with its line and column).
   */
  validateModule(bytes: GuestModule): void {
    this.compile(bytes);
  }

  /** Runs the guest to the end; every failure is a SandboxError. */
  execute(bytes: GuestModule, input: Uint8Array | string, config: SandboxConfig = new SandboxConfig()): ExecutionResult {
    return new Execution(this.plan(bytes, input, config), false).runSync();
  }

  /**
   * Like execute, but yields to the event loop every `sliceFuel` fuel, lets host
   * functions return Promises and stops with Timeout when `signal` aborts. The
   * result, fuel included, is the same as execute's.
   */
  async executeAsync(
    bytes: GuestModule,
    input: Uint8Array | string,
    config: SandboxConfig = new SandboxConfig(),
    options: ExecuteAsyncOptions = {},
  ): Promise<ExecutionResult> {
    const sliceFuel = options.sliceFuel ?? DEFAULT_SLICE_FUEL;
    if (!Number.isSafeInteger(sliceFuel) || sliceFuel < 1) throw new RangeError(`sliceFuel must be a positive safe integer, got ${String(sliceFuel)}`);
    return new Execution(this.plan(bytes, input, config), true, options.signal).runAsync(sliceFuel);
  }

  private compile(module: GuestModule): Module {
    const bytes = toModuleBytes(module);
    return this.modules.getOrCompile(bytes, () => {
      try {
        return new Module(this.engine, bytes);
      } catch (error) {
        throw new SandboxError('ModuleInvalid', messageOf(error), { cause: error });
      }
    });
  }

  /** Everything that can fail before the guest runs: config, module, imports, entry point. */
  private plan(bytes: GuestModule, input: Uint8Array | string, config: SandboxConfig): ExecutionPlan {
    if (!(config instanceof SandboxConfig)) throw new TypeError('the config must be a SandboxConfig');
    for (const capability of config.capabilities) {
      if (!this.catalog.hasCapability(capability)) throw new RangeError(`the config grants capability '${capability}', which this runtime does not have`);
    }
    const inputBytes = toInput(input);
    const module = this.compile(bytes);
    return {
      engine: this.engine,
      module,
      hostImports: resolveHostImports(module, this.catalog, config),
      entry: findEntryPoint(module),
      input: inputBytes,
      config,
    };
  }
}
