// sql.js and hash-wasm, unmodified, on purewasm installed as WebAssembly. `?tier=` picks the
// tier (none: the default, 'auto'); the test serves this page under different CSPs.
import { install } from '/dist/browser/js-api.js';
import { Engine } from '/dist/browser/purewasm.js';
import { hashWasmWorkload, sqlJsWorkload } from './workloads.js';

const violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push({ directive: event.effectiveDirective, disposition: event.disposition, blockedURI: event.blockedURI });
});

/** Runs a classic script (sql.js's browser build defines the global initSqlJs). */
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

async function run() {
  const tier = new URLSearchParams(location.search).get('tier') ?? undefined;
  const options = tier === undefined ? {} : { tier };
  const nativeWebAssembly = typeof WebAssembly;
  const installed = install(options);
  await loadScript('/node_modules/sql.js/dist/sql-wasm-browser.js');
  const sql = await sqlJsWorkload(globalThis.initSqlJs, { locateFile: (file) => `/node_modules/sql.js/dist/${file}` });
  const hashes = await hashWasmWorkload(await import('/node_modules/hash-wasm/dist/index.esm.js'));
  return {
    nativeWebAssembly,
    installed,
    // The tier the same options resolve to (the probe runs once per page, whoever asks first).
    engineTier: new Engine(options).tier,
    results: { sql, hashes },
    violations,
  };
}

window.purewasmResult = run().catch((error) => ({ error: String(error?.stack ?? error) }));
