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
  /** Appends one (merged) update to the room's log under sequence number `seq`. */
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
  /** Releases the store; called once when the server closes. */
  close(): Promise<void>;
}
