import * as Y from 'yjs';
import { readCells } from './ipynb-export.js';
import type { Output } from './ipynb-types.js';
import {
  type CanonIndex,
  canonIndex,
  createIdSet,
  type DropRecord,
  type IdSet,
  idKey,
  idSetOf,
  isMoveRecord,
  keepsMoveHistory,
  type LineageRecord,
  linkCells,
  movesOf,
  parseIdKey,
  type ReplayRecord,
  rawGet,
  rootOf,
  runsOfIds,
} from './lineage.js';
import { cellByKey } from './move.js';
import { localOrigin, type NotebookOrigin } from './origin.js';
import { cellIdOf, cellsOf, codeCellKeys, outputFromY, outputToY, type YCell } from './ydoc.js';

// Runs on every peer that holds a notebook. A move deletes the cell and
// inserts a clone (the schema leaves no other way), so after each remote
// transaction this peer keeps the notebook whole:
//
// - Lineages. A clone continues the cell it was made from; all the cell maps
//   that ever stood for one cell form its lineage, named by its first map
//   (`root` in move records). When two peers move a cell at once, the lineage
//   has two live clones: the first in document order is kept, the others are
//   dropped (deleted, with a drop record), the same way on every peer.
// - Typing. When a cell of a lineage leaves the notebook (moved away or
//   dropped), each character it held is looked up, by canonical id (the
//   character that was typed, which clones and replays only copy), in the
//   clone that is kept. A character that the kept clone lacks, and that its
//   lineage had not deleted when it was made (`gone`), is typed again there
//   by its author only: the one peer that knows for sure it has not done it
//   yet, so nothing is doubled (a replay record maps the new characters back).
// - Erasing. Whether a character is deleted here says little: a peer that
//   had already dropped a cell deletes the characters typed into it late, and
//   relays that deletion, which can arrive before the move itself. So the
//   author replays its characters unless it erased them itself, and each peer
//   remembers what it erased and deletes the copies and replays of those
//   characters that reach the notebook later.
// - Deleting. A cell that one peer deletes while another moves it stays
//   deleted: the deleter, when the move arrives, deletes the clone (and any
//   later clone of that lineage).
// - Metadata, other keys and outputs that this peer wrote and the clone's
//   maker had not seen are written again into the kept clone.
// - Ids. Two cells of different lineages with one id (concurrent pastes): the
//   later one gets the id export would give it, the same value on every peer.
//
// A deletion can arrive before the record that explains it (Yjs applies
// deletions at once and keeps structs with missing dependencies pending): the
// cell is then kept from garbage collection until its record and clone
// arrive. Edits are replayed by the Yjs client that made them, when it
// receives the move: edits of a client that never comes back stay lost, as in
// any offline editor, and so do offline edits of a session closed before it
// synced (the next session has a new client id).

/** Options of {@link watchNotebook}. */
export interface WatchOptions {
  /** Origin of the repair writes; by default a local origin that no undo manager tracks. */
  origin?: NotebookOrigin;
}

const repairOrigin = localOrigin('candyce:repair');

type Seen = (item: Y.Item) => boolean;

/** How the cell that leaves looked just before it left. */
interface Before {
  /** The item was there and not deleted. */
  alive: Seen;
  /** The item had been deleted by an edit (not by the cell leaving). */
  deleted: Seen;
}

const keyOf = (cell: YCell): string => (cell._item ? idKey(cell._item.id) : '');

const lastContent = (item: Y.Item): unknown => {
  const c = item.content.getContent();
  return c[c.length - 1];
};

