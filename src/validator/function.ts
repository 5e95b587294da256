/**
 * Validation of one function body (the algorithm of the spec's validation
 * appendix: an operand stack of types with a polymorphic bottom after
 * unconditional branches, and a control stack) and, in the same pass, its
 * lowering to the register IR of src/interpreter/ir.ts.
 *
 * Lowering: the operand at stack height h lives in register slotBase + h, but
 * each stack entry is *virtual* until something needs it in a register: an
 * entry is either in its own slot, or "is local x" (local.get emits nothing),
 * or "is constant c" (constants emit nothing and become immediates where an IR
 * form exists). Values are materialized into their own slots when a branch,
 * a block boundary or a call needs them there, and entries naming local x are
 * copied out before x is overwritten. Invariant: entries below the innermost
 * block's base never name a local (block entry copies them out), so a write to
 * a local inside a block never has to fix up values that other paths use.
 */
import { CompileError } from '../errors.js';
import { ByteReader } from '../decoder/reader.js';
import { featureDisabled, type FeatureName, type Features } from '../decoder/features.js';
import { hex, isValType } from '../decoder/types.js';
import { type FuncType, type FunctionBody, type GlobalType, type MemoryType, type RefType, type TableType, ValType } from '../decoder/module.js';
import { type CompiledFunction, Op, TRACE_CAN_TRAP, UNLOWERED_CODE, UNLOWERED_FRAME_SIZE } from '../interpreter/ir.js';
import { type FuelCosts, instructionCost } from '../interpreter/fuel.js';
import { isRefType, valTypeName } from '../interpreter/values.js';
import { CodeBuilder } from './code-builder.js';
import { lowerSimd, SIMD_COST_COUNT, SIMD_DISABLED, simdFuelClass } from './simd-lowering.js';
import { mergeAdjacentOps } from './peephole.js';
import { ExceptionLowering } from './exception-lowering.js';
import {
  MEMORY_ACCESS,
  type MemoryInstr,
  NUMERIC,
  type NumericInstr,
  Opcode,
  OpcodeFC,
  fuelClassOf,
} from './opcodes.js';

/** What function bodies may refer to: the validation context C of the spec. */
export interface ModuleContext {
  readonly types: readonly FuncType[];
  readonly typeSigIds: Int32Array;
  /** Type of every function in the function space. */
  readonly funcTypes: readonly FuncType[];
  readonly globalTypes: readonly GlobalType[];
  readonly tableTypes: readonly TableType[];
  readonly memoryTypes: readonly MemoryType[];
  /** Element type of every element segment. */
  readonly elemTypes: readonly RefType[];
  /** The data count section's value; undefined when the section is absent. */
  readonly dataCount: number | undefined;
  /** Number of segments in the data section. */
  readonly numDataSegments: number;
  /** C.refs: 1 for every function that ref.func may name. */
  readonly declaredFuncs: Uint8Array;
  /** The 3.0 features function bodies may use. */
  readonly features: Features;
  /** The function type of every tag (exception handling). */
  readonly tagTypes: readonly FuncType[];
}

const THREE_I32: readonly ValType[] = [ValType.I32, ValType.I32, ValType.I32];

/** The type of a value popped from the polymorphic stack bottom. */
const UNKNOWN = 0;

/** Where a stack entry's value is. */
const enum Kind {
  /** In its own register, slotBase + height. */
  Slot,
  /** In local `a`. */
  Local,
  /** The constant with low word `a` and high word `b`. */
  Const,
}

/** How a function body first uses a local (see firstLocalToZero). */
const enum LocalUse {
  None,
  /** First mentioned by a local.set/tee that every path to the code after it passes (noteWrite). */
  WrittenFirst,
  /** Any other first use: it may be read before it is written, so it starts at zero. */
  ReadFirst,
}

export const enum FrameKind {
  Func,
  Block,
  Loop,
  If,
  Else,
  /** Exception handling (exception-lowering.ts): try_table, and the legacy try before and after its first catch. */
  TryTable,
  Try,
  Catch,
}

export class Frame {
  unreachable = false;
  /** Some branch instruction names this frame's label. */
  branchedTo = false;
  /** Loop: code index of the loop head. */
  headPc = -1;
  /** Code indices of branch-target words to patch with the code index of `end`. */
  readonly jumps: number[] = [];
  /** If: code index of the target word of the jump taken when the condition is false. */
  elseJump = -1;
  /** Exception handling (exception-lowering.ts): the try region this frame opened, or -1. */
  region = -1;
  /** The try region whose handlers catch what is thrown directly inside this frame, or -1 (the caller's). */
  innerRegion = -1;
  /** Catch clauses that land at this frame's end: their target is patched with the jumps. */
  readonly handlerTargets: Int32Array[] = [];
  /** Legacy try: nesting depth among legacy trys, which picks the register that keeps its caught exception. */
  legacyDepth = -1;
  /** Legacy try: a catch_all was seen (it must be the last catch). */
  catchAll = false;

  constructor(
    public kind: FrameKind,
    readonly type: FuncType,
    /** Stack height at entry, below the block's params. */
    readonly height: number,
    readonly liveAtEntry: boolean,
  ) {}

  get labelTypes(): readonly ValType[] {
    return this.kind === FrameKind.Loop ? this.type.params : this.type.results;
  }
}

const NO_TYPES: readonly ValType[] = [];
const EMPTY_BLOCK: FuncType = { params: NO_TYPES, results: NO_TYPES };
const SINGLE_RESULT_BLOCKS = new Map<number, FuncType>(
  [ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FuncRef, ValType.ExternRef, ValType.ExnRef].map((t) => [
    t,
    { params: NO_TYPES, results: [t] },
  ]),
);

/**
 * Superinstructions made of a binary op and the op that produced one of its
 * operands just before (`inner`): keyed by op * FUSION_KEY + inner. The fused
 * op's operands are the destination, the inner op's other operands, then the
 * binary op's other operand. `freshRight`: only when the inner result is the
 * right operand (non-commutative ops).
 */
const FUSION_KEY = 1024;
const FUSIONS = new Map<number, { op: Op; freshRight: boolean }>(
  (
    [
      [Op.I32Add, Op.I32Mul, Op.I32MulAdd, false],
      [Op.I32Add, Op.I32ShlImm, Op.I32ShlImmAdd, false],
      [Op.I32Add, Op.I32MulImm, Op.I32MulImmAdd, false],
      [Op.I32Add, Op.I32Add, Op.I32AddAdd, false],
      [Op.I32Xor, Op.I32RotlImm, Op.I32RotlImmXor, false],
      [Op.I64Add, Op.I64Add, Op.I64AddAdd, false],
      [Op.I64Xor, Op.I64RotlImm, Op.I64RotlImmXor, false],
      [Op.I64Xor, Op.I64RotlImm32, Op.I64RotlImm32Xor, false],
      [Op.I32Mul, Op.I32Load, Op.I32LoadMul, false],
      [Op.I32Add, Op.I32LoadMul, Op.I32LoadMulAdd, false],
      [Op.I64Add, Op.I64MulImm, Op.I64MulImmAdd, false],
      [Op.I64Add, Op.I64Mul, Op.I64MulAdd, false],
      [Op.I64Add, Op.I64LoadMulImm, Op.I64LoadMulImmAdd, false],
      [Op.I64Add, Op.I64Load, Op.I64LoadAdd, false],
      [Op.I64Xor, Op.I64Load, Op.I64LoadXor, false],
      [Op.F64Add, Op.F64Mul, Op.F64MulAdd, false],
      [Op.F64Sub, Op.F64Mul, Op.F64MulSub, true],
      [Op.F64Mul, Op.F64Mul, Op.F64MulMul, false],
      [Op.F64Add, Op.F64Load, Op.F64LoadAdd, false],
      [Op.F64Sub, Op.F64Load, Op.F64LoadSub, true],
      [Op.F64Mul, Op.F64Load, Op.F64LoadMul, false],
    ] as const
  ).map(([op, inner, fused, freshRight]) => [op * FUSION_KEY + inner, { op: fused, freshRight }]),
);

/** The store of a constant, by plain store op: the constant's bits, of which narrow stores keep the low bytes. */
const STORE_IMMEDIATE: Partial<Record<Op, Op>> = {
  [Op.I32Store]: Op.I32StoreImm,
  [Op.F32Store]: Op.I32StoreImm,
  [Op.I64Store32]: Op.I32StoreImm,
  [Op.I32Store8]: Op.I32Store8Imm,
  [Op.I64Store8]: Op.I32Store8Imm,
  [Op.I32Store16]: Op.I32Store16Imm,
  [Op.I64Store16]: Op.I32Store16Imm,
  [Op.I64Store]: Op.I64StoreImm,
  [Op.F64Store]: Op.I64StoreImm,
};

/** Negation of the fused compare-and-branch conditions, by offset from BrIfI32Eq (eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u). */
const NEGATED_COMPARE = [1, 0, 8, 9, 6, 7, 4, 5, 2, 3];

function negateBranch(op: Op): Op {
  if (op === Op.BrIfNez) return Op.BrIfEqz;
  if (op === Op.BrIfEqz) return Op.BrIfNez;
  if (op === Op.BrIfAndImmNez) return Op.BrIfAndImmEqz;
  if (op === Op.BrIfAndImmEqz) return Op.BrIfAndImmNez;
  if (op >= Op.BrIfI32EqImm) return Op.BrIfI32EqImm + NEGATED_COMPARE[op - Op.BrIfI32EqImm]!;
  return Op.BrIfI32Eq + NEGATED_COMPARE[op - Op.BrIfI32Eq]!;
}

const NUMERIC_BY_OPCODE: (NumericInstr | undefined)[] = [];
const NUMERIC_BY_SUBOPCODE: (NumericInstr | undefined)[] = [];
for (const [code, instr] of NUMERIC) {
  if (code >= 0xfc00) NUMERIC_BY_SUBOPCODE[code - 0xfc00] = instr;
  else NUMERIC_BY_OPCODE[code] = instr;
}
const MEMORY_BY_OPCODE: (MemoryInstr | undefined)[] = [];
for (const [code, instr] of MEMORY_ACCESS) MEMORY_BY_OPCODE[code] = instr;

/** Fuel cost table index of a 0xFC-prefixed instruction. */
const FC_COST_BASE = 256;
/** Fuel cost table index of a 0xFD-prefixed (SIMD) instruction. */
const SIMD_COST_BASE = FC_COST_BASE + 32;

/** Operand types of `select` without a type immediate: numbers and v128. */
function isNumericOrUnknown(t: number): boolean {
  return t === ValType.I32 || t === ValType.I64 || t === ValType.F32 || t === ValType.F64 || t === ValType.V128 || t === UNKNOWN;
}

