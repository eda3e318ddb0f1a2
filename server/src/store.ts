import type { NotebookFiles } from './notebook-files.js';

/** One write of a {@link FeatureKv.batch}. */
export type KvOp = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

/**
 * A namespace of small JSON records, given to a feature by the store it runs
 * on (`store.kv('classroom')`): the records live and die with that store,
 * whatever the back-end. Keys of one namespace never meet another's. Every
 * method rejects when the storage fails.
 */
export interface FeatureKv {
  /** The value stored under `key`, or undefined. */
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  /** Applies every write at once, atomically: all of them or none. */
  batch(ops: readonly KvOp[]): Promise<void>;
  /** Every entry whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<[string, unknown][]>;
}

/** One entry of a room's update log, as read back by {@link NotebookStore.readLog}. */
export interface LogEntry {
  readonly seq: number;
  readonly update: Uint8Array;
}

/**
 * A snapshot as read back by {@link NotebookStore.readSnapshots}: the whole
 * document once every log entry before `seq` was merged into it.
 */
export interface SnapshotEntry {
  readonly seq: number;
  readonly snapshot: Uint8Array;
}

/**
 * What a store keeps of what compaction replaces. By default nothing: the log
 * entries merged into a snapshot are deleted, and the snapshot overwritten.
 * With `keepSeqs > 0`, the entries of the last `keepSeqs` sequence numbers
 * (and the snapshots taken within them) stay readable with `readLog` and
 * `readSnapshots`, so that a revision history can keep what compaction drops;
 * older ones are pruned at each compaction, so a room's retained bytes stay
 * bounded by its recent activity.
 */
export interface RetentionPolicy {
  readonly keepSeqs: number;
}

/** The default {@link RetentionPolicy}: compaction keeps nothing. */
export const noRetention: RetentionPolicy = { keepSeqs: 0 };

/**
 * Rejection of a write whose expected sequence number is no longer the
 * room's: another writer (another process, or a stale copy of the room in
 * this one) wrote first. Nothing of the write was stored.
 */
export class StaleWriteError extends Error {
  constructor(
    readonly room: string,
    readonly seq: number,
  ) {
    super(`Stale write to room ${room}: sequence ${seq} is already taken`);
    this.name = 'StaleWriteError';
  }
}

/** One page of {@link NotebookStore.list}. */
export interface RoomPage {
  /** Room names, in code-point order. */
  readonly rooms: readonly string[];
  /** Pass as `after` to get the next page; null on the last page. */
  readonly next: string | null;
}

/** Most room names one {@link NotebookStore.list} call returns. */
export const maxListLimit = 1000;

/** The page size of a {@link NotebookStore.list} call: 100 by default, between 1 and {@link maxListLimit}. */
export const listLimit = (limit: number | undefined): number =>
  limit === undefined || !Number.isFinite(limit)
    ? 100
    : Math.min(maxListLimit, Math.max(1, Math.floor(limit)));

// Sublevels the LevelDB store uses for itself: never a feature's.
const reservedNamespaces = new Set(['files-meta', 'files-data']);

/**
 * Returns null when `namespace` may name a feature's key-value namespace,
 * else why not: 1 to 40 lower-case letters, digits and `-`, starting with a
 * letter, and not one the stores keep for themselves.
 */
export const namespaceProblem = (namespace: string): string | null => {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(namespace))
    return `Namespace ${JSON.stringify(namespace.slice(0, 60))} must be 1 to 40 lower-case letters, digits or "-", starting with a letter`;
  if (reservedNamespaces.has(namespace)) return `Namespace ${namespace} is reserved for the store itself`;
  return null;
};

/**
 * What a store holds for one room: the epoch (a random id given when the room
 * is created, new again after a deletion), the last snapshot and the update
 * log written since, in order.
 */