/** Reads a Yjs value as it was before, from items that may be deleted now. */
const readBefore = (value: unknown, visible: Seen): unknown => {
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

const subtreeHas = (value: unknown, pred: Seen): boolean => {
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

const sameJSON = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Returns the index of the character `id` in `text`, and whether it is still there (not deleted). */
const locate = (text: Y.Text, id: Y.ID): { index: number; alive: boolean } | undefined => {
  let index = 0;
  for (let item = text._start; item !== null; item = item.right) {
    const alive = !item.deleted && item.countable;
    if (item.id.client === id.client && id.clock >= item.id.clock && id.clock < item.id.clock + item.length) {
      return { index: index + (alive ? id.clock - item.id.clock : 0), alive };
    }
    if (alive) index += item.length;
  }
  return undefined;
};

/**
 * Types again into the source of `keep` this peer's own characters that the
 * source of `gone` held and that `keep` lacks, unless this peer erased them
 * itself or the lineage of `keep` deleted them before (`lost`). Returns where
 * each canonical character now stands in `keep`.
 */
const mergeSource = (
  doc: Y.Doc,
  canon: CanonIndex,
  gone: YCell,
  keep: YCell,
  lost: (client: number, clock: number) => boolean,
  erased: IdSet,
): Map<string, Y.ID> => {
  const from = rawGet(gone, 'source');
  const to = keep.get('source');
  // Where each canonical character stands in the kept source, deleted or not.
  const reps = new Map<string, Y.ID>();
  if (!(from instanceof Y.Text) || !(to instanceof Y.Text)) return reps;
  const me = doc.clientID;
  for (let item = to._start; item !== null; item = item.right) {
    if (!(item.content instanceof Y.ContentString || item.content instanceof Y.ContentDeleted)) continue;
    for (let j = 0; j < item.length; j++) {
      reps.set(
        idKey(canon.of(item.id.client, item.id.clock + j)),
        Y.createID(item.id.client, item.id.clock + j),
      );
    }
  }
  type Entry = { rep: Y.ID } | { char: string; canon: Y.ID };
  const entries: Entry[] = [];
  for (let item = from._start; item !== null; item = item.right) {
    // Deleted runs may be garbage-collected already (ContentDeleted): they still have ids.
    const str = item.content instanceof Y.ContentString ? item.content.str : undefined;
    if (str === undefined && !(item.content instanceof Y.ContentDeleted)) continue;
    for (let j = 0; j < item.length; j++) {
      const c = canon.of(item.id.client, item.id.clock + j);
      const rep = reps.get(idKey(c));
      if (rep) entries.push({ rep });
      else if (
        str !== undefined &&
        c.client === me &&
        !erased.has(c.client, c.clock) &&
        !lost(c.client, c.clock)
      ) {
        // Whether it is deleted here does not matter: a peer that had already
        // dropped the cell deletes characters typed into it late, and relays
        // that. Only this peer's own erasures count (see `enforceErasures`).
        entries.push({ char: str[j]!, canon: c });
      }
    }
  }
  const firstRep = entries.find((e): e is { rep: Y.ID } => 'rep' in e)?.rep;
  const runs: number[] = [];
  let anchor: Y.ID | undefined;
  for (let i = 0; i < entries.length; ) {
    const entry = entries[i]!;
    if ('rep' in entry) {
      anchor = entry.rep;
      i++;
      continue;
    }
    // A run of this peer's characters that the kept clone lacks: insert it
    // after the character that precedes it in the old cell, where it was typed.
    let str = '';
    const canons: Y.ID[] = [];
    for (; i < entries.length; i++) {
      const e = entries[i]!;
      if ('rep' in e) break;
      str += e.char;
      canons.push(e.canon);
    }
    const at = anchor ? locate(to, anchor) : firstRep ? locate(to, firstRep) : undefined;
    const index = at ? at.index + (anchor && at.alive ? 1 : 0) : 0;
    const clock = Y.getState(doc.store, me);
    to.insert(index, str);
    anchor = Y.createID(me, clock + str.length - 1);
    canons.forEach((c, j) => {
      reps.set(idKey(c), Y.createID(me, clock + j));
    });
    for (let j = 0; j < canons.length; ) {
      const c = canons[j]!;
      let n = 1;
      while (
        j + n < canons.length &&
        canons[j + n]!.client === c.client &&
        canons[j + n]!.clock === c.clock + n
      )
        n++;
      runs.push(me, clock + j, n, c.client, c.clock);
      j += n;
    }
  }
  if (runs.length > 0) {
    const record: ReplayRecord = { kind: 'replay', cell: keyOf(keep), runs, at: Date.now() };
    movesOf(doc).set(`replay:${me}:${runs[1]}`, record);
    canon.addReplay(runs);
  }
  return reps;
};

/**
 * Deletes from the source of `cell` the characters that stand for characters
 * this peer erased: copies made by a mover or replays made by their author
 * that had not seen the erasure.
 */
const enforceErasures = (canon: CanonIndex, cell: YCell, erased: IdSet): void => {
  const text = cell.get('source');
  if (!(text instanceof Y.Text) || erased.size === 0) return;
  const ranges: [number, number][] = [];
  let index = 0;
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    for (let j = 0; j < item.length; j++) {
      const c = canon.of(item.id.client, item.id.clock + j);
      if (!erased.has(c.client, c.clock)) continue;
      const last = ranges[ranges.length - 1];
      if (last && last[0] + last[1] === index + j) last[1]++;
      else ranges.push([index + j, 1]);
    }
    index += item.length;
  }
  for (let i = ranges.length - 1; i >= 0; i--) text.delete(ranges[i]![0], ranges[i]![1]);
};

/**
 * Links the characters of a source to those that now stand for them
 * (`to`), as Yjs links an item to its redone copy, so that an undo manager
 * that recorded typing in the old source undoes it in the new one. Items are
 * split where their characters stop mapping onto consecutive characters.
 * Characters deleted by an edit (`skip`) are left unlinked: undoing that
 * deletion then types them again in the new source.
 */
const linkChars = (
  tr: Y.Transaction,
  text: Y.Text,
  to: (client: number, clock: number) => Y.ID | undefined,
  skip: Seen,
): void => {
  for (let item = text._start; item !== null; item = item.right) {
    item.keep = true;
    if (skip(item)) continue;
    const { client, clock } = item.id;
    let prev = to(client, clock);
    for (let j = 1; j < item.length; j++) {
      const next = to(client, clock + j);
      const follows =
        prev && next ? next.client === prev.client && next.clock === prev.clock + 1 : !prev && !next;
      if (!follows) {
        Y.getItemCleanStart(tr, Y.createID(client, clock + j));
        break;
      }
      prev = next;
    }
    const first = to(client, clock);
    if (first) item.redone = first;
  }
};

// Keys of a cell that are not replayed as plain values.
const structuredKeys = new Set(['id', 'source', 'metadata', 'outputs']);

/** Makes the type-specific keys of a cell agree with its type, as `setCellType` does. */
const fitKeysToType = (cell: YCell): void => {
  if (cell.get('cell_type') === 'code') {
    cell.delete('attachments');
    if (!(cell.get('outputs') instanceof Y.Array)) cell.set('outputs', new Y.Array());
    if (!cell.has('execution_count')) cell.set('execution_count', null);
    if (!cell.has('execution_state')) cell.set('execution_state', 'idle');
  } else {
    for (const key of codeCellKeys) if (cell.has(key)) cell.delete(key);
  }
};

/**
 * Writes again into `keep` the keys, metadata and outputs that this peer wrote
 * in `gone` and that `keep` was made without (`known` tells which items its
 * maker had seen).
 */
const mergeEntries = (doc: Y.Doc, gone: YCell, keep: YCell, before: Before, known: Seen): void => {
  const me = doc.clientID;
  const fresh: Seen = (item) => item.id.client === me && before.alive(item) && !known(item);
  let typed = false;
  gone._map.forEach((item, key) => {
    if (structuredKeys.has(key) || !fresh(item)) return;
    const value = lastContent(item);
    if (value instanceof Y.AbstractType || sameJSON(keep.get(key), value)) return;
    keep.set(key, structuredClone(value));
    if (key === 'cell_type') typed = true;
  });
  if (typed) fitKeysToType(keep);
  const oldMeta = rawGet(gone, 'metadata');
  const newMeta = keep.get('metadata');
  if (oldMeta instanceof Y.Map && newMeta instanceof Y.Map) {
    oldMeta._map.forEach((item, key) => {
      if (!fresh(item)) return;
      const value = lastContent(item);
      if (!sameJSON(newMeta.get(key), value)) newMeta.set(key, structuredClone(value));
    });
  }
  const oldOutputs = rawGet(gone, 'outputs');
  const newOutputs = keep.get('outputs');
  const outputsEntry = gone._map.get('outputs');
  const mine: Seen = (item) => item.id.client === me && !known(item);
  if (
    oldOutputs instanceof Y.Array &&
    newOutputs instanceof Y.Array &&
    ((outputsEntry && mine(outputsEntry)) || subtreeHas(oldOutputs, mine))
  ) {
    // Outputs are not merged item by item: the old cell's list, as this peer
    // saw it (its kernel wrote it), replaces the clone's.
    const seen = readBefore(oldOutputs, before.alive) as unknown[];
    if (newOutputs.length > 0) newOutputs.delete(0, newOutputs.length);
    newOutputs.push(seen.map((o) => outputToY(outputFromY(o) as Output)));
  }
};

/**
 * Returns which items of the leaving cell `gone` the maker of `keep` had seen:
 * through the move from `gone` that `keep` descends from (its state vector), or
 * else, for a dropped clone, the items its own move wrote.
 */
const knownTo = (moves: Y.Map<LineageRecord>, gone: YCell, keep: YCell, records: LineageRecord[]): Seen => {
  const lineage = new Set<string>();
  for (let key = keyOf(keep); key && !lineage.has(key); ) {
    lineage.add(key);
    const record = moves.get(key);
    key = isMoveRecord(record) ? record.from : '';
  }
  const via = records.find((r) => isMoveRecord(r) && lineage.has(r.to));
  if (isMoveRecord(via)) {
    const sv = Y.decodeStateVector(via.sv);
    return (item) => item.id.clock < (sv.get(item.id.client) ?? 0);
  }
  const own = moves.get(keyOf(gone));
  if (isMoveRecord(own) && own.span) {
    const client = gone._item?.id.client;
    const [start = 0, end = 0] = own.span;
    return (item) => item.id.client === client && item.id.clock >= start && item.id.clock < end;
  }
  return () => false;
};

/**
 * Brings into `keep` what `gone` held that `keep` lacks (see the header), and,
 * when an undo manager wants it, links `gone` to `keep` for undo.
 */
const merge = (
  tr: Y.Transaction,
  canon: CanonIndex,
  gone: YCell,
  keep: YCell,
  before: Before,
  records: LineageRecord[],
  erased: IdSet,
): void => {
  const doc = tr.doc;
  const moves = movesOf(doc);
  const own = moves.get(keyOf(keep));
  const lost = idSetOf(isMoveRecord(own) ? own.gone : undefined);
  const reps = mergeSource(doc, canon, gone, keep, lost, erased);
  mergeEntries(doc, gone, keep, before, knownTo(moves, gone, keep, records));
  if (!keepsMoveHistory(doc)) return;
  linkCells(gone, keep);
  const source = rawGet(gone, 'source');
  if (source instanceof Y.Text) {
    linkChars(tr, source, (client, clock) => reps.get(idKey(canon.of(client, clock))), before.deleted);
  }
};

/** Calls `fn` on every item of a cell, its source, metadata and outputs included. */
const forEachItem = (
  type: { _start: Y.Item | null; _map: Map<string, Y.Item> },
  fn: (item: Y.Item) => void,
): void => {
  const visit = (item: Y.Item) => {
    fn(item);
    if (item.content instanceof Y.ContentType) forEachItem(item.content.type, fn);
  };
  for (let item = type._start; item !== null; item = item.right) visit(item);
  type._map.forEach((last) => {
    for (let item: Y.Item | null = last; item !== null; item = item.left) visit(item);
  });
};

/**
 * A cell that left the notebook in a transaction whose move or drop record
 * had not arrived yet (Yjs applies a deletion at once but keeps structs whose
 * dependencies are missing pending): its items are kept from garbage
 * collection, and what was alive and deleted before it left is remembered,
 * until the record arrives or nothing is pending any more.
 */
interface Waiting {
  cell: YCell;
  before: Before;
}

const wait = (cell: YCell, before: Before): Waiting => {
  const alive: Y.ID[] = [];
  const deleted: Y.ID[] = [];
  if (cell._item) cell._item.keep = true;
  forEachItem(cell, (item) => {
    item.keep = true;
    const into = before.alive(item) ? alive : before.deleted(item) ? deleted : undefined;
    for (let k = 0; into && k < item.length; k++) into.push(Y.createID(item.id.client, item.id.clock + k));
  });
  const isAlive = idSetOf(runsOfIds(alive));
  const isDeleted = idSetOf(runsOfIds(deleted));
  return {
    cell,
    before: {
      alive: (item) => isAlive(item.id.client, item.id.clock),
      deleted: (item) => isDeleted(item.id.client, item.id.clock),
    },
  };
};

/** What {@link watchNotebook} keeps between transactions for one document. */
interface Watch {
  doc: Y.Doc;
  origin: NotebookOrigin;
  waiting: Map<string, Waiting>;
  /** Canonical ids of the characters this peer erased from cells that stayed. */
  erased: IdSet;
  /** Keys of the cells this peer saw deleted by someone (not moved nor dropped). */
  deleted: Set<string>;
  /** Roots of the lineages whose cell this peer saw deleted while others moved it. */
  doomed: Set<string>;
  canon(): CanonIndex;
}

/** Returns the live cell whose source is `text`, or undefined. */
const cellOfSource = (cells: Y.Array<YCell>, text: Y.Text): YCell | undefined => {
  const entry = text._item;
  const cell = entry?.parent;
  if (!entry || entry.deleted || !(cell instanceof Y.Map) || entry.parentSub !== 'source') return undefined;
  return cell._item?.parent === cells && !cell._item.deleted ? (cell as YCell) : undefined;
};

/**
 * Remembers the characters this peer erases from the source of a cell that
 * stays (not those that go with a deleted or moved cell), so that it can make
 * its erasures win over copies and replays that did not see them.
 */
const noteErasures = (watch: Watch, tr: Y.Transaction): void => {
  if (tr.deleteSet.clients.size === 0) return;
  const cells = cellsOf(watch.doc);
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item) || !(struct.parent instanceof Y.Text) || !struct.countable) return;
    if (!cellOfSource(cells, struct.parent)) return;
    const canon = watch.canon();
    for (let k = 0; k < struct.length; k++) {
      const c = canon.of(struct.id.client, struct.id.clock + k);
      watch.erased.add(c.client, c.clock);
    }
  });
};

