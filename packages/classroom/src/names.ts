import { messagesOf } from '@candyce/protocol';
import { classroomError, type Lang } from './i18n.js';

/** Longest display name of a pupil, in characters. */
export const maxNameLength = 60;

/**
 * Validates a display name typed by a pupil and returns it cleaned: control
 * characters removed, runs of spaces made one, trimmed, 1 to 60 characters.
 * Throws `name-required` or `name-too-long` in the request's language.
 */
export const pupilName = (lang: Lang, raw: unknown): string => {
  if (raw !== undefined && raw !== null && typeof raw !== 'string')
    throw classroomError(lang, 'name-required');
  const name = (typeof raw === 'string' ? raw : '')
    .replace(/\p{Cc}/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (name === '') throw classroomError(lang, 'name-required');
  if ([...name].length > maxNameLength) throw classroomError(lang, 'name-too-long');
  return name;
};

// The names the classroom gives when no one typed one.
const defaults = messagesOf({
  fr: { teacher: 'Enseignant', pair: 'Binôme {n}', class: 'Classe' },
  en: { teacher: 'Teacher', pair: 'Pair {n}', class: 'Class' },
});

/** The display name of a teacher whose token has none (the local teacher of open mode). */
export const teacherName = (lang: Lang): string => defaults(lang, 'teacher');

/** The label of the `n`-th pair's copy, when the teacher forms it without naming it. */
export const pairLabel = (lang: Lang, n: number): string => defaults(lang, 'pair', { n });

/** The label of the one copy of an activity in `class` mode. */
export const classLabel = (lang: Lang): string => defaults(lang, 'class');

/**
 * The form of a name that two names must not share: compatibility-decomposed,
 * without accents, case-folded, keeping only letters and digits, so that
 * « É n s e i g n a n t . » and "enseignant" (or one with a zero-width space)
 * are the same name.
 */
export const nameKey = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]/gu, '')
    .toLocaleLowerCase('und');

/** Names only a teacher goes by, in both languages (as {@link nameKey}s). */
const teacherNames = new Set(
  ['Enseignant', 'Enseignante', 'Teacher', 'Professeur', 'Professeure', 'Prof'].map(nameKey),
);

/**
 * Returns the name an anonymous pupil joins under: refused with
 * `name-reserved` when it is the teacher's (their display name, or a word
 * that names the teacher); made distinct with a number (« Léa (2) ») when
 * another pupil of the activity already has it, so that presence and the
 * dashboard never show two people under one name.
 */
export const joinName = (
  lang: Lang,
  name: string,
  teacher: string | undefined,
  taken: Iterable<string>,
): string => {
  const key = nameKey(name);
  // A name of punctuation alone names nobody.
  if (key === '') throw classroomError(lang, 'name-required');
  if (teacherNames.has(key) || (teacher !== undefined && nameKey(teacher) === key))
    throw classroomError(lang, 'name-reserved');
  const used = new Set<string>();
  for (const other of taken) used.add(nameKey(other));
  if (!used.has(key)) return name;
  // The number goes after a name cut to leave room for it within the limit.
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = [...name].slice(0, maxNameLength - suffix.length).join('') + suffix;
    if (!used.has(nameKey(candidate))) return candidate;
  }
};
