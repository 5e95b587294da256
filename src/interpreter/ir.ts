/**
 * The register IR: the contract between the lowering (src/validator) and the
 * executor (src/interpreter/executor.ts).
 *
 * ## Registers
 * A frame is a window of 8-byte slots. Register `r` of the current frame is slot
 * `fp + r`. All slots of all frames live in one ArrayBuffer viewed as
 * Int32Array (`w`), Float32Array and Float64Array:
 *   - i32 value: word `w[2*(fp+r)]` (the high word of an i32 slot is undefined; never read it)
 *   - i64 value: low word `w[2*(fp+r)]`, high word `w[2*(fp+r)+1]`
 *   - f32 value: its bits in the low word (Float32Array index `2*(fp+r)`)
 *   - f64 value: its bits in both words (Float64Array index `fp+r`)
 *   - funcref / externref: a parallel JS array `refs[fp+r]` (a function object,
 *     any JS value for externref, or `null`).
 *   - v128: not in `w` but in the v128 register file (`Machine.v128`, a
 *     V128Registers of src/interpreter/simd.ts): 16 bytes per slot, indexed by
 *     the same slot number, so v128 register r of the frame at fp is bytes
 *     16*(fp+r) .. 16*(fp+r)+15 there (Int32Array index 4*(fp+r) ..). Both files
 *     grow together. A slot holds a value of one type at a time, so a register
 *     that holds a v128 leaves its `w` words alone and the other way round.
 *     Calls, results, block values and locals follow the same register
 *     numbering as every other type; only the moves differ (V128Copy). The
 *     executor zeroes the scalar words of locals on entry; a function with
 *     v128 locals starts with V128ZeroLocals instead of the executor doing it,
 *     so calls of other functions pay nothing.
 * A frame's registers are, in order: the parameters, the declared locals, a
 * register that holds 0 (the base of accesses at constant addresses; zeroed on
 * entry only when some op reads it, see `zeroFrom`),
 * then the operand-stack slots and any temporaries the lowering needs.
 * `CompiledFunction.frameSize` is the total.
 *
 * ## Calls
 * `Call f base`: the callee's frame starts at register `base` of the caller
 * (callee fp = caller fp + base). The lowering puts the arguments in registers
 * base .. base+nParams-1 of the caller; the callee writes its results into its own
 * registers 0 .. nResults-1 before `Return`, which are the caller's base .. — so
 * results arrive where the caller expects them, with no copying. The executor
 * zeroes the callee's declared locals (words and, for `refLocals`, refs = null) on
 * entry. Everything at or above `base` in the caller is dead after the call
 * except the results.
 *
 * ## Code stream
 * A function's code is an Int32Array: an opcode word followed by its operand
 * words, as listed in OP_LAYOUT. Operand kinds:
 *   r  register index within the frame
 *   i  32-bit immediate (i32 value, f32 bits, unsigned offsets read with >>> 0, indices)
 *   L  64-bit immediate in two words: low word, then high word (i64 value or f64 bits)
 *   t  branch target: absolute index into this function's code array
 *   n  a count N, followed by N+1 branch targets (br_table: the last is the default)
 *
 * ## Fuel (DESIGN.md section 2)
 * When the engine meters fuel, the lowering starts every straight-line segment
 * with `Fuel cost traceIndex`, where `cost` is the sum of the costs of the Wasm
 * instructions in the segment. A segment ends at every branch (br, br_if,
 * br_table, if, else-jump, return), at every branch target (labels that something
 * jumps to, loop heads), and right after every call/call_indirect (the code after
 * a call starts a new segment). `block` and `loop` cost their 1 in the segment
 * they are entered from; the loop head starts a new segment for the body.
 * Dynamic extra costs (bulk ops, memory.grow) are charged by the executor.
 *
 * `CompiledFunction.fuelTrace` records every metered Wasm instruction, as triples
 * `[irPc, cost, flags]` in emission order (irPc is non-decreasing):
 *   - a segment header (flags & TRACE_HEADER): irPc is the Fuel op, cost the segment total;
 *   - then one triple per Wasm instruction of that segment: irPc = the IR op that
 *     carries it (several Wasm instructions may share one fused IR op), its cost,
 *     and TRACE_CAN_TRAP when it is the instruction whose trap (or dynamic fuel
 *     charge) that IR op raises. A fused IR op contains at most one such
 *     instruction, and nothing after it in the op may have an effect other than
 *     writing a register.
 * `traceIndex` of a Fuel op is the triple index of its header. The executor uses
 * the trace only on slow paths: refunding the unexecuted rest of a segment on a
 * trap (property 4), and charging instruction by instruction when the remaining
 * fuel cannot pay for a whole segment (properties 2 and 3).
 *
 * A segment whose total is above MAX_SEGMENT_COST (long straight-line code with
 * large configured costs) carries MAX_SEGMENT_COST in its Fuel op and header:
 * more than the executor's fast path ever holds, so it is always charged
 * instruction by instruction from the trace, whose single costs fit a word.
 */