/** Remembers the cells this peer deleted (those that no move or drop took out). */
const noteDeletedCells = (watch: Watch, tr: Y.Transaction): void => {
  if (tr.deleteSet.clients.size === 0) return;
  const cells = cellsOf(watch.doc);
  const moves = movesOf(watch.doc);
  let taken: Set<string> | undefined;
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item) || struct.parent !== cells) return;
    if (!taken) {
      taken = new Set();
      moves.forEach((record) => {
        if (record.kind !== 'replay') taken!.add(record.from);
      });
    }
    const key = idKey(struct.id);
    if (!taken.has(key)) watch.deleted.add(key);
  });
};

/**
 * Keeps the content of this peer's characters that a remote transaction
 * deleted from a cell that stays: if that cell later turns out to have been
 * moved or dropped (the deletion was a relay's echo of characters typed into
 * a cell it had already dropped), this peer still has them to replay.
 */
const keepOwnDeleted = (watch: Watch, tr: Y.Transaction): void => {
  const me = watch.doc.clientID;
  if (!tr.deleteSet.clients.has(me)) return;
  const cells = cellsOf(watch.doc);
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (struct instanceof Y.Item && struct.id.client === me && struct.parent instanceof Y.Text) {
      if (cellOfSource(cells, struct.parent)) struct.keep = true;
    }
  });
};

