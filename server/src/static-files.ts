import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { cacheControlOf, etagOf, notModified, pickVariant } from './static-cache.js';

// Serves the built web app (apps/web/dist): files as they are, and the
// app's page (index.html, which routes itself) for `/`, `/n/<room>`, the
// classroom's `/j`, `/j/<code>` (join) and `/a/<activity>` (dashboard). Every response carries the headers
// that make the page cross-origin isolated (SharedArrayBuffer for Pyodide's
// input() and interrupts) without blocking images from other sites in
// markdown (`credentialless` rather than `require-corp`). Caching and
// compression (precompressed siblings, ETag) are in static-cache.ts.

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

const isFile = (path: string): Promise<Stats | null> =>
  stat(path).then(
    (s) => (s.isFile() ? s : null),
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
    let found = await isFile(target);
    if (found === null) {
      if (decoded.startsWith('/assets/') || decoded.startsWith('/pyodide/') || extname(decoded) !== '') {
        return false;
      }
      target = join(root, 'index.html');
      found = await isFile(target);
      if (found === null) return false;
    }
    const variant = await pickVariant(req, target, found);
    const etag = etagOf(variant);
    const urlPath = `/${relative(root, target).split(sep).join('/')}`;
    const cacheHeaders: Record<string, string> = {
      'cache-control': cacheControlOf(urlPath),
      etag,
      'last-modified': variant.mtime.toUTCString(),
      ...(variant.varies ? { vary: 'Accept-Encoding' } : {}),
    };
    if (notModified(req, etag, variant.mtime)) {
      res.writeHead(304, { ...appHeaders, ...cacheHeaders });
      res.end();
      return true;
    }
    res.writeHead(200, {
      ...appHeaders,
      'content-type': types[extname(target)] ?? 'application/octet-stream',
      'content-length': variant.size,
      ...(variant.encoding ? { 'content-encoding': variant.encoding } : {}),
      ...cacheHeaders,
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(variant.path);
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
