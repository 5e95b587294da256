/**
 * A small static file server on loopback (node:http) for the browser tests and
 * `npm run playground`: serves the files under `root`, never outside it, with
 * the headers the caller picks per request (the tests set each page's CSP).
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.wat': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticServerOptions {
  /** Extra response headers for a request (a page's Content-Security-Policy, say). */
  headers?: (url: URL) => Record<string, string>;
  /** Where `/` redirects to. */
  index?: string;
  port?: number;
}

export interface StaticServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  close(): Promise<void>;
}

/** The file under `root` that `pathname` names, or undefined when it would leave `root`. */
function resolveInside(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const path = normalize(join(root, decoded));
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep) ? path : undefined;
}

export function startStaticServer(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const rootPath = normalize(root);
  const server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/' && options.index !== undefined) {
      response.writeHead(302, { location: options.index }).end();
      return;
    }
    let path = resolveInside(rootPath, url.pathname);
    let size = -1;
    try {
      if (path !== undefined) {
        let stat = statSync(path);
        // A folder is its index.html, as on any static host.
        if (stat.isDirectory() && url.pathname.endsWith('/')) {
          path = join(path, 'index.html');
          stat = statSync(path);
        }
        if (stat.isFile()) size = stat.size;
      }
    } catch {
      // A missing file is a 404 like any other.
    }
    if (path === undefined || size < 0 || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-store',
      ...options.headers?.(url),
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(path).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
