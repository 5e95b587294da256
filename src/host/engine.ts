import { codeGenerationAllowed, numbersKeepNaNPayloads } from '../compiler/probe.js';
import { ALL_FEATURES, type Features } from '../decoder/features.js';
import { resolveFuelCosts, type FuelCosts } from '../interpreter/fuel.js';

/**
 * Which tier runs Wasm functions: the interpreter (runs everywhere, no code generation) or the compiled
 * tier (JavaScript built with `new Function`). 'auto' picks the compiled tier where the host allows code
 * generation and keeps NaN payloads in JS numbers (V8 does; NaN-boxing engines do not, see probe.ts).
 */
export type Tier = 'auto' | 'interpreter' | 'compiled';

export interface EngineConfig {
  /** Meter fuel (DESIGN.md section 2). Default false: no Fuel ops, no overhead. */
  consumeFuel?: boolean;
  fuelCosts?: Partial<FuelCosts>;
  /** Most Wasm frames on the stack; one more traps 'callStackExhausted'. Default 10_000. */
  maxCallDepth?: number;
  /**
   * Most 8-byte register slots all active frames may use together; a call past
   * it traps 'callStackExhausted'. Bounds the host memory a deep recursion of
   * functions with many locals can take. Default 4_194_304 (32 MiB of registers).
   */
  maxStackSlots?: number;
  /**
   * Lower each function to IR on its first call (default true): a module is
   * still validated in full when it is compiled, but start-up skips the
   * lowering of functions that never run. False lowers every body at compile
   * time. Either way the code, and so the fuel, is the same.
   */
  lazyLowering?: boolean;
  /**
   * Features beyond WebAssembly 2.0's core, each on unless set to false here: `simd` (fixed-width
   * and relaxed SIMD) and the 3.0 ones of Features (decoding then rejects a module using one, naming it).
   */
  features?: { simd?: boolean } & Partial<Features>;
  /** Default 'auto'. */
  tier?: Tier;
}

export interface ResolvedEngineConfig {
  readonly consumeFuel: boolean;
  readonly fuelCosts: FuelCosts;
  readonly maxCallDepth: number;
  readonly maxStackSlots: number;
  readonly lazyLowering: boolean;
  readonly features: { readonly simd: boolean } & Features;
  readonly tier: 'interpreter' | 'compiled';
}

const DEFAULT_MAX_CALL_DEPTH = 10_000;
const DEFAULT_MAX_STACK_SLOTS = 4_194_304;

/** Throws a TypeError naming `what` unless `engine` is an Engine (JS callers pass anything). */
export function checkEngine(engine: unknown, what: string): asserts engine is Engine {
  if (!(engine instanceof Engine)) throw new TypeError(`${what} needs an Engine, got ${engine === null ? 'null' : typeof engine}`);
}

/** Global configuration shared by the modules, stores and linkers created with it. */
export class Engine {
  readonly config: ResolvedEngineConfig;

  /** The tier this engine runs Wasm functions on ('auto' resolved). */
  get tier(): 'interpreter' | 'compiled' {
    return this.config.tier;
  }

  constructor(config: EngineConfig = {}) {
    const maxCallDepth = config.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH;
    if (!Number.isSafeInteger(maxCallDepth) || maxCallDepth < 1) {
      throw new RangeError(`maxCallDepth must be a positive safe integer, got ${String(maxCallDepth)}`);
    }
    const maxStackSlots = config.maxStackSlots ?? DEFAULT_MAX_STACK_SLOTS;
    if (!Number.isSafeInteger(maxStackSlots) || maxStackSlots < 1024) {
      throw new RangeError(`maxStackSlots must be a safe integer of at least 1024, got ${String(maxStackSlots)}`);
    }
    const tier = config.tier ?? 'auto';
    if (tier !== 'auto' && tier !== 'interpreter' && tier !== 'compiled') {
      throw new RangeError(`tier must be 'auto', 'interpreter' or 'compiled', got ${String(tier)}`);
    }
    if (tier === 'compiled' && !codeGenerationAllowed()) {
      throw new Error("tier 'compiled' needs code generation (new Function), which this host forbids; use 'auto' or 'interpreter'");
    }
    this.config = {
      consumeFuel: config.consumeFuel ?? false,
      fuelCosts: resolveFuelCosts(config.fuelCosts),
      maxCallDepth,
      maxStackSlots,
      lazyLowering: config.lazyLowering ?? true,
      tier: tier === 'interpreter' || (tier === 'auto' && !(codeGenerationAllowed() && numbersKeepNaNPayloads())) ? 'interpreter' : 'compiled',
      features: { simd: resolveSimd(config.features?.simd), ...resolveFeatures(config.features) },
    };
  }
}

function resolveSimd(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw new RangeError(`features.simd must be a boolean, got ${typeof value}`);
  return value;
}

function resolveFeatures(config: Partial<Features> | undefined): Features {
  const features: Record<string, boolean> = { ...ALL_FEATURES };
  for (const name of Object.keys(ALL_FEATURES) as (keyof Features)[]) {
    const value = config?.[name];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new RangeError(`features.${name} must be a boolean, got ${typeof value}`);
    features[name] = value;
  }
  return features as unknown as Features;
}
