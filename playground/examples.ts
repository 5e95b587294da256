/** The playground's examples: a binary each (built from the .wat by `npm run build`, or compiled from C) and its settings. */
export interface Example {
  id: string;
  title: string;
  description: string;
  /** The module, relative to the page. */
  wasm: string;
  /** Its text, shown in the editor, when there is one. */
  wat?: string;
  export: string;
  args: string;
  fuel?: number;
  memoryMiB?: number;
}

export const EXAMPLES: Example[] = [
  {
    id: 'sort',
    title: 'Sort and checksum',
    description: 'Fills memory with pseudo-random numbers, merge-sorts them and returns a checksum: a recursive call tree in the profile.',
    wasm: 'examples/sort.wasm',
    wat: 'examples/sort.wat',
    export: 'run',
    args: '1000',
  },
  {
    id: 'fib',
    title: 'Recursive Fibonacci',
    description: 'The flame graph is the call tree.',
    wasm: 'examples/fib.wasm',
    wat: 'examples/fib.wat',
    export: 'fib',
    args: '16',
  },
  {
    id: 'primes',
    title: 'Count primes (C)',
    description: 'A sieve compiled from C; it reports through an imported env.log, shown as output.',
    wasm: 'examples/primes.wasm',
    export: 'count_primes',
    args: '20000',
  },
  {
    id: 'wasi',
    title: 'A WASI program (C)',
    description: 'Reads its arguments (the Arguments field), environment, standard input and /sandbox/input.txt, and writes a file.',
    wasm: 'examples/wasi-demo.wasm',
    export: '_start',
    args: 'hello world',
  },
  {
    id: 'divide',
    title: 'A trap: divide by zero',
    description: 'The average of 1..count; with count = 0 the division traps.',
    wasm: 'examples/divide.wasm',
    wat: 'examples/divide.wat',
    export: 'average',
    args: '0',
  },
  {
    id: 'spin',
    title: 'Out of fuel: an endless loop',
    description: 'Never returns: the fuel limit (or the time limit) stops it.',
    wasm: 'examples/spin.wasm',
    wat: 'examples/spin.wat',
    export: 'spin',
    args: '',
    fuel: 1_000_000,
  },
  {
    id: 'grow',
    title: 'Memory: grow up to the limit',
    description: 'Grows memory a page at a time; past the memory limit memory.grow returns -1 and it stops.',
    wasm: 'examples/grow.wasm',
    wat: 'examples/grow.wat',
    export: 'grow',
    args: '100',
    memoryMiB: 2,
  },
];
