/**
 * The WebAssembly text format's tokens: parentheses, atoms (keywords, numbers
 * and reserved words, told apart by the parser), identifiers, strings.
 * Whitespace, line and nested block comments are dropped, and so are
 * annotations `(@name ...)` (the custom-section annotation is kept: the
 * parser reads it). Tokens live in parallel arrays so large modules lex fast.
 */
import { decodeUtf8 } from '../decoder/utf8.js';
import { CompileError } from '../errors.js';

export const enum Tok {
  LParen,
  RParen,
  /** A run of idchars that is not an identifier: keyword, number or reserved word. */
  Atom,
  /** `$name` or `$"..."`. */
  Id,
  String,
  /** Characters that form no valid token (allowed only inside annotations). */
  Reserved,
}

/** A text-format syntax error: a CompileError that names the line and column. */
export class TextSyntaxError extends CompileError {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`${line}:${column}: ${message}`);
  }
}

/** 1-based line and column of `offset` in `text` (columns count UTF-16 units). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export function syntaxError(text: string, offset: number, message: string): TextSyntaxError {
  const { line, column } = lineColumn(text, offset);
  return new TextSyntaxError(message, line, column);
}

/** Characters an atom may hold (the spec's idchar). */
const ID_CHAR = new Uint8Array(128);
for (const ch of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&\'*+-./:<=>?@\\^_`|~') {
  ID_CHAR[ch.charCodeAt(0)] = 1;
}

/** Characters of a word: idchars and the reserved `, ; [ ] { }`. */
const WORD_CHAR = Uint8Array.from(ID_CHAR);
for (const ch of ',;[]{}') WORD_CHAR[ch.charCodeAt(0)] = 1;

export interface Tokens {
  readonly text: string;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  /** For a `(`, the index of its matching `)`. */
  readonly close: Uint32Array;
}

/** Appends UTF-8 of code point `cp` to `out`. */
export function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * The bytes of the string token starting at `start` (its opening quote); the
 * lexer has already checked its escapes. `\hh` escapes can make any byte.
 */
export function stringBytes(text: string, start: number, end: number): Uint8Array {
  const out: number[] = [];
  for (let i = start + 1; i < end - 1; ) {
    const code = text.charCodeAt(i);
    if (code !== 92) {
      const cp = text.codePointAt(i)!;
      pushUtf8(out, cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const esc = text.charCodeAt(i + 1);
    i += 2;
    switch (esc) {
      case 110: out.push(10); break; // n
      case 116: out.push(9); break; // t
      case 114: out.push(13); break; // r
      case 34: case 39: case 92: out.push(esc); break;
      case 117: { // u{...}
        let cp = 0;
        i++;
        for (; text.charCodeAt(i) !== 125; i++) if (text.charCodeAt(i) !== 95) cp = cp * 16 + hexValue(text.charCodeAt(i));
        i++;
        pushUtf8(out, cp);
        break;
      }
      default:
        out.push(hexValue(esc) * 16 + hexValue(text.charCodeAt(i)));
        i++;
    }
  }
  return Uint8Array.from(out);
}

/** Checks a string token's characters and escapes from `pos` (its opening quote); returns the offset after it. */
function scanString(text: string, pos: number): number {
  const open = pos;
  pos++;
  for (;;) {
    if (pos >= text.length) throw syntaxError(text, open, 'unterminated string: expected a closing "');
    const code = text.charCodeAt(pos);
    if (code === 34) return pos + 1;
    if (code < 0x20 || code === 0x7f) throw syntaxError(text, pos, 'control character in string: expected an escape such as \\n or \\hh');
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(pos + 1);
      if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) throw syntaxError(text, pos, 'malformed UTF-8 encoding: lone surrogate in string');
      pos += 2;
      continue;
    }
    if (code !== 92) {
      pos++;
      continue;
    }
    const esc = text.charCodeAt(pos + 1);
    if (esc === 110 || esc === 116 || esc === 114 || esc === 34 || esc === 39 || esc === 92) {
      pos += 2;
    } else if (esc === 117) {
      if (text.charCodeAt(pos + 2) !== 123) throw syntaxError(text, pos, 'bad escape: expected \\u{hex}');
      let i = pos + 3;
      let cp = 0;
      let digits = 0;
      let lastUnderscore = true;
      for (; i < text.length && text.charCodeAt(i) !== 125; i++) {
        const c = text.charCodeAt(i);
        if (c === 95 && !lastUnderscore) {
          lastUnderscore = true;
          continue;
        }
        const h = hexValue(c);
        if (h < 0) throw syntaxError(text, i, 'bad escape: expected a hex digit in \\u{...}');
        cp = cp * 16 + h;
        if (cp > 0x10ffff) throw syntaxError(text, pos, 'bad escape: code point above U+10FFFF');
        digits++;
        lastUnderscore = false;
      }
      if (digits === 0 || lastUnderscore || i >= text.length) throw syntaxError(text, pos, 'bad escape: expected \\u{hex}');
      if (cp >= 0xd800 && cp < 0xe000) throw syntaxError(text, pos, 'bad escape: surrogate code point');
      pos = i + 1;
    } else if (hexValue(esc) >= 0 && hexValue(text.charCodeAt(pos + 2)) >= 0) {
      pos += 3;
    } else {
      throw syntaxError(text, pos, 'unknown escape: expected \\n \\t \\r \\" \\\' \\\\ \\hh or \\u{hex}');
    }
  }
}

