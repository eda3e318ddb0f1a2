import type { ActivityRecord, CopyRecord, ReadOnlyReason } from './records.js';

/**
 * Returns why the pupils of `copy` cannot change it at `now`, or null when
 * they can: the deadline passed, the teacher locked the activity, or the copy
 * is handed in or corrected. Teachers are never held by it.
 */
export const readOnlyReason = (
  activity: ActivityRecord,
  copy: CopyRecord,
  now = Date.now(),
): ReadOnlyReason => {
  if (copy.state !== 'in-progress') return 'handed-in';
  if (activity.locked) return 'locked';
  if (deadlinePassed(activity, now)) return 'deadline';
  return null;
};

/** Returns true when the activity has a deadline and it is past. */
export const deadlinePassed = (activity: ActivityRecord, now = Date.now()): boolean =>
  activity.deadline !== null && Date.parse(activity.deadline) <= now;
