import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  cellTypeOf,
  exportIpynb,
  findCell,
  importIpynb,
  NotebookFormatError,
  parseIpynb,
} from '@candyce/model';
import { errorCodeOfStatus, roomNameProblem } from '@candyce/protocol';
import type { Authenticator, Identity } from './auth.js';
import { AuthError, canAccessRoom, canWrite } from './auth.js';
import { RoomDeleted } from './close-codes.js';
import type { Limits } from './config.js';
import type { ExecutionService } from './execution.js';
import { bearer, HttpError, json, readBody, requestUrl } from './http-util.js';
import { kernelBudgetError } from './kernel-budget.js';
import type { KernelCatalog } from './kernel-catalog.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { checkPut } from './put-checks.js';
import type { RequestGuard } from './request-guard.js';
import type { Room } from './room.js';
import type { RoomManager } from './rooms.js';
import { applySecurityHeaders, type HeaderPolicy, sandboxPage } from './security-headers.js';

/** What the HTTP API needs from its server. */
export interface HttpContext {
  readonly auth: Authenticator;
  readonly rooms: RoomManager;
  readonly limits: Limits;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly connectionCount: () => number;
  /** What the pages' content security policy allows (see security-headers.ts); no such headers when absent. */
  readonly headerPolicy?: HeaderPolicy;
  /** Host, Origin and Content-Type checks (see request-guard.ts); none when absent. */
  readonly guard?: RequestGuard;
  /** Server-side execution, when a kernel gateway is configured (JUPYTER_URL). */
  readonly execution?: ExecutionService;
  /** Why a room may not start the kernel its notebook asks for, by the features' kernel policies. */
  readonly kernelProblem?: (room: Room) => Promise<string | null>;
  /** What this deployment offers to run notebooks with (`GET /api/kernels`). */
  readonly kernels?: KernelCatalog;
  /** Serves the built web app; answers false for paths that are not its files or pages. */
  readonly serveStatic?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;
  /**
   * Further API routes (the classroom), tried before the notebook routes;
   * each answers false for paths that are not its own. They may throw
   * {@link HttpError} to answer with a JSON error.
   */
  readonly routes?: readonly ((req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>)[];
}

const placeholder = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Candyce</title>
<body><h1>Candyce sync server</h1>
<p>The web app is not built: run <code>npm run build</code> (or <code>npm start</code>), or set <code>STATIC_DIR</code>.
The WebSocket endpoint is <code>/sync/&lt;room&gt;</code>; the HTTP API is under <code>/api/notebooks/</code>.</p>
</body></html>
`;

/**
 * Returns the request handler of the HTTP API: `/api/notebooks/<room>`
 * (PUT, GET, DELETE), `/api/notebooks/<room>/execute` (POST), `/healthz`,
 * `/metrics` and the page at `/`. Every error is the JSON `{ error, code }`
 * body, a sentence saying what happened and a stable code; no request can
 * crash the process.
 */
export const createHttpHandler =
  (ctx: HttpContext) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        if (!res.headersSent) json(res, err.status, err.body);
        return;
      }
      ctx.metrics.errors.inc({ kind: 'http' });
      // The path only: a query may carry a token (the classroom's event stream).
      const path = (req.url ?? '/').split('?')[0];
      ctx.logger.error({ err, method: req.method, path }, 'HTTP request failed');
      if (!res.headersSent)
        json(res, 500, { error: 'Internal server error; see the server logs', code: errorCodeOfStatus(500) });
    });
  };

const handle = async (ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const url = requestUrl(req.url);
  if (!url) throw new HttpError(400, 'The request target is not a valid URL', { code: 'bad-request' });
  const path = url.pathname;
  if (path === '/healthz') {
    json(res, 200, { status: 'ok', rooms: ctx.rooms.size, connections: ctx.connectionCount() });
    return;
  }
  const refusal = ctx.guard?.request(req);
  if (refusal) throw new HttpError(refusal.status, refusal.error, { code: refusal.code });
  if (path === '/metrics') {
    const text = await ctx.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType });
    res.end(text);
    return;
  }
  if (!path.startsWith('/api/')) {
    if (ctx.headerPolicy) applySecurityHeaders(res, path, ctx.headerPolicy);
    if (path === '/sandbox.html' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'cross-origin-embedder-policy': 'credentialless',
      });
      res.end(req.method === 'HEAD' ? undefined : sandboxPage);
      return;
    }
    // The sync endpoint speaks WebSocket only; a plain request there gets the app's page otherwise.
    if (path === '/sync' || path.startsWith('/sync/'))
      throw new HttpError(426, 'The sync endpoint speaks WebSocket only (y-websocket protocol)', {
        code: 'upgrade-required',
      });
    // The bundles' source maps stay on the build machine.
    if (path.endsWith('.map')) throw new HttpError(404, `No route for ${req.method} ${path}`);
    if (ctx.serveStatic && (await ctx.serveStatic(req, res, path))) return;
  }
  if (path === '/' || path === '/index.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(placeholder);
    return;
  }
  if (path === '/api/kernels' && ctx.kernels) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Use GET on /api/kernels');
    // Any valid token reads it (or anyone, in open mode): it tells which kernels exist, nothing more.
    try {
      await ctx.auth.authenticate(bearer(req));
    } catch (err) {
      if (err instanceof AuthError) throw new HttpError(err.status, err.message);
      throw err;
    }
    json(res, 200, await ctx.kernels.list());
    return;
  }
  for (const route of ctx.routes ?? []) if (await route(req, res, url)) return;
  const match = /^\/api\/notebooks\/([^/]*)(\/execute|\/interrupt|\/restart)?$/.exec(path);
  if (!match) throw new HttpError(404, `No route for ${req.method} ${path}`);
  let room: string;
  try {
    room = decodeURIComponent(match[1]!);
  } catch {
    throw new HttpError(400, `Room name ${JSON.stringify(match[1])} is not valid URL encoding`);
  }
  const problem = roomNameProblem(room);
  if (problem) throw new HttpError(400, problem);
  const identity = await authorize(ctx, req, room);
  if (match[2]) {
    if (req.method !== 'POST') throw new HttpError(405, `Use POST on ${match[2]}`, {});
    if (!canWrite(identity)) throw new HttpError(403, 'Forbidden: viewers cannot execute cells');
    if (match[2] === '/interrupt' || match[2] === '/restart') {
      if (!ctx.execution) {
        throw new HttpError(501, 'Server-side execution is not configured: set JUPYTER_URL on the server');
      }
      // A copy that is read-only for this pupil (handed in, locked, past its deadline) is not theirs to stop.
      if (await isStored(ctx, room)) {
        const loaded = await ctx.rooms.acquire(room);
        try {
          assertWritable(loaded, identity);
        } finally {
          ctx.rooms.release(loaded);
        }
      }
      if (match[2] === '/restart') {
        // Everyone's variables go: the room is told who restarted it (the token's name; in open
        // mode, where nobody has a token, the name the editor shows, as its presence does).
        let by = identity.name ?? '';
        if (identity.name === null) {
          const raw = (await readBody(req, 4 * 1024)).toString('utf8');
          let said: unknown;
          try {
            said = raw ? (JSON.parse(raw) as { by?: unknown } | null)?.by : undefined;
          } catch (err) {
            throw new HttpError(400, `Body is not valid JSON: ${(err as Error).message}`);
          }
          if (typeof said === 'string') by = said.slice(0, 100);
        }
        json(res, 200, { room, restarted: ctx.execution.restart(room, by) });
        return;
      }
      json(res, 200, { room, interrupted: await ctx.execution.interrupt(room) });
      return;
    }
    return executeCell(ctx, room, identity, req, res);
  }
  switch (req.method) {
    case 'GET':
      return getNotebook(ctx, room, res);
    case 'PUT':
      if (!canWrite(identity)) throw new HttpError(403, 'Forbidden: viewers cannot change notebooks');
      return putNotebook(ctx, room, identity, req, res);
    case 'DELETE':
      if (identity.role !== 'teacher') throw new HttpError(403, 'Forbidden: only teachers delete notebooks');
      if (!(await ctx.rooms.delete(room, RoomDeleted))) throw new HttpError(404, `No notebook named ${room}`);
      ctx.execution?.stop(room);
      ctx.logger.info({ room, user: identity.sub }, 'room deleted');
      json(res, 200, { room, deleted: true });
      return;
    default:
      throw new HttpError(405, `Method ${req.method} is not allowed on a notebook`);
  }
};

const authorize = async (ctx: HttpContext, req: IncomingMessage, room: string): Promise<Identity> => {
  let identity: Identity;
  try {
    identity = await ctx.auth.authenticate(bearer(req));
  } catch (err) {
    if (err instanceof AuthError) throw new HttpError(err.status, err.message);
    throw err;
  }
  if (!canAccessRoom(identity, room)) throw new HttpError(403, 'Forbidden: this room is not in your token');
  return identity;
};

/** True when the room is loaded or in the store (GET and execute answer 404 otherwise, PUT 201). */
const isStored = async (ctx: HttpContext, name: string): Promise<boolean> =>
  (await ctx.rooms.peek(name)) !== null || (await ctx.rooms.exists(name));

/**
 * Refuses a write by `identity` that the room hooks forbid now (a pupil's
 * classroom copy after its deadline, locked or handed in), the way the sync
 * path drops such updates: 409 with code `read-only`.
 */
const assertWritable = (room: Room, identity: Identity): void => {
  if (room.hooks?.canWrite && !room.hooks.canWrite(room, identity))
    throw new HttpError(409, `Read-only: ${room.name} cannot be changed by you now`, { code: 'read-only' });
};

const executeCell = async (
  ctx: HttpContext,
  name: string,
  identity: Identity,
  req: IncomingMessage,
  res: ServerResponse,
) => {
  if (!ctx.execution) {
    throw new HttpError(
      501,
      'Server-side execution is not configured: set JUPYTER_URL (and JUPYTER_TOKEN) on the server, or run cells in the browser (pyodide)',
    );
  }
  const body = await readBody(req, 64 * 1024);
  let cellId: unknown;
  let rerun: unknown;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { cell_id?: unknown; rerun?: unknown } | null;
    cellId = parsed?.cell_id;
    rerun = parsed?.rerun;
  } catch (err) {
    throw new HttpError(400, `Body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof cellId !== 'string' || cellId === '') {
    throw new HttpError(400, 'Body must be {"cell_id": "<id of a code cell>"}');
  }
  if (!(await isStored(ctx, name))) throw new HttpError(404, `No notebook named ${name}`);
  const room = await ctx.rooms.acquire(name);
  try {
    assertWritable(room, identity);
    const cell = findCell(room.doc, cellId);
    if (!cell) throw new HttpError(404, `No cell with id ${JSON.stringify(cellId)} in ${name}`);
    if (cellTypeOf(cell) !== 'code')
      throw new HttpError(400, `Cell ${cellId} is a ${cellTypeOf(cell)} cell, not code`);
    const refused = ctx.execution.kernelProblem(room.doc) ?? (await ctx.kernelProblem?.(room)) ?? null;
    if (refused) throw new HttpError(403, refused, { code: 'kernel-not-allowed' });
    const run = await ctx.execution.run(name, room.doc, cellId, rerun === true).catch((err: unknown) => {
      throw kernelBudgetError(req, err) ?? err;
    });
    json(res, 200, { cell_id: cellId, status: run.status, execution_count: run.executionCount });
  } finally {
    ctx.rooms.release(room);
  }
};

