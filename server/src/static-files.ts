import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

// Serves the built web app (apps/web/dist): files as they are, and the
// app's page (index.html, which routes itself) for `/`, `/n/<room>`, the
// classroom's `/j`, `/j/<code>` (join) and `/a/<activity>` (dashboard). Every response carries the headers
// that make the page cross-origin isolated (SharedArrayBuffer for Pyodide's
// input() and interrupts) without blocking images from other sites in
// markdown (`credentialless` rather than `require-corp`).

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Headers of every page and file of the web app. */
export const appHeaders: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'credentialless',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const isFile = (path: string): Promise<number | null> =>
  stat(path).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );

/**
 * Returns a handler that serves `root`, or answers false when the request is
 * not for it (so that the API can answer). Paths that escape `root` or name no
 * file under `/assets/` get 404; other unknown paths without an extension get
 * the app's page, which routes `/`, `/n/<room>`, `/j`, `/j/<code>` and
 * `/a/<activity>` itself.
 */
export const createStaticHandler = (rootDir: string) => {
  const root = resolve(rootDir);
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return false;
    }
    const file = resolve(join(root, decoded));
    if (file !== root && !file.startsWith(root + sep)) return false;
    let target = file;
    let size = await isFile(target);
    if (size === null) {
      if (decoded.startsWith('/assets/') || decoded.startsWith('/pyodide/') || extname(decoded) !== '') {
        return false;
      }
      target = join(root, 'index.html');
      size = await isFile(target);
      if (size === null) return false;
    }
    const immutable = target.startsWith(join(root, 'assets') + sep);
    res.writeHead(200, {
      ...appHeaders,
      'content-type': types[extname(target)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(target);
      stream.on('error', () => {
        res.destroy();
        done();
      });
      stream.on('end', done);
      stream.pipe(res);
    });
    return true;
  };
};
