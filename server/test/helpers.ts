// Shared test fixtures: a real server on port 0 with LevelDB in a temp dir
// (or the memory store, when CANDYCE_TEST_STORE=memory: the classroom suite
// runs on both, see vitest.config.ts), stock y-websocket clients, raw
// protocol clients, tokens, and teardown.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classroomFeature } from '@candyce/classroom';
import { SignJWT } from 'jose';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  type CandyceServer,
  createLogger,
  createServer,
  MemoryStore,
  type NotebookStore,
  type ServerOptions,
} from '../src/index.js';

// Every stock provider adds a process 'exit' listener.
process.setMaxListeners(100);

export const secret = 'test-secret-for-candyce-server-tests';

/** A notebook whose first cell is locked (neither editable nor deletable) and whose second is the pupil's. */
export const lockedNotebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    {
      id: 'given',
      cell_type: 'code',
      metadata: { editable: false, deletable: false },
      source: 'x = 1',
      outputs: [],
      execution_count: null,
    },
    { id: 'answer', cell_type: 'code', metadata: {}, source: '', outputs: [], execution_count: null },
  ],
};

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers work to undo after the current test, run in reverse order. */
export const onTeardown = (fn: () => Promise<void> | void): void => {
  cleanups.push(fn);
};

afterEach(async () => {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      console.error('teardown failed', err);
    }
  }
});

/** Returns a fresh temporary directory, removed after the test. */
export const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'candyce-server-'));
  onTeardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

export interface TestServer {
  server: CandyceServer;
  dataDir: string;
  http: string;
  ws: string;
  close(): Promise<void>;
}

/** The back-end of the servers tests start: LevelDB, or the memory store. */
export const testBackend: 'level' | 'memory' =
  process.env.CANDYCE_TEST_STORE === 'memory' ? 'memory' : 'level';

// With the memory store, a data directory names one store: a server started
// again on the same directory finds what the previous one stored, as on disk.
const memoryStores = new Map<string, MemoryStore>();

const storeFor = (dataDir: string): NotebookStore | undefined => {
  if (testBackend !== 'memory') return undefined;
  let store = memoryStores.get(dataDir);
  if (!store) {
    store = new MemoryStore();
    memoryStores.set(dataDir, store);
  }
  return store;
};

/**
 * Every entry a stopped server left in its store, as [key, value text]: the
 * LevelDB's keys and values, or the memory store's classroom namespace.
 */
export const storedEntries = async (dataDir: string): Promise<[string, string][]> => {
  const out: [string, string][] = [];
  const memory = memoryStores.get(dataDir);
  if (memory) {
    await memory.open();
    for (const [key, value] of await memory.kv('classroom').list('')) out.push([key, JSON.stringify(value)]);
    await memory.close();
    return out;
  }
  const { Level } = await import('level');
  const db = new Level<string, string>(dataDir, { valueEncoding: 'utf8', keyEncoding: 'utf8' });
  try {
    for await (const entry of db.iterator()) out.push(entry);
  } finally {
    await db.close();
  }
  return out;
};

