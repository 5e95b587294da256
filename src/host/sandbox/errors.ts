/** The one error type the sandbox throws for anything a guest does (DESIGN.md section 4). */

export type SandboxErrorKind =
  | 'ModuleInvalid'
  | 'InstantiationFailed'
  | 'ExecutionFailed'
  | 'OutOfFuel'
  | 'OutOfMemory'
  | 'Timeout'
  | 'CapabilityDenied'
  | 'HostError';

/** What the guest did and used before it failed; absent when it failed before running. */
export interface FailureDetails {
  /** Fuel consumed up to the failure, exact as in ExecutionResult. */
  fuelConsumed?: number;
  memoryPeakBytes?: number;
  /** Messages the guest logged before it failed. */
  logs?: readonly string[];
}

/** The message of anything thrown, for wrapping it in a SandboxError. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class SandboxError extends Error {
  override name = 'SandboxError';
  readonly kind: SandboxErrorKind;
  /** The message without the kind in front. */
  readonly reason: string;
  readonly fuelConsumed: number | undefined;
  readonly memoryPeakBytes: number | undefined;
  readonly logs: readonly string[];

  constructor(kind: SandboxErrorKind, reason: string, options: { cause?: unknown } & FailureDetails = {}) {
    super(`${kind}: ${reason}`, 'cause' in options ? { cause: options.cause } : undefined);
    this.kind = kind;
    this.reason = reason;
    this.fuelConsumed = options.fuelConsumed;
    this.memoryPeakBytes = options.memoryPeakBytes;
    this.logs = options.logs ?? [];
  }

  /** The same error with what the guest used attached. */
  withDetails(details: FailureDetails): SandboxError {
    const options = 'cause' in this ? { cause: this.cause, ...details } : details;
    return new SandboxError(this.kind, this.reason, options);
  }
}
