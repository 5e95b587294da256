/**
 * S-expression reader for .wast scripts: lists, atoms and strings, with line
 * and block comments. Nodes keep their source span so a text module can be
 * handed to the text-to-binary converter exactly as written.
 */

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

export class WastSyntaxError extends Error {
  override name = 'WastSyntaxError';
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
  }
}

const utf8 = new TextEncoder();

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** Parses a whole script into its top-level s-expressions. */
export function parseSExprs(text: string): SExpr[] {
  let pos = 0;
  let line = 1;

  function skipSpaceAndComments(): void {
    while (pos < text.length) {
      const ch = text[pos]!;
      if (ch === '\n') {
        line++;
        pos++;
      } else if (isSpace(ch)) {
        pos++;
      } else if (ch === ';' && text[pos + 1] === ';') {
        while (pos < text.length && text[pos] !== '\n') pos++;
      } else if (ch === '(' && text[pos + 1] === ';') {
        skipBlockComment();
      } else {
        return;
      }
    }
  }

  /** Block comments nest: `(; (; ;) ;)` is one comment. */
  function skipBlockComment(): void {
    const startLine = line;
    let depth = 0;
    while (pos < text.length) {
      if (text[pos] === '(' && text[pos + 1] === ';') {
        depth++;
        pos += 2;
      } else if (text[pos] === ';' && text[pos + 1] === ')') {
        depth--;
        pos += 2;
        if (depth === 0) return;
      } else {
        if (text[pos] === '\n') line++;
        pos++;
      }
    }
    throw new WastSyntaxError('unterminated block comment', startLine);
  }

  function readString(): SString {
    const start = pos;
    const startLine = line;
    pos++; // opening quote
    const bytes: number[] = [];
    for (;;) {
      if (pos >= text.length) throw new WastSyntaxError('unterminated string', startLine);
      const ch = text[pos]!;
      if (ch === '"') {
        pos++;
        break;
      }
      if (ch === '\n') throw new WastSyntaxError('newline in string', line);
      if (ch !== '\\') {
        const cp = text.codePointAt(pos)!;
        const encoded = utf8.encode(String.fromCodePoint(cp));
        for (const b of encoded) bytes.push(b);
        pos += cp > 0xffff ? 2 : 1;
        continue;
      }
      const esc = text[pos + 1];
      pos += 2;
      switch (esc) {
        case 'n': bytes.push(0x0a); break;
        case 't': bytes.push(0x09); break;
        case 'r': bytes.push(0x0d); break;
        case '\\': bytes.push(0x5c); break;
        case "'": bytes.push(0x27); break;
        case '"': bytes.push(0x22); break;
        case 'u': {
          const close = text.indexOf('}', pos);
          if (text[pos] !== '{' || close < 0) throw new WastSyntaxError('bad \\u escape', line);
          const hex = text.slice(pos + 1, close).replace(/_/g, '');
          if (!/^[0-9a-fA-F]+$/.test(hex)) throw new WastSyntaxError('bad \\u escape', line);
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new WastSyntaxError('bad \\u code point', line);
          for (const b of utf8.encode(String.fromCodePoint(cp))) bytes.push(b);
          pos = close + 1;
          break;
        }
        default: {
          const hex = text.slice(pos - 1, pos + 1);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new WastSyntaxError(`bad escape \\${esc ?? ''}`, line);
          bytes.push(parseInt(hex, 16));
          pos++;
        }
      }
    }
    return { kind: 'string', bytes: Uint8Array.from(bytes), start, end: pos, line: startLine };
  }

  function readAtom(): SAtom {
    const start = pos;
    while (pos < text.length) {
      const ch = text[pos]!;
      if (isSpace(ch) || ch === '(' || ch === ')' || ch === '"') break;
      if (ch === ';' && text[pos + 1] === ';') break;
      pos++;
    }
    return { kind: 'atom', text: text.slice(start, pos), start, end: pos, line };
  }

  function readExpr(): SExpr {
    const ch = text[pos]!;
    if (ch === '"') return readString();
    if (ch !== '(') {
      if (ch === ')') throw new WastSyntaxError('unexpected )', line);
      return readAtom();
    }
    const start = pos;
    const startLine = line;
    pos++;
    const items: SExpr[] = [];
    for (;;) {
      skipSpaceAndComments();
      if (pos >= text.length) throw new WastSyntaxError('unclosed (', startLine);
      if (text[pos] === ')') {
        pos++;
        return { kind: 'list', items, start, end: pos, line: startLine };
      }
      items.push(readExpr());
    }
  }

  const result: SExpr[] = [];
  for (;;) {
    skipSpaceAndComments();
    if (pos >= text.length) return result;
    result.push(readExpr());
  }
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
