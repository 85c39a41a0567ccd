// A small static file server for the webcam demo (`npm start`, scripts/serve.mjs) and the
// browser tests: serves files under a root directory (the repo root by default) on 127.0.0.1
// with the MIME types browsers insist on (application/wasm for instantiateStreaming,
// text/javascript for module scripts). GET and HEAD only; a path ending in / serves that
// folder's index.html; anything else, unknown extensions, directories and paths outside the
// root get 404. With `crossOriginIsolated`, every response carries the COOP/COEP headers that make a page
// cross-origin isolated (SharedArrayBuffer, wasm threads).
//
//   const server = await startStaticServer();        // { url, port, close(), requests }
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

// What makes a page cross-origin isolated (window.crossOriginIsolated, and with it
// SharedArrayBuffer, which litecnn's threads build needs). The page may then embed only
// same-origin or CORP-marked resources, which everything served here is.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Starts serving `root` on 127.0.0.1:`port` (0: a free port). Resolves to {url, port, close,
 * requests}: url has a trailing slash; requests lists {method, path, status, type} per request.
 * crossOriginIsolated: send the COOP/COEP headers (see ISOLATION_HEADERS).
 */
export function startStaticServer({ root = REPO_ROOT, port = 0, crossOriginIsolated = false } = {}) {
  const base = path.resolve(root);
  const requests = [];
  const extraHeaders = crossOriginIsolated ? ISOLATION_HEADERS : {};
  const server = createServer(async (req, res) => {
    const record = { method: req.method, path: req.url, status: 404, type: null };
    requests.push(record);
    const reply = (status, type, body) => {
      record.status = status;
      record.type = type;
      res.writeHead(status, { ...extraHeaders, 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'text/plain', 'method not allowed\n');
      let pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      if (pathname.endsWith('/')) pathname += 'index.html';  // a folder's page (the demo's URL)
      const file = path.resolve(base, `.${pathname}`);
      const type = MIME_TYPES[path.extname(file).toLowerCase()];
      if (!file.startsWith(base + path.sep) || type === undefined) return reply(404, 'text/plain', 'not found\n');
      const info = await stat(file).catch(() => null);
      if (info === null || !info.isFile()) return reply(404, 'text/plain', 'not found\n');
      record.status = 200;
      record.type = type;
      res.writeHead(200, { ...extraHeaders, 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': 'no-store' });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch {
      reply(400, 'text/plain', 'bad request\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        requests,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}
