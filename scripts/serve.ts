/**
 * `npm run playground`: serves dist/ (the playground and the browser build it
 * loads) on http://127.0.0.1:8080 (PORT to change it) until interrupted.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const port = Number(process.env.PORT ?? 8080);
const server = await startStaticServer(dist, { index: '/playground/', port });
console.log(`purewasm playground: ${server.origin}/playground/ (Ctrl-C stops it)`);
