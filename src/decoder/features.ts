/**
 * The WebAssembly 3.0 features purewasm can turn off (Engine config `features`),
 * for embedders that must reject modules using them. All are on by default.
 */
export interface Features {
  /** return_call, return_call_indirect. */
  readonly tailCall: boolean;
  /** i32/i64 add, sub, mul in constant expressions, and global.get of any earlier immutable global. */
  readonly extendedConst: boolean;
  /** More than one memory, and memory index immediates. */
  readonly multiMemory: boolean;
  /** 64-bit memories and tables. */
  readonly memory64: boolean;
  /** Tags, throw, throw_ref, try_table, exnref and the legacy try/catch/delegate/rethrow. */
  readonly exceptions: boolean;
}

export type FeatureName = keyof Features;

export const ALL_FEATURES: Features = {
  tailCall: true,
  extendedConst: true,
  multiMemory: true,
  memory64: true,
  exceptions: true,
};

/** The WebAssembly 2.0 language: every 3.0 feature off. */
export const WASM_2_0_FEATURES: Features = {
  tailCall: false,
  extendedConst: false,
  multiMemory: false,
  memory64: false,
  exceptions: false,
};

/** How error messages name each feature. */
const FEATURE_NAMES: Record<FeatureName, string> = {
  tailCall: 'tail calls',
  extendedConst: 'extended constant expressions',
  multiMemory: 'multi-memory',
  memory64: 'memory64',
  exceptions: 'exception handling',
};

/** The phrase an error appends when `feature` is turned off. */
export function featureDisabled(feature: FeatureName): string {
  return `(the ${FEATURE_NAMES[feature]} feature is disabled)`;
}
