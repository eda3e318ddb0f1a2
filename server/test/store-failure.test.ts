import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LevelStore, type RoomWrite } from '../src/index.js';
import { connect, covers, startServer, synced, tempDir, waitFor } from './helpers.js';

/**
 * A LevelDB store whose writes fail on demand, like a full or broken disk:
 * every write (`failing`), or those of some rooms only. A group-commit batch
 * that holds a failing room's write fails as a whole, as an atomic batch would.
 */
class FailingStore extends LevelStore {
  failing = false;
  readonly failingRooms = new Set<string>();
  batches = 0;
  private fails(room: string): boolean {
    return this.failing || this.failingRooms.has(room);
  }
  override async append(room: string, seq: number, update: Uint8Array): Promise<void> {
    if (this.fails(room)) throw new Error('EIO: simulated disk failure');
    return super.append(room, seq, update);
  }
  override async compact(room: string, snapshot: Uint8Array, from: number, to: number): Promise<void> {
    if (this.fails(room)) throw new Error('EIO: simulated disk failure');
    return super.compact(room, snapshot, from, to);
  }
  override async writeBatch(writes: readonly RoomWrite[]): Promise<void> {
    this.batches++;
    if (writes.some((w) => this.fails(w.room))) throw new Error('EIO: simulated disk failure');
    return super.writeBatch(writes);
  }
}

describe('store failures', () => {
  it('stops the room with 4500 on a write error and loses nothing that was broadcast', async () => {
    const dataDir = await tempDir();
    const store = new FailingStore(dataDir);
    await store.open();
    const first = await startServer({ dataDir, store });
    const writer = connect(first.ws, 'fragile');
    const reader = connect(first.ws, 'fragile');
    await Promise.all([synced(writer), synced(reader)]);
    writer.text.insert(0, 'saved');
    await waitFor(() => reader.text.toString() === 'saved', 'the saved edit to reach the reader');

    store.failing = true;
    writer.text.insert(5, ' unsaved');
    await waitFor(() => reader.closes.length > 0 && writer.closes.length > 0, 'both clients to be closed');
    expect(reader.closes[0]).toMatchObject({ code: 4500 });
    expect(reader.closes[0]!.reason).toMatch(/could not save/);
    // The failed write was never broadcast.
    expect(reader.text.toString()).toBe('saved');
    const seen = Y.encodeStateVector(reader.doc);
    writer.destroy();
    reader.destroy();
    expect(await first.server.metrics.errors.get()).toMatchObject({
      values: expect.arrayContaining([expect.objectContaining({ labels: { kind: 'store' } })]),
    });
    store.failing = false;
    await first.close();

    const second = await startServer({ dataDir });
    const check = connect(second.ws, 'fragile');
    await synced(check);
    expect(covers(check.doc, seen)).toBe(true);
    expect(check.text.toString()).toBe('saved');
  });

  it('stops only the failing room when rooms are written in one batch', async () => {
    const dataDir = await tempDir();
    const store = new FailingStore(dataDir);
    await store.open();
    const first = await startServer({ dataDir, store });
    const names = ['sound-1', 'broken', 'sound-2'];
    const writers = names.map((name) => connect(first.ws, name));
    const readers = names.map((name) => connect(first.ws, name));
    await Promise.all([...writers, ...readers].map((client) => synced(client)));
    store.failingRooms.add('broken');
    const batchesBefore = store.batches;
    // Many rounds of edits in the three rooms in the same ticks, so that they share batches.
    for (let round = 0; round < 20; round++) {
      for (const writer of writers) writer.text.insert(writer.text.length, `${round},`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => readers[1]!.closes.length > 0, 'the broken room to be stopped');
    expect(readers[1]!.closes[0]).toMatchObject({ code: 4500 });
    const expected = writers[0]!.text.toString();
    await waitFor(
      () => readers[0]!.text.toString() === expected && readers[2]!.text.toString() === expected,
      'the sound rooms to deliver every edit',
    );
    expect(store.batches).toBeGreaterThan(batchesBefore);
    expect(readers[0]!.closes).toEqual([]);
    expect(readers[2]!.closes).toEqual([]);
    // Nothing of the broken room's failed writes was broadcast.
    expect(readers[1]!.text.toString()).toBe('');
    for (const client of [...writers, ...readers]) client.destroy();
    store.failingRooms.clear();
    await first.close();

    const second = await startServer({ dataDir });
    for (const name of ['sound-1', 'sound-2']) {
      const check = connect(second.ws, name);
      await synced(check);
      expect(check.text.toString()).toBe(expected);
    }
  });

  it('refuses clients with 4500 when the room cannot be loaded', async () => {
    const dataDir = await tempDir();
    const store = new LevelStore(dataDir);
    await store.open();
    store.load = async () => {
      throw new Error('EIO: simulated read failure');
    };
    const { ws } = await startServer({ dataDir, store });
    const client = connect(ws, 'unreadable');
    await waitFor(() => client.closes.length > 0, 'the client to be refused');
    expect(client.closes[0]!.code).toBe(4500);
  });
});
