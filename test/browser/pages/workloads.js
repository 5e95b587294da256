/**
 * The programs the browser tests run, as plain ES modules so that the same code
 * runs in a page (on purewasm, installed as WebAssembly) and in Node (on V8's
 * WebAssembly, for the expected results). Each takes the library it drives.
 */

const ROWS = 200;

/** Hex SHA-256 with Web Crypto, which pages on localhost and Node both have. */
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** sql.js: a table, a transaction of inserts, aggregates, SQLite's own float formatting, the database image. */
export async function sqlJsWorkload(initSqlJs, options) {
  const SQL = await initSqlJs(options);
  const db = new SQL.Database();
  try {
    db.run('CREATE TABLE t (a INTEGER NOT NULL, b TEXT NOT NULL, c REAL NOT NULL)');
    db.run('BEGIN');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
    for (let i = 0; i < ROWS; i++) insert.run([i, `g${i % 7}`, i / 8]);
    insert.free();
    db.run('COMMIT');
    const image = db.export();
    return {
      sum: db.exec('SELECT sum(a) FROM t')[0].values,
      groups: db.exec("SELECT b, count(*), sum(a), printf('%.4f', avg(c) * 1.1) FROM t GROUP BY b ORDER BY b"),
      version: db.exec('SELECT sqlite_version()')[0].values[0][0],
      imageBytes: image.byteLength,
      imageSha256: await sha256Hex(image),
    };
  } finally {
    db.close();
  }
}

/** hash-wasm: one-shot and incremental hashers and a small Argon2id, on 64 KiB of patterned bytes. */
export async function hashWasmWorkload(hashWasm) {
  const data = Uint8Array.from({ length: 65536 }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
  const incremental = await hashWasm.createSHA512();
  incremental.init();
  for (let offset = 0; offset < data.length; offset += 1000) incremental.update(data.subarray(offset, offset + 1000));
  return {
    md5: await hashWasm.md5(data),
    sha1: await hashWasm.sha1(data),
    sha256: await hashWasm.sha256(data),
    sha512Incremental: incremental.digest('hex'),
    sha3: await hashWasm.sha3(data, 256),
    blake3: await hashWasm.blake3(data),
    xxhash64: await hashWasm.xxhash64(data),
    xxhash128: await hashWasm.xxhash128(data),
    crc32: await hashWasm.crc32(data),
    argon2id: await hashWasm.argon2id({
      password: 'password', salt: 'somesalt', iterations: 2, memorySize: 256, parallelism: 1, hashLength: 32, outputType: 'hex',
    }),
  };
}
