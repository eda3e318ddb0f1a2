import { createHash } from 'node:crypto';
import { cellIds, cellsOf, deleteCell, indexOfCell, pasteCell, readCell } from '@candyce/model';
import type { RoomManager } from '@candyce/server';
import * as Y from 'yjs';
import { forkOrigin, mergeTemplate } from './fork.js';

// Pushing a template's correction into its copies, and saying beforehand what
// a push will change. The activity keeps a digest of its template as last
// pushed (at creation: as forked), one hash and a short excerpt per cell, so
// a preview compares the template now with it: cells added, changed, removed.

/** One cell of a pushed template, as the activity remembers it. */
export interface PushedCell {
  readonly id: string;
  readonly type: string;
  /** Hash of the cell's type and source. */
  readonly hash: string;
  /** The start of its source (first non-blank line), for the preview. */
  readonly excerpt: string;
  /**
   * Pushed alone at least once: each copy holds its own cell under this id
   * (not the template's), so later changes reach it by replacing it again.
   */
  readonly alone?: boolean;
}

/** The template as last pushed: when (null: as forked at creation) and its cells. */
export interface PushSnapshot {
  readonly at: string | null;
  readonly cells: readonly PushedCell[];
}

/** A cell in a push preview. */
export interface PreviewCell {
  readonly id: string;
  readonly type: string;
  readonly excerpt: string;
}

/** What a push would change in the copies, compared with the previous push. */
export interface PushPreview {
  /** When the previous push was (null: none since the activity was created). */
  readonly since: string | null;
  readonly added: PreviewCell[];
  readonly changed: PreviewCell[];
  readonly removed: PreviewCell[];
}

const excerptLength = 80;

const excerptOf = (source: string): string => {
  const line = source.split('\n').find((l) => l.trim() !== '') ?? '';
  const text = line.trim();
  return [...text].length > excerptLength ? `${[...text].slice(0, excerptLength - 1).join('')}…` : text;
};

/** Returns the digest of a document's cells, in order (linear in the document's size). */
export const digestCells = (doc: Y.Doc, previous: PushSnapshot | null = null): PushedCell[] => {
  const alone = new Set(previous?.cells.filter((c) => c.alone).map((c) => c.id));
  return cellsOf(doc)
    .toArray()
    .map((cell) => {
      const id = String(cell.get('id') ?? '');
      const type = String(cell.get('cell_type') ?? 'code');
      const source = String(cell.get('source') ?? '');
      const hash = createHash('sha256').update(`${type}\u0000${source}`).digest('base64url').slice(0, 22);
      return { id, type, hash, excerpt: excerptOf(source), ...(alone.has(id) ? { alone: true } : {}) };
    });
};

/** Compares the template now (`current`) with the snapshot of the previous push. */
export const previewPush = (previous: PushSnapshot | null, current: readonly PushedCell[]): PushPreview => {
  const before = new Map((previous?.cells ?? []).map((c) => [c.id, c]));
  const now = new Set(current.map((c) => c.id));
  const view = ({ id, type, excerpt }: PushedCell): PreviewCell => ({ id, type, excerpt });
  return {
    since: previous?.at ?? null,
    added: current.filter((c) => !before.has(c.id)).map(view),
    changed: current.filter((c) => before.has(c.id) && before.get(c.id)!.hash !== c.hash).map(view),
    removed: (previous?.cells ?? []).filter((c) => !now.has(c.id)).map(view),
  };
};

/** Returns the digest of a template room now (loading it if needed). */
export const templateDigest = async (
  rooms: RoomManager,
  template: string,
  previous: PushSnapshot | null,
): Promise<PushedCell[]> => {
  const room = await rooms.acquire(template);
  try {
    return digestCells(room.doc, previous);
  } finally {
    rooms.release(room);
  }
};

/**
 * Makes the cells `ids` of `copy` what they are in `template`: a cell is
 * replaced by the template's (the pupils' edits of it give way) or added,
 * right after the cell it follows in the template; it is deleted when the
 * template no longer has it. Costs one pass over the copy's cells per id. One transaction, by the server (not
 * counted as the pupils' work).
 */
