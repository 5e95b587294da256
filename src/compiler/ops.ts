/**
 * JavaScript for every IR op, mirroring the interpreter's handler of the same
 * op (executor.ts) with registers as locals: the same expressions, helpers and
 * evaluation order, so results and NaN bits are the same. Anything the
 * interpreter would trap on or charge dynamic fuel for that cannot be paid
 * deopts (`g.deopt()`), and the interpreter does it.
 */

import { ValType } from '../decoder/module.js';
import { Op } from '../interpreter/ir.js';
import { Unsupported, repOfType, type Gen } from './codegen.js';
import { emitMemoryM } from './memory-ops-m.js';
import { emitSimd } from './simd-ops.js';
import { emitTailCall } from './tail-calls.js';
import { Rep } from './types.js';

/** i32 comparisons by op, as JS on two int32 operands (the unsigned ones on >>> 0). */
const I32_COMPARE: Partial<Record<number, [string, boolean]>> = {};
{
  const ops: [Op, Op, Op, string, boolean][] = [
    [Op.I32Eq, Op.BrIfI32Eq, Op.I32EqImm, '===', false],
    [Op.I32Ne, Op.BrIfI32Ne, Op.I32NeImm, '!==', false],
    [Op.I32LtS, Op.BrIfI32LtS, Op.I32LtSImm, '<', false],
    [Op.I32LtU, Op.BrIfI32LtU, Op.I32LtUImm, '<', true],
    [Op.I32GtS, Op.BrIfI32GtS, Op.I32GtSImm, '>', false],
    [Op.I32GtU, Op.BrIfI32GtU, Op.I32GtUImm, '>', true],
    [Op.I32LeS, Op.BrIfI32LeS, Op.I32LeSImm, '<=', false],
    [Op.I32LeU, Op.BrIfI32LeU, Op.I32LeUImm, '<=', true],
    [Op.I32GeS, Op.BrIfI32GeS, Op.I32GeSImm, '>=', false],
    [Op.I32GeU, Op.BrIfI32GeU, Op.I32GeUImm, '>=', true],
  ];
  for (const [plain, branch, imm, js, unsigned] of ops) {
    I32_COMPARE[plain] = [js, unsigned];
    I32_COMPARE[branch] = [js, unsigned];
    I32_COMPARE[imm] = [js, unsigned];
    I32_COMPARE[imm - Op.I32EqImm + Op.BrIfI32EqImm] = [js, unsigned];
  }
}

function compareI32(js: string, unsigned: boolean, a: string, b: string): string {
  return unsigned ? `(${a} >>> 0) ${js} (${b} >>> 0)` : `${a} ${js} ${b}`;
}

/** i64 comparisons: [js on the high words, js on the unsigned low words, signed high]. */
const I64_COMPARE: Partial<Record<number, [string, boolean]>> = {
  [Op.I64LtS]: ['<', false], [Op.I64LtU]: ['<', true], [Op.I64GtS]: ['>', false], [Op.I64GtU]: ['>', true],
  [Op.I64LeS]: ['<=', false], [Op.I64LeU]: ['<=', true], [Op.I64GeS]: ['>=', false], [Op.I64GeU]: ['>=', true],
};

const F_COMPARE: Partial<Record<number, string>> = {
  [Op.F32Eq]: '===', [Op.F32Ne]: '!==', [Op.F32Lt]: '<', [Op.F32Gt]: '>', [Op.F32Le]: '<=', [Op.F32Ge]: '>=',
  [Op.F64Eq]: '===', [Op.F64Ne]: '!==', [Op.F64Lt]: '<', [Op.F64Gt]: '>', [Op.F64Le]: '<=', [Op.F64Ge]: '>=',
};

const MULHI = (a: string, b: string): string =>
  `((((${a}) >>> 0) * ((${b}) >>> 0) - (imul(${a}, ${b}) >>> 0)) * 2.3283064365386963e-10 + 0.5) | 0`;

/** Sum of two i64 (lo/hi expressions, all plain names) into names dl, dh: the interpreter's carry logic. */
function add64(al: string, ah: string, bl: string, bh: string): string {
  return `const l = (${al} + ${bl}) | 0; const h = (${ah} + ${bh} + (((${al} & ${bl}) | ((${al} | ${bl}) & ~l)) >>> 31)) | 0;`;
}

/**
 * A branch to `target` from the op at g.pc: backward ones are loop back-edges and count towards the interrupt
 * check, which may deopt; `assign` (a fused op's definition) happens after that check, so a deopt re-executes
 * the op from its inputs.
 */
function jump(g: Gen, target: number, assign = ''): string {
  if (target > g.pc) return `{ ${assign} break B${target}; }`;
  return `{ if (!--cd) { cd = R.tick(m); if (cd === 0) { cd = 1; ${g.deopt()} } } ${assign} continue L${target}; }`;
}

/**
 * The effective address of a memory access: `exact` is u32(addr + addend) + u32(offset) as a number; `fast` the
 * same where it is not negative, or just the address register when there is nothing to add (a negative one, an
 * address of 2^31 or more, then indexes no element and takes the slow path, which uses `exact`).
 */
interface Address {
  readonly exact: string;
  readonly fast: string;
}

function address(g: Gen, addrK: number, addendK: number, offsetK: number): Address {
  g.noteMemory();
  const addend = g.code[g.pc + addendK]!;
  const offset = g.code[g.pc + offsetK]! >>> 0;
  const register = g.i(addrK);
  if (addend === 0 && offset === 0) return { exact: `${register} >>> 0`, fast: register };
  const base = addend === 0 ? `(${register} >>> 0)` : `((${register} + ${addend}) >>> 0)`;
  const exact = offset === 0 ? base : `${base} + ${offset}`;
  return { exact, fast: exact };
}

/** An address computed by the op itself (already u32 + offset). */
function computed(g: Gen, ea: string): Address {
  g.noteMemory();
  return { exact: ea, fast: ea };
}

/**
 * How each access width reads and writes memory. The fast path indexes a typed array over the memory with
 * ea / size: an address out of bounds, or not a multiple of the size (a fraction), indexes no element and reads
 * `undefined`, so one comparison covers bounds and alignment. The slow path then checks the bounds exactly
 * (deopting where the interpreter traps) and goes through the DataView, which takes any alignment. The views
 * are the function instance's, refreshed when the memory's buffer changes (codegen.ts).
 */
interface Width {
  readonly view: string;
  readonly size: number;
  /** DataView method suffix. */
  readonly name: string;
}
const I8: Width = { view: 'HI8', size: 1, name: 'Int8' };
const U8: Width = { view: 'HU8', size: 1, name: 'Uint8' };
const I16: Width = { view: 'HI16', size: 2, name: 'Int16' };
const U16: Width = { view: 'HU16', size: 2, name: 'Uint16' };
const I32: Width = { view: 'HI32', size: 4, name: 'Int32' };
const F64: Width = { view: 'HF64', size: 8, name: 'Float64' };

function index(width: Width, ea: string): string {
  return width.size === 1 ? ea : `${ea} / ${width.size}`;
}

/** The slow path's start: binds `ea` when the fast path did not, and deopts when `size` bytes at ea are out of bounds. */
function slowStart(g: Gen, a: Address, size: number): string {
  const bind = a.fast === a.exact ? '' : `const ea = ${a.exact}; `;
  return `${bind}if (ea + ${size} > AB.byteLength) ${g.deopt()}`;
}

/** Statements that bind `ea` (when needed) and read the value at it into `target` (declared with `let` when `declare`). */
function load(g: Gen, a: Address, width: Width, target: string, declare = false): string {
  g.views.add(width.view);
  const bind = a.fast === a.exact ? `const ea = ${a.exact}; ` : '';
  const fast = a.fast === a.exact ? 'ea' : a.fast;
  return `${bind}${declare ? 'let ' : ''}${target} = ${width.view}[${index(width, fast)}]; ` +
    `if (${target} === undefined) { ${slowStart(g, a, width.size)} ${target} = MV.get${width.name}(ea${width.size > 1 ? ', true' : ''}); }`;
}

/**
 * Statements that read the op's register operand 1 from the address: straight into its variable unless that is
 * also the address register (a deopt must find the address where the interpreter reads it).
 */
function loadInto(g: Gen, a: Address, width: Width, addressKs: readonly number[] = [2]): string {
  const intoAddress = addressKs.some((k) => g.reg(k) === g.reg(1));
  const f64 = width === F64;
  if (intoAddress) return `${load(g, a, width, 'v', true)} ${f64 ? g.D(1) : g.I(1)} = v;`;
  return load(g, a, width, f64 ? g.D(1) : g.I(1));
}

