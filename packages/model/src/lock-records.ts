import * as Y from 'yjs';
import { isPlainObject } from './json.js';
import { idKey, isMoveRecord, type LineageRecord, rootOf } from './lineage.js';
import type { LockViolation } from './lock-guard.js';
import { cellIdOf, type YCell } from './ydoc.js';

// Lineage records are the pupil's word too: every peer's repair keeps one live
// cell per lineage and drops the others, so a forged record that put a pupil's
// cell into a locked cell's lineage would make the teacher's own browser
// delete the locked cell. A student's move record must describe a move it
// makes in the same update: its clone is new, carries the id of its lineage
// (so the lock guard compares it with the locked cell), and its root is the
// one the server already knows for the cell it moves. A drop record must name
// a cell that is gone.

/** What {@link checkRecords} needs to know about the document and the update. */
export interface RecordContext {
  /** The server's lineage records, before the update. */
  moves: Y.Map<LineageRecord>;
  /** The server's cells, before the update. */
  cells: Y.Array<YCell>;
  /** The new cell map that the update creates at this `client:clock` key, if any. */
  newCell: (key: string) => Y.Item | undefined;
  /** The ids the update gives to its new cells. */
  idOfNew: ReadonlyMap<Y.Item, string>;
  /** True when the cell map at this key is deleted, before or by the update. */
  gone: (key: string) => boolean;
}

/** Returns the first record of `records` (written by a student) that lies about a lineage, as a lock violation. */
export const checkRecords = (
  records: { key: string | null; value: unknown; typed: boolean }[],
  ctx: RecordContext,
): LockViolation | null => {
  if (records.length === 0) return null;
  const written = new Map<string, unknown>();
  for (const r of records) if (r.key !== null) written.set(r.key, r.value);
  // The root of a key as the update leaves it: its own records first, then the server's.
  const rootWith = (key: string): string => {
    const seen = new Set<string>();
    let current = key;
    while (written.has(current) && !seen.has(current)) {
      const record = written.get(current) as LineageRecord | undefined;
      if (!isPlainObject(record) || !isMoveRecord(record)) return current;
      if (typeof record.root === 'string') return record.root;
      seen.add(current);
      current = String(record.from);
    }
    return rootOf(ctx.moves, current);
  };
  let lineageIds: Map<string, Set<string>> | null = null;
  const idsOfLineage = (root: string): Set<string> => {
    if (!lineageIds) {
      lineageIds = new Map();
      for (const cell of ctx.cells) {
        if (!(cell instanceof Y.Map) || !cell._item) continue;
        const r = rootOf(ctx.moves, idKey(cell._item.id));
        const set = lineageIds.get(r) ?? new Set<string>();
        set.add(cellIdOf(cell));
        lineageIds.set(r, set);
      }
    }
    return lineageIds.get(root) ?? new Set();
  };
  for (const { key, value, typed } of records) {
    if (value === undefined && !typed) continue; // a deleted entry (pruning)
    const record = value as Record<string, unknown>;
    const cellId = isPlainObject(record) && typeof record.cell === 'string' ? record.cell : String(key);
    const refused: LockViolation = { cellId, operation: 'lock' };
    if (typed || key === null || !isPlainObject(record)) return refused;
    if (record.kind === 'replay') continue;
    if (typeof record.from !== 'string') return refused;
    if (record.kind === 'drop') {
      if (key !== `drop:${record.from}` || !ctx.gone(record.from)) return refused;
      continue;
    }
    if (record.kind !== undefined && record.kind !== 'move') return refused;
    if (key !== record.to) return refused;
    const root = rootWith(record.from);
    if (record.root !== undefined && record.root !== root) return refused;
    // A clone the update moves again (and so deletes) only passes its root on, checked above.
    if (ctx.gone(key)) continue;
    const clone = ctx.newCell(key);
    if (!clone || ctx.idOfNew.get(clone) !== record.cell) return refused;
    for (const id of idsOfLineage(root)) if (id !== record.cell) return refused;
  }
  return null;
};
