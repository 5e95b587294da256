/** What the sandbox checks in a compiled guest before running anything: its imports and its entry point. */

import type { Module } from '../module.js';
import type { ExportType, ExternKind, ExternType, FuncTypeDesc } from '../types.js';
import type { SandboxConfig } from './config.js';
import { SandboxError } from './errors.js';
import { HOST_MODULE, type HostCatalog, type HostImport } from './host-functions.js';

function formatFuncType({ params, results }: FuncTypeDesc): string {
  return `(${params.join(', ')}) -> (${results.join(', ')})`;
}

function sameFuncType(a: FuncTypeDesc, b: FuncTypeDesc): boolean {
  return a.params.join() === b.params.join() && a.results.join() === b.results.join();
}

function describeExtern(kind: ExternKind, type: ExternType): string {
  return kind === 'func' ? `a function ${formatFuncType(type as FuncTypeDesc)}` : `a ${kind}`;
}

/**
 * The host functions the guest imports, by name. An import the runtime does not
 * offer, or offers with another type, is InstantiationFailed; one whose
 * capability the config does not grant is CapabilityDenied. Both name every
 * offending import.
 */
export function resolveHostImports(module: Module, catalog: HostCatalog, config: SandboxConfig): Map<string, HostImport> {
  const resolved = new Map<string, HostImport>();
  const unusable: string[] = [];
  const denied: string[] = [];
  const missingCapabilities = new Set<string>();
  for (const { module: moduleName, name, kind, type } of module.imports()) {
    const where = `${moduleName}.${name}`;
    const entry = moduleName === HOST_MODULE ? catalog.get(name) : undefined;
    if (entry === undefined) {
      unusable.push(`unknown import ${where} (${kind})`);
    } else if (kind !== 'func' || !sameFuncType(type as FuncTypeDesc, entry.type)) {
      unusable.push(`import ${where} is ${describeExtern(kind, type)}, but the sandbox's is a function ${formatFuncType(entry.type)}`);
    } else if (!config.grants(entry.capability)) {
      denied.push(`${where} needs capability '${entry.capability}'`);
      missingCapabilities.add(entry.capability);
    } else {
      resolved.set(name, entry);
    }
  }
  if (unusable.length > 0) {
    throw new SandboxError('InstantiationFailed', `${unusable.join('; ')}; the sandbox provides only ${catalog.importNames().join(', ')}`);
  }
  if (denied.length > 0) {
    const grant = [...missingCapabilities].map((name) => `'${name}'`).join(', ');
    throw new SandboxError(
      'CapabilityDenied',
      `the config does not grant what the guest imports: ${denied.join(', ')}; grant ${denied.length > 1 ? 'them' : 'it'} with withCapability(${grant}) or allowHostCalls()`,
    );
  }
  return resolved;
}

/** How the sandbox calls the guest: `execute(ptr, len) -> i32`, else `_start()`. */
export interface EntryPoint {
  readonly name: 'execute' | '_start';
  /** The i32 result of `execute` is the run's returnValue. */
  readonly returnsValue: boolean;
}

const EXECUTE_TYPE: FuncTypeDesc = { params: ['i32', 'i32'], results: ['i32'] };
const START_TYPE: FuncTypeDesc = { params: [], results: [] };

function checkEntryType(item: ExportType, expected: FuncTypeDesc): void {
  if (item.kind === 'func' && sameFuncType(item.type as FuncTypeDesc, expected)) return;
  throw new SandboxError(
    'ExecutionFailed',
    `the export '${item.name}' must be a function ${formatFuncType(expected)}, but it is ${describeExtern(item.kind, item.type)}`,
  );
}

/** Finds the entry point among the exports; ExecutionFailed when there is none or it has the wrong type. */
export function findEntryPoint(module: Module): EntryPoint {
  const exports = module.exports();
  const execute = exports.find((item) => item.name === 'execute');
  if (execute !== undefined) {
    checkEntryType(execute, EXECUTE_TYPE);
    return { name: 'execute', returnsValue: true };
  }
  const start = exports.find((item) => item.name === '_start');
  if (start !== undefined) {
    checkEntryType(start, START_TYPE);
    return { name: '_start', returnsValue: false };
  }
  const names = exports.map((item) => `'${item.name}' (${item.kind})`);
  throw new SandboxError(
    'ExecutionFailed',
    `the module has no entry point: it exports neither 'execute' ${formatFuncType(EXECUTE_TYPE)} nor '_start' ${formatFuncType(START_TYPE)}; `
      + (names.length > 0 ? `its exports are ${names.join(', ')}` : 'it exports nothing'),
  );
}
