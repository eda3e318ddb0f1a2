// The example host platform's backend: it serves the host page, mints
// Candyce tokens with the shared secret (never sent to the browser), and
// keeps the content the page saves through the MetaPlayer contract, as
// Capytale keeps activities and pupils' copies in its own database.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { isMode, isWorkflow } from './contract.js';
import { type HostSession, sessionOf } from './host-session.js';
import { playerUrl } from './player-url.js';
import { mintToken } from './tokens.js';

/** How to start the example host. */
export interface HostServerOptions {
  /** The Candyce server's base URL as browsers reach it (`https://candyce.example`). */
  readonly candyceUrl: string;
  /** The secret shared with the Candyce server (its CANDYCE_SECRET); empty when it runs open. */
  readonly secret: string;
  /** The built host page (index.html and assets/), from `buildHostPage`. */
  readonly publicDir: string;
  readonly port?: number;
  readonly host?: string;
  /** Largest content the page may save, in bytes (default 8 MiB). */
  readonly maxContentBytes?: number;
}

/** A running example host. */
export interface HostServer {
  /** Starts listening; resolves with the port. */
  listen(): Promise<number>;
  /** The base URL once listening (`http://127.0.0.1:<port>`). */
  url(): string;
  /** The content saved under `key` (`<activity>` or `<activity>/<pupil>`), or undefined. */
  saved(key: string): unknown;
  close(): Promise<void>;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
};

const readJson = async (req: IncomingMessage, limit: number): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `Body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `Body is not valid JSON: ${(err as Error).message}`);
  }
};

/** Escapes `value` for an HTML attribute in double quotes. */
const attribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const keyPattern = /^[A-Za-z0-9_-]{1,40}(\/[A-Za-z0-9_-]{1,40})?$/;

/**
 * Returns the example host's HTTP server: `GET /` the host page (with a
 * Content-Security-Policy that lets it frame only the Candyce server),
 * `/assets/*` its scripts, `POST /api/session` a session for a visit
 * (room, token and the player's URL; see {@link sessionOf}),
 * `GET /api/content/<key>` the content saved for an activity or a copy
 * (`{ key, content }`, content null when nothing is saved), `PUT` to save it.
 */
export const createHostServer = (options: HostServerOptions): HostServer => {
  const candyce = new URL(options.candyceUrl);
  const sync = `${candyce.protocol === 'https:' ? 'wss' : 'ws'}://${candyce.host}/sync`;
  const publicDir = resolve(options.publicDir);
  const limit = options.maxContentBytes ?? 8 * 1024 * 1024;
  const contents = new Map<string, unknown>();
  // The page may frame and reach the Candyce server only; scripts are the page's own.
  const csp = [
    "default-src 'self'",
    `frame-src ${candyce.origin}`,
    `connect-src 'self' ${sync.replace(/\/sync$/, '')} ${candyce.origin}`,
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');

  const session = async (body: unknown) => {
    const { activity, mode, pupil, workflow, name, lang } = (body ?? {}) as Record<string, unknown>;
    if (typeof activity !== 'string') throw new HttpError(400, 'activity must be a string');
    if (!isMode(mode)) throw new HttpError(400, 'mode must be create, assignment, review or view');
    if (workflow !== undefined && !isWorkflow(workflow)) {
      throw new HttpError(400, 'workflow must be current, finished or corrected');
    }
    let s: HostSession;
    try {
      s = sessionOf({
        activity,
        mode,
        name: typeof name === 'string' ? name : '',
        ...(typeof pupil === 'string' ? { pupil } : {}),
        ...(workflow ? { workflow } : {}),
      });
    } catch (err) {
      throw new HttpError(400, (err as Error).message);
    }
    const token = options.secret ? await mintToken(options.secret, s.claims) : '';
    return {
      room: s.room,
      role: s.claims.role,
      contentKey: s.contentKey,
      fallbackKey: s.fallbackKey,
      token,
      server: sync,
      playerUrl: playerUrl(candyce.toString(), {
        room: s.room,
        token,
        lang: lang === 'en' ? 'en' : 'fr',
      }),
    };
  };

  const serveFile = async (res: ServerResponse, path: string): Promise<void> => {
    const file = resolve(join(publicDir, path));
    if (!file.startsWith(publicDir + sep)) throw new HttpError(404, 'Not found');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new HttpError(404, `No file ${path}`);
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    await new Promise<void>((done) => {
      const stream = createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        done();
      });
      stream.on('end', done);
      stream.pipe(res);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://host');
    const path = url.pathname;
    if (path === '/' && req.method === 'GET') {
      const page = await readFile(join(publicDir, 'index.html'), 'utf8');
      const text = page.replace('%CANDYCE%', attribute(candyce.origin)).replace('%SYNC%', attribute(sync));
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': csp,
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      res.end(text);
      return;
    }
    if (path.startsWith('/assets/') && req.method === 'GET') return serveFile(res, path);
    if (path === '/api/session' && req.method === 'POST') {
      sendJson(res, 200, await session(await readJson(req, 16 * 1024)));
      return;
    }
    const content = /^\/api\/content\/(.+)$/.exec(path);
    if (content) {
      const key = decodeURIComponent(content[1]!);
      if (!keyPattern.test(key)) throw new HttpError(400, `Content key ${JSON.stringify(key)} is not valid`);
      if (req.method === 'GET') {
        // Nothing saved yet is a normal answer (a new activity or copy), not an error.
        sendJson(res, 200, { key, content: contents.get(key) ?? null });
        return;
      }
      if (req.method === 'PUT') {
        const value = await readJson(req, limit);
        if (typeof value !== 'object' || value === null)
          throw new HttpError(400, 'Content must be a JSON object');
        contents.set(key, value);
        sendJson(res, 200, { key, saved: true });
        return;
      }
    }
    throw new HttpError(404, `No route for ${req.method} ${path}`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) sendJson(res, err.status, { error: err.message });
      else sendJson(res, 500, { error: 'Internal error of the example host' });
    });
  });
  let port = 0;
  return {
    listen: () =>
      new Promise((done, fail) => {
        server.once('error', fail);
        server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
          port = (server.address() as AddressInfo).port;
          done(port);
        });
      }),
    url: () => `http://${options.host ?? '127.0.0.1'}:${port}`,
    saved: (key) => contents.get(key),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
};
