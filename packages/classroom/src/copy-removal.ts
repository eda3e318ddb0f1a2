import type { Logger, RoomManager } from '@candyce/server';
import { RoomDeleted } from '@candyce/server';
import type { ActivityState } from './classroom.js';
import type { EventHub } from './events.js';
import type { LiveCopies } from './live.js';
import type { CopyRecord } from './records.js';
import type { ActivityStore } from './store.js';

/** What removing a copy touches. */
export interface RemovalContext {
  readonly rooms: RoomManager;
  readonly store: ActivityStore;
  readonly live: LiveCopies;
  readonly events: EventHub;
  readonly logger: Logger;
  /** Stops the room's server kernel, when the server runs kernels. */
  readonly stopKernel?: (room: string) => void;
}

/**
 * Removes a copy for good, in its activity's turn: its record, grade,
 * comments and hand-ins are deleted, its room is deleted the way
 * `DELETE /api/notebooks/<room>` does (members closed with 4410, tombstone
 * kept, so an offline copy of it is refused with 4409 and never revives it),
 * its kernel stopped, and the dashboards and the pupils' status streams told
 * (a pupil's stream ends). Records go first: a removal that fails half-way
 * leaves a room nobody can reach, never a copy without its room.
 */
export const removeCopy = async (
  ctx: RemovalContext,
  state: ActivityState,
  copy: CopyRecord,
): Promise<void> => {
  await ctx.store.deleteCopy(copy);
  ctx.live.forget(copy);
  state.copies.delete(copy.id);
  try {
    await ctx.rooms.delete(copy.room, RoomDeleted);
  } catch (err) {
    ctx.logger.error({ room: copy.room, err }, 'the room of a removed copy could not be deleted');
  }
  ctx.stopKernel?.(copy.room);
  ctx.events.changed(state.record.id, copy.id);
  ctx.logger.info({ activity: state.record.id, copy: copy.id }, 'copy removed');
};
