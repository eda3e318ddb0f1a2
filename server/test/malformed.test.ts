import { describe, expect, it } from 'vitest';
import {
  connect,
  frames,
  rawClient,
  seededRandom,
  sendAndSettle,
  startServer,
  synced,
  waitFor,
} from './helpers.js';

const crafted: [string, number[]][] = [
  ['an empty frame', []],
  ['an unknown message type', [7, 1, 2]],
  ['an unknown sync message type', [0, 9, 0]],
  ['a truncated varint message type', [0x80]],
  ['a truncated varint length', [0, 2, 0xff]],
  ['an absurd length', [0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]],
  ['a length beyond the frame', [0, 1, 10, 1, 2]],
  ['an invalid Yjs update', [0, 2, 6, 1, 1, 0xff, 0xff, 0xff, 0x7f]],
  ['an invalid state vector', [0, 0, 2, 5, 0x80]],
  ['an awareness update with invalid JSON', [1, 6, 1, 5, 1, 2, 0x7b, 0x7b]],
  ['a truncated awareness update', [1, 3, 2, 5, 1]],
];

describe('malformed frames', () => {
  for (const [what, bytes] of crafted) {
    it(`closes the connection that sends ${what} with 4400`, async () => {
      const { ws } = await startServer();
      const raw = rawClient(ws, 'room');
      await raw.opened;
      raw.ws.send(new Uint8Array(bytes));
      expect((await raw.closed).code).toBe(4400);
    });
  }

  it('closes a connection that sends a text frame with 4400', async () => {
    const { ws } = await startServer();
    const raw = rawClient(ws, 'room');
    await raw.opened;
    raw.ws.send('hello');
    expect(await raw.closed).toEqual({ code: 4400, reason: 'Malformed message' });
  });

  it('keeps the room and every other room working while clients send random bytes', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1e9);
    const random = seededRandom(seed);
    const { ws, http } = await startServer();
    const a = connect(ws, 'shared');
    const b = connect(ws, 'shared');
    const other = connect(ws, 'elsewhere');
    await Promise.all([synced(a), synced(b), synced(other)]);
    for (let i = 0; i < 30; i++) {
      const raw = rawClient(ws, i % 2 ? 'shared' : 'elsewhere');
      await raw.opened;
      const bytes = new Uint8Array(1 + Math.floor(random() * 64)).map(() => Math.floor(random() * 256));
      raw.ws.send(bytes);
      // Either refused as malformed or (rarely) a valid message: never anything else.
      const outcome = await Promise.race([
        raw.closed,
        sendAndSettle(raw, new Uint8Array([3])).then(() => null),
      ]);
      if (outcome) expect(outcome.code, `seed ${seed}, frame ${Array.from(bytes)}`).toBe(4400);
      raw.ws.terminate();
    }
    a.text.insert(0, 'still ');
    other.text.insert(0, 'alive');
    b.text.insert(0, 'working');
    await waitFor(
      () => a.text.length === 13 && a.text.toString() === b.text.toString(),
      'the shared room to sync',
    );
    const check = connect(ws, 'elsewhere');
    await waitFor(() => check.text.toString() === 'alive', 'the other room to sync');
    expect(await (await fetch(`${http}/healthz`)).json()).toMatchObject({ status: 'ok' });
  });

  it('accepts a valid frame on a fresh connection after refusing a malformed one', async () => {
    const { ws, server } = await startServer();
    const bad = rawClient(ws, 'room');
    await bad.opened;
    bad.ws.send(new Uint8Array([0, 2, 0xff]));
    await bad.closed;
    const good = rawClient(ws, 'room');
    await good.opened;
    await sendAndSettle(good, frames.awareness(5, 1, { cursor: 1 }));
    expect((await server.rooms.peek('room'))!.awareness.getStates().get(5)).toEqual({ cursor: 1 });
  });
});
