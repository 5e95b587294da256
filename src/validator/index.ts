/**
 * Module validation (WebAssembly 2.0, with SIMD and relaxed SIMD unless disabled). Checks the module-level
 * rules here and hands every function body to FunctionCompiler, which
 * validates it and lowers it to the register IR in the same pass.
 */
import { ALL_FEATURES, featureDisabled, type Features } from '../decoder/features.js';
import { CompileError } from '../errors.js';
import {
  type ConstExprAt,
  type DecodedModule,
  type FuncType,
  type GlobalType,
  type Limits,
  type MemoryType,
  type TableType,
  ValType,
} from '../decoder/module.js';
import { type CompiledFunction, signatureId } from '../interpreter/ir.js';
import type { FuelCosts } from '../interpreter/fuel.js';
import { FunctionCompiler, type ModuleContext } from './function.js';
import { MAX_PAGES, MAX_PAGES_64 } from '../interpreter/memory.js';
import { valTypeName } from '../interpreter/values.js';
import { SIMD_DISABLED } from './simd-lowering.js';

export interface ValidatedModule {
  readonly decoded: DecodedModule;
  readonly numImportedFuncs: number;
  readonly numImportedGlobals: number;
  readonly numImportedTables: number;
  readonly numImportedMemories: number;
  /** Type of every function in the function space (imports first). */
  readonly funcTypes: readonly FuncType[];
  /** signatureId (ir.ts) of every function in the function space. */
  readonly funcSigIds: Int32Array;
  /** signatureId of every type in the type section. */
  readonly typeSigIds: Int32Array;
  /** The body of every defined function (index = funcIndex - numImportedFuncs), lowered or to be lowered on first call. */
  readonly funcs: readonly CompiledFunction[];
  readonly globalTypes: readonly GlobalType[]; // whole global space
  readonly tableTypes: readonly TableType[]; // whole table space
  readonly memoryTypes: readonly MemoryType[]; // whole memory space
  readonly numImportedTags: number;
  /** The function type of every tag (exception handling), imports first. */
  readonly tagTypes: readonly FuncType[];
}

export interface ValidateOptions {
  /** undefined: no fuel metering (no Fuel ops, no fuel traces). */
  readonly fuelCosts: FuelCosts | undefined;
  /** Lower each function on its first call (ir.ts) instead of now. */
  readonly lazyLowering: boolean;
  /** The 3.0 features the module may use (default: all). */
  readonly features?: Features;
  /** Accept SIMD (v128 and the 0xFD instructions); when false they are a CompileError. */
  readonly simd: boolean;
}