/** The largest segment cost a Fuel op carries (see above); fuel.ts bounds single costs far below it. */
export const MAX_SEGMENT_COST = 0x7fffffff;
export const TRACE_HEADER = 1;
export const TRACE_CAN_TRAP = 2;

export const enum Op {
  // ---- moves and constants
  Copy, // r dst, r src — copies both words (any numeric type)
  CopyRef, // r dst, r src
  Const32, // r dst, i value — writes the low word (i32, or f32 bits)
  Const64, // r dst, L value — i64, or f64 bits
  RefNull, // r dst
  RefFunc, // r dst, i funcIndex (index in the instance's function space)
  RefIsNull, // r dst, r src
  Select, // r dst, r cond, r ifTrue, r ifFalse — numeric, both words
  SelectRef, // r dst, r cond, r ifTrue, r ifFalse

  // ---- control
  Unreachable, // traps 'unreachable'
  Br, // t target
  BrIfNez, // r cond, t target
  BrIfEqz, // r cond, t target
  BrTable, // r index, n count, t targets[count + 1]
  Return, // results already in registers 0 .. nResults-1
  Call, // i funcIndex, r base
  CallIndirect, // i tableIndex, i sigId, r elemIndex, r base — traps tableOutOfBounds / indirectCallToNull / badSignature
  Fuel, // i cost, i traceIndex

  // fused i32 compare + branch (taken when the comparison holds)
  BrIfI32Eq, BrIfI32Ne, BrIfI32LtS, BrIfI32LtU, BrIfI32GtS, BrIfI32GtU, BrIfI32LeS, BrIfI32LeU, BrIfI32GeS, BrIfI32GeU, // r a, r b, t target
  BrIfI32EqImm, BrIfI32NeImm, BrIfI32LtSImm, BrIfI32LtUImm, BrIfI32GtSImm, BrIfI32GtUImm, BrIfI32LeSImm, BrIfI32LeUImm, BrIfI32GeSImm, BrIfI32GeUImm, // r a, i b, t target
  // fused i32.and with a constant + branch (flag tests): taken when (a & mask) is nonzero / zero
  BrIfAndImmNez, BrIfAndImmEqz, // r a, i mask, t target

  // ---- globals (index in the instance's global space)
  GlobalGet, // r dst, i global — numeric, both words
  GlobalSet, // i global, r src
  GlobalGetRef, // r dst, i global
  GlobalSetRef, // i global, r src

  // ---- memory 0. Effective address ea = u32(addr + addend) + u32(offset), where the
  // addend is an i32.add of a constant fused into the access (0 when none; the add
  // wraps, the offset does not); traps memoryOutOfBounds if ea + size > byteLength
  I32Load, I64Load, F32Load, F64Load,
  I32Load8S, I32Load8U, I32Load16S, I32Load16U,
  I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U, // r dst, r addr, i addend, i offset
  I32Store, I64Store, F32Store, F64Store, I32Store8, I32Store16, I64Store8, I64Store16, I64Store32, // r addr, i addend, i offset, r value
  // a store of a constant (its bits; i64.store8 and the like store the low bytes): r addr, i addend, i offset, then the value
  I32StoreImm, I32Store8Imm, I32Store16Imm, // i value
  I64StoreImm, // L value
  MemorySize, // r dst
  MemoryGrow, // r dst, r deltaPages — dst = old size in pages, or -1
  MemoryFill, // r dst, r value, r len
  MemoryCopy, // r dst, r src, r len
  MemoryInit, // i dataIndex, r dst, r src, r len
  DataDrop, // i dataIndex

  // ---- tables
  TableGet, // r dst, i table, r index
  TableSet, // i table, r index, r value
  TableSize, // r dst, i table
  TableGrow, // r dst, i table, r initValue, r delta — dst = old size, or -1
  TableFill, // i table, r index, r value, r len
  TableCopy, // i dstTable, i srcTable, r dst, r src, r len
  TableInit, // i table, i elemIndex, r dst, r src, r len
  ElemDrop, // i elemIndex

  // ---- numeric: exactly the Wasm instruction of the same name.
  // Unary and conversions: r dst, r a. Binary and comparisons: r dst, r a, r b.
  I32Eqz, I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
  I64Eqz, I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
  F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
  F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
  I32Clz, I32Ctz, I32Popcnt, I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
  I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
  I64Clz, I64Ctz, I64Popcnt, I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
  I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
  F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
  F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
  F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
  F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
  I32WrapI64, I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
  I64ExtendI32S, I64ExtendI32U, I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
  F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
  F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
  I32ReinterpretF32, I64ReinterpretF64, F32ReinterpretI32, F64ReinterpretI64,
  I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
  I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
  I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,

  // i32 binary ops with an immediate right operand: r dst, r a, i b (i32.sub becomes I32AddImm of the negation)
  I32AddImm, I32MulImm, I32AndImm, I32OrImm, I32XorImm, I32ShlImm, I32ShrSImm, I32ShrUImm,
  I32RotlImm, // b in 1..31 (rotr becomes rotl by 32 - b)
  I32EqImm, I32NeImm, I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm, I32LeSImm, I32LeUImm, I32GeSImm, I32GeUImm,

  // i64 binary ops with an immediate right operand: r dst, r a, L b (i64.sub becomes I64AddImm of the negation)
  I64AddImm, I64MulImm, I64AndImm, I64OrImm, I64XorImm,
  // i64 shifts and rotates by a constant count c (rotr becomes rotl): r dst, r a, i n. The plain
  // forms are for c < 32 (n = c), the 32 forms for c >= 32 (n = c - 32), so neither branches on c.
  I64ShlImm, I64ShrSImm, I64ShrUImm, I64RotlImm,
  I64ShlImm32, I64ShrSImm32, I64ShrUImm32, I64RotlImm32,

  // Superinstructions: an op fused with the op producing one of its operands just before.
  // Each carries all its Wasm instructions; only a load may trap, and it comes first.
  I32MulAdd, // r dst, r a, r b, r c: dst = a * b + c
  I32ShlImmAdd, // r dst, r a, i n, r c: dst = (a << n) + c
  I32MulImmAdd, // r dst, r a, i k, r c: dst = a * k + c
  I32AddAdd, // r dst, r a, r b, r c: dst = a + b + c
  I32RotlImmXor, // r dst, r a, i n, r c: dst = rotl(a, n) ^ c
  I32XorRotlImm, // r dst, r a, r b, i n: dst = rotl(a ^ b, n)
  I64AddAdd, // r dst, r a, r b, r c: dst = a + b + c
  I64RotlImmXor, I64RotlImm32Xor, // r dst, r a, i n, r c: dst = rotl(a, n) ^ c; rotl by n or 32 + n
  I64XorRotlImm, I64XorRotlImm32, // r dst, r a, r b, i n: dst = rotl(a ^ b, n); rotl by n or 32 + n
  I64MulImmAdd, // r dst, r a, L k, r c: dst = a * k + c
  I64MulAdd, // r dst, r a, r b, r c: dst = a * b + c
  I64RotlImmMulImm, // r dst, r t, r a, i n, L k: t = rotl(a, n), then dst = t * k; n < 32
  I32LoadScaled, // r dst, r index, i shift, i addend, i offset: i32.load at u32((index << shift) + addend) + offset
  I32LoadIndexed, // r dst, r base, r index, i shift, i offset: i32.load at u32(base + (index << shift)) + offset
  I32LoadMul, // r dst, r addr, i addend, i offset, r b: dst = i32.load(addr, addend, offset) * b
  I32LoadMulAdd, // r dst, r addr, i addend, i offset, r b, r c: dst = i32.load(addr, addend, offset) * b + c
  F64LoadAdd, // r dst, r addr, i addend, i offset, r b: dst = f64.load(addr, addend, offset) + b
  F64LoadSub, // r dst, r addr, i addend, i offset, r b: dst = b - f64.load(addr, addend, offset)
  F64LoadMul, // r dst, r addr, i addend, i offset, r b: dst = f64.load(addr, addend, offset) * b
  I64LoadMulImm, // r dst, r addr, i addend, i offset, L k: dst = i64.load(addr, addend, offset) * k
  I64LoadMulImmAdd, // r dst, r addr, i addend, i offset, L k, r c: dst = i64.load(addr, addend, offset) * k + c
  // r dst, r t, r addr, i addend, i offset, L k1, r c, i n, L k2: the xxHash64 round, I64LoadMulImmAdd into t, then
  // I64RotlImmMulImm dst, t, t, n, k2
  I64LoadMulImmAddRotlImmMulImm,
  I64LoadAdd, // r dst, r addr, i addend, i offset, r b: dst = i64.load(addr, addend, offset) + b
  I64LoadXor, // r dst, r addr, i addend, i offset, r b: dst = i64.load(addr, addend, offset) ^ b
  // r dst, r addr, i addend, i offset, r b, i n: dst = rotl(i64.load(addr, addend, offset) ^ b, n); rotl by n or 32 + n
  I64LoadXorRotlImm, I64LoadXorRotlImm32,
  F64MulAdd, // r dst, r a, r b, r c: dst = a * b + c
  F64MulSub, // r dst, r a, r b, r c: dst = c - a * b
  F64MulMul, // r dst, r a, r b, r c: dst = a * b * c
  I32AddImm2, // r dst1, r a1, i k1, r dst2, r a2, i k2: dst1 = a1 + k1, then dst2 = a2 + k2 (two adjacent i32.add_imm)
  // The shadow-stack pointer idiom of C, C++ and Rust output: an i32 global moved by a constant.
  GlobalGetAddImm, // r dst, i global, i k: dst = global + k
  I32AddImmGlobalSet, // r dst, r a, i k, i global: dst = a + k, then global = dst
  GlobalAddImm, // r dst, i global, i k: dst = global + k, then global = dst
  // An i32.add_imm and the conditional branch after it on its result (a loop counter step and test):
  I32AddImmBrIfNez, // r dst, r a, i k, t target: dst = a + k, branch if dst != 0
  I32AddImmBrIfNe, // r dst, r a, i k, r b, t target: dst = a + k, branch if dst != b
  // An i32.add_imm and a copy of its result (a local.tee of a step that a local.set passes on):
  I32AddImmCopy, // r dst, r a, i k, r dst2: dst = a + k, then dst2 = dst
  // Metered code only: a Copy or Const32 that falls through into a Fuel op (a loop entered
  // from its preheader, a label after straight-line code) charges that Fuel op inline, as a
  // taken branch does, instead of leaving it a dispatch of its own. The Fuel op stays in place.
  CopyThenFuel, // r dst, r src: as Copy
  Const32ThenFuel, // r dst, i value: as Const32

  // ---- tail calls (tail-call.ts). A Wasm callee takes over the caller's frame: the arguments move
  // from registers base.. to 0.., the frame-stack depth stays, and the callee's Return returns to the
  // caller's caller. For a host callee execution continues after the op, where the lowering puts a
  // Call (CallIndirect) with the same operands, the moves of its results to registers 0.. and a Return;
  // none of those is in a fuel segment.
  ReturnCall, // i funcIndex, r base
  ReturnCallIndirect, // i tableIndex, i sigId, r elemIndex, r base — traps as CallIndirect

  // ---- memories other than memory 0, and 64-bit memories (memory-ops.ts). Memory 0 with i32
  // addresses keeps the ops above. An address (and memory.size/grow's sizes, memory.fill's length,
  // memory.copy's length when both memories are 64-bit) is an i64 register for a 64-bit memory, else
  // an i32 one. The effective address addr + offset is exact (never wraps); it traps
  // memoryOutOfBounds if ea + size > byteLength. The offset is a u64 (low word, high word).
  I32LoadM, I64LoadM, F32LoadM, F64LoadM,
  I32Load8SM, I32Load8UM, I32Load16SM, I32Load16UM,
  I64Load8SM, I64Load8UM, I64Load16SM, I64Load16UM, I64Load32SM, I64Load32UM, // r dst, r addr, i memory, L offset
  I32StoreM, I64StoreM, F32StoreM, F64StoreM, I32Store8M, I32Store16M, I64Store8M, I64Store16M, I64Store32M, // r addr, i memory, L offset, r value
  MemorySizeM, // r dst, i memory
  MemoryGrowM, // r dst, r deltaPages, i memory — dst = old size in pages, or -1
  MemoryFillM, // r dst, r value, r len, i memory
  MemoryCopyM, // r dst, r src, r len, i dstMemory, i srcMemory
  MemoryInitM, // i dataIndex, r dst, r src, r len, i memory (src and len are i32)

  // ---- 64-bit tables (table64): the table ops above take i32 indices and lengths; an i64 one goes
  // through this first. Tables never reach 2^32 - 1 elements (MAX_TABLE_ELEMENTS), so every value
  // from 2^32 - 1 up is out of bounds alike. Their i32 results (table.size, table.grow) are widened
  // to i64 by I64ExtendI32S (sizes are below 2^31, and -1 stays -1).
  I64ToTableIndex, // r dst, r src: dst (i32) = src (i64) if below 2^32, else 2^32 - 1

  // ---- SIMD (see "v128 registers"). `fn` is an index into LANE_OPS of simd.ts, the lane
  // operation to call; its signature is fixed by the op. v128 operands and results are
  // slots of the v128 file, scalar ones (counts, lanes, extracted values) of the register file.
  V128Copy, // r dst, r src
  V128Select, // r dst, r cond, r ifTrue, r ifFalse
  V128Const, // r dst, i w0, i w1, i w2, i w3 (the 16 bytes as little-endian words)
  V128ZeroLocals, // i from, i to: zeroes the v128 slots of registers from .. to-1 (entry of a function with v128 locals)
  V128GlobalGet, // r dst, i global
  V128GlobalSet, // i global, r src
  V128Unary, // r dst, r a, i fn: V128Unary(v, dst, a)
  V128Binary, // r dst, r a, r b, i fn: V128Binary(v, dst, a, b)
  V128Ternary, // r dst, r a, r b, r c, i fn: V128Ternary(v, dst, a, b, c)
  V128Shift, // r dst, r a, r count (i32), i fn: V128Shift(v, dst, a, count)
  V128Splat, // r dst, r scalar, i fn: V128Splat(v, dst, low word, high word)
  V128Extract, // r dst (scalar), r a, i lane, i fn: V128Extract(w, 2 * dst, v, a, lane)
  V128Replace, // r dst, r a, r scalar, i lane, i fn: V128Replace(v, dst, a, lane, low word, high word)
  V128Test, // r dst (i32), r a, i fn: dst = V128Test(v, a)
  V128Shuffle, // r dst, r a, r b, i l0, i l1, i l2, i l3: the 16 lane indices, 4 bytes per word
  // Memory: ea = u32(addr) + u32(offset); traps memoryOutOfBounds if ea + size > byteLength.
  V128Load, // r dst, r addr, i offset, i size, i fn: V128LoadFn(v, dst, view, ea)
  V128Store, // r addr, i offset, i size, r value, i fn: V128StoreFn(v, value, view, ea)
  V128LoadLane, // r dst, r addr, i offset, i size, r src, i lane, i fn: V128LoadLaneFn(v, dst, src, view, ea, lane)
  V128StoreLane, // r addr, i offset, i size, r value, i lane, i fn: V128StoreLaneFn(v, value, view, ea, lane)
  // The same on memories other than memory 0 and on 64-bit memories: the address and offset as
  // for the ...M ops (exact, never wrapping).
  V128LoadM, // r dst, r addr, i memory, L offset, i size, i fn
  V128StoreM, // r addr, i memory, L offset, i size, r value, i fn
  V128LoadLaneM, // r dst, r addr, i memory, L offset, i size, r src, i lane, i fn
  V128StoreLaneM, // r addr, i memory, L offset, i size, r value, i lane, i fn

  // ---- exception handling (exceptions.ts). Where a thrown exception lands is not in the code but in the
  // function's exception table (`CompiledFunction.handlers`, see ExceptionTable).
  Throw, // i tagIndex (in the instance's tag space), r base: the payload is in registers base..
  ThrowRef, // r exnref — traps nullReference on null (throw_ref, and rethrow of a legacy catch's exception)

  /**
   * Executor-private, never emitted by the lowering: the executor temporarily
   * writes it over the opcode word where a fuel-starved segment must stop
   * (DESIGN.md section 2, property 2) and restores the original when it is hit.
   */
  FuelStop,

  /** Number of opcodes; keep last. */
  Count,
}

