import type { IncomingMessage } from 'node:http';
import { HttpError, readBody } from '@candyce/server';
import { maxCopiesField } from './caps.js';
import type { ActivityState } from './classroom.js';
import { badRequest, type Lang } from './i18n.js';
import { type CopyState, copyStates } from './records.js';

// Reading and validating the JSON bodies of the classroom's requests: every
// problem is a bad-request error naming the field, in the request's language.

/** A request body: a JSON object. */
export type Body = Record<string, unknown>;

const smallBodyBytes = 64 * 1024;
/** Longest activity title, in characters. */
export const maxTitleLength = 200;
/** Longest copy label, in characters. */
export const maxLabelLength = 100;
const maxGradeLength = 40;

/** Reads a JSON object body of at most `limit` bytes (an empty body is `{}`). */
export const readJson = async (lang: Lang, req: IncomingMessage, limit = smallBodyBytes): Promise<Body> => {
  let raw: Buffer;
  try {
    raw = await readBody(req, limit);
  } catch (err) {
    if (err instanceof HttpError && err.status === 413)
      throw new HttpError(
        413,
        lang === 'fr'
          ? `Corps de requête trop grand (plus de ${limit} octets).`
          : `Body is larger than ${limit} bytes.`,
        { code: 'bad-request' },
      );
    throw err;
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    const problem = (err as Error).message;
    throw badRequest(
      lang,
      `Le corps n’est pas du JSON valide : ${problem}`,
      `Body is not valid JSON: ${problem}`,
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest(lang, 'Le corps doit être un objet JSON.', 'Body must be a JSON object.');
  return body as Body;
};

/** A required non-empty string field of at most `max` characters, trimmed. */
export const requiredString = (lang: Lang, body: Body, key: string, max: number): string => {
  const value = optionalString(lang, body, key, max);
  if (value === undefined)
    throw badRequest(
      lang,
      `« ${key} » est requis (texte non vide).`,
      `"${key}" is required (a non-empty string).`,
    );
  return value;
};

/** An optional string field (absent, null or blank: undefined) of at most `max` characters, trimmed. */
export const optionalString = (lang: Lang, body: Body, key: string, max: number): string | undefined => {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw badRequest(lang, `« ${key} » doit être du texte.`, `"${key}" must be a string.`);
  const text = value.trim();
  if (text === '') return undefined;
  if ([...text].length > max)
    throw badRequest(
      lang,
      `« ${key} » est trop long (${max} caractères au plus).`,
      `"${key}" is too long (at most ${max} characters).`,
    );
  return text;
};

/** The `deadline` of a body: undefined when absent, null to remove it, else an ISO date. */
export const deadlineOf = (lang: Lang, body: Body): string | null | undefined => {
  const value = body.deadline;
  if (value === undefined || value === null) return value;
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw badRequest(
      lang,
      '« deadline » doit être une date ISO 8601 (par exemple 2026-12-01T08:00:00Z) ou null.',
      '"deadline" must be an ISO 8601 date (for example 2026-12-01T08:00:00Z) or null.',
    );
  return new Date(time).toISOString();
};

const booleanOf = (lang: Lang, body: Body, key: string): boolean | undefined => {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean')
    throw badRequest(lang, `« ${key} » doit valoir true ou false.`, `"${key}" must be true or false.`);
  return value;
};

/** The changes of `PATCH /api/activities/<id>`. */
export const activityPatch = (lang: Lang, body: Body) => {
  const patch: {
    title?: string;
    deadline?: string | null;
    locked?: boolean;
    joinOpen?: boolean;
    maxCopies?: number;
  } = {};
  if (body.title !== undefined) patch.title = requiredString(lang, body, 'title', maxTitleLength);
  const deadline = deadlineOf(lang, body);
  if (deadline !== undefined) patch.deadline = deadline;
  const locked = booleanOf(lang, body, 'locked');
  if (locked !== undefined) patch.locked = locked;
  const joinOpen = booleanOf(lang, body, 'joinOpen');
  if (joinOpen !== undefined) patch.joinOpen = joinOpen;
  const maxCopies = maxCopiesField(lang, body);
  if (maxCopies !== undefined) patch.maxCopies = maxCopies;
  return patch;
};

const stateOf = (lang: Lang, value: unknown): CopyState => {
  if (typeof value !== 'string' || !copyStates.includes(value as CopyState))
    throw badRequest(
      lang,
      '« state » doit valoir "in-progress", "handed-in" ou "corrected".',
      '"state" must be "in-progress", "handed-in" or "corrected".',
    );
  return value as CopyState;
};

/** The changes of `PATCH …/copies/<copy>`: state and grade (a number becomes its text). */
export const copyPatch = (lang: Lang, body: Body) => {
  const patch: { state?: CopyState; grade?: string | null } = {};
  if (body.state !== undefined) patch.state = stateOf(lang, body.state);
  if (body.grade !== undefined) {
    if (body.grade === null) patch.grade = null;
    else if (typeof body.grade === 'number' && Number.isFinite(body.grade)) patch.grade = String(body.grade);
    else patch.grade = optionalString(lang, body, 'grade', maxGradeLength) ?? null;
  }
  return patch;
};

/** The copies and state of the bulk `PATCH …/copies`; unknown copy ids are a bad request. */
export const bulkPatch = (lang: Lang, state: ActivityState, body: Body) => {
  const copyState = stateOf(lang, body.state);
  const ids = body.copies;
  if (ids === 'all') return { copies: [...state.copies.values()], copyState };
  if (!Array.isArray(ids) || !ids.every((v) => typeof v === 'string'))
    throw badRequest(
      lang,
      '« copies » doit être une liste d’identifiants de copies ou "all".',
      '"copies" must be a list of copy ids or "all".',
    );
  const copies = (ids as string[]).map((copyId) => {
    const copy = state.copies.get(copyId);
    if (!copy)
      throw badRequest(
        lang,
        `Copie inconnue : ${JSON.stringify(copyId)}.`,
        `Unknown copy: ${JSON.stringify(copyId)}.`,
      );
    return copy;
  });
  return { copies, copyState };
};
