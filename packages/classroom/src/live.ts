import type { Logger, Room } from '@candyce/server';
import type { CopyRecord } from './records.js';
import { watchCopy } from './stats.js';
import type { ActivityStore } from './store.js';

const saveDelayMs = 2000;

/**
 * The loaded rooms of copies: who is connected to each, and their live
 * statistics (last edit, cells run, errors), counted from the documents'
 * transactions and saved with the copy a moment later (and at shutdown).
 */
export class LiveCopies {
  private readonly rooms = new Map<string, { room: Room; stop: () => void }>();
  /** Who is connected to each copy's room, from the joined and left hooks: sub → connections. */
  private readonly present = new Map<string, Map<string, number>>();
  private readonly dirty = new Set<CopyRecord>();
  /** Copies removed by the teacher: a save already under way must not write them back. */
  private readonly removed = new WeakSet<CopyRecord>();
  private timer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ActivityStore,
    private readonly logger: Logger,
    /** Called when the copy's row may have changed (edits, presence). */
    private readonly onChange: (copy: CopyRecord) => void,
    /**
     * Runs a save in the activity's turn: a teacher's change (state, grade, comment) writes its record
     * and then updates the one in memory, so a save between the two would store the old record last.
     */
    private readonly inTurn: (activity: string, task: () => Promise<void>) => Promise<void>,
  ) {}

  /** True when the room is watched already. */
  has(name: string): boolean {
    return this.rooms.has(name);
  }

  /** Starts watching the loaded room of `copy`. */
  attach(room: Room, copy: CopyRecord): void {
    if (this.rooms.has(room.name)) return;
    const stop = watchCopy(room.doc, ({ runs, errors }) => {
      copy.stats.lastEditAt = new Date().toISOString();
      copy.stats.cellsRun += runs;
      copy.stats.errors += errors;
      this.markDirty(copy);
      this.onChange(copy);
    });
    const onAwareness = () => this.onChange(copy);
    room.awareness.on('change', onAwareness);
    this.rooms.set(room.name, {
      room,
      stop: () => {
        stop();
        room.awareness.off('change', onAwareness);
      },
    });
  }

  /** Stops watching a room that unloads; resolves to true when it was watched. */
  detach(room: Room): boolean {
    const entry = this.rooms.get(room.name);
    if (entry?.room !== room) return false;
    entry.stop();
    this.rooms.delete(room.name);
    return true;
  }

  /** Forgets a copy the teacher removed: its unsaved statistics are dropped, never written back. */
  forget(copy: CopyRecord): void {
    this.removed.add(copy);
    this.dirty.delete(copy);
  }

  /** Counts one connection of `sub` to the room more (1) or less (-1). */
  presence(name: string, sub: string, change: 1 | -1): void {
    const subs = this.present.get(name) ?? new Map<string, number>();
    const count = (subs.get(sub) ?? 0) + change;
    if (count > 0) subs.set(sub, count);
    else subs.delete(sub);
    if (subs.size > 0) this.present.set(name, subs);
    else this.present.delete(name);
  }

  /** Returns the ids (`sub`) of the identities connected to a room now. */
  online(name: string): Set<string> {
    return new Set(this.present.get(name)?.keys() ?? []);
  }

  /** Writes the statistics changed since the last save; failures are logged and retried later. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const copies = [...this.dirty];
    this.dirty.clear();
    const byActivity = new Map<string, CopyRecord[]>();
    for (const copy of copies)
      byActivity.set(copy.activity, [...(byActivity.get(copy.activity) ?? []), copy]);
    this.saving = this.saving.then(async () => {
      await Promise.all(
        [...byActivity].map(([activity, group]) =>
          this.inTurn(activity, async () => {
            const kept = group.filter((copy) => !this.removed.has(copy));
            try {
              await this.store.saveAll(null, kept);
            } catch (err) {
              this.logger.error({ err }, 'classroom statistics could not be saved');
              for (const copy of kept) this.dirty.add(copy);
            }
          }),
        ),
      );
    });
    return this.saving;
  }

  private markDirty(copy: CopyRecord): void {
    if (this.removed.has(copy)) return;
    this.dirty.add(copy);
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), saveDelayMs);
    this.timer.unref();
  }
}
