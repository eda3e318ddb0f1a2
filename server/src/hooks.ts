import type { Identity } from './auth.js';
import type { Room } from './room.js';

/**
 * What the sync core tells the features of a room's life (the server passes
 * its {@link FeatureSet}, which fans each call out to the features behind a
 * guard). Every hook is optional and must not throw; `canWrite` runs on the
 * hot path of every update and must be synchronous and cheap.
 */
export interface RoomHooks {
  /** A room was loaded from the store, before any member joins it. */
  loaded?(room: Room): void;
  /** A room is about to be freed (unload, deletion, failure); its doc is still readable. */
  unloading?(room: Room): void;
  /** A room was deleted from the store. */
  deleted?(name: string): void;
  /** True when `updated` wants to be called (finding authors costs a little on every write). */
  readonly listensToUpdates?: boolean;
  /** An update is stored, before it is broadcast; `author` is null for the server's own writes. */
  updated?(room: Room, update: Uint8Array, author: Identity | null): void;
  /** Someone joined the room over the sync protocol. */
  joined?(room: Room, identity: Identity): void;
  /** Someone left it. */
  left?(room: Room, identity: Identity): void;
  /** The log entries `from <= seq < to` are about to be merged into a snapshot. */
  compacting?(room: Room, from: number, to: number): void;
  /**
   * May `identity` change `room` now? False drops its updates the way a
   * viewer's are dropped (for example a pupil's copy after its deadline).
   * Called only for identities whose role may write at all.
   */
  canWrite?(room: Room, identity: Identity): boolean;
}

/**
 * The author a transaction origin names: a connection's identity, or the
 * `author` of an origin object that carries one (`{ author }`), else null.
 */
export const authorOf = (origin: unknown): Identity | null => {
  if (typeof origin !== 'object' || origin === null) return null;
  const { identity, author } = origin as { identity?: Identity | null; author?: Identity | null };
  return identity ?? author ?? null;
};
