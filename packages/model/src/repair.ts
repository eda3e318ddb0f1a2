import * as Y from 'yjs';
import { readCells } from './ipynb-export.js';
import {
  idAt,
  idKey,
  keepsMoveHistory,
  linkMove,
  liveCellByKey,
  type MoveRecord,
  movesOf,
  rawGet,
  viewLookup,
} from './move.js';
import { localOrigin, type NotebookOrigin } from './origin.js';
import { cellIdOf, cellsOf, cellToY, type YCell } from './ydoc.js';

// Runs on every peer that holds a notebook. After a remote transaction:
// - a cell deleted by a move: this peer replays into the clone its own edits
//   that the mover had not seen (only the author replays its insertions, so
//   nothing is doubled; deletions are idempotent, so any peer replays them);
// - two live clones of one concurrently moved cell: the later one in document
//   order is deleted, the same way on every peer;
// - two different cells with one id (concurrent pastes): the later one gets the
//   id export would give it, the same value on every peer.

/** Options of {@link watchNotebook}. */
export interface WatchOptions {
  /** Origin of the repair writes; by default a local origin that no undo manager tracks. */
  origin?: NotebookOrigin;
}

const repairOrigin = localOrigin('candyce:repair');

type Before = (item: Y.Item) => boolean;

/** Reads a Yjs value as it was before `tr`, from items that may be deleted now. */
const readBefore = (value: unknown, visible: Before): unknown => {
  if (value instanceof Y.Text) {
    let s = '';
    for (let item = value._start; item !== null; item = item.right) {
      if (visible(item) && item.content instanceof Y.ContentString) s += item.content.str;
    }
    return s;
  }
  if (value instanceof Y.Map) {
    const out: Record<string, unknown> = {};
    value._map.forEach((item, key) => {
      if (visible(item)) out[key] = readBefore(lastContent(item), visible);
    });
    return out;
  }
  if (value instanceof Y.Array) {
    const out: unknown[] = [];
    for (let item = value._start; item !== null; item = item.right) {
      if (visible(item)) for (const v of item.content.getContent()) out.push(readBefore(v, visible));
    }
    return out;
  }
  return value;
};

const lastContent = (item: Y.Item): unknown => {
  const c = item.content.getContent();
  return c[c.length - 1];
};

const subtreeHas = (value: unknown, pred: (item: Y.Item) => boolean): boolean => {
  if (!(value instanceof Y.AbstractType)) return false;
  if (value instanceof Y.Map) {
    for (const item of value._map.values())
      if (pred(item) || subtreeHas(lastContent(item), pred)) return true;
    return false;
  }
  for (let item = value._start; item !== null; item = item.right) {
    if (pred(item)) return true;
    for (const v of item.content.getContent()) if (subtreeHas(v, pred)) return true;
  }
  return false;
};

const repairMove = (
  doc: Y.Doc,
  tr: Y.Transaction,
  old: YCell,
  record: MoveRecord,
  origin: NotebookOrigin,
) => {
  const target = liveCellByKey(doc, record.to);
  if (!target) return;
  if (keepsMoveHistory(doc)) linkMove(old, target, record);
  const me = doc.clientID;
  const moverKnew = Y.decodeStateVector(record.sv);
  const before = tr.beforeState.get(me) ?? 0;
  const deletedBefore = (item: Y.Item) => item.deleted && !Y.isDeleted(tr.deleteSet, item.id);
  const visibleBefore: Before = (item) =>
    item.id.clock < (tr.beforeState.get(item.id.client) ?? 0) && !deletedBefore(item);
  // This peer's own items that existed before this transaction and that the mover had not seen.
  const mineUnseen = (item: Y.Item, clock = item.id.clock) =>
    item.id.client === me && clock >= (moverKnew.get(me) ?? 0) && clock < before;

  const inserts: { anchor: number; text: string }[] = [];
  const deletes: number[] = [];
  const source = rawGet(old, 'source');
  if (source instanceof Y.Text) {
    const mPos = viewLookup(record.view);
    let anchor = -1;
    let run = '';
    const flush = () => {
      if (run) inserts.push({ anchor, text: run });
      run = '';
    };
    for (let item = source._start; item !== null; item = item.right) {
      // Deleted runs may be garbage-collected already (ContentDeleted): they still have ids.
      const str = item.content instanceof Y.ContentString ? item.content.str : '';
      if (str === '' && !(item.content instanceof Y.ContentDeleted)) continue;
      for (let j = 0; j < item.length; j++) {
        const pos = mPos(item.id.client, item.id.clock + j);
        if (pos !== undefined) {
          flush();
          anchor = pos;
          if (deletedBefore(item)) deletes.push(pos);
        } else if (str !== '' && mineUnseen(item, item.id.clock + j) && !deletedBefore(item)) {
          run += str[j];
        }
      }
    }
    flush();
  }
  const topKeys: [string, unknown][] = [];
  old._map.forEach((item, key) => {
    if (
      key !== 'source' &&
      key !== 'metadata' &&
      key !== 'outputs' &&
      mineUnseen(item) &&
      !deletedBefore(item)
    ) {
      topKeys.push([key, lastContent(item)]);
    }
  });
  const metaKeys: [string, unknown][] = [];
  const oldMeta = rawGet(old, 'metadata');
  if (oldMeta instanceof Y.Map) {
    oldMeta._map.forEach((item, key) => {
      if (mineUnseen(item) && !deletedBefore(item)) metaKeys.push([key, lastContent(item)]);
    });
  }
  const outputs = rawGet(old, 'outputs');
  const outputsChanged = subtreeHas(outputs, (item) => mineUnseen(item));
  if (
    inserts.length === 0 &&
    deletes.length === 0 &&
    topKeys.length === 0 &&
    metaKeys.length === 0 &&
    !outputsChanged
  ) {
    return;
  }
  doc.transact(() => {
    const text = target.get('source');
    if (text instanceof Y.Text) {
      const indexOf = (pos: number, assoc: number): number | null => {
        const id = idAt(record.target, pos);
        if (!id) return null;
        const abs = Y.createAbsolutePositionFromRelativePosition(
          Y.createRelativePositionFromJSON({ item: { client: id.client, clock: id.clock }, assoc }),
          doc,
        );
        return abs && abs.type === text ? abs.index : null;
      };
      for (const pos of deletes.sort((a, b) => b - a)) {
        const id = idAt(record.target, pos);
        if (!id || Y.getItem(doc.store, id).deleted) continue;
        const index = indexOf(pos, 0);
        if (index !== null) text.delete(index, 1);
      }
      for (const { anchor, text: s } of inserts) {
        const index = anchor < 0 ? (indexOf(0, 0) ?? 0) : indexOf(anchor, -1);
        text.insert(index ?? text.length, s);
      }
    }
    for (const [key, value] of topKeys) target.set(key, value);
    const meta = target.get('metadata');
    if (meta instanceof Y.Map) for (const [key, value] of metaKeys) meta.set(key, structuredClone(value));
    const targetOutputs = target.get('outputs');
    if (outputsChanged && targetOutputs instanceof Y.Array) {
      const seen = readBefore(outputs, visibleBefore) as { output_type?: string }[];
      const rebuilt = cellToY({
        id: 'x',
        cell_type: 'code',
        source: '',
        metadata: {},
        outputs: seen as never,
      });
      targetOutputs.delete(0, targetOutputs.length);
      const fresh = rebuilt.get('outputs') as Y.Array<unknown>;
      targetOutputs.push(fresh.toArray().map((o) => (o instanceof Y.Map ? cloneMap(o) : o)));
    }
  }, origin);
};

