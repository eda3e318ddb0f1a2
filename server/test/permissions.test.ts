// The permissions matrix: every kind of token against the WebSocket and every
// HTTP endpoint of /api/notebooks, then every role against every kind of
// WebSocket message (alone and batched in one frame) and every endpoint, and
// awareness impersonation. Each row states its expected result.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jupyterGateway } from '@candyce/kernels';
import { getCell, sourceOf } from '@candyce/model';
import { type Role, roles } from '@candyce/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type CandyceServer, createLogger, createServer } from '../src/index.js';
import {
  connect,
  frames,
  lockedNotebook,
  type RawClient,
  rawClient,
  secret,
  sendAndSettle,
  textUpdate,
  token,
  waitFor,
} from './helpers.js';

let server: CandyceServer;
let http: string;
let ws: string;
let dataDir: string;

beforeAll(async () => {
  // The gateway points at a closed port: the matrix only reaches it when a
  // request passed every check, and a cell that does not exist answers 404 first.
  dataDir = await mkdtemp(join(tmpdir(), 'candyce-perm-'));
  server = createServer({
    logger: createLogger('silent'),
    secret,
    dataDir,
    port: 0,
    execution: { gateway: jupyterGateway({ url: 'http://127.0.0.1:9/' }) },
  });
  const port = await server.listen();
  http = `http://127.0.0.1:${port}`;
  ws = `ws://127.0.0.1:${port}/sync`;
});

afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

let roomCounter = 0;
/** A fresh room name per matrix cell, so cells cannot see each other's effects. */
const freshRoom = (what: string) => `perm-${what}-${++roomCounter}`;

const roomDoc = async (room: string): Promise<Y.Doc> => (await server.rooms.peek(room))!.doc;
const text = async (room: string, name = 't') => (await roomDoc(room)).getText(name).toString();

const request = (
  method: string,
  path: string,
  bearer: string | null,
  body?: string,
): Promise<{ status: number; body: { error?: string } & Record<string, unknown> }> =>
  fetch(`${http}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
    },
    ...(body === undefined ? {} : { body }),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: string } }));

const put = async (room: string, notebook: unknown = lockedNotebook) => {
  const res = await request(
    'PUT',
    `/api/notebooks/${room}`,
    await token({ role: 'teacher' }),
    JSON.stringify(notebook),
  );
  expect(res.status).toBe(201);
};

/** Opens a raw connection as `role` (name `Ada`) and waits until the room answered a queryAwareness. */
const openAs = async (role: Role, room: string, name = 'Ada'): Promise<RawClient> => {
  const client = rawClient(ws, room, await token({ role, name, sub: `${role}-${name}` }));
  await client.opened;
  await sendAndSettle(client, frames.queryAwareness());
  return client;
};

const awarenessOf = async (room: string) => (await server.rooms.peek(room))!.awareness.getStates();
const step2Answers = (client: RawClient) => client.messages.filter((m) => m[0] === 0 && m[1] === 1).length;
const awarenessAnswers = (client: RawClient) => client.messages.filter((m) => m[0] === 1).length;

describe('permissions: tokens', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const tokenCases: {
    what: string;
    make: () => Promise<string | null>;
    ws: [number, RegExp];
    http: number;
  }[] = [
    { what: 'no token', make: async () => null, ws: [4401, /no token/], http: 401 },
    {
      what: 'a token with a bad signature',
      make: () => token({ role: 'teacher' }, '1h', 'another-secret-of-the-same-length!!'),
      ws: [4401, /invalid token/],
      http: 401,
    },
    {
      what: 'an unsigned token (alg none)',
      make: async () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
          JSON.stringify({ sub: 'x', name: 'x', role: 'teacher', rooms: ['*'] }),
        ).toString('base64url')}.`,
      ws: [4401, /invalid token/],
      http: 401,
    },
    {
      what: 'an expired token',
      make: () => token({ role: 'teacher' }, now() - 60),
      ws: [4401, /token expired/],
      http: 401,
    },
    {
      what: 'a token with an unknown role',
      make: () => token({ role: 'admin' }),
      ws: [4401, /role must be/],
      http: 401,
    },
    {
      what: 'a token for another room',
      make: () => token({ role: 'teacher', rooms: ['other-room', 'perm-x*'] }),
      ws: [4403, /not in your token/],
      http: 403,
    },
  ];

  for (const c of tokenCases) {
    it(`closes a WebSocket with ${c.what} with ${c.ws[0]}`, async () => {
      const closed = await rawClient(ws, 'perm-tokens', (await c.make()) ?? undefined).closed;
      expect(closed.code).toBe(c.ws[0]);
      expect(closed.reason).toMatch(c.ws[1]);
    });

    const endpoints: [string, string, string?][] = [
      ['GET', '/api/notebooks/perm-tokens'],
      ['PUT', '/api/notebooks/perm-tokens', JSON.stringify(lockedNotebook)],
      ['DELETE', '/api/notebooks/perm-tokens'],
      ['POST', '/api/notebooks/perm-tokens/execute', '{"cell_id":"answer"}'],
      ['POST', '/api/notebooks/perm-tokens/interrupt', ''],
    ];
    it(`answers ${c.http} to ${c.what} on every endpoint and changes nothing`, async () => {
      const bearer = await c.make();
      for (const [method, path, body] of endpoints) {
        const res = await request(method, path, bearer, body);
        expect(res.status, `${method} ${path}`).toBe(c.http);
        expect(res.body.error, `${method} ${path}`).toMatch(/Unauthorized|Forbidden/);
      }
      expect(await server.rooms.exists('perm-tokens')).toBe(false);
    });
  }

  it('closes a session whose token expires mid-session with 4401 and applies nothing after', async () => {
    const room = freshRoom('expiring');
    const client = connect(ws, room, await token({ role: 'student' }, now() + 2));
    await waitFor(() => client.provider.synced, 'the client to sync');
    client.text.insert(0, 'before');
    await waitFor(async () => (await text(room)) === 'before', 'the edit before expiry');
    await waitFor(() => client.closes.length > 0, 'the server to close the expired session', 6000);
    expect(client.closes[0]).toEqual({ code: 4401, reason: 'Token expired' });
    // The stock client does not reconnect after a 44xx code: nothing else gets in.
    client.text.insert(6, ' after');
    await new Promise((r) => setTimeout(r, 300));
    expect(client.provider.wsconnected).toBe(false);
    expect(await server.rooms.exists(room)).toBe(true);
  });
});

