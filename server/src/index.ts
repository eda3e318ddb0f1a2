// The public API of @candyce/server.

export { maxRoomNameLength, roomNameProblem } from '@candyce/protocol';
export type { Authenticator, Identity, Role } from './auth.js';
export {
  AuthError,
  canAccessRoom,
  canWrite,
  createAuthenticator,
  defaultMaxTokenLifetimeSeconds,
  minSecretBytes,
  weakSecretProblem,
} from './auth.js';
export type { CloseCode } from './close-codes.js';
export * as closeCodes from './close-codes.js';
export { RoomDeleted, TokenRevoked } from './close-codes.js';
export type { Limits, Security, Timings } from './config.js';
export { defaultLimits, defaultSecurity, defaultTimings, limitsFromEnv, securityFromEnv } from './config.js';
export type { ConnectionCaps, Slot } from './connection-caps.js';
export { isRefusal } from './connection-caps.js';
export type { EventBus, EventHandler } from './features/events.js';
export type {
  CompactingEvent,
  DeletedEvent,
  Feature,
  FeatureHooks,
  FeatureHost,
  FeatureRoute,
  KernelPolicy,
  MemberEvent,
  RoomEvent,
  TokenCheck,
  UpdatedEvent,
} from './features/feature.js';
export { FeatureSet, featuresProblem } from './features/feature-set.js';
export { copyRoomFiles } from './files-api.js';
export type { RoomHooks } from './hooks.js';
// What a feature's routes share with the core: errors, bodies, answers, tokens, languages.
export { bearer, HttpError, json, langOf, readBody } from './http-util.js';
export { KernelCatalog } from './kernel-catalog.js';
export { LevelStore } from './level-store.js';
export type { Logger } from './logger.js';
export { createLogger } from './logger.js';
export { MemoryStore } from './memory-store.js';
export { KeyedMutex } from './mutex.js';
export type { FileEntry, NotebookFiles } from './notebook-files.js';
export type { Room } from './room.js';
export type { RoomManager } from './rooms.js';
export type { CandyceServer, ServerOptions } from './server.js';
export { createServer } from './server.js';
export type {
  FeatureKv,
  KvOp,
  LogEntry,
  NotebookStore,
  RetentionPolicy,
  RoomPage,
  RoomWrite,
  SnapshotEntry,
  StoredRoom,
} from './store.js';
export { maxListLimit, namespaceProblem, noRetention, StaleWriteError } from './store.js';
