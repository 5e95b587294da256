/**
 * A deterministic per-function profile measured in fuel (Store.setProfiler): calls,
 * self and total fuel per function, and self fuel per call stack as folded stacks
 * ("main;parse;next 1234" lines) that flamegraph.pl, inferno and speedscope read.
 */

interface Frame {
  name: string;
  /** Folded names from the outermost frame to this one. */
  stack: string;
  fuelAtEntry: number;
  /** Fuel consumed by the calls this frame made. */
  childFuel: number;
}

export interface FunctionProfile {
  name: string;
  calls: number;
  selfFuel: number;
  /** Fuel from entry to exit, counted once for nested (recursive) activations. */
  totalFuel: number;
}

/** Characters that would break a folded-stacks line. */
const FOLDED_SEPARATORS = /[;\r\n]/g;

export class FuelProfiler {
  private readonly frames: Frame[] = [];
  /** Activations of each function now on the stack: only the outermost adds to totalFuel. */
  private readonly activeCount = new Map<string, number>();
  private readonly functions = new Map<string, FunctionProfile>();
  private readonly selfFuelByStack = new Map<string, number>();

  enter(funcName: string, _funcIndex: number, fuelConsumed: number): void {
    const name = funcName.replace(FOLDED_SEPARATORS, '_');
    const caller = this.frames.at(-1);
    this.frames.push({ name, stack: caller ? `${caller.stack};${name}` : name, fuelAtEntry: fuelConsumed, childFuel: 0 });
    this.activeCount.set(name, (this.activeCount.get(name) ?? 0) + 1);
    const profile = this.functions.get(name);
    if (profile) profile.calls++;
    else this.functions.set(name, { name, calls: 1, selfFuel: 0, totalFuel: 0 });
  }

  exit(fuelConsumed: number): void {
    const frame = this.frames.pop();
    if (frame === undefined) return;
    const total = fuelConsumed - frame.fuelAtEntry;
    const self = total - frame.childFuel;
    const profile = this.functions.get(frame.name)!;
    profile.selfFuel += self;
    const active = this.activeCount.get(frame.name)! - 1;
    this.activeCount.set(frame.name, active);
    if (active === 0) profile.totalFuel += total;
    this.selfFuelByStack.set(frame.stack, (this.selfFuelByStack.get(frame.stack) ?? 0) + self);
    const caller = this.frames.at(-1);
    if (caller) caller.childFuel += total;
  }

  /** Closes the frames a run left open when it stopped inside them (out of fuel, timeout, proc_exit). */
  finish(fuelConsumed: number): void {
    while (this.frames.length > 0) this.exit(fuelConsumed);
  }

  /** Folded stacks, one "a;b;c fuel" line per stack with self fuel, sorted for stable output. */
  folded(): string {
    const lines = [...this.selfFuelByStack]
      .filter(([, fuel]) => fuel > 0)
      .map(([stack, fuel]) => `${stack} ${fuel}`)
      .sort();
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  /** Functions by self fuel, then total fuel, then name. */
  ranking(): FunctionProfile[] {
    return [...this.functions.values()].sort(
      (a, b) => b.selfFuel - a.selfFuel || b.totalFuel - a.totalFuel || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }
}

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/** The top `limit` functions as an aligned text table; percentages are of `fuelConsumed`. */
export function profileTable(profile: FunctionProfile[], fuelConsumed: number, limit: number): string {
  const header = ['function', 'calls', 'self fuel', 'self', 'total fuel', 'total'];
  const rows = profile.slice(0, limit).map((f) => [
    f.name,
    String(f.calls),
    String(f.selfFuel),
    percent(f.selfFuel, fuelConsumed),
    String(f.totalFuel),
    percent(f.totalFuel, fuelConsumed),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
