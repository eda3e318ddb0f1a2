import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { CELLS, codeCellKeys, type YCell } from './ydoc.js';

// What the lock guard needs to compare a cell that an update creates with the
// cell it claims to move: the new cell's content as it will read once applied.
// The update's structs are replayed into a scratch document where everything
// the server already holds is a garbage-collected range and each new cell sits
// directly in the cells array: its own subtree integrates there exactly as it
// will in the real document (Yjs does the ordering), at the cost of the update
// alone, not of the document.

/** A cell read as plain JSON: every key but outputs and run state (`rest`), and its metadata. */
export interface CellSnapshot {
  id: string;
  /** The cell's keys other than outputs and run state, as JSON (source as a string). */
  rest: Record<string, unknown>;
  metadata: unknown;
}

const plain = (value: unknown): unknown => {
  if (value instanceof Y.Text) return value.toString();
  if (value instanceof Y.AbstractType) return value.toJSON();
  return value;
};

/** Reads a cell map into a snapshot; outputs and run state are left out, as running a locked cell writes them. */
export const snapshotOf = (cell: YCell): CellSnapshot => {
  const rest: Record<string, unknown> = {};
  cell.forEach((value, key) => {
    if (!codeCellKeys.has(key)) rest[key] = plain(value);
  });
  return { id: String(rest.id ?? ''), rest, metadata: rest.metadata };
};

/** JSON with object keys sorted, so that two equal values give one string. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    if (v instanceof Uint8Array) return Array.from(v);
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  }) ?? 'undefined';

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Replays the new parts of an update (`structs` and `ds` as decoded) into a
 * scratch document, with each item of `newCells` moved to the scratch cells
 * array, and returns the snapshots of those cells that are still there after
 * it (a cell the update creates and deletes again is left out). `known(s)`
 * says whether the server already holds a struct, which the real document
 * would skip; `state` is the server's state vector. Partial overlaps must have been refused before.
 */
export const replayNewCells = (
  structs: Struct[],
  ds: { clients: Map<number, { clock: number; len: number }[]> },
  newCells: Y.Item[],
  known: (s: Struct) => boolean,
  state: Map<number, number>,
): Map<Y.Item, CellSnapshot> => {
  const rootify = new Set(newCells);
  const byClient = new Map<number, Struct[]>();
  for (const s of structs) {
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  // What the server holds of clients absent from the update: one collected range each.
  const elsewhere = [...state].filter(([client, clock]) => clock > 0 && !byClient.has(client));
  const enc = new Y.UpdateEncoderV1();
  encoding.writeVarUint(enc.restEncoder, byClient.size + elsewhere.length);
  for (const [client, clock] of elsewhere) {
    encoding.writeVarUint(enc.restEncoder, 1);
    enc.writeClient(client);
    encoding.writeVarUint(enc.restEncoder, 0);
    new Y.GC(Y.createID(client, 0), clock).write(enc, 0);
  }
  for (const [client, list] of byClient) {
    const first = list[0]!.id.clock;
    encoding.writeVarUint(enc.restEncoder, list.length + (first > 0 ? 1 : 0));
    enc.writeClient(client);
    encoding.writeVarUint(enc.restEncoder, 0);
    if (first > 0) new Y.GC(Y.createID(client, 0), first).write(enc, 0);
    for (const s of list) {
      if (!(s instanceof Y.Item) || known(s)) new Y.GC(s.id, s.length).write(enc, 0);
      else if (rootify.has(s)) {
        const parent = CELLS as unknown as Y.AbstractType<unknown>;
        new Y.Item(s.id, null, null, null, null, parent, null, s.content).write(enc, 0);
      } else s.write(enc, 0);
    }
  }
  encoding.writeVarUint(enc.restEncoder, ds.clients.size);
  for (const [client, ranges] of ds.clients) {
    enc.resetDsCurVal();
    encoding.writeVarUint(enc.restEncoder, client);
    encoding.writeVarUint(enc.restEncoder, ranges.length);
    for (const r of ranges) {
      enc.writeDsClock(r.clock);
      enc.writeDsLen(r.len);
    }
  }
  const scratch = new Y.Doc({ gc: false });
  scratch.getArray(CELLS);
  Y.applyUpdate(scratch, enc.toUint8Array());
  const out = new Map<Y.Item, CellSnapshot>();
  for (const cell of newCells) {
    const item =
      Y.getState(scratch.store, cell.id.client) > cell.id.clock ? Y.getItem(scratch.store, cell.id) : null;
    if (!(item instanceof Y.Item) || item.deleted || !(item.content instanceof Y.ContentType)) continue;
    const type = item.content.type;
    if (type instanceof Y.Map) out.set(cell, snapshotOf(type as YCell));
  }
  scratch.destroy();
  return out;
};
