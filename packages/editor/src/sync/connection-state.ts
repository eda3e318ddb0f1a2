import { closeCodes } from '@candyce/protocol';
/**
 * What the connection indicator shows:
 * - `local`: no server configured, the notebook lives on this device;
 * - `connecting`: first connection, nothing received yet;
 * - `syncing`: connected, exchanging what each side misses;
 * - `online`: in sync, edits go out as they are made;
 * - `offline`: no connection (edits are kept in this browser);
 * - `denied`: the server refused the token or the room;
 * - `stale`: the room was deleted and re-created; the local copy cannot be merged.
 */
export type ConnectionStatus = 'local' | 'connecting' | 'syncing' | 'online' | 'offline' | 'denied' | 'stale';

/** The connection state shown to the user and sent to the host page. */
export interface ConnectionState {
  status: ConnectionStatus;
  /** True when this browser holds edits that the server has not received yet. */
  unsent: boolean;
  /** Why the server refused, when `status` is `denied` (the server's words, in English). */
  reason?: string;
  /** The close code of the refusal, when `status` is `denied` (see {@link closeCode}). */
  code?: number;
}

/** The close codes of the server that the editor acts on (defined in @candyce/protocol). */
export const closeCode = {
  unauthorized: closeCodes.Unauthorized.code,
  forbidden: closeCodes.Forbidden.code,
  staleEpoch: closeCodes.StaleEpoch.code,
  roomDeleted: closeCodes.RoomDeleted.code,
} as const;

/** Returns the state after the server closed the connection for good with `code`. */
export const stateAfterClose = (code: number, reason: string, unsent: boolean): ConnectionState => {
  if (code === closeCode.staleEpoch || code === closeCode.roomDeleted) return { status: 'stale', unsent };
  return { status: 'denied', unsent, reason: reason || String(code), code };
};
