// Storage faults beyond store-failure.test.ts: a disk that fills up (every
// write fails with ENOSPC) and LevelDB failing for one room only, with stock
// clients that keep typing and reconnect by themselves. Affected rooms stop
// and say so (4500, and 503 for PUTs), other rooms keep working, the server
// stays up, and once writes succeed again every edit reaches the disk.
import { describe, expect, it } from 'vitest';
import {
  type FeatureKv,
  LevelStore,
  type LogEntry,
  type NotebookFiles,
  type NotebookStore,
  type RoomPage,
  type SnapshotEntry,
  type StoredRoom,
} from '../src/index.js';
import { connect, startServer, synced, type TestClient, tempDir, waitFor } from './helpers.js';

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/**
 * A real LevelDB store behind a switch: `full` fails every write as a full
 * disk does, `failing` fails the writes of the rooms it names. Reads work.
 */
class FaultyStore implements NotebookStore {
  full = false;
  readonly failing = new Set<string>();
  failedWrites = 0;
  /** Group commit, when the inner store has it: the batch fails if any of its rooms fails. */
  writeBatch?: (writes: readonly { room: string }[]) => Promise<void>;

  constructor(readonly inner: LevelStore) {
    const batch = (
      inner as unknown as { writeBatch?: (writes: readonly { room: string }[]) => Promise<void> }
    ).writeBatch;
    if (batch) {
      this.writeBatch = async (writes) => {
        for (const w of writes) this.check(w.room);
        await batch.call(inner, writes);
      };
    }
  }

  private check(room: string): void {
    if (this.full || this.failing.has(room)) {
      this.failedWrites++;
      throw this.full ? enospc() : new Error(`IO error: simulated LevelDB write failure for ${room}`);
    }
  }

