import * as Y from 'yjs';
import { type EditOptions, resolveEdit } from './edit-options.js';
import { CellNotFoundError } from './errors.js';
import type { CellType, Output } from './ipynb-types.js';
import type { JSONValue } from './json.js';
import {
  canonIndex,
  cloneYValue,
  goneOf,
  idKey,
  keepsMoveHistory,
  type LineageRecord,
  linkMove,
  MOVES,
  type MoveRecord,
  maxRecords,
  movesOf,
  parseIdKey,
  rootOf,
  runsOf,
  runTexts,
} from './lineage.js';
import { transact } from './origin.js';
import { cellFromY, cellIdOf, cellsOf, cellTypeOf, codeCellKeys, outputToY, type YCell } from './ydoc.js';

// The operations that replace a cell by a clone (moves and type changes), leaving
// the lineage records of lineage.ts for peers to replay concurrent edits.

// The index of the first cell with `id`, or -1 (as cells.ts's indexOfCell,
// which this module does not import so that cells.ts can use it).
const indexOfCell = (doc: Y.Doc, id: string): number => {
  const cells = cellsOf(doc);
  for (let i = 0; i < cells.length; i++) if (cellIdOf(cells.get(i)) === id) return i;
  return -1;
};

// Keys only markdown and raw cells have (those only code cells have: codeCellKeys).
const textKeys = new Set(['attachments']);

/**
 * Replaces the cell at `from` by a clone at `to`, of type `type` when given
 * (dropping what the new type cannot hold, as JupyterLab does), and leaves the
 * move record that lets peers replay their concurrent edits into the clone.
 * Runs inside the caller's transaction.
 */
const replaceCell = (tr: Y.Transaction, from: number, to: number, type?: CellType): YCell => {
  const doc = tr.doc;
  const cells = cellsOf(doc);
  tr.meta.set(MOVES, true);
  const old = cells.get(from);
  const cellId = cellIdOf(old);
  const source = old.get('source');
  const view = source instanceof Y.Text ? runsOf(source) : [];
  const texts = source instanceof Y.Text ? runTexts(source) : [];
  const sv = Y.encodeStateVector(doc);
  const moves = movesOf(doc);
  const oldKey = idKey(old._item!.id);
  // What the lineage deleted so far: a peer whose concurrent view still has
  // one of these characters must not bring it back into the clone.
  const gone = goneOf(moves, canonIndex(moves), old);
  const start = Y.getState(doc.store, doc.clientID);
  const clone = new Y.Map<unknown>();
  const dropped = type === undefined ? undefined : type === 'code' ? textKeys : codeCellKeys;
  old.forEach((value, key) => {
    if (dropped?.has(key)) return;
    clone.set(key, key === 'source' ? new Y.Text() : cloneYValue(value));
  });
  if (type === 'code') {
    // Read from the old cell: reading the clone before it is in the document is refused.
    if (!(old.get('outputs') instanceof Y.Array)) clone.set('outputs', new Y.Array());
    if (!old.has('execution_count')) clone.set('execution_count', null);
    clone.set('execution_state', 'idle');
  }
  cells.delete(from, 1);
  cells.insert(to, [clone]);
  // The clone's source copies the old runs one for one, inserted from the
  // last so that Yjs does not merge them: each old run then maps onto one
  // whole item of the clone, which is what undo's redo links need.
  const cloneText = clone.get('source');
  if (cloneText instanceof Y.Text) for (let i = texts.length - 1; i >= 0; i--) cloneText.insert(0, texts[i]!);
  const record: MoveRecord = {
    cell: cellId,
    from: oldKey,
    to: idKey(clone._item!.id),
    view,
    target: cloneText instanceof Y.Text ? runsOf(cloneText) : [],
    sv,
    at: Date.now(),
    root: rootOf(moves, oldKey),
    gone,
    span: [start, Y.getState(doc.store, doc.clientID)],
  };
  if (type !== undefined) record.retype = true;
  // The new type is written after the span: it is an edit, not a copy, so that
  // if this clone is dropped for a concurrent move's, the type is replayed there.
  if (type !== undefined) clone.set('cell_type', type);
  moves.set(record.to, record);
  if (moves.size > maxRecords) pruneMoves(moves);
  if (keepsMoveHistory(doc)) linkMove(old, clone, record);
  return clone;
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
    // What undo needs to put the cell back: the cell it followed (null when it
    // was first), which stays right when others insert or delete cells above.
    const after = from > 0 ? cellIdOf(cells.get(from - 1)) : null;
    tr.meta.set('candyce:move', { cellId: id, from, to, after } satisfies MoveMeta);
    replaceCell(tr, from, to);
  });
}

