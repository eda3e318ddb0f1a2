import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One entry of an awareness update: a client's state at a clock (null: the client left). */
export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly json: string;
}

/** Decodes an awareness update; throws on truncated input. */
export const decodeAwarenessUpdate = (update: Uint8Array): AwarenessEntry[] => {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    entries.push({ clientId, clock, json });
  }
  return entries;
};

/** Encodes awareness entries back into an awareness update. */
export const encodeAwarenessUpdate = (entries: readonly AwarenessEntry[]): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
};

/** The fields an editor puts in a presence state's `user`; the server owns name and role. */
const userFields = new Set(['name', 'role', 'color', 'colorLight']);
const colorPattern = /^#[0-9a-fA-F]{3,8}$/;

/**
 * Returns why a presence state (parsed from its JSON) claims an identity
 * other than the token's, or null when it claims none or the right one. The
 * server owns every identity field: `user.name` must be the token's name and
 * `user.role` its role (the badge, and whom `follow="role:teacher"` follows);
 * colours must be colours; no other `user` field is accepted. The open-mode
 * local user (no token, no name) may claim anything.
 */
export const identityProblem = (
  state: unknown,
  identity: { readonly name: string | null; readonly role: string },
): string | null => {
  if (identity.name === null) return null;
  if (state === null || typeof state !== 'object') return null;
  const user = (state as { user?: unknown }).user;
  if (user === undefined) return null;
  if (user === null || typeof user !== 'object' || Array.isArray(user)) return 'user is not an object';
  for (const [key, value] of Object.entries(user)) {
    if (!userFields.has(key)) return `user.${key.slice(0, 40)} is not a presence field`;
    if (key === 'name' && value !== identity.name) return 'user.name is not the token’s name';
    if (key === 'role' && value !== identity.role) return 'user.role is not the token’s role';
    if ((key === 'color' || key === 'colorLight') && (typeof value !== 'string' || !colorPattern.test(value)))
      return `user.${key} is not a colour`;
  }
  return null;
};
