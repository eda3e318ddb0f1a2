import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthError, Authenticator, Identity } from '../auth.js';
import type { Limits } from '../config.js';
import type { ConnectionCaps } from '../connection-caps.js';
import type { KernelCatalog } from '../kernel-catalog.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { NotebookFiles } from '../notebook-files.js';
import type { Room } from '../room.js';
import type { RoomManager } from '../rooms.js';
import type { FeatureKv, RoomPage } from '../store.js';
import type { EventBus } from './events.js';

// The one way a capability beside the sync core (the classroom; later the
// observatory, grading, history, LMS sign-in) plugs into the server. A
// feature states what it owns (a name, which is also its storage namespace,
// and the rooms it owns), takes its services from the host in `open`, and
// reacts to the room life cycle through hooks that take one payload object.
// The server calls every hook through a guard (feature-set.ts): a feature
// that throws is logged and counted, and the room and the process go on.

/** A room was loaded from the store, before any member joins it. */
export interface RoomEvent {
  readonly room: Room;
}

/** A room was deleted from the store (its members are gone, its name may be used again). */
export interface DeletedEvent {
  readonly name: string;
}

/**
 * An update is stored (written before it was broadcast). `author` is who
 * sent it, or null when the server itself wrote it (a push, an import).
 */
export interface UpdatedEvent {
  readonly room: Room;
  readonly update: Uint8Array;
  readonly author: Identity | null;
}

/** Someone joined or left a room over the sync protocol. */
export interface MemberEvent {
  readonly room: Room;
  readonly identity: Identity;
}

/** The room's log entries `from <= seq < to` are being merged into a snapshot. */
export interface CompactingEvent {
  readonly room: Room;
  readonly from: number;
  readonly to: number;
}

/**
 * The room life-cycle hooks a feature may have. `canWrite` runs on the hot
 * path of every update: it must be synchronous and cheap. The others may be
 * asynchronous; the server does not wait for them.
 */
export interface FeatureHooks {
  loaded?(event: RoomEvent): void | Promise<void>;
  /** A room is about to be freed (unload, deletion, failure); its doc is still readable. */
  unloading?(event: RoomEvent): void | Promise<void>;
  deleted?(event: DeletedEvent): void | Promise<void>;
  updated?(event: UpdatedEvent): void | Promise<void>;
  joined?(event: MemberEvent): void | Promise<void>;
  left?(event: MemberEvent): void | Promise<void>;
  /**
   * May `identity` change `room` now? Asked of the features that own the
   * room only, and every one of them must agree; false drops the update the
   * way a viewer's is dropped (a pupil's copy after its deadline). Asked only
   * for identities whose role may write at all.
   */
  canWrite?(event: MemberEvent): boolean;
  compacting?(event: CompactingEvent): void | Promise<void>;
}

/**
 * How the server kernels of a feature's rooms are governed. `group` names
 * the rooms whose kernels share one cap (`maxKernelsPerActivity`: the
 * classroom groups an activity's template and copies); it runs on every
 * start and must be synchronous and cheap. `problem` says why a room may not
 * start the kernel its notebook asks for (a copy asking for another kernel
 * than its template's), or null. Both are asked of the features that own
 * the room only.
 */
export interface KernelPolicy {
  group?(room: string): string | null;
  problem?(event: RoomEvent): Promise<string | null> | string | null;
}

/**
 * An HTTP route of a feature: answers true when it handled the request,
 * false to let the next route try. It is called after the server's request
 * guard (origins, sizes); a rejection or a thrown {@link HttpError} becomes
 * the one `{ error, code }` answer.
 */
export type FeatureRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/**
 * A check of every identity the server accepts, on every path that
 * authenticates (sync, notebooks, features' routes, event streams): returns
 * the {@link AuthError} to refuse the token with (a revoked teacher link), or
 * null to let it in.
 */
export type TokenCheck = (identity: Identity) => AuthError | null;

/** What the host gives a feature's `open`: the services of the core. */
export interface FeatureHost {
  /** The rooms: load one for a while (`use`), ask whether one exists, list them by prefix. */
  readonly rooms: {
    /** Loads `name` (creating it empty when new), runs `work`, and lets it go. */
    use<T>(name: string, work: (room: Room) => Promise<T> | T): Promise<T>;
    exists(name: string): Promise<boolean>;
    list(prefix: string, options?: { after?: string; limit?: number }): Promise<RoomPage>;
    /** The loaded room of that name, if any, without loading it. */
    peek(name: string): Promise<Room | null>;
    /** The room manager itself, for features that hold rooms across calls. */
    readonly manager: RoomManager;
  };
  /** The feature's own namespace of the active store (named after the feature). */
  readonly kv: FeatureKv;
  /** The data files attached to rooms. */
  readonly files: NotebookFiles;
  /** Events between features ("handed-in"…): a feature never calls another directly. */
  readonly events: EventBus;
  /** The server's token verifier (minting: see `secret`). */
  readonly auth: Authenticator;
  /**
   * The server's effective signing secret: CANDYCE_SECRET, or in open mode a
   * random one the host keeps in its own namespace, so tokens a feature mints
   * stay valid across restarts.
   */
  readonly secret: string;
  /** Stops the server kernel of a room, when the server runs kernels. */
  stopKernel(room: string): void;
  /** What the deployment offers to run notebooks with. */
  readonly kernels: KernelCatalog;
  readonly limits: Limits;
  /** Caps on long-lived connections (event streams count in). */
  readonly caps: ConnectionCaps;
  /** Longest lifetime of a token the server accepts, in seconds. */
  readonly maxTokenLifetimeSeconds: number;
  /** The client's address of a request (the peer, or X-Forwarded-For from a trusted proxy). */
  clientAddress(req: IncomingMessage): string;
  /** A logger whose lines carry the feature's name. */
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * A feature: a name (also its storage namespace), the room names it owns,
 * and what it does with the host's services. Every member but `name` is
 * optional. The server opens features in the order given and closes them in
 * the reverse order.
 */
export interface Feature {
  /** Lower-case letters, digits and `-`; the namespace of its records in the store. */
  readonly name: string;
  /** Prefixes of the room names it owns (`act-` for the classroom); `canWrite` is asked for those. */
  readonly roomPrefixes?: readonly string[];
  open?(host: FeatureHost): Promise<void> | void;
  /** The server stops accepting: end long-lived answers (event streams) now. */
  stopping?(): void;
  /** The rooms are flushed; release what the feature holds. */
  close?(): Promise<void> | void;
  readonly hooks?: FeatureHooks;
  /** Its HTTP routes, valid once `open` resolved. */
  routes?(): readonly FeatureRoute[];
  /** Checks of every accepted identity (revocation). */
  readonly tokenChecks?: readonly TokenCheck[];
  /** How its rooms' server kernels are capped and checked. */
  readonly kernelPolicy?: KernelPolicy;
}
