import type { Feature, FeatureHooks, FeatureHost, FeatureRoute } from '@candyce/server';
import { copyRoomFiles } from '@candyce/server';
import { AttemptLimiter } from './attempts.js';
import { Classroom } from './classroom.js';
import { classroomKernelPolicy } from './kernel-policy.js';
import { RevokedTokenError } from './revocation.js';
import { createClassroomRoutes } from './routes.js';
import { tokenLifetimeSeconds } from './tokens.js';

/** The classroom feature, with its service once opened (for tests and embedding). */
export interface ClassroomFeature extends Feature {
  /** The classroom service; throws before the server opened its features. */
  readonly classroom: Classroom;
}

/** Options of {@link classroomFeature}. */
export interface ClassroomFeatureOptions {
  /** Lifetime of the tokens it mints, in seconds; default 180 days, capped by the server's maximum. */
  readonly tokenLifetimeSeconds?: number;
}

/**
 * The classroom as a feature: activities (`act-<id>` rooms), joins by code,
 * copies, hand-ins, comments, grades and the live dashboard, its records in
 * the store's `classroom` namespace, its routes under `/api/activities` and
 * `/api/join`, and the revocation of teacher links as a token check.
 */
export const classroomFeature = (options: ClassroomFeatureOptions = {}): ClassroomFeature => {
  let service: Classroom | null = null;
  let routes: FeatureRoute[] = [];
  let opening: FeatureHost | null = null;
  const opened = (): Classroom => {
    if (!service) throw new Error('The classroom feature is not open');
    return service;
  };
  // Before open (and after close) the hooks have nothing to do: no activity is known.
  const hooks: FeatureHooks = {
    loaded: (event) => service?.hooks.loaded?.(event),
    unloading: (event) => service?.hooks.unloading?.(event),
    joined: (event) => service?.hooks.joined?.(event),
    left: (event) => service?.hooks.left?.(event),
    canWrite: (event) => service?.hooks.canWrite?.(event) ?? true,
  };
  return {
    name: 'classroom',
    roomPrefixes: ['act-'],
    hooks,
    tokenChecks: [(identity) => (service?.revoked(identity) ? new RevokedTokenError() : null)],
    kernelPolicy: classroomKernelPolicy(() => opening),
    get classroom() {
      return opened();
    },
    async open(host: FeatureHost) {
      opening = host;
      const classroom = new Classroom({
        rooms: () => host.rooms.manager,
        kv: host.kv,
        secret: host.secret,
        tokenLifetimeSeconds: Math.min(
          options.tokenLifetimeSeconds ?? tokenLifetimeSeconds,
          host.maxTokenLifetimeSeconds,
        ),
        logger: host.logger,
        stopKernel: (room) => host.stopKernel(room),
        copyFiles: (from, to) => copyRoomFiles(host.rooms.manager, host.files, from, to),
      });
      await classroom.open();
      service = classroom;
      routes = [
        createClassroomRoutes({
          classroom,
          auth: host.auth,
          maxDocumentBytes: host.limits.maxDocumentBytes,
          attempts: new AttemptLimiter(),
          clientAddress: (req) => host.clientAddress(req),
          caps: host.caps,
          kernels: host.kernels,
        }),
      ];
    },
    routes: () => routes,
    stopping: () => service?.closeEvents(),
    async close() {
      // The service stays readable (tests look at it after a stop); its hooks see no more rooms.
      await service?.close();
    },
  };
};
