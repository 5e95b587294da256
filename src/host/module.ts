import { decodeModule } from '../decoder/index.js';
import type { DecodedModule, ExternKind } from '../decoder/module.js';
import { CompileError } from '../errors.js';
import { moduleBinary } from '../text/source.js';
import { validateModule, type ValidatedModule } from '../validator/index.js';
import { checkEngine, type Engine } from './engine.js';
import {
  funcTypeToDesc, globalTypeToDesc, memoryTypeToDesc, tableTypeToDesc, tagTypeToDesc,
  type ExportType, type ExternType, type ImportType,
} from './types.js';

function toBytes(bytes: Uint8Array | ArrayBuffer | string): Uint8Array | string {
  if (typeof bytes === 'string') return bytes;
  if (bytes instanceof Uint8Array) return bytes.slice(); // a private copy: the caller may reuse its buffer
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes.slice(0));
  throw new TypeError('a module must be a Uint8Array, an ArrayBuffer or a string of WebAssembly text');
}

export interface ModuleOptions {
  /** Accept only the binary format (the spec's JS API does); by default text is accepted too. */
  readonly binaryOnly?: boolean;
}

function asBinary(input: Uint8Array | string): Uint8Array {
  if (typeof input === 'string') throw new CompileError('expected a binary module, got a string');
  return input;
}

/** A decoded, validated and compiled module, ready to be instantiated any number of times. */
export class Module {
  readonly engine: Engine;
  /** @internal */
  readonly validated: ValidatedModule;

  /**
   * `source` is a binary module, or a module in the text format: a string, or
   * UTF-8 bytes whose first token is a `(` (src/text/source.ts). Throws
   * CompileError for a malformed or invalid module (text errors name the line
   * and column).
   */
  constructor(engine: Engine, source: Uint8Array | ArrayBuffer | string, options: ModuleOptions = {}) {
    checkEngine(engine, 'a Module');
    this.engine = engine;
    const config = engine.config;
    const input = toBytes(source);
    try {
      const binary = options.binaryOnly === true ? asBinary(input) : moduleBinary(input);
      this.validated = validateModule(decodeModule(binary, config.features), {
        fuelCosts: config.consumeFuel ? config.fuelCosts : undefined,
        lazyLowering: config.lazyLowering,
        features: config.features,
        simd: config.features.simd,
      });
    } catch (error) {
      if (error instanceof CompileError) throw error;
      // E.g. a JS stack overflow on absurd nesting: bad input must still surface as a CompileError.
      throw new CompileError(`cannot compile module: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  static validate(engine: Engine, source: Uint8Array | ArrayBuffer | string, options: ModuleOptions = {}): boolean {
    try {
      new Module(engine, source, options);
      return true;
    } catch (error) {
      if (error instanceof CompileError) return false;
      throw error;
    }
  }

  /** @internal */
  get decoded(): DecodedModule {
    return this.validated.decoded;
  }

  /** The type of item `index` of an index space (imports first). */
  private externType(kind: ExternKind, index: number): ExternType {
    const v = this.validated;
    switch (kind) {
      case 'func': return funcTypeToDesc(v.funcTypes[index]!);
      case 'table': return tableTypeToDesc(v.tableTypes[index]!);
      case 'memory': return memoryTypeToDesc(v.memoryTypes[index]!);
      case 'global': return globalTypeToDesc(v.globalTypes[index]!);
      case 'tag': return tagTypeToDesc(v.tagTypes[index]!);
    }
  }

  imports(): ImportType[] {
    const counters = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
    return this.decoded.imports.map((imp) => {
      const kind = imp.desc.kind;
      return { module: imp.module, name: imp.name, kind, type: this.externType(kind, counters[kind]++) };
    });
  }

  exports(): ExportType[] {
    return this.decoded.exports.map((exp) => ({ name: exp.name, kind: exp.kind, type: this.externType(exp.kind, exp.index) }));
  }

  /** The contents of every custom section called `name`, in order. */
  customSections(name: string): Uint8Array[] {
    return this.decoded.customSections.filter((section) => section.name === name).map((section) => section.bytes.slice());
  }
}
