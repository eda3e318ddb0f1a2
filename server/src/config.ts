/**
 * Limits of one server, each with a default that suits a classroom. Every
 * limit that is hit closes the offending connection with a named close code
 * (see close-codes.ts) and never affects other connections or rooms.
 */
export interface Limits {
  /** Largest WebSocket message accepted, in bytes (ws closes with 1009 above it). */
  maxMessageBytes: number;
  /** Largest encoded document, in bytes; also the largest HTTP PUT body. */
  maxDocumentBytes: number;
  /** Messages per second a connection may send on average. */
  messagesPerSecond: number;
  /** Messages a connection may send in a burst above the average. */
  messageBurst: number;
  /** Bytes queued for a client beyond which it is closed as a slow consumer. */
  maxBufferedBytes: number;
  /**
   * WebSockets and event streams one pupil or viewer (token subject) may hold
   * at once; teachers and the open-mode local user are not counted.
   */
  maxConnectionsPerSubject: number;
  /**
   * WebSockets and event streams from one client address (a school behind
   * one NAT counts once: 30+ pupils with a few tabs each); loopback is not counted.
   */
  maxConnectionsPerAddress: number;
  /** WebSockets and event streams of the whole server (keep below the process's file descriptor limit). */
  maxConnections: number;
  /** Structs plus deletion ranges of one student update, counted before it is decoded (each struct costs heap). */
  maxStudentUpdateStructs: number;
  /** Largest encoded document a student's update (or PUT) may make: pupils' copies are small. */
  maxStudentDocumentBytes: number;
  /** Most structs a student's update may bring a document to. */
  maxStudentDocumentStructs: number;
  /**
   * Heap the process may use before it refuses writes that grow documents
   * (close 4513, HTTP 503); 0 means 80 % of V8's heap limit.
   */
  memoryBudgetBytes: number;
  /** Largest data file attached to a notebook, in bytes (HTTP 413 above). */
  maxFileBytes: number;
  /** Largest total of the data files of one notebook, in bytes (HTTP 413 above). */
  maxRoomFilesBytes: number;
}

/** Timings and thresholds of persistence and liveness. */
export interface Timings {
  /** A room with no connection is flushed, compacted and unloaded after this many milliseconds. */
  idleUnloadMs: number;
  /** Compact a room's update log into its snapshot after this many updates... */
  compactAfterUpdates: number;
  /** ...or after this many bytes of updates. */
  compactAfterBytes: number;
  /** Interval of WebSocket pings; a client that missed one pong is dropped. */
  pingIntervalMs: number;
  /**
   * Least time between two group-commit cycles (one store write and one
   * broadcast for every room with edits): longer means fewer, larger messages
   * and fewer system calls under load, at the cost of latency.
   */
  writeIntervalMs: number;
}

/** The default limits. */
export const defaultLimits: Limits = {
  maxMessageBytes: 16 * 1024 * 1024,
  maxDocumentBytes: 64 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 1000,
  maxBufferedBytes: 32 * 1024 * 1024,
  maxConnectionsPerSubject: 40,
  maxConnectionsPerAddress: 600,
  maxConnections: 8000,
  maxStudentUpdateStructs: 20_000,
  maxStudentDocumentBytes: 16 * 1024 * 1024,
  maxStudentDocumentStructs: 200_000,
  memoryBudgetBytes: 0,
  maxFileBytes: 20 * 1024 * 1024,
  maxRoomFilesBytes: 50 * 1024 * 1024,
};

/** The default timings. */
export const defaultTimings: Timings = {
  idleUnloadMs: 30_000,
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024,
  pingIntervalMs: 30_000,
  writeIntervalMs: 15,
};

