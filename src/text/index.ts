/** The WebAssembly text format: parsing to the binary format, and printing binaries as text. */
export { parseWat, type ParseOptions } from './parser.js';
export { TextSyntaxError } from './lexer.js';
export { printModule } from './print.js';
export { isModuleText, moduleBinary } from './source.js';
