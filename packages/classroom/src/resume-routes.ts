import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '@candyce/server';
import { json } from '@candyce/server';
import { deadlinePassed } from './access.js';
import type { AttemptKey, AttemptLimiter } from './attempts.js';
import { readJson } from './bodies.js';
import type { ActivityState, Classroom } from './classroom.js';
import { badRequest, classroomError, type Lang } from './i18n.js';
import type { CopyRecord } from './records.js';

// Two routes of the pupil's side, apart from routes.ts: what the join page
// asks before joining (`GET /api/join?code=`: the activity's title and mode,
// so that it offers a pair-code field only for pairs), and a new personal code
// for a pupil (`POST …/copies/<copy>/resume-code`).

/**
 * `GET /api/join?code=<code>`: `{ activity: { title, mode, open } }`, where
 * `open` says whether new pupils may join now. An unknown code is a wrong
 * attempt, as for a join: the same limiter guards both against guessing.
 */
export const peekRoute = (
  classroom: Classroom,
  attempts: AttemptLimiter,
  keys: readonly AttemptKey[],
  lang: Lang,
  res: ServerResponse,
  url: URL,
): void => {
  const code = url.searchParams.get('code') ?? '';
  if (code.trim() === '')
    throw badRequest(lang, 'Indiquez le code de l’activité.', 'Give the code of the activity.');
  if (attempts.blocked(keys)) throw classroomError(lang, 'too-many-attempts');
  const state = classroom.activityByCode(code);
  if (!state) {
    attempts.fail(keys);
    throw classroomError(lang, 'unknown-code');
  }
  const { record } = state;
  json(res, 200, {
    activity: { title: record.title, mode: record.mode, open: record.joinOpen && !deadlinePassed(record) },
  });
};

/**
 * `POST /api/activities/<id>/copies/<copy>/resume-code` `{ member? }`: a new
 * personal code for the pupil `member` of the copy (default: the pupil who
 * asks, or the copy's only pupil when the teacher asks); the old code stops
 * working. Teachers for any pupil of the copy, a pupil only for themselves.
 * → `{ member, name, resumeCode }`.
 */
export const resumeCodeRoute = async (
  classroom: Classroom,
  lang: Lang,
  req: IncomingMessage,
  res: ServerResponse,
  target: { state: ActivityState; copy: CopyRecord; teacher: boolean; identity: Identity },
): Promise<void> => {
  const { state, copy, teacher, identity } = target;
  const body = await readJson(lang, req);
  let member = body.member;
  if (member === undefined) {
    if (!teacher) member = identity.sub;
    else if (copy.members.length === 1) member = copy.members[0]!.id;
    else
      throw badRequest(
        lang,
        '« member » : indiquez l’élève de la copie (son identifiant).',
        '"member": give the pupil of the copy (their id).',
      );
  }
  if (typeof member !== 'string' || member.length > 128)
    throw badRequest(lang, '« member » doit être un identifiant d’élève.', '"member" must be a pupil id.');
  if (!teacher && member !== identity.sub) throw classroomError(lang, 'forbidden');
  const pupil = copy.members.find((m) => m.id === member);
  const code = pupil ? await classroom.newResumeCode(state, copy, pupil.id) : null;
  if (!pupil || code === null)
    throw badRequest(
      lang,
      '« member » n’est pas un élève de cette copie.',
      '"member" is not a pupil of this copy.',
    );
  json(res, 200, { member: pupil.id, name: pupil.name, resumeCode: code });
};
