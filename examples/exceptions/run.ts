/**
 * Runs examples/exceptions/calc.wasm through purewasm's WebAssembly namespace
 * (purewasm/js-api), with its one import, WASI's fd_write, written in JS:
 *
 *   npx tsx examples/exceptions/run.ts [LINE]
 *
 * With LINE, the fd_write of that output line (1-based) throws a JS Error; the
 * error enters WebAssembly as an exception (WebAssembly.JSTag), which the
 * program's catch_all catches, and the run goes on with that line lost. Then
 * JS calls the export `evaluate` on expressions of its own: a WebAssembly
 * exception thrown deep in the parser comes out as a WebAssembly.Exception,
 * read with the exported tags.
 */
import { readFileSync } from 'node:fs';
import { WebAssembly } from '../../src/js-api/index.js';

const failingLine = process.argv[2] === undefined ? 0 : Number(process.argv[2]);
const bytes = readFileSync(new URL('./calc.wasm', import.meta.url));

let memory: InstanceType<typeof WebAssembly.Memory> | undefined;
let writes = 0;
const output: string[] = [];

/** WASI's fd_write: iovecs of (pointer, length) at `iovs`; the byte count goes to `written`. */
function fdWrite(fd: number, iovs: number, count: number, written: number): number {
  writes++;
  if (writes === failingLine) throw new Error(`fd_write: cannot write line ${writes}`);
  const view = new DataView(memory!.buffer);
  let text = '';
  let total = 0;
  for (let i = 0; i < count; i++) {
    const pointer = view.getUint32(iovs + 8 * i, true);
    const length = view.getUint32(iovs + 8 * i + 4, true);
    text += new TextDecoder().decode(new Uint8Array(memory!.buffer, pointer, length));
    total += length;
  }
  view.setUint32(written, total, true);
  if (fd === 1) output.push(text);
  return 0;
}

const { instance } = await WebAssembly.instantiate(bytes, { wasi_snapshot_preview1: { fd_write: fdWrite } });
const exports = instance.exports as {
  memory: InstanceType<typeof WebAssembly.Memory>;
  _start(): void;
  evaluate(text: number): number;
  div_by_zero: InstanceType<typeof WebAssembly.Tag>;
  syntax_error: InstanceType<typeof WebAssembly.Tag>;
};
memory = exports.memory;
exports._start();
process.stdout.write(output.join(''));

/** Evaluates `expression` in the guest: its value, or the error its exception carries. */
function evaluate(expression: string): string {
  const scratch = 8192;
  const encoded = new TextEncoder().encode(`${expression}\0`);
  new Uint8Array(memory!.buffer, scratch, encoded.length).set(encoded);
  try {
    return `${expression} = ${exports.evaluate(scratch)}`;
  } catch (error) {
    if (!(error instanceof WebAssembly.Exception)) throw error;
    if (error.is(exports.div_by_zero)) return `${expression}: division by zero at column ${String(error.getArg(exports.div_by_zero, 0))}`;
    if (error.is(exports.syntax_error)) return `${expression}: syntax error at column ${String(error.getArg(exports.syntax_error, 0))}`;
    throw error;
  }
}

for (const expression of ['6*(5+2)', '1/(2-2)', '3+)']) console.log(`from JS: ${evaluate(expression)}`);
