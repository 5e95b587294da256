/**
 * S-expression reader for .wast scripts: lists, atoms and strings. Nodes keep
 * their source span so a text module can be handed to the text parser exactly
 * as written.
 */
import { stringBytes, Tok, tokenize } from '../src/text/lexer.js';

export interface SourcePos {
  /** Offset of the node's first character in the script text. */
  start: number;
  /** Offset just past the node's last character. */
  end: number;
  /** 1-based line of the node's first character. */
  line: number;
}
export interface SList extends SourcePos {
  kind: 'list';
  items: SExpr[];
}
export interface SAtom extends SourcePos {
  kind: 'atom';
  text: string;
}
export interface SString extends SourcePos {
  kind: 'string';
  /** The decoded bytes: `\hh` escapes can produce any byte, not only UTF-8. */
  bytes: Uint8Array;
}
export type SExpr = SList | SAtom | SString;

/**
 * Parses a whole script into its top-level s-expressions, with the text
 * format's own lexer (src/text/lexer.ts): the same tokens, strings, comments
 * and errors (a TextSyntaxError with line:column) as in modules. Annotations
 * are dropped; reserved tokens are read as atoms.
 */
export function parseSExprs(text: string): SExpr[] {
  const tokens = tokenize(text);
  // Lines by offset, advanced as the tokens go forward.
  let line = 1;
  let scanned = 0;
  const lineAt = (offset: number): number => {
    for (let nl = text.indexOf('\n', scanned); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) line++;
    scanned = Math.max(scanned, offset);
    return line;
  };
  let i = 0;
  const read = (): SExpr => {
    const start = tokens.start[i]!;
    const end = tokens.end[i]!;
    const nodeLine = lineAt(start);
    switch (tokens.kind[i] as Tok) {
      case Tok.String:
        i++;
        return { kind: 'string', bytes: stringBytes(text, start, end), start, end, line: nodeLine };
      case Tok.LParen: {
        const close = tokens.close[i]!;
        i++;
        const items: SExpr[] = [];
        while (i < close) items.push(read());
        i++;
        return { kind: 'list', items, start, end: tokens.end[close]!, line: nodeLine };
      }
      default:
        i++;
        return { kind: 'atom', text: text.slice(start, end), start, end, line: nodeLine };
    }
  };
  const result: SExpr[] = [];
  while (i < tokens.count) result.push(read());
  return result;
}

/** The keyword a list starts with (`module`, `assert_return`, `i32.const` ...), if any. */
export function head(expr: SExpr): string | undefined {
  if (expr.kind !== 'list') return undefined;
  const first = expr.items[0];
  return first?.kind === 'atom' ? first.text : undefined;
}

// ignoreBOM: a name may start with U+FEFF, which must not be stripped.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

export function stringText(expr: SString): string {
  return decodeUtf8(expr.bytes);
}
