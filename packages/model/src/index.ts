// @candyce/model — the notebook as a Y.Doc (jupyter_ydoc schema 2.0.0).
// This file is the public API at a glance.

export {
  cellCount,
  cellIds,
  copyCell,
  deleteCell,
  findCell,
  getCell,
  indexOfCell,
  insertCell,
  type NewCell,
  pasteCell,
  readCell,
  setCellLock,
  setCellMetadata,
  setCellSource,
  setCellType,
  setNotebookMetadata,
} from './cells.js';
export type { EditOptions } from './edit-options.js';
export {
  CellLockedError,
  CellNotFoundError,
  type LockedOperation,
  NotebookFormatError,
  ReadOnlyError,
  UnresolvedUpdateError,
} from './errors.js';
export { cellIdPattern, isValidCellId, newCellId } from './ids.js';
export { exportIpynb, readCells, readNotebook, splitLines, stringifyIpynb } from './ipynb-export.js';
export { importIpynb } from './ipynb-import.js';
export { isJSONMime, parseIpynb } from './ipynb-parse.js';
export type {
  Cell,
  CellType,
  DisplayDataOutput,
  ErrorOutput,
  ExecuteResultOutput,
  MimeBundle,
  Notebook,
  Output,
  StreamOutput,
} from './ipynb-types.js';
export type { JSONObject, JSONValue } from './json.js';
export { type NotebookKernelspec, setNotebookKernel } from './kernel-metadata.js';
export {
  type LineageRecord,
  MOVES,
  type MoveRecord,
  movesOf,
} from './lineage.js';
export {
  findLockViolation,
  type InspectOptions,
  inspectUpdate,
  type LockViolation,
  type UpdateVerdict,
} from './lock-guard.js';
export {
  assertCanDelete,
  assertCanEdit,
  type CellLock,
  canDeleteCell,
  canEditCell,
  cellLockOf,
  type Role,
} from './locks.js';
export {
  isMoveTransaction,
  moveCell,
  retypeCell,
} from './move.js';
export { type NotebookChange, observeNotebook } from './observe.js';
export {
  isNotebookOrigin,
  kernelOrigin,
  localOrigin,
  type NotebookOrigin,
  remoteOrigin,
  serverOrigin,
  transact,
} from './origin.js';
export {
  appendOutput,
  appendStreamText,
  clearOutputs,
  readOutputs,
  setExecutionCount,
  setExecutionState,
  setOutputs,
} from './outputs.js';
export { type WatchOptions, watchNotebook } from './repair.js';
export { createUndoManager, type NotebookUndoManager, type UndoOptions } from './undo.js';
export { type UpdateSize, updateSize } from './update-size.js';
export {
  CELLS,
  cellFromY,
  cellIdOf,
  cellMetadataOf,
  cellsOf,
  cellToY,
  cellTypeOf,
  META,
  metaOf,
  notebookMetadataOf,
  outputFromY,
  outputsOf,
  STATE,
  sourceOf,
  stateOf,
  type YCell,
} from './ydoc.js';
