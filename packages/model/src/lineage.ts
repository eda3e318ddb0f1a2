import * as Y from 'yjs';
import type { YCell } from './ydoc.js';

// Yjs 13 arrays cannot move an element, and the schema fixes cells as Y.Maps
// in a Y.Array, so a move deletes the cell and inserts a clone, as jupyter_ydoc
// does. Unlike jupyter_ydoc, the mover leaves a move record in the root map
// `moves`: which map became which, what the mover saw of the source text and
// which characters of the clone copy it, and the mover's state vector. The
// maps that stand for one cell over time form its lineage; through the
// records, every character of a clone maps back to the character that was
// typed (its canonical id, see canonIndex). With that, a peer that typed in
// the cell concurrently replays its own lost edits into the clone, and two
// clones made at once are merged into one (see repair.ts); undo histories
// are linked from the old cell to the clone (see linkMove). A type change can
// be made the same way (retypeCell), which is what JupyterLab clients expect.

/** The name of the root map that holds move records. */
export const MOVES = 'moves';

/**
 * What a move left for the peers: `from` and `to` are the Yjs ids of the old
 * and new cell maps (`client:clock`), `view` what the mover saw of the old
 * source (triples of client, clock and length of the visible runs, in order),
 * `target` the runs of the clone's source that copy them one for one, and
 * `sv` the mover's state vector at the time. `root` names the first cell of
 * the lineage (the cell that was never a clone), `gone` the characters (by
 * canonical id, see {@link canonIndex}) that the lineage had deleted before
 * the move, and `span` the clocks `[start, end)` of what the mover wrote in
 * the move itself. Records written before `root`, `gone` and `span` existed
 * lack them; readers fall back to walking `from` links. `retype` marks the
 * clone that replaced a cell to change its type.
 */
export interface MoveRecord {
  kind?: 'move';
  cell: string;
  from: string;
  to: string;
  target: number[];
  view: number[];
  sv: Uint8Array;
  at: number;
  root?: string;
  gone?: number[];
  span?: number[];
  /** True when the clone replaced the cell to change its type, in place (see `retypeCell`). */
  retype?: boolean;
}

/**
 * Left by a peer that deleted one of two live clones of a cell (two peers
 * moved it at once): `from` is the deleted clone, `to` the one kept. Keyed
 * `drop:<from>`.
 */
export interface DropRecord {
  kind: 'drop';
  cell: string;
  from: string;
  to: string;
  root: string;
  at: number;
}

/**
 * Left by a peer that replayed its own characters into a clone that lacked
 * them: `runs` are quintuples of client, clock and length of the inserted
 * characters, then the client and clock of the character they stand for.
 * Keyed `replay:<client>:<clock>`.
 */
export interface ReplayRecord {
  kind: 'replay';
  cell: string;
  runs: number[];
  at: number;
}

/** What the root map `moves` holds. */
export type LineageRecord = MoveRecord | DropRecord | ReplayRecord;

/** Returns true when `record` is a move record (records written before kinds existed are moves). */
export const isMoveRecord = (record: LineageRecord | undefined): record is MoveRecord =>
  record !== undefined && (record.kind === undefined || record.kind === 'move');

/**
 * Returns the map of lineage records: move records keyed by the id of the
 * clone (`to`), drop and replay records keyed by their kind and an id.
 */
export const movesOf = (doc: Y.Doc): Y.Map<LineageRecord> => doc.getMap<LineageRecord>(MOVES);

/** Formats a Yjs id as `client:clock`. */
export const idKey = (id: Y.ID): string => `${id.client}:${id.clock}`;

/** Parses a `client:clock` key back into a Yjs id. */
export const parseIdKey = (key: string): Y.ID => {
  const [client, clock] = key.split(':').map(Number);
  return Y.createID(client ?? 0, clock ?? 0);
};

export const maxRecords = 500;

/** Deep-copies a value stored in a cell, Yjs types included, so that it can go into a new cell. */
export const cloneYValue = (value: unknown): unknown => {
  if (value instanceof Y.Text) return new Y.Text(value.toString());
  if (value instanceof Y.Map) {
    const m = new Y.Map<unknown>();
    value.forEach((v, k) => {
      m.set(k, cloneYValue(v));
    });
    return m;
  }
  if (value instanceof Y.Array) {
    const a = new Y.Array<unknown>();
    a.push(value.toArray().map(cloneYValue));
    return a;
  }
  return value === undefined ? value : structuredClone(value);
};