/** Operand layout of every op, in Op order (see the kinds above). Drives the disassembler and IR tests. */
export const OP_LAYOUT: readonly string[] = buildLayouts();

function buildLayouts(): string[] {
  const layout: string[] = [];
  const set = (from: Op, to: Op, operands: string) => {
    for (let op = from; op <= to; op++) layout[op] = operands;
  };
  set(Op.Copy, Op.CopyRef, 'rr');
  layout[Op.Const32] = 'ri';
  layout[Op.Const64] = 'rL';
  layout[Op.RefNull] = 'r';
  layout[Op.RefFunc] = 'ri';
  layout[Op.RefIsNull] = 'rr';
  set(Op.Select, Op.SelectRef, 'rrrr');
  layout[Op.Unreachable] = '';
  layout[Op.Br] = 't';
  set(Op.BrIfNez, Op.BrIfEqz, 'rt');
  layout[Op.BrTable] = 'rn';
  layout[Op.Return] = '';
  layout[Op.Call] = 'ir';
  layout[Op.CallIndirect] = 'iirr';
  layout[Op.Fuel] = 'ii';
  set(Op.BrIfI32Eq, Op.BrIfI32GeU, 'rrt');
  set(Op.BrIfI32EqImm, Op.BrIfI32GeUImm, 'rit');
  set(Op.BrIfAndImmNez, Op.BrIfAndImmEqz, 'rit');
  layout[Op.GlobalGet] = 'ri';
  layout[Op.GlobalSet] = 'ir';
  layout[Op.GlobalGetRef] = 'ri';
  layout[Op.GlobalSetRef] = 'ir';
  set(Op.I32Load, Op.I64Load32U, 'rrii');
  set(Op.I32Store, Op.I64Store32, 'riir');
  set(Op.I32StoreImm, Op.I32Store16Imm, 'riii');
  layout[Op.I64StoreImm] = 'riiL';
  layout[Op.MemorySize] = 'r';
  layout[Op.MemoryGrow] = 'rr';
  set(Op.MemoryFill, Op.MemoryCopy, 'rrr');
  layout[Op.MemoryInit] = 'irrr';
  layout[Op.DataDrop] = 'i';
  layout[Op.TableGet] = 'rir';
  layout[Op.TableSet] = 'irr';
  layout[Op.TableSize] = 'ri';
  layout[Op.TableGrow] = 'rirr';
  layout[Op.TableFill] = 'irrr';
  layout[Op.TableCopy] = 'iirrr';
  layout[Op.TableInit] = 'iirrr';
  layout[Op.ElemDrop] = 'i';
  for (let op = Op.I32Eqz; op <= Op.I64TruncSatF64U; op++) layout[op] = 'rr';
  const binaryRanges: [Op, Op][] = [
    [Op.I32Eq, Op.I32GeU], [Op.I64Eq, Op.I64GeU], [Op.F32Eq, Op.F32Ge], [Op.F64Eq, Op.F64Ge],
    [Op.I32Add, Op.I32Rotr], [Op.I64Add, Op.I64Rotr], [Op.F32Add, Op.F32Copysign], [Op.F64Add, Op.F64Copysign],
  ];
  for (const [from, to] of binaryRanges) set(from, to, 'rrr');
  set(Op.I32AddImm, Op.I32GeUImm, 'rri');
  set(Op.I64AddImm, Op.I64XorImm, 'rrL');
  set(Op.I64ShlImm, Op.I64RotlImm32, 'rri');
  layout[Op.I32MulAdd] = 'rrrr';
  layout[Op.I32ShlImmAdd] = 'rrir';
  layout[Op.I32MulImmAdd] = 'rrir';
  layout[Op.I32AddAdd] = 'rrrr';
  layout[Op.I32RotlImmXor] = 'rrir';
  layout[Op.I32XorRotlImm] = 'rrri';
  layout[Op.I64AddAdd] = 'rrrr';
  set(Op.I64RotlImmXor, Op.I64RotlImm32Xor, 'rrir');
  set(Op.I64XorRotlImm, Op.I64XorRotlImm32, 'rrri');
  layout[Op.I64MulImmAdd] = 'rrLr';
  layout[Op.I64MulAdd] = 'rrrr';
  layout[Op.I64RotlImmMulImm] = 'rrriL';
  layout[Op.I32LoadScaled] = 'rriii';
  layout[Op.I32LoadIndexed] = 'rrrii';
  layout[Op.I32LoadMul] = 'rriir';
  layout[Op.I32LoadMulAdd] = 'rriirr';
  set(Op.F64LoadAdd, Op.F64LoadMul, 'rriir');
  set(Op.I64LoadAdd, Op.I64LoadXor, 'rriir');
  set(Op.I64LoadXorRotlImm, Op.I64LoadXorRotlImm32, 'rriiri');
  layout[Op.I64LoadMulImm] = 'rriiL';
  layout[Op.I64LoadMulImmAdd] = 'rriiLr';
  layout[Op.I64LoadMulImmAddRotlImmMulImm] = 'rrriiLriL';
  set(Op.F64MulAdd, Op.F64MulMul, 'rrrr');
  layout[Op.I32AddImm2] = 'rrirri';
  layout[Op.GlobalGetAddImm] = 'rii';
  layout[Op.I32AddImmGlobalSet] = 'rrii';
  layout[Op.GlobalAddImm] = 'rii';
  layout[Op.I32AddImmBrIfNez] = 'rrit';
  layout[Op.I32AddImmBrIfNe] = 'rrirt';
  layout[Op.I32AddImmCopy] = 'rrir';
  layout[Op.CopyThenFuel] = 'rr';
  layout[Op.Const32ThenFuel] = 'ri';
  layout[Op.ReturnCall] = 'ir';
  layout[Op.ReturnCallIndirect] = 'iirr';
  set(Op.I32LoadM, Op.I64Load32UM, 'rriL');
  set(Op.I32StoreM, Op.I64Store32M, 'riLr');
  layout[Op.MemorySizeM] = 'ri';
  layout[Op.MemoryGrowM] = 'rri';
  layout[Op.MemoryFillM] = 'rrri';
  layout[Op.MemoryCopyM] = 'rrrii';
  layout[Op.MemoryInitM] = 'irrri';
  layout[Op.I64ToTableIndex] = 'rr';
  layout[Op.V128Copy] = 'rr';
  layout[Op.V128Select] = 'rrrr';
  layout[Op.V128Const] = 'riiii';
  layout[Op.V128ZeroLocals] = 'ii';
  layout[Op.V128GlobalGet] = 'ri';
  layout[Op.V128GlobalSet] = 'ir';
  layout[Op.V128Unary] = 'rri';
  layout[Op.V128Binary] = 'rrri';
  layout[Op.V128Ternary] = 'rrrri';
  layout[Op.V128Shift] = 'rrri';
  layout[Op.V128Splat] = 'rri';
  layout[Op.V128Extract] = 'rrii';
  layout[Op.V128Replace] = 'rrrii';
  layout[Op.V128Test] = 'rri';
  layout[Op.V128Shuffle] = 'rrriiii';
  layout[Op.V128Load] = 'rriii';
  layout[Op.V128Store] = 'riiri';
  layout[Op.V128LoadLane] = 'rriirii';
  layout[Op.V128StoreLane] = 'riirii';
  layout[Op.V128LoadM] = 'rriLii';
  layout[Op.V128StoreM] = 'riLiri';
  layout[Op.V128LoadLaneM] = 'rriLirii';
  layout[Op.V128StoreLaneM] = 'riLirii';
  layout[Op.Throw] = 'ir';
  layout[Op.ThrowRef] = 'r';
  layout[Op.FuelStop] = '';
  return layout;
}

