import type { IncomingMessage, ServerResponse } from 'node:http';
import { stateOf } from '@candyce/model';
import { roomNameProblem } from '@candyce/protocol';
import type { Authenticator, Identity } from './auth.js';
import { AuthError, canAccessRoom, canWrite } from './auth.js';
import type { Limits } from './config.js';
import { bearer, HttpError, json } from './http-util.js';
import type { Logger } from './logger.js';
import { KeyedMutex } from './mutex.js';
import { streamArchive } from './notebook-archive.js';
import { copyFiles, type FileEntry, fileNameProblem, type NotebookFiles } from './notebook-files.js';
import type { Room } from './room.js';
import type { RoomManager } from './rooms.js';

// The data files of a notebook over HTTP: list, upload (raw bytes), download
// and delete, with the rights of the notebook itself, plus the notebook and
// its files as one zip. Each change is announced live through a manifest in
// the room's `state` map (see `manifestKey`).

/** The key of the room's `state` map that lists its files: `[{ name, size, sha256 }]`. */
export const manifestKey = 'files';

/** What the files routes need from their server. */
export interface FilesContext {
  readonly auth: Authenticator;
  readonly rooms: RoomManager;
  readonly files: NotebookFiles;
  readonly limits: Pick<Limits, 'maxFileBytes' | 'maxRoomFilesBytes'>;
  readonly logger: Logger;
}

/** Paths of the files routes: `/api/notebooks/<room>/files[/<name>]` and `/archive.zip`. */
export const filesPath = /^\/api\/notebooks\/([^/]*)\/(?:files(?:\/([^/]*))?|(archive\.zip))$/;

/** True when `path` is an upload route, whose body is raw bytes rather than JSON (request-guard.ts). */
export const isRawUploadPath = (path: string): boolean => {
  const match = filesPath.exec(path);
  return match !== null && match[2] !== undefined;
};

const serverOrigin = { kind: 'server', reason: 'files' } as const;

