/**
 * Turns one lowered function (its register IR) into JavaScript source.
 *
 * Registers become JS locals (see types.ts for their names); control flow
 * becomes labelled blocks and loops (structure.ts); every op is emitted by
 * ops.ts. The generated function runs only the fast path: whenever the
 * interpreter would do something unusual (trap, run out of fuel, see an
 * interrupt, a host function suspending, a call past the JS stack budget) the
 * code "deopts": it writes its registers into the interpreter's register file,
 * records its frame, and the interpreter finishes the call from that op
 * (runtime.ts). So traps, fuel stops and limits are the interpreter's own, by
 * construction.
 *
 * The register representation at every op is found by a forward dataflow pass
 * over the basic blocks (the IR's moves are untyped); the second pass emits.
 * At each deopt site the representation of every register is recorded, so the
 * catch block writes back exactly the live values.
 *
 * Only numbers and identifiers made here go into the source; nothing a module
 * can name (export, import or custom-section strings) ever does.
 */

import { ValType } from '../decoder/module.js';
import { opLength, type CompiledFunction } from '../interpreter/ir.js';
import { forEachTarget } from '../validator/peephole.js';
import { emitOp, MAX_JS_PARAMS } from './ops.js';
import { tailDriver } from './tail-calls.js';
import { analyzeStructure, endsFlow, type Structure } from './structure.js';
import { joinRep, Rep } from './types.js';

/** What the compiler knows of the module around a function. */
export interface ModuleShape {
  /** Signature of every function in the function space (imports first). */
  readonly funcTypes: readonly { readonly params: readonly ValType[]; readonly results: readonly ValType[] }[];
  readonly numImportedFuncs: number;
  /** Signature of every signature id a call_indirect may name (ir.ts signatureId). */
  readonly sigTypes: ReadonlyMap<number, { readonly params: readonly ValType[]; readonly results: readonly ValType[] }>;
  /** Value type of every global. */
  readonly globalTypes: readonly ValType[];
  /** Whether each memory is a 64-bit one (memory64). */
  readonly memory64: readonly boolean[];
  readonly metered: boolean;
  /** The engine's maxCallDepth and maxStackSlots (the generated entry check compares with them). */
  readonly maxCallDepth: number;
  readonly maxSlots: number;
  /** Whether defined function `funcIndex` makes tail calls to other functions (so its body may return TAIL; tail-calls.ts). */
  readonly makesTailCalls: (funcIndex: number) => boolean;
}

/** Raised for an op the compiled tier does not handle: the function stays interpreted. */
export class Unsupported extends Error {}

/** The data a generated factory receives besides the runtime (passed as arrays, never as source). */
export interface FunctionData {
  /** 64-bit constants whose double value is a NaN (kept with their payload). */
  readonly nanConstants: Float64Array;
  /** Representation vectors, and for each site pc the index of its vector. */
  readonly vectors: Uint8Array[];
  readonly siteVector: Map<number, number>;
  /** The tail-call glue of each signature the code tail-calls with (tail-calls.ts). */
  readonly tailGlues: unknown[];
}

export interface GeneratedFunction {
  readonly source: string;
  readonly data: FunctionData;
  /** The factory returns [driver, body] (tail-calls.ts) instead of the function itself. */
  readonly tailCaller: boolean;
}

export function repOfType(type: number): Rep {
  switch (type) {
    case ValType.I32:
    case ValType.F32:
      return Rep.W32;
    case ValType.I64:
      return Rep.W64;
    case ValType.F64:
      return Rep.F64;
    case ValType.FuncRef:
    case ValType.ExternRef:
      return Rep.Ref;
    case ValType.V128:
      return Rep.V128;
    default:
      throw new Unsupported(`value type 0x${type.toString(16)}`);
  }
}