/** Statements that read the 8 bytes at the address as two words into new variables `lo` and `hi`. */
function loadPair(g: Gen, a: Address, lo: string, hi: string): string {
  g.views.add('HI32');
  // Index q + 1 is an element only if q is one too (ea is never negative here).
  return `const ea = ${a.exact}; const q = ea / 4; let ${hi} = HI32[q + 1], ${lo}; ` +
    `if (${hi} === undefined) { if (ea + 8 > AB.byteLength) ${g.deopt()} ${lo} = MV.getInt32(ea, true); ${hi} = MV.getInt32(ea + 4, true); } else ${lo} = HI32[q];`;
}

/** A block that writes `value` (a name or a literal) at the address; the fast path first reads the element to learn that it exists. */
function store(g: Gen, a: Address, width: Width, value: string): string {
  g.views.add(width.view);
  const bind = a.fast === a.exact ? `const ea = ${a.exact}; ` : '';
  const fast = index(width, a.fast === a.exact ? 'ea' : a.fast);
  const at = width.size === 1 ? fast : 'q';
  const q = width.size === 1 ? '' : `const q = ${fast}; `;
  return `{ ${bind}${q}if (${width.view}[${at}] === undefined) { ${slowStart(g, a, width.size)} MV.set${width.name}(ea, ${value}${width.size > 1 ? ', true' : ''}); } ` +
    `else ${width.view}[${at}] = ${value}; }`;
}

function storePair(g: Gen, a: Address, lo: string, hi: string): string {
  g.views.add('HI32');
  return `{ const ea = ${a.exact}; const q = ea / 4; if (HI32[q + 1] === undefined) { if (ea + 8 > AB.byteLength) ${g.deopt()} ` +
    `MV.setInt32(ea, ${lo}, true); MV.setInt32(ea + 4, ${hi}, true); } else { HI32[q] = ${lo}; HI32[q + 1] = ${hi}; } }`;
}

/** Loads by op. */
const LOADS: Partial<Record<number, Width>> = {
  [Op.I32Load]: I32, [Op.F32Load]: I32,
  [Op.I32Load8S]: I8, [Op.I32Load8U]: U8, [Op.I32Load16S]: I16, [Op.I32Load16U]: U16,
  [Op.I64Load8S]: I8, [Op.I64Load8U]: U8, [Op.I64Load16S]: I16, [Op.I64Load16U]: U16,
  [Op.I64Load32S]: I32, [Op.I64Load32U]: I32,
};

/** Narrow stores by op (Uint8/Uint16 views wrap the value as setInt8/setInt16 do). */
const STORES: Partial<Record<number, Width>> = {
  [Op.I32Store]: I32, [Op.F32Store]: I32, [Op.I64Store32]: I32,
  [Op.I32Store8]: U8, [Op.I64Store8]: U8,
  [Op.I32Store16]: U16, [Op.I64Store16]: U16,
  [Op.I32StoreImm]: I32, [Op.I32Store8Imm]: U8, [Op.I32Store16Imm]: U16,
};

/** More Wasm parameters than this, and a call or function stays interpreted (JS caps parameters near 65,535). */
export const MAX_JS_PARAMS = 1000;

/** Value types of a signature as representations. */
function reps(types: readonly ValType[]): Rep[] {
  return types.map(repOfType);
}

/** JS arguments for the values in registers base.. of the given representations. */
function argumentList(g: Gen, base: number, params: Rep[]): string {
  return params.map((rep, i) => g.varsOf(base + i, rep).join(', ')).filter((s) => s !== '').map((s) => ', ' + s).join('');
}

/** Reads results returned in the compiled convention (res, S.hi, S.h2, S.h3; several in the register file) into registers base.. . */
function receiveResults(g: Gen, base: number, results: Rep[]): string {
  if (results.length === 0) return '';
  if (results.length === 1) {
    g.defRep(base, results[0]!);
    const names = g.varsOf(base, results[0]!);
    if (results[0] === Rep.V128) return `${names[0]} = res; ${names[1]} = S.hi; ${names[2]} = S.h2; ${names[3]} = S.h3;`;
    return results[0] === Rep.W64 ? `${names[0]} = res; ${names[1]} = S.hi;` : `${names[0]} = res;`;
  }
  // Several results come in the callee's registers in the register file, as in the interpreter.
  return `{ const rfp = fp - S.fs, v = m.w; ${fromSlots(g, base, results).replaceAll('w[', 'v[')} }`;
}

/** Writes registers base.. into the register file (a call through the interpreter's slots). */
function toSlots(g: Gen, base: number, types: Rep[]): string {
  return types.map((rep, i) => {
    const r = base + i;
    const names = g.varsOf(r, rep);
    switch (rep) {
      case Rep.W32: return `w[(rfp + ${r}) << 1] = ${names[0]};`;
      case Rep.W64: return `w[(rfp + ${r}) << 1] = ${names[0]}; w[((rfp + ${r}) << 1) + 1] = ${names[1]};`;
      case Rep.F64: return `m.f64[rfp + ${r}] = ${names[0]};`;
      case Rep.V128: return names.map((name, k) => `m.v128.i32[((rfp + ${r}) << 2) + ${k}] = ${name};`).join(' ');
      default: return `m.refs[rfp + ${r}] = ${names[0]};`;
    }
  }).join(' ');
}

/** Reads results from the register file after a call through slots. */
function fromSlots(g: Gen, base: number, types: Rep[]): string {
  return types.map((rep, i) => {
    const r = base + i;
    g.defRep(r, rep);
    const names = g.varsOf(r, rep);
    switch (rep) {
      case Rep.W32: return `${names[0]} = w[(rfp + ${r}) << 1];`;
      case Rep.W64: return `${names[0]} = w[(rfp + ${r}) << 1]; ${names[1]} = w[((rfp + ${r}) << 1) + 1];`;
      case Rep.F64: return `${names[0]} = m.f64[rfp + ${r}];`;
      case Rep.V128: return names.map((name, k) => `${name} = m.v128.i32[((rfp + ${r}) << 2) + ${k}];`).join(' ');
      default: return `${names[0]} = m.refs[rfp + ${r}];`;
    }
  }).join(' ');
}

/** After a call: take back the fuel left (metered code only) and reload the memory, which the callee may have grown. */
function afterCall(g: Gen): string {
  const sync = g.shape.metered ? ' fuel = S.fuel;' : '';
  return `${sync} ${g.refreshViews()}`;
}

function emitCall(g: Gen, indirect: boolean): void {
  const pc = g.pc;
  const shape = g.shape;
  let type: { params: readonly ValType[]; results: readonly ValType[] };
  let base: number;
  let callee = -1;
  if (indirect) {
    type = shape.sigTypes.get(g.code[pc + 2]!)!;
    base = g.reg(4);
  } else {
    callee = g.code[pc + 1]!;
    type = shape.funcTypes[callee]!;
    base = g.reg(2);
  }
  const params = reps(type.params);
  const results = reps(type.results);
  if (params.length > MAX_JS_PARAMS) throw new Unsupported('too many parameters for a JS call');
  const countdown = `if (!--cd) { cd = R.tick(m); if (cd === 0) { cd = 1; ${g.deopt()} } }`;
  g.recordSite(pc, base);
  const slotCall = (target: string): string =>
    `{ const rfp = fp - S.fs; R.ensureSlots(m, rfp + ${g.func.frameSize}); const w = m.w; ${toSlots(g, base, params)} R.callSlots(m, S, ${target}, rfp + ${base}, depth - S.ds, fuel, cd, FI, ${pc}, rfp + ${g.func.frameSize}, ctx.caller);` +
    `${afterCall(g)} const v = m.w; ${fromSlots(g, base, results).replaceAll('w[', 'v[')} }`;
  const args = argumentList(g, base, params);
  const direct = (target: string): string => {
    const call = `${target}.jit(fp + ${base}, depth + 1, ${g.shape.metered ? 'fuel, ' : ''}cd${args})`;
    if (results.length !== 1) return `${call};${afterCall(g)} ${receiveResults(g, base, results)}`;
    // Straight into the result's variable: a callee that throws leaves it as it was.
    const rep = results[0]!;
    g.defRep(base, rep);
    const names = g.varsOf(base, rep);
    const high = rep === Rep.V128 ? ` ${names[1]} = S.hi; ${names[2]} = S.h2; ${names[3]} = S.h3;` : rep === Rep.W64 ? ` ${names[1]} = S.hi;` : '';
    return `${names[0]} = ${call};${afterCall(g)}${high}`;
  };
  g.killAbove(base);
  if (!indirect) {
    if (callee < shape.numImportedFuncs) {
      g.directCallees.add(callee);
      g.out(`${countdown} site = ${pc}; if (F${callee}.compiled !== null) { ${direct(`F${callee}`)} } else ${slotCall(`F${callee}`)}`);
    } else {
      g.directCallees.add(callee);
      g.out(`${countdown} site = ${pc}; ${shape.makesTailCalls(callee) ? tailCallerCall(g, callee, base, args, results) : direct(`F${callee}`)}`);
    }
    return;
  }
  const table = g.code[pc + 1]!;
  g.tables.add(table);
  g.out(
    `${countdown} { const els = T${table}.elements; const i = ${g.i(3)} >>> 0; if (i >= els.length) ${g.deopt()} ` +
      `const t = els[i]; if (t === null || t.sigId !== ${g.code[pc + 2]!}) ${g.deopt()} site = ${pc}; ` +
      `if (t.compiled !== null) { if (t.jit === null) R.prepare(t); ${direct('t')} } else ${slotCall('t')} }`,
  );
}

