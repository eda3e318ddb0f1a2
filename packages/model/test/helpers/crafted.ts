import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

// Hand-made updates, as a modified client could send them: the stock Yjs
// encoder always writes what its document did, these drop or reshape parts.

type Struct = Y.Item | Y.GC | Y.Skip;

/** Encodes decoded structs (consecutive per client) and deletion ranges as a v1 update. */
export const encodeStructs = (
  structs: Struct[],
  deletions: [client: number, clock: number, len: number][] = [],
): Uint8Array => {
  const byClient = new Map<number, Struct[]>();
  for (const s of structs) {
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  const enc = new Y.UpdateEncoderV1();
  encoding.writeVarUint(enc.restEncoder, byClient.size);
  for (const [client, list] of byClient) {
    encoding.writeVarUint(enc.restEncoder, list.length);
    enc.writeClient(client);
    encoding.writeVarUint(enc.restEncoder, list[0]!.id.clock);
    for (const s of list) s.write(enc, 0);
  }
  const ds = new Map<number, [number, number][]>();
  for (const [client, clock, len] of deletions) ds.set(client, [...(ds.get(client) ?? []), [clock, len]]);
  encoding.writeVarUint(enc.restEncoder, ds.size);
  for (const [client, ranges] of ds) {
    enc.resetDsCurVal();
    encoding.writeVarUint(enc.restEncoder, client);
    encoding.writeVarUint(enc.restEncoder, ranges.length);
    for (const [clock, len] of ranges) {
      enc.writeDsClock(clock);
      enc.writeDsLen(len);
    }
  }
  return enc.toUint8Array();
};

/** The same update without its deletions (Yjs still deletes a map entry that a new one overwrites). */
export const withoutDeletions = (update: Uint8Array): Uint8Array =>
  encodeStructs(Y.decodeUpdate(update).structs as Struct[]);

/** The structs of an update, split in two: those of the given parent keys and the rest. */
export const decodeStructs = (update: Uint8Array): Struct[] => Y.decodeUpdate(update).structs as Struct[];

/**
 * An update of `n` one-character inserts into `text`, each typed before the
 * previous one: none of them can be merged with its neighbour, and each names
 * the previous as its right neighbour, a chain of `n` to walk for a naive check.
 */
export const chainedInserts = (doc: Y.Doc, text: Y.Text, n: number): Uint8Array => {
  const sv = Y.encodeStateVector(doc);
  for (let i = 0; i < n; i++) text.insert(0, String.fromCharCode(97 + (i % 26)));
  return Y.encodeStateAsUpdate(doc, sv);
};