describe('permissions: roles against WebSocket messages', () => {
  // Every row: the frame to send and, for each role, what must follow.
  type Outcome = 'applied' | 'dropped' | 'answered' | 'closed 4423' | 'ignored';
  interface Row {
    what: string;
    expected: Record<Role, Outcome>;
    run(role: Role, room: string): Promise<Outcome>;
  }

  const writeRow = (what: string, frame: (marker: string) => Uint8Array): Row => ({
    what,
    expected: { viewer: 'dropped', student: 'applied', teacher: 'applied' },
    async run(role, room) {
      const client = await openAs(role, room);
      const marker = `${role}-${what}`;
      await sendAndSettle(client, frame(marker));
      return (await text(room)).includes(marker) ? 'applied' : 'dropped';
    },
  });

  const rows: Row[] = [
    {
      what: 'sync step 1',
      expected: { viewer: 'answered', student: 'answered', teacher: 'answered' },
      async run(role, room) {
        const client = await openAs(role, room);
        const before = step2Answers(client);
        await sendAndSettle(client, frames.step1(new Y.Doc()));
        return step2Answers(client) > before ? 'answered' : 'ignored';
      },
    },
    writeRow('sync step 2', (m) => frames.step2(textUpdate(m))),
    writeRow('update', (m) => frames.update(textUpdate(m))),
    {
      what: 'awareness with its own name',
      expected: { viewer: 'applied', student: 'applied', teacher: 'applied' },
      async run(role, room) {
        const client = await openAs(role, room);
        await sendAndSettle(client, frames.awareness(4242, 1, { user: { name: 'Ada' }, cursor: 3 }));
        return (await awarenessOf(room)).has(4242) ? 'applied' : 'dropped';
      },
    },
    {
      what: 'query awareness',
      expected: { viewer: 'answered', student: 'answered', teacher: 'answered' },
      async run(role, room) {
        const client = await openAs(role, room);
        const before = awarenessAnswers(client);
        client.ws.send(frames.queryAwareness());
        await waitFor(() => awarenessAnswers(client) > before, 'the awareness answer');
        return 'answered';
      },
    },
    {
      what: 'an auth message',
      expected: { viewer: 'ignored', student: 'ignored', teacher: 'ignored' },
      async run(role, room) {
        const client = await openAs(role, room);
        await sendAndSettle(client, new Uint8Array([2, 0, 3, 0x61, 0x62, 0x63]));
        return client.ws.readyState === client.ws.OPEN ? 'ignored' : 'dropped';
      },
    },
    writeRow('update hidden after a sync step 1 and an awareness in one frame', (m) =>
      frames.join(
        frames.step1(new Y.Doc()),
        frames.awareness(77, 1, { user: { name: 'Ada' } }),
        frames.update(textUpdate(m)),
      ),
    ),
    writeRow('sync step 2 hidden between two query awareness in one frame', (m) =>
      frames.join(frames.queryAwareness(), frames.step2(textUpdate(m)), frames.queryAwareness()),
    ),
    {
      what: 'update of a locked cell',
      expected: { viewer: 'dropped', student: 'closed 4423', teacher: 'applied' },
      async run(role, room) {
        await put(room);
        const client = await openAs(role, room);
        // Build the edit on a copy of the room, as an editor would.
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(await roomDoc(room)));
        const before = Y.encodeStateVector(copy);
        sourceOf(getCell(copy, 'given')).insert(0, '# changed\n');
        client.ws.send(frames.update(Y.encodeStateAsUpdate(copy, before)));
        const closed = await Promise.race([
          client.closed,
          sendAndSettle(client, frames.queryAwareness()).then(() => null),
        ]);
        if (closed) return closed.code === 4423 ? 'closed 4423' : 'ignored';
        return sourceOf(getCell(await roomDoc(room), 'given'))
          .toString()
          .startsWith('# changed')
          ? 'applied'
          : 'dropped';
      },
    },
  ];

  for (const row of rows) {
    for (const role of roles) {
      it(`${role} × ${row.what}: ${row.expected[role]}`, async () => {
        const room = freshRoom(role);
        expect(await row.run(role, room)).toBe(row.expected[role]);
      });
    }
  }

  it('a viewer frame with a step 1, two writes and an awareness: answered, writes dropped, presence kept', async () => {
    const room = freshRoom('viewer-batch');
    const client = await openAs('viewer', room);
    const before = step2Answers(client);
    await sendAndSettle(
      client,
      frames.join(
        frames.step1(new Y.Doc()),
        frames.update(textUpdate('one')),
        frames.awareness(91, 1, { user: { name: 'Ada' } }),
        frames.step2(textUpdate('two')),
      ),
    );
    expect(step2Answers(client)).toBeGreaterThan(before);
    expect(await text(room)).toBe('');
    expect((await awarenessOf(room)).has(91)).toBe(true);
  });
});

