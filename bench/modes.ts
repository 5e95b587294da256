/**
 * Modes are the columns of the report: how a workload is run (which engine,
 * under which node flags). Each mode runs in its own child node process, so a
 * mode that needs different V8 flags (--jitless, ...) is one more entry here.
 */

export type EngineKind = 'v8' | 'purewasm' | 'polywasm';

/** How the child times `run(n)`: benchmark.js, or a plain loop (see measure.ts). */
export type Timer = 'benchmark' | 'loop';

export interface Mode {
  /** Key in the JSON output and in --modes. */
  readonly id: string;
  /** Column header, above "ms/op". */
  readonly label: string;
  /** One line for --help and the README. */
  readonly description: string;
  readonly engine: EngineKind;
  /** Node flags of the child process that measures this mode. */
  readonly nodeFlags: readonly string[];
  /** purewasm only: meter fuel (with a budget that never runs out). */
  readonly consumeFuel?: boolean;
  /** purewasm only: install an interrupt check that never interrupts, to measure what polling it costs. */
  readonly interrupt?: boolean;
  /** purewasm only: the Engine's tier (default 'auto'). */
  readonly tier?: 'interpreter' | 'compiled';
  /** Default 'benchmark'; 'loop' where benchmark.js cannot run (it compiles code with `Function`). */
  readonly timer?: Timer;
  /** The engine is no oracle: a wrong result is shown as such in the table instead of failing the run. */
  readonly mayReturnWrongResults?: boolean;
  /** Adds a ratio column: this mode's time over the time of mode `to`. */
  readonly compare?: { readonly to: string; readonly as: 'slowdown' | 'overhead'; readonly header: string };
}

/** Always runs, first: the slowdowns are relative to it, and every mode must return its results. */
export const REFERENCE_MODE = 'v8';

const VS_V8 = { to: REFERENCE_MODE, as: 'slowdown', header: 'vs V8' } as const;
const VS_PUREWASM = { to: 'purewasm', as: 'overhead', header: 'overhead' } as const;
const VS_INTERPRETER = { to: 'purewasm-interp', as: 'overhead', header: 'overhead' } as const;

/** In this order in the table. */
export const MODES: readonly Mode[] = [
  {
    id: 'v8',
    label: 'V8',
    description: 'V8 TurboFan (--no-liftoff): the reference',
    engine: 'v8',
    nodeFlags: ['--no-liftoff'],
  },
  {
    id: 'purewasm',
    label: 'purewasm',
    description: 'purewasm on the compiled tier, no fuel, no interrupt check',
    engine: 'purewasm',
    nodeFlags: [],
    tier: 'compiled',
    compare: VS_V8,
  },
  {
    id: 'purewasm+fuel',
    label: 'purewasm+fuel',
    description: 'purewasm on the compiled tier metering fuel; ratio: overhead vs purewasm',
    engine: 'purewasm',
    nodeFlags: [],
    tier: 'compiled',
    consumeFuel: true,
    compare: VS_PUREWASM,
  },
  {
    id: 'purewasm-interp',
    label: 'interpreter',
    description: 'purewasm on the interpreter tier',
    engine: 'purewasm',
    nodeFlags: [],
    tier: 'interpreter',
    compare: VS_V8,
  },
  {
    id: 'purewasm-interp+fuel',
    label: 'interpreter+fuel',
    description: 'purewasm on the interpreter tier metering fuel; ratio: overhead vs the interpreter',
    engine: 'purewasm',
    nodeFlags: [],
    tier: 'interpreter',
    consumeFuel: true,
    compare: VS_INTERPRETER,
  },
  {
    id: 'purewasm+interrupt',
    label: 'purewasm+interrupt',
    description: 'purewasm with store.setInterrupt(() => false); ratio: overhead vs purewasm',
    engine: 'purewasm',
    nodeFlags: [],
    interrupt: true,
    compare: VS_PUREWASM,
  },
  {
    id: 'purewasm-jitless',
    label: 'purewasm --jitless',
    description: 'purewasm on the compiled tier under node --jitless (no JIT, no WebAssembly object)',
    engine: 'purewasm',
    nodeFlags: ['--jitless'],
    tier: 'compiled',
    compare: VS_V8,
  },
  {
    id: 'purewasm-jitless+fuel',
    label: 'purewasm+fuel --jitless',
    description: 'purewasm on the compiled tier metering fuel under node --jitless; ratio: overhead vs purewasm --jitless',
    engine: 'purewasm',
    nodeFlags: ['--jitless'],
    tier: 'compiled',
    consumeFuel: true,
    compare: { to: 'purewasm-jitless', as: 'overhead', header: 'overhead' },
  },
  {
    id: 'purewasm-interp-jitless',
    label: 'interpreter --jitless',
    description: 'purewasm on the interpreter tier under node --jitless',
    engine: 'purewasm',
    nodeFlags: ['--jitless'],
    tier: 'interpreter',
    compare: VS_V8,
  },
  {
    id: 'purewasm-nocodegen',
    label: 'purewasm nocodegen',
    description: "purewasm under --disallow-code-generation-from-strings ('auto' picks the interpreter; plain timing loop)",
    engine: 'purewasm',
    nodeFlags: ['--disallow-code-generation-from-strings'],
    timer: 'loop',
    compare: VS_V8,
  },
  {
    id: 'polywasm',
    label: 'polywasm',
    description: 'polywasm (compiles Wasm to JS); not an oracle',
    engine: 'polywasm',
    nodeFlags: [],
    mayReturnWrongResults: true,
    compare: VS_V8,
  },
  {
    id: 'polywasm-jitless',
    label: 'polywasm --jitless',
    description: 'polywasm under node --jitless',
    engine: 'polywasm',
    nodeFlags: ['--jitless'],
    mayReturnWrongResults: true,
    compare: VS_V8,
  },
];

export const DEFAULT_MODES: readonly string[] = ['v8', 'purewasm', 'purewasm-interp'];
