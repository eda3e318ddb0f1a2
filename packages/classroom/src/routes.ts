import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AuthError,
  type Authenticator,
  bearer,
  type ConnectionCaps,
  canAccessRoom,
  HttpError,
  type Identity,
  isRefusal,
  json,
  KernelCatalog,
  type Slot,
} from '@candyce/server';
import { type AttemptKey, type AttemptLimiter, attemptKeys } from './attempts.js';
import {
  activityPatch,
  bulkPatch,
  copyPatch,
  deadlineOf,
  maxLabelLength,
  maxTitleLength,
  optionalString,
  readJson,
  requiredString,
} from './bodies.js';
import { maxCopiesField, maxCopiesOf } from './caps.js';
import type { ActivityState, Classroom } from './classroom.js';
import { withOutputsNotice } from './handin-notice.js';
import { badRequest, classroomError, type Lang, langOf } from './i18n.js';
import { copyRoom, isActivityId, templateRoom } from './ids.js';
import { maxNameLength, pairLabel, teacherName } from './names.js';
import { pushRoute } from './push-route.js';
import { type ActivityRecord, type CopyRecord, type Mode, modes } from './records.js';
import { recoverRoute } from './recover.js';
import { peekRoute, resumeCodeRoute } from './resume-routes.js';
import { RevokedTokenError } from './revocation.js';
import { displayTeacherCode } from './teacher-codes.js';

/** What the classroom's HTTP routes need. */
export interface RouteContext {
  readonly classroom: Classroom;
  readonly auth: Authenticator;
  /** Largest body of `POST /api/activities` (it carries a notebook). */
  readonly maxDocumentBytes: number;
  /** Wrong join and pair codes per client address (brute-force guard). */
  readonly attempts: AttemptLimiter;
  /** The client's address of a request (the peer, or X-Forwarded-For from a trusted proxy). */
  readonly clientAddress?: (req: IncomingMessage) => string;
  /** Caps on long-lived connections, which event streams count in. */
  readonly caps?: ConnectionCaps;
  /** What the deployment offers to run notebooks with (the `kernel` of a new activity). */
  readonly kernels?: KernelCatalog;
}

const maxCommentLength = 10_000;
const copyIdPattern = /^(?:[a-z2-7]{8}|class)$/;
const timedIdPattern = /^[0-9a-z]{13}$/;

const activityPath = /^\/api\/activities\/([^/]+)(?:\/(copies|events|push|revoke|grades\.csv))?$/;
const copyPath =
  /^\/api\/activities\/([^/]+)\/copies\/([^/]+)(?:\/(handin|handins|comments|resume-code)(?:\/([^/]+))?)?$/;

/**
 * Returns the classroom's HTTP routes (`/api/activities…`, `/api/join`), for
 * the `routes` hook of the HTTP API: it answers false for any other path.
 * Errors are `{ error, code }` in the request's language.
 */
