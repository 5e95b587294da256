/**
 * The commands of a .wast script, read from its s-expressions: module
 * definitions, `register`, actions (`invoke`, `get`) and assertions.
 */
import { decodeUtf8, head, parseSExprs, stringText, type SExpr, type SList, type SString } from './sexpr.js';

/** Every command that counts as one assertion (the same set COUNTS.md counts). */
export const ASSERTION_KINDS = new Set([
  'assert_return',
  'assert_trap',
  'assert_exhaustion',
  'assert_exception',
  'assert_invalid',
  'assert_malformed',
  'assert_unlinkable',
  'assert_uninstantiable',
]);

export type ModuleSource =
  /** A module in the text format, exactly as written: `(module $id? field*)`. */
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  /** The concatenated strings of `(module quote ...)`, as text. */
  | { kind: 'quote'; text: string };

export interface ModuleDef {
  id: string | undefined;
  source: ModuleSource;
  /** `(module definition ...)`: compiled only; `(module instance ...)` instantiates it. */
  definitionOnly: boolean;
}

export type Action =
  | { kind: 'invoke'; moduleId: string | undefined; name: string; args: SExpr[] }
  | { kind: 'get'; moduleId: string | undefined; name: string };

export type Command =
  | { kind: 'module'; module: ModuleDef }
  /** `(module instance $instance? $definition?)` */
  | { kind: 'module_instance'; instanceId: string | undefined; definitionId: string | undefined }
  | { kind: 'register'; as: string; moduleId: string | undefined }
  | { kind: 'action'; action: Action }
  | { kind: 'assert_return'; action: Action; results: SExpr[] }
  | { kind: 'assert_trap'; target: Action | ModuleDef }
  | { kind: 'assert_exhaustion' | 'assert_exception'; action: Action }
  | { kind: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable'; module: ModuleDef };

/** A top-level s-expression with what the runner needs to report on it. */
export interface ScriptEntry {
  expr: SExpr;
  /** The text `expr` was read from (its positions index into it). */
  source: string;
  line: number;
  /** The command's source text. */
  text: string;
  isAssertion: boolean;
}

const MODULE_FIELDS = new Set(['type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data']);

function entries(source: string): ScriptEntry[] {
  return parseSExprs(source).map((expr) => ({
    expr,
    source,
    line: expr.line,
    text: source.slice(expr.start, expr.end),
    isAssertion: ASSERTION_KINDS.has(head(expr) ?? ''),
  }));
}

export function readScript(source: string): ScriptEntry[] {
  const commands = entries(source);
  // A script of module fields only is one inline module, as in the reference interpreter.
  if (commands.length > 0 && commands.every((entry) => MODULE_FIELDS.has(head(entry.expr) ?? ''))) {
    return entries(`(module\n${source}\n)`).map((entry) => ({ ...entry, line: 1 }));
  }
  return commands;
}

export function countAssertions(source: string): number {
  return readScript(source).filter((entry) => entry.isAssertion).length;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function isId(expr: SExpr | undefined): expr is SExpr & { kind: 'atom' } {
  return expr?.kind === 'atom' && expr.text.startsWith('$');
}

function strings(items: SExpr[], what: string): SString[] {
  return items.map((item) => {
    if (item.kind !== 'string') throw new SyntaxError(`${what} takes only strings`);
    return item;
  });
}

function parseModule(expr: SList, source: string): ModuleDef {
  const definitionOnly = expr.items[1]?.kind === 'atom' && expr.items[1].text === 'definition';
  const second = expr.items[definitionOnly ? 2 : 1];
  const id = isId(second) ? second.text : undefined;
  const rest = expr.items.slice((definitionOnly ? 2 : 1) + (id === undefined ? 0 : 1));
  const mode = rest[0];
  if (mode?.kind === 'atom' && mode.text === 'binary') {
    const bytes = concatBytes(strings(rest.slice(1), 'module binary').map((s) => s.bytes));
    return { id, source: { kind: 'binary', bytes }, definitionOnly };
  }
  if (mode?.kind === 'atom' && mode.text === 'quote') {
    const bytes = concatBytes(strings(rest.slice(1), 'module quote').map((s) => s.bytes));
    return { id, source: { kind: 'quote', text: decodeUtf8(bytes) }, definitionOnly };
  }
  // The text parser reads the whole `(module definition? $id? field*)`.
  return { id, source: { kind: 'text', text: source.slice(expr.start, expr.end) }, definitionOnly };
}

function asList(expr: SExpr | undefined, what: string): SList {
  if (expr?.kind !== 'list') throw new SyntaxError(`expected ${what}`);
  return expr;
}

function parseAction(expr: SExpr | undefined): Action {
  const list = asList(expr, 'an action');
  const kind = head(list);
  if (kind !== 'invoke' && kind !== 'get') throw new SyntaxError(`unsupported action ${kind ?? '?'}`);
  const second = list.items[1];
  const moduleId = isId(second) ? second.text : undefined;
  const nameIndex = moduleId === undefined ? 1 : 2;
  const name = list.items[nameIndex];
  if (name?.kind !== 'string') throw new SyntaxError(`${kind} needs an export name`);
  const args = list.items.slice(nameIndex + 1);
  if (kind === 'get') {
    if (args.length > 0) throw new SyntaxError('get takes no arguments');
    return { kind, moduleId, name: stringText(name) };
  }
  return { kind, moduleId, name: stringText(name), args };
}

/** Reads one top-level command; throws SyntaxError for what the runner does not support. */
export function parseCommand(expr: SExpr, source: string): Command {
  const list = asList(expr, 'a command');
  const kind = head(list);
  const arg = list.items[1];
  switch (kind) {
    case 'module': {
      if (arg?.kind === 'atom' && arg.text === 'instance') {
        // `(module instance $instance? $definition?)`, as in the reference interpreter.
        const ids = list.items.slice(2);
        if (ids.length > 2 || !ids.every(isId)) throw new SyntaxError('module instance takes at most two identifiers');
        return { kind: 'module_instance', instanceId: ids[0]?.text, definitionId: ids[1]?.text };
      }
      return { kind, module: parseModule(list, source) };
    }
    case 'register': {
      if (arg?.kind !== 'string') throw new SyntaxError('register needs a name');
      const id = list.items[2];
      return { kind, as: stringText(arg), moduleId: isId(id) ? id.text : undefined };
    }
    case 'invoke':
    case 'get':
      return { kind: 'action', action: parseAction(list) };
    case 'assert_return':
      return { kind, action: parseAction(arg), results: list.items.slice(2) };
    case 'assert_trap': {
      const target = asList(arg, 'an action or module');
      return { kind, target: head(target) === 'module' ? parseModule(target, source) : parseAction(target) };
    }
    case 'assert_exhaustion':
    case 'assert_exception':
      return { kind, action: parseAction(arg) };
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_unlinkable':
    case 'assert_uninstantiable': {
      const module = asList(arg, 'a module');
      if (head(module) !== 'module') throw new SyntaxError(`${kind} needs a module`);
      return { kind, module: parseModule(module, source) };
    }
    default:
      throw new SyntaxError(`unsupported command ${kind ?? '?'}`);
  }
}