/** The emitter state of one function; ops.ts calls its methods. */
export class Gen {
  readonly code: Int32Array;
  readonly func: CompiledFunction;
  readonly shape: ModuleShape;
  readonly results: readonly ValType[];
  pc = 0;
  /** Representation of every register before the current op. */
  state: Uint8Array;
  /** Registers the current op defines, applied after it (so deopt sites see the state before it). */
  private readonly defs: number[] = [];
  private killFrom = -1;
  emitting = false;
  private readonly lines: string[] = [];
  readonly vars = new Set<string>();
  /** Every representation each register has at some site (for the write-back code). */
  readonly siteReps: Set<number>[];
  readonly vectors: Uint8Array[] = [];
  readonly siteVector = new Map<number, number>();
  private lastVector = -1;
  private stateDirty = true;
  readonly nanConstants: number[] = [];
  readonly usesMemory: boolean[] = [false];
  /** Memories the ...M ops address (memory-ops-m.ts), by index; bound as MEM<k> with views mv<k>, ml<k>. */
  readonly memories = new Set<number>();
  /** Lane operations of simd.ts the code calls (simd-ops.ts), by LANE_OPS index; bound as O<index>. */
  readonly laneOps = new Set<number>();
  /** Whether the code uses the scratch v128 registers (SV, X). */
  usesScratchV128 = false;
  /** Tail calls (tail-calls.ts): to itself (a loop around the body), and to other functions (through a driver). */
  selfTailCalls = false;
  otherTailCalls = false;
  /** Per-signature tail-call glues the code names (TG<index>), as D.tailGlues. */
  readonly tailGlues: unknown[] = [];
  /** The typed views of memory 0 the code reads or writes through (ops.ts names them). */
  readonly views = new Set<string>();
  readonly globals = new Set<number>();
  readonly directCallees = new Set<number>();
  readonly tables = new Set<number>();

  /** The function's index in its module's function space (a return_call to it is a self tail call). */
  readonly selfIndex: number;

  constructor(func: CompiledFunction, results: readonly ValType[], shape: ModuleShape, selfIndex: number) {
    this.func = func;
    this.selfIndex = selfIndex;
    this.results = results;
    this.code = func.code;
    this.shape = shape;
    this.state = new Uint8Array(func.frameSize);
    this.siteReps = Array.from({ length: func.frameSize }, () => new Set<number>());
  }

  // ---------------------------------------------------------------- operands
  reg(k: number): number {
    return this.code[this.pc + k]!;
  }
  imm(k: number): string {
    return String(this.code[this.pc + k]!);
  }
  /** An immediate read as unsigned. */
  uimm(k: number): string {
    return String(this.code[this.pc + k]! >>> 0);
  }
  private name(prefix: string, r: number): string {
    const name = prefix + r;
    this.vars.add(name);
    return name;
  }
  /** Use of an i32 (or f32 bits) register. */
  i(k: number): string {
    return this.name('a', this.reg(k));
  }
  lo(k: number): string {
    return this.name('a', this.reg(k));
  }
  hi(k: number): string {
    return this.name('b', this.reg(k));
  }
  d(k: number): string {
    return this.name('d', this.reg(k));
  }
  x(k: number): string {
    return this.name('x', this.reg(k));
  }
  /** Use of a v128 register: its four words (literal zeros for a known zero vector). */
  v(k: number): string[] {
    const r = this.reg(k);
    return this.state[r] === Rep.V128Zero ? ['0', '0', '0', '0'] : this.varsOf(r, Rep.V128);
  }
  /** The value of an f32 register as a number (through the scratch words, as the interpreter reads it). */
  f(k: number): string {
    return `(SI[0] = ${this.i(k)}, SF[0])`;
  }
  repOf(k: number): number {
    return this.state[this.reg(k)]!;
  }

  // ---------------------------------------------------------------- definitions
  defRep(r: number, rep: number): void {
    this.defs.push(r, rep);
  }
  I(k: number): string {
    this.defRep(this.reg(k), Rep.W32);
    return this.name('a', this.reg(k));
  }
  L(k: number): [string, string] {
    this.defRep(this.reg(k), Rep.W64);
    return [this.name('a', this.reg(k)), this.name('b', this.reg(k))];
  }
  D(k: number): string {
    this.defRep(this.reg(k), Rep.F64);
    return this.name('d', this.reg(k));
  }
  X(k: number): string {
    this.defRep(this.reg(k), Rep.Ref);
    return this.name('x', this.reg(k));
  }
  V(k: number): string[] {
    this.defRep(this.reg(k), Rep.V128);
    return this.varsOf(this.reg(k), Rep.V128);
  }
  /** Assigns an f32 value (a number) to register operand k, rounding and storing its bits as the interpreter does. */
  F(k: number, value: string): void {
    this.out(`SF[0] = ${value}; ${this.I(k)} = SI[0];`);
  }
  /** Registers from `base` on are dead after the current op (a call's frame), except what it defines. */
  killAbove(base: number): void {
    this.killFrom = base;
  }
  /** Names for register r in representation rep (used by moves and calls). */
  varsOf(r: number, rep: number): string[] {
    switch (rep) {
      case Rep.W32: return [this.name('a', r)];
      case Rep.W64: return [this.name('a', r), this.name('b', r)];
      case Rep.F64: return [this.name('d', r)];
      case Rep.Bits64: return [this.name('a', r), this.name('b', r), this.name('d', r)];
      case Rep.Ref: return [this.name('x', r)];
      case Rep.V128:
      case Rep.V128Zero: return [this.name('p', r), this.name('q', r), this.name('y', r), this.name('z', r)];
      default: return [];
    }
  }

