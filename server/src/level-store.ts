import { Level } from 'level';
import * as Y from 'yjs';
import { levelFiles, type NotebookFiles } from './notebook-files.js';
import { mergeStateVectors } from './state-vector.js';
import {
  type FeatureKv,
  type LogEntry,
  listLimit,
  type NotebookStore,
  namespaceProblem,
  noRetention,
  type RetentionPolicy,
  type RoomPage,
  type RoomWrite,
  type SnapshotEntry,
  StaleWriteError,
  type StoredRoom,
} from './store.js';

// Key layout (room names never contain "!", see room-name.ts):
//   r!<room>!meta         JSON { epoch }
//   r!<room>!snap         Yjs update: the whole document at the last compaction
//   r!<room>!snapsv       Yjs state vector of that snapshot (absent for snapshots stored without one)
//   r!<room>!log!<seq>    Yjs update: one tick's merged updates; seq is 12 hex digits so keys sort by seq
//   r!<room>!next         12 hex digits: the next sequence number, written at each compaction
//                         (the log may be empty then, and numbers are never given twice in an epoch)
//   h!<room>!log!<seq>    a log entry compaction replaced, kept by the retention policy
//   h!<room>!snap!<seq>   a snapshot compaction replaced (covering the log before seq), likewise
//   t!<room>              Yjs state vector: tombstone of every deleted epoch
//   !<namespace>!…        a feature's namespace (a sublevel with JSON values, see kv())
const roomPrefix = (room: string) => `r!${room}!`;
const metaKey = (room: string) => `r!${room}!meta`;
const snapKey = (room: string) => `r!${room}!snap`;
const snapSvKey = (room: string) => `r!${room}!snapsv`;
const logPrefix = (room: string) => `r!${room}!log!`;
const logKey = (room: string, seq: number) => logPrefix(room) + hex(seq);
const nextKey = (room: string) => `r!${room}!next`;
const historyPrefix = (room: string) => `h!${room}!`;
const oldLogPrefix = (room: string) => `h!${room}!log!`;
const oldSnapPrefix = (room: string) => `h!${room}!snap!`;
const tombKey = (room: string) => `t!${room}`;
const hex = (seq: number) => seq.toString(16).padStart(12, '0');
const seqOf = (key: string, prefix: string) => Number.parseInt(key.slice(prefix.length), 16);
// Sorts after every key of a room: its sub-keys start with lower-case letters.
const afterRoom = (room: string) => `r!${room}!~`;

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

