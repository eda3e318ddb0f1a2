import { AuthError, type Authenticator, type Identity } from '../auth.js';
import type { RoomHooks } from '../hooks.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Room } from '../room.js';
import { namespaceProblem } from '../store.js';
import { createEventBus, type EventBus } from './events.js';
import type { Feature, FeatureHooks, FeatureHost, FeatureRoute } from './feature.js';

/** The host services every feature shares; the feature set adds each one's own kv, logger and events. */
export type SharedHost = Omit<FeatureHost, 'kv' | 'logger' | 'events'> & {
  kvOf(namespace: string): FeatureHost['kv'];
};

/** Why a list of features cannot run together (a bad or repeated name), or null. */
export const featuresProblem = (features: readonly Feature[]): string | null => {
  const seen = new Set<string>();
  for (const feature of features) {
    const problem = namespaceProblem(feature.name);
    if (problem) return `Feature name: ${problem}`;
    if (feature.name === 'core') return 'Feature name "core" is the server\'s own namespace';
    if (seen.has(feature.name)) return `Two features are named ${feature.name}`;
    seen.add(feature.name);
  }
  return null;
};

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * The features a server runs, behind one guard. The core calls the set as
 * its {@link RoomHooks}; the set calls each feature's hook in the order the
 * features were given, and a hook that throws (or whose promise rejects) is
 * logged with the feature's name and counted in
 * `candyce_feature_errors_total`: the room, the other features and the
 * process go on. `canWrite` fails closed: a check that throws refuses the
 * write (logged and counted), as a check that says no would.
 */
export class FeatureSet implements RoomHooks {
  private readonly bus: EventBus = createEventBus();
  private opened: Feature[] = [];
  private readonly wantsUpdates: boolean;

  constructor(
    readonly features: readonly Feature[],
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {
    const problem = featuresProblem(features);
    if (problem) throw new RangeError(problem);
    this.wantsUpdates = features.some((f) => f.hooks?.updated);
  }

  /** The feature of that name, if the server runs it. */
  get(name: string): Feature | undefined {
    return this.features.find((f) => f.name === name);
  }

  private failed(feature: Feature, hook: string, err: unknown): void {
    this.metrics.featureErrors.inc({ feature: feature.name, hook });
    this.logger.error({ err, feature: feature.name, hook }, 'feature hook failed');
  }

  /** Runs one feature's code; what it throws or rejects with is logged and counted, never passed on. */
  private guard(feature: Feature, hook: string, run: () => unknown): void {
    try {
      const result = run();
      if (isPromise(result)) result.catch((err: unknown) => this.failed(feature, hook, err));
    } catch (err) {
      this.failed(feature, hook, err);
    }
  }

  private each<K extends Exclude<keyof FeatureHooks, 'canWrite'>>(
    hook: K,
    event: Parameters<NonNullable<FeatureHooks[K]>>[0],
  ): void {
    for (const feature of this.features) {
      const fn = feature.hooks?.[hook] as ((e: typeof event) => unknown) | undefined;
      if (fn) this.guard(feature, hook, () => fn.call(feature.hooks, event));
    }
  }

  /**
   * Opens every feature in order, each with its namespace of the store, a
   * logger naming it and its view of the event bus. Rejects (and closes
   * those opened) when one fails to open: a server never runs half its features.
   */
  async open(shared: SharedHost): Promise<void> {
    const { kvOf, ...services } = shared;
    for (const feature of this.features) {
      const events: EventBus = {
        emit: (type, payload) => this.bus.emit(type, payload),
        on: (type, handler) =>
          this.bus.on(type, (payload) => this.guard(feature, `event:${type}`, () => handler(payload))),
      };
      const host: FeatureHost = {
        ...services,
        kv: kvOf(feature.name),
        logger: this.logger.child({ feature: feature.name }),
        events,
      };
      try {
        await feature.open?.(host);
      } catch (err) {
        await this.close();
        throw new Error(
          `Feature ${feature.name} could not open: ${err instanceof Error ? err.message : String(err)}`,
          {
            cause: err,
          },
        );
      }
      this.opened.push(feature);
    }
  }

  /** The server stops accepting: every opened feature ends its long-lived answers. */
  stopping(): void {
    for (const feature of this.opened)
      if (feature.stopping) this.guard(feature, 'stopping', () => feature.stopping!());
  }

  /** Closes the opened features, last opened first; a failure is logged and the others still close. */
  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = [];
    for (const feature of opened.reverse()) {
      try {
        await feature.close?.();
      } catch (err) {
        this.failed(feature, 'close', err);
      }
    }
  }