export const replaceCells = (template: Y.Doc, copy: Y.Doc, ids: readonly string[]): void => {
  const order = cellIds(template);
  const options = { origin: forkOrigin, role: 'teacher' as const };
  Y.transact(
    copy,
    () => {
      for (const id of ids) {
        const at = indexOfCell(copy, id);
        const position = order.indexOf(id);
        if (position < 0) {
          if (at >= 0) deleteCell(copy, id, options);
          continue;
        }
        const cell = readCell(template, id);
        if (at >= 0) deleteCell(copy, id, options);
        // Right after the cell it follows in the template (a pupil's own cells may sit between).
        let index = 0;
        for (let k = position - 1; k >= 0; k--) {
          const before = indexOfCell(copy, order[k]!);
          if (before >= 0) {
            index = before + 1;
            break;
          }
        }
        pasteCell(copy, index, cell, options);
      }
    },
    forkOrigin,
  );
};

/** Replaces cells of one copy room with the template's (see {@link replaceCells}); resolves once on disk. */
export const pushCells = async (
  rooms: RoomManager,
  template: string,
  copy: string,
  ids: readonly string[],
): Promise<void> => {
  if (ids.length === 0) return;
  const source = await rooms.acquire(template);
  try {
    const target = await rooms.acquire(copy);
    try {
      replaceCells(source.doc, target.doc, ids);
      await target.whenFlushed();
    } finally {
      rooms.release(target);
    }
  } finally {
    rooms.release(source);
  }
};

/**
 * Pushes the template into one copy: the whole of it (`cells` null: the
 * template's updates the copy lacks merge with the pupils' edits), then the
 * cells once pushed alone that changed since (they are the copy's own cells
 * now); or only the cells `cells`, replaced.
 */
export const pushIntoCopy = async (
  rooms: RoomManager,
  template: string,
  copy: string,
  cells: readonly string[] | null,
  replacedAgain: readonly string[],
): Promise<void> => {
  if (cells === null) {
    await mergeTemplate(rooms, template, copy);
    await pushCells(rooms, template, copy, replacedAgain);
  } else await pushCells(rooms, template, copy, cells);
};

/**
 * The snapshot after a push at `at`: the whole template's digest, or, for a
 * push of some cells, the previous snapshot with those cells updated (marked
 * pushed alone, in the template's order) and the others as they were.
 */
export const nextSnapshot = (
  previous: PushSnapshot | null,
  current: readonly PushedCell[],
  cells: readonly string[] | null,
  at: string,
): PushSnapshot => {
  if (cells === null) return { at, cells: [...current] };
  const chosen = new Set(cells);
  const now = new Set(current.map((c) => c.id));
  const before = new Map((previous?.cells ?? []).map((c) => [c.id, c]));
  const out: PushedCell[] = [];
  for (const cell of current) {
    if (chosen.has(cell.id)) out.push({ ...cell, alone: true });
    else {
      const old = before.get(cell.id);
      if (old) out.push(old);
    }
  }
  // Cells removed from the template but not pushed stay in the snapshot: a later preview still lists them.
  for (const old of previous?.cells ?? []) if (!chosen.has(old.id) && !now.has(old.id)) out.push(old);
  return { at, cells: out };
};

/**
 * What a push does: the cells it changes in the copies (`touched`, which the
 * pupils see highlighted) and, for a whole push, the cells once pushed alone
 * that changed or went since, which are replaced again after the merge.
 */
export const planPush = (
  previous: PushSnapshot | null,
  current: readonly PushedCell[],
  cells: readonly string[] | null,
): { preview: PushPreview; touched: string[]; again: string[] } => {
  const preview = previewPush(previous, current);
  if (cells !== null) return { preview, touched: [...new Set(cells)], again: [] };
  const changed = new Set([...preview.added, ...preview.changed].map((c) => c.id));
  const removed = new Set(preview.removed.map((c) => c.id));
  const again = [
    ...current.filter((c) => c.alone && changed.has(c.id)),
    ...(previous?.cells ?? []).filter((c) => c.alone && removed.has(c.id)),
  ].map((c) => c.id);
  return { preview, touched: [...changed], again };
};
