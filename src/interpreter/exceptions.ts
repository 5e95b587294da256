/**
 * Exception handling at run time: throwing an exception and finding where it
 * lands. A throw searches the exception tables (ir.ts ExceptionTable) of the
 * frames on the explicit frame stack, innermost first, without JS recursion;
 * the first matching catch clause gets the payload (and the exnref) in its
 * registers and execution continues at its target. An exception no frame of
 * the run catches ends the run like a trap, with a WasmException as its error:
 * so it crosses host functions (and the compiled tier's frames, which never
 * hold handlers) the way every trap does, and a Call op that sees it coming
 * back from a host function throws it on in the calling frame.
 */
import { ValType } from '../decoder/module.js';
import { RuntimeError, TRAP_MESSAGES } from '../errors.js';
import { ExceptionInstance, TagInstance } from './exception-instance.js';
import type { FunctionInstance } from './function.js';
import { CLAUSE_WORDS, REGION_WORDS } from './ir.js';
import type { Machine } from './machine.js';
import { checkRef, decodeNumber, encodeNumber, isRefType, readSlot, valTypeName, writeSlot } from './values.js';

export { ExceptionInstance, TagInstance };

const words = new Int32Array(4);

/** The payload of `tag` in API form (numbers, bigints, references) to raw values; TypeError on a mismatch. */
function rawPayload(tag: TagInstance, payload: readonly unknown[]): unknown[] {
  const params = tag.funcType.params;
  if (!Array.isArray(payload) || payload.length !== params.length) {
    throw new TypeError(`the tag's payload is ${params.length} values (${params.map(valTypeName).join(', ')})`);
  }
  return params.map((type, i) => {
    if (isRefType(type)) return checkRef(type, payload[i]);
    encodeNumber(type, payload[i], false, words, 0);
    return decodeNumber(type, true, words, 0);
  });
}

/** Raw payload values to API form. */
function apiPayload(exception: ExceptionInstance): unknown[] {
  const params = exception.tag.funcType.params;
  return exception.values.map((value, i) => {
    const type = params[i]!;
    if (isRefType(type) || type === ValType.I32 || type === ValType.I64 || type === ValType.V128) return value;
    encodeNumber(type, value, true, words, 0);
    return decodeNumber(type, false, words, 0);
  });
}

/**
 * A Wasm exception in JavaScript: what a call throws when no handler caught the
 * exception, and what a host function throws to raise one in Wasm.
 * `.trap` is 'uncaughtException', so code that treats every failed call alike
 * (as a RuntimeError) keeps working.
 */
export class WasmException extends RuntimeError {
  override name = 'WasmException';
  /** The exception itself (an exnref value; thrown on unchanged when it passes through a host function). */
  readonly exception: ExceptionInstance;

  /** An exception of `tag` with `payload`, one value per tag parameter (as the API passes values). */
  constructor(tag: TagInstance, payload: readonly unknown[]);
  /** @internal */
  constructor(exception: ExceptionInstance);
  constructor(tagOrException: TagInstance | ExceptionInstance, payload?: readonly unknown[]) {
    let exception: ExceptionInstance;
    if (tagOrException instanceof ExceptionInstance) exception = tagOrException;
    else if (tagOrException instanceof TagInstance) exception = new ExceptionInstance(tagOrException, rawPayload(tagOrException, payload ?? []));
    else throw new TypeError('a WasmException needs a Tag');
    super('uncaughtException', `${TRAP_MESSAGES.uncaughtException} of tag ${exception.tag.name ?? '(unnamed)'}`);
    this.exception = exception;
  }

  get tag(): TagInstance {
    return this.exception.tag;
  }

  /** The payload, one value per tag parameter, as the API passes values (f32/f64 as numbers). */
  get payload(): unknown[] {
    return apiPayload(this.exception);
  }
}

/** The exception of tag `tag` whose payload is in slots `slot`.. (a Throw op). */
export function exceptionFromSlots(m: Machine, tag: TagInstance, slot: number): ExceptionInstance {
  const params = tag.funcType.params;
  const values = new Array<unknown>(params.length);
  for (let i = 0; i < params.length; i++) values[i] = readSlot(m, slot + i, params[i]!, true);
  return new ExceptionInstance(tag, values);
}

/** The clause (index into the clauses) of `func` that catches `exception` thrown at `pc`, or -1. */
function findClause(func: FunctionInstance, pc: number, exception: ExceptionInstance): number {
  const table = func.compiled!.handlers;
  if (table === null) return -1;
  const { regions, clauses } = table;
  // Of the regions holding pc, the one opened last is the innermost (ir.ts).
  let region = regions.length / REGION_WORDS - 1;
  while (region >= 0 && !(regions[region * REGION_WORDS]! <= pc && pc < regions[region * REGION_WORDS + 1]!)) region--;
  const tags = func.ctx!.tags;
  while (region >= 0) {
    const at = region * REGION_WORDS;
    const first = regions[at + 3]!;
    const end = first + regions[at + 4]!;
    for (let clause = first; clause < end; clause++) {
      const tagIndex = clauses[clause * CLAUSE_WORDS]!;
      if (tagIndex < 0 || tags[tagIndex] === exception.tag) return clause;
    }
    region = regions[at + 2]!;
  }
  return -1;
}

/**
 * Throws `exception` at `pc` of `func` (the frame at fp, `depth` frames
 * active, the run entered at `entryDepth`). When a frame of this run catches
 * it: pops the frames above that one, delivers the payload, leaves the machine
 * stopped at the clause's target (as a run stopped between two slices) and
 * returns true. Otherwise changes nothing and returns false: the run ends as a
 * trap with the exception as its error.
 */
export function raise(m: Machine, exception: ExceptionInstance, func: FunctionInstance, pc: number, fp: number, depth: number, entryDepth: number): boolean {
  let d = depth;
  for (;;) {
    const clause = findClause(func, pc, exception);
    if (clause >= 0) {
      const profiler = m.profiler;
      if (profiler !== null) for (let k = depth; k > d; k--) profiler.exit(m.fuelBase - m.fuel);
      deliver(m, exception, func.compiled!.handlers!.clauses, clause, fp);
      m.func = func;
      m.pc = func.compiled!.handlers!.clauses[clause * CLAUSE_WORDS + 1]!;
      m.fp = fp;
      m.depth = d;
      m.pendingEntry = -1;
      return true;
    }
    d--;
    if (d === entryDepth) return false;
    // A caller: its return pc follows the call op, so pc - 1 lies inside the call.
    pc = m.framePc[d]! - 1;
    fp = m.frameFp[d]!;
    func = m.frameFunc[d]!;
  }
}

function deliver(m: Machine, exception: ExceptionInstance, clauses: Int32Array, clause: number, fp: number): void {
  const at = clause * CLAUSE_WORDS;
  const exnReg = clauses[at + 3]!;
  if (clauses[at]! >= 0) {
    const dst = fp + clauses[at + 2]!;
    const params = exception.tag.funcType.params;
    for (let i = 0; i < params.length; i++) writeSlot(m, dst + i, params[i]!, exception.values[i], true);
  }
  if (exnReg >= 0) m.refs[fp + exnReg] = exception;
}