/**
 * A call of a function of this module whose body may return TAIL (tail-calls.ts): its body is called and the
 * tail calls it hands back are made here, as its driver would, without the driver's extra call.
 */
function tailCallerCall(g: Gen, callee: number, base: number, args: string, results: Rep[]): string {
  return `let res = F${callee}.jitTail(fp + ${base}, depth + 1, ${g.shape.metered ? 'fuel, ' : ''}cd${args}); ` +
    `while (res === TAIL) res = S.tg(m, S, S.tail, fp + ${base}, depth + 1, S.fuel, S.cd);${afterCall(g)} ${receiveResults(g, base, results)}`;
}

function emitReturn(g: Gen, results: Rep[]): void {
  const sync = g.shape.metered ? 'S.fuel = fuel;' : '';
  if (results.length === 0) {
    g.out(`${sync} return;`);
  } else if (results.length === 1) {
    const names = g.varsOf(0, results[0]!);
    if (results[0] === Rep.V128) g.out(`${sync} S.hi = ${names[1]}; S.h2 = ${names[2]}; S.h3 = ${names[3]}; return ${names[0]};`);
    else g.out(results[0] === Rep.W64 ? `${sync} S.hi = ${names[1]}; return ${names[0]};` : `${sync} return ${names[0]};`);
  } else {
    g.out(`${sync} { const rfp = fp - S.fs; R.ensureSlots(m, rfp + ${results.length}); const w = m.w; ${toSlots(g, 0, results)} } return;`);
  }
}

/** Fuel: charge the segment, or (when the chunk cannot pay) refill from the reserve, or deopt so the interpreter pays op by op. */
function emitFuel(g: Gen): void {
  const cost = g.code[g.pc + 1]!;
  g.out(`if ((fuel -= ${cost}) < 0) { fuel = R.refuel(S, fuel, ${cost}); if (fuel < 0) { fuel += ${cost}; ${g.deopt()} } }`);
}

/** A bulk op through a runtime helper that returns the fuel left, or -1 (nothing done) when the interpreter must take over. */
export function bulk(g: Gen, call: string): void {
  g.out(`{ const left = ${call}; if (left < 0) ${g.deopt()} fuel = left; }`);
}

