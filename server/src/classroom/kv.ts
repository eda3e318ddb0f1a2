import type { Level } from 'level';

// The key-value space the classroom keeps its records in: a sublevel of the
// server's LevelDB (keys `!classroom!…`, apart from the rooms' `r!` and `t!`),
// or a Map when the server runs on another store (tests of other stores).

/** One write of a {@link ClassroomKv.batch}. */
export type KvOp = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

/** A small JSON key-value store; every method rejects when the storage fails. */
export interface ClassroomKv {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  /** Applies every write at once, atomically. */
  batch(ops: readonly KvOp[]): Promise<void>;
  /** Resolves to every entry whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<[string, unknown][]>;
}

/** Returns the classroom's space in a LevelDB database (a `classroom` sublevel with JSON values). */
export const levelKv = (db: Level<string, Uint8Array>): ClassroomKv => {
  const sub = db.sublevel<string, unknown>('classroom', { keyEncoding: 'utf8', valueEncoding: 'json' });
  return {
    get: (key) => sub.get(key),
    put: (key, value) => sub.put(key, value),
    batch: (ops) => sub.batch([...ops]),
    async list(prefix) {
      const out: [string, unknown][] = [];
      for await (const entry of sub.iterator({ gte: prefix, lt: `${prefix}\uffff` })) out.push(entry);
      return out;
    },
  };
};

/** Returns an in-memory space (lost on restart): only for servers whose store is not LevelDB. */
export const memoryKv = (): ClassroomKv => {
  const map = new Map<string, string>();
  return {
    get: async (key) => {
      const text = map.get(key);
      return text === undefined ? undefined : JSON.parse(text);
    },
    put: async (key, value) => {
      map.set(key, JSON.stringify(value));
    },
    batch: async (ops) => {
      for (const op of ops) {
        if (op.type === 'put') map.set(op.key, JSON.stringify(op.value));
        else map.delete(op.key);
      }
    },
    list: async (prefix) =>
      [...map.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, text]) => [key, JSON.parse(text)]),
  };
};
