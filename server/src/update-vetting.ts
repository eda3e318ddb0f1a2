import { inspectUpdate, updateSize } from '@candyce/model';
import type { Identity } from './auth.js';
import type { CloseCode } from './close-codes.js';
import * as closeCodes from './close-codes.js';
import type { Limits } from './config.js';
import type { Logger } from './logger.js';
import { heapCostOf, overBudget, structsOf } from './memory-budget.js';
import type { Metrics } from './metrics.js';
import type { Room } from './room.js';

// What is checked on a WebSocket update before Yjs sees it, beyond the frame
// itself: for a student, the struct cap (counted from the bytes, before
// anything is built), the cell locks (see the model's lock guard) and the
// size of a pupil's copy; for everyone, the process memory budget.

/** What vetting needs from the connection's server. */
export interface VettingContext {
  readonly limits: Limits;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * Returns the close code that refuses `update` from `identity` in `room`, or
 * null when it may be applied. Refusals are counted and logged here. Throws on
 * bytes that are not a Yjs update (the caller closes as malformed).
 */
export const vetUpdate = (
  room: Room,
  update: Uint8Array,
  identity: Identity,
  ctx: VettingContext,
): CloseCode | null => {
  const { limits, metrics, logger } = ctx;
  const refuse = (kind: string, code: CloseCode, details: Record<string, unknown> = {}): CloseCode => {
    metrics.errors.inc({ kind });
    logger.warn({ room: room.name, user: identity.sub, ...details }, code.reason);
    return code;
  };
  // Counted from the bytes first: the cheap refusals come before anything is decoded.
  const size = updateSize(update, identity.role === 'student' ? limits.maxStudentUpdateStructs : undefined);
  const structs = size.structs + size.deleteRanges;
  if (identity.role === 'student') {
    if (structs > limits.maxStudentUpdateStructs)
      return refuse('too_many_structs', closeCodes.TooManyStructs, { structs });
    if (
      room.size + update.length > limits.maxStudentDocumentBytes ||
      structsOf(room.doc) + structs > limits.maxStudentDocumentStructs
    )
      return refuse('student_document_too_large', closeCodes.StudentDocumentTooLarge, { structs });
  }
  if (overBudget(limits, heapCostOf(update.length, structs)))
    return refuse('memory_budget', closeCodes.MemoryBudgetReached, { structs });
  if (identity.role !== 'student') return null;
  // Deletion ranges are a few bytes each but may cover a whole document: what they cover is capped too.
  const verdict = inspectUpdate(room.doc, update, 'student', {
    maxDeletedStructs: 5 * limits.maxStudentUpdateStructs,
  });
  if (verdict.ok) return null;
  if (verdict.reason === 'unresolved') return refuse('uncheckable_update', closeCodes.UncheckableUpdate);
  if (verdict.reason === 'locked')
    return refuse('locked_cell', closeCodes.CellLocked, { ...verdict.violation });
  return refuse('too_many_structs', closeCodes.TooManyStructs, { structs });
};
