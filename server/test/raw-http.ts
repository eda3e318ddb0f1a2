// A raw HTTP client on node:net, for requests no well-behaved client sends:
// invalid request targets, upgrades with missing headers, connections reset
// in the middle of an answer.
import { connect } from 'node:net';

/** What a raw request got back: the bytes of the answer (possibly none) and whether the socket failed. */
export interface RawAnswer {
  text: string;
  /** The status of the first response line, or null when nothing came back. */
  status: number | null;
}

/** Sends `request` as is to `port` on 127.0.0.1 and collects the answer until the server closes (or `ms`). */
export const rawRequest = (port: number, request: string, ms = 2000): Promise<RawAnswer> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: status ? Number(status[1]) : null });
    };
    const timer = setTimeout(done, ms);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });

/** Sends `request` and resets the connection at once, without reading the answer. */
export const resetAfter = (port: number, request: string): Promise<void> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(request, () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });

/** The headers of a WebSocket upgrade, for a request line of the caller's choice. */
export const upgradeHeaders = (host: string, extra = ''): string =>
  `Host: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
