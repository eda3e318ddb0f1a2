import * as Y from 'yjs';

/**
 * Decodes `update` completely (throwing when it is not a valid Yjs update, so
 * that nothing invalid reaches a room's document) and returns the first
 * client id in it that wrote to a deleted epoch of the room, or null when the
 * update is clean. Any struct of a tombstoned client is stale: a new epoch
 * starts from new documents, whose client ids are fresh random numbers, so
 * only an offline copy of the deleted notebook can carry them.
 */
export const staleClient = (update: Uint8Array, tombstone: ReadonlyMap<number, number>): number | null => {
  const { from } = Y.parseUpdateMeta(update);
  for (const client of from.keys()) if (tombstone.has(client)) return client;
  return null;
};