const cloneMap = (m: Y.Map<unknown>): Y.Map<unknown> => {
  const out = new Y.Map<unknown>();
  m.forEach((v, k) => {
    out.set(k, v instanceof Y.Text ? new Y.Text(v.toString()) : v);
  });
  return out;
};

const resolveDuplicates = (doc: Y.Doc, origin: NotebookOrigin): void => {
  const cells = cellsOf(doc);
  const firstById = new Map<string, YCell>();
  const doubles: YCell[] = [];
  cells.forEach((cell) => {
    const id = cellIdOf(cell);
    if (firstById.has(id)) doubles.push(cell);
    else firstById.set(id, cell);
  });
  if (doubles.length === 0) return;
  const moves = movesOf(doc);
  const sourceOf = (cell: YCell): string | undefined =>
    cell._item ? moves.get(idKey(cell._item.id))?.from : undefined;
  const exportIds = new Map<YCell, string>();
  const exported = readCells(doc);
  cells.forEach((cell, i) => {
    exportIds.set(cell, exported[i]!.id);
  });
  doc.transact(() => {
    for (const cell of doubles) {
      const first = firstById.get(cellIdOf(cell))!;
      const a = sourceOf(first);
      if (a !== undefined && a === sourceOf(cell)) {
        // Two clones of one cell moved twice at once: keep the first in document order.
        const index = cells.toArray().indexOf(cell);
        if (index >= 0) cells.delete(index, 1);
      } else {
        cell.set('id', exportIds.get(cell)!);
      }
    }
  }, origin);
};

/**
 * Keeps a shared notebook whole on this peer: replays this peer's own edits
 * that a concurrent move would lose, links undo histories across moves, and
 * resolves cells that end up with one id, identically on every peer. Call it
 * once for each document a client or server holds; returns a function that
 * stops watching.
 */
export function watchNotebook(doc: Y.Doc, options: WatchOptions = {}): () => void {
  const origin = options.origin ?? repairOrigin;
  const cells = cellsOf(doc);
  const onAfter = (tr: Y.Transaction) => {
    if (tr.local) return;
    const deleted: Y.Item[] = [];
    Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
      if (struct instanceof Y.Item && struct.parent === cells && struct.content instanceof Y.ContentType) {
        deleted.push(struct);
      }
    });
    if (deleted.length > 0) {
      const moves = movesOf(doc);
      const byFrom = new Map<string, MoveRecord>();
      moves.forEach((r) => {
        byFrom.set(r.from, r);
      });
      for (const item of deleted) {
        const record = byFrom.get(idKey(item.id));
        if (record) repairMove(doc, tr, (item.content as Y.ContentType).type as YCell, record, origin);
      }
    }
    if (tr.changed.has(cells) || deleted.length > 0) resolveDuplicates(doc, origin);
  };
  doc.on('afterTransaction', onAfter);
  return () => doc.off('afterTransaction', onAfter);
}