export function emitOp(g: Gen, op: number): void {
  const compare = I32_COMPARE[op];
  switch (op) {
    // ---------------------------------------------------------------- moves and constants
    case Op.Copy:
    case Op.CopyThenFuel: {
      const rep = g.repOf(2);
      const from = g.varsOf(g.reg(2), rep);
      const to = g.varsOf(g.reg(1), rep);
      g.defRep(g.reg(1), rep);
      if (g.reg(1) !== g.reg(2)) g.out(to.map((name, i) => `${name} = ${from[i]};`).join(' '));
      return;
    }
    case Op.CopyRef:
      g.out(`${g.X(1)} = ${g.x(2)};`);
      return;
    case Op.Const32:
    case Op.Const32ThenFuel:
      g.out(`${g.I(1)} = ${g.imm(2)};`);
      return;
    case Op.Const64: {
      const r = g.reg(1);
      g.defRep(r, Rep.Bits64);
      const [a, b, d] = g.varsOf(r, Rep.Bits64);
      g.out(`${a} = ${g.imm(2)}; ${b} = ${g.imm(3)}; ${d} = ${g.f64Constant(g.code[g.pc + 2]!, g.code[g.pc + 3]!)};`);
      return;
    }
    case Op.RefNull:
      g.out(`${g.X(1)} = null;`);
      return;
    case Op.RefFunc:
      g.out(`${g.X(1)} = ctx.funcs[${g.imm(2)}];`);
      return;
    case Op.RefIsNull:
      g.out(`${g.I(1)} = ${g.x(2)} === null ? 1 : 0;`);
      return;
    case Op.Select: {
      const rep = joinSelect(g.repOf(3), g.repOf(4));
      const t = g.varsOf(g.reg(3), rep);
      const f = g.varsOf(g.reg(4), rep);
      const cond = g.i(2);
      g.defRep(g.reg(1), rep);
      const d = g.varsOf(g.reg(1), rep);
      g.out(`if (${cond} !== 0) { ${d.map((n, i) => `${n} = ${t[i]};`).join(' ')} } else { ${d.map((n, i) => `${n} = ${f[i]};`).join(' ')} }`);
      return;
    }
    case Op.SelectRef:
      g.out(`${g.X(1)} = ${g.i(2)} !== 0 ? ${g.x(3)} : ${g.x(4)};`);
      return;

    // ---------------------------------------------------------------- control
    case Op.Unreachable:
      g.out(g.deopt());
      return;
    case Op.Br:
      g.out(jump(g, g.code[g.pc + 1]!));
      return;
    case Op.BrIfNez:
      g.out(`if (${g.i(1)} !== 0) ${jump(g, g.code[g.pc + 2]!)}`);
      return;
    case Op.BrIfEqz:
      g.out(`if (${g.i(1)} === 0) ${jump(g, g.code[g.pc + 2]!)}`);
      return;
    case Op.BrTable: {
      const count = g.code[g.pc + 2]!;
      const cases: string[] = [];
      for (let i = 0; i < count; i++) cases.push(`case ${i}: ${jump(g, g.code[g.pc + 3 + i]!)}`);
      cases.push(`default: ${jump(g, g.code[g.pc + 3 + count]!)}`);
      g.out(`switch (${g.i(1)} >>> 0) { ${cases.join(' ')} }`);
      return;
    }
    case Op.Return:
      emitReturn(g, reps(currentResults(g)));
      return;
    case Op.Call:
      emitCall(g, false);
      return;
    case Op.CallIndirect:
      emitCall(g, true);
      return;
    case Op.Fuel:
      emitFuel(g);
      return;
    case Op.BrIfAndImmNez:
      g.out(`if ((${g.i(1)} & ${g.imm(2)}) !== 0) ${jump(g, g.code[g.pc + 3]!)}`);
      return;
    case Op.BrIfAndImmEqz:
      g.out(`if ((${g.i(1)} & ${g.imm(2)}) === 0) ${jump(g, g.code[g.pc + 3]!)}`);
      return;

    // ---------------------------------------------------------------- globals
    case Op.GlobalGet: {
      const index = g.code[g.pc + 2]!;
      g.globals.add(index);
      const rep = repOfType(g.shape.globalTypes[index]!);
      if (rep === Rep.W32) g.out(`${g.I(1)} = G${index}.words[0];`);
      else if (rep === Rep.W64) {
        const [l, h] = g.L(1);
        g.out(`${l} = G${index}.words[0]; ${h} = G${index}.words[1];`);
      } else g.out(`SI[0] = G${index}.words[0]; SI[1] = G${index}.words[1]; ${g.D(1)} = SD[0];`);
      return;
    }
    case Op.GlobalSet: {
      const index = g.code[g.pc + 1]!;
      g.globals.add(index);
      const rep = repOfType(g.shape.globalTypes[index]!);
      if (rep === Rep.W32) g.out(`G${index}.words[0] = ${g.i(2)};`);
      else if (rep === Rep.W64) g.out(`G${index}.words[0] = ${g.lo(2)}; G${index}.words[1] = ${g.hi(2)};`);
      else g.out(`SD[0] = ${g.d(2)}; G${index}.words[0] = SI[0]; G${index}.words[1] = SI[1];`);
      return;
    }
    case Op.GlobalGetAddImm: {
      const index = g.code[g.pc + 2]!;
      g.globals.add(index);
      g.out(`${g.I(1)} = (G${index}.words[0] + ${g.imm(3)}) | 0;`);
      return;
    }
    case Op.I32AddImmGlobalSet: {
      const index = g.code[g.pc + 4]!;
      g.globals.add(index);
      const d = g.I(1);
      g.out(`${d} = (${g.i(2)} + ${g.imm(3)}) | 0; G${index}.words[0] = ${d};`);
      return;
    }
    case Op.GlobalAddImm: {
      const index = g.code[g.pc + 2]!;
      g.globals.add(index);
      const d = g.I(1);
      g.out(`${d} = (G${index}.words[0] + ${g.imm(3)}) | 0; G${index}.words[0] = ${d};`);
      return;
    }
    case Op.GlobalGetRef: {
      const index = g.code[g.pc + 2]!;
      g.globals.add(index);
      g.out(`${g.X(1)} = G${index}.ref;`);
      return;
    }
    case Op.GlobalSetRef: {
      const index = g.code[g.pc + 1]!;
      g.globals.add(index);
      g.out(`G${index}.ref = ${g.x(2)};`);
      return;
    }

    // ---------------------------------------------------------------- memory
    case Op.I64Load: {
      const ea = address(g, 2, 3, 4);
      const [l, h] = g.L(1);
      g.out(`{ ${loadPair(g, ea, 'vl', 'vh')} ${l} = vl; ${h} = vh; }`);
      return;
    }
    case Op.F64Load: {
      const ea = address(g, 2, 3, 4);
      g.out(`{ ${loadInto(g, ea, F64)} }`);
      return;
    }
    case Op.I32Store:
    case Op.F32Store:
    case Op.I64Store32:
    case Op.I32Store8:
    case Op.I64Store8:
    case Op.I32Store16:
    case Op.I64Store16: {
      g.out(store(g, address(g, 1, 2, 3), STORES[op]!, g.i(4)));
      return;
    }
    case Op.I32StoreImm:
    case Op.I32Store8Imm:
    case Op.I32Store16Imm: {
      g.out(store(g, address(g, 1, 2, 3), STORES[op]!, g.imm(4)));
      return;
    }
    case Op.I64StoreImm: {
      g.out(storePair(g, address(g, 1, 2, 3), g.imm(4), g.imm(5)));
      return;
    }
    case Op.I64Store: {
      g.out(storePair(g, address(g, 1, 2, 3), g.lo(4), g.hi(4)));
      return;
    }
    case Op.F64Store: {
      g.out(store(g, address(g, 1, 2, 3), F64, g.d(4)));
      return;
    }
    case Op.MemorySize:
      g.noteMemory();
      g.out(`${g.I(1)} = MEM.pages;`);
      return;
    case Op.MemoryGrow:
      g.noteMemory();
      g.out(`{ const old = R.memoryGrow(S, MEM, ${g.i(2)} >>> 0, fuel); if (old === -2) ${g.deopt()} fuel = S.fuel; ${g.I(1)} = old; ${g.refreshViews()} }`);
      return;
    case Op.MemoryFill:
      g.noteMemory();
      bulk(g, `R.memoryFill(S, MEM, ${g.i(1)} >>> 0, ${g.i(2)}, ${g.i(3)} >>> 0, fuel)`);
      return;
    case Op.MemoryCopy:
      g.noteMemory();
      bulk(g, `R.memoryCopy(S, MEM, MEM, ${g.i(1)} >>> 0, ${g.i(2)} >>> 0, ${g.i(3)} >>> 0, fuel)`);
      return;
    case Op.MemoryInit:
      g.noteMemory();
      bulk(g, `R.memoryInit(S, MEM, ctx, ${g.imm(1)}, ${g.i(2)} >>> 0, ${g.i(3)} >>> 0, ${g.i(4)} >>> 0, fuel)`);
      return;
    case Op.DataDrop:
      g.out(`R.dataDrop(ctx, ${g.imm(1)});`);
      return;

    // ---------------------------------------------------------------- tables
    case Op.TableGet: {
      const t = g.code[g.pc + 2]!;
      g.tables.add(t);
      g.out(`{ const els = T${t}.elements; const i = ${g.i(3)} >>> 0; if (i >= els.length) ${g.deopt()} ${g.X(1)} = els[i]; }`);
      return;
    }
    case Op.TableSet: {
      const t = g.code[g.pc + 1]!;
      g.tables.add(t);
      g.out(`{ const els = T${t}.elements; const i = ${g.i(2)} >>> 0; if (i >= els.length) ${g.deopt()} els[i] = ${g.x(3)}; }`);
      return;
    }
    case Op.TableSize: {
      const t = g.code[g.pc + 2]!;
      g.tables.add(t);
      g.out(`${g.I(1)} = T${t}.elements.length;`);
      return;
    }
    case Op.TableGrow: {
      const t = g.code[g.pc + 2]!;
      g.tables.add(t);
      g.out(`{ const old = R.tableGrow(S, T${t}, ${g.x(3)}, ${g.i(4)} >>> 0, fuel); if (old === -2) ${g.deopt()} fuel = S.fuel; ${g.I(1)} = old; }`);
      return;
    }
    case Op.TableFill: {
      const t = g.code[g.pc + 1]!;
      g.tables.add(t);
      bulk(g, `R.tableFill(S, T${t}, ${g.i(2)} >>> 0, ${g.x(3)}, ${g.i(4)} >>> 0, fuel)`);
      return;
    }
    case Op.TableCopy: {
      const dst = g.code[g.pc + 1]!;
      const src = g.code[g.pc + 2]!;
      g.tables.add(dst);
      g.tables.add(src);
      bulk(g, `R.tableCopy(S, T${dst}, T${src}, ${g.i(3)} >>> 0, ${g.i(4)} >>> 0, ${g.i(5)} >>> 0, fuel)`);
      return;
    }
    case Op.TableInit: {
      const t = g.code[g.pc + 1]!;
      g.tables.add(t);
      bulk(g, `R.tableInit(S, T${t}, ctx, ${g.imm(2)}, ${g.i(3)} >>> 0, ${g.i(4)} >>> 0, ${g.i(5)} >>> 0, fuel)`);
      return;
    }
    case Op.ElemDrop:
      g.out(`R.elemDrop(ctx, ${g.imm(1)});`);
      return;

    // ---------------------------------------------------------------- i32
    case Op.I32Eqz:
      g.out(`${g.I(1)} = ${g.i(2)} === 0 ? 1 : 0;`);
      return;
    case Op.I64Eqz:
      g.out(`${g.I(1)} = (${g.lo(2)} | ${g.hi(2)}) === 0 ? 1 : 0;`);
      return;
    case Op.I64Eq:
      g.out(`${g.I(1)} = ${g.lo(2)} === ${g.lo(3)} && ${g.hi(2)} === ${g.hi(3)} ? 1 : 0;`);
      return;
    case Op.I64Ne:
      g.out(`${g.I(1)} = ${g.lo(2)} !== ${g.lo(3)} || ${g.hi(2)} !== ${g.hi(3)} ? 1 : 0;`);
      return;
    case Op.I32Clz:
      g.out(`${g.I(1)} = clz32(${g.i(2)});`);
      return;
    case Op.I32Ctz:
      g.out(`${g.I(1)} = ctz32(${g.i(2)});`);
      return;
    case Op.I32Popcnt:
      g.out(`${g.I(1)} = popcnt32(${g.i(2)});`);
      return;
    case Op.I32Add:
      g.out(`${g.I(1)} = (${g.i(2)} + ${g.i(3)}) | 0;`);
      return;
    case Op.I32Sub:
      g.out(`${g.I(1)} = (${g.i(2)} - ${g.i(3)}) | 0;`);
      return;
    case Op.I32Mul:
      g.out(`${g.I(1)} = imul(${g.i(2)}, ${g.i(3)});`);
      return;
    case Op.I32DivS:
      g.out(`if (${g.i(3)} === 0 || (${g.i(2)} === -2147483648 && ${g.i(3)} === -1)) ${g.deopt()} ${g.I(1)} = (${g.i(2)} / ${g.i(3)}) | 0;`);
      return;
    case Op.I32DivU:
      g.out(`if (${g.i(3)} === 0) ${g.deopt()} ${g.I(1)} = ((${g.i(2)} >>> 0) / (${g.i(3)} >>> 0)) | 0;`);
      return;
    case Op.I32RemS:
      g.out(`if (${g.i(3)} === 0) ${g.deopt()} ${g.I(1)} = ${g.i(2)} % ${g.i(3)} | 0;`);
      return;
    case Op.I32RemU:
      g.out(`if (${g.i(3)} === 0) ${g.deopt()} ${g.I(1)} = (${g.i(2)} >>> 0) % (${g.i(3)} >>> 0) | 0;`);
      return;
    case Op.I32And:
      g.out(`${g.I(1)} = ${g.i(2)} & ${g.i(3)};`);
      return;
    case Op.I32Or:
      g.out(`${g.I(1)} = ${g.i(2)} | ${g.i(3)};`);
      return;
    case Op.I32Xor:
      g.out(`${g.I(1)} = ${g.i(2)} ^ ${g.i(3)};`);
      return;
    case Op.I32Shl:
      g.out(`${g.I(1)} = ${g.i(2)} << ${g.i(3)};`);
      return;
    case Op.I32ShrS:
      g.out(`${g.I(1)} = ${g.i(2)} >> ${g.i(3)};`);
      return;
    case Op.I32ShrU:
      g.out(`${g.I(1)} = ${g.i(2)} >>> ${g.i(3)};`);
      return;
    case Op.I32Rotl:
      g.out(`{ const a = ${g.i(2)}, b = ${g.i(3)}; ${g.I(1)} = (a << b) | (a >>> (32 - (b & 31))); }`);
      return;
    case Op.I32Rotr:
      g.out(`{ const a = ${g.i(2)}, b = ${g.i(3)}; ${g.I(1)} = (a >>> b) | (a << (32 - (b & 31))); }`);
      return;

    // ---------------------------------------------------------------- i64 (32-bit halves)
    case Op.I64Clz:
    case Op.I64Ctz:
    case Op.I64Popcnt: {
      const helper = op === Op.I64Clz ? 'i64Clz' : op === Op.I64Ctz ? 'i64Ctz' : 'i64Popcnt';
      const [l, h] = g.L(1);
      g.out(`SI[2] = ${g.lo(2)}; SI[3] = ${g.hi(2)}; ${helper}(SI, 0, 2); ${l} = SI[0]; ${h} = SI[1];`);
      return;
    }
    case Op.I64Add: {
      const [dl, dh] = g.L(1);
      g.out(`{ ${add64(g.lo(2), g.hi(2), g.lo(3), g.hi(3))} ${dl} = l; ${dh} = h; }`);
      return;
    }
    case Op.I64Sub: {
      const [dl, dh] = g.L(1);
      const al = g.lo(2);
      const bl = g.lo(3);
      g.out(`{ const l = (${al} - ${bl}) | 0; const h = (${g.hi(2)} - ${g.hi(3)} - (((~${al} & ${bl}) | (~(${al} ^ ${bl}) & l)) >>> 31)) | 0; ${dl} = l; ${dh} = h; }`);
      return;
    }
    case Op.I64Mul: {
      const [dl, dh] = g.L(1);
      const al = g.lo(2);
      const bl = g.lo(3);
      g.out(`{ const h = (${MULHI(al, bl)}) + imul(${g.hi(2)}, ${bl}) + imul(${al}, ${g.hi(3)}) | 0; ${dl} = imul(${al}, ${bl}); ${dh} = h; }`);
      return;
    }
    case Op.I64DivS:
    case Op.I64DivU:
    case Op.I64RemS:
    case Op.I64RemU: {
      const helper = { [Op.I64DivS]: 'i64DivS', [Op.I64DivU]: 'i64DivU', [Op.I64RemS]: 'i64RemS', [Op.I64RemU]: 'i64RemU' }[op];
      const [l, h] = g.L(1);
      g.out(`SI[2] = ${g.lo(2)}; SI[3] = ${g.hi(2)}; SI[4] = ${g.lo(3)}; SI[5] = ${g.hi(3)}; if (${helper}(SI, 0, 2, 4) !== 0) ${g.deopt()} ${l} = SI[0]; ${h} = SI[1];`);
      return;
    }
    case Op.I64And:
    case Op.I64Or:
    case Op.I64Xor: {
      const js = op === Op.I64And ? '&' : op === Op.I64Or ? '|' : '^';
      const [l, h] = g.L(1);
      g.out(`{ const l = ${g.lo(2)} ${js} ${g.lo(3)}, h = ${g.hi(2)} ${js} ${g.hi(3)}; ${l} = l; ${h} = h; }`);
      return;
    }
    case Op.I64Shl:
    case Op.I64ShrS:
    case Op.I64ShrU:
    case Op.I64Rotl:
    case Op.I64Rotr: {
      const helper = { [Op.I64Shl]: 'i64Shl', [Op.I64ShrS]: 'i64ShrS', [Op.I64ShrU]: 'i64ShrU', [Op.I64Rotl]: 'i64Rotl', [Op.I64Rotr]: 'i64Rotr' }[op];
      const [l, h] = g.L(1);
      g.out(`SI[2] = ${g.lo(2)}; SI[3] = ${g.hi(2)}; SI[4] = ${g.lo(3)}; ${helper}(SI, 0, 2, 4); ${l} = SI[0]; ${h} = SI[1];`);
      return;
    }

    // ---------------------------------------------------------------- f32 (bits in a<r>, arithmetic through the scratch words)
    case Op.F32Abs:
      g.out(`${g.I(1)} = ${g.i(2)} & 0x7fffffff;`);
      return;
    case Op.F32Neg:
      g.out(`${g.I(1)} = ${g.i(2)} ^ 0x80000000;`);
      return;
    case Op.F32Copysign:
      g.out(`${g.I(1)} = (${g.i(2)} & 0x7fffffff) | (${g.i(3)} & 0x80000000);`);
      return;
    case Op.F32Ceil:
      g.F(1, `Math.ceil(${g.f(2)})`);
      return;
    case Op.F32Floor:
      g.F(1, `Math.floor(${g.f(2)})`);
      return;
    case Op.F32Trunc:
      g.F(1, `Math.trunc(${g.f(2)})`);
      return;
    case Op.F32Nearest:
      g.F(1, `fNearest(${g.f(2)})`);
      return;
    case Op.F32Sqrt:
      g.F(1, `Math.sqrt(${g.f(2)})`);
      return;
    case Op.F32Add:
      g.F(1, `${g.f(2)} + ${g.f(3)}`);
      return;
    case Op.F32Sub:
      g.F(1, `${g.f(2)} - ${g.f(3)}`);
      return;
    case Op.F32Mul:
      g.F(1, `${g.f(2)} * ${g.f(3)}`);
      return;
    case Op.F32Div:
      g.F(1, `${g.f(2)} / ${g.f(3)}`);
      return;
    case Op.F32Min:
      g.F(1, `fMin(${g.f(2)}, ${g.f(3)})`);
      return;
    case Op.F32Max:
      g.F(1, `fMax(${g.f(2)}, ${g.f(3)})`);
      return;

    // ---------------------------------------------------------------- f64 (numbers; sign ops on the bits)
    case Op.F64Abs:
      g.out(`SD[0] = ${g.d(2)}; SI[1] &= 0x7fffffff; ${g.D(1)} = SD[0];`);
      return;
    case Op.F64Neg:
      g.out(`SD[0] = ${g.d(2)}; SI[1] ^= 0x80000000; ${g.D(1)} = SD[0];`);
      return;
    case Op.F64Copysign:
      g.out(`SD[0] = ${g.d(2)}; SD[1] = ${g.d(3)}; SI[1] = (SI[1] & 0x7fffffff) | (SI[3] & 0x80000000); ${g.D(1)} = SD[0];`);
      return;
    case Op.F64Ceil:
      g.out(`{ const x = ${g.d(2)}; ${g.D(1)} = x === x ? Math.ceil(x) : NaN; }`);
      return;
    case Op.F64Floor:
      g.out(`{ const x = ${g.d(2)}; ${g.D(1)} = x === x ? Math.floor(x) : NaN; }`);
      return;
    case Op.F64Trunc:
      g.out(`{ const x = ${g.d(2)}; ${g.D(1)} = x === x ? Math.trunc(x) : NaN; }`);
      return;
    case Op.F64Nearest:
      g.out(`{ const x = ${g.d(2)}; ${g.D(1)} = x === x ? fNearest(x) : NaN; }`);
      return;
    case Op.F64Sqrt:
      g.out(`${g.D(1)} = Math.sqrt(${g.d(2)});`);
      return;
    case Op.F64Add:
      g.out(`${g.D(1)} = ${g.d(2)} + ${g.d(3)};`);
      return;
    case Op.F64Sub:
      g.out(`${g.D(1)} = ${g.d(2)} - ${g.d(3)};`);
      return;
    case Op.F64Mul:
      g.out(`${g.D(1)} = ${g.d(2)} * ${g.d(3)};`);
      return;
    case Op.F64Div:
      g.out(`${g.D(1)} = ${g.d(2)} / ${g.d(3)};`);
      return;
    case Op.F64Min:
      g.out(`${g.D(1)} = fMin(${g.d(2)}, ${g.d(3)});`);
      return;
    case Op.F64Max:
      g.out(`${g.D(1)} = fMax(${g.d(2)}, ${g.d(3)});`);
      return;

    // ---------------------------------------------------------------- conversions
    case Op.I32WrapI64:
      g.out(`${g.I(1)} = ${g.lo(2)};`);
      return;
    case Op.I32TruncF32S:
    case Op.I32TruncF32U:
    case Op.I32TruncF64S:
    case Op.I32TruncF64U: {
      const x = op === Op.I32TruncF32S || op === Op.I32TruncF32U ? g.f(2) : g.d(2);
      const check = op === Op.I32TruncF32S || op === Op.I32TruncF64S ? 'i32TruncSCheck' : 'i32TruncUCheck';
      g.out(`{ const x = ${x}; if (${check}(x) !== 0) ${g.deopt()} ${g.I(1)} = x | 0; }`);
      return;
    }
    case Op.I64ExtendI32S: {
      const [l, h] = g.L(1);
      g.out(`{ const v = ${g.i(2)}; ${l} = v; ${h} = v >> 31; }`);
      return;
    }
    case Op.I64ExtendI32U: {
      const [l, h] = g.L(1);
      g.out(`${l} = ${g.i(2)}; ${h} = 0;`);
      return;
    }
    case Op.I64TruncF32S:
    case Op.I64TruncF32U:
    case Op.I64TruncF64S:
    case Op.I64TruncF64U: {
      const x = op === Op.I64TruncF32S || op === Op.I64TruncF32U ? g.f(2) : g.d(2);
      const helper = op === Op.I64TruncF32S || op === Op.I64TruncF64S ? 'i64TruncS' : 'i64TruncU';
      const [l, h] = g.L(1);
      g.out(`if (${helper}(SI, 4, ${x}) !== 0) ${g.deopt()} ${l} = SI[4]; ${h} = SI[5];`);
      return;
    }
    case Op.I64TruncSatF32S:
    case Op.I64TruncSatF32U:
    case Op.I64TruncSatF64S:
    case Op.I64TruncSatF64U: {
      const x = op === Op.I64TruncSatF32S || op === Op.I64TruncSatF32U ? g.f(2) : g.d(2);
      const helper = op === Op.I64TruncSatF32S || op === Op.I64TruncSatF64S ? 'i64TruncSatS' : 'i64TruncSatU';
      const [l, h] = g.L(1);
      g.out(`${helper}(SI, 4, ${x}); ${l} = SI[4]; ${h} = SI[5];`);
      return;
    }
    case Op.I32TruncSatF32S:
      g.out(`${g.I(1)} = i32TruncSatS(${g.f(2)});`);
      return;
    case Op.I32TruncSatF32U:
      g.out(`${g.I(1)} = i32TruncSatU(${g.f(2)});`);
      return;
    case Op.I32TruncSatF64S:
      g.out(`${g.I(1)} = i32TruncSatS(${g.d(2)});`);
      return;
    case Op.I32TruncSatF64U:
      g.out(`${g.I(1)} = i32TruncSatU(${g.d(2)});`);
      return;
    case Op.F32ConvertI32S:
      g.F(1, g.i(2));
      return;
    case Op.F32ConvertI32U:
      g.F(1, `${g.i(2)} >>> 0`);
      return;
    case Op.F32ConvertI64S:
      g.out(`SI[2] = ${g.lo(2)}; SI[3] = ${g.hi(2)};`);
      g.F(1, 'f32ConvertI64S(SI, 2)');
      return;
    case Op.F32ConvertI64U:
      g.out(`SI[2] = ${g.lo(2)}; SI[3] = ${g.hi(2)};`);
      g.F(1, 'f32ConvertI64U(SI, 2)');
      return;
    case Op.F32DemoteF64:
      g.F(1, g.d(2));
      return;
    case Op.F64ConvertI32S:
      g.out(`${g.D(1)} = ${g.i(2)};`);
      return;
    case Op.F64ConvertI32U:
      g.out(`${g.D(1)} = ${g.i(2)} >>> 0;`);
      return;
    case Op.F64ConvertI64S:
      g.out(`${g.D(1)} = ${g.hi(2)} * 4294967296 + (${g.lo(2)} >>> 0);`);
      return;
    case Op.F64ConvertI64U:
      g.out(`${g.D(1)} = (${g.hi(2)} >>> 0) * 4294967296 + (${g.lo(2)} >>> 0);`);
      return;
    case Op.F64PromoteF32:
      g.out(`${g.D(1)} = ${g.f(2)};`);
      return;
    case Op.I32ReinterpretF32:
    case Op.F32ReinterpretI32:
      g.out(`${g.I(1)} = ${g.i(2)};`);
      return;
    case Op.I64ReinterpretF64: {
      const [l, h] = g.L(1);
      g.out(`SD[0] = ${g.d(2)}; ${l} = SI[0]; ${h} = SI[1];`);
      return;
    }
    case Op.F64ReinterpretI64:
      g.out(`SI[0] = ${g.lo(2)}; SI[1] = ${g.hi(2)}; ${g.D(1)} = SD[0];`);
      return;
    case Op.I32Extend8S:
      g.out(`${g.I(1)} = (${g.i(2)} << 24) >> 24;`);
      return;
    case Op.I32Extend16S:
      g.out(`${g.I(1)} = (${g.i(2)} << 16) >> 16;`);
      return;
    case Op.I64Extend8S:
    case Op.I64Extend16S:
    case Op.I64Extend32S: {
      const shift = op === Op.I64Extend8S ? 24 : op === Op.I64Extend16S ? 16 : 0;
      const [l, h] = g.L(1);
      g.out(`{ const v = ${shift === 0 ? g.lo(2) : `(${g.lo(2)} << ${shift}) >> ${shift}`}; ${l} = v; ${h} = v >> 31; }`);
      return;
    }

    // ---------------------------------------------------------------- i32 with an immediate
    case Op.I32AddImm:
      g.out(`${g.I(1)} = (${g.i(2)} + ${g.imm(3)}) | 0;`);
      return;
    case Op.I32MulImm:
      g.out(`${g.I(1)} = imul(${g.i(2)}, ${g.imm(3)});`);
      return;
    case Op.I32AndImm:
      g.out(`${g.I(1)} = ${g.i(2)} & ${g.imm(3)};`);
      return;
    case Op.I32OrImm:
      g.out(`${g.I(1)} = ${g.i(2)} | ${g.imm(3)};`);
      return;
    case Op.I32XorImm:
      g.out(`${g.I(1)} = ${g.i(2)} ^ ${g.imm(3)};`);
      return;
    case Op.I32ShlImm:
      g.out(`${g.I(1)} = ${g.i(2)} << ${g.imm(3)};`);
      return;
    case Op.I32ShrSImm:
      g.out(`${g.I(1)} = ${g.i(2)} >> ${g.imm(3)};`);
      return;
    case Op.I32ShrUImm:
      g.out(`${g.I(1)} = ${g.i(2)} >>> ${g.imm(3)};`);
      return;
    case Op.I32RotlImm: {
      const n = g.code[g.pc + 3]!;
      g.out(`{ const a = ${g.i(2)}; ${g.I(1)} = (a << ${n}) | (a >>> ${32 - n}); }`);
      return;
    }

    // ---------------------------------------------------------------- i64 with an immediate
    case Op.I64AddImm: {
      const [dl, dh] = g.L(1);
      const al = g.lo(2);
      const bl = g.imm(3);
      g.out(`{ const l = (${al} + ${bl}) | 0; const h = (${g.hi(2)} + ${g.imm(4)} + (((${al} & ${bl}) | ((${al} | ${bl}) & ~l)) >>> 31)) | 0; ${dl} = l; ${dh} = h; }`);
      return;
    }
    case Op.I64MulImm: {
      const [dl, dh] = g.L(1);
      const al = g.lo(2);
      const kl = g.imm(3);
      g.out(`{ const h = ((${MULHI(al, kl)}) + imul(${g.hi(2)}, ${kl}) + imul(${al}, ${g.imm(4)})) | 0; ${dl} = imul(${al}, ${kl}); ${dh} = h; }`);
      return;
    }
    case Op.I64AndImm:
    case Op.I64OrImm:
    case Op.I64XorImm: {
      const js = op === Op.I64AndImm ? '&' : op === Op.I64OrImm ? '|' : '^';
      const [l, h] = g.L(1);
      g.out(`{ const l = ${g.lo(2)} ${js} ${g.imm(3)}, h = ${g.hi(2)} ${js} ${g.imm(4)}; ${l} = l; ${h} = h; }`);
      return;
    }
    case Op.I64ShlImm: {
      const n = g.code[g.pc + 3]!;
      const [l, h] = g.L(1);
      g.out(`{ const lo = ${g.lo(2)}; const h = (${g.hi(2)} << ${n}) | ((lo >>> 1) >>> ${31 - n}); ${l} = lo << ${n}; ${h} = h; }`);
      return;
    }
    case Op.I64ShrSImm:
    case Op.I64ShrUImm: {
      const n = g.code[g.pc + 3]!;
      const [l, h] = g.L(1);
      const shift = op === Op.I64ShrSImm ? '>>' : '>>>';
      g.out(`{ const hi = ${g.hi(2)}; const l = (${g.lo(2)} >>> ${n}) | ((hi << 1) << ${31 - n}); ${h} = hi ${shift} ${n}; ${l} = l; }`);
      return;
    }
    case Op.I64RotlImm:
    case Op.I64RotlImm32: {
      const n = g.code[g.pc + 3]!;
      const [l, h] = g.L(1);
      const [lo, hi] = op === Op.I64RotlImm ? [g.lo(2), g.hi(2)] : [g.hi(2), g.lo(2)];
      g.out(`{ const lo = ${lo}, hi = ${hi}; ${l} = (lo << ${n}) | ((hi >>> 1) >>> ${31 - n}); ${h} = (hi << ${n}) | ((lo >>> 1) >>> ${31 - n}); }`);
      return;
    }
    case Op.I64ShlImm32: {
      const [l, h] = g.L(1);
      g.out(`{ const v = ${g.lo(2)} << ${g.imm(3)}; ${h} = v; ${l} = 0; }`);
      return;
    }
    case Op.I64ShrSImm32: {
      const [l, h] = g.L(1);
      g.out(`{ const hi = ${g.hi(2)}; ${l} = hi >> ${g.imm(3)}; ${h} = hi >> 31; }`);
      return;
    }
    case Op.I64ShrUImm32: {
      const [l, h] = g.L(1);
      g.out(`{ const v = ${g.hi(2)} >>> ${g.imm(3)}; ${l} = v; ${h} = 0; }`);
      return;
    }

    // ---------------------------------------------------------------- superinstructions
    case Op.I32MulAdd:
      g.out(`${g.I(1)} = (imul(${g.i(2)}, ${g.i(3)}) + ${g.i(4)}) | 0;`);
      return;
    case Op.I32ShlImmAdd:
      g.out(`${g.I(1)} = ((${g.i(2)} << ${g.imm(3)}) + ${g.i(4)}) | 0;`);
      return;
    case Op.I32MulImmAdd:
      g.out(`${g.I(1)} = (imul(${g.i(2)}, ${g.imm(3)}) + ${g.i(4)}) | 0;`);
      return;
    case Op.I32AddAdd:
      g.out(`${g.I(1)} = (${g.i(2)} + ${g.i(3)} + ${g.i(4)}) | 0;`);
      return;
    case Op.I32RotlImmXor: {
      const n = g.code[g.pc + 3]!;
      g.out(`{ const a = ${g.i(2)}; ${g.I(1)} = ((a << ${n}) | (a >>> ${32 - n})) ^ ${g.i(4)}; }`);
      return;
    }
    case Op.I32XorRotlImm: {
      const n = g.code[g.pc + 4]!;
      g.out(`{ const a = ${g.i(2)} ^ ${g.i(3)}; ${g.I(1)} = (a << ${n}) | (a >>> ${32 - n}); }`);
      return;
    }
    case Op.I64AddAdd: {
      const [dl, dh] = g.L(1);
      const cl = g.lo(4);
      g.out(
        `{ const al = ${g.lo(2)}, bl = ${g.lo(3)}; const sl = (al + bl) | 0; const sh = ${g.hi(2)} + ${g.hi(3)} + (((al & bl) | ((al | bl) & ~sl)) >>> 31); ` +
          `const cl = ${cl}; const l = (sl + cl) | 0; const h = (sh + ${g.hi(4)} + (((sl & cl) | ((sl | cl) & ~l)) >>> 31)) | 0; ${dl} = l; ${dh} = h; }`,
      );
      return;
    }
    case Op.I64RotlImmXor:
    case Op.I64RotlImm32Xor: {
      const n = g.code[g.pc + 3]!;
      const [l, h] = g.L(1);
      const [lo, hi] = op === Op.I64RotlImmXor ? [g.lo(2), g.hi(2)] : [g.hi(2), g.lo(2)];
      g.out(`{ const lo = ${lo}, hi = ${hi}; const rl = ((lo << ${n}) | ((hi >>> 1) >>> ${31 - n})) ^ ${g.lo(4)}; const rh = ((hi << ${n}) | ((lo >>> 1) >>> ${31 - n})) ^ ${g.hi(4)}; ${l} = rl; ${h} = rh; }`);
      return;
    }
    case Op.I64XorRotlImm:
    case Op.I64XorRotlImm32: {
      const n = g.code[g.pc + 4]!;
      const [l, h] = g.L(1);
      const swap = op === Op.I64XorRotlImm32;
      g.out(
        `{ const xl = ${g.lo(2)} ^ ${g.lo(3)}, xh = ${g.hi(2)} ^ ${g.hi(3)}; const lo = ${swap ? 'xh' : 'xl'}, hi = ${swap ? 'xl' : 'xh'}; ` +
          `${l} = (lo << ${n}) | ((hi >>> 1) >>> ${31 - n}); ${h} = (hi << ${n}) | ((lo >>> 1) >>> ${31 - n}); }`,
      );
      return;
    }
    case Op.I64MulAdd: {
      const [dl, dh] = g.L(1);
      g.out(
        `{ const al = ${g.lo(2)}, bl = ${g.lo(3)}; const high = ${MULHI('al', 'bl')}; const pl = imul(al, bl); const cl = ${g.lo(4)}; const l = (pl + cl) | 0; ` +
          `const h = (high + imul(${g.hi(2)}, bl) + imul(al, ${g.hi(3)}) + ${g.hi(4)} + (((pl & cl) | ((pl | cl) & ~l)) >>> 31)) | 0; ${dl} = l; ${dh} = h; }`,
      );
      return;
    }
    case Op.I64MulImmAdd: {
      const [dl, dh] = g.L(1);
      g.out(
        `{ const al = ${g.lo(2)}, kl = ${g.imm(3)}; const high = ${MULHI('al', 'kl')}; const pl = imul(al, kl); const cl = ${g.lo(5)}; const l = (pl + cl) | 0; ` +
          `const h = (high + imul(${g.hi(2)}, kl) + imul(al, ${g.imm(4)}) + ${g.hi(5)} + (((pl & cl) | ((pl | cl) & ~l)) >>> 31)) | 0; ${dl} = l; ${dh} = h; }`,
      );
      return;
    }
    case Op.I64RotlImmMulImm: {
      const n = g.code[g.pc + 4]!;
      const [dl, dh] = g.L(1);
      const [tl, th] = g.L(2);
      g.out(
        `{ const xl = ${g.lo(3)}, xh = ${g.hi(3)}; const al = (xl << ${n}) | ((xh >>> 1) >>> ${31 - n}); const ah = (xh << ${n}) | ((xl >>> 1) >>> ${31 - n}); ` +
          `${tl} = al; ${th} = ah; const kl = ${g.imm(5)}; const high = ${MULHI('al', 'kl')}; ${dh} = (high + imul(ah, kl) + imul(al, ${g.imm(6)})) | 0; ${dl} = imul(al, kl); }`,
      );
      return;
    }
    case Op.I32LoadScaled: {
      g.noteMemory();
      const offset = g.code[g.pc + 5]! >>> 0;
      const ea = computed(g, `(((${g.i(2)} << ${g.imm(3)}) + ${g.imm(4)}) >>> 0) + ${offset}`);
      g.out(`{ ${loadInto(g, ea, I32)} }`);
      return;
    }
    case Op.I32LoadIndexed: {
      g.noteMemory();
      const offset = g.code[g.pc + 5]! >>> 0;
      const ea = computed(g, `((${g.i(2)} + (${g.i(3)} << ${g.imm(4)})) >>> 0) + ${offset}`);
      g.out(`{ ${loadInto(g, ea, I32, [2, 3])} }`);
      return;
    }
    case Op.I32LoadMul:
    case Op.I32LoadMulAdd: {
      const ea = address(g, 2, 3, 4);
      const product = `imul(v, ${g.i(5)})`;
      const value = op === Op.I32LoadMul ? product : `(${product} + ${g.i(6)}) | 0`;
      g.out(`{ ${load(g, ea, I32, 'v', true)} ${g.I(1)} = ${value}; }`);
      return;
    }
    case Op.F64LoadAdd:
    case Op.F64LoadSub:
    case Op.F64LoadMul: {
      const ea = address(g, 2, 3, 4);
      const b = g.d(5);
      const value = op === Op.F64LoadAdd ? `loaded + ${b}` : op === Op.F64LoadSub ? `${b} - loaded` : `loaded * ${b}`;
      g.out(`{ ${load(g, ea, F64, 'loaded', true)} ${g.D(1)} = ${value}; }`);
      return;
    }
    case Op.I64LoadAdd:
    case Op.I64LoadXor: {
      const ea = address(g, 2, 3, 4);
      const [dl, dh] = g.L(1);
      const combine = op === Op.I64LoadXor
        ? `const l = al ^ ${g.lo(5)}, h = ah ^ ${g.hi(5)};`
        : add64('al', 'ah', g.lo(5), g.hi(5));
      g.out(`{ ${loadPair(g, ea, 'al', 'ah')} ${combine} ${dl} = l; ${dh} = h; }`);
      return;
    }
    case Op.I64LoadXorRotlImm:
    case Op.I64LoadXorRotlImm32: {
      const ea = address(g, 2, 3, 4);
      const n = g.code[g.pc + 6]!;
      const [l, h] = g.L(1);
      const swap = op === Op.I64LoadXorRotlImm32;
      g.out(
        `{ ${loadPair(g, ea, 'vl', 'vh')} const xl = vl ^ ${g.lo(5)}, xh = vh ^ ${g.hi(5)}; ` +
          `const lo = ${swap ? 'xh' : 'xl'}, hi = ${swap ? 'xl' : 'xh'}; ${l} = (lo << ${n}) | ((hi >>> 1) >>> ${31 - n}); ${h} = (hi << ${n}) | ((lo >>> 1) >>> ${31 - n}); }`,
      );
      return;
    }
    case Op.I64LoadMulImm:
    case Op.I64LoadMulImmAdd: {
      const ea = address(g, 2, 3, 4);
      const [dl, dh] = g.L(1);
      const head =
        `${loadPair(g, ea, 'al', 'ah')} const kl = ${g.imm(5)}; const high = ${MULHI('al', 'kl')}; const pl = imul(al, kl); ` +
        `const ph = high + imul(ah, kl) + imul(al, ${g.imm(6)});`;
      if (op === Op.I64LoadMulImm) {
        g.out(`{ ${head} ${dh} = ph | 0; ${dl} = pl; }`);
      } else {
        g.out(`{ ${head} const cl = ${g.lo(7)}; const l = (pl + cl) | 0; const h = (ph + ${g.hi(7)} + (((pl & cl) | ((pl | cl) & ~l)) >>> 31)) | 0; ${dl} = l; ${dh} = h; }`);
      }
      return;
    }
    case Op.I64LoadMulImmAddRotlImmMulImm: {
      const ea = address(g, 3, 4, 5);
      const n = g.code[g.pc + 9]!;
      const [dl, dh] = g.L(1);
      const [tl, th] = g.L(2);
      g.out(
        `{ ${loadPair(g, ea, 'al', 'ah')} const kl = ${g.imm(6)}; const high = ${MULHI('al', 'kl')}; const pl = imul(al, kl); ` +
          `const ph = high + imul(ah, kl) + imul(al, ${g.imm(7)}); const cl = ${g.lo(8)}; const xl = (pl + cl) | 0; ` +
          `const xh = (ph + ${g.hi(8)} + (((pl & cl) | ((pl | cl) & ~xl)) >>> 31)) | 0; const rl = (xl << ${n}) | ((xh >>> 1) >>> ${31 - n}); ` +
          `const rh = (xh << ${n}) | ((xl >>> 1) >>> ${31 - n}); ${tl} = rl; ${th} = rh; const k2 = ${g.imm(10)}; const high2 = ${MULHI('rl', 'k2')}; ` +
          `${dh} = (high2 + imul(rh, k2) + imul(rl, ${g.imm(11)})) | 0; ${dl} = imul(rl, k2); }`,
      );
      return;
    }
    case Op.F64MulAdd:
      g.out(`${g.D(1)} = ${g.d(2)} * ${g.d(3)} + ${g.d(4)};`);
      return;
    case Op.F64MulSub:
      g.out(`${g.D(1)} = ${g.d(4)} - ${g.d(2)} * ${g.d(3)};`);
      return;
    case Op.F64MulMul:
      g.out(`${g.D(1)} = ${g.d(2)} * ${g.d(3)} * ${g.d(4)};`);
      return;
    case Op.I32AddImm2: {
      const d1 = g.I(1);
      g.out(`${d1} = (${g.i(2)} + ${g.imm(3)}) | 0; ${g.I(4)} = (${g.i(5)} + ${g.imm(6)}) | 0;`);
      return;
    }
    case Op.I32AddImmCopy: {
      const d = g.I(1);
      g.out(`${d} = (${g.i(2)} + ${g.imm(3)}) | 0; ${g.I(4)} = ${d};`);
      return;
    }
    case Op.I32AddImmBrIfNez:
    case Op.I32AddImmBrIfNe: {
      const cond = op === Op.I32AddImmBrIfNez ? 'v !== 0' : `v !== ${g.i(4)}`;
      const target = g.code[g.pc + (op === Op.I32AddImmBrIfNez ? 4 : 5)]!;
      const d = g.I(1);
      g.out(`{ const v = (${g.i(2)} + ${g.imm(3)}) | 0; if (${cond}) ${jump(g, target, `${d} = v;`)} ${d} = v; }`);
      return;
    }
  }

  if (compare !== undefined) {
    const [js, unsigned] = compare;
    if (op >= Op.BrIfI32Eq && op <= Op.BrIfI32GeU) {
      g.out(`if (${compareI32(js, unsigned, g.i(1), g.i(2))}) ${jump(g, g.code[g.pc + 3]!)}`);
    } else if (op >= Op.BrIfI32EqImm && op <= Op.BrIfI32GeUImm) {
      g.out(`if (${compareI32(js, unsigned, g.i(1), g.imm(2))}) ${jump(g, g.code[g.pc + 3]!)}`);
    } else if (op >= Op.I32EqImm && op <= Op.I32GeUImm) {
      g.out(`${g.I(1)} = ${compareI32(js, unsigned, g.i(2), g.imm(3))} ? 1 : 0;`);
    } else {
      g.out(`${g.I(1)} = ${compareI32(js, unsigned, g.i(2), g.i(3))} ? 1 : 0;`);
    }
    return;
  }
  const compare64 = I64_COMPARE[op];
  if (compare64 !== undefined) {
    const [js, unsigned] = compare64;
    const ah = unsigned ? `(${g.hi(2)} >>> 0)` : g.hi(2);
    const bh = unsigned ? `(${g.hi(3)} >>> 0)` : g.hi(3);
    g.out(`${g.I(1)} = ${ah} ${js[0]} ${bh} || (${ah} === ${bh} && (${g.lo(2)} >>> 0) ${js} (${g.lo(3)} >>> 0)) ? 1 : 0;`);
    return;
  }
  const compareF = F_COMPARE[op];
  if (compareF !== undefined) {
    const f32 = op <= Op.F32Ge;
    g.out(`${g.I(1)} = ${f32 ? g.f(2) : g.d(2)} ${compareF} ${f32 ? g.f(3) : g.d(3)} ? 1 : 0;`);
    return;
  }
  const loadWidth = LOADS[op];
  if (loadWidth !== undefined) {
    const ea = address(g, 2, 3, 4);
    if (op >= Op.I64Load8S && op <= Op.I64Load32U) {
      const [l, h] = g.L(1);
      const signed = op === Op.I64Load8S || op === Op.I64Load16S || op === Op.I64Load32S;
      g.out(`{ ${load(g, ea, loadWidth, 'v', true)} ${l} = v; ${h} = ${signed ? 'v >> 31' : '0'}; }`);
    } else {
      g.out(`{ ${loadInto(g, ea, loadWidth)} }`);
    }
    return;
  }
  if (emitMemoryM(g, op) || emitTailCall(g, op) || emitSimd(g, op)) return;
  // A FuelStop is a stopped interpreter run's patch over the real op: compile once it is gone.
  throw new Unsupported(op === Op.FuelStop ? 'retry' : `op ${op}`);
}

/** The representation a numeric select produces (both operands hold the same Wasm type). */
function joinSelect(a: number, b: number): number {
  if (a === b) return a;
  if (a === Rep.Bits64) return b;
  if (b === Rep.Bits64) return a;
  return a === Rep.None ? b : a;
}

function currentResults(g: Gen): readonly ValType[] {
  return g.results;
}
