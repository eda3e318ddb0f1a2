import { Level } from 'level';
import * as Y from 'yjs';
import { mergeStateVectors } from './state-vector.js';
import type { NotebookStore, RoomWrite, StoredRoom } from './store.js';

// Key layout (room names never contain "!", see room-name.ts):
//   r!<room>!meta         JSON { epoch }
//   r!<room>!snap         Yjs update: the whole document at the last compaction
//   r!<room>!snapsv       Yjs state vector of that snapshot (absent for snapshots stored without one)
//   r!<room>!log!<seq>    Yjs update: one tick's merged updates; seq is 12 hex digits so keys sort by seq
//   t!<room>              Yjs state vector: tombstone of every deleted epoch
const roomPrefix = (room: string) => `r!${room}!`;
const metaKey = (room: string) => `r!${room}!meta`;
const snapKey = (room: string) => `r!${room}!snap`;
const snapSvKey = (room: string) => `r!${room}!snapsv`;
const logPrefix = (room: string) => `r!${room}!log!`;
const logKey = (room: string, seq: number) => logPrefix(room) + seq.toString(16).padStart(12, '0');
const tombKey = (room: string) => `t!${room}`;

// The whole key space (rooms, tombstones, and the classroom's `!classroom!` sublevel).
const firstKey = '\u0000';
const lastKey = '\uffff';

/**
 * LevelDB's memtable and write-ahead log: 1 MiB instead of LevelDB's 4 MiB, so
 * that the log of recent writes never dwarfs a small database.
 */
const writeBufferSize = 1024 * 1024;

/** Bytes written below which no background compaction runs, however small the tables. */
const minCompactionBytes = 64 * 1024;

/** What `level` offers on Node beyond its portable type (it is classic-level there). */
interface LevelDbExtras {
  compactRange(start: string, end: string): Promise<void>;
  approximateSize(start: string, end: string): Promise<number>;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * The LevelDB store: one database for every room, written with one atomic
 * batch per group-commit cycle (every room with work in that tick). Unlike
 * y-leveldb it has no per-update queue, rejects on every write error, and
 * leaves the merging of update logs into snapshots to the room, which does
 * it online.
 *
 * Bytes on disk follow the live data: LevelDB keeps every write in its log
 * and every overwritten or deleted entry in its tables until a compaction of
 * its own, so once the bytes written since the last one exceed the size of
 * the tables (at least 64 KiB), the store compacts the whole database in the
 * background (LevelDB's thread, not the event loop). Each compaction rewrites
 * the live data once per as many bytes written: about 2x write amplification.
 */
export class LevelStore implements NotebookStore {
  readonly db: Level<string, Uint8Array>;
  private writtenSinceCompaction = 0;
  private tablesBytes = 0;
  private compaction: Promise<void> | null = null;
  /** The last background compaction's error, if it failed (nothing is lost: it is retried later). */
  compactionError: Error | null = null;

  constructor(readonly location: string) {
    this.db = new Level<string, Uint8Array>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
      writeBufferSize,
    });
  }

  private get native(): LevelDbExtras {
    return this.db as unknown as LevelDbExtras;
  }

  /** Opens the database; rejects when the directory is locked or unreadable. */
  async open(): Promise<void> {
    await this.db.open();
    this.tablesBytes = await this.native.approximateSize(firstKey, lastKey);
  }

  /** Resolves once the background compaction in progress, if any, is done. */
  async compacted(): Promise<void> {
    await this.compaction;
  }

  private written(bytes: number): void {
    this.writtenSinceCompaction += bytes;
    if (this.compaction || this.writtenSinceCompaction < Math.max(minCompactionBytes, this.tablesBytes))
      return;
    this.compaction = this.compactAll().finally(() => {
      this.compaction = null;
    });
  }

  private async compactAll(): Promise<void> {
    this.writtenSinceCompaction = 0;
    try {
      await this.native.compactRange(firstKey, lastKey);
      this.tablesBytes = await this.native.approximateSize(firstKey, lastKey);
      this.compactionError = null;
    } catch (err) {
      this.compactionError = err instanceof Error ? err : new Error(String(err));
    }
  }

