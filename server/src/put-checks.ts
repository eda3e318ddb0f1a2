import { findLockViolation, importIpynb, updateSize } from '@candyce/model';
import * as Y from 'yjs';
import type { Identity } from './auth.js';
import type { Limits } from './config.js';
import { HttpError } from './http-util.js';
import { heapCostOf, overBudget, structsOf } from './memory-budget.js';
import type { Room } from './room.js';

// What a PUT of a whole notebook must pass before it replaces a room's
// content: the same rules as a WebSocket update. The import is made on a
// scratch copy of the room and the resulting update is judged by the lock
// guard, so a pupil re-uploading their copy keeps it only if every locked cell
// comes back unchanged (a move is fine, outputs are theirs).

/**
 * Throws the HTTP error that refuses `notebook` (already parsed as valid)
 * from `identity` in `room`: 409 `cell-locked` when a student's import would
 * change, delete or create a locked cell, 413 `document-too-large` past a
 * pupil's copy's limits, 503 `memory-budget` past the process's budget.
 */
export const checkPut = (room: Room, notebook: unknown, identity: Identity, limits: Limits): void => {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.doc));
  const sv = Y.encodeStateVector(scratch);
  importIpynb(scratch, notebook);
  const update = Y.encodeStateAsUpdate(scratch, sv);
  const { structs } = updateSize(update);
  scratch.destroy();
  if (identity.role === 'student') {
    const violation = findLockViolation(room.doc, update, 'student');
    if (violation)
      throw new HttpError(
        409,
        `Cellule verrouillée ${violation.cellId} : seul un enseignant peut la modifier, la supprimer ou changer ses verrous (${violation.operation}). ` +
          `Locked cell ${violation.cellId}: only a teacher may change, delete or relock it (${violation.operation}).`,
        { code: 'cell-locked', cell_id: violation.cellId, operation: violation.operation },
      );
    if (
      room.size + update.length > limits.maxStudentDocumentBytes ||
      structsOf(room.doc) + structs > limits.maxStudentDocumentStructs
    )
      throw new HttpError(
        413,
        "Notebook trop grand pour la copie d'un élève. Notebook too large for a pupil's copy.",
        { code: 'document-too-large' },
      );
  }
  if (overBudget(limits, heapCostOf(update.length, structs)))
    throw new HttpError(
      503,
      'Mémoire du serveur pleine : le notebook n’a pas été enregistré, réessayez plus tard. Server memory budget reached: the notebook was not saved; try again later.',
      { code: 'memory-budget' },
    );
};
