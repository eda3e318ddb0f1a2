import { randomUUID } from 'node:crypto';
import { Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CloseCode } from './close-codes.js';
import { StorageFailure } from './close-codes.js';
import type { Timings } from './config.js';
import { type CommitParticipant, type GroupCommit, groupCommitFor } from './group-commit.js';
import { authorOf, type RoomHooks } from './hooks.js';
import { KernelArbiter } from './kernel-arbiter.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { encodeAwareness, encodeStep2, encodeUpdate } from './protocol.js';
import type { NotebookStore, RoomWrite } from './store.js';

/** What a room needs from its server. */
export interface RoomContext {
  readonly store: NotebookStore;
  readonly timings: Timings;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Extension points (classroom); none by default. */
  readonly hooks?: RoomHooks;
  /** Called once a room is deleted from the store, to delete what lives beside it (its data files). */
  readonly deleted?: (name: string) => Promise<void>;
}

/** The side of a connection a room talks to. */
export interface RoomMember {
  send(message: Uint8Array): void;
  close(code: CloseCode): void;
  /** True when this member may change the document now (and so run its code in the shared kernel). */
  mayWrite(room: Room): boolean;
}

/** Transaction origin of updates replayed from the store: they are not written again. */
const loadOrigin = Symbol('load');

/** Origin of the server's own writes (document_id). */
const serverOrigin = { kind: 'server', reason: 'epoch' } as const;

interface PendingUpdate {
  readonly update: Uint8Array;
  readonly origin: unknown;
}

/**
 * One notebook in memory: its Y.Doc, awareness, members, and the write path
 * to the store. Accepted updates are written as one merged update per cycle
 * of the store's group commit (one batch for every room with work, see
 * group-commit.ts); they are broadcast to members only once the store has
 * taken them, so a crash never loses anything that a client has seen. A
 * write error stops the room (members closed with StorageFailure) instead of
 * losing data silently.
 */
export class Room implements CommitParticipant {
  /** The document itself; `doc` applies the stored snapshot first when the room was loaded lazily. */
  private readonly ydoc: Y.Doc;
  /**
   * The stored snapshot and its state vector, not yet applied: a room whose
   * log is empty answers its first new client with these bytes as stored and
   * decodes them on first use of `doc` (see {@link Room.load}).
   */
  private stored: { snapshot: Uint8Array; stateVector: Uint8Array } | null = null;
  readonly awareness: Awareness;
  readonly members = new Set<RoomMember>();
  /** Which member owns each awareness client id: a member may only change its own states. */
  readonly awarenessOwners = new Map<number, RoomMember>();
  /** Who hosts the room's shared browser kernel (see kernel-arbiter.ts). */
  readonly kernel: KernelArbiter;
  /** Connections and requests using the room; it may unload only at zero. */
  refs = 0;
  /** Set once the room is closing (unload, deletion, shutdown) or failed. */
  closing = false;
  failure: Error | null = null;
  /** Approximate encoded size of the document: snapshot plus log since. */
  size = 0;
  onFailure: ((room: Room) => void) | null = null;

  private pending: PendingUpdate[] = [];
  private writing = false;
  private scheduled = false;
  private compactRequested = false;
  // Sync step 1 answers waiting for the cycle's write, in arrival order; an entry with a `message`
  // is an answer already made (to queryAwareness) that must not overtake the member's step 2.
  private step1Queue: (
    | { member: RoomMember; stateVector: Uint8Array }
    | { member: RoomMember; message: Uint8Array }
  )[] = [];
  private idleWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private awarenessChanged = new Set<number>();
  private awarenessScheduled = false;
  /** Awareness changes wait for the write in flight (see scheduleAwareness). */
  private awarenessHeld = false;
  /** The work of the group-commit cycle in progress. */
  private cycle: {
    batch: PendingUpdate[];
    merged: Uint8Array | null;
    answers: { member: RoomMember; message: Uint8Array }[];
    write: RoomWrite | null;
  } | null = null;
  private readonly committer: GroupCommit;
  private logFrom: number;
  private nextSeq: number;
  private logCount: number;
  private logBytes: number;
  private snapshotBytes = 0;