/** Skips a block comment starting at `pos` (at its `(;`); they nest. */
function skipBlockComment(text: string, pos: number): number {
  const open = pos;
  let depth = 0;
  while (pos < text.length) {
    const code = text.charCodeAt(pos);
    if (code === 40 && text.charCodeAt(pos + 1) === 59) {
      depth++;
      pos += 2;
    } else if (code === 59 && text.charCodeAt(pos + 1) === 41) {
      pos += 2;
      if (--depth === 0) return pos;
    } else {
      pos++;
    }
  }
  throw syntaxError(text, open, 'unclosed block comment: expected ;)');
}

/** The token arrays under construction (grown by doubling). */
class TokenBuffer {
  count = 0;
  kind = new Uint8Array(1024);
  start = new Uint32Array(1024);
  end = new Uint32Array(1024);
  close = new Uint32Array(1024);

  push(kind: Tok, start: number, end: number): void {
    if (this.count === this.kind.length) this.grow();
    this.kind[this.count] = kind;
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.count++;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const kind = new Uint8Array(size);
    kind.set(this.kind);
    this.kind = kind;
    const start = new Uint32Array(size);
    start.set(this.start);
    this.start = start;
    const end = new Uint32Array(size);
    end.set(this.end);
    this.end = end;
    const close = new Uint32Array(size);
    close.set(this.close);
    this.close = close;
  }
}