/** Rooms whose free sequence numbers a LevelStore remembers (about 100 bytes each). */
const maxKnownRooms = 100_000;

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
  readonly files: NotebookFiles;
  readonly retention: RetentionPolicy;
  private readonly spaces = new Map<string, FeatureKv>();
  private writtenSinceCompaction = 0;
  private tablesBytes = 0;
  private compaction: Promise<void> | null = null;
  /**
   * Per room, a sequence number from which on every number is free, learnt
   * from loading the room and from this store's own appends. LevelDB's lock
   * lets one process open the database, so no one else can take a number
   * behind this store's back: an append at or past it needs no read.
   */
  private readonly freeFrom = new Map<string, number>();
  /** The last background compaction's error, if it failed (nothing is lost: it is retried later). */
  compactionError: Error | null = null;

  constructor(
    readonly location: string,
    options: { retention?: RetentionPolicy } = {},
  ) {
    this.db = new Level<string, Uint8Array>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
      writeBufferSize,
    });
    this.files = levelFiles(this.db);
    this.retention = options.retention ?? noRetention;
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
    const [snapshot, stateVector, next] = (
      await this.db.getMany([snapKey(room), snapSvKey(room), nextKey(room)])
    ).map((v) => v ?? null);
    const updates: Uint8Array[] = [];
    const prefix = logPrefix(room);
    let logFrom = -1;
    let nextSeq = next ? Number.parseInt(fromUtf8.decode(next), 16) : 0;
    for await (const [key, value] of this.db.iterator({ gt: prefix, lt: `${prefix}~` })) {
      const seq = Number.parseInt(key.slice(prefix.length), 16);
      if (logFrom < 0) logFrom = seq;
      nextSeq = seq + 1;
      updates.push(value);
    }
    this.learnFree(room, nextSeq);
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
    await this.refuseStale([{ room, seq }]);
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
    const ops = await this.compactOps({
      kind: 'compact',
      room,
      snapshot,
      from,
      to,
      ...(stateVector ? { stateVector } : {}),
    });
    await this.db.batch(ops);
    this.written(bytesOf(ops));
  }

  /**
   * The writes of one compaction: the new snapshot and the next sequence
   * number, the replaced log entries deleted, or moved to the room's history
   * (with the replaced snapshot) when the retention policy keeps them, and
   * the history older than the policy's window pruned.
   */
  private async compactOps(write: Extract<RoomWrite, { kind: 'compact' }>): Promise<Op[]> {
    const { room, from, to } = write;
    const ops: Op[] = [
      { type: 'put', key: snapKey(room), value: write.snapshot },
      write.stateVector
        ? { type: 'put', key: snapSvKey(room), value: write.stateVector }
        : { type: 'del', key: snapSvKey(room) },
      { type: 'put', key: nextKey(room), value: utf8.encode(hex(to)) },
    ];
    const keep = this.retention.keepSeqs;
    if (keep > 0) {
      // Older than the window: pruned (or never moved), log entries and the snapshots taken among them.
      const horizon = to - keep;
      const start = Math.max(from, horizon);
      const moved = await this.db.getMany([
        snapKey(room),
        ...range(start, to).map((seq) => logKey(room, seq)),
      ]);
      const [previous, ...entries] = moved;
      if (previous && from >= horizon)
        ops.push({ type: 'put', key: oldSnapPrefix(room) + hex(from), value: previous });
      entries.forEach((entry, i) => {
        if (entry) ops.push({ type: 'put', key: oldLogPrefix(room) + hex(start + i), value: entry });
      });
      for (const prefix of [oldLogPrefix(room), oldSnapPrefix(room)])
        for await (const key of this.db.keys({ gte: prefix, lt: prefix + hex(Math.max(0, horizon)) }))
          ops.push({ type: 'del', key });
    }
    for (let seq = from; seq < to; seq++) ops.push({ type: 'del', key: logKey(room, seq) });
    return ops;
  }

  async writeBatch(writes: readonly RoomWrite[]): Promise<void> {
    await this.refuseStale(writes.filter((w) => w.kind === 'append'));
    const ops: Op[] = [];
    for (const write of writes) {
      if (write.kind === 'append')
        ops.push({ type: 'put', key: logKey(write.room, write.seq), value: write.update });
      else ops.push(...(await this.compactOps(write)));
    }
    await this.db.batch(ops);
    this.written(bytesOf(ops));
  }

  /**
   * Rejects with a StaleWriteError when one of the appends' sequence numbers
   * is taken: in the log still, or below the next number a compaction
   * recorded. One read of each kind for the whole batch.
   */
  private async refuseStale(appends: readonly { room: string; seq: number }[]): Promise<void> {
    // The usual case, a room this store loaded or wrote, is settled from memory.
    const unknown = appends.filter((w) => w.seq < (this.freeFrom.get(w.room) ?? Number.POSITIVE_INFINITY));
    if (unknown.length > 0) {
      const [taken, nexts] = await Promise.all([
        this.db.hasMany(unknown.map((w) => logKey(w.room, w.seq))),
        this.db.getMany(unknown.map((w) => nextKey(w.room))),
      ]);
      unknown.forEach((w, i) => {
        const next = nexts[i];
        if (taken[i] || (next && w.seq < Number.parseInt(fromUtf8.decode(next), 16)))
          throw new StaleWriteError(w.room, w.seq);
      });
    }
    // Taken from now on, even before the batch lands: a second writer of the same number
    // reads the database instead, and finds it free only if this batch failed.
    for (const w of appends) this.learnFree(w.room, Math.max(w.seq + 1, this.freeFrom.get(w.room) ?? 0));
  }

  /** Records that numbers from `seq` on are free in `room`; the oldest entry goes past {@link maxKnownRooms}. */
  private learnFree(room: string, seq: number): void {
    this.freeFrom.delete(room);
    this.freeFrom.set(room, seq);
    if (this.freeFrom.size > maxKnownRooms) this.freeFrom.delete(this.freeFrom.keys().next().value as string);
  }

  async readLog(room: string, from: number, to: number): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    if (!(to > from)) return out;
    // Retained entries come first: they are older than every live one.
    for (const prefix of [oldLogPrefix(room), logPrefix(room)])
      for await (const [key, update] of this.db.iterator({
        gte: prefix + hex(Math.max(0, from)),
        lt: prefix + hex(to),
      }))
        out.push({ seq: seqOf(key, prefix), update });
    return out;
  }

  async readSnapshots(room: string, from: number, to: number): Promise<SnapshotEntry[]> {
    const out: SnapshotEntry[] = [];
    if (!(to > from)) return out;
    const prefix = oldSnapPrefix(room);
    for await (const [key, snapshot] of this.db.iterator({
      gte: prefix + hex(Math.max(0, from)),
      lt: prefix + hex(to),
    }))
      out.push({ seq: seqOf(key, prefix), snapshot });
    const current = await this.db.get(snapKey(room));
    if (current) {
      // The current snapshot covers the log up to its first live entry, or up to the next sequence number.
      const [first] = await this.db.keys({ gt: logPrefix(room), lt: `${logPrefix(room)}~`, limit: 1 }).all();
      const next = await this.db.get(nextKey(room));
      const seq = first
        ? seqOf(first, logPrefix(room))
        : next
          ? Number.parseInt(fromUtf8.decode(next), 16)
          : 0;
      if (seq >= from && seq < to) out.push({ seq, snapshot: current });
    }
    return out;
  }

  async list(prefix: string, options: { after?: string; limit?: number } = {}): Promise<RoomPage> {
    const limit = listLimit(options.limit);
    const rooms: string[] = [];
    let from =
      options.after !== undefined && options.after >= prefix ? afterRoom(options.after) : `r!${prefix}`;
    const end = `r!${prefix}\uffff`;
    while (rooms.length <= limit) {
      // One seek per room: the next key past the previous room's sub-keys.
      const [key] = await this.db.keys({ gte: from, lt: end, limit: 1 }).all();
      if (key === undefined) break;
      const room = key.slice(2, key.indexOf('!', 2));
      if (await this.db.has(metaKey(room))) rooms.push(room);
      from = afterRoom(room);
    }
    const more = rooms.length > limit;
    if (more) rooms.length = limit;
    return { rooms, next: more ? rooms[rooms.length - 1]! : null };
  }

  kv(namespace: string): FeatureKv {
    const problem = namespaceProblem(namespace);
    if (problem) throw new RangeError(problem);
    let space = this.spaces.get(namespace);
    if (!space) {
      space = levelKv(this.db, namespace);
      this.spaces.set(namespace, space);
    }
    return space;
  }

  async delete(room: string, stateVector: Uint8Array): Promise<void> {
    const previous = await this.db.get(tombKey(room));
    const merged = previous
      ? mergeStateVectors(Y.decodeStateVector(previous), Y.decodeStateVector(stateVector))
      : Y.decodeStateVector(stateVector);
    this.freeFrom.delete(room);
    const batch = this.db.batch().put(tombKey(room), Y.encodeStateVector(merged));
    for (const prefix of [roomPrefix(room), historyPrefix(room)])
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

type Op = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

const bytesOf = (ops: readonly Op[]): number => {
  let bytes = 0;
  for (const op of ops) bytes += op.key.length + (op.type === 'put' ? op.value.length : 0);
  return bytes;
};

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/**
 * A feature namespace in a LevelDB database: the sublevel of that name, with
 * JSON values (the classroom's records have lived in `!classroom!…` since
 * before namespaces had a name).
 */
export const levelKv = (db: Level<string, Uint8Array>, namespace: string): FeatureKv => {
  const sub = db.sublevel<string, unknown>(namespace, { keyEncoding: 'utf8', valueEncoding: 'json' });
  return {
    get: (key) => sub.get(key),
    put: (key, value) => sub.put(key, value),
    batch: (ops) => sub.batch([...ops]),
    async list(prefix) {
      const out: [string, unknown][] = [];
      for await (const entry of sub.iterator({ gte: prefix, lt: `${prefix}\uffff` })) out.push(entry);
      return out;
    },
  };
};