describe('permissions: awareness impersonation', () => {
  for (const role of roles) {
    it(`${role}: a state claiming another name is dropped, the connection stays`, async () => {
      const room = freshRoom('impersonate');
      const client = await openAs(role, room, 'Ada');
      await sendAndSettle(client, frames.awareness(501, 1, { user: { name: 'Mme Martin' } }));
      await sendAndSettle(client, frames.awareness(502, 1, { user: { name: 42 } }));
      await sendAndSettle(client, frames.awareness(503, 1, { user: 'Mme Martin' }));
      const states = await awarenessOf(room);
      expect([...states.keys()].filter((id) => id >= 501 && id <= 503)).toEqual([]);
      expect(client.ws.readyState).toBe(client.ws.OPEN);
    });

    it(`${role}: cannot change or remove another connection's presence`, async () => {
      const room = freshRoom('hijack');
      const owner = await openAs('student', room, 'Bob');
      await sendAndSettle(owner, frames.awareness(600, 1, { user: { name: 'Bob' } }));
      const other = await openAs(role, room, 'Bob');
      await sendAndSettle(other, frames.awareness(600, 5, { user: { name: 'Bob' }, cursor: 'moved' }));
      await sendAndSettle(other, frames.awareness(600, 6, null));
      expect((await awarenessOf(room)).get(600)).toEqual({ user: { name: 'Bob' } });
    });
  }
});

describe('permissions: roles against HTTP endpoints', () => {
  // Expected status of each endpoint for each role; the room exists with a code cell `answer`.
  const matrix: { method: string; suffix: string; body?: string; expected: Record<Role, number> }[] = [
    { method: 'GET', suffix: '', expected: { viewer: 200, student: 200, teacher: 200 } },
    {
      method: 'PUT',
      suffix: '',
      body: JSON.stringify({ ...lockedNotebook, metadata: { changed: true } }),
      expected: { viewer: 403, student: 200, teacher: 200 },
    },
    // An unknown cell: 404 once the role may execute, before any kernel is started.
    {
      method: 'POST',
      suffix: '/execute',
      body: '{"cell_id":"no-such-cell"}',
      expected: { viewer: 403, student: 404, teacher: 404 },
    },
    { method: 'POST', suffix: '/interrupt', expected: { viewer: 403, student: 200, teacher: 200 } },
    { method: 'PATCH', suffix: '', expected: { viewer: 405, student: 405, teacher: 405 } },
    { method: 'GET', suffix: '/execute', expected: { viewer: 405, student: 405, teacher: 405 } },
    { method: 'DELETE', suffix: '', expected: { viewer: 403, student: 403, teacher: 200 } },
  ];

  for (const role of roles) {
    for (const row of matrix) {
      it(`${role} × ${row.method} /api/notebooks/<room>${row.suffix}: ${row.expected[role]}`, async () => {
        const room = freshRoom('http');
        await put(room);
        const bearer = await token({ role, sub: role });
        const res = await request(row.method, `/api/notebooks/${room}${row.suffix}`, bearer, row.body);
        expect(res.status).toBe(row.expected[role]);
        if (res.status >= 400) expect(typeof res.body.error).toBe('string');
        const exists = await server.rooms.exists(room);
        if (row.method === 'DELETE') expect(exists).toBe(row.expected[role] !== 200);
        if (row.method === 'PUT') {
          const metadata = (await roomDoc(room)).getMap('meta').toJSON().metadata;
          expect(metadata).toEqual(row.expected[role] === 200 ? { changed: true } : {});
        }
      });
    }
  }
});
