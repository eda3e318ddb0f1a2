// Process faults under a live class: kill -9 of the server while 30 clients
// type unique markers, and SIGTERM under load across many rooms. The server
// restarts on the same port and data; the stock clients reconnect by
// themselves; in the end every document holds every marker exactly once, and
// so does the disk. CHAOS_CLIENTS, CHAOS_KILLS and SEED change the run.
import { LevelStore } from '@candyce/server';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { spawnServer } from '../../server/test/child-server.js';
import { connect, seededRandom, synced, tempDir, waitFor } from '../../server/test/helpers.js';
import { checkMarkers, startTyping } from './helpers.js';

const clientCount = Number(process.env.CHAOS_CLIENTS ?? 30);
const kills = Number(process.env.CHAOS_KILLS ?? 3);

/** Reads `rooms` from a fresh server process on `dataDir`: what the disk holds. */
const fromDisk = async (dataDir: string, rooms: string[]): Promise<string[]> => {
  const server = await spawnServer(dataDir);
  const readers = rooms.map((room) => connect(server.ws, room));
  await Promise.all(readers.map((r) => synced(r, 20_000)));
  const texts = readers.map((r) => r.text.toString());
  for (const r of readers) r.destroy();
  server.child.kill('SIGTERM');
  await server.exited;
  return texts;
};

describe('process faults', () => {
  it(`loses nothing and duplicates nothing when the server is killed with SIGKILL ${kills} times under ${clientCount} typing clients`, async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1e9);
    const random = seededRandom(seed);
    const dataDir = await tempDir();
    let server = await spawnServer(dataDir);
    const port = server.port;
    const clients = Array.from({ length: clientCount }, () => connect(server.ws, 'class'));
    await Promise.all(clients.map((c) => synced(c, 20_000)));
    const typists = clients.map((c, i) => startTyping(c, `k${i}`, 40, random));
    let reconnects = 0;
    for (const c of clients)
      c.provider.on('status', ({ status }: { status: string }) => status === 'connected' && reconnects++);

    for (let k = 0; k < kills; k++) {
      // Let the class type for a while, then kill the server without warning.
      await new Promise((r) => setTimeout(r, 800 + random() * 1200));
      server.child.kill('SIGKILL');
      expect((await server.exited).signal).toBe('SIGKILL');
      await waitFor(() => clients.every((c) => !c.provider.wsconnected), 'every client to notice the crash');
      // Typing goes on, offline, while the server is down.
      await new Promise((r) => setTimeout(r, 300 + random() * 700));
      server = await spawnServer(dataDir, { PORT: String(port) });
      await waitFor(
        () => clients.every((c) => c.provider.wsconnected && c.provider.synced),
        `every client to reconnect by itself after kill ${k + 1}`,
        30_000,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const t of typists) await t.stop();
    await waitFor(
      () => new Set(clients.map((c) => c.text.toString())).size === 1,
      `the ${clientCount} clients to converge (seed ${seed})`,
      60_000,
    );
    const final = clients[0]!.text.toString();
    const live = checkMarkers(final, typists);
    const markers = typists.reduce((n, t) => n + t.typed.length, 0);
    console.log(
      `kill -9 x${kills}: ${clientCount} clients, ${markers} markers (${live.keystrokes} keystrokes), ${reconnects} reconnections, missing ${live.missing.length}, duplicated ${live.duplicated.length} (seed ${seed})`,
    );
    expect(live.missing, `seed ${seed}`).toEqual([]);
    expect(live.duplicated, `seed ${seed}`).toEqual([]);
    for (const c of clients) c.destroy();
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(await fromDisk(dataDir, ['class'])).toEqual([final]);
  }, 300_000);

  it('flushes every room on SIGTERM under load, and the clients carry on after the restart', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1e9);
    const random = seededRandom(seed);
    const dataDir = await tempDir();
    let server = await spawnServer(dataDir);
    const port = server.port;
    const rooms = Array.from({ length: 10 }, (_, i) => `room-${i}`);
    const clients = rooms.flatMap((room) =>
      Array.from({ length: 3 }, () => ({ room, client: connect(server.ws, room) })),
    );
    await Promise.all(clients.map(({ client }) => synced(client, 20_000)));
    const typists = clients.map(({ client }, i) => startTyping(client, `t${i}`, 30, random));
    await new Promise((r) => setTimeout(r, 1500));
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    await waitFor(
      () => clients.every(({ client }) => client.closes.some((e) => e.code === 1012)),
      'every client to get 1012',
    );
    // Flushed: every marker one client saw from another (so the server had it) is on disk now,
    // before any client could resend it.
    const seen = clients.map(({ client }) => client.text.toString());
    const store = new LevelStore(dataDir);
    await store.open();
    let acknowledged = 0;
    for (const room of rooms) {
      const stored = await store.load(room);
      const doc = new Y.Doc();
      if (stored?.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const update of stored?.updates ?? []) Y.applyUpdate(doc, update);
      const disk = doc.getText('t').toString();
      for (const [i, t] of typists.entries()) {
        if (clients[i]!.room !== room) continue;
        const others = seen.filter((_, j) => j !== i && clients[j]!.room === room);
        for (const marker of t.typed.filter((m) => others.some((text) => text.includes(m)))) {
          acknowledged++;
          expect(
            disk.includes(marker),
            `${marker} was seen by others but is not on disk (seed ${seed})`,
          ).toBe(true);
        }
      }
    }
    await store.close();
    await new Promise((r) => setTimeout(r, 200));
    server = await spawnServer(dataDir, { PORT: String(port) });
    await waitFor(
      () => clients.every(({ client }) => client.provider.wsconnected && client.provider.synced),
      'every client to reconnect after the restart',
      30_000,
    );
    await new Promise((r) => setTimeout(r, 800));
    for (const t of typists) await t.stop();
    const finals = new Map<string, string>();
    for (const room of rooms) {
      const members = clients.filter((c) => c.room === room).map((c) => c.client);
      await waitFor(
        () => new Set(members.map((c) => c.text.toString())).size === 1,
        `${room} to converge`,
        30_000,
      );
      finals.set(room, members[0]!.text.toString());
    }
    let markers = 0;
    for (const [i, t] of typists.entries()) {
      const result = checkMarkers(finals.get(clients[i]!.room)!, [t]);
      markers += t.typed.length;
      expect(result.missing, `seed ${seed}`).toEqual([]);
      expect(result.duplicated, `seed ${seed}`).toEqual([]);
    }
    console.log(
      `SIGTERM under load: ${rooms.length} rooms, ${clients.length} clients, ${markers} markers, ${acknowledged} seen by others before the stop and all on disk, lost 0, duplicated 0 (seed ${seed})`,
    );
    for (const { client } of clients) client.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
    expect(await fromDisk(dataDir, rooms)).toEqual(rooms.map((room) => finals.get(room)));
  }, 300_000);
});