/** Words of each op whose length does not depend on its operands; -1 for br_table-like ops. */
const FIXED_OP_LENGTH = Int32Array.from(OP_LAYOUT, (layout) =>
  layout.includes('n') ? -1 : 1 + layout.length + (layout.split('L').length - 1));

/** Number of code words an op occupies (opcode included), given the code and its position. */
export function opLength(code: Int32Array, pc: number): number {
  const fixed = FIXED_OP_LENGTH[code[pc]!]!;
  if (fixed >= 0) return fixed;
  const layout = OP_LAYOUT[code[pc]!]!;
  let words = 1;
  for (const kind of layout) {
    if (kind === 'L') words += 2;
    else if (kind === 'n') words += 1 + code[pc + words]! + 1;
    else words += 1;
  }
  return words;
}

/**
 * A function body lowered to IR. Produced by the validator, run by the executor.
 *
 * Lazy lowering: a module's bodies are validated in full before it can be
 * instantiated, but each is lowered only when first called. Until then `code`
 * is UNLOWERED_CODE and `frameSize` is UNLOWERED_FRAME_SIZE, which no register
 * file can hold, so the executor's call path always takes its slow "grow the
 * registers" branch for it, and lowers there (see `ensureLowered`): the hot path
 * pays nothing. Lowering is deterministic, so fuel is the same either way.
 */
