import type { IncomingMessage } from 'node:http';
import type { KernelGateway, KernelSession } from '@candyce/kernels';
import { HttpError, langOf } from './http-util.js';

// How many server kernels may run at once. Each is a process of the Jupyter
// server (tens of megabytes, a share of the CPU), and any pupil may start one
// by running a cell of their copy; without a cap, a page that joins an
// activity 200 times and runs a cell in each copy starts 200 kernels.

/** Server kernels that may run at once, overall. */
export const defaultMaxKernels = 40;

/** Server kernels that may run at once in one activity's rooms (its template and copies). */
export const defaultMaxKernelsPerActivity = 36;

/** Thrown by {@link KernelBudget.take} when a room may not start a kernel now. */
export class KernelBudgetFull extends Error {
  override readonly name = 'KernelBudgetFull';
  constructor(
    /** Which cap was reached: the whole server's or the room's activity's. */
    readonly scope: 'server' | 'activity',
    readonly limit: number,
  ) {
    super(`${scope === 'server' ? 'Server' : 'Activity'} kernel limit reached (${limit})`);
  }
}

/**
 * The kernels of the server's rooms, counted: a room holds one place from the
 * run that starts its kernel until that kernel stops (idle shutdown, room
 * deleted, server shutdown, failed start). Rooms of one group (the
 * classroom's activity, by the features' kernel policies) also count
 * against that group's cap; other rooms only overall.
 */
export class KernelBudget {
  private readonly holders = new Map<string, string | null>();
  private readonly perGroup = new Map<string, number>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerActivity: number,
    /** The group (activity) of a room, whose cap it also counts against; null for none. */
    private readonly groupOf: (room: string) => string | null = () => null,
  ) {}

  /** Rooms holding a place now. */
  get size(): number {
    return this.holders.size;
  }

  /** True when `room` holds a place. */
  holds(room: string): boolean {
    return this.holders.has(room);
  }

  /** Takes a place for `room` (nothing when it holds one); throws {@link KernelBudgetFull} when none is left. */
  take(room: string): void {
    if (this.holders.has(room)) return;
    const group = this.groupOf(room);
    if (this.holders.size >= this.maxTotal) throw new KernelBudgetFull('server', this.maxTotal);
    const inGroup = group === null ? 0 : (this.perGroup.get(group) ?? 0);
    if (group !== null && inGroup >= this.maxPerActivity)
      throw new KernelBudgetFull('activity', this.maxPerActivity);
    this.holders.set(room, group);
    if (group !== null) this.perGroup.set(group, inGroup + 1);
  }

  /** Gives back the place of `room`, if it holds one. */
  release(room: string): void {
    if (!this.holders.has(room)) return;
    const group = this.holders.get(room) ?? null;
    this.holders.delete(room);
    if (group === null) return;
    const left = (this.perGroup.get(group) ?? 1) - 1;
    if (left > 0) this.perGroup.set(group, left);
    else this.perGroup.delete(group);
  }
}

/** A gateway that tells whether its room's kernel is starting or running, and when it stops. */
export interface WatchedGateway extends KernelGateway {
  /** True from a start until that kernel stops or fails to start. */
  readonly live: boolean;
}

/**
 * Wraps the gateway of one room so that the budget knows when the room's
 * kernel stops: `onStopped` runs when a start fails and when the kernel is
 * shut down (the lazy kernel's idle shutdown, a stop).
 */
export const watchGateway = (gateway: KernelGateway, onStopped: () => void): WatchedGateway => {
  let live = false;
  const stopped = () => {
    live = false;
    onStopped();
  };
  return {
    name: gateway.name,
    get live() {
      return live;
    },
    async startKernel(kernelName, start) {
      live = true;
      let session: KernelSession;
      try {
        session = await gateway.startKernel(kernelName, start);
      } catch (err) {
        stopped();
        throw err;
      }
      let done = false;
      const shutdown = async () => {
        if (!done) {
          done = true;
          stopped();
        }
        await session.shutdown();
      };
      // The gateway's own object, untouched: only its shutdown is seen on the way.
      return new Proxy(session, {
        get(target, key) {
          if (key === 'shutdown') return shutdown;
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
};

/**
 * Returns the HTTP error of a refused start, in the request's language:
 * 429 when the activity's cap is reached (the class's share), 503 when the
 * server's is, both with code `kernels-busy` and `retryAfter` (seconds); null for
 * any other error.
 */
export const kernelBudgetError = (req: IncomingMessage, err: unknown): HttpError | null => {
  if (!(err instanceof KernelBudgetFull)) return null;
  const lang = langOf(req);
  const n = String(err.limit);
  const text =
    err.scope === 'activity'
      ? lang === 'fr'
        ? `Trop de noyaux Python tournent déjà dans cette activité (${n} au plus) : réessayez dans quelques minutes, ou exécutez dans le navigateur.`
        : `Too many Python kernels are already running in this activity (at most ${n}): try again in a few minutes, or run in the browser.`
      : lang === 'fr'
        ? `Le serveur fait déjà tourner autant de noyaux Python qu’il le peut (${n}) : réessayez dans quelques minutes, ou exécutez dans le navigateur.`
        : `The server already runs as many Python kernels as it can (${n}): try again in a few minutes, or run in the browser.`;
  return new HttpError(err.scope === 'activity' ? 429 : 503, text, { code: 'kernels-busy', retryAfter: 60 });
};