export const createClassroomRoutes =
  (ctx: RouteContext) =>
  async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const path = url.pathname;
    if (
      path !== '/api/join' &&
      path !== '/api/recover' &&
      path !== '/api/activities' &&
      !path.startsWith('/api/activities/')
    )
      return false;
    const lang = langOf(req);
    const method = req.method ?? 'GET';
    if (path === '/api/join') {
      allow(lang, method, 'GET', 'POST');
      if (method === 'GET') peekRoute(ctx.classroom, ctx.attempts, anonymousKeys(ctx, req), lang, res, url);
      else await join(ctx, lang, req, res);
      return true;
    }
    if (path === '/api/recover') {
      allow(lang, method, 'POST');
      await recoverRoute(ctx.classroom, ctx.attempts, anonymousKeys(ctx, req), lang, req, res);
      return true;
    }
    if (path === '/api/activities') {
      allow(lang, method, 'POST');
      await create(ctx, lang, req, res);
      return true;
    }
    const copyMatch = copyPath.exec(path);
    if (copyMatch) {
      await copyRoute(ctx, lang, req, res, copyMatch as unknown as string[]);
      return true;
    }
    const match = activityPath.exec(path);
    if (!match) throw classroomError(lang, 'not-found');
    const id = match[1]!;
    const sub = match[2];
    if (sub === 'events') {
      allow(lang, method, 'GET');
      await events(ctx, lang, req, res, id, url.searchParams);
      return true;
    }
    const identity = await identify(ctx, lang, bearer(req));
    const state = teacherOf(ctx, lang, identity, id);
    const classroom = ctx.classroom;
    switch (sub) {
      case undefined:
        allow(lang, method, 'GET', 'PATCH');
        if (method === 'PATCH') {
          const record = await classroom.update(state, activityPatch(lang, await readJson(lang, req)));
          json(res, 200, activityBody(record));
        } else json(res, 200, activityBody(state.record));
        return true;
      case 'copies':
        allow(lang, method, 'GET', 'POST', 'PATCH');
        if (method === 'GET') json(res, 200, { copies: classroom.rows(state) });
        else if (method === 'POST') {
          if (state.record.mode !== 'pairs')
            throw badRequest(
              lang,
              'Seules les activités en binômes ont des copies formées par l’enseignant.',
              'Only activities in pairs have copies formed by the teacher.',
            );
          const body = await readJson(lang, req);
          const label =
            optionalString(lang, body, 'label', maxLabelLength) ?? pairLabel(lang, state.copies.size + 1);
          const copy = await classroom.addPairCopy(lang, state, label);
          json(res, 201, { id: copy.id, room: copy.room, label: copy.label, pairCode: copy.pairCode });
        } else {
          const { copies, copyState } = bulkPatch(lang, state, await readJson(lang, req));
          json(res, 200, { copies: await classroom.feedback.updateCopies(state, copies, copyState) });
        }
        return true;
      case 'push':
        allow(lang, method, 'GET', 'POST');
        await pushRoute(classroom, lang, method, req, res, state);
        return true;
      case 'revoke': {
        allow(lang, method, 'POST');
        const teacherToken = await classroom.revokeTeacherTokens(state, identity, lang);
        json(res, 200, { teacherToken, teacherPath: `/a/${state.record.id}` });
        return true;
      }
      default: {
        allow(lang, method, 'GET');
        const csv = classroom.csv(state);
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="grades-${state.record.id}.csv"`,
          'content-length': Buffer.byteLength(csv),
        });
        res.end(csv);
        return true;
      }
    }
  };

const activityBody = (record: ActivityRecord) => ({
  id: record.id,
  title: record.title,
  mode: record.mode,
  code: record.code,
  deadline: record.deadline,
  locked: record.locked,
  joinOpen: record.joinOpen,
  maxCopies: maxCopiesOf(record),
  createdAt: record.createdAt,
  templateRoom: templateRoom(record.id),
  joinPath: `/j/${record.code}`,
  teacherPath: `/a/${record.id}`,
});

const allow = (lang: Lang, method: string, ...methods: string[]): void => {
  if (!methods.includes(method))
    throw new HttpError(
      405,
      lang === 'fr'
        ? `Méthode ${method} non permise ici : utilisez ${methods.join(' ou ')}.`
        : `Method ${method} is not allowed here: use ${methods.join(' or ')}.`,
      { code: 'bad-request' },
    );
};

/** Verifies a token (none: the local teacher in open mode, 401 otherwise). */
const identify = async (ctx: RouteContext, lang: Lang, token: string | null): Promise<Identity> => {
  try {
    return await ctx.auth.authenticate(token);
  } catch (err) {
    if (err instanceof RevokedTokenError) throw classroomError(lang, 'token-revoked');
    if (err instanceof AuthError) throw classroomError(lang, 'unauthorized');
    throw err;
  }
};

/** The activity, when `identity` is one of its teachers: 403 for anyone else, 404 when it does not exist. */
const teacherOf = (ctx: RouteContext, lang: Lang, identity: Identity, id: string): ActivityState => {
  if (!isTeacherOf(identity, id)) throw classroomError(lang, 'forbidden');
  const state = isActivityId(id) ? ctx.classroom.activity(id) : null;
  if (!state) throw classroomError(lang, 'not-found');
  return state;
};

const isTeacherOf = (identity: Identity, id: string): boolean =>
  identity.role === 'teacher' && canAccessRoom(identity, templateRoom(id));

/** The copy, when `identity` is a teacher of its activity or holds its room: 403 otherwise, 404 when absent. */
const copyOf = (
  ctx: RouteContext,
  lang: Lang,
  identity: Identity,
  id: string,
  copyId: string,
): { state: ActivityState; copy: CopyRecord; teacher: boolean } => {
  const teacher = isTeacherOf(identity, id);
  const pupil = identity.role === 'student' && canAccessRoom(identity, copyRoom(id, copyId));
  if (!teacher && !pupil) throw classroomError(lang, 'forbidden');
  const state = isActivityId(id) ? ctx.classroom.activity(id) : null;
  const copy = copyIdPattern.test(copyId) ? state?.copies.get(copyId) : undefined;
  if (!state || !copy) throw classroomError(lang, 'not-found');
  return { state, copy, teacher };
};

const copyRoute = async (
  ctx: RouteContext,
  lang: Lang,
  req: IncomingMessage,
  res: ServerResponse,
  match: string[],
): Promise<void> => {
  const [, id = '', copyId = '', sub, item] = match;
  const method = req.method ?? 'GET';
  const identity = await identify(ctx, lang, bearer(req));
  const { state, copy, teacher } = copyOf(ctx, lang, identity, id, copyId);
  const classroom = ctx.classroom;
  const teacherOnly = () => {
    if (!teacher) throw classroomError(lang, 'forbidden');
  };
  if (sub === undefined) {
    allow(lang, method, 'GET', 'PATCH', 'DELETE');
    if (method === 'GET') {
      json(res, 200, classroom.status(state, copy));
      return;
    }
    teacherOnly();
    if (method === 'DELETE') {
      // Every pupil of a whole-class activity joins this one copy: it stays.
      if (state.record.mode === 'class')
        throw badRequest(
          lang,
          'La copie commune d’une activité en classe entière ne peut pas être supprimée.',
          'The shared copy of a whole-class activity cannot be removed.',
        );
      await classroom.removeCopy(state, copy);
      json(res, 200, { id: copy.id, deleted: true });
      return;
    }
    const patch = copyPatch(lang, await readJson(lang, req));
    await classroom.feedback.updateCopy(state, copy, patch);
    json(res, 200, classroom.status(state, copy));
    return;
  }
  if (sub === 'handin' && item === undefined) {
    allow(lang, method, 'POST');
    json(res, 201, await classroom.feedback.handIn(lang, state, copy, identity));
    return;
  }
  if (sub === 'resume-code' && item === undefined) {
    allow(lang, method, 'POST');
    await resumeCodeRoute(classroom, lang, req, res, { state, copy, teacher, identity });
    return;
  }
  if (sub === 'handins') {
    allow(lang, method, 'GET');
    if (item === undefined) {
      json(res, 200, { handins: await classroom.feedback.handins(copy) });
      return;
    }
    const handin = timedIdPattern.test(item) ? await classroom.feedback.handin(copy, item) : undefined;
    if (!handin) throw classroomError(lang, 'not-found');
    const text = JSON.stringify(withOutputsNotice(handin.notebook), null, 1);
    res.writeHead(200, {
      'content-type': 'application/x-ipynb+json; charset=utf-8',
      'content-disposition': `attachment; filename="${copy.room}-${handin.id}.ipynb"`,
      'content-length': Buffer.byteLength(text),
      'x-candyce-handed-in-at': handin.at,
    });
    res.end(text);
    return;
  }
  if (sub === 'comments') {
    teacherOnly();
    if (item === undefined) {
      allow(lang, method, 'POST');
      const body = await readJson(lang, req);
      const cellId = requiredString(lang, body, 'cell_id', 64);
      const text = requiredString(lang, body, 'text', maxCommentLength);
      const author = identity.name ?? teacherName(lang);
      json(res, 201, await classroom.feedback.addComment(state, copy, { cell_id: cellId, text, author }));
      return;
    }
    allow(lang, method, 'DELETE');
    if (!(await classroom.feedback.deleteComment(state, copy, item))) throw classroomError(lang, 'not-found');
    json(res, 200, { id: item, deleted: true });
    return;
  }
  throw classroomError(lang, 'not-found');
};

/** The kernelspec of the `kernel` a new activity asks for (an id of `GET /api/kernels`), or undefined when absent. */
const kernelField = async (ctx: RouteContext, lang: Lang, value: unknown) => {
  if (value === undefined || value === null || value === '') return undefined;
  const catalog = ctx.kernels ?? new KernelCatalog();
  const offer = typeof value === 'string' && value.length <= 100 ? await catalog.find(value) : undefined;
  if (offer) return offer.kernelspec;
  const ids = (await catalog.list()).kernels.map((k) => k.id).join(', ');
  throw badRequest(
    lang,
    `« kernel » doit être un des noyaux que ce serveur propose (${ids}).`,
    `"kernel" must be one of the kernels this server offers (${ids}).`,
  );
};

const create = async (ctx: RouteContext, lang: Lang, req: IncomingMessage, res: ServerResponse) => {
  const identity = await identify(ctx, lang, bearer(req));
  if (identity.role !== 'teacher') throw classroomError(lang, 'forbidden');
  const body = await readJson(lang, req, ctx.maxDocumentBytes);
  const title = requiredString(lang, body, 'title', maxTitleLength);
  const mode = body.mode;
  if (typeof mode !== 'string' || !modes.includes(mode as Mode))
    throw badRequest(
      lang,
      '« mode » doit valoir "individual", "pairs", "class" ou "demo".',
      '"mode" must be "individual", "pairs", "class" or "demo".',
    );
  const notebook = body.notebook ?? undefined;
  if (notebook !== undefined && (typeof notebook !== 'object' || Array.isArray(notebook)))
    throw badRequest(
      lang,
      '« notebook » doit être un notebook .ipynb (objet JSON).',
      '"notebook" must be an .ipynb notebook (a JSON object).',
    );
  const deadline = deadlineOf(lang, body);
  const maxCopies = maxCopiesField(lang, body);
  const kernelspec = await kernelField(ctx, lang, body.kernel);
  const teacherName = optionalString(lang, body, 'teacherName', maxNameLength)
    ?.replace(/\p{Cc}/gu, '')
    .replace(/\s+/g, ' ');
  const { record, teacherToken, teacherCode } = await ctx.classroom.create(lang, identity, {
    title,
    mode: mode as Mode,
    notebook,
    deadline: deadline ?? null,
    ...(maxCopies !== undefined ? { maxCopies } : {}),
    ...(teacherName ? { teacherName } : {}),
    ...(kernelspec ? { kernelspec } : {}),
  });
  const { id, code } = record;
  json(res, 201, {
    id,
    title: record.title,
    mode: record.mode,
    code,
    deadline: record.deadline,
    maxCopies: maxCopiesOf(record),
    teacherToken,
    teacherCode: displayTeacherCode(teacherCode),
    teacherName: record.teacherName,
    templateRoom: templateRoom(id),
    joinPath: `/j/${code}`,
    teacherPath: `/a/${id}`,
  });
};

/**
 * The attempt counters of a request that carries no identity (a teacher code, a join code looked up):
 * per browser and per client address, as for an anonymous join, so that one guesser behind the
 * school's NAT does not lock the class out.
 */
const anonymousKeys = (ctx: RouteContext, req: IncomingMessage): AttemptKey[] =>
  attemptKeys(
    ctx.attempts,
    null,
    ctx.clientAddress?.(req) ?? req.socket.remoteAddress ?? '',
    req.headers['x-candyce-device'],
  );

const join = async (ctx: RouteContext, lang: Lang, req: IncomingMessage, res: ServerResponse) => {
  // No token: an anonymous pupil (even in open mode, where it would be the local teacher).
  const token = bearer(req);
  const identity = token ? await identify(ctx, lang, token) : null;
  const body = await readJson(lang, req);
  if (typeof body.code !== 'string' || body.code.trim() === '')
    throw badRequest(lang, 'Indiquez le code de l’activité.', 'Give the code of the activity.');
  const address = ctx.clientAddress?.(req) ?? req.socket.remoteAddress ?? '';
  const keys = attemptKeys(ctx.attempts, identity?.sub ?? null, address, req.headers['x-candyce-device']);
  if (ctx.attempts.blocked(keys)) throw classroomError(lang, 'too-many-attempts');
  try {
    json(
      res,
      200,
      await ctx.classroom.join(lang, identity, {
        code: body.code,
        name: body.name,
        pairCode: body.pairCode,
        resumeCode: body.resumeCode,
      }),
    );
  } catch (err) {
    const code = err instanceof HttpError ? err.extra.code : undefined;
    if (code === 'unknown-code' || code === 'unknown-pair-code' || code === 'unknown-resume-code')
      ctx.attempts.fail(keys);
    throw err;
  }
};

const events = async (
  ctx: RouteContext,
  lang: Lang,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  query: URLSearchParams,
): Promise<void> => {
  // A token in the URL ends up in proxy and server logs: it comes in the Authorization header only.
  if (query.has('token'))
    throw badRequest(
      lang,
      'Le jeton va dans l’en-tête Authorization: Bearer, pas dans l’adresse.',
      'The token goes in the Authorization: Bearer header, not in the URL.',
    );
  const identity = await identify(ctx, lang, bearer(req));
  if (isTeacherOf(identity, id)) {
    teacherOf(ctx, lang, identity, id);
    holdStream(ctx, req, res, null);
    // A dashboard opened with a link revoked later ends then.
    ctx.classroom.events.open(res, id, null, () => !ctx.classroom.revoked(identity));
    return;
  }
  // A pupil's stream: the copy named by the `copy` parameter, else the token's (403 when not theirs).
  const copyId = query.get('copy') ?? identity.copy;
  if (identity.role !== 'student' || !copyId) throw classroomError(lang, 'forbidden');
  copyOf(ctx, lang, identity, id, copyId);
  holdStream(ctx, req, res, identity.sub);
  ctx.classroom.events.open(res, id, copyId);
};

/** Counts an event stream in the connection caps until it closes; throws 429 / 503 when over one. */
const holdStream = (ctx: RouteContext, req: IncomingMessage, res: ServerResponse, sub: string | null) => {
  if (!ctx.caps) return;
  const slot = ctx.caps.take(ctx.clientAddress?.(req) ?? req.socket.remoteAddress ?? '');
  const refusal = isRefusal(slot) ? slot : sub === null ? null : slot.claimSubject(sub);
  if (refusal) {
    if (!isRefusal(slot)) slot.release();
    throw new HttpError(refusal.status, refusal.error, { code: refusal.code });
  }
  res.once('close', () => (slot as Slot).release());
};
