/**
 * sql.js (SQLite compiled by Emscripten), loaded unmodified from node_modules:
 * a table of 200 rows, aggregates, a GROUP BY, sqlite_version() and the
 * database image itself, which is byte-for-byte deterministic.
 */

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

interface QueryResult {
  columns: string[];
  values: unknown[][];
}
interface Statement {
  run(params: unknown[]): void;
  free(): boolean;
}
interface Database {
  run(sql: string): Database;
  exec(sql: string): QueryResult[];
  prepare(sql: string): Statement;
  export(): Uint8Array;
  close(): void;
}
interface SqlJsStatic {
  Database: new () => Database;
}

const initSqlJs = createRequire(import.meta.url)('sql.js') as () => Promise<SqlJsStatic>;

export const ROWS = 200;

export interface SqlJsResults {
  sum: unknown[][];
  groups: QueryResult[];
  version: string;
  imageBytes: number;
  imageSha256: string;
}

export async function sqlJsWorkload(): Promise<SqlJsResults> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.run('CREATE TABLE t (a INTEGER NOT NULL, b TEXT NOT NULL, c REAL NOT NULL)');
    // One transaction: per-row commits make the journal, not the query engine, dominate the run time.
    db.run('BEGIN');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
    for (let i = 0; i < ROWS; i++) insert.run([i, `g${i % 7}`, i / 8]);
    insert.free();
    db.run('COMMIT');
    const image = db.export();
    return {
      sum: db.exec('SELECT sum(a) FROM t')[0]!.values,
      // printf of a float average runs SQLite's own f64 formatting inside the module.
      groups: db.exec("SELECT b, count(*), sum(a), printf('%.4f', avg(c) * 1.1) FROM t GROUP BY b ORDER BY b"),
      version: db.exec('SELECT sqlite_version()')[0]!.values[0]![0] as string,
      imageBytes: image.byteLength,
      imageSha256: createHash('sha256').update(image).digest('hex'),
    };
  } finally {
    db.close();
  }
}
