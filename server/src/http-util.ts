import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorBody, errorCodeOfStatus, type Lang, langOfAcceptLanguage } from '@candyce/protocol';

// Small pieces shared by the HTTP routes (notebooks, classroom).

/**
 * An error that becomes the one error answer `{ error, code, ...extra }` with
 * this status. `extra.code` is the stable code; without one, the status's
 * (`not-found` for 404…, see `errorCodeOfStatus` of @candyce/protocol).
 */
export class HttpError extends Error {
  readonly extra: Record<string, unknown>;
  constructor(
    readonly status: number,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.extra = typeof extra.code === 'string' ? extra : { code: errorCodeOfStatus(status), ...extra };
  }

  /** The answer's body. */
  get body(): ErrorBody & Record<string, unknown> {
    return { error: this.message, code: errorCodeOfStatus(this.status), ...this.extra } as ErrorBody &
      Record<string, unknown>;
  }
}

export const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};

/** Reads a request body of at most `limit` bytes (413 above). */
export const readBody = (req: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `Body is larger than ${limit} bytes`));
        // Drain the rest so the 413 response still reaches the client.
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * Parses a request target (`req.url`) into a URL, or returns null when it is
 * not one: the target comes from the network, and `new URL` throws on many
 * (`http://[`, `//[`), which must end as a 400, never as an exception.
 */
export const requestUrl = (target: string | undefined): URL | null => {
  const value = target ?? '/';
  // Only the origin form (`/path`) and the absolute form (`http://host/path`) name a resource here;
  // `*`, `//host` and the like would otherwise resolve to some path and reach the app's pages.
  const originForm = value.startsWith('/') && !value.startsWith('//');
  if (!originForm && !/^https?:\/\//i.test(value)) return null;
  try {
    return new URL(value, 'http://localhost');
  } catch {
    return null;
  }
};

/** The token of an `Authorization: Bearer` header, or null. */
export const bearer = (req: IncomingMessage): string | null => {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
};

const reasons: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Answers a WebSocket upgrade request with an HTTP error and a JSON
 * `{ error, code }` body (the answer the HTTP API gives), then closes the
 * socket. A socket already gone is left alone.
 */
export const refuseUpgrade = (socket: Duplex, status: number, error: string, code: string): void => {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error, code });
  socket.end(
    `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
};

/** The language of a request: what its `Accept-Language` prefers of French and English, French by default. */
export const langOf = (req: IncomingMessage): Lang => langOfAcceptLanguage(req.headers['accept-language']);