export interface CompiledFunction {
  code: Int32Array;
  readonly numResults: number;
  /** Params, declared locals and any registers the lowering reserves after them. */
  readonly numLocals: number;
  /**
   * Registers zeroFrom .. numLocals-1 are zeroed on entry: the declared locals
   * from the first one some path may read before writing it, and the reserved ones.
   */
  zeroFrom: number;
  /** Registers the frame needs (locals, operand stack, temporaries). */
  frameSize: number;
  /** Declared (non-param) locals of reference type: their refs are set to null on entry. */
  readonly refLocals: Int32Array;
  /** The ValType of every parameter and declared local, in register order (the compiled tier types its variables by it). */
  readonly localTypes: Uint8Array;
  /** Present when the engine meters fuel; see the module comment. */
  fuelTrace: Int32Array | undefined;
  /** Where exceptions thrown in this function's try blocks land; null when it has none (set with `code`). */
  handlers: ExceptionTable | null;
  /** Lowers the body in place (setting code, zeroFrom, frameSize, fuelTrace and handlers); null once lowered. */
  lower: (() => void) | null;
}

/**
 * The try blocks of a function (exception handling), as code ranges. `regions` holds REGION_WORDS
 * per try block in the order the blocks open (so of two regions holding a pc, the later is the
 * inner one): start pc, end pc (exclusive), the region searched next when no clause matches (-1:
 * the caller; for a legacy `delegate` the region of its label), first clause, clause count.
 * `clauses` holds CLAUSE_WORDS per catch clause, in the order they are tried: tag index (-1: any),
 * target pc, first register of the payload, register of the exnref (-1: not kept).
 */
export interface ExceptionTable {
  readonly regions: Int32Array;
  readonly clauses: Int32Array;
}
export const REGION_WORDS = 5;
export const CLAUSE_WORDS = 4;

/** The code of a body not lowered yet: never executed, as its frameSize makes every call lower it first. */
export const UNLOWERED_CODE = Int32Array.of(Op.Unreachable);
/**
 * Larger than any register file can be (2^30 slots would be 8 GiB), yet a
 * small integer, so V8 keeps every frameSize field an unboxed small integer.
 */
export const UNLOWERED_FRAME_SIZE = 0x3fffffff;

/** Lowers `func` now unless it already is. */
export function ensureLowered(func: CompiledFunction): void {
  if (func.lower !== null) func.lower();
}

const signatureIds = new Map<string, number>();

/**
 * A process-wide id for a function signature, so call_indirect compares two
 * integers. Equal signatures (across modules and engines) get equal ids.
 */
export function signatureId(params: readonly number[], results: readonly number[]): number {
  const key = `${params.join(',')}:${results.join(',')}`;
  let id = signatureIds.get(key);
  if (id === undefined) {
    id = signatureIds.size;
    signatureIds.set(key, id);
  }
  return id;
}