export const runsOf = (text: Y.Text): number[] => {
  const view: number[] = [];
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && item.countable) view.push(item.id.client, item.id.clock, item.length);
  }
  return view;
};

export const runTexts = (text: Y.Text): string[] => {
  const out: string[] = [];
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && item.countable)
      out.push(item.content instanceof Y.ContentString ? item.content.str : ' ');
  }
  return out;
};

/**
 * Returns the id of the character at `offset` in the runs `target` (triples
 * of client, clock, length), or undefined past the end.
 */
export const idAt = (target: number[], offset: number): Y.ID | undefined => {
  let rest = offset;
  for (let i = 0; i + 2 < target.length; i += 3) {
    const len = target[i + 2]!;
    if (rest < len) return Y.createID(target[i]!, target[i + 1]! + rest);
    rest -= len;
  }
  return undefined;
};

// Docs whose moves link undo history (set by undo managers, see undo.ts).
const historyDocs = new WeakMap<Y.Doc, number>();

/** Asks that moves in `doc` keep undo histories (called by undo managers); returns a release function. */
export const keepMoveHistory = (doc: Y.Doc): (() => void) => {
  historyDocs.set(doc, (historyDocs.get(doc) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    historyDocs.set(doc, (historyDocs.get(doc) ?? 1) - 1);
  };
};

/** Returns true when an undo manager wants moves in `doc` to keep undo histories. */
export const keepsMoveHistory = (doc: Y.Doc): boolean => (historyDocs.get(doc) ?? 0) > 0;

const entryItem = (map: Y.Map<unknown>, key: string): Y.Item | undefined => map._map.get(key);

/**
 * Reads a key of a map even when the map is deleted (`Y.Map.get` answers
 * undefined then), as long as its items are not garbage-collected yet.
 */
export const rawGet = (map: Y.Map<unknown>, key: string): unknown => {
  const content = map._map.get(key)?.content.getContent();
  return content?.[content.length - 1];
};

const link = (from: Y.Item | undefined | null, to: Y.Item | undefined | null): void => {
  if (!from || !to) return;
  from.redone = to.id;
  from.keep = true;
};

/**
 * Links an old cell to the cell that replaces it (a move's clone, or the clone
 * kept when two were made) the way Yjs links an item to its redone copy, so
 * that an undo manager's earlier steps (typing, metadata, inserting the cell)
 * apply to the new cell. `charTo` gives, for the first character of each run
 * of the old source, the character that stands for it in the new one (the
 * rest of the run must follow it contiguously); without it, only the cell,
 * its source and its metadata entries are linked. The old cell's items are
 * kept from garbage collection for that. Must run before the transaction
 * that deleted the old cell ends.
 */
export const linkCells = (
  oldCell: YCell,
  clone: YCell,
  charTo?: (client: number, clock: number) => Y.ID | undefined,
): void => {
  link(oldCell._item, clone._item);
  link(entryItem(oldCell, 'source'), entryItem(clone, 'source'));
  link(entryItem(oldCell, 'metadata'), entryItem(clone, 'metadata'));
  const oldMeta = rawGet(oldCell, 'metadata');
  const newMeta = rawGet(clone, 'metadata');
  if (oldMeta instanceof Y.Map && newMeta instanceof Y.Map) {
    oldMeta._map.forEach((item, key) => {
      link(item, entryItem(newMeta, key));
      item.keep = true;
    });
  }
  const source = rawGet(oldCell, 'source');
  if (!(source instanceof Y.Text) || !charTo) return;
  for (let item = source._start; item !== null; item = item.right) {
    item.keep = true;
    const to = charTo(item.id.client, item.id.clock);
    if (to) item.redone = to;
  }
};

/** Links the old cell of a move to its clone (see {@link linkCells}), character by character through `record`. */
export const linkMove = (oldCell: YCell, clone: YCell, record: MoveRecord): void => {
  const offsetOf = viewLookup(record.view);
  linkCells(oldCell, clone, (client, clock) => {
    const offset = offsetOf(client, clock);
    return offset === undefined ? undefined : idAt(record.target, offset);
  });
};

/**
 * Returns a function that gives the offset, in the mover's view of the old
 * source, of the character with the given id, or undefined when the mover did
 * not see it.
 */
export const viewLookup = (view: number[]): ((client: number, clock: number) => number | undefined) => {
  const byClient = new Map<number, [number, number, number][]>();
  let offset = 0;
  for (let i = 0; i + 2 < view.length; i += 3) {
    const client = view[i]!;
    const clock = view[i + 1]!;
    const len = view[i + 2]!;
    let list = byClient.get(client);
    if (!list) {
      list = [];
      byClient.set(client, list);
    }
    list.push([clock, len, offset]);
    offset += len;
  }
  return (client, clock) => {
    for (const [c, len, off] of byClient.get(client) ?? [])
      if (clock >= c && clock < c + len) return off + clock - c;
    return undefined;
  };
};

/** Returns the runs (triples of client, clock, length) that cover `ids`, sorted and merged. */
export const runsOfIds = (ids: Iterable<Y.ID>): number[] => {
  const sorted = Array.from(ids).sort((a, b) => a.client - b.client || a.clock - b.clock);
  const runs: number[] = [];
  for (const id of sorted) {
    const n = runs.length;
    if (n > 0 && runs[n - 3] === id.client && runs[n - 2]! + runs[n - 1]! >= id.clock) {
      runs[n - 1] = Math.max(runs[n - 1]!, id.clock - runs[n - 2]! + 1);
    } else runs.push(id.client, id.clock, 1);
  }
  return runs;
};

/** Returns a membership test for the ids covered by `runs` (triples of client, clock, length). */
export const idSetOf = (runs: number[] | undefined): ((client: number, clock: number) => boolean) => {
  const byClient = new Map<number, [number, number][]>();
  for (let i = 0; runs && i + 2 < runs.length; i += 3) {
    let list = byClient.get(runs[i]!);
    if (!list) {
      list = [];
      byClient.set(runs[i]!, list);
    }
    list.push([runs[i + 1]!, runs[i + 1]! + runs[i + 2]!]);
  }
  for (const list of byClient.values()) list.sort((a, b) => a[0] - b[0]);
  return (client, clock) => {
    const list = byClient.get(client);
    if (!list) return false;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [start, end] = list[mid]!;
      if (clock < start) hi = mid - 1;
      else if (clock >= end) lo = mid + 1;
      else return true;
    }
    return false;
  };
};