const mib = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10}`;

const decode = (raw: string, what: 'room' | 'file'): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    const shown = JSON.stringify(raw.slice(0, 100));
    throw new HttpError(
      400,
      what === 'file'
        ? `Le nom de fichier ${shown} n'est pas un encodage d'URL valide. / File name ${shown} is not valid URL encoding.`
        : `Room name ${shown} is not valid URL encoding`,
      { code: what === 'file' ? 'bad-file-name' : 'bad-request' },
    );
  }
};

/** A `Content-Disposition: attachment` naming the file, with an ASCII fallback (RFC 6266). */
const attachment = (name: string): string => {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
};

/** Headers that keep a downloaded file from ever being rendered by our origin. */
const downloadHeaders = (name: string, size: number, type: string): Record<string, string | number> => ({
  'content-type': type,
  'content-length': size,
  'content-disposition': attachment(name),
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; sandbox",
  'cache-control': 'private, no-store',
});

/**
 * Returns the route of a notebook's files, to put in the HTTP API's `routes`;
 * it answers false for other paths. Errors are {@link HttpError}s.
 */
export const createFilesRoute = (ctx: FilesContext) => {
  const writes = new KeyedMutex();

  const identify = async (req: IncomingMessage, room: string): Promise<Identity> => {
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

  const stored = async (room: string): Promise<boolean> =>
    (await ctx.rooms.peek(room)) !== null || (await ctx.rooms.exists(room));

  // Bytes that uploads being read may still buffer, server-wide: many slow uploads at once must not fill the heap.
  let inFlight = 0;
  const inFlightLimit = Math.max(4 * ctx.limits.maxFileBytes, 64 * 1024 * 1024);
  const locked = <T>(name: string, task: () => Promise<T>): Promise<T> => writes.run(name, task);

  /** Runs `task` with the room loaded, after the checks a PUT of the notebook makes. */
  const withWritableRoom = async <T>(name: string, identity: Identity, task: (room: Room) => Promise<T>) => {
    if (!canWrite(identity))
      throw new HttpError(
        403,
        'Interdit : un lecteur ne modifie pas les fichiers. / Forbidden: viewers cannot change files.',
        {
          code: 'forbidden',
        },
      );
    if (!(await stored(name))) throw new HttpError(404, `No notebook named ${name}`, { code: 'not-found' });
    const room = await ctx.rooms.acquire(name);
    try {
      if (room.closing) throw new HttpError(503, 'The room is closing; try again', { code: 'closing' });
      if (room.hooks?.canWrite && !room.hooks.canWrite(room, identity))
        throw new HttpError(
          409,
          `Lecture seule : vous ne pouvez pas modifier ${name} maintenant. / Read-only: ${name} cannot be changed by you now.`,
          { code: 'read-only' },
        );
      return await task(room);
    } finally {
      ctx.rooms.release(room);
    }
  };

  const announce = (room: Room): Promise<void> => writeManifest(room, ctx.files);

  const upload = async (req: IncomingMessage, res: ServerResponse, room: Room, name: string) => {
    const othersOf = (entries: readonly FileEntry[]) =>
      entries.reduce((sum, e) => sum + (e.name === name ? 0 : e.size), 0);
    const roomLeft = ctx.limits.maxRoomFilesBytes - othersOf(await ctx.files.list(room.name));
    const allowed = Math.max(0, Math.min(ctx.limits.maxFileBytes, roomLeft));
    const tooLarge = (): HttpError =>
      roomLeft < ctx.limits.maxFileBytes
        ? new HttpError(
            413,
            `Plus de place : les fichiers d'un notebook font ${mib(ctx.limits.maxRoomFilesBytes)} Mio au plus, il reste ${mib(Math.max(0, roomLeft))} Mio. / No room left: a notebook's files take at most ${mib(ctx.limits.maxRoomFilesBytes)} MiB, ${mib(Math.max(0, roomLeft))} MiB left.`,
            { code: 'room-files-full', limit: ctx.limits.maxRoomFilesBytes, left: Math.max(0, roomLeft) },
          )
        : new HttpError(
            413,
            `Fichier trop gros : ${mib(ctx.limits.maxFileBytes)} Mio au plus par fichier. / File too large: at most ${mib(ctx.limits.maxFileBytes)} MiB per file.`,
            { code: 'file-too-large', limit: ctx.limits.maxFileBytes },
          );
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > allowed) {
      refuseRest(req, res);
      throw tooLarge();
    }
    const reserved =
      declared !== undefined && Number(declared) >= 0 ? Math.min(Number(declared), allowed) : allowed;
    if (inFlight + reserved > inFlightLimit) {
      refuseRest(req, res);
      res.setHeader('retry-after', '10');
      throw new HttpError(
        503,
        "Trop d'envois de fichiers en cours sur le serveur ; réessayez dans un instant. / Too many file uploads in progress on the server; try again in a moment.",
        { code: 'uploads-busy', retryAfter: 10 },
      );
    }
    inFlight += reserved;
    let bytes: Uint8Array;
    try {
      bytes = await readLimited(req, allowed).catch((err: unknown) => {
        if (err === overLimit) {
          refuseRest(req, res);
          throw tooLarge();
        }
        throw err;
      });
    } finally {
      inFlight -= reserved;
    }
    // Read outside the lock (a slow client holds nothing); the total is checked again, with the real size, inside.
    await locked(room.name, async () => {
      const entries = await ctx.files.list(room.name);
      if (othersOf(entries) + bytes.byteLength > ctx.limits.maxRoomFilesBytes)
        throw new HttpError(
          413,
          `Plus de place : les fichiers d'un notebook font ${mib(ctx.limits.maxRoomFilesBytes)} Mio au plus. / No room left: a notebook's files take at most ${mib(ctx.limits.maxRoomFilesBytes)} MiB.`,
          { code: 'room-files-full', limit: ctx.limits.maxRoomFilesBytes },
        );
      const existed = entries.some((e) => e.name === name);
      const entry = await ctx.files.write(room.name, name, bytes);
      await announce(room);
      ctx.logger.info({ room: room.name, file: name, size: entry.size }, 'file attached');
      json(res, existed ? 200 : 201, entry);
    });
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const match = filesPath.exec(url.pathname);
    if (!match) return false;
    const name = decode(match[1]!, 'room');
    const problem = roomNameProblem(name);
    if (problem) throw new HttpError(400, problem, { code: 'bad-room' });
    const identity = await identify(req, name);
    if (match[3]) {
      if (req.method !== 'GET') throw new HttpError(405, 'Use GET on archive.zip', { code: 'method' });
      if (!(await stored(name))) throw new HttpError(404, `No notebook named ${name}`, { code: 'not-found' });
      const room = await ctx.rooms.acquire(name);
      try {
        await streamArchive(res, room, ctx.files);
      } finally {
        ctx.rooms.release(room);
      }
      return true;
    }
    const rawFile = match[2];
    if (rawFile === undefined) {
      if (req.method !== 'GET') throw new HttpError(405, 'Use GET on files', { code: 'method' });
      if (!(await stored(name))) throw new HttpError(404, `No notebook named ${name}`, { code: 'not-found' });
      const files: FileEntry[] = await ctx.files.list(name);
      json(res, 200, {
        room: name,
        files,
        total: files.reduce((sum, f) => sum + f.size, 0),
        limits: { file: ctx.limits.maxFileBytes, room: ctx.limits.maxRoomFilesBytes },
      });
      return true;
    }
    const file = decode(rawFile, 'file');
    const bad = fileNameProblem(file);
    if (bad) throw new HttpError(400, bad, { code: 'bad-file-name' });
    switch (req.method) {
      case 'GET': {
        if (!(await stored(name)))
          throw new HttpError(404, `No notebook named ${name}`, { code: 'not-found' });
        const bytes = await ctx.files.read(name, file);
        if (!bytes)
          throw new HttpError(404, `Pas de fichier ${file}. / No file named ${file}.`, {
            code: 'no-such-file',
          });
        res.writeHead(200, downloadHeaders(file, bytes.byteLength, 'application/octet-stream'));
        res.end(bytes);
        return true;
      }
      case 'PUT':
        await withWritableRoom(name, identity, (room) => upload(req, res, room, file));
        return true;
      case 'DELETE':
        await withWritableRoom(name, identity, (room) =>
          locked(name, async () => {
            if (!(await ctx.files.remove(name, file)))
              throw new HttpError(404, `Pas de fichier ${file}. / No file named ${file}.`, {
                code: 'no-such-file',
              });
            await announce(room);
            ctx.logger.info({ room: name, file }, 'file removed');
            json(res, 200, { room: name, name: file, deleted: true });
          }),
        );
        return true;
      default:
        throw new HttpError(405, `Method ${req.method} is not allowed on a file`, { code: 'method' });
    }
  };
};

/** Writes the list of the room's files into its `state` map, so that every collaborator sees it change. */
export const writeManifest = async (room: Room, files: NotebookFiles): Promise<void> => {
  const entries = await files.list(room.name);
  const manifest = entries.map(({ name, size, sha256 }) => ({ name, size, sha256 }));
  room.doc.transact(() => stateOf(room.doc).set(manifestKey, manifest), serverOrigin);
  await room.whenFlushed().catch(() => undefined);
};

/**
 * Copies every file of the room `from` into the room `to` (same names
 * replaced, others kept) and rewrites the manifest of `to`.
 */
export const copyRoomFiles = async (
  rooms: RoomManager,
  files: NotebookFiles,
  from: string,
  to: string,
): Promise<void> => {
  await copyFiles(files, from, to);
  const room = await rooms.acquire(to);
  try {
    await writeManifest(room, files);
  } finally {
    rooms.release(room);
  }
};

const overLimit = Symbol('over limit');

/** Reads a body of at most `limit` bytes; rejects with `overLimit` as soon as it goes past, keeping nothing. */
const readLimited = (req: IncomingMessage, limit: number): Promise<Uint8Array> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        chunks.length = 0;
        reject(overLimit);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
    req.on('aborted', () => reject(new HttpError(400, 'Upload aborted', { code: 'aborted' })));
  });

/**
 * Makes the refusal of an oversized body cheap: what the client still sends
 * is discarded unread (no buffer), so that it can read the 413 (closing at
 * once would reset the connection and lose the answer), and the socket is
 * destroyed if the body has not ended 10 s later.
 */
const refuseRest = (req: IncomingMessage, res: ServerResponse): void => {
  req.removeAllListeners('data');
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), 10_000).unref();
  req.once('end', () => clearTimeout(timer));
  res.once('close', () => {
    if (req.readableEnded) clearTimeout(timer);
  });
};
