import { randomBytes } from 'node:crypto';
import {
  createServer as createHttpServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { roomNameProblem } from '@candyce/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  AuthError,
  type Authenticator,
  canAccessRoom,
  createAuthenticator,
  weakSecretProblem,
} from './auth.js';
import { clientAddress, trustedProxies } from './client-address.js';
import * as closeCodes from './close-codes.js';
import {
  defaultLimits,
  defaultSecurity,
  defaultTimings,
  type Limits,
  type Security,
  type Timings,
} from './config.js';
import { Connection } from './connection.js';
import { ConnectionCaps, isRefusal, type Slot } from './connection-caps.js';
import { type ExecutionOptions, ExecutionService } from './execution.js';
import type { Feature } from './features/feature.js';
import { FeatureSet } from './features/feature-set.js';
import { createFilesRoute, isRawUploadPath } from './files-api.js';
import { createHttpHandler } from './http-api.js';
import { refuseUpgrade, requestUrl } from './http-util.js';
import { KernelCatalog } from './kernel-catalog.js';
import { LevelStore } from './level-store.js';
import { createLogger, type Logger } from './logger.js';
import { overBudget } from './memory-budget.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { NotebookFiles } from './notebook-files.js';
import { createRequestGuard } from './request-guard.js';
import { RoomManager } from './rooms.js';
import { createStaticHandler } from './static-files.js';
import type { NotebookStore } from './store.js';

/** Options of {@link createServer}; every one has a default. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one (tests). Default 1234. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** LevelDB directory, used when no `store` is given. Default `./data`. */
  dataDir?: string;
  /** A persistence back-end; by default a {@link LevelStore} in `dataDir`. */
  store?: NotebookStore;
  /** HS256 secret of tokens; without it the server runs open (one machine only). */
  secret?: string;
  limits?: Partial<Limits>;
  timings?: Partial<Timings>;
  logger?: Logger;
  /** Adds process metrics (CPU, memory, event loop) to /metrics. Default false. */
  processMetrics?: boolean;
  /** Directory of the built web app (apps/web/dist) to serve at `/` and `/n/<room>`; none by default. */
  staticDir?: string;
  /** Server-side execution (`POST /api/notebooks/<room>/execute`); without it that endpoint answers 501. */
  execution?: ExecutionOptions;
  /** Origin and host allowlists, trusted proxies, embedding origins, token lifetime. */
  security?: Partial<Security>;
  /**
   * The features the server runs beside the sync core (the classroom…), in
   * the order their hooks and routes are tried. None by default: the
   * composition root (main.ts) picks them.
   */
  features?: readonly Feature[];
}

/** A running (or ready to run) Candyce server. */
export interface CandyceServer {
  /** Opens the store and listens; resolves to the port. */
  listen(): Promise<number>;
  /**
   * Stops accepting, closes every socket with 1012 (clients reconnect), flushes
   * and compacts every room, then closes the store.
   */
  close(): Promise<void>;
  /** The port listened on (0 before `listen`). */
  readonly port: number;
  /** The room manager, for tests and embedding. */
  readonly rooms: RoomManager;
  readonly metrics: Metrics;
  /** The feature of that name, if the server runs it (for tests and embedding). */
  feature(name: string): Feature | undefined;
}

const syncPath = /^\/sync\/([^/?]*)$/;

/**
 * Creates a Candyce server: the y-websocket protocol on `/sync/<room>`, the
 * HTTP API on `/api/notebooks/<room>`, the features' routes, `/healthz` and
 * `/metrics`, on one port.
 * Nothing happens until `listen()`.
 */
