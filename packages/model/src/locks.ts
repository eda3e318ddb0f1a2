import { CellLockedError } from './errors.js';
import { isPlainObject } from './json.js';
import { cellIdOf, cellMetadataOf, type YCell } from './ydoc.js';

/** The roles of the people who open a notebook, as in Candyce tokens. */
export type Role = 'teacher' | 'student' | 'viewer';

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
  const md = cellMetadataOf(cell);
  const nbgrader = md?.get('nbgrader');
  const graded = isPlainObject(nbgrader) && nbgrader.locked === true;
  return {
    editable: !graded && md?.get('editable') !== false,
    deletable: !graded && md?.get('deletable') !== false,
  };
};

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
