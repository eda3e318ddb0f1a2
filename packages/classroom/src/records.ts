// The records of the classroom, as stored (JSON) and held in memory.

import type { PushSnapshot } from './push.js';
import type { Comment, CopyState, Member, Mode } from './wire.js';

export type { Comment, CopyState, Member, Mode, ReadOnlyReason } from './wire.js';
export { copyStates, modes } from './wire.js';

/** An activity: a template notebook handed out to a class under a join code. */
export interface ActivityRecord {
  readonly id: string;
  title: string;
  readonly mode: Mode;
  readonly code: string;
  /** ISO date after which pupils can no longer change their copies, or null. */
  deadline: string | null;
  /** Set by the teacher: every copy is read-only to its pupils. */
  locked: boolean;
  /** False once the teacher closes joining. */
  joinOpen: boolean;
  readonly createdAt: string;
  /** `sub` of the teacher who created it. */
  readonly owner: string;
  /** Display name of the teacher's token (absent in records made before it was kept). */
  readonly teacherName?: string;
  /** Most copies the activity holds (see caps.ts); absent: the default. */
  maxCopies?: number;
  /** Generation of the teacher tokens: a token of an older one is revoked (see revocation.ts); absent: 0. */
  tokenGen?: number;
  /** Keyed hash of the teacher code (teacher-codes.ts); absent for activities created before it. */
  readonly teacherCodeHash?: string;
  /** The template as last pushed (push.ts), for the preview of the next push. */
  pushed?: PushSnapshot;
}

/** Live statistics of a copy, kept up to date by the room hooks. */
export interface CopyStats {
  lastEditAt: string | null;
  cellsRun: number;
  errors: number;
}

/** One copy of an activity's template: a pupil's, a pair's, or the whole class's. */
export interface CopyRecord {
  readonly id: string;
  readonly activity: string;
  readonly room: string;
  label: string;
  /** The code a partner joins this copy with (pairs), or null. */
  readonly pairCode: string | null;
  members: Member[];
  state: CopyState;
  handedInAt: string | null;
  /** Who handed it in last (a display name), so that a partner knows; absent in older records. */
  handedInBy?: string | null;
  grade: string | null;
  comments: Comment[];
  readonly createdAt: string;
  stats: CopyStats;
  /** The last push of the template's correction: when, and the cells it changed (highlighted for the pupils). */
  lastPush?: { at: string; cells: string[] };
}

/** An immutable hand-in: the copy as .ipynb at one time. */
export interface HandinRecord {
  readonly id: string;
  readonly at: string;
  readonly by: string;
  readonly notebook: unknown;
}