export const createServer = (options: ServerOptions = {}): CandyceServer => {
  const logger = options.logger ?? createLogger();
  const limits: Limits = { ...defaultLimits, ...options.limits };
  const timings: Timings = { ...defaultTimings, ...options.timings };
  const security: Security = { ...defaultSecurity, ...options.security };
  const metrics = createMetrics(options.processMetrics ?? false);
  const kernels = new KernelCatalog({
    ...(options.execution
      ? { gateway: options.execution.gateway, allowed: options.execution.allowedKernels ?? [] }
      : {}),
  });
  // Asked at start, so that the first page gets the server's kernels without waiting for them.
  if (options.execution) void kernels.list();
  const store = options.store ?? new LevelStore(options.dataDir ?? './data');
  // Data files attached to notebooks, kept by the store beside the rooms, deleted with their room.
  const files: NotebookFiles = store.files;
  const weak = options.secret ? weakSecretProblem(options.secret) : null;
  if (weak) throw new RangeError(weak);
  const features = new FeatureSet(options.features ?? [], logger, metrics);
  const execution = options.execution
    ? new ExecutionService({ files, ...options.execution }, logger, (room) => features.kernelGroup(room))
    : undefined;
  // Every token is also checked by the features (the classroom's revoked teacher links).
  const auth: Authenticator = features.checked(
    createAuthenticator(options.secret, security.maxTokenLifetimeSeconds),
  );
  const rooms: RoomManager = new RoomManager({
    store,
    timings,
    metrics,
    logger,
    hooks: features,
    // The room is gone already: a storage failure here leaves orphan bytes, said in the log, not a failed delete.
    deleted: (name) =>
      files
        .removeAll(name)
        .catch((err: unknown) => logger.error({ err, room: name }, 'files of a deleted room not removed')),
  });
  // The room's presence tells everyone what its server kernel is doing (and when its variables were lost).
  if (execution)
    execution.onState = (room, state) => {
      void rooms.peek(room).then((loaded) => loaded?.kernel.setServerKernel(state));
    };
  const connections = new Set<Connection>();
  const guard = createRequestGuard({
    open: auth.open,
    allowedOrigins: security.allowedOrigins,
    publicUrl: security.publicUrl,
    listenHost: options.host ?? '127.0.0.1',
    rawBodyPath: isRawUploadPath,
  });
  const proxies = trustedProxies(security.trustedProxies);
  const addressOf = (req: IncomingMessage): string => clientAddress(req, proxies);
  const caps = new ConnectionCaps(limits);
  // The features' routes, known once they opened (listen).
  let featureRoutes: readonly ((req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>)[] =
    [];
  const featureRoute = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    for (const route of featureRoutes) if (await route(req, res, url)) return true;
    return false;
  };
  let closing = false;
  let port = 0;
  let effectiveSecret = '';

  const http: HttpServer = createHttpServer(
    createHttpHandler({
      auth,
      rooms,
      limits,
      metrics,
      logger,
      connectionCount: () => connections.size,
      guard,
      headerPolicy: {
        connectOrigins: [...security.allowedOrigins, ...(security.publicUrl ? [security.publicUrl] : [])],
        embedOrigins: security.embedOrigins,
        linkSources: security.linkSources,
      },
      routes: [
        createFilesRoute({ auth, rooms, files, limits, logger }),
        (req, res, url) => featureRoute(req, res, url),
      ],
      ...(execution ? { execution } : {}),
      kernelProblem: (room) => features.kernelProblem(room),
      kernels,
      ...(options.staticDir ? { serveStatic: createStaticHandler(options.staticDir) } : {}),
    }),
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });

  const connect = async (connection: Connection, token: string | null, slot: Slot): Promise<void> => {
    let identity: Awaited<ReturnType<Authenticator['authenticate']>>;
    try {
      identity = await auth.authenticate(token);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      connection.close({ code: 4401, reason: err.message });
      return;
    }
    if (connection.closed) return;
    if (!canAccessRoom(identity, connection.roomName)) {
      connection.close(closeCodes.Forbidden);
      return;
    }
    // Pupils and viewers are counted; teachers (who open every copy) and the open-mode local user are not.
    if (token !== null && identity.role !== 'teacher' && slot.claimSubject(identity.sub)) {
      metrics.errors.inc({ kind: 'too_many_connections' });
      connection.close(closeCodes.TooManyConnections);
      return;
    }
    connection.authenticate(identity);
    // Loading one more room past the memory budget would risk the whole process (see memory-budget.ts).
    if ((await rooms.peek(connection.roomName)) === null && overBudget(limits, 0)) {
      metrics.errors.inc({ kind: 'memory_budget' });
      connection.close(closeCodes.MemoryBudgetReached);
      return;
    }
    let room: Awaited<ReturnType<RoomManager['acquire']>>;
    try {
      room = await rooms.acquire(connection.roomName);
    } catch (err) {
      logger.error({ room: connection.roomName, err }, 'room could not be loaded');
      metrics.errors.inc({ kind: 'store' });
      connection.close(closeCodes.StorageFailure);
      return;
    }
    if (connection.closed || room.closing) {
      rooms.release(room);
      if (!connection.closed) connection.close(closeCodes.ServiceRestart);
      return;
    }
    // Revoked while the room loaded: the revocation's sweep of the members did not see this one.
    if (features.refusal(identity)) {
      rooms.release(room);
      connection.close(closeCodes.TokenRevoked);
      return;
    }
    held.set(connection, room);
    connection.attach(room);
  };

  const held = new Map<Connection, Awaited<ReturnType<RoomManager['acquire']>>>();

  const onConnection = (ws: WebSocket, roomName: string, token: string | null, slot: Slot): void => {
    const connection = new Connection(ws, roomName, {
      limits,
      metrics,
      logger,
      onClose: (c) => {
        connections.delete(c);
        const room = held.get(c);
        if (room) {
          held.delete(c);
          rooms.release(room);
        }
      },
    });
    connections.add(connection);
    const problem = roomNameProblem(roomName);
    if (problem) {
      connection.close({ code: closeCodes.InvalidRoomName.code, reason: problem.slice(0, 120) });
      return;
    }
    connect(connection, token, slot).catch((err: unknown) => {
      logger.error({ err, room: roomName }, 'connection setup failed');
      connection.close(closeCodes.StorageFailure);
    });
  };

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = requestUrl(req.url);
    if (!url) {
      refuseUpgrade(socket, 400, 'The request target is not a valid URL', 'bad-request');
      return;
    }
    const refusal = guard.upgrade(req);
    if (refusal) {
      logger.warn({ origin: req.headers.origin, host: req.headers.host }, refusal.error);
      refuseUpgrade(socket, refusal.status, refusal.error, refusal.code);
      return;
    }
    const match = syncPath.exec(url.pathname);
    if (closing || !match) {
      if (closing) refuseUpgrade(socket, 503, 'The server is restarting; try again', 'restarting');
      else refuseUpgrade(socket, 404, `No WebSocket endpoint at ${url.pathname.slice(0, 200)}`, 'not-found');
      return;
    }
    let roomName: string;
    try {
      roomName = decodeURIComponent(match[1]!);
    } catch {
      roomName = match[1]!;
    }
    const slot = caps.take(addressOf(req));
    if (isRefusal(slot)) {
      metrics.errors.inc({ kind: 'too_many_connections' });
      refuseUpgrade(socket, slot.status, slot.error, slot.code);
      return;
    }
    // Given back when the descriptor is, whether ws accepted the upgrade or refused it.
    socket.once('close', slot.release);
    wss.handleUpgrade(req, socket, head, (ws) =>
      onConnection(ws, roomName, url.searchParams.get('token'), slot),
    );
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own error listener off an upgraded socket: without this one, a client that
    // resets the connection before ws owns the socket would raise an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (err) {
      // Whatever the request held, it ends this socket only.
      metrics.errors.inc({ kind: 'http' });
      logger.error({ err, path: (req.url ?? '/').split('?')[0]?.slice(0, 200) }, 'upgrade failed');
      refuseUpgrade(socket, 400, 'Bad upgrade request', 'bad-request');
    }
  });

  const openFeatures = (): Promise<void> =>
    features.open({
      rooms: {
        use: async (name, work) => {
          const room = await rooms.acquire(name);
          try {
            return await work(room);
          } finally {
            rooms.release(room);
          }
        },
        exists: (name) => store.exists(name),
        list: (prefix, listOptions) => store.list(prefix, listOptions),
        peek: (name) => rooms.peek(name),
        manager: rooms,
      },
      kvOf: (namespace) => store.kv(namespace),
      files,
      auth,
      secret: effectiveSecret,
      stopKernel: (room) => execution?.stop(room),
      kernels,
      limits,
      caps,
      maxTokenLifetimeSeconds: security.maxTokenLifetimeSeconds,
      clientAddress: addressOf,
      metrics,
    });

  // Liveness: a client that did not answer the previous ping is gone.
  let pinger: NodeJS.Timeout | null = null;

  return {
    get port() {
      return port;
    },
    rooms,
    metrics,
    feature: (name) => features.get(name),
    async listen() {
      await store.open?.();
      effectiveSecret = options.secret ?? (await openSecret(store));
      if (!options.secret) auth.useOpenSecret(effectiveSecret);
      await openFeatures().catch(async (err: unknown) => {
        await store.close().catch(() => undefined);
        throw err;
      });
      featureRoutes = features.routes();
      if (auth.open)
        logger.warn(
          'CANDYCE_SECRET is not set: the server runs OPEN, without authentication. Anyone who reaches it can read, change and delete every notebook. Use this only on one machine (HOST=127.0.0.1).',
        );
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(options.port ?? 1234, options.host ?? '127.0.0.1', () => {
          http.off('error', reject);
          resolve();
        });
      });
      port = (http.address() as AddressInfo).port;
      pinger = setInterval(() => {
        for (const c of connections) {
          if (!c.alive) {
            c.ws.terminate();
            continue;
          }
          c.alive = false;
          c.ws.ping();
        }
      }, timings.pingIntervalMs);
      pinger.unref();
      return port;
    },
    async close() {
      if (closing) return;
      closing = true;
      if (pinger) clearInterval(pinger);
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      features.stopping();
      // Sockets first, so no edit arrives after the last flush; clients reconnect on 1012.
      for (const c of [...connections]) c.close(closeCodes.ServiceRestart);
      await execution?.close();
      await rooms.closeAll();
      await features.close();
      http.closeAllConnections();
      for (const ws of wss.clients) ws.terminate();
      await stopped;
      await store.close();
    },
  };
};

/**
 * The effective secret of an open-mode server: a random one created on first
 * start and kept in the store's `core` namespace, so that the tokens features
 * mint (a pupil's link) stay valid across restarts. Servers of earlier
 * versions kept it in the classroom's namespace: it is taken from there once.
 */
const openSecret = async (store: NotebookStore): Promise<string> => {
  const core = store.kv('core');
  const kept = await core.get('secret');
  if (typeof kept === 'string') return kept;
  const legacy = await store.kv('classroom').get('secret');
  const secret = typeof legacy === 'string' ? legacy : randomBytes(32).toString('base64url');
  await core.put('secret', secret);
  return secret;
};