/** The move op for a value of `type`. */
function copyOp(type: number): Op {
  return isRefType(type) ? Op.CopyRef : type === ValType.V128 ? Op.V128Copy : Op.Copy;
}

function sameTypes(a: readonly ValType[], b: readonly ValType[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/**
 * Validates and lowers function bodies of one module. Reuses its buffers
 * from one function to the next.
 */
export class FunctionCompiler {
  readonly ctx: ModuleContext;
  private readonly bytes: Uint8Array;
  private readonly metering: boolean;
  /** Fuel cost by opcode; 0xFC-prefixed ones at FC_COST_BASE + sub-opcode. */
  private readonly costs: Int32Array;
  /** Read by simd-lowering.ts, as are the other members without `private`. */
  readonly out: CodeBuilder;
  r: ByteReader;

  /**
   * Register of the operand stack slot at height 0. The register just below it
   * always holds 0 in functions that read it (the executor zeroes it on entry,
   * nothing writes it): the base of memory accesses at constant addresses.
   */
  slotBase = 0;
  /** Type of every param and declared local. */
  private localTypes = new Uint8Array(0);
  /** Per local, how the body first uses it (LocalUse). */
  private localUse = new Uint8Array(0);
  /** Some op reads the zero register (slotBase - 1), so it must be zeroed on entry. */
  private zeroRegisterUsed = false;

  // The operand stack: parallel arrays, `sp` entries.
  sp = 0;
  private maxSp = 0;
  private readonly stType: number[] = [];
  private readonly stKind: number[] = [];
  private readonly stA: number[] = [];
  private readonly stB: number[] = [];

  readonly frames: Frame[] = [];
  frame!: Frame;
  /** No path reaches the current instruction: validate it, emit nothing. */
  dead = false;

  /**
   * The last op that wrote its result into the slot at `resultHeight`, while
   * nothing has been emitted since (`resultEnd` = code length after it): its
   * destination can still be retargeted, or a compare fused into a branch.
   */
  private resultPc = -1;
  resultEnd = -1;
  private resultHeight = -1;
  /** The op that produced a result just before resultPc's op (ending where it starts), or -1. */
  private prevResultPc = -1;
  private prevResultHeight = -1;

  /** The branch condition found by `takeCondition`. */
  private condOp: Op = Op.BrIfNez;
  private condA = 0;
  private condB = 0;
  /** Code index of the compare fused into the condition, or -1. */
  private condFusedPc = -1;

  /** Like resultPc/resultEnd, for an op whose result local.tee just wrote to a local instead. */
  private teePc = -1;
  private teeEnd = -1;

  /** The address operands chosen by `takeAddress`. */
  private addrReg = 0;
  private addrShift = 0;
  private addrAddend = 0;
  /** A base register added to the shifted index (I32LoadIndexed), or -1. */
  private addrBase = -1;

  private instrStart = 0;
  private readonly labelDepths: number[] = [];

  /** Whether SIMD is enabled (Engine features.simd); when not, any v128 type or 0xFD instruction is a CompileError. */
  readonly simd: boolean;
  /** The try regions and catch clauses of the body being lowered. */
  readonly exceptions = new ExceptionLowering(this);
  /** Registers reserved after the locals for legacy catch blocks' exceptions (exception-lowering.ts). */
  private exnReserve = 0;

  constructor(ctx: ModuleContext, bytes: Uint8Array, fuelCosts: FuelCosts | undefined, simd: boolean) {
    this.ctx = ctx;
    this.bytes = bytes;
    this.metering = fuelCosts !== undefined;
    this.out = new CodeBuilder(this.metering);
    this.r = new ByteReader(bytes);
    this.simd = simd;
    this.costs = new Int32Array(SIMD_COST_BASE + SIMD_COST_COUNT);
    if (fuelCosts) {
      for (let code = 0; code < 256; code++) this.costs[code] = instructionCost(fuelCosts, fuelClassOf(code));
      for (let sub = 0; sub < 32; sub++) {
        this.costs[FC_COST_BASE + sub] = instructionCost(fuelCosts, fuelClassOf(0xfc00 | sub));
      }
      for (let sub = 0; sub < SIMD_COST_COUNT; sub++) this.costs[SIMD_COST_BASE + sub] = instructionCost(fuelCosts, simdFuelClass(sub));
    }
  }

  /** Validates a body and lowers it in the same pass. */
  compile(body: FunctionBody, type: FuncType): CompiledFunction {
    this.exnReserve = 0;
    let refLocals = this.pass(body, type, true);
    if (this.exceptions.exnRegisters > 0) {
      // Legacy catch blocks keep their exceptions in registers after the locals: lower again with those reserved.
      this.exnReserve = this.exceptions.exnRegisters;
      refLocals = this.pass(body, type, true);
    }
    const fuelTrace = this.out.finishTrace();
    const handlers = this.exceptions.finish();
    const code = this.out.finishCode();
    return {
      // The exception table holds code positions, which merging ops would move.
      code: handlers === null ? mergeAdjacentOps(code, fuelTrace) : code,
      numResults: type.results.length,
      numLocals: this.slotBase,
      zeroFrom: this.firstLocalToZero(type.params.length),
      // Results are written to registers 0 .. numResults-1, which must exist.
      frameSize: Math.max(this.slotBase + this.maxSp, type.results.length),
      refLocals,
      localTypes: this.localTypes,
      fuelTrace,
      handlers,
      lower: null,
    };
  }

  /**
   * Validates a body without lowering it, as the pass treats dead code: every
   * check, no emission. The body is lowered by `compile` on first call (ir.ts).
   */
  validate(body: FunctionBody, type: FuncType): CompiledFunction {
    this.exnReserve = 0;
    const refLocals = this.pass(body, type, false);
    const func: CompiledFunction = {
      code: UNLOWERED_CODE,
      numResults: type.results.length,
      // As `compile` will reserve them (the exception registers of legacy catch blocks).
      numLocals: this.slotBase + this.exceptions.exnRegisters,
      zeroFrom: type.params.length,
      frameSize: UNLOWERED_FRAME_SIZE,
      refLocals,
      localTypes: this.localTypes,
      fuelTrace: undefined,
      handlers: null,
      lower: () => {
        const lowered = this.compile(body, type);
        func.code = lowered.code;
        func.zeroFrom = lowered.zeroFrom;
        func.frameSize = lowered.frameSize;
        func.fuelTrace = lowered.fuelTrace;
        func.handlers = lowered.handlers;
        func.lower = null;
      },
    };
    return func;
  }

  /** Runs the validation pass over a body, lowering it when `lowering`; returns its reference-typed locals. */
  private pass(body: FunctionBody, type: FuncType, lowering: boolean): Int32Array {
    const numParams = type.params.length;
    const numLocals = numParams + body.localCount;
    const localTypes = new Uint8Array(numLocals);
    localTypes.set(type.params);
    const refLocals: number[] = [];
    let next = numParams;
    let firstV128Local = -1;
    let v128LocalsEnd = -1;
    for (const { count, type: localType } of body.locals) {
      if (localType === ValType.V128) {
        if (!this.simd) throw new CompileError(SIMD_DISABLED, body.codeStart);
        if (firstV128Local < 0) firstV128Local = next;
        v128LocalsEnd = next + count;
      }
      if (isRefType(localType)) for (let i = 0; i < count; i++) refLocals.push(next + i);
      localTypes.fill(localType, next, next + count);
      next += count;
    }
    this.slotBase = numLocals + this.exnReserve + 1;
    this.localTypes = localTypes;
    this.localUse = new Uint8Array(numLocals);
    this.zeroRegisterUsed = false;
    this.sp = 0;
    this.maxSp = 0;
    this.dead = !lowering;
    this.resultEnd = -1;
    this.teeEnd = -1;
    this.out.reset();
    this.exceptions.reset(numLocals);
    this.frames.length = 0;
    this.frame = new Frame(FrameKind.Func, { params: NO_TYPES, results: type.results }, 0, lowering);
    this.frames.push(this.frame);
    this.r = new ByteReader(this.bytes, body.codeStart, body.codeEnd);
    // The executor zeroes only the scalar words of locals on entry (ir.ts, "v128 registers").
    if (lowering && firstV128Local >= 0) this.out.emit2(Op.V128ZeroLocals, firstV128Local, v128LocalsEnd);

    this.run();
    return Int32Array.from(refLocals);
  }

  /**
   * The first register to zero on entry: the lowest declared local that some
   * path may read before writing it, else the zero register if anything reads
   * it, else none (slotBase).
   */
  private firstLocalToZero(numParams: number): number {
    const use = this.localUse;
    for (let x = numParams; x < use.length; x++) if (use[x] === LocalUse.ReadFirst) return x;
    return this.zeroRegisterUsed ? this.slotBase - 1 : this.slotBase;
  }

  fail(message: string): never {
    throw new CompileError(message, this.instrStart);
  }

  /** Rejects `instruction` when its feature is off (CompileError naming the feature). */
  requireFeature(feature: FeatureName, instruction: string): void {
    if (!this.ctx.features[feature]) this.fail(`unknown instruction ${instruction} ${featureDisabled(feature)}`);
  }

  private run(): void {
    const r = this.r;
    const bytes = this.bytes;
    while (this.frames.length > 0) {
      if (r.pos >= r.end) {
        // Like the reference decoder, which reads on past the body: at the end of the module the body is cut short.
        const atEnd = r.end >= bytes.length;
        throw new CompileError(atEnd ? 'unexpected end of section or function' : 'END opcode expected', r.pos);
      }
      this.instrStart = r.pos;
      const opcode = bytes[r.pos++]!;
      switch (opcode) {
        case Opcode.Unreachable:
          this.unreachable();
          break;
        case Opcode.Nop:
          if (!this.dead) this.meter(opcode, 0);
          break;
        case Opcode.Block:
          this.block();
          break;
        case Opcode.Loop:
          this.loop();
          break;
        case Opcode.If:
          this.if();
          break;
        case Opcode.Else:
          this.else();
          break;
        case Opcode.End:
          this.end();
          break;
        case Opcode.Br:
          this.br();
          break;
        case Opcode.BrIf:
          this.brIf();
          break;
        case Opcode.BrTable:
          this.brTable();
          break;
        case Opcode.Return:
          this.return();
          break;
        case Opcode.Call:
          this.call();
          break;
        case Opcode.CallIndirect:
          this.callIndirect();
          break;
        case Opcode.ReturnCall:
          this.returnCall();
          break;
        case Opcode.ReturnCallIndirect:
          this.returnCallIndirect();
          break;
        case Opcode.TryTable:
          this.exceptions.tryTable();
          break;
        case Opcode.Throw:
          this.exceptions.throw();
          break;
        case Opcode.ThrowRef:
          this.exceptions.throwRef();
          break;
        case Opcode.Try:
          this.exceptions.tryLegacy();
          break;
        case Opcode.Catch:
          this.exceptions.catchLegacy(false);
          break;
        case Opcode.CatchAll:
          this.exceptions.catchLegacy(true);
          break;
        case Opcode.Delegate:
          this.exceptions.delegate();
          break;
        case Opcode.Rethrow:
          this.exceptions.rethrow();
          break;
        case Opcode.Drop:
          this.popAny();
          if (!this.dead) this.meter(opcode, 0);
          break;
        case Opcode.Select:
          this.select(false);
          break;
        case Opcode.SelectTyped:
          this.select(true);
          break;
        case Opcode.LocalGet:
          this.localGet();
          break;
        case Opcode.LocalSet:
          this.localSet();
          break;
        case Opcode.LocalTee:
          this.localTee();
          break;
        case Opcode.GlobalGet:
          this.globalGet();
          break;
        case Opcode.GlobalSet:
          this.globalSet();
          break;
        case Opcode.TableGet:
          this.tableGet();
          break;
        case Opcode.TableSet:
          this.tableSet();
          break;
        case Opcode.MemorySize:
          this.memorySize();
          break;
        case Opcode.MemoryGrow:
          this.memoryGrow();
          break;
        case Opcode.I32Const:
          this.constant(opcode, ValType.I32, r.s32(), 0);
          break;
        case Opcode.I64Const: {
          const { lo, hi } = r.s64();
          this.constant(opcode, ValType.I64, lo, hi);
          break;
        }
        case Opcode.F32Const:
          this.constant(opcode, ValType.F32, r.fixedU32() | 0, 0);
          break;
        case Opcode.F64Const: {
          const lo = r.fixedU32() | 0;
          this.constant(opcode, ValType.F64, lo, r.fixedU32() | 0);
          break;
        }
        case Opcode.RefNull:
          this.refNull();
          break;
        case Opcode.RefIsNull:
          this.refIsNull();
          break;
        case Opcode.RefFunc:
          this.refFunc();
          break;
        case Opcode.PrefixFC:
          this.prefixFC();
          break;
        case Opcode.PrefixFD:
          if (!this.simd) this.fail(SIMD_DISABLED);
          lowerSimd(this, SIMD_COST_BASE);
          break;
        default: {
          const numeric = NUMERIC_BY_OPCODE[opcode];
          if (numeric) {
            this.numeric(numeric, opcode);
            break;
          }
          const access = MEMORY_BY_OPCODE[opcode];
          if (access) {
            if (access.isStore) this.store(access, opcode);
            else this.load(access, opcode);
            break;
          }
          this.fail(`illegal opcode 0x${hex(opcode)}`);
        }
      }
    }
    if (r.pos !== r.end) throw new CompileError('END opcode expected', r.pos);
  }

  private prefixFC(): void {
    const sub = this.r.u32();
    const numeric = NUMERIC_BY_SUBOPCODE[sub];
    if (numeric) return this.numeric(numeric, FC_COST_BASE + sub);
    switch (sub) {
      case OpcodeFC.MemoryInit:
        return this.memoryInit();
      case OpcodeFC.DataDrop:
        return this.dataDrop();
      case OpcodeFC.MemoryCopy:
        return this.memoryCopy();
      case OpcodeFC.MemoryFill:
        return this.memoryFill();
      case OpcodeFC.TableInit:
        return this.tableInit();
      case OpcodeFC.ElemDrop:
        return this.elemDrop();
      case OpcodeFC.TableCopy:
        return this.tableCopy();
      case OpcodeFC.TableGrow:
        return this.tableGrow();
      case OpcodeFC.TableSize:
        return this.tableSize();
      case OpcodeFC.TableFill:
        return this.tableFill();
      default:
        this.fail(`illegal opcode 0xfc ${sub}`);
    }
  }

  // ---------------------------------------------------------------- type stack

  push(type: number): void {
    const h = this.sp++;
    this.stType[h] = type;
    this.stKind[h] = Kind.Slot;
    if (this.sp > this.maxSp) this.maxSp = this.sp;
  }

  private pushVirtual(type: number, kind: Kind, a: number, b: number): void {
    const h = this.sp;
    this.push(type);
    this.stKind[h] = kind;
    this.stA[h] = a;
    this.stB[h] = b;
  }

  pushVals(types: readonly number[]): void {
    for (const t of types) this.push(t);
  }

  /** Pops any value: the spec's pop_val(). */
  popAny(): number {
    if (this.sp === this.frame.height) {
      if (this.frame.unreachable) return UNKNOWN;
      this.fail('type mismatch: operand stack is empty');
    }
    return this.stType[--this.sp]!;
  }

  /** The spec's pop_val(expected). */
  pop(expected: number): number {
    const actual = this.popAny();
    if (actual !== expected && actual !== UNKNOWN && expected !== UNKNOWN) {
      this.fail(`type mismatch: expected ${valTypeName(expected)}, got ${valTypeName(actual)}`);
    }
    return actual;
  }

  popVals(types: readonly number[]): void {
    for (let i = types.length - 1; i >= 0; i--) this.pop(types[i]!);
  }

  /** Ends the current block's reachable code: the stack becomes polymorphic. */
  setUnreachable(): void {
    this.sp = this.frame.height;
    this.frame.unreachable = true;
    this.dead = true;
    this.resultEnd = -1;
    this.out.endSegment();
  }

  // ---------------------------------------------------------------- lowering helpers

  meter(costIndex: number, flags: number): void {
    if (this.metering) this.out.meter(this.costs[costIndex]!, flags);
  }

  /** The register holding the operand at height h; a constant is first put in its own slot. */
  reg(h: number): number {
    const kind = this.stKind[h];
    if (kind === Kind.Slot) return this.slotBase + h;
    if (kind === Kind.Local) return this.stA[h]!;
    this.materialize(h);
    return this.slotBase + h;
  }

  /** Puts the value of entry h into its own slot. */
  materialize(h: number): void {
    if (this.stKind[h] === Kind.Slot) return;
    this.move(this.slotBase + h, h);
    this.stKind[h] = Kind.Slot;
  }

  /** Emits the move of entry h's value into register `dst` (the entry itself is unchanged). */
  private move(dst: number, h: number): void {
    const type = this.stType[h]!;
    const kind = this.stKind[h];
    if (kind === Kind.Const) {
      if (type === ValType.I32 || type === ValType.F32) this.out.emit2(Op.Const32, dst, this.stA[h]!);
      else this.out.emit3(Op.Const64, dst, this.stA[h]!, this.stB[h]!);
      return;
    }
    const src = kind === Kind.Local ? this.stA[h]! : this.slotBase + h;
    if (src !== dst) this.out.emit2(copyOp(type), dst, src);
  }

  /** Records that the op at `pc` wrote its result (first operand) to the slot at height h. */
  produced(pc: number, h: number): void {
    // The previous result stays known while it is the op right before this one.
    this.prevResultPc = this.resultEnd === pc ? this.resultPc : -1;
    this.prevResultHeight = this.resultHeight;
    this.resultPc = pc;
    this.resultEnd = this.out.length;
    this.resultHeight = h;
  }

  /** The pc of the last op emitted when it is `op` and its result is entry h (fresh); else -1. */
  private freshProducer(h: number, op: Op): number {
    if (!this.isFresh(h)) return -1;
    const pc = this.resultPc;
    return this.out.code[pc] === op && this.out.code[pc + 1] === this.slotBase + h ? pc : -1;
  }

  /** The pc of the last op emitted when it computed entry h: fresh, or just written to the local h names by local.tee; else -1. */
  private lastProducer(h: number): number {
    if (this.isFresh(h)) return this.resultPc;
    if (this.teeEnd === this.out.length && this.stKind[h] === Kind.Local && this.stA[h] === this.out.code[this.teePc + 1]) return this.teePc;
    return -1;
  }

  /** Drops the ops from pc on; the Wasm instructions they carried go to the op emitted next, at pc. */
  private rewind(pc: number): void {
    this.out.truncate(pc);
    this.out.carry();
  }

  /** Whether entry h is the result of the last op emitted, so that op's destination may be changed. */
  private isFresh(h: number): boolean {
    return this.resultEnd === this.out.length && this.resultHeight === h && this.stKind[h] === Kind.Slot;
  }

  /**
   * Copies out the entries of the current block (below height `to`) that
   * name local x, before x is overwritten. Returns whether there were any.
   */
  private saveLocalReaders(x: number, to: number): boolean {
    let saved = false;
    for (let h = this.frame.height; h < to; h++) {
      if (this.stKind[h] === Kind.Local && this.stA[h] === x) {
        this.materialize(h);
        saved = true;
      }
    }
    return saved;
  }

  /**
   * Chooses how to branch on the i32 condition at height h: a compare (or
   * i32.eqz) emitted just before is removed and fused into the branch.
   */
  private takeCondition(h: number): void {
    this.condFusedPc = -1;
    if (this.isFresh(h)) {
      const code = this.out.code;
      const pc = this.resultPc;
      const op = code[pc]!;
      const branchOp =
        op >= Op.I32Eq && op <= Op.I32GeU ? Op.BrIfI32Eq + (op - Op.I32Eq)
        : op >= Op.I32EqImm && op <= Op.I32GeUImm ? Op.BrIfI32EqImm + (op - Op.I32EqImm)
        : op === Op.I32Eqz ? Op.BrIfEqz
        : op === Op.I32AndImm ? Op.BrIfAndImmNez
        : -1;
      if (branchOp >= 0) {
        this.condOp = branchOp;
        this.condA = code[pc + 2]!;
        this.condB = code[pc + 3]!;
        this.condFusedPc = pc;
        this.out.truncate(pc);
        this.resultEnd = -1;
        return;
      }
    }
    this.condOp = Op.BrIfNez;
    this.condA = this.reg(h);
  }

  /** Emits the branch chosen by `takeCondition` (negated if asked); returns the index of its target word. */
  private emitCondBranch(negated: boolean, target: number): number {
    const op = negated ? negateBranch(this.condOp) : this.condOp;
    this.out.carry();
    const pc = this.out.length;
    if (this.condFusedPc >= 0 && this.condFusedPc !== pc) this.out.moveCarried(this.condFusedPc, pc);
    if (op === Op.BrIfNez || op === Op.BrIfEqz) return this.out.emit2(op, this.condA, target) + 2;
    return this.out.emit3(op, this.condA, this.condB, target) + 3;
  }

  /** Emits `Br` to a block's end (patched later) or a loop's head. */
  private emitJump(target: Frame): void {
    if (target.kind === FrameKind.Loop) this.out.emit1(Op.Br, target.headPc);
    else target.jumps.push(this.out.emit1(Op.Br, 0) + 1);
  }

  /**
   * Moves the n values at heights s.. into the slots of a label whose values
   * start at height d <= s. Only emits moves (for branches taken on some paths).
   */
  private moveToLabel(d: number, s: number, n: number): void {
    if (n === 1 && this.isFresh(s)) {
      this.out.code[this.resultPc + 1] = this.slotBase + d;
      return;
    }
    // Ascending order is safe: each destination lies below every source not yet read.
    for (let i = 0; i < n; i++) this.move(this.slotBase + d + i, s + i);
  }

  /** Moves the n values at heights s.. into registers 0 .. n-1 for `Return`. */
  private moveToResults(s: number, n: number): void {
    if (n === 1 && this.isFresh(s)) {
      this.out.code[this.resultPc + 1] = 0;
      return;
    }
    // Value i read from a local x < i would see x already overwritten by result x: save it first.
    for (let i = 1; i < n; i++) {
      const h = s + i;
      if (this.stKind[h] === Kind.Local && this.stA[h]! < i) this.move(this.slotBase + h, h);
    }
    for (let i = 0; i < n; i++) {
      const h = s + i;
      if (this.stKind[h] === Kind.Local && this.stA[h]! < i) {
        this.out.emit2(copyOp(this.stType[h]!), i, this.slotBase + h);
      } else {
        this.move(i, h);
      }
    }
  }

  /** Branches unconditionally to `target` with the label's values at heights s... */
  private branch(target: Frame, s: number): void {
    const n = target.labelTypes.length;
    if (target.kind === FrameKind.Func) {
      this.moveToResults(s, n);
      this.out.carry();
      this.out.emit0(Op.Return);
      return;
    }
    if (target.height === s) for (let h = s; h < s + n; h++) this.materialize(h);
    else this.moveToLabel(target.height, s, n);
    this.out.carry();
    this.emitJump(target);
  }

  readLabel(): Frame {
    const depth = this.r.u32();
    if (depth >= this.frames.length) this.fail(`unknown label ${depth}`);
    const frame = this.frames[this.frames.length - 1 - depth]!;
    frame.branchedTo = true;
    return frame;
  }

  readBlockType(): FuncType {
    const r = this.r;
    const start = r.pos;
    const value = r.s33();
    if (value === -64) return EMPTY_BLOCK;
    if (value < 0) {
      const byte = value + 128;
      if (r.pos - start !== 1 || !isValType(byte)) this.fail('malformed block type');
      if (byte === ValType.V128 && !this.simd) this.fail(SIMD_DISABLED);
      return SINGLE_RESULT_BLOCKS.get(byte)!;
    }
    const type = this.ctx.types[value];
    if (!type) this.fail(`unknown type ${value}`);
    return type;
  }

  /**
   * Opens a block: validates and re-pushes its params, copies out entries of
   * the enclosing block that name locals (the invariant in the file comment)
   * and puts the params in their slots, where branches to a loop head and the
   * else branch of an `if` expect them.
   */
  enterFrame(kind: FrameKind, type: FuncType): Frame {
    this.popVals(type.params);
    const outerHeight = this.frame.height;
    const height = this.sp;
    const frame = new Frame(kind, type, height, !this.dead);
    frame.innerRegion = this.frame.innerRegion;
    this.frames.push(frame);
    this.frame = frame;
    this.resultEnd = -1;
    if (this.dead) {
      this.pushVals(type.params);
    } else {
      this.sp = height + type.params.length;
      for (let h = outerHeight; h < height; h++) if (this.stKind[h] === Kind.Local) this.materialize(h);
      for (let h = height; h < this.sp; h++) this.materialize(h);
    }
    return frame;
  }

  /**
   * Validates the results at the end of the current block; in live code, puts
   * them in their slots (the function's results go to registers 0.. instead).
   */
  finishFrameResults(frame: Frame): void {
    const results = frame.type.results;
    this.popVals(results);
    if (this.sp !== frame.height) this.fail('type mismatch: values remain on the stack at the end of a block');
    if (this.dead || frame.kind === FrameKind.Func) return;
    for (let h = this.sp; h < this.sp + results.length; h++) this.materialize(h);
  }

  // ---------------------------------------------------------------- control

  private unreachable(): void {
    if (!this.dead) {
      this.meter(Opcode.Unreachable, TRACE_CAN_TRAP);
      this.out.carry();
      this.out.emit0(Op.Unreachable);
    }
    this.setUnreachable();
  }

  private block(): void {
    const type = this.readBlockType();
    if (!this.dead) this.meter(Opcode.Block, 0);
    this.enterFrame(FrameKind.Block, type);
  }

  private loop(): void {
    const type = this.readBlockType();
    if (!this.dead) this.meter(Opcode.Loop, 0);
    const frame = this.enterFrame(FrameKind.Loop, type);
    // The head is a branch target: the body starts a new fuel segment.
    this.out.endSegment();
    frame.headPc = this.out.length;
  }

  private if(): void {
    const type = this.readBlockType();
    this.pop(ValType.I32);
    const live = !this.dead;
    if (live) {
      this.meter(Opcode.If, 0);
      this.takeCondition(this.sp);
    }
    const frame = this.enterFrame(FrameKind.If, type);
    if (live) {
      frame.elseJump = this.emitCondBranch(true, 0);
      this.out.endSegment();
    }
  }

  private else(): void {
    const frame = this.frame;
    if (frame.kind !== FrameKind.If) this.fail('else without a matching if');
    this.finishFrameResults(frame);
    if (!this.dead) {
      frame.jumps.push(this.out.emit1(Op.Br, 0) + 1);
    }
    this.out.endSegment();
    if (frame.elseJump >= 0) this.out.code[frame.elseJump] = this.out.length;
    frame.elseJump = -1;
    frame.kind = FrameKind.Else;
    frame.unreachable = false;
    this.dead = !frame.liveAtEntry;
    this.resultEnd = -1;
    // The params are still in their slots on the path that jumped here.
    this.sp = frame.height;
    this.pushVals(frame.type.params);
  }

  end(): void {
    const frame = this.frame;
    this.finishFrameResults(frame);
    this.exceptions.frameEnds(frame);
    // An if without else has an implicit empty else, which passes the params through.
    if (frame.kind === FrameKind.If && !sameTypes(frame.type.params, frame.type.results)) {
      this.fail('type mismatch: if without else must not change the stack');
    }
    this.frames.pop();
    if (frame.elseJump >= 0) frame.jumps.push(frame.elseJump);
    // The function's result may still be written straight into register 0; branches to its end carry their own.
    if (this.frames.length === 0) return this.endFunction(frame);
    this.resultEnd = -1;
    this.frame = this.frames[this.frames.length - 1]!;
    if (frame.jumps.length > 0 || frame.handlerTargets.length > 0) {
      this.out.endSegment();
      this.bindJumps(frame);
      this.dead = false;
    }
    this.pushVals(frame.type.results);
  }

  private endFunction(frame: Frame): void {
    if (!this.dead) this.moveToResults(0, frame.type.results.length);
    this.out.endSegment();
    if (!this.dead || frame.jumps.length > 0) {
      this.bindJumps(frame);
      this.out.emit0(Op.Return);
    }
    this.exceptions.emitReturnPad();
  }

  bindJumps(frame: Frame): void {
    const code = this.out.code;
    const pc = this.out.length;
    for (const at of frame.jumps) code[at] = pc;
    for (const clause of frame.handlerTargets) clause[1] = pc;
  }

  private br(): void {
    const target = this.readLabel();
    this.popVals(target.labelTypes);
    if (!this.dead) {
      this.meter(Opcode.Br, 0);
      this.branch(target, this.sp);
    }
    this.setUnreachable();
  }

  private brIf(): void {
    const target = this.readLabel();
    const types = target.labelTypes;
    this.pop(ValType.I32);
    const condHeight = this.sp;
    this.popVals(types);
    const s = this.sp;
    if (this.dead) {
      this.pushVals(types);
      return;
    }
    this.sp = condHeight;
    this.meter(Opcode.BrIf, 0);
    this.takeCondition(condHeight);
    const n = types.length;
    if (target.kind === FrameKind.Func && n > 0) {
      const skip = this.emitCondBranch(true, 0);
      this.moveToResults(s, n);
      this.out.emit0(Op.Return);
      this.out.code[skip] = this.out.length;
    } else if (n === 0 || target.height === s) {
      for (let h = s; h < condHeight; h++) this.materialize(h);
      if (target.kind === FrameKind.Loop) this.emitCondBranch(false, target.headPc);
      else target.jumps.push(this.emitCondBranch(false, 0));
    } else {
      // The label's slots hold live values on the fall-through path: copy only when taken.
      const skip = this.emitCondBranch(true, 0);
      this.moveToLabel(target.height, s, n);
      this.emitJump(target);
      this.out.code[skip] = this.out.length;
    }
    this.out.endSegment();
    this.resultEnd = -1;
  }

  private brTable(): void {
    const r = this.r;
    const count = r.u32();
    const depths = this.labelDepths;
    depths.length = 0;
    for (let i = 0; i <= count; i++) {
      const depth = r.u32();
      if (depth >= this.frames.length) this.fail(`unknown label ${depth}`);
      this.frames[this.frames.length - 1 - depth]!.branchedTo = true;
      depths.push(depth);
    }
    this.pop(ValType.I32);
    const indexHeight = this.sp;
    const frameAt = (depth: number) => this.frames[this.frames.length - 1 - depth]!;
    const defaultTypes = frameAt(depths[count]!).labelTypes;
    const n = defaultTypes.length;
    for (let i = 0; i < count; i++) {
      const types = frameAt(depths[i]!).labelTypes;
      if (types.length !== n) this.fail('type mismatch: br_table labels have different arities');
      // The spec pushes back what it popped; restoring the height is the same on the polymorphic stack.
      this.popVals(types);
      this.sp = indexHeight;
    }
    this.popVals(defaultTypes);
    if (!this.dead) {
      const s = this.sp;
      this.meter(Opcode.BrTable, 0);
      const index = this.reg(indexHeight);
      for (let h = s; h < indexHeight; h++) this.materialize(h);
      this.out.carry();
      const pc = this.out.emitBrTable(index, count);
      const stubs = new Map<number, number[]>();
      for (let i = 0; i <= count; i++) {
        const at = pc + 3 + i;
        const target = frameAt(depths[i]!);
        if (target.kind === FrameKind.Func ? n > 0 : n > 0 && target.height !== s) {
          const uses = stubs.get(depths[i]!);
          if (uses) uses.push(at);
          else stubs.set(depths[i]!, [at]);
        } else if (target.kind === FrameKind.Loop) {
          this.out.code[at] = target.headPc;
        } else {
          target.jumps.push(at);
        }
      }
      // Targets whose values must move get a stub after the table: moves, then the jump.
      for (const [depth, uses] of stubs) {
        const stubPc = this.out.length;
        for (const at of uses) this.out.code[at] = stubPc;
        const target = frameAt(depth);
        if (target.kind === FrameKind.Func) {
          this.moveToResults(s, n);
          this.out.emit0(Op.Return);
        } else {
          this.moveToLabel(target.height, s, n);
          this.emitJump(target);
        }
      }
    }
    this.setUnreachable();
  }

  private return(): void {
    const target = this.frames[0]!;
    this.popVals(target.type.results);
    if (!this.dead) {
      this.meter(Opcode.Return, 0);
      this.branch(target, this.sp);
    }
    this.setUnreachable();
  }

  private call(): void {
    const funcIndex = this.r.u32();
    const type = this.ctx.funcTypes[funcIndex];
    if (!type) this.fail(`unknown function ${funcIndex}`);
    this.popVals(type.params);
    if (!this.dead) {
      const base = this.sp;
      this.meter(Opcode.Call, TRACE_CAN_TRAP);
      for (let h = base; h < base + type.params.length; h++) this.materialize(h);
      this.out.carry();
      this.out.emit2(Op.Call, funcIndex, this.slotBase + base);
      this.out.endSegment();
    }
    this.pushVals(type.results);
  }

  private callIndirect(): void {
    const typeIndex = this.r.u32();
    const tableIndex = this.r.u32();
    const type = this.ctx.types[typeIndex];
    if (!type) this.fail(`unknown type ${typeIndex}`);
    const table = this.ctx.tableTypes[tableIndex];
    if (!table) this.fail(`unknown table ${tableIndex}`);
    if (table.elemType !== ValType.FuncRef) this.fail('type mismatch: call_indirect needs a funcref table');
    this.pop(table.is64 ? ValType.I64 : ValType.I32);
    const indexHeight = this.sp;
    this.popVals(type.params);
    if (!this.dead) {
      const base = this.sp;
      this.meter(Opcode.CallIndirect, TRACE_CAN_TRAP);
      const index = this.tableIndexReg(indexHeight, table.is64);
      for (let h = base; h < indexHeight; h++) this.materialize(h);
      this.out.carry();
      this.out.emit4(Op.CallIndirect, tableIndex, this.ctx.typeSigIds[typeIndex]!, index, this.slotBase + base);
      this.out.endSegment();
    }
    this.pushVals(type.results);
  }

  // ---------------------------------------------------------------- tail calls

  private returnCall(): void {
    this.requireFeature('tailCall', 'return_call');
    const funcIndex = this.r.u32();
    const type = this.ctx.funcTypes[funcIndex];
    if (!type) this.fail(`unknown function ${funcIndex}`);
    this.checkTailCallResults(type);
    this.popVals(type.params);
    if (!this.dead) {
      const base = this.sp;
      this.meter(Opcode.ReturnCall, TRACE_CAN_TRAP);
      for (let h = base; h < base + type.params.length; h++) this.materialize(h);
      this.out.carry();
      this.out.emit2(Op.ReturnCall, funcIndex, this.slotBase + base);
      this.out.endSegment();
      const hostPath = this.out.length;
      this.out.emit2(Op.Call, funcIndex, this.slotBase + base);
      this.returnHostResults(type, base);
      this.exceptions.leaveRegions(hostPath);
    }
    this.setUnreachable();
  }

  private returnCallIndirect(): void {
    this.requireFeature('tailCall', 'return_call_indirect');
    const typeIndex = this.r.u32();
    const tableIndex = this.r.u32();
    const type = this.ctx.types[typeIndex];
    if (!type) this.fail(`unknown type ${typeIndex}`);
    const table = this.ctx.tableTypes[tableIndex];
    if (!table) this.fail(`unknown table ${tableIndex}`);
    if (table.elemType !== ValType.FuncRef) this.fail('type mismatch: return_call_indirect needs a funcref table');
    this.checkTailCallResults(type);
    this.pop(table.is64 ? ValType.I64 : ValType.I32);
    const indexHeight = this.sp;
    this.popVals(type.params);
    if (!this.dead) {
      const base = this.sp;
      this.meter(Opcode.ReturnCallIndirect, TRACE_CAN_TRAP);
      const index = this.tableIndexReg(indexHeight, table.is64);
      for (let h = base; h < indexHeight; h++) this.materialize(h);
      this.out.carry();
      const sigId = this.ctx.typeSigIds[typeIndex]!;
      this.out.emit4(Op.ReturnCallIndirect, tableIndex, sigId, index, this.slotBase + base);
      this.out.endSegment();
      const hostPath = this.out.length;
      this.out.emit4(Op.CallIndirect, tableIndex, sigId, index, this.slotBase + base);
      this.returnHostResults(type, base);
      this.exceptions.leaveRegions(hostPath);
    }
    this.setUnreachable();
  }

  /** A tail call returns the callee's results from this function: the types must be the same. */
  private checkTailCallResults(type: FuncType): void {
    const results = this.frames[0]!.type.results;
    if (type.results.length !== results.length || type.results.some((t, i) => t !== results[i])) {
      this.fail('type mismatch: the tail call\'s results differ from the function\'s');
    }
  }

  /**
   * After the call a tail call to a host function makes (ir.ts): its results move from registers
   * base.. to 0.. and the frame returns. Outside every fuel segment: the tail call paid for all of it.
   */
  private returnHostResults(type: FuncType, base: number): void {
    this.pushVals(type.results);
    for (let i = 0; i < type.results.length; i++) {
      this.out.emit2(copyOp(type.results[i]!), i, this.slotBase + base + i);
    }
    this.out.emit0(Op.Return);
  }

  // ---------------------------------------------------------------- parametric

  private select(typed: boolean): void {
    let type: number;
    if (typed) {
      if (this.r.u32() !== 1) this.fail('invalid result arity');
      type = this.r.u8();
      if (!isValType(type)) this.fail('malformed value type');
      if (type === ValType.V128 && !this.simd) this.fail(SIMD_DISABLED);
      this.pop(ValType.I32);
      this.pop(type);
      this.pop(type);
    } else {
      this.pop(ValType.I32);
      const t1 = this.popAny();
      const t2 = this.popAny();
      if (!(isNumericOrUnknown(t1) && isNumericOrUnknown(t2))) {
        this.fail('type mismatch: select without a type needs numeric operands');
      }
      if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.fail('type mismatch: select operands differ');
      type = t1 === UNKNOWN ? t2 : t1;
    }
    if (!this.dead) {
      const h = this.sp;
      this.meter(typed ? Opcode.SelectTyped : Opcode.Select, 0);
      const cond = this.reg(h + 2);
      const ifTrue = this.reg(h);
      const ifFalse = this.reg(h + 1);
      this.out.carry();
      const op = isRefType(type) ? Op.SelectRef : type === ValType.V128 ? Op.V128Select : Op.Select;
      this.produced(this.out.emit4(op, this.slotBase + h, cond, ifTrue, ifFalse), h);
    }
    this.push(type);
  }

  // ---------------------------------------------------------------- variables

  private readLocal(): number {
    const x = this.r.u32();
    if (x >= this.localTypes.length) this.fail(`unknown local ${x}`);
    return x;
  }

  /**
   * A local.set/tee of `x`. When it is the first instruction to mention x and
   * every path from the function's entry to the code after it passes through it,
   * x is written before any read. That holds unless a frame around it can be
   * left to its end without passing it: an if or else arm, or a block that a
   * branch before it (in code order) already targets. A loop's label is its
   * head, which lies before the write, and a branch to the function's label
   * leaves the function.
   */
  private noteWrite(x: number): void {
    if (this.localUse[x] !== LocalUse.None) return;
    const frames = this.frames;
    let writtenFirst = true;
    for (let i = 1; i < frames.length && writtenFirst; i++) {
      const frame = frames[i]!;
      writtenFirst = frame.kind === FrameKind.Loop || (frame.kind === FrameKind.Block && !frame.branchedTo);
    }
    this.localUse[x] = writtenFirst ? LocalUse.WrittenFirst : LocalUse.ReadFirst;
  }

  private localGet(): void {
    const x = this.readLocal();
    if (this.localUse[x] === LocalUse.None) this.localUse[x] = LocalUse.ReadFirst;
    if (!this.dead) this.meter(Opcode.LocalGet, 0);
    this.pushVirtual(this.localTypes[x]!, Kind.Local, x, 0);
  }

  private localSet(): void {
    const x = this.readLocal();
    this.noteWrite(x);
    this.pop(this.localTypes[x]!);
    if (this.dead) return;
    const h = this.sp;
    this.meter(Opcode.LocalSet, 0);
    if (this.stKind[h] === Kind.Local && this.stA[h] === x) return;
    if (!this.writeFreshInto(x, h)) {
      this.out.carry();
      this.move(x, h);
    }
  }

  private localTee(): void {
    const x = this.readLocal();
    this.noteWrite(x);
    const type = this.localTypes[x]!;
    this.pop(type);
    if (this.dead) {
      this.push(type);
      return;
    }
    const h = this.sp++;
    this.meter(Opcode.LocalTee, 0);
    if (this.stKind[h] === Kind.Local && this.stA[h] === x) return;
    if (this.writeFreshInto(x, h)) {
      this.teePc = this.resultPc;
      this.teeEnd = this.out.length;
      this.stKind[h] = Kind.Local;
      this.stA[h] = x;
      return;
    }
    this.out.carry();
    this.move(x, h);
  }

  /**
   * local.set/tee x of entry h: copies out the entries that read x, then, when
   * none did and h is the last op's fresh result, makes that op write x
   * directly instead of a copy. Returns whether it did.
   */
  private writeFreshInto(x: number, h: number): boolean {
    if (this.saveLocalReaders(x, h) || !this.isFresh(h)) return false;
    this.out.code[this.resultPc + 1] = x;
    this.out.carryAt(this.resultPc);
    this.resultEnd = -1;
    return true;
  }

  private readGlobal(): number {
    const g = this.r.u32();
    if (g >= this.ctx.globalTypes.length) this.fail(`unknown global ${g}`);
    return g;
  }

  private globalGet(): void {
    const g = this.readGlobal();
    const type = this.ctx.globalTypes[g]!.valueType;
    if (!this.dead) {
      const h = this.sp;
      this.meter(Opcode.GlobalGet, 0);
      this.out.carry();
      const op = isRefType(type) ? Op.GlobalGetRef : type === ValType.V128 ? Op.V128GlobalGet : Op.GlobalGet;
      this.produced(this.out.emit2(op, this.slotBase + h, g), h);
    }
    this.push(type);
  }

  private globalSet(): void {
    const g = this.readGlobal();
    const global = this.ctx.globalTypes[g]!;
    if (!global.mutable) this.fail(`global is immutable: ${g}`);
    this.pop(global.valueType);
    if (this.dead) return;
    this.meter(Opcode.GlobalSet, 0);
    if (this.fuseAddGlobalSet(g, this.sp)) return;
    const src = this.reg(this.sp);
    this.out.carry();
    const type = global.valueType;
    this.out.emit2(isRefType(type) ? Op.GlobalSetRef : type === ValType.V128 ? Op.V128GlobalSet : Op.GlobalSet, g, src);
  }

  /**
   * global.set g of entry h when h is the result of an i32.add of a constant
   * emitted just before (fresh, or just written to a local by local.tee): one
   * op that still writes the add's destination. With a global.get of g fused
   * into that add, the whole move of g is one op.
   */
  private fuseAddGlobalSet(g: number, h: number): boolean {
    const pc = this.lastProducer(h);
    if (pc < 0) return false;
    const code = this.out.code;
    const op = code[pc];
    if (op !== Op.I32AddImm && !(op === Op.GlobalGetAddImm && code[pc + 2] === g)) return false;
    const dst = code[pc + 1]!;
    const a = code[pc + 2]!;
    const k = code[pc + 3]!;
    this.rewind(pc);
    if (op === Op.GlobalGetAddImm) this.out.emit3(Op.GlobalAddImm, dst, g, k);
    else this.out.emit4(Op.I32AddImmGlobalSet, dst, a, k, g);
    this.resultEnd = -1;
    this.teeEnd = -1;
    return true;
  }

  // ---------------------------------------------------------------- tables

  /** Reads a table index; returns it with the table's element type. */
  private readTable(): { index: number; elemType: RefType; is64: boolean } {
    const index = this.r.u32();
    const table = this.ctx.tableTypes[index];
    if (!table) this.fail(`unknown table ${index}`);
    return { index, elemType: table.elemType, is64: table.is64 };
  }

  /** The register of the index or length at height h: for a 64-bit table first turned into an i32 one (ir.ts). */
  private tableIndexReg(h: number, is64: boolean): number {
    const reg = this.reg(h);
    if (!is64) return reg;
    this.out.emit2(Op.I64ToTableIndex, this.slotBase + h, reg);
    return this.slotBase + h;
  }

  /** A table op's i32 result at height h, widened to i64 for a 64-bit table; records the producer. */
  private tableResult(pc: number, h: number, is64: boolean): void {
    if (is64) pc = this.out.emit2(Op.I64ExtendI32S, this.slotBase + h, this.slotBase + h);
    this.produced(pc, h);
  }

  private checkElemIndex(index: number): void {
    if (index >= this.ctx.elemTypes.length) this.fail(`unknown elem segment ${index}`);
  }

  private tableGet(): void {
    const table = this.readTable();
    this.pop(table.is64 ? ValType.I64 : ValType.I32);
    if (!this.dead) {
      const h = this.sp;
      this.meter(Opcode.TableGet, TRACE_CAN_TRAP);
      const index = this.tableIndexReg(h, table.is64);
      this.out.carry();
      this.produced(this.out.emit3(Op.TableGet, this.slotBase + h, table.index, index), h);
    }
    this.push(table.elemType);
  }

  private tableSet(): void {
    const table = this.readTable();
    this.pop(table.elemType);
    this.pop(table.is64 ? ValType.I64 : ValType.I32);
    if (this.dead) return;
    const h = this.sp;
    this.meter(Opcode.TableSet, TRACE_CAN_TRAP);
    const index = this.tableIndexReg(h, table.is64);
    const value = this.reg(h + 1);
    this.out.carry();
    this.out.emit3(Op.TableSet, table.index, index, value);
  }

  private tableInit(): void {
    const elem = this.r.u32();
    const table = this.readTable();
    this.checkElemIndex(elem);
    if (this.ctx.elemTypes[elem] !== table.elemType) this.fail('type mismatch: table.init element types differ');
    const at = table.is64 ? ValType.I64 : ValType.I32;
    this.tableBulkOperands(OpcodeFC.TableInit, [at, ValType.I32, ValType.I32], (d, s, n) => this.out.emit5(Op.TableInit, table.index, elem, d, s, n));
  }

  private elemDrop(): void {
    const elem = this.r.u32();
    this.checkElemIndex(elem);
    if (this.dead) return;
    this.meter(FC_COST_BASE + OpcodeFC.ElemDrop, 0);
    this.out.carry();
    this.out.emit1(Op.ElemDrop, elem);
  }

  private tableCopy(): void {
    const dst = this.readTable();
    const src = this.readTable();
    if (dst.elemType !== src.elemType) this.fail('type mismatch: table.copy element types differ');
    const dstType = dst.is64 ? ValType.I64 : ValType.I32;
    const srcType = src.is64 ? ValType.I64 : ValType.I32;
    const lenType = dst.is64 && src.is64 ? ValType.I64 : ValType.I32;
    this.tableBulkOperands(OpcodeFC.TableCopy, [dstType, srcType, lenType], (d, s, n) => this.out.emit5(Op.TableCopy, dst.index, src.index, d, s, n));
  }

  private tableGrow(): void {
    const table = this.readTable();
    const at = table.is64 ? ValType.I64 : ValType.I32;
    this.pop(at);
    this.pop(table.elemType);
    if (!this.dead) {
      const h = this.sp;
      this.meter(FC_COST_BASE + OpcodeFC.TableGrow, TRACE_CAN_TRAP);
      const init = this.reg(h);
      const delta = this.tableIndexReg(h + 1, table.is64);
      this.out.carry();
      this.tableResult(this.out.emit4(Op.TableGrow, this.slotBase + h, table.index, init, delta), h, table.is64);
    }
    this.push(at);
  }

  private tableSize(): void {
    const table = this.readTable();
    if (!this.dead) {
      const h = this.sp;
      this.meter(FC_COST_BASE + OpcodeFC.TableSize, 0);
      this.out.carry();
      this.tableResult(this.out.emit2(Op.TableSize, this.slotBase + h, table.index), h, table.is64);
    }
    this.push(table.is64 ? ValType.I64 : ValType.I32);
  }

  private tableFill(): void {
    const table = this.readTable();
    const at = table.is64 ? ValType.I64 : ValType.I32;
    this.pop(at);
    this.pop(table.elemType);
    this.pop(at);
    if (this.dead) return;
    const h = this.sp;
    this.meter(FC_COST_BASE + OpcodeFC.TableFill, TRACE_CAN_TRAP);
    const index = this.tableIndexReg(h, table.is64);
    const value = this.reg(h + 1);
    const length = this.tableIndexReg(h + 2, table.is64);
    this.out.carry();
    this.out.emit4(Op.TableFill, table.index, index, value, length);
  }

  // ---------------------------------------------------------------- memory

  /** The type of memory `index`, failing when there is none. */
  requireMemory(index: number): MemoryType {
    const type = this.ctx.memoryTypes[index];
    if (!type) this.fail(`unknown memory ${index}`);
    return type;
  }

  /**
   * Reads a memory index immediate: with multi-memory a u32, else a reserved
   * byte that must be 0x00. Returns the index and checks the memory exists.
   */
  private memoryIndex(): number {
    let index = 0;
    if (this.ctx.features.multiMemory) index = this.r.u32();
    else if (this.r.u8() !== 0) this.fail(`zero byte expected ${featureDisabled('multiMemory')}`);
    this.requireMemory(index);
    return index;
  }

  /** Whether memory `index` is one the memory-0 ops serve (else the ...M ops of memory-ops.ts). */
  /** Memory 0 with i32 addresses: the one the plain (non-...M) memory ops serve. */
  isPlainMemory(index: number): boolean {
    return index === 0 && !this.ctx.memoryTypes[0]!.is64;
  }

  /** The type of addresses into memory `index`. */
  addressType(index: number): ValType {
    return this.ctx.memoryTypes[index]!.is64 ? ValType.I64 : ValType.I32;
  }

  /**
   * Reads a memarg: the alignment flags (bit 6 announces a memory index,
   * multi-memory), the memory index and the offset (a u64 with memory64).
   * Sets memargMemory and memargOffsetHi; returns the offset's low word.
   */
  memarg(access: { readonly naturalAlign: number }): number {
    const { features } = this.ctx;
    const flags = this.r.u32();
    // 2.0 has no flag bits in the alignment field: 2^32 and beyond is an encoding error.
    if (flags >= (features.multiMemory ? 128 : 32)) {
      this.fail(flags & 0x40 && !features.multiMemory ? `malformed memop flags ${featureDisabled('multiMemory')}` : 'malformed memop flags');
    }
    const memory = flags & 0x40 ? this.r.u32() : 0;
    let offsetLo: number;
    let offsetHi = 0;
    if (features.memory64) ({ lo: offsetLo, hi: offsetHi } = this.r.u64());
    else offsetLo = this.r.u32();
    const type = this.requireMemory(memory);
    if ((flags & 0x3f) > access.naturalAlign) this.fail('alignment must not be larger than natural');
    if (offsetHi !== 0 && !type.is64) this.fail('offset out of range');
    this.memargMemory = memory;
    this.memargOffsetHi = offsetHi | 0;
    return offsetLo | 0;
  }

  /** A load or store on a memory the memory-0 ops do not serve: the ...M op of `access` (ir.ts). */
  private otherMemoryAccess(access: MemoryInstr, opcode: number, offsetLo: number): void {
    const memory = this.memargMemory;
    const offsetHi = this.memargOffsetHi;
    const mOp = (access.isStore ? Op.I32StoreM - Op.I32Store : Op.I32LoadM - Op.I32Load) + access.op;
    if (access.isStore) this.pop(access.type);
    this.pop(this.addressType(memory));
    if (!this.dead) {
      const h = this.sp;
      this.meter(opcode, TRACE_CAN_TRAP);
      const address = this.reg(h);
      if (access.isStore) {
        const value = this.reg(h + 1);
        this.out.carry();
        this.out.emit5(mOp, address, memory, offsetLo, offsetHi, value);
      } else {
        this.out.carry();
        this.produced(this.out.emit5(mOp, this.slotBase + h, address, memory, offsetLo, offsetHi), h);
      }
    }
    if (!access.isStore) this.push(access.type);
  }

  /**
   * Chooses the address operands of a load or store whose address is at height
   * h: an `i32.add` of a constant emitted just before is removed and becomes
   * the access's addend; for a `scalable` access (I32LoadScaled), so does an
   * `i32.shl` by a constant of the index, and `base + (index << n)`
   * (I32LoadIndexed). Sets addrReg, addrShift, addrAddend and addrBase; returns the code index of the first removed op (whose
   * instructions the access must carry), or -1.
   */
  private takeAddress(h: number, scalable: boolean): number {
    this.addrShift = 0;
    this.addrBase = -1;
    if (this.isFresh(h)) {
      const code = this.out.code;
      const slot = this.slotBase + h;
      const pc = this.resultPc;
      const op = code[pc];
      if (op === Op.I32AddImm && code[pc + 1] === slot) {
        this.addrReg = code[pc + 2]!;
        this.addrAddend = code[pc + 3]!;
        this.out.truncate(pc);
        this.resultEnd = -1;
        // `(x << n) + c`: the shift that produced the add's operand goes in too.
        const shlPc = this.prevResultPc;
        if (scalable && shlPc >= 0 && this.prevResultHeight === h && code[shlPc] === Op.I32ShlImm &&
            code[shlPc + 1] === slot && this.addrReg === slot) {
          this.addrReg = code[shlPc + 2]!;
          this.addrShift = code[shlPc + 3]! & 31;
          this.out.truncate(shlPc);
          this.out.moveCarried(pc, shlPc);
          return shlPc;
        }
        return pc;
      }
      if (scalable && op === Op.I32ShlImmAdd && code[pc + 1] === slot) {
        // base + (index << n): the access adds the base register instead of a constant.
        this.addrReg = code[pc + 2]!;
        this.addrShift = code[pc + 3]! & 31;
        this.addrBase = code[pc + 4]!;
        this.out.truncate(pc);
        this.resultEnd = -1;
        return pc;
      }
      if (scalable && op === Op.I32ShlImm && code[pc + 1] === slot) {
        this.addrReg = code[pc + 2]!;
        this.addrShift = code[pc + 3]! & 31;
        this.addrAddend = 0;
        this.out.truncate(pc);
        this.resultEnd = -1;
        return pc;
      }
    }
    if (this.stKind[h] === Kind.Const) {
      this.addrReg = this.slotBase - 1; // the zero register
      this.zeroRegisterUsed = true;
      this.addrAddend = this.stA[h]!;
      return -1;
    }
    this.addrReg = this.reg(h);
    this.addrAddend = 0;
    return -1;
  }

  private load(access: MemoryInstr, opcode: number): void {
    const offset = this.memarg(access);
    if (!this.isPlainMemory(this.memargMemory)) return this.otherMemoryAccess(access, opcode, offset);
    this.pop(ValType.I32);
    if (!this.dead) {
      const h = this.sp;
      this.meter(opcode, TRACE_CAN_TRAP);
      const fusedPc = this.takeAddress(h, access.op === Op.I32Load);
      this.out.carry();
      const dst = this.slotBase + h;
      const pc =
        this.addrBase >= 0 ? this.out.emit5(Op.I32LoadIndexed, dst, this.addrBase, this.addrReg, this.addrShift, offset)
        : this.addrShift > 0 ? this.out.emit5(Op.I32LoadScaled, dst, this.addrReg, this.addrShift, this.addrAddend, offset)
        : this.out.emit4(access.op, dst, this.addrReg, this.addrAddend, offset);
      if (fusedPc >= 0 && fusedPc !== pc) this.out.moveCarried(fusedPc, pc);
      this.produced(pc, h);
    }
    this.push(access.type);
  }

  private store(access: MemoryInstr, opcode: number): void {
    const offset = this.memarg(access);
    if (!this.isPlainMemory(this.memargMemory)) return this.otherMemoryAccess(access, opcode, offset);
    this.pop(access.type);
    this.pop(ValType.I32);
    if (this.dead) return;
    const h = this.sp;
    this.meter(opcode, TRACE_CAN_TRAP);
    const fusedPc = this.takeAddress(h, false);
    const immediate = this.stKind[h + 1] === Kind.Const ? STORE_IMMEDIATE[access.op] : undefined;
    let pc: number;
    if (immediate === undefined) {
      const value = this.reg(h + 1);
      this.out.carry();
      pc = this.out.emit4(access.op, this.addrReg, this.addrAddend, offset, value);
    } else {
      this.out.carry();
      pc = immediate === Op.I64StoreImm
        ? this.out.emit5(immediate, this.addrReg, this.addrAddend, offset, this.stA[h + 1]!, this.stB[h + 1]!)
        : this.out.emit4(immediate, this.addrReg, this.addrAddend, offset, this.stA[h + 1]!);
    }
    if (fusedPc >= 0 && fusedPc !== pc) this.out.moveCarried(fusedPc, pc);
  }

  // memarg results (see memarg).
  memargMemory = 0;
  memargOffsetHi = 0;

  private memorySize(): void {
    const memory = this.memoryIndex();
    const type = this.addressType(memory);
    if (!this.dead) {
      const h = this.sp;
      this.meter(Opcode.MemorySize, 0);
      this.out.carry();
      const pc = this.isPlainMemory(memory)
        ? this.out.emit1(Op.MemorySize, this.slotBase + h)
        : this.out.emit2(Op.MemorySizeM, this.slotBase + h, memory);
      this.produced(pc, h);
    }
    this.push(type);
  }

  private memoryGrow(): void {
    const memory = this.memoryIndex();
    const type = this.addressType(memory);
    this.pop(type);
    if (!this.dead) {
      const h = this.sp;
      this.meter(Opcode.MemoryGrow, TRACE_CAN_TRAP);
      const delta = this.reg(h);
      this.out.carry();
      const pc = this.isPlainMemory(memory)
        ? this.out.emit2(Op.MemoryGrow, this.slotBase + h, delta)
        : this.out.emit3(Op.MemoryGrowM, this.slotBase + h, delta, memory);
      this.produced(pc, h);
    }
    this.push(type);
  }

  /** Checks a data segment index read from the code. */
  private checkDataIndex(index: number): void {
    const dataCount = this.ctx.dataCount;
    if (dataCount === undefined) {
      // Name the missing segment first: the text format has no data count section to forget.
      if (index >= this.ctx.numDataSegments) this.fail(`unknown data segment ${index}`);
      this.fail('data count section required');
    }
    if (index >= dataCount) this.fail(`unknown data segment ${index}`);
  }

  private memoryInit(): void {
    const data = this.r.u32();
    const memory = this.memoryIndex();
    this.checkDataIndex(data);
    const plain = this.isPlainMemory(memory);
    this.bulkOperands(OpcodeFC.MemoryInit, [this.addressType(memory), ValType.I32, ValType.I32], (d, s, n) =>
      plain ? this.out.emit4(Op.MemoryInit, data, d, s, n) : this.out.emit5(Op.MemoryInitM, data, d, s, n, memory));
  }

  private dataDrop(): void {
    const data = this.r.u32();
    this.checkDataIndex(data);
    if (this.dead) return;
    this.meter(FC_COST_BASE + OpcodeFC.DataDrop, 0);
    this.out.carry();
    this.out.emit1(Op.DataDrop, data);
  }

  private memoryCopy(): void {
    const to = this.memoryIndex();
    const from = this.memoryIndex();
    const plain = this.isPlainMemory(to) && this.isPlainMemory(from);
    const dstType = this.addressType(to);
    const srcType = this.addressType(from);
    const lenType = dstType === ValType.I64 && srcType === ValType.I64 ? ValType.I64 : ValType.I32;
    this.bulkOperands(OpcodeFC.MemoryCopy, [dstType, srcType, lenType], (d, s, n) =>
      plain ? this.out.emit3(Op.MemoryCopy, d, s, n) : this.out.emit5(Op.MemoryCopyM, d, s, n, to, from));
  }

  private memoryFill(): void {
    const memory = this.memoryIndex();
    const plain = this.isPlainMemory(memory);
    const type = this.addressType(memory);
    this.bulkOperands(OpcodeFC.MemoryFill, [type, ValType.I32, type], (d, v, n) =>
      plain ? this.out.emit3(Op.MemoryFill, d, v, n) : this.out.emit4(Op.MemoryFillM, d, v, n, memory));
  }

  /** A bulk instruction on three i32 operands that may trap and charges dynamic fuel. */
  private threeI32Operands(sub: OpcodeFC, emit: (a: number, b: number, c: number) => void): void {
    this.bulkOperands(sub, THREE_I32, emit);
  }

  /** A table bulk instruction: as bulkOperands, with i64 operands turned into i32 ones (ir.ts). */
  private tableBulkOperands(sub: OpcodeFC, types: readonly ValType[], emit: (a: number, b: number, c: number) => void): void {
    this.popVals(types);
    if (this.dead) return;
    const h = this.sp;
    this.meter(FC_COST_BASE + sub, TRACE_CAN_TRAP);
    const a = this.tableIndexReg(h, types[0] === ValType.I64);
    const b = this.tableIndexReg(h + 1, types[1] === ValType.I64);
    const c = this.tableIndexReg(h + 2, types[2] === ValType.I64);
    this.out.carry();
    emit(a, b, c);
  }

  /** A bulk instruction on three operands of `types` that may trap and charges dynamic fuel. */
  private bulkOperands(sub: OpcodeFC, types: readonly ValType[], emit: (a: number, b: number, c: number) => void): void {
    this.popVals(types);
    if (this.dead) return;
    const h = this.sp;
    this.meter(FC_COST_BASE + sub, TRACE_CAN_TRAP);
    const a = this.reg(h);
    const b = this.reg(h + 1);
    const c = this.reg(h + 2);
    this.out.carry();
    emit(a, b, c);
  }

  // ---------------------------------------------------------------- references

  private refNull(): void {
    const type = this.r.u8();
    if (!isRefType(type)) this.fail('malformed reference type');
    if (type === ValType.ExnRef) this.requireFeature('exceptions', 'ref.null exn');
    if (!this.dead) {
      const h = this.sp;
      this.meter(Opcode.RefNull, 0);
      this.out.carry();
      this.produced(this.out.emit1(Op.RefNull, this.slotBase + h), h);
    }
    this.push(type);
  }

  private refIsNull(): void {
    const type = this.popAny();
    if (!isRefType(type) && type !== UNKNOWN) this.fail('type mismatch: ref.is_null needs a reference');
    if (!this.dead) {
      const h = this.sp;
      this.meter(Opcode.RefIsNull, 0);
      const src = this.reg(h);
      this.out.carry();
      this.produced(this.out.emit2(Op.RefIsNull, this.slotBase + h, src), h);
    }
    this.push(ValType.I32);
  }

  private refFunc(): void {
    const funcIndex = this.r.u32();
    if (funcIndex >= this.ctx.funcTypes.length) this.fail(`unknown function ${funcIndex}`);
    if (this.ctx.declaredFuncs[funcIndex] !== 1) this.fail('undeclared function reference');
    if (!this.dead) {
      const h = this.sp;
      this.meter(Opcode.RefFunc, 0);
      this.out.carry();
      this.produced(this.out.emit2(Op.RefFunc, this.slotBase + h, funcIndex), h);
    }
    this.push(ValType.FuncRef);
  }

  // ---------------------------------------------------------------- numeric

  private constant(opcode: number, type: ValType, lo: number, hi: number): void {
    if (!this.dead) this.meter(opcode, 0);
    this.pushVirtual(type, Kind.Const, lo, hi);
  }

  private numeric(instr: NumericInstr, costIndex: number): void {
    const params = instr.params;
    if (params.length === 1) {
      this.pop(params[0]!);
      if (!this.dead) {
        const h = this.sp;
        this.meter(costIndex, instr.canTrap ? TRACE_CAN_TRAP : 0);
        const a = this.reg(h);
        this.out.carry();
        this.produced(this.out.emit2(instr.op, this.slotBase + h, a), h);
      }
    } else {
      this.pop(params[1]!);
      this.pop(params[0]!);
      if (!this.dead && this.binary(instr, costIndex)) {
        // The result is the left operand unchanged (x + 0, x * 1, ...): keep its entry as it is.
        this.sp++;
        return;
      }
    }
    this.push(instr.result);
  }

  /** Lowers a binary op on heights h, h+1; true when nothing was emitted because the result is operand h itself. */
  private binary(instr: NumericInstr, costIndex: number): boolean {
    const h = this.sp;
    const dst = this.slotBase + h;
    const kinds = this.stKind;
    // An identity cannot trap (x / 1): its trace entry must not claim the trap of the op that carries it.
    const identity = kinds[h + 1] === Kind.Const && isRightIdentity(instr.op, this.stA[h + 1]!, this.stB[h + 1]!);
    this.meter(costIndex, instr.canTrap && !identity ? TRACE_CAN_TRAP : 0);
    if (identity) return true;
    if (this.fuseWithOperand(instr.op, dst, h)) return false;
    if (instr.imm !== undefined && kinds[h + 1] === Kind.Const) {
      if (instr.op === Op.I64Mul && (this.fuseRotlMul(dst, h) || this.fuseLoadMul(dst, h))) return false;
      if (isRotate(instr.op) && this.fuseXorRotl(instr.op, dst, h)) return false;
      if ((instr.op === Op.I32Add || instr.op === Op.I32Sub) && this.fuseGlobalGetAdd(instr.op, dst, h)) return false;
      const a = this.reg(h);
      this.out.carry();
      this.produced(this.emitImmediate(instr.op, instr.imm, dst, a, this.stA[h + 1]!, this.stB[h + 1]!), h);
    } else if (instr.immSwapped !== undefined && kinds[h] === Kind.Const) {
      const b = this.reg(h + 1);
      this.out.carry();
      this.produced(this.emitImmediate(instr.op, instr.immSwapped, dst, b, this.stA[h]!, this.stB[h]!), h);
    } else {
      const a = this.reg(h);
      const b = this.reg(h + 1);
      this.out.carry();
      this.produced(this.out.emit3(instr.op, dst, a, b), h);
    }
    return false;
  }

  /** Emits immediate op `op` (for plain op `plain`) with the constant (lo, hi) encoded as ir.ts says. */
  private emitImmediate(plain: Op, op: Op, dst: number, a: number, lo: number, hi: number): number {
    if (plain === Op.I32Sub) return this.out.emit3(op, dst, a, -lo | 0);
    if (plain === Op.I32Rotl || plain === Op.I32Rotr) return this.out.emit3(op, dst, a, leftRotateCount(plain, lo));
    if (op < Op.I64AddImm) return this.out.emit3(op, dst, a, lo);
    if (plain === Op.I64Sub) return this.out.emit4(op, dst, a, -lo | 0, (~hi + (lo === 0 ? 1 : 0)) | 0);
    if (op <= Op.I64XorImm) return this.out.emit4(op, dst, a, lo, hi);
    const count = isRotate(plain) ? leftRotateCount(plain, lo) : lo & 63;
    return this.out.emit3(count < 32 ? op : op + (Op.I64ShlImm32 - Op.I64ShlImm), dst, a, count & 31);
  }

  /**
   * The binary op `op` on heights h, h+1 whose one operand is the fresh result
   * of the op just emitted, and whose other operand is in a register: replaces
   * that op with a superinstruction doing both, when there is one. The removed
   * op's instructions stay carried at its pc, where the superinstruction goes.
   */
  private fuseWithOperand(op: Op, dst: number, h: number): boolean {
    let fresh: number;
    let other: number;
    if (this.isFresh(h + 1) && this.stKind[h] !== Kind.Const) {
      fresh = h + 1;
      other = h;
    } else if (this.isFresh(h) && this.stKind[h + 1] !== Kind.Const) {
      fresh = h;
      other = h + 1;
    } else {
      return false;
    }
    const code = this.out.code;
    const pc = this.resultPc;
    if (code[pc + 1] !== this.slotBase + fresh) return false;
    const inner = code[pc]!;
    const fusion = FUSIONS.get(op * FUSION_KEY + inner);
    if (fusion === undefined || (fusion.freshRight && fresh !== h + 1)) return false;
    const c = this.reg(other);
    // The fused op: the inner op's operands after its destination, then the other operand.
    const operands = Array.from(code.subarray(pc + 2, this.out.length));
    operands.push(c);
    this.rewind(pc);
    this.out.emitOperands(fusion.op, dst, operands);
    this.produced(pc, h);
    return true;
  }

  /** i64.mul by a constant of the fresh result of an i64.load: one superinstruction (the load may trap, first). */
  private fuseLoadMul(dst: number, h: number): boolean {
    const pc = this.freshProducer(h, Op.I64Load);
    if (pc < 0) return false;
    const code = this.out.code;
    const address = code[pc + 2]!;
    const addend = code[pc + 3]!;
    const offset = code[pc + 4]!;
    this.rewind(pc);
    this.out.emit6(Op.I64LoadMulImm, dst, address, addend, offset, this.stA[h + 1]!, this.stB[h + 1]!);
    this.produced(pc, h);
    return true;
  }

  /** i32.add/sub of a constant to the fresh result of a global.get: one op (a function prologue moving the stack pointer). */
  private fuseGlobalGetAdd(plain: Op, dst: number, h: number): boolean {
    const pc = this.freshProducer(h, Op.GlobalGet);
    if (pc < 0) return false;
    const g = this.out.code[pc + 2]!;
    const k = this.stA[h + 1]!;
    this.rewind(pc);
    this.out.emit3(Op.GlobalGetAddImm, dst, g, plain === Op.I32Sub ? -k | 0 : k);
    this.produced(pc, h);
    return true;
  }

  /**
   * A rotate by a constant of the fresh result of an xor of the same type (ARX hashes and
   * ciphers), or of an i64.load_xor (the same with the state in memory, as in Argon2): one superinstruction.
   */
  private fuseXorRotl(plain: Op, dst: number, h: number): boolean {
    const wide = plain === Op.I64Rotl || plain === Op.I64Rotr;
    const count = leftRotateCount(plain, this.stA[h + 1]!);
    let pc = this.freshProducer(h, wide ? Op.I64Xor : Op.I32Xor);
    if (pc >= 0) {
      const a = this.out.code[pc + 2]!;
      const b = this.out.code[pc + 3]!;
      const op = !wide ? Op.I32XorRotlImm : count < 32 ? Op.I64XorRotlImm : Op.I64XorRotlImm32;
      this.rewind(pc);
      this.out.emit4(op, dst, a, b, count & 31);
    } else {
      pc = wide ? this.freshProducer(h, Op.I64LoadXor) : -1;
      if (pc < 0) return false;
      const operands = [...this.out.code.subarray(pc + 2, pc + 6), count & 31];
      this.rewind(pc);
      this.out.emitOperands(count < 32 ? Op.I64LoadXorRotlImm : Op.I64LoadXorRotlImm32, dst, operands);
    }
    this.produced(pc, h);
    return true;
  }

  /**
   * i64.mul by a constant of the result of an i64.rotl by a constant below 32
   * emitted just before (fresh, or just written to a local by local.tee): one
   * superinstruction, which still writes the rotl's destination.
   */
  private fuseRotlMul(dst: number, h: number): boolean {
    const pc = this.lastProducer(h);
    const code = this.out.code;
    if (pc < 0 || code[pc] !== Op.I64RotlImm) return false;
    const t = code[pc + 1]!;
    const a = code[pc + 2]!;
    const n = code[pc + 3]!;
    const load = this.prevResultPc;
    // The rotl's operand is the stack slot the op just before wrote, so nothing else reads it: fuse all of the round.
    if (load >= 0 && this.prevResultHeight === h && code[load] === Op.I64LoadMulImmAdd && code[load + 1] === a && a >= this.slotBase) {
      const operands = [t, ...code.subarray(load + 2, load + 8), n, this.stA[h + 1]!, this.stB[h + 1]!];
      this.rewind(load);
      this.out.emitOperands(Op.I64LoadMulImmAddRotlImmMulImm, dst, operands);
      this.produced(load, h);
      return true;
    }
    this.rewind(pc);
    this.out.emit6(Op.I64RotlImmMulImm, dst, t, a, n, this.stA[h + 1]!, this.stB[h + 1]!);
    this.produced(pc, h);
    return true;
  }
}

function isRotate(op: Op): boolean {
  return op === Op.I32Rotl || op === Op.I32Rotr || op === Op.I64Rotl || op === Op.I64Rotr;
}

/** The count of the left rotate that rotate op `plain` (rotl or rotr, i32 or i64) by constant c amounts to. */
function leftRotateCount(plain: Op, c: number): number {
  const mask = plain === Op.I64Rotl || plain === Op.I64Rotr ? 63 : 31;
  return (plain === Op.I32Rotr || plain === Op.I64Rotr ? -c : c) & mask;
}

/** Whether `x op c` is x for every x, for integer op `op` and constant c = (lo, hi) (hi: an i64's high word). */
function isRightIdentity(op: Op, lo: number, hi: number): boolean {
  switch (op) {
    case Op.I32Add: case Op.I32Sub: case Op.I32Or: case Op.I32Xor:
      return lo === 0;
    case Op.I32Shl: case Op.I32ShrS: case Op.I32ShrU: case Op.I32Rotl: case Op.I32Rotr:
      return (lo & 31) === 0;
    case Op.I32Mul: case Op.I32DivS: case Op.I32DivU:
      return lo === 1;
    case Op.I32And:
      return lo === -1;
    case Op.I64Add: case Op.I64Sub: case Op.I64Or: case Op.I64Xor:
      return lo === 0 && hi === 0;
    case Op.I64Shl: case Op.I64ShrS: case Op.I64ShrU: case Op.I64Rotl: case Op.I64Rotr:
      return (lo & 63) === 0;
    case Op.I64Mul: case Op.I64DivS: case Op.I64DivU:
      return lo === 1 && hi === 0;
    case Op.I64And:
      return lo === -1 && hi === -1;
    default:
      return false;
  }
}
