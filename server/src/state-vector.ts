import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Decodes a Yjs-encoded state vector into a map from client id to clock. */
export const decodeStateVector = (bytes: Uint8Array): Map<number, number> => {
  const decoder = decoding.createDecoder(bytes);
  const size = decoding.readVarUint(decoder);
  const sv = new Map<number, number>();
  for (let i = 0; i < size; i++) sv.set(decoding.readVarUint(decoder), decoding.readVarUint(decoder));
  return sv;
};

/** Encodes a map from client id to clock as a Yjs state vector. */
export const encodeStateVector = (sv: ReadonlyMap<number, number>): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, sv.size);
  for (const [client, clock] of sv) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
};

/** Returns the per-client maximum of two state vectors. */
export const mergeStateVectors = (
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
): Map<number, number> => {
  const merged = new Map(a);
  for (const [client, clock] of b) merged.set(client, Math.max(clock, merged.get(client) ?? 0));
  return merged;
};
