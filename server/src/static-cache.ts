import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';

// How a file of the web app is cached and which of its encodings is sent.
// The build (apps/web/build.mjs) writes `<file>.br` and `<file>.gz` next to
// the files worth compressing; the server never compresses on the fly.

/** An encoding the build may have written next to a file, best first. */
const encodings = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** One way of sending a file: its path on disk, its size and its encoding (null: as is). */
export interface StaticVariant {
  path: string;
  size: number;
  mtime: Date;
  encoding: 'br' | 'gzip' | null;
  /** True when the file has compressed siblings, so the response varies with Accept-Encoding. */
  varies: boolean;
}

const fileStat = (path: string): Promise<Stats | null> =>
  stat(path).then(
    (s) => (s.isFile() ? s : null),
    () => null,
  );

/**
 * Returns the encodings the request accepts with a non-zero quality
 * (`Accept-Encoding: br;q=1, gzip;q=0.5`; `*` accepts both). The header is
 * read in one pass and at most its first 1 KiB.
 */
export const acceptedEncodings = (req: IncomingMessage): Set<string> => {
  const accepted = new Set<string>();
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return accepted;
  for (const part of header.slice(0, 1024).split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name === '*') {
      for (const e of encodings) accepted.add(e.name);
    } else if (name) accepted.add(name);
  }
  return accepted;
};

/**
 * Picks what to send for `path` (a file that exists, `file` its stat): its
 * brotli or gzip sibling when the client accepts it, else the file itself.
 */
export const pickVariant = async (
  req: IncomingMessage,
  path: string,
  file: Stats,
): Promise<StaticVariant> => {
  const accepted = acceptedEncodings(req);
  let varies = false;
  let chosen: StaticVariant | null = null;
  for (const e of encodings) {
    const sibling = await fileStat(path + e.suffix);
    if (!sibling) continue;
    varies = true;
    if (!chosen && accepted.has(e.name)) {
      chosen = { path: path + e.suffix, size: sibling.size, mtime: sibling.mtime, encoding: e.name, varies };
    }
  }
  if (chosen) return { ...chosen, varies };
  return { path, size: file.size, mtime: file.mtime, encoding: null, varies };
};

/** The validator of a variant: its size, modification time and encoding (a rebuilt file gets a new one). */
export const etagOf = (v: StaticVariant): string =>
  `"${v.size.toString(16)}-${Math.floor(v.mtime.getTime()).toString(16)}${v.encoding ? `-${v.encoding}` : ''}"`;

/**
 * True when the request's validators (`If-None-Match`, else
 * `If-Modified-Since`) say the client's copy is this one: answer 304.
 */
export const notModified = (req: IncomingMessage, etag: string, mtime: Date): boolean => {
  const match = req.headers['if-none-match'];
  if (typeof match === 'string') {
    return match
      .slice(0, 4096)
      .split(',')
      .some((tag) => {
        const t = tag.trim();
        return t === '*' || t === etag || t === `W/${etag}`;
      });
  }
  const since = req.headers['if-modified-since'];
  if (typeof since !== 'string') return false;
  const time = Date.parse(since);
  // HTTP dates have whole seconds.
  return Number.isFinite(time) && Math.floor(mtime.getTime() / 1000) * 1000 <= time;
};

/**
 * The cache policy of a path of the web app: files whose name changes with
 * their content (`/assets/`, hashed by the build, and `/pyodide/<version>/`)
 * are kept for a year without asking again; everything else is revalidated
 * on each use (its ETag makes that a 304 of a few bytes).
 */
export const cacheControlOf = (urlPath: string): string =>
  urlPath.startsWith('/assets/') || /^\/pyodide\/[^/]+\/./.test(urlPath)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
