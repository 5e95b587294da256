/**
 * Tail calls (return_call, return_call_indirect) in generated code, in
 * constant JS-stack space, with the interpreter's semantics (tail-call.ts):
 *
 *   - A direct tail call of a function to itself is a loop: the arguments
 *     become the parameters, the declared locals are zeroed, and the body
 *     starts again from its first op (its entry fuel segment included), inside
 *     a `TC: for (;;)` around the body.
 *   - Any other tail call to a Wasm function returns the marker TAIL from the
 *     generated function (its "body") with the callee in `S.tail`, the
 *     arguments in the callee's frame slots fp.. of the register file (where
 *     the interpreter's reuseFrame puts them), and fuel and countdown in
 *     S.fuel and S.cd. A function that can do this is entered through a
 *     "driver" (`func.jit`), which calls the body and, while it returns TAIL,
 *     the callee's body (`jitTail`, through a per-signature glue that reads the
 *     arguments back). Only functions that contain such a tail call get a
 *     driver, so calls of all other functions cost what they did; a direct
 *     call from the same module runs the driver's loop at the call site
 *     instead (ops.ts, tailCallerCall), saving the driver's extra call.
 *
 * The callee takes over the frame (fp, depth) as in the interpreter: a deopt
 * in it links to the caller of the function that made the tail call. Before
 * handing over, the caller checks what the interpreter's reuseFrame checks (the
 * callee's frame fits the register file), so a callee never refuses to enter
 * (it could not: its caller is gone); where it would not fit, the caller
 * deopts at the tail call and the interpreter traps or runs it.
 *
 * A tail call to a host function falls through to the Call and Return the
 * lowering puts after the op (ir.ts), which are compiled as any call.
 */

import { ValType } from '../decoder/module.js';
import { Op } from '../interpreter/ir.js';
import { repOfType, type Gen } from './codegen.js';
import { tailGlue } from './glue.js';
import { Rep } from './types.js';

/** Emits a tail-call op; false for any other op. */
export function emitTailCall(g: Gen, op: number): boolean {
  if (op !== Op.ReturnCall && op !== Op.ReturnCallIndirect) return false;
  const pc = g.pc;
  const countdown = `if (--cd === 0) { cd = R.tick(m); if (cd === 0) { cd = 1; ${g.deopt()} } }`;
  if (op === Op.ReturnCall) {
    const callee = g.code[pc + 1]!;
    const base = g.reg(2);
    const type = g.shape.funcTypes[callee]!;
    if (callee === g.selfIndex) {
      g.selfTailCalls = true;
      g.out(`${countdown} ${selfCall(g, type.params, base)} continue TC;`);
      return true;
    }
    g.directCallees.add(callee);
    g.out(`${countdown} if (F${callee}.compiled !== null) { ${handOver(g, `F${callee}`, type, base)} }`);
    return true;
  }
  const table = g.code[pc + 1]!;
  const sigId = g.code[pc + 2]!;
  const type = g.shape.sigTypes.get(sigId)!;
  const base = g.reg(4);
  g.tables.add(table);
  g.out(
    `${countdown} { const els = T${table}.elements; const i = ${g.i(3)} >>> 0; if (i >= els.length) ${g.deopt()} ` +
      `const t = els[i]; if (t === null || t.sigId !== ${sigId}) ${g.deopt()} ` +
      `if (t.compiled !== null) { if (t.jitTail === null) R.prepare(t); ${handOver(g, 't', type, base)} } }`,
  );
  return true;
}

/** Arguments in registers base.. become the parameters; the declared locals read before written are zeroed. */
function selfCall(g: Gen, params: readonly ValType[], base: number): string {
  const moves: string[] = [];
  params.forEach((type, i) => {
    const rep = repOfType(type);
    const from = g.varsOf(base + i, rep);
    g.varsOf(i, rep).forEach((name, k) => moves.push(`${name} = ${from[k]};`));
  });
  const func = g.func;
  const localTypes = func.localTypes;
  for (let r = Math.max(params.length, func.zeroFrom); r < localTypes.length; r++) {
    const rep = repOfType(localTypes[r]!);
    for (const name of g.varsOf(r, rep)) moves.push(`${name} = ${rep === Rep.Ref ? 'null' : '0'};`);
  }
  return moves.join(' ');
}

/** The hand-over to Wasm function `callee` (an expression) of the given type, its arguments in registers base.. */
function handOver(g: Gen, callee: string, type: { params: readonly ValType[]; results: readonly ValType[] }, base: number): string {
  g.otherTailCalls = true;
  const maxSlots = g.shape.maxSlots;
  let glue = g.tailGlues.indexOf(tailGlue(type, g.shape.metered));
  if (glue < 0) glue = g.tailGlues.push(tailGlue(type, g.shape.metered)) - 1;
  const writes = type.params.map((paramType, i) => {
    const rep = repOfType(paramType);
    const names = g.varsOf(base + i, rep);
    switch (rep) {
      case Rep.W32: return `w[(rfp + ${i}) << 1] = ${names[0]};`;
      case Rep.W64: return `w[(rfp + ${i}) << 1] = ${names[0]}; w[((rfp + ${i}) << 1) + 1] = ${names[1]};`;
      case Rep.F64: return `m.f64[rfp + ${i}] = ${names[0]};`;
      case Rep.V128: return names.map((name, k) => `m.v128.i32[((rfp + ${i}) << 2) + ${k}] = ${name};`).join(' ');
      default: return `m.refs[rfp + ${i}] = ${names[0]};`;
    }
  });
  // An unlowered body has a frame size no register file holds (ir.ts): lower it, then compare again.
  return (
    `let size = ${callee}.compiled.frameSize; if (fp + size > ${maxSlots}) { size = R.lowered(${callee}); if (fp + size > ${maxSlots}) ${g.deopt()} } ` +
    `const rfp = fp - S.fs; R.ensureSlots(m, rfp + size); const w = m.w; ${writes.join(' ')} ` +
    `S.tail = ${callee}; S.tg = TG${glue}; ${g.shape.metered ? 'S.fuel = fuel; ' : ''}S.cd = cd; return TAIL;`
  );
}

/** The driver of a function whose body may return TAIL (assembled after `var BODY = function (...) {...};`). */
export function tailDriver(signature: string): string[] {
  return [
    `const DRIVER = function (${signature}) {`,
    `let res = BODY(${signature});`,
    'while (res === TAIL) res = S.tg(m, S, S.tail, fp, depth, S.fuel, S.cd);',
    'return res;',
    '};',
    'return [DRIVER, BODY];',
  ];
}
