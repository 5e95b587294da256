/** Types of workloads.js, for the Node side of the tests. */
export function sqlJsWorkload(initSqlJs: (options?: object) => Promise<unknown>, options?: object): Promise<Record<string, unknown>>;
export function hashWasmWorkload(hashWasm: object): Promise<Record<string, string>>;
