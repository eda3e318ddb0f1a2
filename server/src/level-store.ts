import { Level } from 'level';
import { decodeStateVector, encodeStateVector, mergeStateVectors } from './state-vector.js';
import type { NotebookStore, StoredRoom } from './store.js';

// Key layout (room names never contain "!", see room-name.ts):
//   r!<room>!meta         JSON { epoch }
//   r!<room>!snap         Yjs update: the whole document at the last compaction
//   r!<room>!log!<seq>    Yjs update: one tick's merged updates; seq is 12 hex digits so keys sort by seq
//   t!<room>              Yjs state vector: tombstone of every deleted epoch
const roomPrefix = (room: string) => `r!${room}!`;
const metaKey = (room: string) => `r!${room}!meta`;
const snapKey = (room: string) => `r!${room}!snap`;
const logPrefix = (room: string) => `r!${room}!log!`;
const logKey = (room: string, seq: number) => logPrefix(room) + seq.toString(16).padStart(12, '0');
const tombKey = (room: string) => `t!${room}`;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * The LevelDB store: one database for every room, written with one atomic
 * batch per room per tick. Unlike y-leveldb it has no global queue (rooms are
 * written concurrently), rejects on every write error, and leaves compaction
 * to the room, which does it online.
 */
export class LevelStore implements NotebookStore {
  readonly db: Level<string, Uint8Array>;

  constructor(readonly location: string) {
    this.db = new Level<string, Uint8Array>(location, { keyEncoding: 'utf8', valueEncoding: 'view' });
  }

  /** Opens the database; rejects when the directory is locked or unreadable. */
  async open(): Promise<void> {
    await this.db.open();
  }

  async load(room: string): Promise<StoredRoom | null> {
    const meta = await this.db.get(metaKey(room));
    if (meta === undefined) return null;
    const { epoch } = JSON.parse(fromUtf8.decode(meta)) as { epoch: string };
    const snapshot = (await this.db.get(snapKey(room))) ?? null;
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
    return { epoch, snapshot, updates, logFrom: logFrom < 0 ? nextSeq : logFrom, nextSeq };
  }

  async create(room: string, epoch: string): Promise<void> {
    await this.db.put(metaKey(room), utf8.encode(JSON.stringify({ epoch })));
  }

  async append(room: string, seq: number, update: Uint8Array): Promise<void> {
    await this.db.put(logKey(room, seq), update);
  }

  async compact(room: string, snapshot: Uint8Array, from: number, to: number): Promise<void> {
    const batch = this.db.batch().put(snapKey(room), snapshot);
    for (let seq = from; seq < to; seq++) batch.del(logKey(room, seq));
    await batch.write();
  }

  async delete(room: string, stateVector: Uint8Array): Promise<void> {
    const previous = await this.db.get(tombKey(room));
    const merged = previous
      ? mergeStateVectors(decodeStateVector(previous), decodeStateVector(stateVector))
      : decodeStateVector(stateVector);
    const batch = this.db.batch().put(tombKey(room), encodeStateVector(merged));
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

  async close(): Promise<void> {
    await this.db.close();
  }
}
