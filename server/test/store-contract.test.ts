// The store seam's contract, on every back-end the server ships: LevelDB on
// disk and the memory store. Both must give the same answers, so that a
// feature written against one runs on the other (and on PostgreSQL later).

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  LevelStore,
  MemoryStore,
  type NotebookStore,
  type RetentionPolicy,
  StaleWriteError,
} from '../src/index.js';
import { onTeardown, seededRandom, tempDir } from './helpers.js';

interface Backend {
  name: string;
  /** A new, empty, open store. */
  make(retention?: RetentionPolicy): Promise<NotebookStore>;
  /** Closes `store` and opens what it stored again, as a restarted server does. */
  reopen(store: NotebookStore, retention?: RetentionPolicy): Promise<NotebookStore>;
}

const backends: Backend[] = [
  {
    name: 'LevelDB',
    async make(retention) {
      const store = new LevelStore(await tempDir(), retention ? { retention } : {});
      await store.open();
      onTeardown(() => store.close().catch(() => {}));
      return store;
    },
    async reopen(store, retention) {
      await store.close();
      const again = new LevelStore((store as LevelStore).location, retention ? { retention } : {});
      await again.open();
      onTeardown(() => again.close().catch(() => {}));
      return again;
    },
  },
  {
    name: 'memory',
    async make(retention) {
      return new MemoryStore(retention);
    },
    async reopen(store) {
      await store.close();
      await store.open?.();
      return store;
    },
  },
];

const bytes = (...values: number[]) => new Uint8Array(values);
const seqs = (entries: readonly { seq: number }[]) => entries.map((e) => e.seq);

/** A real Yjs update setting key `k` of map `m` to `v`. */
const update = (k: string, v: number): Uint8Array => {
  const doc = new Y.Doc();
  doc.getMap('m').set(k, v);
  return Y.encodeStateAsUpdate(doc);
};

