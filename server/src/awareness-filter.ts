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

/**
 * Returns the `user.name` an awareness state (parsed from its JSON) claims:
 * undefined when the state has no `user` (nothing claimed), null when it is
 * not a string (an invalid claim).
 */
export const claimedName = (state: unknown): string | null | undefined => {
  if (state === null || typeof state !== 'object') return undefined;
  const user = (state as { user?: unknown }).user;
  if (user === undefined) return undefined;
  if (user === null || typeof user !== 'object') return null;
  const name = (user as { name?: unknown }).name;
  if (name === undefined) return undefined;
  return typeof name === 'string' ? name : null;
};
