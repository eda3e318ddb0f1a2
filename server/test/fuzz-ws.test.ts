// Seeded fuzzing of the WebSocket protocol: thousands of hostile frames
// (random bytes, truncated varints, absurd lengths, mutated and gapped Yjs
// updates, oversized messages) against a live server with honest clients in
// the fuzzed rooms and in a bystander room. Every case either works like a
// valid message or closes only its own connection with a named code; the
// bystanders see nothing; the server stays up. FUZZ_CASES and SEED replay.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  connect,
  frames,
  type RawClient,
  rawClient,
  seededRandom,
  startServer,
  synced,
  type TestClient,
  waitFor,
} from './helpers.js';

const cases = Number(process.env.FUZZ_CASES ?? 2000);
const maxMessageBytes = 256 * 1024;

/** The close codes a hostile frame may earn, each with the reason it must carry. */
const allowed = new Map<number, RegExp>([
  [4400, /Malformed message/],
  [4413, /too large/i],
  [4429, /Too many messages/],
  [1009, /.*/],
]);

type Random = () => number;
const int = (random: Random, n: number) => Math.floor(random() * n);
const bytes = (random: Random, n: number) => new Uint8Array(n).map(() => int(random, 256));

const varUint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) {
    out.push(128 | (n & 127));
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};

/** A small valid update by a fresh client: text, map and array edits. */
const validUpdate = (random: Random): Uint8Array => {
  const doc = new Y.Doc();
  const steps = 1 + int(random, 6);
  for (let i = 0; i < steps; i++) {
    const kind = int(random, 3);
    if (kind === 0)
      doc.getText('t').insert(0, String.fromCharCode(97 + int(random, 26)).repeat(1 + int(random, 20)));
    else if (kind === 1) doc.getMap('m').set(`k${int(random, 5)}`, int(random, 1000));
    else doc.getArray('a').push([{ x: int(random, 10) }]);
  }
  return Y.encodeStateAsUpdate(doc);
};

/** An update whose structs start at a clock the server never saw (missing dependencies). */
const gappedUpdate = (random: Random): Uint8Array => {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, 'a'.repeat(1 + int(random, 30)));
  const before = Y.encodeStateVector(doc);
  text.insert(int(random, text.length), 'gap');
  return Y.encodeStateAsUpdate(doc, before);
};

const mutate = (random: Random, update: Uint8Array): Uint8Array => {
  const out = Uint8Array.from(update);
  const flips = 1 + int(random, 4);
  for (let i = 0; i < flips; i++) out[int(random, out.length)] = int(random, 256);
  return random() < 0.3 ? out.slice(0, int(random, out.length)) : out;
};

const kinds: { name: string; make(random: Random): Uint8Array }[] = [
  { name: 'random bytes', make: (r) => bytes(r, 1 + int(r, 256)) },
  {
    name: 'random bytes after a valid header',
    make: (r) =>
      Uint8Array.from([...[[0, 0], [0, 1], [0, 2], [1], [3]][int(r, 5)]!, ...bytes(r, int(r, 64))]),
  },
  {
    name: 'a truncated varint',
    make: (r) => {
      const prefix = [[], [0], [0, 2], [1], [0, 1, 5]][int(r, 5)]!;
      return Uint8Array.from([...prefix, ...Array.from({ length: 1 + int(r, 9) }, () => 128 | int(r, 128))]);
    },
  },
  {
    name: 'an absurd length',
    make: (r) => {
      const header = [[0, 0], [0, 1], [0, 2], [1]][int(r, 4)]!;
      const length = [2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, maxMessageBytes * 4, 1e9][int(r, 5)]!;
      return Uint8Array.from([...header, ...varUint(length), ...bytes(r, int(r, 32))]);
    },
  },
  {
    name: 'a mutated Yjs update',
    make: (r) => {
      const update = mutate(r, validUpdate(r));
      return int(r, 2) ? frames.update(update) : frames.step2(update);
    },
  },
  {
    name: 'a mutated state vector',
    make: (r) => frames.join(new Uint8Array([0, 0]), withLength(mutate(r, Y.encodeStateVector(sample(r))))),
  },
  { name: 'an update with missing dependencies', make: (r) => frames.update(gappedUpdate(r)) },
  {
    name: 'an awareness update with bad JSON or counts',
    make: (r) => {
      const json = new TextEncoder().encode(['{', 'null', '[]', '{"user":', '"x"', '1e999'][int(r, 6)]!);
      const count = [1, 2, 1000, 2 ** 31][int(r, 4)]!;
      return Uint8Array.from([
        1,
        ...withLength(
          Uint8Array.from([...varUint(count), ...varUint(int(r, 1e6)), 1, ...varUint(json.length), ...json]),
        ),
      ]);
    },
  },
  {
    name: 'a message above the size limit',
    make: (r) => frames.update(bytes(r, maxMessageBytes + 1 + int(r, 1000))),
  },
  {
    name: 'several valid sub-messages then garbage',
    make: (r) => frames.join(frames.queryAwareness(), frames.update(validUpdate(r)), bytes(r, 1 + int(r, 8))),
  },
  { name: 'a valid update', make: (r) => frames.update(validUpdate(r)) },
];