describe.each(backends)('store contract: $name', (backend) => {
  it('stores a room, its log in order and its next sequence number', async () => {
    const store = await backend.make();
    expect(await store.load('r1')).toBeNull();
    await store.create('r1', 'epoch-1');
    for (let seq = 0; seq < 3; seq++) await store.append('r1', seq, bytes(seq, 7));
    const again = await backend.reopen(store);
    const room = await again.load('r1');
    expect(room?.epoch).toBe('epoch-1');
    expect(room?.updates.map((u) => [...u])).toEqual([
      [0, 7],
      [1, 7],
      [2, 7],
    ]);
    expect(room?.logFrom).toBe(0);
    expect(room?.nextSeq).toBe(3);
    expect(await again.exists('r1')).toBe(true);
    expect(await again.exists('r2')).toBe(false);
  });

  it('refuses an append whose sequence number is taken, and stores nothing of it', async () => {
    const store = await backend.make();
    await store.create('r', 'e');
    await store.append('r', 0, bytes(1));
    await expect(store.append('r', 0, bytes(2))).rejects.toBeInstanceOf(StaleWriteError);
    expect((await store.load('r'))?.updates.map((u) => [...u])).toEqual([[1]]);
  });

  it('refuses a stale append after compaction emptied the log, even after a restart', async () => {
    const store = await backend.make();
    await store.create('r', 'e');
    for (let seq = 0; seq < 4; seq++) await store.append('r', seq, update('a', seq));
    await store.compact('r', update('a', 3), 0, 4);
    const again = await backend.reopen(store);
    const room = await again.load('r');
    // Numbers are never given twice in an epoch: the next one survives an empty log.
    expect(room?.nextSeq).toBe(4);
    expect(room?.logFrom).toBe(4);
    await expect(again.append('r', 2, bytes(9))).rejects.toBeInstanceOf(StaleWriteError);
    await again.append('r', 4, bytes(4));
    expect((await again.load('r'))?.updates.length).toBe(1);
  });

  it('applies a group commit all or nothing: one stale room refuses the whole batch', async () => {
    const store = await backend.make();
    await store.create('a', 'e');
    await store.create('b', 'e');
    await store.append('b', 0, bytes(1));
    expect(store.writeBatch).toBeDefined();
    await expect(
      store.writeBatch!([
        { kind: 'append', room: 'a', seq: 0, update: bytes(5) },
        { kind: 'append', room: 'b', seq: 0, update: bytes(6) },
      ]),
    ).rejects.toBeInstanceOf(StaleWriteError);
    expect((await store.load('a'))?.updates).toEqual([]);
    expect((await store.load('b'))?.updates.map((u) => [...u])).toEqual([[1]]);
  });

  it('without retention, compaction drops what it replaced', async () => {
    const store = await backend.make();
    await store.create('r', 'e');
    for (let seq = 0; seq < 5; seq++) await store.append('r', seq, update('k', seq));
    expect(seqs(await store.readLog('r', 0, 100))).toEqual([0, 1, 2, 3, 4]);
    expect(seqs(await store.readLog('r', 1, 3))).toEqual([1, 2]);
    await store.compact('r', update('k', 4), 0, 5);
    await store.append('r', 5, update('k', 5));
    expect(seqs(await store.readLog('r', 0, 100))).toEqual([5]);
    expect(seqs(await store.readSnapshots('r', 0, 100))).toEqual([5]);
    expect(await store.readLog('nowhere', 0, 10)).toEqual([]);
    expect(await store.readLog('r', 3, 3)).toEqual([]);
  });

  it('keeps what compaction replaced within the retention window, and prunes older', async () => {
    const retention = { keepSeqs: 6 };
    const store = await backend.make(retention);
    await store.create('r', 'e');
    const doc = new Y.Doc();
    let seq = 0;
    // Three rounds of four edits, each ended by a compaction.
    for (let round = 0; round < 3; round++) {
      const from = seq;
      for (let i = 0; i < 4; i++, seq++) {
        const before = Y.encodeStateVector(doc);
        doc.getMap('m').set(`k${seq}`, seq);
        await store.append('r', seq, Y.encodeStateAsUpdate(doc, before));
      }
      await store.compact('r', Y.encodeStateAsUpdate(doc), from, seq, Y.encodeStateVector(doc));
    }
    const again = await backend.reopen(store, retention);
    // Window of 6 below the last compaction's end (12): entries 6 to 11 remain.
    const log = await again.readLog('r', 0, 100);
    expect(seqs(log)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(seqs(await again.readLog('r', 8, 10))).toEqual([8, 9]);
    // Snapshots replaced at 8 (taken when the log reached 8) and the current one at 12.
    const snapshots = await again.readSnapshots('r', 0, 100);
    expect(seqs(snapshots)).toEqual([8, 12]);
    // The retained snapshot plus the retained entries after it rebuild the current document.
    const rebuilt = new Y.Doc();
    Y.applyUpdate(rebuilt, snapshots[0]!.snapshot);
    expect(rebuilt.getMap('m').has('k8')).toBe(false);
    for (const entry of log.filter((e) => e.seq >= 8)) Y.applyUpdate(rebuilt, entry.update);
    expect(rebuilt.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
  });

  it('forgets a deleted room and its history, and keeps its tombstone', async () => {
    const store = await backend.make({ keepSeqs: 10 });
    await store.create('r', 'e1');
    await store.append('r', 0, update('a', 1));
    await store.compact('r', update('a', 1), 0, 1);
    const doc = new Y.Doc();
    doc.getMap('m').set('x', 1);
    await store.delete('r', Y.encodeStateVector(doc));
    expect(await store.load('r')).toBeNull();
    expect(await store.readLog('r', 0, 10)).toEqual([]);
    expect(await store.readSnapshots('r', 0, 10)).toEqual([]);
    const tomb = await store.tombstone('r');
    expect(tomb && Y.decodeStateVector(tomb).get(doc.clientID)).toBe(1);
    await store.create('r', 'e2');
    expect((await store.load('r'))?.nextSeq).toBe(0);
  });

  it('lists rooms by prefix, page by page, one entry per room whatever its log', async () => {
    const store = await backend.make();
    const names = ['act-1', 'act-1-a', 'act-1-b', 'act-10', 'act-2', 'act-1.x', 'act-1_y', 'other'];
    for (const name of names) {
      await store.create(name, 'e');
      for (let seq = 0; seq < 3; seq++) await store.append(name, seq, bytes(seq));
    }
    await store.delete('act-2', Y.encodeStateVector(new Y.Doc()));
    const all: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await store.list('act-', { limit: 2, ...(after ? { after } : {}) });
      expect(result.rooms.length).toBeLessThanOrEqual(2);
      all.push(...result.rooms);
      if (!result.next) break;
      after = result.next;
    }
    expect(all).toEqual(['act-1', 'act-1-a', 'act-1-b', 'act-1.x', 'act-10', 'act-1_y']);
    expect((await store.list('act-1-')).rooms).toEqual(['act-1-a', 'act-1-b']);
    expect((await store.list('')).rooms).toContain('other');
    expect(await store.list('nothing')).toEqual({ rooms: [], next: null });
    // Out-of-range limits are brought back into range rather than refused.
    expect((await store.list('', { limit: 0 })).rooms.length).toBe(1);
    expect((await store.list('', { limit: Number.NaN })).rooms.length).toBe(7);
  });

  it('gives each feature its own namespace, written atomically, kept across a restart', async () => {
    const store = await backend.make();
    const a = store.kv('classroom');
    const b = store.kv('traces');
    await a.put('x!1', { n: 1 });
    await a.batch([
      { type: 'put', key: 'x!2', value: { n: 2 } },
      { type: 'put', key: 'y!1', value: [1, 'deux'] },
    ]);
    await b.put('x!1', 'other');
    const value = { n: 3 };
    await a.put('x!3', value);
    value.n = 99;
    await a.batch([{ type: 'del', key: 'x!1' }]);
    const again = await backend.reopen(store);
    const a2 = again.kv('classroom');
    expect(await a2.list('x!')).toEqual([
      ['x!2', { n: 2 }],
      ['x!3', { n: 3 }],
    ]);
    expect(await a2.get('y!1')).toEqual([1, 'deux']);
    expect(await a2.get('x!1')).toBeUndefined();
    expect(await again.kv('traces').list('')).toEqual([['x!1', 'other']]);
    // Rooms and namespaces never meet.
    expect((await again.list('')).rooms).toEqual([]);
    for (const bad of ['', 'Classroom', 'a!b', 'files-data', 'x'.repeat(41), '-a'])
      expect(() => again.kv(bad), bad).toThrow(RangeError);
  });

  it('keeps the files attached to rooms across a restart', async () => {
    const store = await backend.make();
    await store.files.write('r', 'data.csv', bytes(1, 2, 3));
    const again = await backend.reopen(store);
    expect([...((await again.files.read('r', 'data.csv')) ?? [])]).toEqual([1, 2, 3]);
    expect((await again.files.list('r')).map((f) => f.name)).toEqual(['data.csv']);
  });

  it('agrees with a model of the log under seeded random appends and compactions', async () => {
    const seed = Number(process.env.STORE_SEED ?? Date.now() % 100_000);
    const random = seededRandom(seed);
    const store = await backend.make({ keepSeqs: 8 });
    await store.create('r', 'e');
    const model = new Map<number, number>();
    let logFrom = 0;
    let next = 0;
    for (let step = 0; step < 200; step++) {
      const roll = random();
      if (roll < 0.7) {
        await store.append('r', next, bytes(next % 256));
        model.set(next, next % 256);
        next++;
      } else if (roll < 0.85 && next > logFrom) {
        await store.compact('r', bytes(255), logFrom, next);
        logFrom = next;
        for (const seq of model.keys()) if (seq < next - 8) model.delete(seq);
      } else if (next > 0) {
        const stale = Math.floor(random() * next);
        await expect(store.append('r', stale, bytes(0)), `seed ${seed}`).rejects.toBeInstanceOf(
          StaleWriteError,
        );
      }
    }
    const log = await store.readLog('r', 0, next);
    expect(
      log.map((e) => [e.seq, e.update[0]]),
      `seed ${seed}`,
    ).toEqual([...model.entries()].sort(([x], [y]) => x - y));
    const room = await store.load('r');
    expect(room?.nextSeq, `seed ${seed}`).toBe(next);
    expect(room?.logFrom, `seed ${seed}`).toBe(logFrom);
  });
});
