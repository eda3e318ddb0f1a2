/**
 * Every WebSocket close code the server sends, with the reason it gives.
 * Codes 4400-4499 are permanent for the stock y-websocket client (it stops
 * reconnecting and emits `closed`); codes 4500+ and 1012 make it reconnect.
 * Keep a code stable once published: editors and host platforms match on it.
 */
export interface CloseCode {
  readonly code: number;
  readonly reason: string;
}

/** The frame could not be parsed as y-websocket messages, or held an invalid Yjs update. */
export const MalformedMessage: CloseCode = { code: 4400, reason: 'Malformed message' };
/** The room name in the URL is not a valid room name. */
export const InvalidRoomName: CloseCode = { code: 4400, reason: 'Invalid room name' };
/** No token, a token with a wrong signature or claims, or an expired token. */
export const Unauthorized: CloseCode = { code: 4401, reason: 'Unauthorized' };
/** The token expired while the connection was open. */
export const TokenExpired: CloseCode = { code: 4401, reason: 'Token expired' };
/** The teacher revoked the links of the activity (a teacher token of an older generation). */
export const TokenRevoked: CloseCode = {
  code: 4401,
  reason: 'Token revoked: the teacher issued a new link',
};
/** The token is valid but does not grant this room. */
export const Forbidden: CloseCode = { code: 4403, reason: 'Forbidden: this room is not in your token' };
/** The client holds history of a deleted epoch of this room (offline copy of a deleted notebook). */
export const StaleEpoch: CloseCode = {
  code: 4409,
  reason: 'Stale document: this notebook was deleted and re-created; discard the local copy',
};
/** The room was deleted while the client was connected. */
export const RoomDeleted: CloseCode = { code: 4410, reason: 'Room deleted' };
/** A student's update would change a locked cell (source, type, metadata, lock keys, deletion). */
export const CellLocked: CloseCode = {
  code: 4423,
  reason: 'Locked cell: this change is reserved to teachers',
};
/** Accepting the update would make the document larger than the configured maximum. */
export const DocumentTooLarge: CloseCode = { code: 4413, reason: 'Document too large' };
/** The connection sent more messages per second than allowed. */
export const TooManyMessages: CloseCode = { code: 4429, reason: 'Too many messages' };
/** The user (token subject) already holds as many WebSockets and event streams as allowed. */
export const TooManyConnections: CloseCode = {
  code: 4429,
  reason: 'Too many connections for one user: close some pages',
};
/** The room could not be written to or read from storage; nothing unsaved was broadcast. */
export const StorageFailure: CloseCode = {
  code: 4500,
  reason: 'Storage failure: the server could not save this room; your edits stay in your editor',
};
/** The client does not read fast enough: its send buffer kept growing. It may reconnect. */
export const SlowConsumer: CloseCode = { code: 4503, reason: 'Slow consumer: too much unsent data' };
/** One presence (awareness) state is larger than any editor sends (4 KiB). */
export const PresenceTooLarge: CloseCode = { code: 4413, reason: 'Presence state too large' };
/** The connection sent presence (awareness) updates faster than any editor does (20 per second, bursts of 100). */
export const TooManyPresenceUpdates: CloseCode = { code: 4429, reason: 'Too many presence updates' };
/**
 * Updates waiting for history the server never received grew past the message
 * size limit (a client sending updates with gaps): they are discarded.
 */
export const UnresolvedUpdates: CloseCode = {
  code: 4413,
  reason: 'Too large: updates waiting for missing history exceed the limit; reload to resync',
};
/** A single message was larger than the configured maximum (sent by the ws library itself). */
export const MessageTooLarge: CloseCode = { code: 1009, reason: 'Max payload size exceeded' };
/** Handling a frame failed inside the server (a bug, logged); the client reconnects. */
export const InternalError: CloseCode = { code: 1011, reason: 'Internal server error' };
/** The server is shutting down or restarting; clients reconnect. */
export const ServiceRestart: CloseCode = { code: 1012, reason: 'Server restarting' };
/** A student's update holds more structs than one message may (counted before it is decoded). */
export const TooManyStructs: CloseCode = {
  code: 4413,
  reason: 'Update too large: too many changes in one message',
};
/** A student's update would make the document larger (in bytes or structs) than a pupil's copy may be. */
export const StudentDocumentTooLarge: CloseCode = {
  code: 4413,
  reason: 'Document too large for a pupil: the change was not applied',
};
/**
 * A student's update refers to changes the server does not have (it cannot be
 * checked against locks): not applied. Reconnecting resyncs an honest client.
 */
export const UncheckableUpdate: CloseCode = {
  code: 4512,
  reason: 'Out of sync: the update refers to changes the server does not have; reconnecting resyncs',
};
/** Applying the update would take the server past its memory budget: not applied; the client retries. */
export const MemoryBudgetReached: CloseCode = {
  code: 4513,
  reason: 'Server memory budget reached: the change was not applied; try again later',
};
