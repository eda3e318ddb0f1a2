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
export type { Classroom, ClassroomOptions, JoinResult } from './classroom/classroom.js';
export type { ClassroomFeature, ClassroomFeatureOptions } from './classroom/feature.js';
export { classroomFeature } from './classroom/feature.js';
export type { ErrorCode, Lang } from './classroom/i18n.js';
export type {
  ActivityRecord,
  Comment,
  CopyRecord,
  CopyState,
  CopyStats,
  HandinRecord,
  Member,
  Mode,
  ReadOnlyReason,
} from './classroom/records.js';
export type { CopyRow, CopyStatus } from './classroom/views.js';
export type { CloseCode } from './close-codes.js';
export * as closeCodes from './close-codes.js';
export type { Limits, Security, Timings } from './config.js';
export { defaultLimits, defaultSecurity, defaultTimings, limitsFromEnv, securityFromEnv } from './config.js';
export type { EventBus, EventHandler } from './features/events.js';
export type {
  CompactingEvent,
  DeletedEvent,
  Feature,
  FeatureHooks,
  FeatureHost,
  FeatureRoute,
  MemberEvent,
  RoomEvent,
  TokenCheck,
  UpdatedEvent,
} from './features/feature.js';
export { FeatureSet, featuresProblem } from './features/feature-set.js';
export type { RoomHooks } from './hooks.js';
export { LevelStore } from './level-store.js';
export type { Logger } from './logger.js';
export { createLogger } from './logger.js';
export { MemoryStore } from './memory-store.js';
export type { FileEntry, NotebookFiles } from './notebook-files.js';
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
