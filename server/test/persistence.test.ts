import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LevelStore } from '../src/index.js';
import { connect, frames, rawClient, startServer, synced, tempDir, waitFor } from './helpers.js';

/** Reads a room as stored in a (closed) data directory. */
const storedRoom = async (dataDir: string, room: string) => {
  const store = new LevelStore(dataDir);
  await store.open();
  try {
    return await store.load(room);
  } finally {
    await store.close();
  }
};

describe('persistence', () => {
  it('keeps every edit across a restart', async () => {
    const first = await startServer();
    const a = connect(first.ws, 'restart');
    await synced(a);
    for (let i = 0; i < 50; i++) a.text.insert(a.text.length, `${i},`);
    const expected = a.text.toString();
    const b = connect(first.ws, 'restart');
    await waitFor(() => b.text.toString() === expected, 'second client to see every edit');
    a.destroy();
    b.destroy();
    await first.close();

    const second = await startServer({ dataDir: first.dataDir });
    const c = connect(second.ws, 'restart');
    await synced(c);
    expect(c.text.toString()).toBe(expected);
  });

  it('keeps every edit when an idle room is unloaded and loaded again', async () => {
    const { ws, server } = await startServer({ timings: { idleUnloadMs: 50 } });
    const a = connect(ws, 'idle');
    await synced(a);
    a.text.insert(0, 'before unload');
    const b = connect(ws, 'idle');
    await waitFor(() => b.text.toString() === 'before unload', 'second client to see the edit');
    a.destroy();
    b.destroy();
    await waitFor(() => server.rooms.size === 0, 'the room to unload');
    const c = connect(ws, 'idle');
    await synced(c);
    expect(c.text.toString()).toBe('before unload');
    expect(server.rooms.size).toBe(1);
  });

  it('compacts the update log online so storage stays near the document size', async () => {
    const dataDir = await tempDir();
    const liveStore = new LevelStore(dataDir);
    await liveStore.open();
    const { ws, close } = await startServer({
      dataDir,
      store: liveStore,
      timings: { compactAfterUpdates: 5, compactAfterBytes: 1 << 20 },
    });
    const a = connect(ws, 'compact');
    const b = connect(ws, 'compact');
    await Promise.all([synced(a), synced(b)]);
    // 12 rounds, each seen by the other client before the next: at least 12 separate writes.
    for (let round = 1; round <= 12; round++) {
      for (let i = 0; i < 25; i++) a.text.insert(a.text.length, 'x');
      await waitFor(() => b.text.length === round * 25, `second client to see round ${round}`);
    }
    // Online: while the room is loaded, the log never holds much more than the threshold.
    const live = await liveStore.load('compact');
    expect(live!.snapshot).not.toBeNull();
    expect(live!.updates.length).toBeLessThanOrEqual(6);
    const expected = a.text.toString();
    a.destroy();
    b.destroy();
    await close();

    const store = new LevelStore(dataDir);
    await store.open();
    const stored = await store.load('compact');
    await store.close();
    expect(stored).not.toBeNull();
    // Compacted on unload: a snapshot and an empty log.
    expect(stored!.updates.length).toBe(0);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored!.snapshot!);
    expect(doc.getText('t').toString()).toBe(expected);
    expect(stored!.snapshot!.length).toBeLessThan(Y.encodeStateAsUpdate(doc).length * 2);
  });

  it('keeps the bytes on disk near the document size, not near the bytes written', async () => {
    // A fast typist: above the default per-connection message rate.
    const { ws, close, dataDir } = await startServer({
      limits: { messagesPerSecond: 1e6, messageBurst: 1e6 },
    });
    const a = connect(ws, 'typed');
    const b = connect(ws, 'typed');
    await Promise.all([synced(a), synced(b)]);
    // 12,000 keystrokes, each its own update, of varied text (so that compression does not hide the bytes).
    let seed = 7;
    const letter = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(97 + (seed % 26));
    };
    for (let round = 1; round <= 200; round++) {
      for (let i = 0; i < 60; i++) a.text.insert(Math.floor(a.text.length / 2), letter());
      await waitFor(() => b.text.length === round * 60, `second client to see round ${round}`);
    }
    const encoded = Y.encodeStateAsUpdate(b.doc).length;
    a.destroy();
    b.destroy();
    await close();
    let onDisk = 0;
    for (const name of await readdir(dataDir)) onDisk += (await stat(join(dataDir, name))).size;
    // LevelDB keeps every write in its log and every deleted entry in its tables until it compacts.
    expect(onDisk, `${onDisk} bytes on disk for a document of ${encoded} bytes`).toBeLessThanOrEqual(
      2 * encoded,
    );

    const second = await startServer({ dataDir });
    const c = connect(second.ws, 'typed');
    await synced(c);
    expect(Y.encodeStateAsUpdate(c.doc).length).toBe(encoded);
  });

  it('after a restart, serves the stored snapshot as stored and takes edits from new and returning clients', async () => {
    const first = await startServer();
    const a = connect(first.ws, 'reopened');
    await synced(a);
    a.text.insert(0, 'before restart');
    const offlineDoc = new Y.Doc();
    const b = connect(first.ws, 'reopened', undefined, offlineDoc);
    await waitFor(() => b.text.toString() === 'before restart', 'the second client to see the edit');
    b.provider.destroy();
    a.destroy();
    await first.close();
    const snapshot = (await storedRoom(first.dataDir, 'reopened'))!.snapshot!;

    const second = await startServer({ dataDir: first.dataDir });
    // A new client gets the stored snapshot byte for byte as its sync step 2, after the stored state vector.
    const raw = rawClient(second.ws, 'reopened');
    await raw.opened;
    raw.ws.send(frames.step1(new Y.Doc()));
    await waitFor(() => raw.messages.some((m) => m[0] === 0 && m[1] === 1), 'the sync step 2');
    const storedDoc = new Y.Doc();
    Y.applyUpdate(storedDoc, snapshot);
    expect(raw.messages.find((m) => m[0] === 0 && m[1] === 0)).toEqual(frames.step1(storedDoc));
    expect(raw.messages.find((m) => m[0] === 0 && m[1] === 1)).toEqual(frames.step2(snapshot));
    raw.ws.close();
    const fresh = connect(second.ws, 'reopened');
    await synced(fresh);
    expect(fresh.text.toString()).toBe('before restart');
    expect(fresh.doc.getMap('state').get('document_id')).toEqual(expect.any(String));
    // A returning client with an offline edit, and an edit from the new one: both everywhere.
    b.text.insert(0, 'offline, ');
    const back = connect(second.ws, 'reopened', undefined, offlineDoc);
    fresh.text.insert(fresh.text.length, ', after restart');
    const expected = 'offline, before restart, after restart';
    await waitFor(
      () => back.text.toString() === expected && fresh.text.toString() === expected,
      'both clients to converge',
    );
    back.destroy();
    fresh.destroy();
    await second.close();
    const third = await startServer({ dataDir: first.dataDir });
    const check = connect(third.ws, 'reopened');
    await synced(check);
    expect(check.text.toString()).toBe(expected);
  });

  it('never serves a document before its stored state is loaded', async () => {
    const first = await startServer();
    const a = connect(first.ws, 'loaded-first');
    await synced(a);
    a.text.insert(0, 'stored');
    const room = await first.server.rooms.peek('loaded-first');
    await waitFor(() => room?.doc.getText('t').toString() === 'stored', 'the server to receive the edit');
    a.destroy();
    await first.close();

    // A slow disk: loading takes 300 ms, while the client asks for sync at once.
    const store = new LevelStore(first.dataDir);
    await store.open();
    const load = store.load.bind(store);
    store.load = async (room) => {
      await new Promise((r) => setTimeout(r, 300));
      return load(room);
    };
    const second = await startServer({ dataDir: first.dataDir, store });
    // The very first state a client gets must already hold the stored text.
    const b = connect(second.ws, 'loaded-first');
    const seen: string[] = [];
    b.doc.on('update', () => seen.push(b.text.toString()));
    await synced(b);
    expect(seen).toEqual(['stored']);
  });
});
