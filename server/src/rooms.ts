import type { RoomDeleted } from './close-codes.js';
import { Room, type RoomContext } from './room.js';

/**
 * The rooms of a server: loaded on first use, unloaded (flushed and
 * compacted) after an idle delay with nobody using them, so memory holds only
 * the rooms in use however many are on disk. Loads, unloads and deletions of
 * one room never overlap.
 */
export class RoomManager {
  private readonly loaded = new Map<string, Promise<Room>>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly idleTimers = new Map<Room, NodeJS.Timeout>();

  constructor(private readonly ctx: RoomContext) {}

  /** Number of rooms in memory. */
  get size(): number {
    return this.loaded.size;
  }

  /** Resolves to true when the store holds a room of that name. */
  exists(name: string): Promise<boolean> {
    return this.ctx.store.exists(name);
  }

  /** Returns the room if it is loaded and usable, without loading it. */
  async peek(name: string): Promise<Room | null> {
    const room = await this.loaded.get(name)?.catch(() => null);
    return room && !room.closing ? room : null;
  }

  /**
   * Resolves to the room, loading it on first use, and counts one user of it:
   * call {@link release} once done. Rejects when the store cannot load it.
   */
  async acquire(name: string): Promise<Room> {
    for (;;) {
      const pending = this.busy.get(name);
      if (pending) {
        await pending;
        continue;
      }
      let loading = this.loaded.get(name);
      if (!loading) {
        loading = Room.load(name, this.ctx);
        this.loaded.set(name, loading);
        loading.then(
          (room) => {
            this.ctx.metrics.roomsLoaded.inc();
            room.onFailure = (failed) => this.evict(failed);
            this.ctx.hooks?.loaded?.(room);
          },
          () => this.loaded.delete(name),
        );
      }
      const room = await loading;
      if (room.closing) {
        // Failed or unloading between our turns: wait for it to go, then load again.
        await this.busy.get(name);
        if (this.loaded.get(name) === loading) this.loaded.delete(name);
        continue;
      }
      room.refs++;
      const timer = this.idleTimers.get(room);
      if (timer) {
        clearTimeout(timer);
        this.idleTimers.delete(room);
      }
      return room;
    }
  }

  /** Ends one use of the room; the last one starts the idle delay before unloading. */
  release(room: Room): void {
    room.refs--;
    if (room.refs > 0 || room.closing) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(room);
      if (room.refs === 0 && !room.closing) void this.unload(room);
    }, this.ctx.timings.idleUnloadMs);
    timer.unref();
    this.idleTimers.set(room, timer);
  }

  /** Flushes, compacts and frees a room. Failures are logged: its writers keep their copies. */
  async unload(room: Room): Promise<void> {
    await this.retire(room, async () => {
      room.closing = true;
      try {
        await room.whenFlushed();
        if (room.hasLog) {
          room.requestCompaction();
          await room.whenFlushed();
        }
      } catch (err) {
        this.ctx.logger.error({ room: room.name, err }, 'room could not be flushed on unload');
      }
    });
  }

  /**
   * Deletes a room: closes its members with `code`, removes it from the store
   * and records its final state vector in the tombstone, so that copies of this
   * epoch are refused once the room is re-created. Resolves to false when no
   * such room exists.
   */
  async delete(name: string, code: typeof RoomDeleted): Promise<boolean> {
    if (!(await this.ctx.store.exists(name)) && !this.loaded.has(name)) return false;
    const room = await this.acquire(name);
    room.refs--;
    await this.retire(room, async () => {
      room.closing = true;
      room.closeMembers(code);
      await room.whenFlushed().catch(() => undefined);
      await this.ctx.store.delete(name, room.stateVector());
      await this.ctx.deleted?.(name);
      this.ctx.hooks?.deleted?.(name);
    });
    return true;
  }

  /** Unloads every room (server shutdown). */
  async closeAll(): Promise<void> {
    const rooms = await Promise.all([...this.loaded.values()].map((p) => p.catch(() => null)));
    await Promise.all(rooms.map((room) => (room ? this.unload(room) : undefined)));
  }

  private evict(room: Room): void {
    void this.retire(room, async () => undefined);
  }

  private async retire(room: Room, work: () => Promise<void>): Promise<void> {
    const previous = this.busy.get(room.name);
    if (previous) await previous;
    if (room.destroyed) return;
    const timer = this.idleTimers.get(room);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(room);
    const done = (async () => {
      try {
        await work();
      } finally {
        this.ctx.hooks?.unloading?.(room);
        if (this.loaded.has(room.name)) {
          const current = await this.loaded.get(room.name)!.catch(() => null);
          if (current === room) {
            this.loaded.delete(room.name);
            this.ctx.metrics.roomsLoaded.dec();
          }
        }
        room.destroy();
      }
    })();
    this.busy.set(room.name, done);
    try {
      await done;
    } finally {
      if (this.busy.get(room.name) === done) this.busy.delete(room.name);
    }
  }
}
