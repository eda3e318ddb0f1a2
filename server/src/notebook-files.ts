import { createHash } from 'node:crypto';
import type { Level } from 'level';

// The data files attached to notebooks (a CSV, an SQLite database), kept in
// the server's LevelDB beside the rooms: a `files` sublevel holding, per
// room, one JSON entry per file (`m!<room>!<name>`) and its bytes
// (`d!<room>!<name>`). Room names hold no `!` (room-name.ts), so one room's
// prefix never matches another's. The memory store keeps them in a Map.

/** What the list of a room's files says of one file. */
export interface FileEntry {
  readonly name: string;
  /** Bytes. */
  readonly size: number;
  /** When it was last written (ISO 8601). */
  readonly modified: string;
  /** SHA-256 of its bytes, lower-case hex: kernels refresh their copy when it changes. */
  readonly sha256: string;
}

/** The files of every room; every method rejects when the storage fails. */
export interface NotebookFiles {
  /** The room's files, by name. */
  list(room: string): Promise<FileEntry[]>;
  /** The bytes of a file, or null when the room has no such file. */
  read(room: string, name: string): Promise<Uint8Array | null>;
  /** Stores (or replaces) a file; resolves to its entry. */
  write(room: string, name: string, bytes: Uint8Array): Promise<FileEntry>;
  /** Removes a file; resolves to false when there was none. */
  remove(room: string, name: string): Promise<boolean>;
  /** Removes every file of the room (the room was deleted). */
  removeAll(room: string): Promise<void>;
}

const isControl = (code: number): boolean =>
  code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;

/** Longest file name accepted. */
export const maxFileNameLength = 120;

/**
 * Returns null when `name` may name an attached file, else a sentence saying
 * why not, French first then English. A name is one path component: no `/`
 * or `\`, not `.` or `..`, no control character, at most 120 characters; it
 * becomes a file name in kernels' working directories.
 */
export const fileNameProblem = (name: string): string | null => {
  if (name.length === 0) return 'Nom de fichier vide. / The file name is empty.';
  if (name.length > maxFileNameLength)
    return `Nom de fichier trop long (${name.length} caractères, ${maxFileNameLength} au plus). / The file name is ${name.length} characters long, at most ${maxFileNameLength} allowed.`;
  if (name === '.' || name === '..' || name.includes('..'))
    return 'Un nom de fichier ne peut pas contenir « .. ». / A file name may not contain "..".';
  if (/[/\\]/.test(name))
    return 'Un nom de fichier ne peut pas contenir « / » ni « \\ ». / A file name may not contain "/" or "\\".';
  // C0, DEL, C1, and the line and paragraph separators.
  if ([...name].some((c) => isControl(c.codePointAt(0)!)))
    return 'Un nom de fichier ne peut pas contenir de caractère de contrôle. / A file name may not contain control characters.';
  if (name.trim() !== name)
    return 'Un nom de fichier ne peut pas commencer ni finir par une espace. / A file name may not start or end with a space.';
  return null;
};

const entryOf = (name: string, bytes: Uint8Array): FileEntry => ({
  name,
  size: bytes.byteLength,
  modified: new Date().toISOString(),
  sha256: createHash('sha256').update(bytes).digest('hex'),
});

const byName = (a: FileEntry, b: FileEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Reads every file of `room`, as a kernel's working directory is to hold them. */
export const kernelFiles = async (
  files: NotebookFiles,
  room: string,
): Promise<{ name: string; sha256: string; bytes: Uint8Array }[]> => {
  const out: { name: string; sha256: string; bytes: Uint8Array }[] = [];
  for (const entry of await files.list(room)) {
    const bytes = await files.read(room, entry.name);
    if (bytes) out.push({ name: entry.name, sha256: entry.sha256, bytes });
  }
  return out;
};

/** Copies every file of the room `from` to the room `to` (a classroom copy gets its activity's files). */
export const copyFiles = async (files: NotebookFiles, from: string, to: string): Promise<void> => {
  for (const entry of await files.list(from)) {
    const bytes = await files.read(from, entry.name);
    if (bytes) await files.write(to, entry.name, bytes);
  }
};

/** Returns the files kept in a LevelDB database (its `files` sublevel). */
export const levelFiles = (db: Level<string, Uint8Array>): NotebookFiles => {
  const meta = db.sublevel<string, FileEntry>('files-meta', { keyEncoding: 'utf8', valueEncoding: 'json' });
  const data = db.sublevel<string, Uint8Array>('files-data', { keyEncoding: 'utf8', valueEncoding: 'view' });
  const key = (room: string, name: string): string => `${room}!${name}`;
  const keysOf = async (room: string): Promise<string[]> => {
    const out: string[] = [];
    for await (const k of meta.keys({ gte: `${room}!`, lt: `${room}!\uffff` })) out.push(k);
    return out;
  };
  return {
    async list(room) {
      const out: FileEntry[] = [];
      for await (const [, entry] of meta.iterator({ gte: `${room}!`, lt: `${room}!\uffff` })) out.push(entry);
      return out.sort(byName);
    },
    async read(room, name) {
      const bytes = await data.get(key(room, name));
      return bytes ?? null;
    },
    async write(room, name, bytes) {
      const entry = entryOf(name, bytes);
      // One atomic write: a crash never leaves bytes without their entry, nor the reverse.
      await db
        .batch()
        .put(key(room, name), bytes, { sublevel: data })
        .put(key(room, name), entry, { sublevel: meta })
        .write();
      return entry;
    },
    async remove(room, name) {
      if ((await meta.get(key(room, name))) === undefined) return false;
      await db
        .batch()
        .del(key(room, name), { sublevel: data })
        .del(key(room, name), { sublevel: meta })
        .write();
      return true;
    },
    async removeAll(room) {
      const keys = await keysOf(room);
      if (keys.length === 0) return;
      const batch = db.batch();
      for (const k of keys) batch.del(k, { sublevel: data }).del(k, { sublevel: meta });
      await batch.write();
    },
  };
};

/** Returns files kept in memory, for the memory store (memory-store.ts). */
export const memoryFiles = (): NotebookFiles => {
  const rooms = new Map<string, Map<string, { entry: FileEntry; bytes: Uint8Array }>>();
  return {
    list: async (room) => [...(rooms.get(room)?.values() ?? [])].map((f) => f.entry).sort(byName),
    read: async (room, name) => rooms.get(room)?.get(name)?.bytes ?? null,
    write: async (room, name, bytes) => {
      const entry = entryOf(name, bytes);
      const files = rooms.get(room) ?? new Map();
      rooms.set(room, files);
      files.set(name, { entry, bytes: bytes.slice() });
      return entry;
    },
    remove: async (room, name) => rooms.get(room)?.delete(name) ?? false,
    removeAll: async (room) => {
      rooms.delete(room);
    },
  };
};