  private constructor(
    readonly name: string,
    readonly epoch: string,
    /** Client ids that wrote to deleted epochs of this room, with their final clocks. */
    readonly tombstone: ReadonlyMap<number, number>,
    private readonly ctx: RoomContext,
    doc: Y.Doc,
    log: { logFrom: number; nextSeq: number; count: number; bytes: number },
  ) {
    this.ydoc = doc;
    this.logFrom = log.logFrom;
    this.nextSeq = log.nextSeq;
    this.logCount = log.count;
    this.logBytes = log.bytes;
    this.committer = groupCommitFor(ctx.store, ctx.metrics, ctx.timings.writeIntervalMs);
    this.awareness = new Awareness(doc);
    this.awareness.setLocalState(null);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === loadOrigin) return;
      this.pending.push({ update, origin });
      this.size += update.length;
      this.schedule();
    });
    this.kernel = new KernelArbiter(this.awareness, (id) => {
      const owner = this.awarenessOwners.get(id);
      return owner?.mayWrite(this) === true;
    });
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
      const ids = [...added!, ...updated!, ...removed!];
      for (const id of ids) this.awarenessChanged.add(id);
      this.scheduleAwareness();
      this.kernel.changed(ids);
    });
  }

  /**
   * Loads a room from the store, creating it with a fresh epoch when it does
   * not exist yet. Rejects when the store fails; nothing is sent to anyone
   * before this resolves.
   */
  static async load(name: string, ctx: RoomContext): Promise<Room> {
    const [stored, tomb] = await Promise.all([ctx.store.load(name), ctx.store.tombstone(name)]);
    const doc = new Y.Doc();
    const tombstone = tomb ? Y.decodeStateVector(tomb) : new Map<number, number>();
    let room: Room;
    if (stored) {
      // After a clean unload the log is empty and the snapshot is the whole document: it is
      // decoded only when first needed, so the first client after a restart gets it at once.
      const lazy = stored.snapshot && stored.stateVector && stored.updates.length === 0;
      let bytes = 0;
      if (!lazy)
        Y.transact(
          doc,
          () => {
            if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, loadOrigin);
            for (const update of stored.updates) {
              Y.applyUpdate(doc, update, loadOrigin);
              bytes += update.length;
            }
          },
          loadOrigin,
        );
      room = new Room(name, stored.epoch, tombstone, ctx, doc, {
        logFrom: stored.logFrom,
        nextSeq: stored.nextSeq,
        count: stored.updates.length,
        bytes,
      });
      room.snapshotBytes = stored.snapshot?.length ?? 0;
      room.size = room.snapshotBytes + bytes;
      // A long log left by a crash is folded at the next write or at unload, never before the first answer.
      if (lazy) room.stored = { snapshot: stored.snapshot!, stateVector: stored.stateVector! };
      else room.stampEpoch();
    } else {
      const epoch = randomUUID();
      await ctx.store.create(name, epoch);
      room = new Room(name, epoch, tombstone, ctx, doc, { logFrom: 0, nextSeq: 0, count: 0, bytes: 0 });
      room.stampEpoch();
    }
    return room;
  }

  /** The room's document (decoding the stored snapshot first if that is not done yet). */
  get doc(): Y.Doc {
    if (this.stored) {
      const { snapshot } = this.stored;
      this.stored = null;
      if (!this.ydoc.isDestroyed) {
        Y.applyUpdate(this.ydoc, snapshot, loadOrigin);
        this.stampEpoch();
      }
    }
    return this.ydoc;
  }

  /** True once the room is destroyed. */
  get destroyed(): boolean {
    return this.ydoc.isDestroyed;
  }

  /** The document's state vector (Yjs encoding), without decoding a stored snapshot. */
  stateVector(): Uint8Array {
    return this.stored ? this.stored.stateVector : Y.encodeStateVector(this.ydoc);
  }

  /**
   * Writes the epoch into `state.document_id` when it is not there (new room,
   * or an import that reset the state map), so editors can tell epochs apart.
   */
  stampEpoch(): void {
    const state = this.doc.getMap('state');
    if (state.get('document_id') !== this.epoch)
      this.doc.transact(() => state.set('document_id', this.epoch), serverOrigin);
  }

  /**
   * Answers a member's sync step 1 with the missing part of the document,
   * never including updates that are not yet handed to the store.
   */
  answerStep1(member: RoomMember, stateVector: Uint8Array): void {
    if (this.stored && Y.decodeStateVector(stateVector).size === 0) {
      // Nothing changed since the load: the stored snapshot is the whole stored document.
      member.send(encodeStep2(this.stored.snapshot));
      return;
    }
    if (this.pending.length === 0 && !this.writing) {
      member.send(encodeStep2(Y.encodeStateAsUpdate(this.doc, stateVector)));
      return;
    }
    this.step1Queue.push({ member, stateVector });
    this.schedule();
  }

  /**
   * Sends `message` to `member` after the step 2 answers it is still waiting
   * for, if any, so that a client's answers come in the order it asked
   * (queryAwareness after sync step 1 is what clients and tests settle on).
   */
  answerInOrder(member: RoomMember, message: Uint8Array): void {
    const waiting =
      this.step1Queue.some((entry) => entry.member === member) ||
      (this.cycle?.answers.some((answer) => answer.member === member) ?? false);
    if (!waiting) {
      member.send(message);
      return;
    }
    this.step1Queue.push({ member, message });
    this.schedule();
  }

  /**
   * Removes a member and the awareness states it owned. `clean` says the
   * browser closed the connection itself (so it knows it is gone): a kernel
   * it hosted is handed over at once, not at the end of its lease.
   */
  removeMember(member: RoomMember, awarenessIds: Iterable<number>, clean = false): void {
    this.members.delete(member);
    const owned = [...awarenessIds].filter((id) => this.awarenessOwners.get(id) === member);
    this.kernel.left(owned, clean);
    for (const id of owned) this.awarenessOwners.delete(id);
    const ids = owned.filter((id) => this.awareness.getStates().has(id));
    if (ids.length > 0) removeAwarenessStates(this.awareness, ids, null);
  }

  /** Resolves once every update accepted so far is in the store; rejects if the room failed. */
  whenFlushed(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending.length === 0 && !this.writing && !this.scheduled && !this.compactRequested)
      return Promise.resolve();
    return new Promise((resolve, reject) => this.idleWaiters.push({ resolve, reject }));
  }

  /** Asks for the update log to be merged into a snapshot at the next flush. */
  requestCompaction(): void {
    this.compactRequested = true;
    this.schedule();
  }

  /** True when the update log holds entries that a compaction would fold. */
  get hasLog(): boolean {
    return this.logCount > 0;
  }

  /** Closes every member with `code`. */
  closeMembers(code: CloseCode): void {
    for (const member of [...this.members]) member.close(code);
  }

  /** The server's room hooks (see hooks.ts). */
  get hooks(): RoomHooks | undefined {
    return this.ctx.hooks;
  }

  /** Frees the document and awareness; the room must not be used afterwards. */
  destroy(): void {
    if (this.ydoc.isDestroyed) return;
    this.closing = true;
    this.stored = null;
    this.kernel.destroy();
    this.awareness.destroy();
    this.ydoc.destroy();
  }

  private schedule(): void {
    if (this.scheduled || this.failure) return;
    this.scheduled = true;
    this.committer.enqueue(this);
  }

  /**
   * Group commit, start of a cycle: takes the pending updates and step 1
   * requests, and returns the write that stores them (see group-commit.ts).
   * @internal
   */
  prepare(): RoomWrite | null {
    this.scheduled = false;
    if (this.failure) return null;
    const batch = this.pending;
    this.pending = [];
    // The document now holds exactly what is stored plus `batch`: answers computed
    // here are sent after the write, so they never show unstored content.
    const answers = this.step1Queue.map((entry) => ({
      member: entry.member,
      message:
        'message' in entry ? entry.message : encodeStep2(Y.encodeStateAsUpdate(this.doc, entry.stateVector)),
    }));
    this.step1Queue = [];
    const compact = this.compactRequested || (batch.length > 0 && this.compactionDue());
    let merged: Uint8Array | null = null;
    if (batch.length > 0)
      merged = batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((p) => p.update));
    let write: RoomWrite | null = null;
    if (compact) {
      this.compactRequested = false;
      this.ctx.hooks?.compacting?.(this, this.logFrom, this.nextSeq);
      const doc = this.doc;
      const snapshot = Y.encodeStateAsUpdate(doc);
      const stateVector = Y.encodeStateVector(doc);
      write = {
        kind: 'compact',
        room: this.name,
        snapshot,
        stateVector,
        from: this.logFrom,
        to: this.nextSeq,
      };
    } else if (merged) write = { kind: 'append', room: this.name, seq: this.nextSeq, update: merged };
    this.writing = write !== null;
    this.cycle = { batch, merged, answers, write };
    return write;
  }

  /**
   * Group commit, end of a cycle: once the write is stored, broadcasts the
   * merged update, sends the step 2 answers and the awareness changes held
   * meanwhile; on a write error, stops the room.
   * @internal
   */
  finish(err: Error | null): void {
    const cycle = this.cycle;
    this.cycle = null;
    this.writing = false;
    if (err) {
      this.fail(err);
      return;
    }
    if (!cycle || this.failure) return;
    const { write, merged, batch, answers } = cycle;
    if (write?.kind === 'append') {
      this.nextSeq++;
      this.logCount++;
      this.logBytes += write.update.length;
    } else if (write?.kind === 'compact') {
      this.logFrom = write.to;
      this.logCount = 0;
      this.logBytes = 0;
      this.snapshotBytes = write.snapshot.length;
      this.size = write.snapshot.length;
      this.ctx.logger.debug({ room: this.name, bytes: write.snapshot.length }, 'room compacted');
    }
    // Stored, not yet broadcast: features see each update with its author.
    if (merged && this.ctx.hooks?.listensToUpdates)
      for (const p of batch) this.ctx.hooks.updated?.(this, p.update, authorOf(p.origin));
    if (merged) this.broadcastUpdate(merged, batch);
    for (const { member, message } of answers) if (this.members.has(member)) member.send(message);
    if (this.awarenessHeld) {
      this.awarenessHeld = false;
      this.sendAwareness();
    }
    if (this.pending.length > 0 || this.step1Queue.length > 0 || this.compactRequested) this.schedule();
    else if (!this.scheduled) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w.resolve();
    }
  }

  /**
   * Compaction is due after N writes or B bytes of log, but never before the log
   * is a quarter of the snapshot: rewriting a large notebook's snapshot every few
   * keystrokes would multiply the bytes written. It is also due once the log is
   * as large as the snapshot (and 16 entries long), so that a small notebook's
   * log never outweighs the notebook. Storage stays below about 2x the snapshot,
   * and bytes written below about 5x those logged.
   */
  private compactionDue(): boolean {
    const { compactAfterUpdates, compactAfterBytes } = this.ctx.timings;
    const over = this.logCount + 1 > compactAfterUpdates || this.logBytes >= compactAfterBytes;
    if (over && this.logBytes * 4 >= this.snapshotBytes) return true;
    return this.logCount >= 16 && this.logBytes >= this.snapshotBytes;
  }

  private broadcastUpdate(merged: Uint8Array, batch: readonly PendingUpdate[]): void {
    // When one member sent the whole batch it already has it; otherwise everyone
    // gets the merged update (Yjs ignores what it already has).
    const origin = batch[0]!.origin;
    const skip = batch.every((p) => p.origin === origin) ? origin : null;
    const message = encodeUpdate(merged);
    for (const member of this.members) if (member !== skip) member.send(message);
  }

  private scheduleAwareness(): void {
    if (this.awarenessScheduled) return;
    this.awarenessScheduled = true;
    setImmediate(() => {
      this.awarenessScheduled = false;
      // While a write is on its way, awareness waits for it and leaves with the
      // update: one socket write per member per cycle instead of two.
      if (this.writing || this.scheduled) this.awarenessHeld = true;
      else this.sendAwareness();
    });
  }

  private sendAwareness(): void {
    if (this.closing && this.members.size === 0) return;
    const ids = [...this.awarenessChanged];
    this.awarenessChanged.clear();
    if (ids.length === 0 || this.ydoc.isDestroyed) return;
    const message = encodeAwareness(encodeAwarenessUpdate(this.awareness, ids));
    // Echoed to the sender too: the stock client drops a connection that hears nothing for 30 s.
    for (const member of this.members) member.send(message);
  }

  private fail(err: Error): void {
    this.failure = err;
    this.closing = true;
    this.ctx.metrics.errors.inc({ kind: 'store' });
    this.ctx.logger.error(
      { room: this.name, err },
      'store write failed: room stops accepting edits, members are closed',
    );
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w.reject(err);
    this.closeMembers(StorageFailure);
    this.onFailure?.(this);
  }
}
