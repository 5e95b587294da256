/**
 * The WebAssembly 2.0 binary decoder: header, section framing and order, and
 * the cross-section length checks. Function bodies stay byte ranges; the
 * validator decodes their instructions while it type-checks them.
 */
import { decodeFunctionNames, NAME_SECTION, readCustomSection } from './custom.js';
import { ALL_FEATURES, type Features } from './features.js';
import type { CustomSection, DecodedModule } from './module.js';
import { ByteReader } from './reader.js';
import {
  readCodeSection,
  readDataCountSection,
  readDataSection,
  readElementSection,
  readExportSection,
  readFunctionSection,
  readGlobalSection,
  readImportSection,
  readMemorySection,
  readStartSection,
  readTableSection,
  readTagSection,
  readTypeSection,
} from './sections.js';

export { MAX_FUNCTION_LOCALS } from './sections.js';

/** "\0asm" and version 1, read as little-endian u32s. */
const MAGIC = 0x6d736100;
const VERSION = 1;

const enum SectionId {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
  DataCount = 12,
  /** Exception handling (3.0): sits between the memory and global sections. */
  Tag = 13,
}

/** Position of each non-custom section in the required order (data count sits between element and code). */
const SECTION_RANK: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10, 5.5];
const SECTION_NAMES: readonly string[] = [
  'custom', 'type', 'import', 'function', 'table', 'memory', 'global',
  'export', 'start', 'element', 'code', 'data', 'data count', 'tag',
];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function decodeModule(bytes: Uint8Array, features: Features = ALL_FEATURES): DecodedModule {
  const r = new ByteReader(bytes, 0, bytes.length, features);
  readHeader(r);

  const module: Mutable<DecodedModule> = {
    bytes,
    types: [],
    imports: [],
    funcTypeIndices: [],
    tables: [],
    memories: [],
    globals: [],
    tags: [],
    exports: [],
    start: undefined,
    elems: [],
    dataCount: undefined,
    codes: [],
    datas: [],
    customSections: [],
    funcNames: new Map(),
  };
  const customSections: CustomSection[] = [];
  let nameSectionSeen = false;
  let lastRank = 0;
  let functionSectionAt = -1;
  let dataCountAt = -1;
  let sawCode = false;
  let sawData = false;

  while (!r.atEnd) {
    const idAt = r.pos;
    const id = r.u8();
    if (id >= SECTION_RANK.length) r.fail(`malformed section id ${id}`, idAt);
    const sizeAt = r.pos;
    const size = r.u32();
    if (size > bytes.length - r.pos) r.fail('length out of bounds: section size exceeds the module', sizeAt);
    const sectionEnd = r.pos + size;
    r.end = sectionEnd;

    if (id === SectionId.Custom) {
      const section = readCustomSection(r);
      customSections.push(section);
      if (section.name === NAME_SECTION && !nameSectionSeen) {
        nameSectionSeen = true;
        module.funcNames = decodeFunctionNames(section.bytes);
      }
    } else {
      const rank = SECTION_RANK[id]!;
      if (rank <= lastRank) {
        r.fail(`unexpected content after last section: ${SECTION_NAMES[id]} section duplicated or out of order`, idAt);
      }
      lastRank = rank;
      switch (id) {
        case SectionId.Type:
          module.types = readTypeSection(r);
          break;
        case SectionId.Import:
          module.imports = readImportSection(r);
          break;
        case SectionId.Function:
          functionSectionAt = idAt;
          module.funcTypeIndices = readFunctionSection(r);
          break;
        case SectionId.Table:
          module.tables = readTableSection(r);
          break;
        case SectionId.Memory:
          module.memories = readMemorySection(r);
          break;
        case SectionId.Tag:
          r.requireFeature('exceptions', 'malformed section id 13 (tag)', idAt);
          module.tags = readTagSection(r);
          break;
        case SectionId.Global:
          module.globals = readGlobalSection(r);
          break;
        case SectionId.Export:
          module.exports = readExportSection(r);
          break;
        case SectionId.Start:
          module.start = readStartSection(r);
          break;
        case SectionId.Element:
          module.elems = readElementSection(r);
          break;
        case SectionId.DataCount:
          dataCountAt = idAt;
          module.dataCount = readDataCountSection(r);
          break;
        case SectionId.Code:
          sawCode = true;
          module.codes = readCodeSection(r, module.funcTypeIndices.length);
          break;
        case SectionId.Data:
          sawData = true;
          module.datas = readDataSection(r, module.dataCount);
          break;
      }
    }
    if (r.pos !== sectionEnd) r.fail(`section size mismatch: ${SECTION_NAMES[id]} section content ends before its declared size`, r.pos);
    r.end = bytes.length;
  }

  if (!sawCode && module.funcTypeIndices.length > 0) {
    r.fail(
      `function and code section have inconsistent lengths (${module.funcTypeIndices.length} functions, no code section)`,
      functionSectionAt,
    );
  }
  if (!sawData && module.dataCount !== undefined && module.dataCount > 0) {
    r.fail(`data count and data section have inconsistent lengths (data count ${module.dataCount}, no data section)`, dataCountAt);
  }
  module.customSections = customSections;
  return module;
}

function readHeader(r: ByteReader): void {
  if (r.fixedU32() !== MAGIC) r.fail('magic header not detected: not a WebAssembly binary', 0);
  if (r.fixedU32() !== VERSION) r.fail('unknown binary version (expected 1)', 4);
}
