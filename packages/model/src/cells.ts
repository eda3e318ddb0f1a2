import type * as Y from 'yjs';
import { type EditOptions, resolveEdit } from './edit-options.js';
import { CellLockedError, CellNotFoundError } from './errors.js';
import { isValidCellId, newCellId } from './ids.js';
import type { Cell, CellType } from './ipynb-types.js';
import { cloneJSON, type JSONValue } from './json.js';
import { assertCanDelete, assertCanEdit, lockKeys } from './locks.js';
import { retypeCell } from './move.js';
import { transact } from './origin.js';
import {
  cellFromY,
  cellIdOf,
  cellMetadataOf,
  cellsOf,
  cellToY,
  notebookMetadataOf,
  sourceOf,
  type YCell,
} from './ydoc.js';

/** What a new cell may say about itself; everything is optional but its type. */
export interface NewCell {
  cell_type: CellType;
  source?: string;
  metadata?: { [key: string]: JSONValue };
  id?: string;
}

/** Returns the number of cells. */
export const cellCount = (doc: Y.Doc): number => cellsOf(doc).length;

/** Returns the ids of the cells, in order. */
export const cellIds = (doc: Y.Doc): string[] => cellsOf(doc).map(cellIdOf);

/** Returns the index of the first cell with `id`, or -1. */
export const indexOfCell = (doc: Y.Doc, id: string): number => {
  const cells = cellsOf(doc);
  for (let i = 0; i < cells.length; i++) if (cellIdOf(cells.get(i)) === id) return i;
  return -1;
};

/** Returns the stored cell with `id`, or undefined. */
export const findCell = (doc: Y.Doc, id: string): YCell | undefined => {
  const i = indexOfCell(doc, id);
  return i < 0 ? undefined : cellsOf(doc).get(i);
};

/** Returns the stored cell with `id`; throws a `CellNotFoundError` when there is none. */
export const getCell = (doc: Y.Doc, id: string): YCell => {
  const cell = findCell(doc, id);
  if (!cell) throw new CellNotFoundError(id);
  return cell;
};

/** Returns the cell with `id` as plain JSON (for a clipboard, a diff, a test). */
export const readCell = (doc: Y.Doc, id: string): Cell => cellFromY(getCell(doc, id));

const checkIndex = (index: number, max: number, what: string): void => {
  if (!Number.isInteger(index) || index < 0 || index > max) {
    throw new RangeError(
      `${what} ${index} is out of range for a notebook of ${max} insert positions (0..${max})`,
    );
  }
};

const checkId = (id: string | undefined): void => {
  if (id !== undefined && !isValidCellId(id)) {
    throw new RangeError(
      `Cell id ${JSON.stringify(id)} is not 1 to 64 characters among a-z, A-Z, 0-9, - and _`,
    );
  }
};

// A student's new cell carries no lock or grading keys (a copy of a locked
// cell is the pupil's own, and the server refuses new cells that carry them).
const unlockedFor = <T extends { [key: string]: JSONValue }>(role: string, metadata: T): T => {
  if (role === 'teacher') return metadata;
  for (const key of lockKeys) delete metadata[key];
  return metadata;
};

/**
 * Inserts a new cell at `index` (0 to the number of cells) and returns its id.
 * A given id is kept if no other cell has it; otherwise a new one is made.
 * For anyone but a teacher, lock and grading keys are left out of the metadata.
 */
export function insertCell(doc: Y.Doc, index: number, cell: NewCell, options?: EditOptions): string {
  const { origin, role } = resolveEdit(options);
  return transact(doc, origin, () => {
    checkIndex(index, cellCount(doc), 'Index');
    checkId(cell.id);
    const id = cell.id !== undefined && indexOfCell(doc, cell.id) < 0 ? cell.id : newCellId();
    const full: Cell = {
      id,
      cell_type: cell.cell_type,
      source: cell.source ?? '',
      metadata: unlockedFor(role, cloneJSON(cell.metadata ?? {})),
    };
    if (cell.cell_type === 'code') {
      full.outputs = [];
      full.execution_count = null;
    }
    cellsOf(doc).insert(index, [cellToY(full)]);
    return id;
  });
}

/**
 * Inserts a copy of a cell (as read by `readCell`, possibly from another
 * notebook) at `index`, under a new id unless its id is free. Outputs and
 * attachments come along, lock and grading keys only for a teacher; returns
 * the id of the pasted cell.
 */
