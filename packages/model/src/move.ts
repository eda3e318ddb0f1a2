import * as Y from 'yjs';
import { indexOfCell } from './cells.js';
import { type EditOptions, resolveEdit } from './edit-options.js';
import { CellNotFoundError } from './errors.js';
import { transact } from './origin.js';
import { cellIdOf, cellsOf, type YCell } from './ydoc.js';

// Yjs 13 arrays cannot move an element, and the schema fixes cells as Y.Maps
// in a Y.Array, so a move deletes the cell and inserts a clone, as jupyter_ydoc
// does. Unlike jupyter_ydoc, the mover leaves a move record: which map became
// which, what the mover saw of the source text, and the mover's state vector.
// With it, a peer that typed in the cell concurrently replays its own lost
// edits into the clone (see repair.ts), and undo histories are linked from the
// old cell to the clone (see linkMove below).

/** The name of the root map that holds move records. */
export const MOVES = 'moves';

/**
 * What a move left for the peers: `from` and `to` are the Yjs ids of the old
 * and new cell maps (`client:clock`), `view` what the mover saw of the old
 * source (triples of client, clock and length of the visible runs, in order),
 * `target` the runs of the clone's source that copy them one for one, and
 * `sv` the mover's state vector at the time.
 */
export interface MoveRecord {
  cell: string;
  from: string;
  to: string;
  target: number[];
  view: number[];
  sv: Uint8Array;
  at: number;
}

/** Returns the map of move records, keyed by the id of the clone (`to`). */
export const movesOf = (doc: Y.Doc): Y.Map<MoveRecord> => doc.getMap<MoveRecord>(MOVES);

/** Formats a Yjs id as `client:clock`. */
export const idKey = (id: Y.ID): string => `${id.client}:${id.clock}`;

/** Parses a `client:clock` key back into a Yjs id. */
export const parseIdKey = (key: string): Y.ID => {
  const [client, clock] = key.split(':').map(Number);
  return Y.createID(client ?? 0, clock ?? 0);
};

const maxRecords = 500;

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

const runsOf = (text: Y.Text): number[] => {
  const view: number[] = [];
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && item.countable) view.push(item.id.client, item.id.clock, item.length);
  }
  return view;
};

const runTexts = (text: Y.Text): string[] => {
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
 * Links the old cell of a move to its clone the way Yjs links an item to its
 * redone copy, so that an undo manager's earlier steps (typing, metadata,
 * inserting the cell) apply to the clone. The old cell's items are kept from
 * garbage collection for that. Must run before the move's transaction ends.
 */
export const linkMove = (oldCell: YCell, clone: YCell, record: MoveRecord): void => {
  link(oldCell._item, clone._item);
  link(entryItem(oldCell, 'source'), entryItem(clone, 'source'));
  link(entryItem(oldCell, 'metadata'), entryItem(clone, 'metadata'));
  const oldMeta = rawGet(oldCell, 'metadata');
  const newMeta = clone.get('metadata');
  if (oldMeta instanceof Y.Map && newMeta instanceof Y.Map) {
    oldMeta._map.forEach((item, key) => {
      link(item, entryItem(newMeta, key));
      item.keep = true;
    });
  }
  const source = rawGet(oldCell, 'source');
  if (!(source instanceof Y.Text)) return;
  const offsetOf = viewLookup(record.view);
  for (let item = source._start; item !== null; item = item.right) {
    item.keep = true;
    const offset = offsetOf(item.id.client, item.id.clock);
    const to = offset === undefined ? undefined : idAt(record.target, offset);
    if (to) item.redone = to;
  }
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

/**
 * Moves the cell `id` so that it ends at index `to` (0 to the number of cells
 * minus one). The cell keeps its id, metadata, outputs and attachments; the
 * mover's undo history follows it, and a peer who typed in the cell at the same
 * time keeps its edits (its own copy of the model replays them into the moved
 * cell, see `watchNotebook`).
 */
export function moveCell(doc: Y.Doc, id: string, to: number, options?: EditOptions): void {
  const { origin } = resolveEdit(options);
  transact(doc, origin, (tr) => {
    const cells = cellsOf(doc);
    const from = indexOfCell(doc, id);
    if (from < 0) throw new CellNotFoundError(id);
    if (!Number.isInteger(to) || to < 0 || to >= cells.length) {
      throw new RangeError(`Target index ${to} is out of range for a notebook of ${cells.length} cells`);
    }
    if (from === to) return;
    tr.meta.set(MOVES, true);
    tr.meta.set('candyce:move', { cellId: id, from, to });
    const old = cells.get(from);
    const cellId = cellIdOf(old);
    const source = old.get('source');
    const view = source instanceof Y.Text ? runsOf(source) : [];
    const texts = source instanceof Y.Text ? runTexts(source) : [];
    const sv = Y.encodeStateVector(doc);
    const clone = new Y.Map<unknown>();
    old.forEach((value, key) => {
      clone.set(key, key === 'source' ? new Y.Text() : cloneYValue(value));
    });
    cells.delete(from, 1);
    cells.insert(to, [clone]);
    // The clone's source copies the old runs one for one, inserted from the
    // last so that Yjs does not merge them: each old run then maps onto one
    // whole item of the clone, which is what undo's redo links need.
    const cloneText = clone.get('source');
    if (cloneText instanceof Y.Text)
      for (let i = texts.length - 1; i >= 0; i--) cloneText.insert(0, texts[i]!);
    const record: MoveRecord = {
      cell: cellId,
      from: idKey(old._item!.id),
      to: idKey(clone._item!.id),
      view,
      target: cloneText instanceof Y.Text ? runsOf(cloneText) : [],
      sv,
      at: Date.now(),
    };
    const moves = movesOf(doc);
    moves.set(record.to, record);
    if (moves.size > maxRecords) pruneMoves(moves);
    if (keepsMoveHistory(doc)) linkMove(old, clone, record);
  });
}

const pruneMoves = (moves: Y.Map<MoveRecord>): void => {
  const records = Array.from(moves.entries()).sort(([, a], [, b]) => a.at - b.at);
  for (const [key] of records.slice(0, records.length - maxRecords)) moves.delete(key);
};

/** Returns true when the transaction moved cells (set by `moveCell`). */
export const isMoveTransaction = (tr: Y.Transaction): boolean => tr.meta.get(MOVES) === true;

/** Returns the live cell map whose Yjs item has the key `key`, following later moves; undefined when deleted. */
export const liveCellByKey = (doc: Y.Doc, key: string): YCell | undefined => {
  const moves = movesOf(doc);
  const seen = new Set<string>();
  let current = key;
  for (;;) {
    if (seen.has(current)) return undefined;
    seen.add(current);
    let item: Y.Item | Y.GC | undefined;
    try {
      item = Y.getItem(doc.store, parseIdKey(current)) as Y.Item | Y.GC;
    } catch {
      return undefined;
    }
    if (item instanceof Y.Item && !item.deleted && item.content instanceof Y.ContentType) {
      return item.content.type as YCell;
    }
    // The clone was itself moved: follow the record whose `from` is this map.
    let next: string | undefined;
    moves.forEach((r, k) => {
      if (r.from === current) next = k;
    });
    if (next === undefined) return undefined;
    current = next;
  }
};
