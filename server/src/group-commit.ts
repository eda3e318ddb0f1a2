import type { Metrics } from './metrics.js';
import type { NotebookStore, RoomWrite } from './store.js';

/** A room as the group commit sees it. */
export interface CommitParticipant {
  /**
   * Takes the room's pending work at the start of a cycle and returns its
   * write, or null when it has nothing to write (answers or awareness only).
   */
  prepare(): RoomWrite | null;
  /** Ends the room's part of the cycle: broadcast on success, stop the room on `err`. */
  finish(err: Error | null): void;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * Group commit across rooms: the rooms that have work in one tick are written
 * in one store batch (one native call, one thread-pool task) instead of one
 * write each, and the next cycle starts when that write is done, so the work
 * that arrives meanwhile is merged into the next batch. Under load the cycle
 * lengthens by itself and every member gets fewer, larger messages. Each
 * room's `finish` runs only once its write is stored (write before
 * broadcast). When the batch fails, the rooms are written one by one, so a
 * failure stops only the rooms whose own write fails.
 */
export class GroupCommit {
  private queued = new Set<CommitParticipant>();
  private running = false;
  private scheduled = false;
  private lastStart = -Infinity;

  constructor(
    private readonly store: NotebookStore,
    private readonly metrics: Metrics,
    /** Least time between the starts of two cycles, in milliseconds (0: back to back). */
    private readonly intervalMs = 0,
  ) {}

  /** Puts a room in the next cycle (once, however often it asks). */
  enqueue(participant: CommitParticipant): void {
    this.queued.add(participant);
    this.kick();
  }

  private kick(): void {
    if (this.running || this.scheduled || this.queued.size === 0) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      void this.cycle();
    };
    const wait = this.lastStart + this.intervalMs - performance.now();
    // setImmediate, not a microtask: every message read in this I/O phase joins the cycle.
    if (wait <= 0) setImmediate(start);
    else setTimeout(start, wait);
  }

  private async cycle(): Promise<void> {
    this.running = true;
    this.lastStart = performance.now();
    const participants = [...this.queued];
    this.queued.clear();
    const writes: { participant: CommitParticipant; write: RoomWrite }[] = [];
    const results = new Map<CommitParticipant, Error | null>();
    for (const participant of participants) {
      try {
        const write = participant.prepare();
        if (write) writes.push({ participant, write });
        else results.set(participant, null);
      } catch (err) {
        results.set(participant, asError(err));
      }
    }
    if (writes.length > 0) {
      const stopTimer = this.metrics.storeWriteSeconds.startTimer();
      for (const [participant, err] of await this.write(writes)) results.set(participant, err);
      stopTimer();
    }
    this.running = false;
    for (const [participant, err] of results) {
      try {
        participant.finish(err);
      } catch (thrown) {
        // One room's bug must not leave the other rooms of the cycle unfinished: rethrown outside the loop.
        queueMicrotask(() => {
          throw thrown;
        });
      }
    }
    this.kick();
  }

  private async write(
    writes: { participant: CommitParticipant; write: RoomWrite }[],
  ): Promise<Map<CommitParticipant, Error | null>> {
    const results = new Map<CommitParticipant, Error | null>();
    if (writes.length > 1 && this.store.writeBatch) {
      try {
        await this.store.writeBatch(writes.map((w) => w.write));
        for (const { participant } of writes) results.set(participant, null);
        return results;
      } catch {
        // Isolate the failure: each room below gets its own write and its own verdict.
      }
    }
    await Promise.all(
      writes.map(async ({ participant, write }) => {
        try {
          if (write.kind === 'append') await this.store.append(write.room, write.seq, write.update);
          else await this.store.compact(write.room, write.snapshot, write.from, write.to, write.stateVector);
          results.set(participant, null);
        } catch (err) {
          results.set(participant, asError(err));
        }
      }),
    );
    return results;
  }
}

const committers = new WeakMap<NotebookStore, GroupCommit>();

/** The group commit of a store (one per store, shared by all its rooms). */
export const groupCommitFor = (store: NotebookStore, metrics: Metrics, intervalMs = 0): GroupCommit => {
  let committer = committers.get(store);
  if (!committer) {
    committer = new GroupCommit(store, metrics, intervalMs);
    committers.set(store, committer);
  }
  return committer;
};
