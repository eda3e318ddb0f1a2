import * as Y from 'yjs';
import { memoryFiles, type NotebookFiles } from './notebook-files.js';
import { mergeStateVectors } from './state-vector.js';
import {
  type FeatureKv,
  type KvOp,
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

interface MemoryRoom {
  epoch: string;
  snapshot: Uint8Array | null;
  stateVector: Uint8Array | null;
  /** Live log entries by sequence number. */
  log: Map<number, Uint8Array>;
  nextSeq: number;
  /** Entries and snapshots compaction replaced, kept by the retention policy. */
  oldLog: Map<number, Uint8Array>;
  oldSnapshots: Map<number, Uint8Array>;
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A store in the process's memory, with every rule of the LevelDB store (the
 * same sequence checks, retention, listing and namespaces), for tests that
 * run a feature's suite on a second back-end and for a throw-away server.
 * It survives a server's restart in the same process: `close()` only marks
 * it closed and `open()` opens it again, with everything it held.
 */
export class MemoryStore implements NotebookStore {
  readonly files: NotebookFiles = memoryFiles();
  private readonly rooms = new Map<string, MemoryRoom>();
  private readonly tombstones = new Map<string, Uint8Array>();
  private readonly spaces = new Map<string, Map<string, string>>();
  private closed = false;

  constructor(readonly retention: RetentionPolicy = noRetention) {}

  async open(): Promise<void> {
    this.closed = false;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new Error('The memory store is closed');
  }

  private room(name: string): MemoryRoom {
    const room = this.rooms.get(name);
    if (!room) throw new Error(`No room ${name} in the memory store`);
    return room;
  }

  async load(name: string): Promise<StoredRoom | null> {
    this.check();
    const room = this.rooms.get(name);
    if (!room) return null;
    const seqs = [...room.log.keys()].sort((a, b) => a - b);
    return {
      epoch: room.epoch,
      snapshot: room.snapshot?.slice() ?? null,
      stateVector: room.stateVector?.slice() ?? null,
      updates: seqs.map((seq) => room.log.get(seq)!.slice()),
      logFrom: seqs[0] ?? room.nextSeq,
      nextSeq: room.nextSeq,
    };
  }

  async create(name: string, epoch: string): Promise<void> {
    this.check();
    this.rooms.set(name, {
      epoch,
      snapshot: null,
      stateVector: null,
      log: new Map(),
      nextSeq: 0,
      oldLog: new Map(),
      oldSnapshots: new Map(),
    });
  }

  private stale(write: RoomWrite): StaleWriteError | null {
    if (write.kind !== 'append') return null;
    const room = this.room(write.room);
    return write.seq < room.nextSeq ? new StaleWriteError(write.room, write.seq) : null;
  }

  private apply(write: RoomWrite): void {
    const room = this.room(write.room);
    if (write.kind === 'append') {
      room.log.set(write.seq, write.update.slice());
      room.nextSeq = write.seq + 1;
      return;
    }
    const keep = this.retention.keepSeqs;
    if (keep > 0) {
      if (room.snapshot) room.oldSnapshots.set(write.from, room.snapshot);
      for (let seq = write.from; seq < write.to; seq++) {
        const entry = room.log.get(seq);
        if (entry) room.oldLog.set(seq, entry);
      }
      const horizon = write.to - keep;
      for (const old of [room.oldLog, room.oldSnapshots])
        for (const seq of old.keys()) if (seq < horizon) old.delete(seq);
    }
    for (let seq = write.from; seq < write.to; seq++) room.log.delete(seq);
    room.snapshot = write.snapshot.slice();
    room.stateVector = write.stateVector?.slice() ?? null;
    room.nextSeq = Math.max(room.nextSeq, write.to);
  }

  async append(room: string, seq: number, update: Uint8Array): Promise<void> {
    await this.writeBatch([{ kind: 'append', room, seq, update }]);
  }

  async compact(
    room: string,
    snapshot: Uint8Array,
    from: number,
    to: number,
    stateVector?: Uint8Array,
  ): Promise<void> {
    await this.writeBatch([
      { kind: 'compact', room, snapshot, from, to, ...(stateVector ? { stateVector } : {}) },
    ]);
  }

  async writeBatch(writes: readonly RoomWrite[]): Promise<void> {
    this.check();
    // All or nothing: every write is checked before any is applied.
    for (const write of writes) {
      const error = this.stale(write);
      if (error) throw error;
    }
    for (const write of writes) this.apply(write);
  }

  async delete(name: string, stateVector: Uint8Array): Promise<void> {
    this.check();
    const previous = this.tombstones.get(name);
    const merged = previous
      ? mergeStateVectors(Y.decodeStateVector(previous), Y.decodeStateVector(stateVector))
      : Y.decodeStateVector(stateVector);
    this.tombstones.set(name, Y.encodeStateVector(merged));
    this.rooms.delete(name);
  }

  async tombstone(name: string): Promise<Uint8Array | null> {
    this.check();
    return this.tombstones.get(name)?.slice() ?? null;
  }

  async exists(name: string): Promise<boolean> {
    this.check();
    return this.rooms.has(name);
  }

  async readLog(name: string, from: number, to: number): Promise<LogEntry[]> {
    this.check();
    const room = this.rooms.get(name);
    if (!room) return [];
    return [...room.oldLog, ...room.log]
      .filter(([seq]) => seq >= from && seq < to)
      .sort(([a], [b]) => a - b)
      .map(([seq, update]) => ({ seq, update: update.slice() }));
  }

  async readSnapshots(name: string, from: number, to: number): Promise<SnapshotEntry[]> {
    this.check();
    const room = this.rooms.get(name);
    if (!room) return [];
    const all: [number, Uint8Array][] = [...room.oldSnapshots];
    if (room.snapshot) all.push([Math.min(room.nextSeq, ...room.log.keys()), room.snapshot]);
    return all
      .filter(([seq]) => seq >= from && seq < to)
      .sort(([a], [b]) => a - b)
      .map(([seq, snapshot]) => ({ seq, snapshot: snapshot.slice() }));
  }

  async list(prefix: string, options: { after?: string; limit?: number } = {}): Promise<RoomPage> {
    this.check();
    const limit = listLimit(options.limit);
    const after = options.after;
    const names = [...this.rooms.keys()]
      .filter((name) => name.startsWith(prefix) && (after === undefined || name > after))
      .sort();
    const rooms = names.slice(0, limit);
    return { rooms, next: names.length > limit ? rooms[rooms.length - 1]! : null };
  }

  kv(namespace: string): FeatureKv {
    const problem = namespaceProblem(namespace);
    if (problem) throw new RangeError(problem);
    let map = this.spaces.get(namespace);
    if (!map) {
      map = new Map();
      this.spaces.set(namespace, map);
    }
    const space = map;
    // Values are kept as JSON text, as a real store keeps them: a caller's later change never leaks in.
    return {
      get: async (key) => {
        this.check();
        const text = space.get(key);
        return text === undefined ? undefined : JSON.parse(text);
      },
      put: async (key, value) => {
        this.check();
        space.set(key, JSON.stringify(value));
      },
      batch: async (ops: readonly KvOp[]) => {
        this.check();
        const texts = ops.map((op) => (op.type === 'put' ? JSON.stringify(op.value) : undefined));
        ops.forEach((op, i) => {
          if (op.type === 'put') space.set(op.key, texts[i]!);
          else space.delete(op.key);
        });
      },
      list: async (prefix) => {
        this.check();
        return [...space.entries()]
          .filter(([key]) => key.startsWith(prefix))
          .sort(byKey)
          .map(([key, text]) => [key, JSON.parse(text)] as [string, unknown]);
      },
    };
  }
}
