/**
 * Thrown by `importIpynb` when a notebook does not have the nbformat 4 shape.
 * `path` locates the problem (`cells[3].source`), `problem` says what is wrong;
 * the message joins them. The document is left untouched.
 */
export class NotebookFormatError extends Error {
  override readonly name = 'NotebookFormatError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** The operations that cell locks can refuse. */
export type LockedOperation = 'edit' | 'delete' | 'lock';

/**
 * Thrown when a cell's lock (`editable: false`, `deletable: false`,
 * `nbgrader.locked: true`) refuses an operation to someone who is not a teacher.
 */
export class CellLockedError extends Error {
  override readonly name = 'CellLockedError';
  constructor(
    readonly cellId: string,
    readonly operation: LockedOperation,
  ) {
    super(`Cell ${cellId} is locked: ${operation} is reserved to teachers`);
  }
}

/** Thrown when an operation names a cell id that is not in the notebook. */
export class CellNotFoundError extends Error {
  override readonly name = 'CellNotFoundError';
  constructor(readonly cellId: string) {
    super(`No cell with id ${JSON.stringify(cellId)} in this notebook`);
  }
}

/** Thrown when a viewer (or a read-only session) tries to change a notebook. */
export class ReadOnlyError extends Error {
  override readonly name = 'ReadOnlyError';
  constructor() {
    super('This notebook is read-only for viewers');
  }
}

/**
 * Thrown by `findLockViolation` for an update that refers to history neither
 * the document nor the update holds: where it would land cannot be known, so
 * it cannot be checked (Yjs would keep it aside and apply it later, unchecked).
 */
export class UnresolvedUpdateError extends Error {
  override readonly name = 'UnresolvedUpdateError';
  constructor() {
    super('The update depends on changes this document does not have; resync first');
  }
}
