/**
 * Modes are the columns of the report: how a workload is run (which engine,
 * under which node flags). Each mode runs in its own child node process, so a
 * mode that needs different V8 flags (--jitless, ...) is one more entry here.
 */

export type EngineKind = 'v8' | 'purewasm';

export interface Mode {
  /** Key in the JSON output and in --modes. */
  readonly id: string;
  /** Column header, followed by "(ms/op)". */
  readonly label: string;
  readonly engine: EngineKind;
  /** Node flags of the child process that measures this mode. */
  readonly nodeFlags: readonly string[];
  /** purewasm only: meter fuel (with a budget that never runs out). */
  readonly consumeFuel?: boolean;
  /** Adds a ratio column: this mode's time over the time of mode `to`. */
  readonly compare?: { readonly to: string; readonly as: 'slowdown' | 'overhead'; readonly header: string };
}

/** Always runs, first: the slowdowns are relative to it, and every mode must return its results. */
export const REFERENCE_MODE = 'v8';

export const MODES: readonly Mode[] = [
  { id: 'v8', label: 'V8', engine: 'v8', nodeFlags: ['--no-liftoff'] },
  {
    id: 'purewasm',
    label: 'purewasm',
    engine: 'purewasm',
    nodeFlags: [],
    compare: { to: 'v8', as: 'slowdown', header: 'slowdown' },
  },
  {
    id: 'purewasm+fuel',
    label: 'purewasm+fuel',
    engine: 'purewasm',
    nodeFlags: [],
    consumeFuel: true,
    compare: { to: 'purewasm', as: 'overhead', header: 'fuel overhead' },
  },
];

export const DEFAULT_MODES: readonly string[] = ['v8', 'purewasm'];
