/**
 * The playground's fuel profile as an interactive flame graph: one box per call
 * stack (from the profiler's folded stacks), as wide as the fuel spent in it and
 * below it; hovering a box tells its function's self and total fuel and calls,
 * clicking zooms into it, clicking the root zooms out.
 */
import type { FunctionProfile } from '../src/cli/profile.js';

export interface StackNode {
  name: string;
  /** Fuel spent in this stack's own instructions. */
  self: number;
  /** Fuel spent in this stack and everything it called. */
  total: number;
  children: StackNode[];
}

/** Parses "a;b;c fuel" lines into a tree under a root named `rootName`. */
export function stackTree(folded: string, rootName: string): StackNode {
  const root: StackNode = { name: rootName, self: 0, total: 0, children: [] };
  for (const line of folded.split('\n')) {
    const space = line.lastIndexOf(' ');
    if (space <= 0) continue;
    const fuel = Number(line.slice(space + 1));
    let node = root;
    node.total += fuel;
    for (const name of line.slice(0, space).split(';')) {
      let child = node.children.find((candidate) => candidate.name === name);
      if (child === undefined) {
        child = { name, self: 0, total: 0, children: [] };
        node.children.push(child);
      }
      child.total += fuel;
      node = child;
    }
    node.self += fuel;
  }
  const order = (node: StackNode): void => {
    node.children.sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1));
    node.children.forEach(order);
  };
  order(root);
  return root;
}

const ROW_HEIGHT = 22;
/** Boxes narrower than this share of the view are not drawn (their fuel still counts in their parent). */
const MIN_FRACTION = 0.002;

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/** A stable hue per function name, so a function has the same colour wherever it appears. */
function hue(name: string): number {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return 10 + ((hash >>> 0) % 50);
}

export class FlameGraph {
  private readonly container: HTMLElement;
  private readonly details: HTMLElement;
  private root: StackNode | undefined;
  private byFunction = new Map<string, FunctionProfile>();

  constructor(container: HTMLElement, details: HTMLElement) {
    this.container = container;
    this.details = details;
  }

  show(root: StackNode, functions: FunctionProfile[]): void {
    this.root = root;
    this.byFunction = new Map(functions.map((profile) => [profile.name, profile]));
    this.render(root);
  }

  clear(): void {
    this.root = undefined;
    this.container.replaceChildren();
    this.container.style.height = '0';
    this.details.textContent = '';
  }

  private describe(node: StackNode): string {
    const whole = this.root?.total ?? 0;
    const stack = `${node.name}: ${node.total.toLocaleString('en-US')} fuel in this stack (${percent(node.total, whole)}), ${node.self.toLocaleString('en-US')} in its own code`;
    const fn = this.byFunction.get(node.name);
    if (fn === undefined) return stack;
    return `${stack}. Function ${fn.name}: ${fn.calls.toLocaleString('en-US')} calls, self ${fn.selfFuel.toLocaleString('en-US')} (${percent(fn.selfFuel, whole)}), total ${fn.totalFuel.toLocaleString('en-US')} (${percent(fn.totalFuel, whole)})`;
  }

  /** Draws `focus` across the full width, its ancestors above it as full-width bars. */
  private render(focus: StackNode): void {
    const root = this.root!;
    const path = this.pathTo(root, focus) ?? [root];
    const boxes: HTMLElement[] = [];
    let depth = 0;
    for (const ancestor of path.slice(0, -1)) boxes.push(this.box(ancestor, depth++, 0, 1, true));
    const place = (node: StackNode, level: number, left: number, width: number): void => {
      boxes.push(this.box(node, level, left, width, false));
      let offset = left;
      for (const child of node.children) {
        const childWidth = node.total === 0 ? 0 : (width * child.total) / node.total;
        if (childWidth >= MIN_FRACTION) place(child, level + 1, offset, childWidth);
        offset += childWidth;
      }
    };
    place(focus, depth, 0, 1);
    const rows = boxes.reduce((most, box) => Math.max(most, Number(box.dataset.depth) + 1), 0);
    this.container.style.height = `${rows * ROW_HEIGHT}px`;
    this.container.replaceChildren(...boxes);
    this.details.textContent = this.describe(focus);
  }

  private pathTo(node: StackNode, target: StackNode): StackNode[] | undefined {
    if (node === target) return [node];
    for (const child of node.children) {
      const path = this.pathTo(child, target);
      if (path) return [node, ...path];
    }
    return undefined;
  }

  private box(node: StackNode, depth: number, left: number, width: number, ancestor: boolean): HTMLElement {
    const box = document.createElement('button');
    box.type = 'button';
    box.className = ancestor ? 'flame-node flame-ancestor' : 'flame-node';
    box.dataset.name = node.name;
    box.dataset.self = String(node.self);
    box.dataset.total = String(node.total);
    box.dataset.depth = String(depth);
    box.style.left = `${left * 100}%`;
    box.style.width = `${width * 100}%`;
    box.style.top = `${depth * ROW_HEIGHT}px`;
    box.style.backgroundColor = node === this.root ? 'hsl(220 15% 80%)' : `hsl(${hue(node.name)} 85% ${ancestor ? 82 : 65}%)`;
    box.textContent = node.name;
    box.title = this.describe(node);
    box.addEventListener('mouseenter', () => {
      this.details.textContent = this.describe(node);
    });
    box.addEventListener('click', () => this.render(node));
    return box;
  }
}
