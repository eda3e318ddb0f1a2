import type { Identity } from './auth.js';
import type { Room } from './room.js';

/**
 * Extension points of the room life cycle, used by features that live beside
 * the sync core (the classroom: activity copies, deadlines, dashboards). Every
 * hook is optional and must not throw; `canWrite` runs on the hot path of
 * every update and must be synchronous and cheap.
 */
export interface RoomHooks {
  /** A room was loaded from the store, before any member joins it. */
  loaded?(room: Room): void;
  /** A room is about to be freed (unload, deletion, failure); its doc is still readable. */
  unloading?(room: Room): void;
  /**
   * May `identity` change `room` now? False drops its updates the way a
   * viewer's are dropped (for example a pupil's copy after its deadline).
   * Called only for identities whose role may write at all.
   */
  canWrite?(room: Room, identity: Identity): boolean;
}
