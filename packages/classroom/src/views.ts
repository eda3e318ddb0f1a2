import { readOnlyReason } from './access.js';
import type { ActivityRecord, CopyRecord } from './records.js';

import type { CopyRow, CopyStatus } from './wire.js';

export type { CopyRow, CopyStatus };

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