const envNumber = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name}=${raw} is not a non-negative number`);
  return value;
};

/**
 * Reads limits and timings from environment variables (`CANDYCE_MAX_MESSAGE_BYTES`,
 * `CANDYCE_MAX_DOCUMENT_BYTES`, `CANDYCE_MESSAGES_PER_SECOND`, `CANDYCE_MESSAGE_BURST`,
 * `CANDYCE_MAX_BUFFERED_BYTES`, `CANDYCE_MAX_CONNECTIONS_PER_USER`, `CANDYCE_MAX_CONNECTIONS_PER_ADDRESS`,
 * `CANDYCE_MAX_CONNECTIONS`, `CANDYCE_MAX_STUDENT_UPDATE_STRUCTS`, `CANDYCE_MAX_STUDENT_DOCUMENT_BYTES`,
 * `CANDYCE_MAX_STUDENT_DOCUMENT_STRUCTS`, `CANDYCE_MEMORY_BUDGET_BYTES`, `CANDYCE_IDLE_UNLOAD_MS`, `CANDYCE_COMPACT_AFTER_UPDATES`,
 * `CANDYCE_COMPACT_AFTER_BYTES`, `CANDYCE_PING_INTERVAL_MS`, `CANDYCE_WRITE_INTERVAL_MS`), falling back to the defaults.
 * Throws a `RangeError` naming the variable when a value is not a number.
 */
export const limitsFromEnv = (env: NodeJS.ProcessEnv): { limits: Limits; timings: Timings } => ({
  limits: {
    maxMessageBytes: envNumber(env, 'CANDYCE_MAX_MESSAGE_BYTES', defaultLimits.maxMessageBytes),
    maxDocumentBytes: envNumber(env, 'CANDYCE_MAX_DOCUMENT_BYTES', defaultLimits.maxDocumentBytes),
    messagesPerSecond: envNumber(env, 'CANDYCE_MESSAGES_PER_SECOND', defaultLimits.messagesPerSecond),
    messageBurst: envNumber(env, 'CANDYCE_MESSAGE_BURST', defaultLimits.messageBurst),
    maxBufferedBytes: envNumber(env, 'CANDYCE_MAX_BUFFERED_BYTES', defaultLimits.maxBufferedBytes),
    maxConnectionsPerSubject: envNumber(
      env,
      'CANDYCE_MAX_CONNECTIONS_PER_USER',
      defaultLimits.maxConnectionsPerSubject,
    ),
    maxConnectionsPerAddress: envNumber(
      env,
      'CANDYCE_MAX_CONNECTIONS_PER_ADDRESS',
      defaultLimits.maxConnectionsPerAddress,
    ),
    maxConnections: envNumber(env, 'CANDYCE_MAX_CONNECTIONS', defaultLimits.maxConnections),
    maxStudentUpdateStructs: envNumber(
      env,
      'CANDYCE_MAX_STUDENT_UPDATE_STRUCTS',
      defaultLimits.maxStudentUpdateStructs,
    ),
    maxStudentDocumentBytes: envNumber(
      env,
      'CANDYCE_MAX_STUDENT_DOCUMENT_BYTES',
      defaultLimits.maxStudentDocumentBytes,
    ),
    maxStudentDocumentStructs: envNumber(
      env,
      'CANDYCE_MAX_STUDENT_DOCUMENT_STRUCTS',
      defaultLimits.maxStudentDocumentStructs,
    ),
    memoryBudgetBytes: envNumber(env, 'CANDYCE_MEMORY_BUDGET_BYTES', defaultLimits.memoryBudgetBytes),
    maxFileBytes: envNumber(env, 'CANDYCE_MAX_FILE_BYTES', defaultLimits.maxFileBytes),
    maxRoomFilesBytes: envNumber(env, 'CANDYCE_MAX_ROOM_FILES_BYTES', defaultLimits.maxRoomFilesBytes),
  },
  timings: {
    idleUnloadMs: envNumber(env, 'CANDYCE_IDLE_UNLOAD_MS', defaultTimings.idleUnloadMs),
    compactAfterUpdates: envNumber(env, 'CANDYCE_COMPACT_AFTER_UPDATES', defaultTimings.compactAfterUpdates),
    compactAfterBytes: envNumber(env, 'CANDYCE_COMPACT_AFTER_BYTES', defaultTimings.compactAfterBytes),
    pingIntervalMs: envNumber(env, 'CANDYCE_PING_INTERVAL_MS', defaultTimings.pingIntervalMs),
    writeIntervalMs: envNumber(env, 'CANDYCE_WRITE_INTERVAL_MS', defaultTimings.writeIntervalMs),
  },
});

/**
 * Who may reach the server and how far tokens are trusted: the origin and
 * host allowlists, the proxies whose X-Forwarded-For is believed, the host
 * origins that may frame the player, and the longest token lifetime.
 */
export interface Security {
  /** Origins (`https://school.example`) besides the server's own that may open WebSockets and send changes. */
  allowedOrigins: string[];
  /** The URL pupils and teachers reach the server at, when it is not localhost (a known Host in open mode). */
  publicUrl: string | null;
  /** Origins of host platforms that may frame the player page (`frame-ancestors`); none by default. */
  embedOrigins: string[];
  /**
   * Addresses of reverse proxies allowed to set `X-Forwarded-For`; the
   * header of any other peer is ignored. Empty by default: the peer is the client.
   */
  trustedProxies: string[];
  /** Longest lifetime a token may have (`exp - iat`, or `exp - now` without `iat`), in seconds. */
  maxTokenLifetimeSeconds: number;
  /**
   * Where notebook pages may download a notebook from (`?from=` links, as
   * Basthon and Capytale make them): CSP sources added to `connect-src`
   * only, such as `https:` (the default) or `http://intranet.lycee.example`.
   */
  linkSources: string[];
}

