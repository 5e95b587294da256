/**
 * wabt (the WebAssembly Binary Toolkit compiled by Emscripten), loaded
 * unmodified from node_modules: text to binary, binary back to text, a
 * validation error, and the binary it wrote instantiated and run through
 * whatever `WebAssembly` is on globalThis.
 */

import wabtInit from 'wabt';

const SOURCE = `(module
  (memory (export "memory") 1)
  (data (i32.const 16) "purewasm")
  (func $factorial (export "factorial") (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else (i64.mul (local.get $n) (call $factorial (i64.sub (local.get $n) (i64.const 1)))))))
  (func (export "fnv1a") (param $ptr i32) (param $len i32) (result i32)
    (local $hash i32)
    (local.set $hash (i32.const 0x811c9dc5))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32.load8_u (local.get $ptr))) (i32.const 0x01000193)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $next)))
    (local.get $hash))
  (func (export "divmod") (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))
  (func (export "hypot") (param f64 f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1))))))`;

/** A result of the wrong type: parses, then fails validation. */
const INVALID_SOURCE = '(module (func (result i32) (i64.const 1)))';

export interface WabtResults {
  binaryHex: string;
  roundTripText: string;
  validationError: string;
  factorial20: string;
  fnv1aOfData: number;
  divmod: number[];
  hypot: number;
}

function validationError(wabt: Awaited<ReturnType<typeof wabtInit>>): string {
  const module = wabt.parseWat('invalid.wat', INVALID_SOURCE);
  try {
    module.validate();
    return 'no error';
  } catch (error) {
    return (error as Error).message;
  } finally {
    module.destroy();
  }
}

export async function wabtWorkload(): Promise<WabtResults> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('program.wat', SOURCE);
  let binary: Uint8Array<ArrayBuffer>;
  try {
    parsed.resolveNames();
    parsed.validate();
    // Copied only for its type: WebAssembly.instantiate's BufferSource wants an ArrayBuffer-backed view.
    binary = new Uint8Array(parsed.toBinary({ write_debug_names: true }).buffer);
  } finally {
    parsed.destroy();
  }
  const read = wabt.readWasm(binary, { readDebugNames: true });
  let roundTripText: string;
  try {
    read.applyNames();
    roundTripText = read.toText({ foldExprs: false, inlineExport: false });
  } finally {
    read.destroy();
  }

  const { instance } = await WebAssembly.instantiate(binary);
  const exports = instance.exports as {
    factorial(n: bigint): bigint;
    fnv1a(ptr: number, len: number): number;
    divmod(a: number, b: number): number[];
    hypot(x: number, y: number): number;
  };
  return {
    binaryHex: Buffer.from(binary).toString('hex'),
    roundTripText,
    validationError: validationError(wabt),
    factorial20: exports.factorial(20n).toString(),
    fnv1aOfData: exports.fnv1a(16, 8) >>> 0,
    divmod: exports.divmod(100, 7),
    hypot: exports.hypot(3, 4),
  };
}
