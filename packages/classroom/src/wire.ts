// The classroom's wire types: what its endpoints send and the pages read.
// No imports and no Node API, so that the browser imports this module alone
// (`@candyce/classroom/wire`) without the server part.

/** How pupils work on an activity. */
export type Mode = 'individual' | 'pairs' | 'class' | 'demo';

/** Every mode, for validation. */
export const modes: readonly Mode[] = ['individual', 'pairs', 'class', 'demo'];

/** Where a copy is in the hand-in cycle. */
export type CopyState = 'in-progress' | 'handed-in' | 'corrected';

/** Every copy state, for validation. */
export const copyStates: readonly CopyState[] = ['in-progress', 'handed-in', 'corrected'];

/** Why pupils cannot change a copy now, or null when they can. */
export type ReadOnlyReason = null | 'deadline' | 'locked' | 'handed-in';

/** A pupil of a copy. */
export interface Member {
  readonly id: string;
  readonly name: string;
}

/** A teacher's comment on one cell of a copy; never stored in the notebook. */
export interface Comment {
  readonly id: string;
  readonly cell_id: string;
  readonly text: string;
  readonly author: string;
  readonly at: string;
}

/** One copy, as a row of the teacher's dashboard (`GET …/copies`, the live events). */
export interface CopyRow {
  id: string;
  room: string;
  label: string;
  members: { id: string; name: string; online: boolean }[];
  online: boolean;
  lastEditAt: string | null;
  cellsRun: number;
  errors: number;
  state: CopyState;
  handedInAt: string | null;
  grade: string | null;
  pairCode: string | null;
}

/** What a copy's pupils see of it (`GET …/copies/<copy>`): state, read-only reason, grade, comments. */
export interface CopyStatus {
  id: string;
  room: string;
  title: string;
  /** The activity's mode: in `class` mode only the teacher hands the shared copy in. */
  mode: Mode;
  label: string;
  members: Member[];
  /** The code a partner joins this copy with (pairs), or null. */
  pairCode: string | null;
  state: CopyState;
  handedInAt: string | null;
  /** Who handed it in (a name), or null. */
  handedInBy: string | null;
  readOnly: ReadOnlyReason;
  deadline: string | null;
  grade: string | null;
  comments: Comment[];
  /** The last push of the teacher's correction into this copy, or null. */
  push: { at: string; cells: string[] } | null;
}