export function pasteCell(doc: Y.Doc, index: number, cell: Cell, options?: EditOptions): string {
  const { origin, role } = resolveEdit(options);
  return transact(doc, origin, () => {
    checkIndex(index, cellCount(doc), 'Index');
    checkId(cell.id);
    const copy = cloneJSON(cell);
    copy.metadata = unlockedFor(role, copy.metadata);
    copy.id = indexOfCell(doc, cell.id) < 0 ? cell.id : newCellId();
    cellsOf(doc).insert(index, [cellToY(copy)]);
    return copy.id;
  });
}

/** Inserts a duplicate of the cell `id` right below it, with a new id; returns that id. */
export function copyCell(doc: Y.Doc, id: string, options?: EditOptions): string {
  const index = indexOfCell(doc, id);
  if (index < 0) throw new CellNotFoundError(id);
  return pasteCell(doc, index + 1, { ...readCell(doc, id), id: newCellId() }, options);
}

/** Deletes the cell `id`. Refused (`CellLockedError`) for a student when the cell is not deletable. */
export function deleteCell(doc: Y.Doc, id: string, options?: EditOptions): void {
  const { origin, role } = resolveEdit(options);
  transact(doc, origin, () => {
    const index = indexOfCell(doc, id);
    if (index < 0) throw new CellNotFoundError(id);
    assertCanDelete(cellsOf(doc).get(index), role);
    cellsOf(doc).delete(index, 1);
  });
}

/** Replaces the whole source of the cell `id` (editors bind to the Y.Text instead). */
export function setCellSource(doc: Y.Doc, id: string, source: string, options?: EditOptions): void {
  const { origin, role } = resolveEdit(options);
  transact(doc, origin, () => {
    const cell = getCell(doc, id);
    assertCanEdit(cell, role);
    const text = sourceOf(cell);
    if (text.toString() === source) return;
    text.delete(0, text.length);
    text.insert(0, source);
  });
}

/**
 * Changes the type of the cell `id`, keeping its source, metadata and id. The
 * cell is replaced by a new one at the same place, as JupyterLab does (a
 * JupyterLab client in the room builds its view of a cell once, from its
 * type); concurrent edits and undo histories follow it as they do for moves.
 * Outputs are dropped when it stops being a code cell, attachments when it
 * becomes one.
 */
export function setCellType(doc: Y.Doc, id: string, type: CellType, options?: EditOptions): void {
  const { role } = resolveEdit(options);
  assertCanEdit(getCell(doc, id), role);
  retypeCell(doc, id, type, options);
}

/** Sets (or with `undefined`, deletes) one metadata key of the cell `id`. */
export function setCellMetadata(
  doc: Y.Doc,
  id: string,
  key: string,
  value: JSONValue | undefined,
  options?: EditOptions,
): void {
  const { origin, role } = resolveEdit(options);
  transact(doc, origin, () => {
    const cell = getCell(doc, id);
    assertCanEdit(cell, role);
    if (lockKeys.has(key) && role !== 'teacher') throw new CellLockedError(id, 'lock');
    const md = cellMetadataOf(cell);
    if (value === undefined) md.delete(key);
    else md.set(key, cloneJSON(value));
  });
}

/**
 * Locks or unlocks the cell `id` (teachers only): `editable` and `deletable`
 * are written as Jupyter does, and `nbgrader.locked` is kept in step when the
 * cell carries nbgrader metadata, whose other keys are preserved.
 */
export function setCellLock(
  doc: Y.Doc,
  id: string,
  lock: { editable: boolean; deletable: boolean },
  options?: EditOptions,
): void {
  const { origin, role } = resolveEdit(options);
  if (role !== 'teacher') throw new CellLockedError(id, 'lock');
  transact(doc, origin, () => {
    const md = cellMetadataOf(getCell(doc, id));
    if (lock.editable) md.delete('editable');
    else md.set('editable', false);
    if (lock.deletable) md.delete('deletable');
    else md.set('deletable', false);
    const nbgrader = md.get('nbgrader');
    if (nbgrader && typeof nbgrader === 'object' && !Array.isArray(nbgrader)) {
      md.set('nbgrader', { ...nbgrader, locked: !lock.editable });
    }
  });
}

/** Sets (or with `undefined`, deletes) one key of the notebook's metadata. */
export function setNotebookMetadata(
  doc: Y.Doc,
  key: string,
  value: JSONValue | undefined,
  options?: EditOptions,
): void {
  const { origin } = resolveEdit(options);
  transact(doc, origin, () => {
    const md = notebookMetadataOf(doc);
    if (value === undefined) md.delete(key);
    else md.set(key, cloneJSON(value));
  });
}