const repair = (watch: Watch, tr: Y.Transaction): void => {
  const { doc, waiting } = watch;
  const cells = cellsOf(doc);
  const moves = movesOf(doc);
  const left: YCell[] = [];
  Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
    if (struct instanceof Y.Item && struct.parent === cells && struct.content instanceof Y.ContentType) {
      left.push(struct.content.type as YCell);
    }
  });
  const newRecords = tr.changed.get(moves as unknown as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>);
  if (left.length === 0 && waiting.size === 0 && !tr.changed.has(cells) && !newRecords) return;
  // Move and drop records by the key of the cell they took out.
  const outOf = new Map<string, LineageRecord[]>();
  moves.forEach((record) => {
    if (record.kind === 'replay') return;
    const list = outOf.get(record.from);
    if (list) list.push(record);
    else outOf.set(record.from, [record]);
  });
  const deletedBefore: Seen = (item) => item.deleted && !Y.isDeleted(tr.deleteSet, item.id);
  const before: Before = {
    alive: (item) => item.id.clock < (tr.beforeState.get(item.id.client) ?? 0) && !deletedBefore(item),
    deleted: deletedBefore,
  };
  const pending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  const moved: (Waiting & { waited: boolean })[] = [];
  for (const [key, w] of waiting) {
    if (outOf.has(key)) moved.push({ ...w, waited: true });
    else if (!pending) watch.deleted.add(key);
    if (outOf.has(key) || !pending) waiting.delete(key);
  }
  for (const cell of left) {
    const key = keyOf(cell);
    if (outOf.has(key)) moved.push({ cell, before, waited: false });
    else if (pending) waiting.set(key, wait(cell, before));
    else watch.deleted.add(key);
  }
  // A move of a cell this peer had seen deleted by someone (with no move or
  // drop record that explained it then): the deletion wins, and every cell of
  // that lineage goes, now and when more of its clones arrive.
  for (const key of newRecords ?? []) {
    const record = key === null ? undefined : moves.get(key);
    if (record && record.kind !== 'replay' && watch.deleted.has(record.from)) {
      watch.doomed.add(rootOf(moves, record.from));
    }
  }
  const doomed: YCell[] = [];
  // One live cell per lineage: the first in document order, except that a
  // clone made to change the type gives way to one made by a move (the type
  // change is then replayed into it, while a position could not be).
  const members = new Map<string, YCell[]>();
  for (const cell of cells.toArray()) {
    const root = rootOf(moves, keyOf(cell));
    if (watch.doomed.has(root)) doomed.push(cell);
    else if (members.has(root)) members.get(root)!.push(cell);
    else members.set(root, [cell]);
  }
  const kept = new Map<string, YCell>();
  const drops: { cell: YCell; keep: YCell; root: string }[] = [];
  for (const [root, list] of members) {
    const retyped = (cell: YCell) => {
      const record = moves.get(keyOf(cell));
      return isMoveRecord(record) && record.retype === true;
    };
    const keep = list.find((cell) => !retyped(cell)) ?? list[0]!;
    kept.set(root, keep);
    for (const cell of list) if (cell !== keep) drops.push({ cell, keep, root });
  }
  const ids = new Set<string>();
  let clash = false;
  for (const cell of kept.values()) {
    const id = cellIdOf(cell);
    if (ids.has(id) || id === '') clash = true;
    ids.add(id);
  }
  // A cell taken out by a record whose clone has not arrived yet (pending):
  // wait for it, or the cell's content would have nowhere to go.
  const ready = moved.filter((w) => {
    const key = keyOf(w.cell);
    if (kept.has(rootOf(moves, key))) return true;
    const early = outOf.get(key)!.some((r) => {
      const id = parseIdKey(r.kind === 'replay' ? '' : r.to);
      return Y.getState(doc.store, id.client) <= id.clock;
    });
    if (early) waiting.set(key, w.waited ? w : wait(w.cell, w.before));
    return !early;
  });
  // Cells that copies or replays just reached, where this peer's erasures must hold.
  const touched = new Set<YCell>();
  if (watch.erased.size > 0) {
    for (const key of newRecords ?? []) {
      const record = key === null ? undefined : moves.get(key);
      const target = record ? (record.kind === 'replay' ? record.cell : record.to) : undefined;
      const cell = target ? cellByKey(doc, target) : undefined;
      if (cell?._item && !cell._item.deleted) touched.add(cell);
    }
  }
  if (ready.length === 0 && drops.length === 0 && doomed.length === 0 && !clash && touched.size === 0) return;

  doc.transact((repairing) => {
    const canon = watch.canon();
    for (const { cell, before } of ready) {
      const key = keyOf(cell);
      const keep = kept.get(rootOf(moves, key));
      if (!keep) continue;
      merge(repairing, canon, cell, keep, before, outOf.get(key)!, watch.erased);
      touched.add(keep);
    }
    const now: Before = { alive: (item) => !item.deleted, deleted: (item) => item.deleted };
    for (const { cell, keep, root } of drops) {
      merge(repairing, canon, cell, keep, now, [], watch.erased);
      touched.add(keep);
      touched.delete(cell);
      const index = cells.toArray().indexOf(cell);
      if (index >= 0) cells.delete(index, 1);
      const record: DropRecord = {
        kind: 'drop',
        cell: cellIdOf(cell),
        from: keyOf(cell),
        to: keyOf(keep),
        root,
        at: Date.now(),
      };
      moves.set(`drop:${record.from}`, record);
    }
    for (const cell of doomed) {
      touched.delete(cell);
      const index = cells.toArray().indexOf(cell);
      if (index >= 0) cells.delete(index, 1);
    }
    for (const cell of touched) enforceErasures(canon, cell, watch.erased);
    if (clash) {
      const exported = readCells(doc);
      cells.forEach((cell, i) => {
        const id = exported[i]!.id;
        if (cellIdOf(cell) !== id) cell.set('id', id);
      });
    }
  }, watch.origin);
};

