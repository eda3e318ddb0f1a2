import type { Body } from './bodies.js';
import { badRequest, classroomError, type Lang } from './i18n.js';
import type { ActivityRecord, CopyRecord } from './records.js';

// How many copies an activity may hold. Every copy is a full fork of the
// template (a room on disk, a document in memory while open, possibly a
// server kernel), and anyone with the join code may ask for one without a
// token, so the teacher sets a cap; the default suits a class.

/** Copies an activity holds when its teacher set no cap: a large class, with room for mistakes. */
export const defaultMaxCopies = 60;

/** The highest cap a teacher may set (a lecture hall). */
export const maxCopiesLimit = 500;

/** Returns the cap of an activity (records made before caps existed get the default). */
export const maxCopiesOf = (activity: ActivityRecord): number => activity.maxCopies ?? defaultMaxCopies;

/** The `maxCopies` of a body: undefined when absent, else an integer from 1 to {@link maxCopiesLimit}. */
export const maxCopiesField = (lang: Lang, body: Body): number | undefined => {
  const value = body.maxCopies;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxCopiesLimit)
    throw badRequest(
      lang,
      `« maxCopies » doit être un nombre entier de 1 à ${maxCopiesLimit}.`,
      `"maxCopies" must be a whole number from 1 to ${maxCopiesLimit}.`,
    );
  return value;
};

/**
 * Throws `activity-full` (409) when one more copy, or in whole-class mode one
 * more pupil in the shared copy, would pass the activity's cap.
 */
export const assertRoomFor = (
  lang: Lang,
  activity: ActivityRecord,
  copies: ReadonlyMap<string, CopyRecord>,
): void => {
  const used = activity.mode === 'class' ? (copies.get('class')?.members.length ?? 0) : copies.size;
  if (used >= maxCopiesOf(activity)) throw classroomError(lang, 'activity-full');
};
