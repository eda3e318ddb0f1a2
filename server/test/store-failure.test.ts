import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LevelStore } from '../src/index.js';
import { connect, covers, startServer, synced, tempDir, waitFor } from './helpers.js';

/** A LevelDB store whose writes fail on demand, like a full or broken disk. */
class FailingStore extends LevelStore {
  failing = false;
  override async append(room: string, seq: number, update: Uint8Array): Promise<void> {
    if (this.failing) throw new Error('EIO: simulated disk failure');
    return super.append(room, seq, update);
  }
  override async compact(room: string, snapshot: Uint8Array, from: number, to: number): Promise<void> {
    if (this.failing) throw new Error('EIO: simulated disk failure');
    return super.compact(room, snapshot, from, to);
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
