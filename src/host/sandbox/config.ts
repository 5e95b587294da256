/** The per-execution policy: budgets, limits and the capabilities granted to the guest. */

/** The capabilities behind the built-in host functions; embedders may register more (WasmRuntimeOptions). */
export const BUILTIN_CAPABILITIES = ['log', 'output', 'input'] as const;

export const DEFAULT_FUEL_LIMIT = 10_000_000;
export const DEFAULT_MEMORY_LIMIT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_TABLE_LIMIT = 100_000;
export const DEFAULT_OUTPUT_LIMIT_BYTES = 4 * 1024 * 1024;
export const DEFAULT_LOG_LIMIT_BYTES = 1024 * 1024;

interface Settings {
  fuelLimit: number;
  memoryLimitBytes: number;
  tableLimit: number;
  timeoutMs: number | undefined;
  outputLimitBytes: number;
  logLimitBytes: number;
  trapsOnGrowFailure: boolean;
  grantsAllCapabilities: boolean;
  capabilities: readonly string[];
}

const DEFAULTS: Settings = {
  fuelLimit: DEFAULT_FUEL_LIMIT,
  memoryLimitBytes: DEFAULT_MEMORY_LIMIT_BYTES,
  tableLimit: DEFAULT_TABLE_LIMIT,
  timeoutMs: undefined,
  outputLimitBytes: DEFAULT_OUTPUT_LIMIT_BYTES,
  logLimitBytes: DEFAULT_LOG_LIMIT_BYTES,
  trapsOnGrowFailure: false,
  grantsAllCapabilities: false,
  capabilities: [],
};

function checkCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${String(value)}`);
  return value;
}

/**
 * Immutable: every `with...` returns a new config, so one config can be shared
 * by many executions. The defaults grant no capability: a guest that imports a
 * host function gets CapabilityDenied until the config grants it.
 */
export class SandboxConfig implements Readonly<Settings> {
  /** Fuel the guest may consume (DESIGN.md section 2), start function included. */
  declare readonly fuelLimit: number;
  /** Largest linear memory, in bytes, at instantiation and after memory.grow. */
  declare readonly memoryLimitBytes: number;
  /** Largest table, in elements, at instantiation and after table.grow. */
  declare readonly tableLimit: number;
  /** Wall-clock limit of the guest's run in milliseconds; undefined for none. */
  declare readonly timeoutMs: number | undefined;
  /** Most bytes the guest may write with host_write_output. */
  declare readonly outputLimitBytes: number;
  /** Most bytes the guest may log with host_log. */
  declare readonly logLimitBytes: number;
  /** memory.grow / table.grow past a limit traps (OutOfMemory) instead of returning -1. */
  declare readonly trapsOnGrowFailure: boolean;
  /** allowHostCalls(): every capability, built-in and registered. */
  declare readonly grantsAllCapabilities: boolean;
  /** Capabilities granted one by one with withCapability. */
  declare readonly capabilities: readonly string[];

  constructor() {
    Object.assign(this, DEFAULTS);
    Object.freeze(this);
  }

  private with(changes: Partial<Settings>): SandboxConfig {
    const copy = Object.create(SandboxConfig.prototype) as SandboxConfig;
    Object.assign(copy, this, changes);
    Object.freeze(copy);
    return copy;
  }

  withFuelLimit(fuel: number): SandboxConfig {
    return this.with({ fuelLimit: checkCount(fuel, 'the fuel limit') });
  }

  withMemoryLimit(bytes: number): SandboxConfig {
    return this.with({ memoryLimitBytes: checkCount(bytes, 'the memory limit') });
  }

  withTableLimit(elements: number): SandboxConfig {
    return this.with({ tableLimit: checkCount(elements, 'the table limit') });
  }

  withTimeout(ms: number): SandboxConfig {
    if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`the timeout must be a positive number of milliseconds, got ${String(ms)}`);
    return this.with({ timeoutMs: ms });
  }

  withOutputLimit(bytes: number): SandboxConfig {
    return this.with({ outputLimitBytes: checkCount(bytes, 'the output limit') });
  }

  withLogLimit(bytes: number): SandboxConfig {
    return this.with({ logLimitBytes: checkCount(bytes, 'the log limit') });
  }

  /** Makes memory.grow / table.grow past the limits end the run with OutOfMemory instead of returning -1. */
  trapOnGrowFailure(enabled = true): SandboxConfig {
    return this.with({ trapsOnGrowFailure: enabled });
  }

  /** Grants every capability: the built-in 'log', 'output', 'input' and any the runtime registers. */
  allowHostCalls(): SandboxConfig {
    return this.with({ grantsAllCapabilities: true });
  }

  /** Grants capabilities by name: 'log' (host_log), 'output' (host_write_output), 'input' (host_read_input, host_get_input_len), or one the runtime registers. */
  withCapability(...names: string[]): SandboxConfig {
    for (const name of names) {
      if (typeof name !== 'string' || name === '') throw new TypeError('a capability name must be a non-empty string');
    }
    return this.with({ capabilities: [...new Set([...this.capabilities, ...names])] });
  }

  grants(capability: string): boolean {
    return this.grantsAllCapabilities || this.capabilities.includes(capability);
  }
}
