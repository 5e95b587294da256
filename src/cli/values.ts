/** Command-line text to WebAssembly values for --invoke, and results back to text or JSON. */

import { Func, type FuncTypeDesc, type ValTypeName, type Value } from '../index.js';
import { UsageError } from './failure.js';

const INTEGER = /^[+-]?(0x[0-9a-f]+|\d+)$/i;
const FLOAT = /^[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf|infinity|nan)$/i;

/** A signed or unsigned integer of `bits` bits as its signed value; null when out of range or malformed. */
function parseInteger(text: string, bits: number): bigint | null {
  if (!INTEGER.test(text)) return null;
  const magnitude = BigInt(text.replace(/^[+-]/, ''));
  const value = text.startsWith('-') ? -magnitude : magnitude;
  const limit = 1n << BigInt(bits);
  // Accepting both -2^(n-1).. and ..2^n-1 lets a bit pattern be written unsigned (0xffffffff).
  if (value < -(limit >> 1n) || value >= limit) return null;
  return BigInt.asIntN(bits, value);
}

function parseFloatText(text: string): number | null {
  if (!FLOAT.test(text)) return null;
  const body = text.replace(/^[+-]/, '').toLowerCase();
  const sign = text.startsWith('-') ? -1 : 1;
  if (body === 'nan') return NaN;
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  return Number(text);
}

function parseValue(text: string, type: ValTypeName): Value | undefined {
  switch (type) {
    case 'i32': {
      const value = parseInteger(text, 32);
      return value === null ? undefined : Number(value);
    }
    case 'i64':
      return parseInteger(text, 64) ?? undefined;
    case 'f32':
    case 'f64':
      return parseFloatText(text) ?? undefined;
    case 'funcref':
    case 'externref':
    case 'exnref':
      return text === 'null' ? null : undefined;
    case 'v128':
      return undefined;
  }
}

const EXPECTED: Record<ValTypeName, string> = {
  i32: 'a 32-bit integer',
  i64: 'a 64-bit integer',
  f32: 'a number (or inf, -inf, nan)',
  f64: 'a number (or inf, -inf, nan)',
  funcref: "'null'",
  externref: "'null'",
  exnref: "'null'",
  v128: 'nothing: v128 arguments cannot be given on the command line',
};

/** The arguments for a call of `name`, one per parameter; UsageError on a wrong count or a bad value. */
export function parseArguments(name: string, type: FuncTypeDesc, texts: readonly string[]): Value[] {
  const { params } = type;
  if (texts.length !== params.length) {
    const signature = params.length === 0 ? 'no arguments' : `${params.length} argument${params.length === 1 ? '' : 's'} (${params.join(', ')})`;
    throw new UsageError(`function '${name}' takes ${signature}, got ${texts.length}`);
  }
  return params.map((param, i) => {
    const value = parseValue(texts[i]!, param);
    if (value === undefined) {
      throw new UsageError(`argument ${i + 1} of '${name}' is ${param}: expected ${EXPECTED[param]}, got '${texts[i]}'`);
    }
    return value;
  });
}

function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return Object.is(value, -0) ? '-0' : String(value);
}

function formatReference(value: Value): string {
  if (value === null) return 'null';
  return value instanceof Func ? 'funcref' : 'externref';
}

/** A result as text, one per output line. */
export function formatResult(value: Value, type: ValTypeName): string {
  switch (type) {
    case 'i32':
    case 'i64':
      return String(value);
    case 'f32':
    case 'f64':
      return formatFloat(value as number);
    case 'v128':
      return Array.from(value as Uint8Array, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
    case 'funcref':
    case 'externref':
      return formatReference(value);
    case 'exnref':
      return value === null ? 'null' : 'exnref';
  }
}

/**
 * A result for --json: i32 and finite floats as numbers; i64 (beyond a double's
 * precision), non-finite floats and -0 as their text; references as null or their kind.
 */
export function jsonResult(value: Value, type: ValTypeName): { type: ValTypeName; value: number | string | null } {
  switch (type) {
    case 'i32':
      return { type, value: value as number };
    case 'f32':
    case 'f64': {
      const number = value as number;
      return { type, value: Number.isFinite(number) && !Object.is(number, -0) ? number : formatFloat(number) };
    }
    case 'funcref':
    case 'externref':
      return { type, value: value === null ? null : formatReference(value) };
    default:
      return { type, value: formatResult(value, type) };
  }
}