export function tokenize(text: string): Tokens {
  const tokens = new TokenBuffer();
  const open: number[] = [];
  /** Depth of `open` at which an annotation started, -1 outside annotations. */
  let annotationDepth = -1;
  /** Token count where the current annotation began (its tokens are dropped at its close). */
  let annotationStart = 0;

  let pos = 0;
  const length = text.length;
  while (pos < length) {
    const code = text.charCodeAt(pos);
    if (code === 32 || code === 10 || code === 9 || code === 13) {
      pos++;
    } else if (code === 40) {
      const next = text.charCodeAt(pos + 1);
      if (next === 59) {
        pos = skipBlockComment(text, pos);
        continue;
      }
      if (next === 64 && annotationDepth < 0) {
        // `(@id ...)`: an annotation. `(@custom ...)` is kept for the parser; others are dropped.
        let e = pos + 2;
        while (e < length && text.charCodeAt(e) < 128 && ID_CHAR[text.charCodeAt(e)]) e++;
        if (e === pos + 2 && text.charCodeAt(e) !== 34) throw syntaxError(text, pos, 'empty annotation id: expected a name after (@');
        if (e === pos + 2) {
          // `(@"name" ...)`: the name is a string, which must be a non-empty UTF-8 name.
          const nameEnd = scanString(text, e);
          const name = decodeUtf8(stringBytes(text, e, nameEnd));
          if (name === null) throw syntaxError(text, e, 'malformed UTF-8 encoding in annotation id');
          if (name.length === 0) throw syntaxError(text, pos, 'empty annotation id: expected a name after (@');
        }
        if (text.slice(pos + 2, e) !== 'custom') {
          annotationDepth = open.length;
          annotationStart = tokens.count;
        }
      }
      open.push(tokens.count);
      tokens.push(Tok.LParen, pos, pos + 1);
      pos++;
    } else if (code === 41) {
      const o = open.pop();
      if (o === undefined) throw syntaxError(text, pos, 'unexpected ): no ( to close');
      tokens.close[o] = tokens.count;
      tokens.push(Tok.RParen, pos, pos + 1);
      pos++;
      if (annotationDepth === open.length) {
        tokens.count = annotationStart;
        annotationDepth = -1;
      }
    } else if (code === 59 && text.charCodeAt(pos + 1) === 59) {
      // A line comment ends at a line feed or a carriage return.
      pos += 2;
      while (pos < length && text.charCodeAt(pos) !== 10 && text.charCodeAt(pos) !== 13) pos++;
    } else if (code === 34 || (code < 128 && WORD_CHAR[code])) {
      pos = scanWord(text, pos, tokens);
    } else {
      throw syntaxError(text, pos, `unexpected character ${JSON.stringify(String.fromCodePoint(text.codePointAt(pos)!))}: expected a token, whitespace or comment`);
    }
  }
  if (open.length > 0) throw syntaxError(text, tokens.start[open[open.length - 1]!]!, 'unclosed (: expected )');
  return { text, count: tokens.count, kind: tokens.kind, start: tokens.start, end: tokens.end, close: tokens.close };
}

/**
 * One token from `pos`: the longest run of idchars, strings and the reserved
 * characters `, ; [ ] { }` (up to whitespace, a parenthesis or a comment).
 * A string alone is a string, `$` and idchars or `$` and a string an
 * identifier, idchars alone an atom; anything else is a reserved token, which
 * only annotations may contain.
 */
function scanWord(text: string, pos: number, tokens: TokenBuffer): number {
  const start = pos;
  // The common case first: a run of idchars up to a delimiter.
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c >= 128 || !ID_CHAR[c]) break;
    pos++;
  }
  const stop = pos < text.length ? text.charCodeAt(pos) : 32;
  if (pos > start && (stop === 32 || stop === 10 || stop === 41 || stop === 40 || stop === 9 || stop === 13)) {
    const isId = text.charCodeAt(start) === 36;
    tokens.push(isId ? (pos - start > 1 ? Tok.Id : Tok.Reserved) : Tok.Atom, start, pos);
    return pos;
  }
  pos = start;
  let strings = 0;
  let others = 0;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c === 34) {
      pos = scanString(text, pos);
      strings++;
    } else if (c < 128 && WORD_CHAR[c] && !(c === 59 && text.charCodeAt(pos + 1) === 59)) {
      if (!ID_CHAR[c]) others++;
      pos++;
    } else {
      break;
    }
  }
  const first = text.charCodeAt(start);
  const length = pos - start;
  let kind = Tok.Reserved;
  if (strings === 1 && first === 34 && text.charCodeAt(pos - 1) === 34 && others === 0 && isOneString(text, start, pos)) kind = Tok.String;
  else if (strings === 0 && others === 0) kind = first === 36 ? (length > 1 ? Tok.Id : Tok.Reserved) : Tok.Atom;
  else if (strings === 1 && others === 0 && first === 36 && text.charCodeAt(start + 1) === 34 && text.charCodeAt(pos - 1) === 34) kind = Tok.Id;
  tokens.push(kind, start, pos);
  return pos;
}

/** Is text[start, end) exactly one string literal? */
function isOneString(text: string, start: number, end: number): boolean {
  return scanString(text, start) === end;
}