const getNotebook = async (ctx: HttpContext, name: string, res: ServerResponse): Promise<void> => {
  if (!(await isStored(ctx, name))) throw new HttpError(404, `No notebook named ${name}`);
  const room = await ctx.rooms.acquire(name);
  try {
    await room.whenFlushed();
    json(res, 200, exportIpynb(room.doc), { 'x-candyce-epoch': room.epoch });
  } finally {
    ctx.rooms.release(room);
  }
};

const putNotebook = async (
  ctx: HttpContext,
  name: string,
  identity: Identity,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> => {
  // A pupil's copy is smaller: its JSON (escapes, line lists) may take about twice its encoded size.
  const { maxDocumentBytes, maxStudentDocumentBytes } = ctx.limits;
  const bodyLimit =
    identity.role === 'student' ? Math.min(maxDocumentBytes, 2 * maxStudentDocumentBytes) : maxDocumentBytes;
  const body = await readBody(req, bodyLimit);
  let text: string;
  try {
    // Fatal: a body that is not UTF-8 is refused, not imported with U+FFFD in place of its bytes.
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new HttpError(400, 'Body is not valid UTF-8: save the notebook as UTF-8 (as Jupyter does)');
  }
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `Body is not valid JSON: ${(err as Error).message}`);
  }
  // Checked before the room is acquired: a refused body must not create an empty room.
  // What it repaired (a kernelspec without name, as Jupyter opens it) is said in the answer.
  const warnings: string[] = [];
  try {
    parseIpynb(notebook, warnings);
  } catch (err) {
    if (err instanceof NotebookFormatError)
      throw new HttpError(400, err.message, { path: err.path, problem: err.problem });
    throw err;
  }
  const existed = await isStored(ctx, name);
  const room = await ctx.rooms.acquire(name);
  try {
    if (room.closing) throw new HttpError(503, 'The room is closing; try again');
    assertWritable(room, identity);
    try {
      // Locks, a pupil's copy's limits and the memory budget, as on the WebSocket (see put-checks.ts).
      checkPut(room, notebook, identity, ctx.limits);
      importIpynb(room.doc, notebook, { kind: 'server', reason: 'import' });
    } catch (err) {
      if (err instanceof NotebookFormatError)
        throw new HttpError(400, err.message, { path: err.path, problem: err.problem });
      throw err;
    }
    room.stampEpoch();
    try {
      await room.whenFlushed();
    } catch {
      throw new HttpError(503, 'The notebook could not be saved (storage failure); try again later');
    }
    json(
      res,
      existed ? 200 : 201,
      { room: name, epoch: room.epoch, ...(warnings.length > 0 ? { warnings } : {}) },
      { 'x-candyce-epoch': room.epoch },
    );
  } finally {
    ctx.rooms.release(room);
  }
};