  out(line: string): void {
    if (this.emitting) this.lines.push(this.hoistDeclarations(line));
  }

  /** Scratch variables of the ops (ops.ts declares them with const/let), declared once for the whole function. */
  readonly scratch = new Set<string>();

  /**
   * Turns an op's `const`/`let` declarations into assignments to function-level variables: Ignition gives every
   * block-scoped variable a register of its own, and past about 120 registers every bytecode needs a Wide prefix.
   * Scratch names are op-local (no op reads one that another wrote), so all ops can share them.
   */
  private hoistDeclarations(line: string): string {
    let result = '';
    let at = 0;
    for (;;) {
      const match = /\b(?:const|let) /g;
      match.lastIndex = at;
      const found = match.exec(line);
      if (found === null) return result + line.slice(at);
      result += line.slice(at, found.index);
      at = found.index + found[0].length;
      // The declarators up to the `;` at depth 0: each starts with its name.
      let depth = 0;
      let start = at;
      for (let i = at; i < line.length; i++) {
        const c = line[i]!;
        if (c === '(' || c === '[' || c === '{') depth++;
        else if (c === ')' || c === ']' || c === '}') depth--;
        else if (depth === 0 && (c === ',' || c === ';')) {
          this.scratch.add(/^\s*([A-Za-z_$][\w$]*)/.exec(line.slice(start, i))![1]!);
          start = i + 1;
          if (c === ';') break;
        }
      }
    }
  }

  /** A statement that leaves for the interpreter, which re-executes the current op. */
  deopt(): string {
    this.recordSite(this.pc, -1);
    return `{ site = ${this.pc}; throw SELF; }`;
  }

  /** Records the representations at a site; at a call, `linkBase` >= 0 also records those a callee's deopt keeps (below the frame it used). */
  recordSite(pc: number, linkBase: number): void {
    if (!this.emitting) return;
    if (this.stateDirty) {
      this.vectors.push(this.state.slice());
      this.lastVector = this.vectors.length - 1;
      this.stateDirty = false;
      const state = this.state;
      for (let r = 0; r < state.length; r++) {
        const rep = state[r]!;
        if (rep !== Rep.None && rep !== Rep.Conflict) this.siteReps[r]!.add(rep);
      }
    }
    this.siteVector.set(pc, this.lastVector);
    if (linkBase >= 0) {
      const below = this.vectors[this.lastVector]!.slice();
      below.fill(Rep.None, linkBase);
      this.vectors.push(below);
      this.siteVector.set(pc + 1, this.vectors.length - 1);
    }
  }

  /** A 64-bit constant as a double: a literal, or a slot of the NaN table for a NaN (which keeps its payload). */
  f64Constant(lo: number, hi: number): string {
    const words = new Int32Array([lo, hi]);
    const value = new Float64Array(words.buffer)[0]!;
    if (value !== value) {
      // As words: a JS array of doubles may canonicalise a NaN.
      this.nanConstants.push(lo, hi);
      return `KN[${this.nanConstants.length / 2 - 1}]`;
    }
    return Object.is(value, -0) ? '-0' : String(value);
  }

  noteMemory(): void {
    this.usesMemory[0] = true;
  }

  /** Statements that reload the views of every memory the code uses (after a call or a grow may have changed them). */
  refreshViews(): string {
    let code = this.usesMemory[0] ? 'if (MEM.arrayBuffer !== AB) refresh();' : '';
    for (const k of this.memories) code += ` mv${k} = MEM${k}.view; ml${k} = mv${k}.byteLength;`;
    return code;
  }