/** Validates a decoded module and lowers its functions (now or lazily). Throws CompileError. */
export function validateModule(decoded: DecodedModule, options: ValidateOptions): ValidatedModule {
  const { types } = decoded;
  const features = options.features ?? ALL_FEATURES;
  if (!options.simd) rejectV128Types(decoded);
  const typeSigIds = Int32Array.from(types, (t) => signatureId(t.params, t.results));
  const funcTypeIndices: number[] = [];
  const globalTypes: GlobalType[] = [];
  const tableTypes: TableType[] = [];
  const memoryTypes: MemoryType[] = [];
  const tagTypes: FuncType[] = [];

  const typeAt = (index: number): FuncType => {
    const type = types[index];
    if (!type) throw new CompileError(`unknown type ${index}`);
    return type;
  };

  for (const { desc } of decoded.imports) {
    switch (desc.kind) {
      case 'func':
        typeAt(desc.typeIndex);
        funcTypeIndices.push(desc.typeIndex);
        break;
      case 'table':
        checkTableType(desc.type);
        tableTypes.push(desc.type);
        break;
      case 'memory':
        checkMemoryType(desc.type);
        memoryTypes.push(desc.type);
        break;
      case 'global':
        globalTypes.push(desc.type);
        break;
      case 'tag':
        tagTypes.push(tagType(typeAt(desc.typeIndex)));
        break;
    }
  }
  const numImportedTags = tagTypes.length;
  const numImportedFuncs = funcTypeIndices.length;
  const numImportedGlobals = globalTypes.length;
  const numImportedTables = tableTypes.length;
  const numImportedMemories = memoryTypes.length;

  if (decoded.funcTypeIndices.length !== decoded.codes.length) {
    throw new CompileError('function and code section have inconsistent lengths');
  }
  for (const typeIndex of decoded.funcTypeIndices) {
    typeAt(typeIndex);
    funcTypeIndices.push(typeIndex);
  }
  const funcTypes = funcTypeIndices.map((i) => types[i]!);
  const funcSigIds = Int32Array.from(funcTypeIndices, (i) => typeSigIds[i]!);
  const numFuncs = funcTypes.length;

  for (const table of decoded.tables) {
    checkTableType(table);
    tableTypes.push(table);
  }
  for (const memory of decoded.memories) {
    checkMemoryType(memory);
    memoryTypes.push(memory);
  }
  for (const typeIndex of decoded.tags) tagTypes.push(tagType(typeAt(typeIndex)));
  if (memoryTypes.length > 1 && !features.multiMemory) throw new CompileError(`multiple memories ${featureDisabled('multiMemory')}`);

  // C.refs: every function named outside function bodies (and start) may be referenced by ref.func.
  const declaredFuncs = new Uint8Array(numFuncs);
  /**
   * Type of a constant expression. global.get may name an immutable global: in
   * 2.0 an imported one, with extended constants (3.0) any one defined before.
   */
  const constExprType = ({ expr, offset }: ConstExprAt): ValType => {
    switch (expr.op) {
      case 'i32.const':
        return ValType.I32;
      case 'i64.const':
        return ValType.I64;
      case 'f32.const':
        return ValType.F32;
      case 'f64.const':
        return ValType.F64;
      case 'v128.const':
        return ValType.V128;
      case 'ref.null':
        return expr.type;
      case 'ref.func':
        if (expr.funcIndex >= numFuncs) throw new CompileError(`unknown function ${expr.funcIndex}`, offset);
        declaredFuncs[expr.funcIndex] = 1;
        return ValType.FuncRef;
      case 'global.get': {
        const visible = features.extendedConst ? globalTypes.length : numImportedGlobals;
        const global = expr.globalIndex < visible ? globalTypes[expr.globalIndex] : undefined;
        if (!global) throw new CompileError(`unknown global ${expr.globalIndex}`, offset);
        if (global.mutable) throw new CompileError('constant expression required', offset);
        return global.valueType;
      }
      default: {
        const type = expr.op.startsWith('i32') ? ValType.I32 : ValType.I64;
        for (const operand of [expr.left, expr.right]) {
          const actual = constExprType({ expr: operand, offset });
          if (actual !== type) {
            throw new CompileError(`type mismatch: ${expr.op} in a constant expression got ${valTypeName(actual)}`, offset);
          }
        }
        return type;
      }
    }
  };
  const checkConstExpr = (init: ConstExprAt, expected: ValType): void => {
    const actual = constExprType(init);
    if (actual !== expected) {
      throw new CompileError(
        `type mismatch: constant expression has type ${valTypeName(actual)}, expected ${valTypeName(expected)}`,
        init.offset,
      );
    }
  };

  for (const global of decoded.globals) {
    checkConstExpr(global.init, global.type.valueType);
    globalTypes.push(global.type);
  }

  const exportNames = new Set<string>();
  for (const { name, kind, index } of decoded.exports) {
    if (exportNames.has(name)) throw new CompileError(`duplicate export name ${JSON.stringify(name)}`);
    exportNames.add(name);
    const count = { func: numFuncs, table: tableTypes.length, memory: memoryTypes.length, global: globalTypes.length, tag: tagTypes.length }[kind];
    if (index >= count) throw new CompileError(`unknown ${kind === 'func' ? 'function' : kind} ${index}`);
    if (kind === 'func') declaredFuncs[index] = 1;
  }

  if (decoded.start !== undefined) {
    const type = funcTypes[decoded.start];
    if (!type) throw new CompileError(`unknown function ${decoded.start}`);
    if (type.params.length > 0 || type.results.length > 0) throw new CompileError('start function must have type [] -> []');
  }

  for (const elem of decoded.elems) {
    if (elem.mode.kind === 'active') {
      const table = tableTypes[elem.mode.tableIndex];
      if (!table) throw new CompileError(`unknown table ${elem.mode.tableIndex}`, elem.mode.offset.offset);
      checkConstExpr(elem.mode.offset, table.is64 ? ValType.I64 : ValType.I32);
      if (table.elemType !== elem.type) {
        throw new CompileError('type mismatch: element segment and table types differ', elem.mode.offset.offset);
      }
    }
    for (const init of elem.init) checkConstExpr(init, elem.type);
  }

  for (const data of decoded.datas) {
    if (data.mode.kind === 'active') {
      if (data.mode.memoryIndex >= memoryTypes.length) {
        const why = data.mode.memoryIndex > 0 && !features.multiMemory ? ` ${featureDisabled('multiMemory')}` : '';
        throw new CompileError(`unknown memory ${data.mode.memoryIndex}${why}`, data.mode.offset.offset);
      }
      checkConstExpr(data.mode.offset, memoryTypes[data.mode.memoryIndex]!.is64 ? ValType.I64 : ValType.I32);
    }
  }

  const context: ModuleContext = {
    types,
    typeSigIds,
    funcTypes,
    globalTypes,
    tableTypes,
    memoryTypes,
    elemTypes: decoded.elems.map((e) => e.type),
    dataCount: decoded.dataCount,
    numDataSegments: decoded.datas.length,
    declaredFuncs,
    features,
    tagTypes,
  };
  const compiler = new FunctionCompiler(context, decoded.bytes, options.fuelCosts, options.simd);
  const funcs = decoded.codes.map((body, i) => {
    const type = funcTypes[numImportedFuncs + i]!;
    return options.lazyLowering ? compiler.validate(body, type) : compiler.compile(body, type);
  });

  return {
    decoded,
    numImportedFuncs,
    numImportedGlobals,
    numImportedTables,
    numImportedMemories,
    funcTypes,
    funcSigIds,
    typeSigIds,
    funcs,
    globalTypes,
    tableTypes,
    memoryTypes,
    numImportedTags,
    tagTypes,
  };
}

