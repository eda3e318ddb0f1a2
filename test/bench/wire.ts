// The two wire dialects the load generator speaks. Both carry y-protocols
// sync and awareness messages; Hocuspocus prefixes every message with the
// document name, wants an Auth message before anything else, and acknowledges
// every update with a SyncStatus message.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** How a peer frames y-protocols messages. */
export type Dialect = 'y-websocket' | 'hocuspocus';

/** Top-level message types shared by both dialects (Hocuspocus adds more). */
export const messageSync = 0;
export const messageAwareness = 1;
const messageAuth = 2;
/** Sync sub-messages of y-protocols. */
export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

/** A decoded frame: its top-level type, and for sync messages the sub-type and payload. */
export interface Frame {
  type: number;
  sub: number;
  payload: Uint8Array | null;
}

const frame = (dialect: Dialect, room: string, write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  if (dialect === 'hocuspocus') encoding.writeVarString(e, room);
  write(e);
  return encoding.toUint8Array(e);
};

/** Encodes a sync sub-message (step 1 carries a state vector, step 2 and update carry an update). */
export const encodeSync = (dialect: Dialect, room: string, sub: number, payload: Uint8Array): Uint8Array =>
  frame(dialect, room, (e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, sub);
    encoding.writeVarUint8Array(e, payload);
  });

/** Encodes an awareness update of one client id holding `state` (JSON). */
export const encodeAwareness = (
  dialect: Dialect,
  room: string,
  clientId: number,
  clock: number,
  state: string,
): Uint8Array =>
  frame(dialect, room, (e) => {
    encoding.writeVarUint(e, messageAwareness);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1);
    encoding.writeVarUint(inner, clientId);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, state);
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  });

/** The Hocuspocus handshake: an Auth message with a (here empty) token; null for y-websocket. */
export const encodeHello = (dialect: Dialect, room: string): Uint8Array | null =>
  dialect === 'hocuspocus'
    ? frame(dialect, room, (e) => {
        encoding.writeVarUint(e, messageAuth);
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, '');
      })
    : null;

/**
 * Decodes the head of a frame. The payload is read only for sync messages when
 * `withPayload` is set, so that counting receivers stay cheap.
 */
export const decodeFrame = (dialect: Dialect, data: Uint8Array, withPayload: boolean): Frame => {
  const d = decoding.createDecoder(data);
  if (dialect === 'hocuspocus') decoding.readVarString(d);
  const type = decoding.readVarUint(d);
  if (type !== messageSync) return { type, sub: -1, payload: null };
  const sub = decoding.readVarUint(d);
  return { type, sub, payload: withPayload || sub !== syncUpdate ? decoding.readVarUint8Array(d) : null };
};

/** The WebSocket URL of a room on a peer. */
export const roomUrl = (dialect: Dialect, base: string, room: string): string =>
  dialect === 'hocuspocus' ? base : `${base}/${room}`;
