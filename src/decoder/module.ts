/**
 * The decoded form of a module: what the decoder produces and the validator and
 * instantiation consume. Function bodies stay as byte ranges; the validator reads
 * their instructions (it decodes and type-checks in one pass).
 */

/** Value types as their binary encodings. */
export const enum ValType {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
  /** Exception handling (3.0): a caught exception. */
  ExnRef = 0x69,
}

export type RefType = ValType.FuncRef | ValType.ExternRef | ValType.ExnRef;

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface Limits {
  readonly min: number;
  /** undefined when absent. */
  readonly max: number | undefined;
}

export interface TableType {
  readonly elemType: RefType;
  readonly limits: Limits;
  /** table64 (3.0): indexed by i64. */
  readonly is64: boolean;
}

export interface MemoryType {
  /** In 64 KiB pages. */
  readonly limits: Limits;
  /** memory64 (3.0): addressed by i64. */
  readonly is64: boolean;
}

export interface GlobalType {
  readonly valueType: ValType;
  readonly mutable: boolean;
}

export type ImportDesc =
  | { readonly kind: 'func'; readonly typeIndex: number }
  | { readonly kind: 'table'; readonly type: TableType }
  | { readonly kind: 'memory'; readonly type: MemoryType }
  | { readonly kind: 'global'; readonly type: GlobalType }
  /** Exception handling (3.0): a tag of function type `typeIndex` (no results). */
  | { readonly kind: 'tag'; readonly typeIndex: number };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
}

/**
 * A constant expression, already decoded (the grammar is tiny). The validator
 * checks its type and the globals/functions it names.
 */
export type ConstExpr =
  | { readonly op: 'i32.const'; readonly value: number }
  | { readonly op: 'i64.const'; readonly value: bigint }
  /** Float constants keep their exact bits: f32 as a u32, f64 as a u64. */
  | { readonly op: 'f32.const'; readonly bits: number }
  | { readonly op: 'f64.const'; readonly bits: bigint }
  | { readonly op: 'v128.const'; readonly bytes: Uint8Array }
  | { readonly op: 'ref.null'; readonly type: RefType }
  | { readonly op: 'ref.func'; readonly funcIndex: number }
  | { readonly op: 'global.get'; readonly globalIndex: number }
  /** Extended constant expressions (3.0): i32/i64 add, sub, mul of two constant expressions. */
  | { readonly op: ConstBinaryOp; readonly left: ConstExpr; readonly right: ConstExpr };

export type ConstBinaryOp = 'i32.add' | 'i32.sub' | 'i32.mul' | 'i64.add' | 'i64.sub' | 'i64.mul';

export interface ConstExprAt {
  readonly expr: ConstExpr;
  /** Byte offset of the expression, for error messages. */
  readonly offset: number;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: ConstExprAt;
}

export type ElemMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'declarative' }
  | { readonly kind: 'active'; readonly tableIndex: number; readonly offset: ConstExprAt };

export interface ElemSegment {
  readonly type: RefType;
  readonly mode: ElemMode;
  /** Every element as a constant expression (function-index forms are turned into ref.func). */
  readonly init: readonly ConstExprAt[];
}

export type DataMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'active'; readonly memoryIndex: number; readonly offset: ConstExprAt };

export interface DataSegment {
  readonly mode: DataMode;
  readonly bytes: Uint8Array;
}

export interface FunctionBody {
  /** Local declarations after the parameters, run-length decoded (count, type). */
  readonly locals: readonly { readonly count: number; readonly type: ValType }[];
  /** Total number of declared locals (excluding params). Checked to fit in 2^32 - 1... */
  readonly localCount: number;
  /** Byte range of the instruction sequence (including the final `end`) within `bytes`. */
  readonly codeStart: number;
  readonly codeEnd: number;
}

export interface CustomSection {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface DecodedModule {
  /** The whole binary; function bodies point into it. */
  readonly bytes: Uint8Array;
  readonly types: readonly FuncType[];
  readonly imports: readonly Import[];
  /** Type index of each function defined in the module (the function section). */
  readonly funcTypeIndices: readonly number[];
  readonly tables: readonly TableType[];
  readonly memories: readonly MemoryType[];
  readonly globals: readonly Global[];
  /** The tag section (exception handling): the type index of every defined tag. */
  readonly tags: readonly number[];
  readonly exports: readonly Export[];
  readonly start: number | undefined;
  readonly elems: readonly ElemSegment[];
  /** The data count section's value, when present. */
  readonly dataCount: number | undefined;
  readonly codes: readonly FunctionBody[];
  readonly datas: readonly DataSegment[];
  readonly customSections: readonly CustomSection[];
  /** Function names from the `name` custom section (function index -> name); malformed name sections are ignored. */
  readonly funcNames: ReadonlyMap<number, string>;
}