  /** Finishes the current op: applies its definitions. */
  commit(): void {
    const state = this.state;
    if (this.killFrom >= 0) {
      state.fill(Rep.None, this.killFrom);
      this.killFrom = -1;
      this.stateDirty = true;
    }
    const defs = this.defs;
    for (let i = 0; i < defs.length; i += 2) state[defs[i]!] = defs[i + 1]!;
    if (defs.length > 0) this.stateDirty = true;
    defs.length = 0;
  }

  enterBlock(state: Uint8Array): void {
    this.state.set(state);
    this.stateDirty = true;
  }

  takeLines(): string[] {
    return this.lines;
  }
}

/** Runs the dataflow to a fixpoint: the representation of every register at every block entry. */
function blockEntryStates(gen: Gen, structure: Structure, entry: Uint8Array): Map<number, Uint8Array> {
  const code = gen.code;
  const states = new Map<number, Uint8Array>();
  states.set(0, entry.slice());
  const blockStarts: number[] = [];
  for (const pc of structure.ops) if (structure.leaders[pc]) blockStarts.push(pc);
  let changed = true;
  const merge = (target: number, state: Uint8Array): void => {
    const existing = states.get(target);
    if (existing === undefined) {
      states.set(target, state.slice());
      changed = true;
      return;
    }
    for (let r = 0; r < state.length; r++) {
      const joined = joinRep(existing[r]!, state[r]!);
      if (joined !== existing[r]) {
        existing[r] = joined;
        changed = true;
      }
    }
  };
  const ops = structure.ops;
  while (changed) {
    changed = false;
    let i = 0;
    for (const start of blockStarts) {
      const state = states.get(start);
      while (i < ops.length && ops[i]! < start) i++;
      if (state === undefined) continue;
      gen.enterBlock(state);
      let k = i;
      for (;;) {
        const pc = ops[k]!;
        gen.pc = pc;
        emitOp(gen, code[pc]!);
        const op = code[pc]!;
        // A fused op that defines a register and branches defines it before the branch: targets see the state after the op.
        gen.commit();
        forEachTarget(code, pc, (at) => merge(code[at]!, gen.state));
        k++;
        if (endsFlow(op)) break;
        if (k >= ops.length) break;
        if (structure.leaders[ops[k]!]) {
          merge(ops[k]!, gen.state);
          break;
        }
      }
    }
  }
  return states;
}

export function generateFunction(
  func: CompiledFunction, type: { params: readonly ValType[]; results: readonly ValType[] }, shape: ModuleShape, selfIndex: number,
): GeneratedFunction {
  if (type.params.length > MAX_JS_PARAMS) throw new Unsupported('too many parameters for a JS function');
  // Exceptions land by the exception table, which only the interpreter reads: a function with try blocks stays
  // there, as does one with registers reserved for legacy catch blocks (even unreachable ones) before its zero register.
  if (func.handlers !== null || func.numLocals !== func.localTypes.length + 1) throw new Unsupported('exception handling');
  const gen = new Gen(func, type.results, shape, selfIndex);
  const code = gen.code;
  const structure = analyzeStructure(code);
  const entry = new Uint8Array(func.frameSize);
  const localTypes = func.localTypes;
  for (let r = 0; r < localTypes.length; r++) entry[r] = repOfType(localTypes[r]!);
  // The zero register after the locals (ir.ts), an i32 0.
  if (localTypes.length < func.frameSize) entry[localTypes.length] = Rep.W32;
  const states = blockEntryStates(gen, structure, entry);

  gen.emitting = true;
  const body: string[] = [];
  const ops = structure.ops;
  for (let k = 0; k < ops.length; k++) {
    const pc = ops[k]!;
    for (const interval of structure.closing.get(pc) ?? []) {
      body.push(interval.loop ? `break L${interval.start}; }` : '}');
    }
    for (const interval of structure.opening.get(pc) ?? []) {
      body.push(interval.loop ? `L${pc}: for (;;) {` : `B${interval.end}: {`);
    }
    if (structure.leaders[pc]) {
      const state = states.get(pc);
      if (state === undefined) {
        // Unreachable code: nothing enters it, so it is left out.
        while (k + 1 < ops.length && !structure.leaders[ops[k + 1]!]) k++;
        continue;
      }
      gen.enterBlock(state);
    }
    gen.pc = pc;
    emitOp(gen, code[pc]!);
    gen.commit();
    body.push(...gen.takeLines().splice(0));
  }
  for (const interval of structure.closing.get(code.length) ?? []) body.push(interval.loop ? `break L${interval.start}; }` : '}');

  const nanConstants = new Float64Array(Int32Array.from(gen.nanConstants).buffer);
  return {
    source: assemble(gen, type, body),
    data: { nanConstants, vectors: gen.vectors, siteVector: gen.siteVector, tailGlues: gen.tailGlues },
    tailCaller: gen.otherTailCalls,
  };
}

