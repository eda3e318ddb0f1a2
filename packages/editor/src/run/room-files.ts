import type { KernelSession, WorkingFile } from '@candyce/kernels';
import type * as Y from 'yjs';
import { httpBaseOf } from './server-runner.js';

// The notebook's attached files, for browser kernels: the server keeps a
// manifest of them in the room's `state` map (`files`: name, size, sha256);
// before a run, the runner fetches those it has not got at that sha256 (with
// the page's token) and gives the kernel the whole set.

/** One line of the manifest the server writes into the room's `state` map. */
export interface ManifestEntry {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

/** Reads the manifest of `doc`, keeping only well-formed lines (any collaborator could write that map). */
export const manifestOf = (doc: Y.Doc): ManifestEntry[] => {
  const value = doc.getMap('state').get('files');
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is ManifestEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof e.name === 'string' &&
      e.name !== '' &&
      !/[/\\]/.test(e.name) &&
      !e.name.includes('..') &&
      typeof e.size === 'number' &&
      typeof e.sha256 === 'string',
  );
};

/** Where a runner gets the room's files: the server of the page, with its token. */
export interface RoomFilesSource {
  readonly server: string;
  readonly room: string;
  readonly token: string;
}

/** Returns the URL of a file (or of the list, without `name`) of the room. */
export const fileUrl = (source: RoomFilesSource, name?: string): string =>
  `${httpBaseOf(source.server)}/api/notebooks/${encodeURIComponent(source.room)}/files${
    name === undefined ? '' : `/${encodeURIComponent(name)}`
  }`;

/**
 * Returns a function that, before each run, makes `session`'s working
 * directory hold the files of the manifest: each file is fetched once per
 * sha256; one that cannot be fetched is left out of this run.
 */
export const roomFilesSync = (source: RoomFilesSource) => {
  const cache = new Map<string, WorkingFile>();
  return async (doc: Y.Doc, session: KernelSession): Promise<void> => {
    if (!session.syncFiles) return;
    const manifest = manifestOf(doc);
    if (manifest.length === 0 && cache.size === 0) return;
    const headers: Record<string, string> = source.token ? { authorization: `Bearer ${source.token}` } : {};
    const files: WorkingFile[] = [];
    for (const entry of manifest) {
      const known = cache.get(entry.name);
      if (known?.sha256 === entry.sha256) {
        files.push(known);
        continue;
      }
      try {
        const response = await fetch(fileUrl(source, entry.name), { headers });
        if (!response.ok) continue;
        const file = {
          name: entry.name,
          sha256: entry.sha256,
          bytes: new Uint8Array(await response.arrayBuffer()),
        };
        cache.set(entry.name, file);
        files.push(file);
      } catch {
        // Offline or refused: the run goes on without this file.
      }
    }
    for (const name of [...cache.keys()]) if (!manifest.some((e) => e.name === name)) cache.delete(name);
    await session.syncFiles(files);
  };
};