/** Starts a server on port 0 with LevelDB in `dataDir` (a fresh temp dir by default), or the memory store. */
export const startServer = async (
  options: ServerOptions & { dataDir?: string } = {},
): Promise<TestServer> => {
  const dataDir = options.dataDir ?? (await tempDir());
  const store = options.store ?? storeFor(dataDir);
  const server = createServer({
    logger: createLogger('silent'),
    ...options,
    dataDir,
    ...(store ? { store } : {}),
    features: options.features ?? [classroomFeature()],
    port: 0,
  });
  const port = await server.listen();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  onTeardown(close);
  return { server, dataDir, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/sync`, close };
};

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
  /** Close events seen (code and reason), in order. */
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/** Connects a stock y-websocket client to `room`, with `token` in the params. */
export const connect = (wsUrl: string, room: string, token?: string, doc = new Y.Doc()): TestClient => {
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
    maxBackoffTime: 200,
  });
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    provider.destroy();
    doc.destroy();
  };
  onTeardown(destroy);
  return { doc, provider, text: doc.getText('t'), closes, destroy };
};

/** Waits until `condition` holds, polling; fails with `what` after `timeout` ms. */
export const waitFor = async (
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeout = 10_000,
): Promise<void> => {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeout) throw new Error(`Timed out after ${timeout} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Waits until the client has synced with the server. */
export const synced = (client: TestClient, timeout = 10_000): Promise<void> =>
  waitFor(() => client.provider.synced, `client of ${client.provider.roomname} to sync`, timeout);

/** Signs a token with the test secret. */
export const token = async (
  claims: { sub?: string; name?: string; role?: string; rooms?: string[] },
  expiresIn: string | number = '1h',
  key = secret,
): Promise<string> =>
  new SignJWT({ name: 'Ada', role: 'student', rooms: ['*'], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? 'u1')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(key));

export interface RawClient {
  ws: WebSocket;
  messages: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
}

/** Opens a raw WebSocket to a room, collecting binary messages and the close event. */
export const rawClient = (wsUrl: string, room: string, tokenValue?: string): RawClient => {
  const ws = new WebSocket(`${wsUrl}/${room}${tokenValue ? `?token=${tokenValue}` : ''}`);
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  ws.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('close', () => reject(new Error('closed before open')));
  });
  opened.catch(() => undefined);
  onTeardown(() => ws.terminate());
  return { ws, messages, closed, opened };
};

/** Returns a seeded pseudo-random generator (mulberry32). */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Returns true when every client clock of `seen` is covered by `has`. */
export const covers = (has: Y.Doc, seen: Y.Doc | Uint8Array): boolean => {
  const a = Y.decodeStateVector(Y.encodeStateVector(has));
  const b =
    seen instanceof Uint8Array ? Y.decodeStateVector(seen) : Y.decodeStateVector(Y.encodeStateVector(seen));
  for (const [client, clock] of b) if ((a.get(client) ?? 0) < clock) return false;
  return true;
};

/** Builds frames by hand, to speak the protocol the way a hostile or broken client might. */
export const frames = {
  step1: (doc: Y.Doc): Uint8Array => concat([0, 0], withLength(Y.encodeStateVector(doc))),
  step2: (update: Uint8Array): Uint8Array => concat([0, 1], withLength(update)),
  update: (update: Uint8Array): Uint8Array => concat([0, 2], withLength(update)),
  awareness: (clientId: number, clock: number, state: unknown): Uint8Array => {
    const json = new TextEncoder().encode(JSON.stringify(state));
    const body = concat(varUint(1), varUint(clientId), varUint(clock), varUint(json.length), json);
    return concat([1], withLength(body));
  },
  queryAwareness: (): Uint8Array => new Uint8Array([3]),
  join: (...parts: Uint8Array[]): Uint8Array => concat(...parts),
};

function varUint(n: number): Uint8Array {
  const out: number[] = [];
  while (n > 127) {
    out.push(128 | (n & 127));
    n = Math.floor(n / 128);
  }
  out.push(n);
  return new Uint8Array(out);
}

function withLength(bytes: Uint8Array): Uint8Array {
  return concat(varUint(bytes.length), bytes);
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : new Uint8Array(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/** Returns an update that inserts `text` into text type `t` of a fresh document. */
export const textUpdate = (text: string, name = 't'): Uint8Array => {
  const doc = new Y.Doc();
  doc.getText(name).insert(0, text);
  return Y.encodeStateAsUpdate(doc);
};

/**
 * Sends `frame` followed by a queryAwareness and waits for the answer: since a
 * connection's frames are handled in order, the server has then handled `frame`.
 */
export const sendAndSettle = async (client: RawClient, frame: Uint8Array): Promise<void> => {
  const before = client.messages.filter((m) => m[0] === 1).length;
  client.ws.send(frame);
  client.ws.send(frames.queryAwareness());
  await waitFor(
    () => client.messages.filter((m) => m[0] === 1).length > before,
    'the answer to queryAwareness',
  );
};
