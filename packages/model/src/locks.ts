import type { Role } from '@candyce/protocol';
import * as Y from 'yjs';
import { CellLockedError } from './errors.js';
import { isPlainObject } from './json.js';
import { cellIdOf, cellMetadataOf, type YCell } from './ydoc.js';

/** The roles of the people who open a notebook, as in Candyce tokens. (defined once in @candyce/protocol). */
export type { Role };

/** The lock state of a cell, as read from its metadata. */
export interface CellLock {
  /** False when the cell's source, type and metadata may not be changed by students. */
  editable: boolean;
  /** False when the cell may not be deleted by students. */
  deletable: boolean;
}

/** The metadata keys whose change locks or unlocks a cell: reserved to teachers. */
export const lockKeys: ReadonlySet<string> = new Set(['editable', 'deletable', 'nbgrader']);

/**
 * Returns the lock of a cell: `editable: false` and `deletable: false` as
 * Jupyter writes them, and `nbgrader.locked: true`, which implies both.
 */
export const cellLockOf = (cell: YCell): CellLock => {
  // A writer may have stored the metadata as a plain object rather than a Y.Map: read both.
  const stored: unknown = cellMetadataOf(cell);
  const md =
    stored instanceof Y.Map
      ? (stored as Y.Map<unknown>)
      : isPlainObject(stored)
        ? new Map(Object.entries(stored))
        : undefined;
  return lockOfMetadata((key) => md?.get(key));
};

const lockOfMetadata = (get: (key: string) => unknown): CellLock => {
  const nbgrader = get('nbgrader');
  const graded = isPlainObject(nbgrader) && nbgrader.locked === true;
  return { editable: !graded && get('editable') !== false, deletable: !graded && get('deletable') !== false };
};

/**
 * Returns true when cell metadata (as plain JSON) carries a lock or grading
 * key: any `nbgrader` entry (`locked`, `grade`, `solution`, `points`,
 * `grade_id`, `task`...), or `editable` / `deletable` with another value than
 * `true`. Students may not create cells that carry them (see the lock guard).
 */
export const carriesLockKeys = (metadata: unknown): boolean => {
  if (!isPlainObject(metadata)) return false;
  return (
    Object.hasOwn(metadata, 'nbgrader') ||
    (Object.hasOwn(metadata, 'editable') && metadata.editable !== true) ||
    (Object.hasOwn(metadata, 'deletable') && metadata.deletable !== true)
  );
};

/** Returns the lock of a cell from its metadata as plain JSON. */
export const lockOfJSON = (metadata: unknown): CellLock =>
  lockOfMetadata((key) => (isPlainObject(metadata) ? metadata[key] : undefined));

/** Returns true when `role` may change the source, type and metadata of `cell`. */
export const canEditCell = (cell: YCell, role: Role): boolean =>
  role === 'teacher' || (role === 'student' && cellLockOf(cell).editable);

/** Returns true when `role` may delete `cell`. */
export const canDeleteCell = (cell: YCell, role: Role): boolean =>
  role === 'teacher' || (role === 'student' && cellLockOf(cell).deletable);

/** Throws a `CellLockedError` unless `role` may edit `cell`. */
export const assertCanEdit = (cell: YCell, role: Role): void => {
  if (!canEditCell(cell, role)) throw new CellLockedError(cellIdOf(cell), 'edit');
};

/** Throws a `CellLockedError` unless `role` may delete `cell`. */
export const assertCanDelete = (cell: YCell, role: Role): void => {
  if (!canDeleteCell(cell, role)) throw new CellLockedError(cellIdOf(cell), 'delete');
};
