import { randomInt } from 'node:crypto';

// Random identifiers of the classroom. Activity and copy ids go into room
// names, so they use lower-case base32 (`[a-z2-7]`); join and pair codes are
// read aloud and typed by pupils, so they avoid look-alike characters.

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The alphabet of join and pair codes: no 0/O, 1/I/L. */
export const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

const pick = (alphabet: string, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
};

/** Returns a new activity id: 10 characters `[a-z2-7]`. */
export const newActivityId = (): string => pick(base32, 10);

/** Returns a new copy id: 8 characters `[a-z2-7]`. */
export const newCopyId = (): string => pick(base32, 8);

/** Returns a new join code: 6 characters of {@link codeAlphabet}. */
export const newJoinCode = (): string => pick(codeAlphabet, 6);

/** Returns a new pair code: 5 characters of {@link codeAlphabet}, unique within its activity. */
export const newPairCode = (): string => pick(codeAlphabet, 5);

/** Returns a new pseudonymous pupil id (the `sub` of a pupil's token). */
export const newPupilId = (): string => `pupil-${pick(base32, 12)}`;

/** Returns a new id that sorts by creation time (hand-ins, comments). */
export const newTimedId = (now = Date.now()): string => now.toString(36).padStart(9, '0') + pick(base32, 4);

/**
 * Normalises a code typed by a pupil: upper case, without spaces or dashes.
 * Returns the code, which callers then look up.
 */
export const normaliseCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

const activityIdPattern = /^[a-z2-7]{10}$/;
const roomPattern = /^act-([a-z2-7]{10})(?:-([a-z2-7]{8}|class))?$/;

/** Returns true when `id` has the shape of an activity id. */
export const isActivityId = (id: string): boolean => activityIdPattern.test(id);

/** The template room of an activity. */
export const templateRoom = (activity: string): string => `act-${activity}`;

/** The room of one copy of an activity. */
export const copyRoom = (activity: string, copy: string): string => `act-${activity}-${copy}`;

/**
 * Parses a classroom room name: `{ activity, copy }` for a copy, `{ activity,
 * copy: null }` for a template, null for any other room.
 */
export const parseRoom = (room: string): { activity: string; copy: string | null } | null => {
  const match = roomPattern.exec(room);
  return match ? { activity: match[1]!, copy: match[2] ?? null } : null;
};