/** Names of the JS parameters for the Wasm parameters. */
function paramNames(params: readonly ValType[]): string[] {
  const names: string[] = [];
  params.forEach((type, r) => {
    const rep = repOfType(type);
    if (rep === Rep.W32) names.push(`a${r}`);
    else if (rep === Rep.W64) names.push(`a${r}`, `b${r}`);
    else if (rep === Rep.F64) names.push(`d${r}`);
    else if (rep === Rep.V128) names.push(`p${r}`, `q${r}`, `y${r}`, `z${r}`);
    else names.push(`x${r}`);
  });
  return names;
}

function assemble(gen: Gen, type: { params: readonly ValType[] }, body: string[]): string {
  const func = gen.func;
  const params = paramNames(type.params);
  const restore = writeBack(gen);
  // Wasm locals start at zero (and the zero register after them); temporaries are always written before they are read.
  const declared = [...gen.vars].filter((name) => !params.includes(name)).sort();
  const zeroed = declared.filter((name) => Number(name.slice(1)) <= func.localTypes.length);
  const temporaries = declared.filter((name) => Number(name.slice(1)) > func.localTypes.length);
  const lines: string[] = [
    'var { SI, SF, SD, SELF, LINK, REFUSE, TAIL, H } = R;',
  ];
  // The factory prologue: everything the function reads from its instance, bound once per instance. `var`, not
  // `const`: the generated function would check a `const` of its closure for the temporal dead zone at every read.
  if (gen.usesMemory[0]) {
    const views = [...gen.views].sort();
    lines.push('var MEM = ctx.memory;');
    lines.push(`var AB = null, MV = null${views.map((v) => `, ${v} = null`).join('')};`);
    // The views follow the memory's buffer (a grow replaces it); on a big-endian host they are empty, so every access takes the DataView path.
    lines.push(`function refresh() { AB = MEM.arrayBuffer; MV = MEM.view; const vb = R.LE ? AB : R.NO_BUFFER;${views.map((v) => ` ${v} = new ${VIEW_TYPES[v]}(vb);`).join('')} }`);
  }
  const memories = [...gen.memories].sort((a, b) => a - b);
  for (const k of memories) lines.push(`var MEM${k} = ctx.memories[${k}];`);
  if (gen.usesScratchV128) lines.push('var SV = R.SV, X = SV.i32;');
  for (const o of [...gen.laneOps].sort((a, b) => a - b)) lines.push(`var O${o} = R.LO[${o}];`);
  gen.tailGlues.forEach((_, i) => lines.push(`var TG${i} = D.tailGlues[${i}];`));
  for (const g of [...gen.globals].sort((a, b) => a - b)) lines.push(`var G${g} = ctx.globals[${g}];`);
  for (const t of [...gen.tables].sort((a, b) => a - b)) lines.push(`var T${t} = ctx.tables[${t}];`);
  for (const f of [...gen.directCallees].sort((a, b) => a - b)) lines.push(`var F${f} = ctx.funcs[${f}]; R.prepare(F${f});`);
  const metered = gen.shape.metered;
  const signature = `fp, depth, ${metered ? 'fuel, ' : ''}cd${params.map((p) => ', ' + p).join('')}`;
  lines.push(`${gen.otherTailCalls ? 'var BODY = ' : 'return '}function (${signature}) {`);
  // depth and fp arrive shifted (runtime.ts) so that one comparison with the engine's limits also keeps the JS stack budget.
  lines.push(`if (depth > ${gen.shape.maxCallDepth} || fp > ${gen.shape.maxSlots - func.frameSize}) throw REFUSE;`);
  // Unmetered code never reads fuel as a number: the runtime helpers it is passed to ignore it.
  if (!metered) lines.push('var fuel;');
  if (zeroed.length > 0) lines.push(`var ${zeroed.map((name) => `${name} = ${name[0] === 'x' ? 'null' : '0'}`).join(', ')};`);
  if (temporaries.length > 0) lines.push(`var ${temporaries.join(', ')};`);
  for (const name of gen.scratch) if (/^(?:[abdxpqyzFGTLBO]|MEM|TG|mv|ml)\d|^[A-Z]{1,2}$|^(?:fp|depth|fuel|cd|site|e|m|ctx|imul|clz32|refresh|MEM|TAIL|BODY)$/.test(name)) throw new Error(`scratch name ${name} shadows a name of the generated code`);
  if (gen.scratch.size > 0) lines.push(`var ${[...gen.scratch].sort().join(', ')};`);
  if (gen.usesMemory[0]) lines.push('if (MEM.arrayBuffer !== AB) refresh();');
  for (const k of memories) lines.push(`var mv${k} = MEM${k}.view, ml${k} = mv${k}.byteLength;`);
  lines.push('var site;');
  lines.push('try {');
  // A self tail call (tail-calls.ts) continues this loop with new parameters.
  if (gen.selfTailCalls) lines.push('TC: for (;;) {');
  lines.push(...body);
  if (gen.selfTailCalls) lines.push('break; }');
  lines.push('} catch (e) {');
  lines.push('if (e !== SELF && e !== REFUSE && e !== LINK) throw e;');
  lines.push(`const rfp = fp - S.fs, rdepth = depth - S.ds;`);
  lines.push(`R.ensureSlots(m, rfp + ${func.frameSize});`);
  lines.push('const T = D.vectors[D.siteVector.get(e === LINK ? site + 1 : site)], w = m.w, f64 = m.f64, refs = m.refs;');
  lines.push(...restore);
  lines.push('if (e === LINK) R.link(m, FI, rfp, rdepth, site); else R.top(m, S, FI, rfp, rdepth, site, fuel, cd);');
  lines.push('throw LINK;');
  lines.push('}');
  lines.push('};');
  if (gen.otherTailCalls) lines.push(...tailDriver(signature));
  return lines.join('\n');
}

