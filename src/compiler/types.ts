/**
 * How a register's value is held in the generated JavaScript (its "representation"),
 * tracked per register and program point by the compiler. One JS variable family
 * per representation, named after the register:
 *   a<r>        an i32, or an f32 as its bits (so NaN payloads survive moves)
 *   a<r>, b<r>  an i64: low and high word
 *   d<r>        an f64 as a number (V8 keeps NaN payloads in doubles)
 *   x<r>        a reference
 *   p<r>, q<r>, y<r>, z<r>   a v128: its four little-endian int32 words
 * A 64-bit constant whose type the IR does not say (i64 or f64 bits) sets both
 * a<r>/b<r> and d<r>.
 */
export const enum Rep {
  None = 0,
  W32 = 1,
  W64 = 2,
  F64 = 3,
  Bits64 = 4,
  Ref = 5,
  /** Different representations meet here: the register is dead. */
  Conflict = 6,
  V128 = 7,
  /** A v128 known to be all zeros (its four words hold 0, and operands read it as literal zeros). */
  V128Zero = 8,
}

/** The representation of a register reached by two paths. */
export function joinRep(a: number, b: number): number {
  if (a === b || b === Rep.None) return a;
  if (a === Rep.None) return b;
  if (a === Rep.Bits64 && (b === Rep.W64 || b === Rep.F64)) return b;
  if (b === Rep.Bits64 && (a === Rep.W64 || a === Rep.F64)) return a;
  if ((a === Rep.V128 && b === Rep.V128Zero) || (a === Rep.V128Zero && b === Rep.V128)) return Rep.V128;
  return Rep.Conflict;
}