/** A tag's type is a function type without results (its params are the exception's payload). */
function tagType(type: FuncType): FuncType {
  if (type.results.length > 0) throw new CompileError('non-empty tag result type');
  return type;
}

/** With SIMD disabled, v128 in a function type, an imported or defined global is a CompileError. */
function rejectV128Types(decoded: DecodedModule): void {
  const importedGlobals = decoded.imports.flatMap(({ desc }) => (desc.kind === 'global' ? [desc.type] : []));
  const usesV128 =
    decoded.types.some((t) => t.params.includes(ValType.V128) || t.results.includes(ValType.V128)) ||
    [...importedGlobals, ...decoded.globals.map((g) => g.type)].some((g) => g.valueType === ValType.V128);
  if (usesV128) throw new CompileError(SIMD_DISABLED);
}

function checkLimits(limits: Limits): void {
  if (limits.max !== undefined && limits.min > limits.max) {
    throw new CompileError('size minimum must not be greater than maximum');
  }
}

function checkTableType(type: TableType): void {
  checkLimits(type.limits);
}

function checkMemoryType(type: MemoryType): void {
  const { min, max } = type.limits;
  const maxPages = type.is64 ? MAX_PAGES_64 : MAX_PAGES;
  if (min > maxPages || (max !== undefined && max > maxPages)) {
    throw new CompileError(type.is64 ? 'memory size must be at most 2^48 pages' : 'memory size must be at most 65536 pages (4GiB)');
  }
  checkLimits(type.limits);
}