  async load(room: string): Promise<StoredRoom | null> {
    const meta = await this.db.get(metaKey(room));
    if (meta === undefined) return null;
    const { epoch } = JSON.parse(fromUtf8.decode(meta)) as { epoch: string };
    const [snapshot, stateVector] = (await this.db.getMany([snapKey(room), snapSvKey(room)])).map(
      (v) => v ?? null,
    );
    const updates: Uint8Array[] = [];
    const prefix = logPrefix(room);
    let logFrom = -1;
    let nextSeq = 0;
    for await (const [key, value] of this.db.iterator({ gt: prefix, lt: `${prefix}~` })) {
      const seq = Number.parseInt(key.slice(prefix.length), 16);
      if (logFrom < 0) logFrom = seq;
      nextSeq = seq + 1;
      updates.push(value);
    }
    return {
      epoch,
      snapshot: snapshot ?? null,
      stateVector: stateVector ?? null,
      updates,
      logFrom: logFrom < 0 ? nextSeq : logFrom,
      nextSeq,
    };
  }

  async create(room: string, epoch: string): Promise<void> {
    await this.db.put(metaKey(room), utf8.encode(JSON.stringify({ epoch })));
  }

  async append(room: string, seq: number, update: Uint8Array): Promise<void> {
    await this.db.put(logKey(room, seq), update);
    this.written(update.length);
  }

  async compact(
    room: string,
    snapshot: Uint8Array,
    from: number,
    to: number,
    stateVector?: Uint8Array,
  ): Promise<void> {
    const batch = this.db.batch().put(snapKey(room), snapshot);
    if (stateVector) batch.put(snapSvKey(room), stateVector);
    else batch.del(snapSvKey(room));
    for (let seq = from; seq < to; seq++) batch.del(logKey(room, seq));
    await batch.write();
    this.written(snapshot.length + 32 * (to - from));
  }

  async writeBatch(writes: readonly RoomWrite[]): Promise<void> {
    const ops: ({ type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string })[] = [];
    for (const write of writes) {
      if (write.kind === 'append')
        ops.push({ type: 'put', key: logKey(write.room, write.seq), value: write.update });
      else {
        ops.push({ type: 'put', key: snapKey(write.room), value: write.snapshot });
        if (write.stateVector)
          ops.push({ type: 'put', key: snapSvKey(write.room), value: write.stateVector });
        else ops.push({ type: 'del', key: snapSvKey(write.room) });
        for (let seq = write.from; seq < write.to; seq++)
          ops.push({ type: 'del', key: logKey(write.room, seq) });
      }
    }
    await this.db.batch(ops);
    let bytes = 0;
    for (const op of ops) bytes += op.key.length + (op.type === 'put' ? op.value.length : 0);
    this.written(bytes);
  }

  async delete(room: string, stateVector: Uint8Array): Promise<void> {
    const previous = await this.db.get(tombKey(room));
    const merged = previous
      ? mergeStateVectors(Y.decodeStateVector(previous), Y.decodeStateVector(stateVector))
      : Y.decodeStateVector(stateVector);
    const batch = this.db.batch().put(tombKey(room), Y.encodeStateVector(merged));
    const prefix = roomPrefix(room);
    for await (const key of this.db.keys({ gt: prefix, lt: `${prefix}~` })) batch.del(key);
    await batch.write();
  }

  async tombstone(room: string): Promise<Uint8Array | null> {
    return (await this.db.get(tombKey(room))) ?? null;
  }

  async exists(room: string): Promise<boolean> {
    return (await this.db.get(metaKey(room))) !== undefined;
  }

  /**
   * Closes the database, after a last compaction when much was written since
   * the previous one (a server stops after compacting its rooms' logs into
   * snapshots, so this leaves only live data on disk).
   */
  async close(): Promise<void> {
    await this.compaction;
    if (this.db.status === 'open' && this.writtenSinceCompaction >= this.tablesBytes / 4)
      await this.compactAll();
    await this.db.close();
  }
}
