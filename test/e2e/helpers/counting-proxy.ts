import { createServer, request } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

/** What went through a {@link CountingProxy}: one row per response. */
export interface ProxiedResponse {
  path: string;
  status: number;
  /** Bytes of the body as sent on the wire (compressed when it was). */
  bytes: number;
  encoding: string | null;
}

/** An HTTP proxy in front of the Candyce server that counts the bytes it sends, and can slow them down. */
export interface CountingProxy {
  url: string;
  responses: ProxiedResponse[];
  /** Bytes sent for paths that start with `prefix`. */
  bytesUnder(prefix: string): number;
  /** Limits the bytes per second sent to the browser, all responses together (0: as fast as possible). */
  throttle(bytesPerSecond: number): void;
  /** Delays each response by `ms` before its first byte (a round trip of a slow line). */
  latency(ms: number): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a proxy on 127.0.0.1 (a free port) that forwards GET and HEAD
 * requests to `target` and records each response's size on the wire: what a
 * school's line would carry. (Counting here sees the page's, the kernel
 * worker's and the service worker's requests alike.)
 */
export const startCountingProxy = async (target: string): Promise<CountingProxy> => {
  const to = new URL(target);
  const responses: ProxiedResponse[] = [];
  let rate = 0;
  let delay = 0;
  // One line for every response at once: parallel downloads share its bandwidth.
  let lineFreeAt = 0;
  const sendTime = (bytes: number): number => {
    const now = Date.now();
    const start = Math.max(now, lineFreeAt);
    lineFreeAt = start + (bytes / rate) * 1000;
    return lineFreeAt - now;
  };
  const server = createServer((req, res) => {
    const upstream = request(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
      async (up) => {
        if (delay > 0) await sleep(delay);
        res.writeHead(up.statusCode ?? 502, up.headers);
        const row: ProxiedResponse = {
          path: req.url ?? '',
          status: up.statusCode ?? 0,
          bytes: 0,
          encoding:
            typeof up.headers['content-encoding'] === 'string' ? up.headers['content-encoding'] : null,
        };
        responses.push(row);
        try {
          for await (const chunk of up as AsyncIterable<Buffer>) {
            // Slowed down in slices, so that the browser sees a steady trickle.
            for (let at = 0; at < chunk.length; at += 16 * 1024) {
              const slice = chunk.subarray(at, at + 16 * 1024);
              if (rate > 0) await sleep(sendTime(slice.length));
              row.bytes += slice.length;
              if (!res.write(slice)) await new Promise((resolve) => res.once('drain', resolve));
            }
          }
          res.end();
        } catch {
          res.destroy();
        }
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  // WebSockets (the sync socket) pass through unchanged and uncounted, as behind a school's
  // reverse proxy: the page and its sync server stay one origin.
  const tunnels = new Set<Socket>();
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    const upstream = connect(Number(to.port), to.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    for (const end of [socket, upstream]) {
      tunnels.add(end);
      end.on('error', () => {
        socket.destroy();
        upstream.destroy();
      });
      end.on('close', () => tunnels.delete(end));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    responses,
    bytesUnder: (prefix) =>
      responses.filter((r) => r.path.startsWith(prefix)).reduce((n, r) => n + r.bytes, 0),
    throttle: (bytesPerSecond) => {
      rate = bytesPerSecond;
    },
    latency: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const tunnel of tunnels) tunnel.destroy();
        server.close(() => resolve());
      }),
  };
};
