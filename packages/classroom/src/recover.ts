import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from '@candyce/server';
import type { AttemptKey, AttemptLimiter } from './attempts.js';
import { readJson } from './bodies.js';
import type { Classroom } from './classroom.js';
import { badRequest, classroomError, type Lang } from './i18n.js';
import { templateRoom } from './ids.js';

/**
 * `POST /api/recover` `{ code }`: a teacher who lost the dashboard's link (another
 * computer, a cleared browser) gets a new teacher token with the teacher code
 * shown at creation. No token needed: the code is the key. Wrong codes count
 * per browser and client address in the same limiter as join codes (429 beyond it).
 */
export const recoverRoute = async (
  classroom: Classroom,
  attempts: AttemptLimiter,
  keys: readonly AttemptKey[],
  lang: Lang,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> => {
  const body = await readJson(lang, req);
  if (typeof body.code !== 'string' || body.code.trim() === '')
    throw badRequest(lang, 'Indiquez le code enseignant.', 'Give the teacher code.');
  if (attempts.blocked(keys)) throw classroomError(lang, 'too-many-attempts');
  const found = await classroom.recoverTeacher(lang, body.code);
  if (!found) {
    attempts.fail(keys);
    throw classroomError(lang, 'unknown-teacher-code');
  }
  const { record, teacherToken } = found;
  json(res, 200, {
    id: record.id,
    title: record.title,
    mode: record.mode,
    code: record.code,
    teacherToken,
    templateRoom: templateRoom(record.id),
    teacherPath: `/a/${record.id}`,
  });
};