/**
 * Keeps a shared notebook whole on this peer: replays this peer's own edits
 * that a concurrent move would lose, keeps one cell when two peers moved it at
 * once, links undo histories across moves, and resolves cells that end up with
 * one id, identically on every peer. Call it once for each document a client
 * or server holds; returns a function that stops watching.
 */
export function watchNotebook(doc: Y.Doc, options: WatchOptions = {}): () => void {
  const moves = movesOf(doc);
  let canon: CanonIndex | undefined;
  const watch: Watch = {
    doc,
    origin: options.origin ?? repairOrigin,
    waiting: new Map(),
    erased: createIdSet(),
    deleted: new Set(),
    doomed: new Set(),
    canon: () => {
      canon ??= canonIndex(moves);
      return canon;
    },
  };
  // The index is rebuilt after any change of the records (moves, drops, replays).
  const onRecords = () => {
    canon = undefined;
  };
  const onAfter = (tr: Y.Transaction) => {
    if (!tr.local) {
      keepOwnDeleted(watch, tr);
      repair(watch, tr);
    } else if (tr.origin !== watch.origin) {
      noteErasures(watch, tr);
      noteDeletedCells(watch, tr);
    }
  };
  moves.observe(onRecords);
  doc.on('afterTransaction', onAfter);
  return () => {
    moves.unobserve(onRecords);
    doc.off('afterTransaction', onAfter);
  };
}
