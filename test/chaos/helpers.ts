// Pieces shared by the chaos tests: clients that type unique markers, a
// check that counts every marker, and a TCP proxy that cuts connections in
// the middle of a message or takes a group of clients offline.
import { createServer, type Server, Socket } from 'node:net';
import type { TestClient } from '../../server/test/helpers.js';

/** A client typing `<id:n>` markers at the end of its text until stopped. */
export interface Typist {
  readonly id: string;
  readonly typed: string[];
  stop(): Promise<void>;
}

/** Starts typing unique markers into `client` every `everyMs` (with jitter from `random`). */
export const startTyping = (
  client: TestClient,
  id: string,
  everyMs: number,
  random: () => number,
): Typist => {
  let running = true;
  const typed: string[] = [];
  const done = (async () => {
    for (let n = 0; running; n++) {
      const marker = `<${id}:${n}>`;
      // Insert between two markers, at a random one: concurrent inserts interleave as in a
      // real class, and no marker is split by another (a split marker would count as lost).
      client.text.insert(boundary(client.text.toString(), random), marker);
      typed.push(marker);
      await new Promise((r) => setTimeout(r, everyMs * (0.5 + random())));
    }
  })();
  return {
    id,
    typed,
    stop: async () => {
      running = false;
      await done;
    },
  };
};

/** A random position in `text` that is not inside a marker: 0, the end, or just after a `>`. */
const boundary = (text: string, random: () => number): number => {
  if (text.length === 0 || random() < 0.3) return text.length;
  const next = text.indexOf('>', Math.floor(random() * text.length));
  return next < 0 ? 0 : next + 1;
};

/** Counts the markers of `typists` in `text`: returns those missing and those present more than once. */
export const checkMarkers = (
  text: string,
  typists: readonly Typist[],
): { keystrokes: number; missing: string[]; duplicated: string[] } => {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/<[^<>]+>/g)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  const missing: string[] = [];
  const duplicated: string[] = [];
  let keystrokes = 0;
  for (const t of typists) {
    for (const marker of t.typed) {
      keystrokes += marker.length;
      const n = counts.get(marker) ?? 0;
      if (n === 0) missing.push(marker);
      if (n > 1) duplicated.push(marker);
    }
  }
  return { keystrokes, missing, duplicated };
};

/**
 * A TCP proxy in front of the server. `cut()` ends every connection in the
 * middle of the next chunk it carries (half of it is forwarded), in either
 * direction; `offline` refuses and drops every connection, as a network that
 * went away.
 */
export class ChaosProxy {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; cutting: boolean }>();
  offline = false;
  /** Connections cut (in the middle of a chunk, idle, or dropped while offline). */
  cuts = 0;
  /** Of those, the ones cut in the middle of a chunk of data. */
  midMessageCuts = 0;
  port = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  private accept(client: Socket): void {
    if (this.offline) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    const pair = { client, upstream, cutting: false };
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (pair.cutting && chunk.length > 1) {
          // Mid-message: half of the chunk goes through, then the line dies.
          to.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => end());
          this.cuts++;
          this.midMessageCuts++;
          pair.cutting = false;
          return;
        }
        to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
    upstream.connect(this.targetPort, '127.0.0.1');
  }

  /** Cuts every open connection in the middle of its next chunk (or after `graceMs` if nothing flows). */
  cut(graceMs = 100): void {
    for (const pair of this.pairs) {
      pair.cutting = true;
      setTimeout(() => {
        if (pair.cutting && this.pairs.has(pair)) {
          this.cuts++;
          pair.client.destroy();
          pair.upstream.destroy();
          this.pairs.delete(pair);
        }
      }, graceMs);
    }
  }

  /** Takes the network away (drops and refuses connections) or gives it back. */
  setOffline(offline: boolean): void {
    this.offline = offline;
    if (offline) {
      for (const pair of this.pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
        this.cuts++;
      }
      this.pairs.clear();
    }
  }

  /** Number of connections currently carried. */
  get size(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.setOffline(true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
