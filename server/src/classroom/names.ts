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

/** The display name of a teacher whose token has none (the local teacher of open mode). */
export const teacherName = (lang: Lang): string => (lang === 'fr' ? 'Enseignant' : 'Teacher');
