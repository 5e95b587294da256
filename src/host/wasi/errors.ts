/** Errors used by the WASI host. */

/**
 * Carries a WASI errno out of nested helpers (memory access, path resolution, file
 * systems) to the syscall boundary, where it becomes the function's return value.
 * File system backends throw it to report a failure.
 */
export class WasiError extends Error {
  override name = 'WasiError';
  readonly errno: number;
  constructor(errno: number, message?: string) {
    super(message ?? `WASI errno ${errno}`);
    this.errno = errno;
  }
}

/**
 * Thrown by `proc_exit` to unwind the guest. `start()` catches it and returns the code
 * when `returnOnExit` is true (the default); otherwise it propagates to the embedder,
 * who decides what exiting means (a CLI can end the process with `code`).
 */
export class WASIExitError extends Error {
  override name = 'WASIExitError';
  readonly code: number;
  constructor(code: number) {
    super(`WASI program exited with code ${code}`);
    this.code = code;
  }
}

/**
 * The WASIExitError behind `error`, if any. Engines wrap host exceptions (purewasm
 * reports a throwing host function as a RuntimeError whose `cause` is the thrown value),
 * so follow the cause chain.
 */
export function findExit(error: unknown): WASIExitError | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof WASIExitError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
