import type { Func } from './func.js';
import type { Global } from './global.js';
import type { Memory } from './memory.js';
import type { Table } from './table.js';
import type { Tag } from './tag.js';

export type Extern = Func | Memory | Table | Global | Tag;