function withLength(b: Uint8Array): Uint8Array {
  return Uint8Array.from([...varUint(b.length), ...b]);
}

function sample(r: Random): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, validUpdate(r));
  return doc;
}

/** GETs `path` exactly as written (fetch would resolve `..` and `%2E%2E` segments first). */
const rawGet = (base: string, path: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

/** Sends `frame` and resolves to the close event, or null when the connection answered a queryAwareness after it. */
const outcomeOf = async (
  client: RawClient,
  frame: Uint8Array,
): Promise<{ code: number; reason: string } | null> => {
  const answered = () => client.messages.filter((m) => m[0] === 1).length;
  const before = answered();
  client.ws.send(frame);
  if (client.ws.readyState === client.ws.OPEN) client.ws.send(frames.queryAwareness());
  const settled = new Promise<null>((resolve) => {
    const timer = setInterval(() => {
      if (answered() > before) {
        clearInterval(timer);
        resolve(null);
      }
    }, 2);
    void client.closed.then(() => clearInterval(timer));
  });
  return Promise.race([client.closed, settled]);
};

describe('WebSocket protocol fuzzing', () => {
  it(`survives ${cases} seeded hostile frames; only the offender is closed, bystanders see nothing`, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1e9);
    const random = seededRandom(seed);
    const { ws, http, server } = await startServer({
      limits: { maxMessageBytes, messagesPerSecond: 100_000, messageBurst: 100_000 },
    });
    const rooms = ['fuzz-a', 'fuzz-b', 'fuzz-c'];
    const honest: TestClient[] = rooms.flatMap((room) => [connect(ws, room), connect(ws, room)]);
    const bystanders = [connect(ws, 'bystander'), connect(ws, 'bystander')];
    await Promise.all([...honest, ...bystanders].map((c) => synced(c)));
    bystanders[0]!.text.insert(0, 'quiet room');
    await waitFor(() => bystanders[1]!.text.toString() === 'quiet room', 'the bystanders to sync');
    let foreignUpdates = 0;
    for (const b of bystanders) {
      b.doc.on('update', (_u: Uint8Array, origin: unknown) => {
        if (origin === b.provider) foreignUpdates++;
      });
    }
    // Presence in the bystander room: only the two bystanders may ever appear (ids seen on the server).
    const ownIds = new Set(bystanders.map((b) => b.doc.clientID));
    const strangers = new Set<number>();
    const room = (await server.rooms.peek('bystander'))!;
    room.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }) => {
      for (const id of [...added, ...updated]) if (!ownIds.has(id)) strangers.add(id);
    });

    const tally = new Map<string, number>();
    const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
    let current: RawClient | null = null;
    for (let i = 0; i < cases; i++) {
      const kind = kinds[int(random, kinds.length)]!;
      const frame = kind.make(random);
      if (!current || current.ws.readyState !== current.ws.OPEN) {
        current = rawClient(ws, rooms[int(random, rooms.length)]!);
        await current.opened;
      }
      const closed = await outcomeOf(current, frame);
      const where = `seed ${seed}, case ${i} (${kind.name}): ${Array.from(frame.slice(0, 48))}`;
      if (closed) {
        expect(allowed.has(closed.code), `${where} closed with ${closed.code} ${closed.reason}`).toBe(true);
        expect(closed.reason, where).toMatch(allowed.get(closed.code)!);
        count(`${kind.name} → ${closed.code}`);
        current.ws.terminate();
        current = null;
      } else count(`${kind.name} → accepted`);
    }
    console.log(
      `fuzz-ws seed ${seed}: ${cases} cases\n${[...tally]
        .sort()
        .map(([k, n]) => `  ${k}: ${n}`)
        .join('\n')}`,
    );

    // Honest clients of the fuzzed rooms still edit together.
    for (const [i, client] of honest.entries()) client.text.insert(0, `honest${i};`);
    for (let r = 0; r < rooms.length; r++) {
      const [a, b] = [honest[2 * r]!, honest[2 * r + 1]!];
      await waitFor(
        () => a.text.toString() === b.text.toString() && a.text.toString().includes(`honest${2 * r + 1};`),
        `the honest clients of ${rooms[r]} to converge`,
      );
    }
    // The bystander room received nothing from the fuzzing.
    expect(foreignUpdates, `seed ${seed}`).toBe(0);
    expect(bystanders[1]!.text.toString()).toBe('quiet room');
    expect([...strangers], `seed ${seed}`).toEqual([]);
    expect([...room.awareness.getStates().keys()].every((id) => ownIds.has(id))).toBe(true);
    expect((await server.rooms.peek('bystander'))!.doc.getText('t').toString()).toBe('quiet room');
    expect(await (await fetch(`${http}/healthz`)).json()).toMatchObject({ status: 'ok' });
  });

  it('refuses seeded hostile room names on the WebSocket and the HTTP API with 4400 and 400', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1e9);
    const random = seededRandom(seed);
    const { ws, http, server } = await startServer();
    const pieces = [
      '..',
      '../',
      '%2e%2e%2f',
      '%00',
      '\u0000',
      '!',
      'r!x!log',
      '*',
      '<img>',
      '%',
      '%ZZ',
      ' ',
      '\u202e',
      'é',
      '/',
      '?',
      '#',
    ];
    const names: string[] = ['', '.hidden', '-dash', 'x'.repeat(129), '..', 'a!snap'];
    for (let i = 0; i < 200; i++) {
      let name = '';
      for (let j = 0; j < 1 + int(random, 4); j++)
        name +=
          random() < 0.5 ? pieces[int(random, pieces.length)] : String.fromCharCode(33 + int(random, 94));
      names.push(name);
    }
    let refused = 0;
    for (const name of names) {
      // Every character but letters, digits, "_" and "-" percent-encoded, dots too: clients normalise "..".
      const encoded = [...name]
        .map((c) => (/[A-Za-z0-9_-]/.test(c) ? c : c === '.' ? '%2E' : encodeURIComponent(c)))
        .join('');
      const decoded = (() => {
        try {
          return decodeURIComponent(encoded);
        } catch {
          return null;
        }
      })();
      const valid = decoded !== null && /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(decoded);
      const res = await rawGet(http, `/api/notebooks/${encoded}`);
      const where = `seed ${seed}, room name ${JSON.stringify(name)}`;
      if (valid) expect(res.status, where).toBe(404);
      else if (decoded === '..') {
        // A double-dot segment is resolved by URL parsing, on the server too: /api/, no such route.
        expect(res.status, where).toBe(404);
        expect((JSON.parse(res.body) as { error: string }).error, where).toMatch(/No route/);
      } else if (decoded === '.') {
        // A single-dot segment resolves to /api/notebooks/: a notebook with no name.
        expect(res.status, where).toBe(400);
        expect((JSON.parse(res.body) as { error: string }).error, where).toBe('Room name is empty');
      } else {
        expect(res.status, where).toBe(400);
        expect((JSON.parse(res.body) as { error: string }).error, where).toMatch(/Room name|not valid/);
        const closed = await rawClient(ws, encoded).closed;
        expect(closed.code, where).toBe(4400);
        refused++;
      }
    }
    // Nothing was created, and no key outside a room's own prefix was touched.
    expect(server.rooms.size, `seed ${seed}`).toBe(0);
    console.log(`room-name fuzz seed ${seed}: ${names.length} names, ${refused} refused`);
  });
});