/** A growing set of Yjs ids, kept as sorted runs per client. */
export interface IdSet {
  add(client: number, clock: number): void;
  has(client: number, clock: number): boolean;
  readonly size: number;
}

/** Returns an empty {@link IdSet}. */
export const createIdSet = (): IdSet => {
  // Per client, sorted disjoint runs as a flat list of [start, end) pairs.
  const byClient = new Map<number, number[]>();
  let size = 0;
  // Returns the index (even) of the first run that ends at or after `clock`.
  const seek = (runs: number[], clock: number): number => {
    let lo = 0;
    let hi = runs.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (runs[mid * 2 + 1]! < clock) lo = mid + 1;
      else hi = mid;
    }
    return lo * 2;
  };
  return {
    add(client, clock) {
      let runs = byClient.get(client);
      if (!runs) {
        runs = [];
        byClient.set(client, runs);
      }
      const i = seek(runs, clock);
      if (i < runs.length && runs[i]! <= clock && clock < runs[i + 1]!) return;
      size++;
      if (i < runs.length && runs[i + 1] === clock) {
        // Extends the run that ends here, and joins the next one if it starts right after.
        runs[i + 1] = clock + 1;
        if (i + 2 < runs.length && runs[i + 2] === clock + 1) runs.splice(i + 1, 2);
      } else if (i < runs.length && runs[i] === clock + 1) runs[i] = clock;
      else runs.splice(i, 0, clock, clock + 1);
    },
    has(client, clock) {
      const runs = byClient.get(client);
      if (!runs) return false;
      const i = seek(runs, clock + 1);
      return i < runs.length && runs[i]! <= clock && clock < runs[i + 1]!;
    },
    get size() {
      return size;
    },
  };
};

/**
 * Maps every character of a cell's source to its canonical id: the character
 * that was typed, which a move's clone or a replay only copies. Two sources
 * that hold the same canonical character hold the same typed character.
 */
export interface CanonIndex {
  /** Returns the canonical id of the character `client:clock` (its own id when it copies nothing). */
  of(client: number, clock: number): Y.ID;
  /** Adds the runs of a replay record written after the index was built. */
  addReplay(runs: number[]): void;
}