/** What `retypeCell` tells about a type change in its transaction's meta (`candyce:retype`), for undo managers. */
export interface RetypeMeta {
  cellId: string;
  /** The type before the change, and what the change dropped, to put back on undo. */
  type: CellType;
  outputs?: Output[];
  executionCount?: number | null;
  attachments?: JSONValue;
}

/** Returns what `retypeCell` said about the type change made in `tr`, if any. */
export const retypeMetaOf = (tr: Y.Transaction): RetypeMeta | undefined =>
  tr.meta.get('candyce:retype') as RetypeMeta | undefined;

/**
 * Changes the type of the cell `id` the way JupyterLab does, by replacing the
 * cell with a new one of the new type at the same place (a JupyterLab client
 * in the room builds its view of a cell once, from its type: it would not see
 * the type of a cell change in place). The new cell keeps the id, source and
 * metadata; outputs go when it stops being a code cell, attachments when it
 * becomes one. As with a move, concurrent edits of others are replayed into
 * the new cell and undo histories follow it. `restore` puts back what an
 * earlier change dropped (used by undo). Locks are the caller's to check.
 * Returns what the change dropped (its `RetypeMeta`), or undefined when the
 * cell already had that type.
 */
export function retypeCell(
  doc: Y.Doc,
  id: string,
  type: CellType,
  options?: EditOptions,
  restore: Omit<RetypeMeta, 'cellId' | 'type'> = {},
): RetypeMeta | undefined {
  const { origin } = resolveEdit(options);
  return transact(doc, origin, (tr) => {
    const index = indexOfCell(doc, id);
    if (index < 0) throw new CellNotFoundError(id);
    const old = cellsOf(doc).get(index);
    const was = cellTypeOf(old);
    if (was === type) return undefined;
    const plain = cellFromY(old);
    const meta: RetypeMeta = { cellId: id, type: was };
    if (was === 'code' && type !== 'code') {
      meta.outputs = plain.outputs ?? [];
      meta.executionCount = plain.execution_count ?? null;
    }
    if (was !== 'code' && type === 'code' && plain.attachments !== undefined)
      meta.attachments = plain.attachments;
    tr.meta.set('candyce:retype', meta);
    const clone = replaceCell(tr, index, index, type);
    const outputs = clone.get('outputs');
    if (restore.outputs && outputs instanceof Y.Array) outputs.push(restore.outputs.map(outputToY));
    if (restore.executionCount !== undefined && type === 'code')
      clone.set('execution_count', restore.executionCount);
    if (restore.attachments !== undefined && type !== 'code') clone.set('attachments', restore.attachments);
    return meta;
  });
}

const pruneMoves = (moves: Y.Map<LineageRecord>): void => {
  const records = Array.from(moves.entries()).sort(([, a], [, b]) => a.at - b.at);
  for (const [key] of records.slice(0, records.length - maxRecords)) moves.delete(key);
};

/** What `moveCell` tells about a move in its transaction's meta (`candyce:move`), for undo managers. */
export interface MoveMeta {
  cellId: string;
  from: number;
  to: number;
  /** The id of the cell the moved cell followed before the move, or null when it was first. */
  after: string | null;
}

/** Returns what `moveCell` said about the move made in `tr`, if it moved a cell. */
export const moveMetaOf = (tr: Y.Transaction): MoveMeta | undefined =>
  tr.meta.get('candyce:move') as MoveMeta | undefined;

/** Returns true when the transaction moved cells (set by `moveCell`). */
export const isMoveTransaction = (tr: Y.Transaction): boolean => tr.meta.get(MOVES) === true;

/** Returns the cell map whose Yjs item has the key `key`, deleted or not, while its content is readable. */
export const cellByKey = (doc: Y.Doc, key: string): YCell | undefined => {
  const id = parseIdKey(key);
  if (Y.getState(doc.store, id.client) <= id.clock) return undefined;
  const item = Y.getItem(doc.store, id);
  return item instanceof Y.Item && item.content instanceof Y.ContentType
    ? (item.content.type as YCell)
    : undefined;
};