  load(room: string): Promise<StoredRoom | null> {
    return this.inner.load(room);
  }
  readLog(room: string, from: number, to: number): Promise<LogEntry[]> {
    return this.inner.readLog(room, from, to);
  }
  readSnapshots(room: string, from: number, to: number): Promise<SnapshotEntry[]> {
    return this.inner.readSnapshots(room, from, to);
  }
  list(prefix: string, options?: { after?: string; limit?: number }): Promise<RoomPage> {
    return this.inner.list(prefix, options);
  }
  kv(namespace: string): FeatureKv {
    return this.inner.kv(namespace);
  }
  get files(): NotebookFiles {
    return this.inner.files;
  }
  async create(room: string, epoch: string): Promise<void> {
    this.check(room);
    await this.inner.create(room, epoch);
  }
  async append(room: string, seq: number, update: Uint8Array): Promise<void> {
    this.check(room);
    await this.inner.append(room, seq, update);
  }
  async compact(room: string, snapshot: Uint8Array, from: number, to: number): Promise<void> {
    this.check(room);
    await this.inner.compact(room, snapshot, from, to);
  }
  async delete(room: string, stateVector: Uint8Array): Promise<void> {
    this.check(room);
    await this.inner.delete(room, stateVector);
  }
  tombstone(room: string): Promise<Uint8Array | null> {
    return this.inner.tombstone(room);
  }
  exists(room: string): Promise<boolean> {
    return this.inner.exists(room);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const faultyServer = async () => {
  const dataDir = await tempDir();
  const inner = new LevelStore(dataDir);
  await inner.open();
  const store = new FaultyStore(inner);
  const server = await startServer({ dataDir, store, timings: { compactAfterUpdates: 20 } });
  return { ...server, store, dataDir };
};

/** Types `marker` then a counter into `client`'s text every few ms until `stop()`; returns what it typed. */
const typist = (client: TestClient, marker: string) => {
  let running = true;
  const typed: string[] = [];
  const done = (async () => {
    for (let i = 0; running; i++) {
      const word = `<${marker}:${i}>`;
      client.text.insert(client.text.length, word);
      typed.push(word);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    typed,
    stop: async () => {
      running = false;
      await done;
    },
  };
};

const reopen = async (dataDir: string, room: string): Promise<string> => {
  const again = await startServer({ dataDir });
  const reader = connect(again.ws, room);
  await synced(reader);
  const text = reader.text.toString();
  reader.destroy();
  await again.close();
  return text;
};

describe('storage faults', () => {
  it('stops only the room whose writes fail; others keep working; recovery saves everything typed', async () => {
    const { ws, http, store, dataDir, close } = await faultyServer();
    const sick = [connect(ws, 'sick'), connect(ws, 'sick')];
    const healthy = [connect(ws, 'healthy'), connect(ws, 'healthy')];
    await Promise.all([...sick, ...healthy].map((c) => synced(c)));
    const typists = [typist(sick[0]!, 's0'), typist(sick[1]!, 's1'), typist(healthy[0]!, 'h0')];
    await waitFor(
      () => sick[1]!.text.toString().includes('<s0:5>'),
      'the sick room to work before the fault',
    );

    store.failing.add('sick');
    await waitFor(
      () => sick.every((c) => c.closes.some((e) => e.code === 4500)),
      'both clients of the failing room to be told with 4500',
    );
    expect(sick[0]!.closes.find((e) => e.code === 4500)!.reason).toMatch(/could not save/);
    // Meanwhile the healthy room keeps syncing, and the server answers.
    const mark = healthy[0]!.text.length;
    await waitFor(() => healthy[1]!.text.length > mark + 50, 'the healthy room to keep syncing');
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    const put = await fetch(`${http}/api/notebooks/sick`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }),
    });
    expect(put.status).toBe(503);
    expect(((await put.json()) as { error: string }).error).toMatch(/could not be saved/);

    // Space is back: the clients reconnect by themselves and resend what was not saved.
    await new Promise((r) => setTimeout(r, 300));
    store.failing.clear();
    await new Promise((r) => setTimeout(r, 200));
    for (const t of typists) await t.stop();
    await waitFor(
      () => sick[0]!.text.toString() === sick[1]!.text.toString() && sick.every((c) => c.provider.synced),
      'the sick room to converge after recovery',
      20_000,
    );
    await waitFor(
      () => healthy[0]!.text.toString() === healthy[1]!.text.toString(),
      'the healthy room to converge',
    );
    const expectedSick = sick[0]!.text.toString();
    const expectedHealthy = healthy[0]!.text.toString();
    for (const word of [...typists[0]!.typed, ...typists[1]!.typed])
      expect(expectedSick.split(word).length - 1, `${word} once in the sick room`).toBe(1);
    for (const word of typists[2]!.typed) expect(expectedHealthy.split(word).length - 1, word).toBe(1);
    console.log(
      `storage fault (one room): ${typists[0]!.typed.length + typists[1]!.typed.length} words typed in the failing room, ${store.failedWrites} writes failed, lost 0`,
    );
    for (const c of [...sick, ...healthy]) c.destroy();
    await close();
    expect(await reopen(dataDir, 'sick')).toBe(expectedSick);
    expect(await reopen(dataDir, 'healthy')).toBe(expectedHealthy);
  }, 60_000);

  it('survives a full disk: every room says so, reads still work, and nothing is lost once space is back', async () => {
    const { ws, http, store, dataDir, close } = await faultyServer();
    const rooms = ['full-a', 'full-b', 'full-c'];
    const clients = rooms.flatMap((room) => [connect(ws, room), connect(ws, room)]);
    await Promise.all(clients.map((c) => synced(c)));
    const typists = clients.map((c, i) => typist(c, `c${i}`));
    await waitFor(() => clients[1]!.text.toString().includes('<c0:3>'), 'typing to flow');
    const before = await (await fetch(`${http}/api/notebooks/full-a`)).json();

    store.full = true;
    await waitFor(
      () => clients.every((c) => c.closes.some((e) => e.code === 4500)),
      'every client to be told',
    );
    // Reads still work while the disk is full; the server stays up.
    const during = await fetch(`${http}/api/notebooks/full-a`);
    expect([200, 503]).toContain(during.status);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect(before).toBeTruthy();

    await new Promise((r) => setTimeout(r, 500));
    store.full = false;
    await new Promise((r) => setTimeout(r, 200));
    for (const t of typists) await t.stop();
    for (let r = 0; r < rooms.length; r++) {
      const [a, b] = [clients[2 * r]!, clients[2 * r + 1]!];
      await waitFor(
        () => a.text.toString() === b.text.toString() && a.provider.synced && b.provider.synced,
        `${rooms[r]} to converge after the disk has space again`,
        20_000,
      );
    }
    const expected = rooms.map((_, r) => clients[2 * r]!.text.toString());
    let words = 0;
    for (const [i, t] of typists.entries()) {
      const text = expected[Math.floor(i / 2)]!;
      for (const word of t.typed) {
        words++;
        expect(text.split(word).length - 1, `${word} once`).toBe(1);
      }
    }
    console.log(
      `storage fault (disk full): ${words} words typed in 3 rooms, ${store.failedWrites} writes failed, lost 0`,
    );
    for (const c of clients) c.destroy();
    await close();
    for (const [r, room] of rooms.entries()) expect(await reopen(dataDir, room)).toBe(expected[r]);
  }, 60_000);
});