interface CopyRun {
  start: number;
  end: number;
  /** Returns the id of the character that the character at `clock` copies. */
  source: (clock: number) => Y.ID | undefined;
}

// Returns the id at `offset` of runs, with a prefix table built on first use.
const runIndexer = (runs: number[]): ((offset: number) => Y.ID | undefined) => {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [];
      let total = 0;
      for (let i = 0; i + 2 < runs.length; i += 3) {
        starts.push(total);
        total += runs[i + 2]!;
      }
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const i = lo * 3;
    const rest = offset - (starts[lo] ?? 0);
    if (i + 2 >= runs.length || rest < 0 || rest >= runs[i + 2]!) return undefined;
    return Y.createID(runs[i]!, runs[i + 1]! + rest);
  };
};

/** Builds the canonical index of a document from its lineage records. */
export const canonIndex = (moves: Y.Map<LineageRecord>): CanonIndex => {
  const byClient = new Map<number, CopyRun[]>();
  let sorted = true;
  const add = (client: number, start: number, len: number, source: CopyRun['source']) => {
    let list = byClient.get(client);
    if (!list) {
      list = [];
      byClient.set(client, list);
    }
    list.push({ start, end: start + len, source });
    sorted = false;
  };
  const addReplay = (runs: number[]) => {
    for (let i = 0; i + 4 < runs.length; i += 5) {
      const [client, clock, len, toClient, toClock] = runs.slice(i, i + 5) as [
        number,
        number,
        number,
        number,
        number,
      ];
      add(client, clock, len, (k) => Y.createID(toClient, toClock + k - clock));
    }
  };
  moves.forEach((record) => {
    if (isMoveRecord(record)) {
      const viewAt = runIndexer(record.view);
      let offset = 0;
      for (let i = 0; i + 2 < record.target.length; i += 3) {
        const base = offset;
        const clock = record.target[i + 1]!;
        add(record.target[i]!, clock, record.target[i + 2]!, (k) => viewAt(base + k - clock));
        offset += record.target[i + 2]!;
      }
    } else if (record.kind === 'replay') addReplay(record.runs);
  });
  const find = (client: number, clock: number): CopyRun | undefined => {
    const list = byClient.get(client);
    if (!list) return undefined;
    if (!sorted) {
      for (const l of byClient.values()) l.sort((a, b) => a.start - b.start);
      sorted = true;
    }
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const run = list[mid]!;
      if (clock < run.start) hi = mid - 1;
      else if (clock >= run.end) lo = mid + 1;
      else return run;
    }
    return undefined;
  };
  return {
    of: (client, clock) => {
      let id = Y.createID(client, clock);
      // Chains are as long as the moves of one cell; the bound only guards against a corrupt cycle.
      for (let depth = 0; depth < 10_000; depth++) {
        const next = find(id.client, id.clock)?.source(id.clock);
        if (!next) return id;
        id = next;
      }
      return id;
    },
    addReplay,
  };
};

/** Returns the key of the first cell of the lineage of the cell map keyed `key` (itself when it is no clone). */
export const rootOf = (moves: Y.Map<LineageRecord>, key: string): string => {
  const seen = new Set<string>();
  let current = key;
  for (;;) {
    const record = moves.get(current);
    if (!isMoveRecord(record) || seen.has(current)) return current;
    if (record.root) return record.root;
    seen.add(current);
    current = record.from;
  }
};

/** Returns the characters (as canonical ids) that a cell's source holds as deleted, with those its lineage lost before. */
export const goneOf = (moves: Y.Map<LineageRecord>, canon: CanonIndex, cell: YCell): number[] => {
  const ids: Y.ID[] = [];
  const inherited = cell._item ? moves.get(idKey(cell._item.id)) : undefined;
  const runs = isMoveRecord(inherited) ? (inherited.gone ?? []) : [];
  for (let i = 0; i + 2 < runs.length; i += 3)
    for (let k = 0; k < runs[i + 2]!; k++) ids.push(Y.createID(runs[i]!, runs[i + 1]! + k));
  const source = cell.get('source');
  if (source instanceof Y.Text) {
    for (let item = source._start; item !== null; item = item.right) {
      if (
        !item.deleted ||
        !(item.content instanceof Y.ContentDeleted || item.content instanceof Y.ContentString)
      )
        continue;
      for (let k = 0; k < item.length; k++) ids.push(canon.of(item.id.client, item.id.clock + k));
    }
  }
  return runsOfIds(ids);
};