/** The default security settings: only the server's own origin, no proxy, tokens of at most 180 days. */
export const defaultSecurity: Security = {
  allowedOrigins: [],
  publicUrl: null,
  embedOrigins: [],
  trustedProxies: [],
  maxTokenLifetimeSeconds: 180 * 24 * 3600,
  linkSources: ['https:'],
};

const envList = (env: NodeJS.ProcessEnv, name: string): string[] =>
  (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const envOrigins = (env: NodeJS.ProcessEnv, name: string): string[] =>
  envList(env, name).map((item) => {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new RangeError(`${name}: ${item} is not an origin such as https://school.example`);
    }
    if (url.origin === 'null') throw new RangeError(`${name}: ${item} is not an http(s) origin`);
    return url.origin;
  });

/**
 * Reads the security settings from `CANDYCE_ALLOWED_ORIGINS`, `CANDYCE_PUBLIC_URL`,
 * `CANDYCE_EMBED_ORIGINS`, `CANDYCE_TRUSTED_PROXY`, `CANDYCE_LINK_SOURCES` (comma-separated
 * lists) and `CANDYCE_MAX_TOKEN_DAYS`. Throws a `RangeError` naming the variable when a value is invalid.
 */
export const securityFromEnv = (env: NodeJS.ProcessEnv): Security => {
  const publicUrl = envOrigins(env, 'CANDYCE_PUBLIC_URL')[0] ?? null;
  const days = envNumber(env, 'CANDYCE_MAX_TOKEN_DAYS', defaultSecurity.maxTokenLifetimeSeconds / 86_400);
  return {
    allowedOrigins: envOrigins(env, 'CANDYCE_ALLOWED_ORIGINS'),
    publicUrl,
    embedOrigins: envOrigins(env, 'CANDYCE_EMBED_ORIGINS'),
    trustedProxies: envList(env, 'CANDYCE_TRUSTED_PROXY'),
    maxTokenLifetimeSeconds: Math.round(days * 86_400),
    linkSources:
      env.CANDYCE_LINK_SOURCES === undefined
        ? defaultSecurity.linkSources
        : envList(env, 'CANDYCE_LINK_SOURCES').map((item) => {
            // A scheme (`https:`) or an origin; anything else would widen or break the policy.
            if (/^https?:$/.test(item)) return item;
            const [origin] = envOrigins({ CANDYCE_LINK_SOURCES: item }, 'CANDYCE_LINK_SOURCES');
            return origin!;
          }),
  };
};
