import { readOnlyReason } from './access.js';
import type {
  ActivityRecord,
  Comment,
  CopyRecord,
  CopyState,
  Member,
  Mode,
  ReadOnlyReason,
} from './records.js';

/** A copy's row on the teacher's dashboard. */
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

/** What a copy's pupils see of it: state, read-only reason, grade, comments. */
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

/** Returns the dashboard row of a copy; `online` holds the ids connected to its room. */
export const copyRow = (copy: CopyRecord, online: ReadonlySet<string>): CopyRow => {
  const members = copy.members.map((m) => ({ id: m.id, name: m.name, online: online.has(m.id) }));
  return {
    id: copy.id,
    room: copy.room,
    label: copy.label,
    members,
    online: members.some((m) => m.online),
    lastEditAt: copy.stats.lastEditAt,
    cellsRun: copy.stats.cellsRun,
    errors: copy.stats.errors,
    state: copy.state,
    handedInAt: copy.handedInAt,
    grade: copy.grade,
    pairCode: copy.pairCode,
  };
};

/** Returns the status of a copy, as its pupils see it now. */
export const copyStatus = (activity: ActivityRecord, copy: CopyRecord): CopyStatus => ({
  id: copy.id,
  room: copy.room,
  title: activity.title,
  mode: activity.mode,
  label: copy.label,
  members: copy.members,
  pairCode: copy.pairCode,
  state: copy.state,
  handedInAt: copy.handedInAt,
  handedInBy: copy.handedInAt ? (copy.handedInBy ?? null) : null,
  readOnly: readOnlyReason(activity, copy),
  deadline: activity.deadline,
  grade: copy.grade,
  comments: copy.comments,
  push: copy.lastPush ?? null,
});
