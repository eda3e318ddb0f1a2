import type { RoomManager } from '@candyce/server';
import * as Y from 'yjs';

/**
 * Transaction origin of the classroom's merges of a template into a copy: the
 * statistics of the copy ignore them (they are not the pupil's work).
 */
export const forkOrigin = { kind: 'server', reason: 'classroom-fork' } as const;

/**
 * Merges the template's history into a copy: the whole of it when the copy
 * is new (a fork that keeps the template's history), afterwards only the
 * updates the copy lacks (a push), which then merge with the pupil's own
 * edits as any concurrent edits do. Resolves once the copy is on disk.
 */
export const mergeTemplate = async (rooms: RoomManager, template: string, copy: string): Promise<void> => {
  const source = await rooms.acquire(template);
  try {
    const target = await rooms.acquire(copy);
    try {
      const missing = Y.encodeStateAsUpdate(source.doc, Y.encodeStateVector(target.doc));
      Y.applyUpdate(target.doc, missing, forkOrigin);
      // The template's document_id came along; the copy keeps its own epoch.
      target.stampEpoch();
      await target.whenFlushed();
    } finally {
      rooms.release(target);
    }
  } finally {
    rooms.release(source);
  }
};