/** Constructors of the memory views by name (ops.ts). */
const VIEW_TYPES: Record<string, string> = {
  HI8: 'Int8Array', HU8: 'Uint8Array', HI16: 'Int16Array', HU16: 'Uint16Array', HI32: 'Int32Array', HF64: 'Float64Array',
};

/** The catch block's write-back of every register in the representation the site's vector gives. */
function writeBack(gen: Gen): string[] {
  const lines: string[] = [];
  gen.siteReps.forEach((reps, r) => {
    if (reps.size === 0) return;
    const cases: string[] = [];
    for (const rep of reps) {
      switch (rep) {
        case Rep.W32:
          cases.push(`case ${rep}: w[(rfp + ${r}) << 1] = a${r}; break;`);
          break;
        case Rep.W64:
        case Rep.Bits64:
          cases.push(`case ${rep}: w[(rfp + ${r}) << 1] = a${r}; w[((rfp + ${r}) << 1) + 1] = b${r}; break;`);
          break;
        case Rep.F64:
          cases.push(`case ${rep}: f64[rfp + ${r}] = d${r}; break;`);
          break;
        case Rep.Ref:
          cases.push(`case ${rep}: refs[rfp + ${r}] = x${r}; break;`);
          break;
        case Rep.V128:
        case Rep.V128Zero:
          cases.push(`case ${rep}: { const o = (rfp + ${r}) << 2, vi = m.v128.i32; vi[o] = p${r}; vi[o + 1] = q${r}; vi[o + 2] = y${r}; vi[o + 3] = z${r}; } break;`);
          break;
      }
      for (const name of gen.varsOf(r, rep)) gen.vars.add(name);
    }
    lines.push(`switch (T[${r}]) { ${cases.join(' ')} }`);
  });
  return lines;
}

/** Code words of the op at `pc` (for the runtime's continuation after a call). */
export function nextPc(code: Int32Array, pc: number): number {
  return pc + opLength(code, pc);
}