  /**
   * Every opened feature's routes, in order. A route that throws is counted
   * under its feature before the HTTP API answers it with the shared error shape.
   */
  routes(): FeatureRoute[] {
    const out: FeatureRoute[] = [];
    for (const feature of this.opened)
      for (const route of feature.routes?.() ?? [])
        out.push(async (req, res, url) => {
          try {
            return await route(req, res, url);
          } catch (err) {
            // HttpErrors are answers, not failures: only other errors count.
            if (!(err instanceof Error && 'status' in err)) this.failed(feature, 'route', err);
            throw err;
          }
        });
    return out;
  }

  /** The error a feature refuses `identity` with (a revoked link), or null when all accept it. Fails closed. */
  refusal(identity: Identity): AuthError | null {
    for (const feature of this.features)
      for (const check of feature.tokenChecks ?? []) {
        try {
          const refused = check(identity);
          if (refused) return refused;
        } catch (err) {
          this.failed(feature, 'tokenCheck', err);
          return new AuthError(401, 'Unauthorized: the token could not be checked; try again');
        }
      }
    return null;
  }

  /**
   * Wraps an authenticator so that every identity it accepts also passes the
   * features' token checks, on every path that authenticates.
   */
  checked(auth: Authenticator): Authenticator {
    return {
      get open() {
        return auth.open;
      },
      authenticate: async (token) => {
        const identity = await auth.authenticate(token);
        const refused = this.refusal(identity);
        if (refused) throw refused;
        return identity;
      },
      useOpenSecret: (secret) => auth.useOpenSecret(secret),
    };
  }

  loaded(room: Room): void {
    this.each('loaded', { room });
  }

  unloading(room: Room): void {
    this.each('unloading', { room });
  }

  deleted(name: string): void {
    this.each('deleted', { name });
  }

  /** True when some feature listens to updates (the core skips finding authors otherwise). */
  get listensToUpdates(): boolean {
    return this.wantsUpdates;
  }

  updated(room: Room, update: Uint8Array, author: Identity | null): void {
    if (this.wantsUpdates) this.each('updated', { room, update, author });
  }

  joined(room: Room, identity: Identity): void {
    this.each('joined', { room, identity });
  }

  left(room: Room, identity: Identity): void {
    this.each('left', { room, identity });
  }

  compacting(room: Room, from: number, to: number): void {
    this.each('compacting', { room, from, to });
  }

  /** The features that own the room `name` (by their room prefixes), in order. */
  private owners(name: string): Feature[] {
    return this.features.filter((f) => f.roomPrefixes?.some((p) => name.startsWith(p)));
  }

  /**
   * The group whose kernel cap `room` counts against: the first answer of
   * the features that own it, null when none groups it (or its policy
   * throws: then the room counts against the server's cap only, and the
   * error is logged and counted).
   */
  kernelGroup(room: string): string | null {
    for (const feature of this.owners(room)) {
      const group = feature.kernelPolicy?.group;
      if (!group) continue;
      try {
        const answer = group.call(feature.kernelPolicy, room);
        if (answer !== null) return answer;
      } catch (err) {
        this.failed(feature, 'kernelGroup', err);
      }
    }
    return null;
  }

  /**
   * Why `room` may not start the kernel its notebook asks for: the first
   * problem its owning features find, or null. Fails closed: a check that
   * throws refuses the start with a message saying so.
   */
  async kernelProblem(room: Room): Promise<string | null> {
    for (const feature of this.owners(room.name)) {
      const problem = feature.kernelPolicy?.problem;
      if (!problem) continue;
      try {
        const answer = await problem.call(feature.kernelPolicy, { room });
        if (answer !== null) return answer;
      } catch (err) {
        this.failed(feature, 'kernelProblem', err);
        return 'The kernel of this notebook could not be checked: try again in a moment';
      }
    }
    return null;
  }

  canWrite(room: Room, identity: Identity): boolean {
    // The hot path of every update: no array is built here.
    for (const feature of this.features) {
      const check = feature.hooks?.canWrite;
      if (!check || !feature.roomPrefixes?.some((p) => room.name.startsWith(p))) continue;
      try {
        if (!check.call(feature.hooks, { room, identity })) return false;
      } catch (err) {
        this.failed(feature, 'canWrite', err);
        return false;
      }
    }
    return true;
  }
}
