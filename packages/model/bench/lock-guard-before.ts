// The lock guard as it was before issue 13 (commit ec6c306), kept only as the
// "before" peer of lock-guard-bench.ts: it walks neighbour chains with a
// linear search at every step, which is cubic in the length of a chain.
import * as Y from 'yjs';
import type { LockedOperation } from '../src/errors.js';
import { cellLockOf, lockKeys, type Role } from '../src/locks.js';
import { CELLS, cellIdOf, codeCellKeys, type YCell } from '../src/ydoc.js';

// Checks an incoming update against cell locks before it is applied, for a
// server that must not trust a student's editor. The update is decoded, each
// new item and each deletion is traced to the cell it belongs to, and the key
// under the cell says what is touched: source, type or metadata are edits;
// outputs and execution state are what running a locked cell writes, and stay
// allowed; deleting the cell map is a deletion, unless the same update
// inserts a cell with the same id (a move).

/** A refused change: which cell, and what the lock forbids. */
export interface LockViolation {
  cellId: string;
  operation: LockedOperation;
}

type Parent = { type: 'root'; name: string } | { type: 'item'; id: Y.ID };

interface Located {
  /** The cell map's item (existing in the doc) or null for a cell that the update itself creates. */
  cell: Y.Item | null;
  /** The key under the cell map that leads to the change; null for the cell map itself. */
  key: string | null;
  /** The key under the cell's metadata map, when the change is in metadata. */
  metaKey: string | null;
}

/**
 * Returns the first lock that `update` would break if applied to `doc` by
 * someone with `role`, or null when it breaks none. Teachers break none.
 * Students may not edit the source, type or metadata of a non-editable cell,
 * may not delete a non-deletable one, and may not change any cell's lock keys
 * (`editable`, `deletable`, `nbgrader`). Throws on an undecodable update.
 */
export function findLockViolationBefore(doc: Y.Doc, update: Uint8Array, role: Role): LockViolation | null {
  if (role === 'teacher') return null;
  const { structs, ds } = Y.decodeUpdate(update);
  const incoming = new Map<number, Y.Item[]>();
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    let list = incoming.get(s.id.client);
    if (!list) {
      list = [];
      incoming.set(s.id.client, list);
    }
    list.push(s);
  }
  const findIncoming = (id: Y.ID): Y.Item | undefined =>
    incoming.get(id.client)?.find((s) => id.clock >= s.id.clock && id.clock < s.id.clock + s.length);
  const findStored = (id: Y.ID): Y.Item | undefined => {
    const state = Y.getState(doc.store, id.client);
    if (id.clock >= state) return undefined;
    const s = Y.getItem(doc.store, id);
    return s instanceof Y.Item ? s : undefined;
  };

  const cellsType = doc.share.get(CELLS);
  const storedParent = (item: Y.Item): Parent | null => {
    const parent = item.parent as Y.AbstractType<unknown> | null;
    if (!parent) return null;
    if (parent._item) return { type: 'item', id: parent._item.id };
    return { type: 'root', name: parent === cellsType ? CELLS : Y.findRootTypeKey(parent) };
  };
  // A decoded item names its parent only when it has no neighbours; otherwise
  // it shares its neighbour's parent.
  const incomingParent = (item: Y.Item, depth: number): Parent | null => {
    const p = item.parent as unknown;
    if (typeof p === 'string') return { type: 'root', name: p };
    if (p instanceof Y.ID || (p && typeof p === 'object' && 'client' in (p as object))) {
      return { type: 'item', id: p as Y.ID };
    }
    for (const near of [item.origin, item.rightOrigin]) {
      if (!near) continue;
      const stored = findStored(near);
      if (stored) return storedParent(stored);
      const other = findIncoming(near);
      if (other && other !== item && depth < 10_000) return incomingParent(other, depth + 1);
    }
    return null;
  };
  const subOf = (id: Y.ID): string | null => (findStored(id) ?? findIncoming(id))?.parentSub ?? null;

  // Walks up from an item to the cell map that holds it.
  const locate = (start: Y.Item): Located | null => {
    let key: string | null = start.parentSub;
    let metaKey: string | null = null;
    let childSub: string | null = start.parentSub;
    let parent = findStored(start.id) === start ? storedParent(start) : incomingParent(start, 0);
    for (let depth = 0; parent !== null && depth < 1000; depth++) {
      if (parent.type === 'root') {
        return parent.name === CELLS
          ? { cell: findStored(start.id) ?? null, key: null, metaKey: null }
          : null;
      }
      const parentItem = findStored(parent.id) ?? findIncoming(parent.id);
      if (!parentItem) return null;
      const grand = findStored(parent.id) ? storedParent(parentItem) : incomingParent(parentItem, 0);
      if (grand?.type === 'root' && grand.name === CELLS) {
        const stored = findStored(parent.id);
        return { cell: stored ?? null, key, metaKey: key === 'metadata' ? metaKey : null };
      }
      metaKey = childSub;
      childSub = parentItem.parentSub;
      key = parentItem.parentSub ?? subOf(parent.id);
      parent = grand;
    }
    return null;
  };

  const newCellIds = new Set<string>();
  for (const s of structs) {
    if (s instanceof Y.Item && s.parentSub === 'id') {
      const located = locate(s);
      if (located && located.cell === null) newCellIds.add(String(s.content.getContent()[0]));
    }
  }

  const check = (located: Located | null, deleting: boolean): LockViolation | null => {
    if (!located?.cell || !(located.cell.content instanceof Y.ContentType)) return null;
    const cell = located.cell.content.type as YCell;
    const lock = cellLockOf(cell);
    const cellId = cellIdOf(cell);
    if (located.key === null) {
      if (!deleting || lock.deletable || newCellIds.has(cellId)) return null;
      return { cellId, operation: 'delete' };
    }
    if (located.key === 'metadata' && located.metaKey !== null && lockKeys.has(located.metaKey)) {
      return { cellId, operation: 'lock' };
    }
    // Running a locked cell changes its outputs and run state: that is no edit.
    if (codeCellKeys.has(located.key) || lock.editable) return null;
    return { cellId, operation: 'edit' };
  };

  for (const s of structs) {
    if (!(s instanceof Y.Item) || findStored(s.id)) continue;
    const violation = check(locate(s), false);
    if (violation) return violation;
  }
  // Deletions: a deleted cell map deletes its whole content with it, so
  // what lies inside a deleted cell is judged by the cell's own deletion.
  const deleted: { item: Y.Item; located: Located | null }[] = [];
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      for (let c = clock; c < clock + len; ) {
        const item = findStored(Y.createID(client, c));
        if (!item) break;
        if (!item.deleted) deleted.push({ item, located: locate(item) });
        c = item.id.clock + item.length;
      }
    }
  }
  const deletedCells = new Set(deleted.filter((d) => d.located?.key === null).map((d) => d.located!.cell));
  for (const { located } of deleted) {
    if (located && located.key !== null && deletedCells.has(located.cell)) continue;
    const violation = check(located, true);
    if (violation) return violation;
  }
  return null;
}
