import { exportIpynb } from '@candyce/model';
import type { Identity, KeyedMutex, RoomManager } from '@candyce/server';
import type { ActivityState } from './classroom.js';
import type { EventHub } from './events.js';
import { outputsNotice } from './handin-notice.js';
import { classroomError, type Lang } from './i18n.js';
import { newTimedId } from './ids.js';
import type { Comment, CopyRecord, CopyState, HandinRecord } from './records.js';
import type { ActivityStore } from './store.js';

/** What the feedback operations share with the classroom. */
export interface FeedbackContext {
  readonly rooms: () => RoomManager;
  readonly turns: KeyedMutex;
  readonly store: ActivityStore;
  readonly events: EventHub;
}

/**
 * The teacher's and pupils' work on existing copies: states (one by one and
 * in bulk), grades, hand-ins (immutable snapshots) and comments. Each change
 * runs in its activity's turn, is written before it shows, and is announced
 * to the open dashboards and statuses.
 */
export class Feedback {
  constructor(private readonly ctx: FeedbackContext) {}

  /** Sets the state and grade of one copy. */
  async updateCopy(
    state: ActivityState,
    copy: CopyRecord,
    patch: { state?: CopyState; grade?: string | null },
  ) {
    return this.ctx.turns.run(state.record.id, async () => {
      const next = { ...copy, ...patch };
      await this.ctx.store.saveCopy(next);
      Object.assign(copy, patch);
      this.ctx.events.changed(state.record.id, copy.id);
      return copy;
    });
  }

  /** Sets the state of several copies at once; resolves to how many. */
  async updateCopies(
    state: ActivityState,
    copies: readonly CopyRecord[],
    copyState: CopyState,
  ): Promise<number> {
    return this.ctx.turns.run(state.record.id, async () => {
      await this.ctx.store.saveAll(
        null,
        copies.map((c) => ({ ...c, state: copyState })),
      );
      for (const copy of copies) {
        copy.state = copyState;
        this.ctx.events.changed(state.record.id, copy.id);
      }
      return copies.length;
    });
  }

  /**
   * Hands a copy in: keeps its content as an immutable .ipynb with the time,
   * and makes the copy read-only to its pupils (state "handed-in"). A pupil
   * cannot hand in again a copy already handed in or corrected, nor the
   * shared copy of a whole-class activity (it would freeze it for everyone:
   * the teacher closes it).
   */
  async handIn(lang: Lang, state: ActivityState, copy: CopyRecord, by: Identity) {
    return this.ctx.turns.run(state.record.id, async () => {
      if (by.role !== 'teacher' && state.record.mode === 'class') throw classroomError(lang, 'class-handin');
      if (by.role !== 'teacher' && copy.state !== 'in-progress') throw classroomError(lang, 'read-only');
      const rooms = this.ctx.rooms();
      const room = await rooms.acquire(copy.room);
      try {
        await room.whenFlushed();
        const now = Date.now();
        const at = new Date(now).toISOString();
        const notebook = exportIpynb(room.doc) as { metadata: Record<string, unknown> };
        notebook.metadata.candyce = {
          handed_in_at: at,
          activity: state.record.id,
          copy: copy.id,
          ...outputsNotice,
        };
        const handin: HandinRecord = { id: newTimedId(now), at, by: by.sub, notebook };
        const before = {
          state: copy.state,
          handedInAt: copy.handedInAt,
          handedInBy: copy.handedInBy ?? null,
        };
        // Set in the same tick as the export: no pupil edit slips in between.
        copy.state = 'handed-in';
        copy.handedInAt = at;
        copy.handedInBy = by.name ?? null;
        try {
          await this.ctx.store.addHandin(copy, handin);
        } catch (err) {
          Object.assign(copy, before);
          throw err;
        }
        this.ctx.events.changed(state.record.id, copy.id);
        return { handinId: handin.id, at };
      } finally {
        rooms.release(room);
      }
    });
  }

  /** Lists the hand-ins of a copy, oldest first. */
  handins(copy: CopyRecord): Promise<{ id: string; at: string }[]> {
    return this.ctx.store.handins(copy.activity, copy.id);
  }

  /** Resolves to one hand-in, or undefined. */
  handin(copy: CopyRecord, id: string): Promise<HandinRecord | undefined> {
    return this.ctx.store.handin(copy.activity, copy.id, id);
  }

  /** Adds a teacher's comment on a cell of a copy. */
  async addComment(state: ActivityState, copy: CopyRecord, comment: Omit<Comment, 'id' | 'at'>) {
    return this.ctx.turns.run(state.record.id, async () => {
      const now = Date.now();
      const added: Comment = { id: newTimedId(now), ...comment, at: new Date(now).toISOString() };
      const comments = [...copy.comments, added];
      await this.ctx.store.saveCopy({ ...copy, comments });
      copy.comments = comments;
      this.ctx.events.changed(state.record.id, copy.id);
      return added;
    });
  }

  /** Deletes a comment; resolves to false when the copy has no such comment. */
  async deleteComment(state: ActivityState, copy: CopyRecord, id: string): Promise<boolean> {
    return this.ctx.turns.run(state.record.id, async () => {
      const comments = copy.comments.filter((c) => c.id !== id);
      if (comments.length === copy.comments.length) return false;
      await this.ctx.store.saveCopy({ ...copy, comments });
      copy.comments = comments;
      this.ctx.events.changed(state.record.id, copy.id);
      return true;
    });
  }
}