export interface StoredRoom {
  readonly epoch: string;
  readonly snapshot: Uint8Array | null;
  /** The snapshot's state vector (Yjs encoding), when it was stored with it. */
  readonly stateVector?: Uint8Array | null;
  readonly updates: readonly Uint8Array[];
  /** Sequence number of the first log entry still stored. */
  readonly logFrom: number;
  /** Sequence number the next appended update gets. */
  readonly nextSeq: number;
}

/**
 * One room's write of one tick, as handed to {@link NotebookStore.writeBatch}:
 * an appended update, or a snapshot that replaces the log entries `from <= seq < to`.
 */
export type RoomWrite =
  | { readonly kind: 'append'; readonly room: string; readonly seq: number; readonly update: Uint8Array }
  | {
      readonly kind: 'compact';
      readonly room: string;
      readonly snapshot: Uint8Array;
      /** The snapshot's state vector, stored beside it. */
      readonly stateVector?: Uint8Array;
      readonly from: number;
      readonly to: number;
    };

/**
 * A persistence back-end for rooms. The server serialises calls per room (one
 * write in flight per room, never a load during an unload), so a store needs
 * no locking of its own; different rooms may be written concurrently. Every
 * method rejects on failure: a store must never swallow a write error, the
 * room stops accepting edits instead.
 */
export interface NotebookStore {
  /** Resolves to the stored room, or null when no room of that name exists. */
  load(room: string): Promise<StoredRoom | null>;
  /** Records a new, empty room with the given epoch. */
  create(room: string, epoch: string): Promise<void>;
  /**
   * Appends one (merged) update to the room's log under sequence number
   * `seq`, the number the writer expects to be the room's next. Rejects with
   * {@link StaleWriteError}, storing nothing, when that number is taken
   * already (another writer got there first).
   */
  append(room: string, seq: number, update: Uint8Array): Promise<void>;
  /**
   * Atomically stores `snapshot` (with its state vector, when given) and
   * deletes the log entries with `from <= seq < to`.
   */
  compact(
    room: string,
    snapshot: Uint8Array,
    from: number,
    to: number,
    stateVector?: Uint8Array,
  ): Promise<void>;
  /**
   * Optional group commit: writes the ticks of several rooms (at most one
   * write per room) in one atomic batch, all or nothing. When it rejects, the
   * server writes the rooms one by one with `append`/`compact`, so that one
   * room's failure stops that room only.
   */
  writeBatch?(writes: readonly RoomWrite[]): Promise<void>;
  /**
   * Atomically deletes the room and merges `stateVector` (Yjs encoding, the
   * final state of the deleted epoch) into the room's tombstone.
   */
  delete(room: string, stateVector: Uint8Array): Promise<void>;
  /** Resolves to the merged state vectors of every deleted epoch of the room, or null. */
  tombstone(room: string): Promise<Uint8Array | null>;
  /** Resolves to true when a room of that name exists. */
  exists(room: string): Promise<boolean>;
  /**
   * The log entries of the room with `from <= seq < to`, in order: those
   * still in the log and those the retention policy kept past compaction.
   */
  readLog(room: string, from: number, to: number): Promise<LogEntry[]>;
  /**
   * The snapshots of the room with `from <= seq < to`, oldest first: the
   * current one (at the room's `logFrom`) and the retained older ones.
   */
  readSnapshots(room: string, from: number, to: number): Promise<SnapshotEntry[]>;
  /**
   * The names of existing rooms starting with `prefix`, after `after` when
   * given, at most `limit` of them (default 100, at most {@link maxListLimit}).
   * Costs one seek per room listed, whatever the rooms hold.
   */
  list(prefix: string, options?: { after?: string; limit?: number }): Promise<RoomPage>;
  /** The feature namespace `namespace` of this store (a name of letters, digits and `-`). */
  kv(namespace: string): FeatureKv;
  /** The data files attached to rooms, kept in this store. */
  readonly files: NotebookFiles;
  /** Opens the store, when it needs to; the server calls it once before listening. */
  open?(): Promise<void>;
  /** Releases the store; called once when the server closes. */
  close(): Promise<void>;
}
