import { type CopyState, copyStates, type Mode, modes, type ReadOnlyReason } from '@candyce/classroom/wire';
// Pure helpers of the classroom pages: join codes, activity rooms, dates,
// states. No DOM: unit-tested in Node.

/** The letters of a join code (no I, L, O, 0, 1: they are misread on a board). */
export const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Length of a join code. */
export const codeLength = 6;

/**
 * Returns `input` as a join code: upper case, without spaces or dashes (a
 * code read aloud or copied from a board may have them). Letters that are
 * not in the alphabet stay, so that {@link isJoinCode} can say the code is wrong.
 */
export const normalizeCode = (input: string): string => input.toUpperCase().replace(/[\s-]+/g, '');

/** Returns true when `code` (normalised) has the shape of a join code. */
export const isJoinCode = (code: string): boolean =>
  code.length === codeLength && [...code].every((c) => codeAlphabet.includes(c));

/** The four ways an activity hands out work (the classroom's wire types, defined once). */
export type ActivityMode = Mode;

/** The modes, in the order the create form offers them. */
export const activityModes: readonly ActivityMode[] = modes;

/** Returns `value` as an activity mode, or null. */
export const asMode = (value: unknown): ActivityMode | null =>
  typeof value === 'string' && (activityModes as readonly string[]).includes(value)
    ? (value as ActivityMode)
    : null;

export type { CopyState, ReadOnlyReason };
export { copyStates };

/** An activity's rooms: its template `act-<id>`, its copies `act-<id>-<copyId>`. */
export interface ActivityRoom {
  activityId: string;
  /** The copy, or null for the template. */
  copyId: string | null;
}

/** Returns the activity and copy of a room name, or null when it is not an activity's room. */
export const parseActivityRoom = (room: string): ActivityRoom | null => {
  const match = /^act-([a-z2-7]{10})(?:-([a-z2-7]{8}|class))?$/.exec(room);
  if (!match) return null;
  return { activityId: match[1]!, copyId: match[2] ?? null };
};

/** Returns the template room of an activity. */
export const templateRoomOf = (activityId: string): string => `act-${activityId}`;

/**
 * Returns the ISO date of the value of an `<input type="datetime-local">`
 * (a local time), null for an empty value, or undefined when it is not a date.
 */
export const deadlineFromInput = (value: string): string | null | undefined => {
  if (!value.trim()) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value.trim())) return undefined;
  const date = new Date(value.trim());
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const pad = (n: number) => String(n).padStart(2, '0');

/** Returns the value an `<input type="datetime-local">` shows for an ISO date (empty for none). */
export const deadlineToInput = (iso: string | null | undefined): string => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** Returns a date and time for people, in `lang`, or an empty string for none. */
export const formatDate = (iso: string | null | undefined, lang: 'fr' | 'en'): string => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
};

/** Returns how long ago `iso` was, in `lang` ("à l’instant", "il y a 3 min"), or an empty string. */
export const formatAgo = (iso: string | null | undefined, lang: 'fr' | 'en', now = Date.now()): string => {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return lang === 'en' ? 'just now' : 'à l’instant';
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'always', style: 'short' });
  if (s < 3600) return rtf.format(-Math.round(s / 60), 'minute');
  if (s < 86400) return rtf.format(-Math.round(s / 3600), 'hour');
  return rtf.format(-Math.round(s / 86400), 'day');
};

/** Returns true when the deadline `iso` has passed at `now`. */
export const deadlinePassed = (iso: string | null | undefined, now = Date.now()): boolean => {
  if (!iso) return false;
  const t = new Date(iso).getTime();
  return !Number.isNaN(t) && t <= now;
};

/** Returns the file name of a download, from the activity's title (letters, digits, dashes). */
export const fileNameOf = (title: string, suffix: string): string => {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase();
  return `${base || 'activite'}${suffix}`;
};

/** Returns who works in a copy: its members' names, or its label (a pair the teacher formed), or its id. */
export const whoOf = (copy: {
  id: string;
  members: readonly { name: string }[];
  label?: string | null;
}): string => (copy.members.length ? copy.members.map((m) => m.name).join(', ') : copy.label || copy.id);

/**
 * Reads the "most copies" field of a form: undefined when empty (the
 * server's default), the number when it is a whole number from 1 to 500,
 * null otherwise (the form says so).
 */
export const maxCopiesFromInput = (value: string): number | undefined | null => {
  const text = value.trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 500 ? n : null;
};
