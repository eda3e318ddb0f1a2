import * as Y from 'yjs';
import { type LockedOperation, UnresolvedUpdateError } from './errors.js';
import { type LineageRecord, MOVES, parseIdKey } from './lineage.js';
import { checkRecords } from './lock-records.js';
import { type CellSnapshot, canonical, replayNewCells, snapshotOf } from './lock-replay.js';
import { carriesLockKeys, cellLockOf, lockKeys, lockOfJSON, type Role } from './locks.js';
import { updateSize } from './update-size.js';
import { CELLS, cellIdOf, cellsOf, codeCellKeys, type YCell } from './ydoc.js';

// Checks an incoming update against cell locks before it is applied, for a
// server that must not trust a student's editor. The update is decoded and
// every new item and every deletion is placed the way Yjs will place it: an
// item names its parent only when it has no neighbours, otherwise it takes the
// parent and map key of its left neighbour (or right one). Places are
// memoised and neighbours found by binary search, so the check costs
// O(n log n) in the size of the update, whatever the chains it holds.
//
// The key under the cell says what is touched: source, type or metadata are
// edits; outputs and run state are what running a locked cell writes and stay
// allowed; lock keys (`editable`, `deletable`, `nbgrader`) are the teacher's.
// A move deletes a cell and creates a clone with the same id: the clone's
// content is replayed (see lock-replay.ts) and compared. A student may move a
// locked cell only unchanged: the same keys, type, source, metadata and
// attachments (everything but outputs and run state, which running it writes
// anyway); a cell that is only non-deletable, or an nbgrader cell the pupil
// answers in, keeps its lock keys unchanged. Any other new cell may not carry
// lock or grading keys, nor take a locked cell's id; lineage records must tell
// the truth about the update's own moves (see lock-records.ts), as every
// peer's repair acts on them. An update that depends on history neither the server
// nor the update holds cannot be placed, so it is refused rather than kept
// aside by Yjs, to be applied later unchecked.

/** A refused change: which cell, and what the lock forbids. */
export interface LockViolation {
  cellId: string;
  operation: LockedOperation;
}

/** The outcome of {@link inspectUpdate}. */
export type UpdateVerdict =
  | { ok: true; structs: number }
  | { ok: false; reason: 'locked'; violation: LockViolation; structs: number }
  /** The update refers to structs that neither the document nor the update holds. */
  | { ok: false; reason: 'unresolved'; structs: number }
  /** More structs and deletion ranges than `maxStructs` (counted before decoding). */
  | { ok: false; reason: 'too-many-structs'; structs: number };

/** Options of {@link inspectUpdate}. */
export interface InspectOptions {
  /** Most structs plus deletion ranges accepted in one update; checked before the update is decoded (no cap when absent). */
  maxStructs?: number;
  /** Most structs of the document that the update's deletion ranges may cover (deleted already or not). */
  maxDeletedStructs?: number;
}

type Struct = Y.Item | Y.GC | Y.Skip;

type Resolved =
  | { kind: 'root'; name: string; sub: string | null }
  | { kind: 'type'; holder: Y.Item; sub: string | null }
  /** Yjs will garbage-collect it: a neighbour or the parent is gone. */
  | { kind: 'gc' }
  | { kind: 'missing' };

type Position =
  | { kind: 'cell'; cell: Y.Item }
  | { kind: 'inside'; cell: Y.Item; key: string | null; metaKey: string | null; depth: number }
  | { kind: 'outside' }
  | { kind: 'gc' }
  | { kind: 'missing' };

const missing: Resolved = { kind: 'missing' };
const collected: Resolved = { kind: 'gc' };
const outside: Position = { kind: 'outside' };

/** Binary search of the struct that holds `clock` in a clock-sorted list. */
const findIn = (list: Struct[], clock: number): Struct | undefined => {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = list[mid]!;
    if (clock < s.id.clock) hi = mid - 1;
    else if (clock >= s.id.clock + s.length) lo = mid + 1;
    else return s;
  }
  return undefined;
};

const child = (parent: Position, sub: string | null): Position => {
  if (parent.kind === 'cell') return { kind: 'inside', cell: parent.cell, key: sub, metaKey: null, depth: 1 };
  if (parent.kind !== 'inside') return parent;
  const metaKey = parent.depth === 1 && parent.key === 'metadata' ? sub : parent.metaKey;
  return { kind: 'inside', cell: parent.cell, key: parent.key, metaKey, depth: parent.depth + 1 };
};

/**
 * Inspects `update` as written by someone with `role` before it is applied to
 * `doc`: the first lock it would break, or that it cannot be checked (it
 * depends on missing history, or holds more than `maxStructs` structs).
 * Teachers break no lock (the struct cap still applies). Students may not
 * edit the source, type or metadata of a non-editable cell, may not delete a
 * non-deletable one, may not change any cell's lock keys, may move a locked
 * cell only unchanged and may not create cells carrying lock or grading keys.
 * Throws on an undecodable update.
 */
export function inspectUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  role: Role,
  options: InspectOptions = {},
): UpdateVerdict {
  let count = -1;
  if (options.maxStructs !== undefined) {
    const size = updateSize(update, options.maxStructs);
    count = size.structs + size.deleteRanges;
    if (count > options.maxStructs) return { ok: false, reason: 'too-many-structs', structs: count };
  }
  if (role === 'teacher') {
    if (count < 0) {
      const size = updateSize(update);
      count = size.structs + size.deleteRanges;
    }
    return { ok: true, structs: count };
  }
  const { structs, ds } = Y.decodeUpdate(update) as {
    structs: Struct[];
    ds: { clients: Map<number, { clock: number; len: number }[]> };
  };
  if (count < 0) {
    count = structs.length;
    for (const ranges of ds.clients.values()) count += ranges.length;
  }
  const result = (violation: LockViolation | null | 'unresolved'): UpdateVerdict =>
    violation === null
      ? { ok: true, structs: count }
      : violation === 'unresolved'
        ? { ok: false, reason: 'unresolved', structs: count }
        : { ok: false, reason: 'locked', violation, structs: count };

  // Incoming structs by client, in clock order (as decoded), and how far each
  // client's history reaches once the update is applied.
  const incoming = new Map<number, Struct[]>();
  const reach = new Map<number, number>();
  const own = new Set<Struct>();
  for (const s of structs) {
    own.add(s);
    const client = s.id.client;
    let list = incoming.get(client);
    if (!list) {
      list = [];
      incoming.set(client, list);
      reach.set(client, Y.getState(doc.store, client));
    }
    list.push(s);
    if (s instanceof Y.Skip) continue;
    const avail = reach.get(client)!;
    // A gap before a struct: Yjs would keep the rest of this client aside.
    if (s.id.clock > avail) return result('unresolved');
    const end = s.id.clock + s.length;
    if (s instanceof Y.Item && s.id.clock < avail && end > avail) {
      // Half known, half new: Yjs would glue the new half to the known one, wherever that is.
      return result('unresolved');
    }
    if (end > avail) reach.set(client, end);
  }
  const stateOf = (client: number): number => Y.getState(doc.store, client);
  const known = (s: Struct): boolean => s.id.clock + s.length <= stateOf(s.id.client);

  const lookup = (id: Y.ID): Struct | undefined => {
    if (id.clock < stateOf(id.client)) {
      const s = Y.getItem(doc.store, id) as Struct;
      return s;
    }
    const s = findIn(incoming.get(id.client) ?? [], id.clock);
    return s instanceof Y.Skip ? undefined : s;
  };

  // Only the cells array matters; other roots are named once each (a lookup walks them all).
  const rootNames = new Map<Y.AbstractType<unknown>, string>();
  const rootName = (type: Y.AbstractType<unknown>): string => {
    if (type === doc.share.get(CELLS)) return CELLS;
    let name = rootNames.get(type);
    if (name === undefined) {
      name = Y.findRootTypeKey(type);
      rootNames.set(type, name);
    }
    return name;
  };

  // What an item's own fields say: a final answer, or the neighbour to inherit from.
  const direct = (item: Y.Item): Resolved | Y.Item => {
    if (!own.has(item)) {
      const parent = item.parent as Y.AbstractType<unknown> | null;
      if (!parent) return collected;
      if (parent._item) return { kind: 'type', holder: parent._item, sub: item.parentSub };
      return { kind: 'root', name: rootName(parent), sub: item.parentSub };
    }
    const p = item.parent as unknown;
    if (typeof p === 'string') return { kind: 'root', name: p, sub: item.parentSub };
    if (p instanceof Y.ID) {
      if (p.client === item.id.client && p.clock >= item.id.clock) return missing;
      const holder = lookup(p);
      if (!holder) return missing;
      if (!(holder instanceof Y.Item)) return collected;
      if (!(holder.content instanceof Y.ContentType)) return missing;
      return { kind: 'type', holder, sub: item.parentSub };
    }
    const near = (id: Y.ID | null): Struct | null | undefined => {
      if (!id) return null;
      if (id.client === item.id.client && id.clock >= item.id.clock) return undefined;
      return lookup(id);
    };
    const left = near(item.origin);
    const right = near(item.rightOrigin);
    if (left === undefined || right === undefined) return missing;
    if ((left && !(left instanceof Y.Item)) || (right && !(right instanceof Y.Item))) return collected;
    return (left as Y.Item | null) ?? (right as Y.Item | null) ?? collected;
  };

  const inProgress: Resolved = { kind: 'missing' };
  const resolved = new Map<Y.Item, Resolved>();
  const resolve = (start: Y.Item): Resolved => {
    const chain: Y.Item[] = [];
    let cur = start;
    let answer: Resolved;
    for (;;) {
      const memo = resolved.get(cur);
      if (memo) {
        answer = memo;
        break;
      }
      const step = direct(cur);
      if (step instanceof Y.Item) {
        resolved.set(cur, inProgress);
        chain.push(cur);
        cur = step;
        continue;
      }
      resolved.set(cur, step);
      answer = step;
      break;
    }
    // A cycle of neighbours resolves to nothing: Yjs could not integrate it either.
    if (answer === inProgress) answer = missing;
    for (const c of chain) resolved.set(c, answer);
    return answer;
  };

  const pending: Position = { kind: 'missing' };
  const positions = new Map<Y.Item, Position>();
  const positionOf = (start: Y.Item): Position => {
    const chain: { item: Y.Item; sub: string | null }[] = [];
    let cur = start;
    let base: Position;
    for (;;) {
      const memo = positions.get(cur);
      if (memo) {
        base = memo === pending ? { kind: 'missing' } : memo;
        break;
      }
      const r = resolve(cur);
      if (r.kind === 'type') {
        positions.set(cur, pending);
        chain.push({ item: cur, sub: r.sub });
        cur = r.holder;
        continue;
      }
      base =
        r.kind === 'root' ? (r.name === CELLS ? { kind: 'cell', cell: cur } : outside) : { kind: r.kind };
      positions.set(cur, base);
      break;
    }
    let pos = base;
    for (let i = chain.length - 1; i >= 0; i--) {
      pos = child(pos, chain[i]!.sub);
      positions.set(chain[i]!.item, pos);
    }
    return pos;
  };

  const cellMap = (item: Y.Item): YCell | null =>
    item.content instanceof Y.ContentType && item.content.type instanceof Y.Map
      ? (item.content.type as YCell)
      : null;

  // What a change at `pos` in a cell the server holds is, for a student.
  const judge = (pos: Position & { kind: 'inside' }): LockViolation | null => {
    const cell = cellMap(pos.cell);
    if (!cell) return null;
    const cellId = cellIdOf(cell);
    // The metadata map holds the lock keys: replacing it is a lock change.
    if (pos.key === 'metadata' && pos.depth === 1) return { cellId, operation: 'lock' };
    if (pos.key === 'metadata' && pos.metaKey !== null && lockKeys.has(pos.metaKey))
      return { cellId, operation: 'lock' };
    // Running a locked cell changes its outputs and run state: that is no edit.
    if (pos.key !== null && codeCellKeys.has(pos.key)) return null;
    return cellLockOf(cell).editable ? null : { cellId, operation: 'edit' };
  };

  let lockedIdSet: Set<string> | null = null;
  const lockedIds = (): Set<string> => {
    if (!lockedIdSet) {
      lockedIdSet = new Set();
      for (const cell of cellsOf(doc)) {
        if (!(cell instanceof Y.Map)) continue;
        const md = cell.get('metadata');
        const json = md instanceof Y.AbstractType ? md.toJSON() : md;
        if (carriesLockKeys(json)) lockedIdSet.add(cellIdOf(cell));
      }
    }
    return lockedIdSet;
  };
  const newCells: Y.Item[] = [];
  // Ids the update gives to cells it creates (a clone reuses its source's id).
  const newIds = new Set<string>();
  const idOfNew = new Map<Y.Item, string>();
  // Lineage records the update writes (root map \`moves\`): they tell every peer's repair which cells are one.
  const records: { key: string | null; value: unknown; typed: boolean }[] = [];
  let replayNeeded = false;
  for (const s of structs) {
    if (!(s instanceof Y.Item) || known(s)) continue;
    const pos = positionOf(s);
    if (pos.kind === 'missing') return result('unresolved');
    if (pos.kind === 'cell') {
      if (cellMap(s)) newCells.push(s);
      continue;
    }
    if (pos.kind === 'outside') {
      const r = resolve(s);
      if (r.kind === 'root' && r.name === MOVES)
        records.push({
          key: r.sub,
          value: s.content instanceof Y.ContentAny ? s.content.getContent()[0] : undefined,
          typed: !(s.content instanceof Y.ContentAny || s.content instanceof Y.ContentDeleted),
        });
      continue;
    }
    if (pos.kind !== 'inside') continue;
    if (own.has(pos.cell)) {
      if (pos.depth === 1 && pos.key === 'id' && s.content instanceof Y.ContentAny) {
        newIds.add(String(s.content.getContent()[0]));
        idOfNew.set(pos.cell, String(s.content.getContent()[0]));
      }
      // Inside a cell the update creates: its lock keys are judged on the replayed cell.
      if (pos.key === 'metadata' && (pos.depth === 1 || (pos.metaKey !== null && lockKeys.has(pos.metaKey))))
        replayNeeded = true;
      continue;
    }
    // Items added to a deleted cell are deleted as they arrive.
    if (pos.cell.deleted) continue;
    const violation = judge(pos);
    if (violation) return result(violation);
    // Taking a locked cell's id would make every peer's repair rename one of the two (maybe the locked one).
    if (pos.depth === 1 && pos.key === 'id' && s.content instanceof Y.ContentAny) {
      const id = String(s.content.getContent()[0]);
      if (lockedIds().has(id) && cellIdOf(cellMap(pos.cell) ?? new Y.Map()) !== id)
        return result({ cellId: id, operation: 'lock' });
    }
  }

  // Deletions: the part beyond the server's history must be in the update (or
  // Yjs would keep it and apply it to whatever arrives later under those ids).
  const maxVisited = options.maxDeletedStructs ?? Number.POSITIVE_INFINITY;
  let visited = 0;
  const deletedCells = new Set<Y.Item>();
  const deletedInside: (Position & { kind: 'inside' })[] = [];
  for (const [client, ranges] of ds.clients) {
    const state = stateOf(client);
    const structsOf = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (clock + len > Math.max(state, reach.get(client) ?? 0)) return result('unresolved');
      if (clock >= state || !structsOf) continue;
      const end = Math.min(clock + len, state);
      for (let i = Y.findIndexSS(structsOf, clock); i < structsOf.length; i++) {
        const item = structsOf[i]!;
        if (item.id.clock >= end) break;
        // A few bytes of ranges can span a whole document: what they cover is capped too.
        if (++visited > maxVisited)
          return { ok: false, reason: 'too-many-structs', structs: count + visited };
        if (!(item instanceof Y.Item) || item.deleted) continue;
        const pos = positionOf(item);
        if (pos.kind === 'cell') deletedCells.add(item);
        else if (pos.kind === 'inside' && !pos.cell.deleted) deletedInside.push(pos);
      }
    }
  }
  for (const pos of deletedInside) {
    // What lies inside a deleted cell goes with it: the cell's deletion is judged.
    if (deletedCells.has(pos.cell)) continue;
    const violation = judge(pos);
    if (violation) return result(violation);
  }

  const newCellSet = new Set(newCells);
  const recordViolation = checkRecords(records, {
    moves: doc.getMap<LineageRecord>(MOVES),
    cells: cellsOf(doc),
    newCell: (key) => {
      const id = parseIdKey(key);
      const s = findIn(incoming.get(id.client) ?? [], id.clock);
      return s instanceof Y.Item && s.id.clock === id.clock && newCellSet.has(s) ? s : undefined;
    },
    idOfNew,
    gone: (key) => {
      const id = parseIdKey(key);
      if (!Number.isSafeInteger(id.client) || !Number.isSafeInteger(id.clock) || id.clock < 0) return false;
      if (id.clock >= stateOf(id.client)) {
        const s = findIn(incoming.get(id.client) ?? [], id.clock);
        return s instanceof Y.Item && Y.isDeleted(ds as never, s.id);
      }
      const s = Y.getItem(doc.store, id);
      return s instanceof Y.Item && (s.deleted || deletedCells.has(s));
    },
  });
  if (recordViolation) return result(recordViolation);

  const guarded = [...deletedCells].filter((item) => {
    const cell = cellMap(item);
    return cell !== null && !cellLockOf(cell).deletable;
  });
  if (!replayNeeded && guarded.length === 0 && newIds.size === 0) return result(null);
  const byId = new Map<string, YCell[]>();
  for (const cell of cellsOf(doc)) {
    if (!(cell instanceof Y.Map)) continue;
    const id = cellIdOf(cell);
    const list = byId.get(id);
    if (list) list.push(cell);
    else byId.set(id, [cell]);
  }
  const locked = (cell: YCell): boolean => carriesLockKeys(snapshotOf(cell).metadata);
  const reused = [...newIds].some((id) => byId.get(id)?.some(locked));
  if (!replayNeeded && guarded.length === 0 && !reused) return result(null);

  // Moves of guarded cells, new cells with lock keys or with the id of a
  // locked cell: compare the new cells, as they will read, with the cells the
  // server holds under their id.
  const state = new Map([...doc.store.clients.keys()].map((c) => [c, stateOf(c)]));
  const snapshots = replayNewCells(structs, ds, newCells, known, state);
  const sameAs = (source: YCell, copy: CellSnapshot): 'same' | 'edited' | 'relocked' => {
    const from = snapshotOf(source);
    const fromMd = (from.metadata ?? {}) as Record<string, unknown>;
    const toMd = (copy.metadata ?? {}) as Record<string, unknown>;
    for (const key of lockKeys) if (canonical(fromMd[key]) !== canonical(toMd[key])) return 'relocked';
    if (lockOfJSON(from.metadata).editable) return 'same';
    return canonical(from.rest) === canonical(copy.rest) ? 'same' : 'edited';
  };
  for (const copy of snapshots.values()) {
    const sources = byId.get(copy.id) ?? [];
    if (!carriesLockKeys(copy.metadata) && !sources.some(locked)) continue;
    const verdicts = sources.map((source) => sameAs(source, copy));
    if (verdicts.includes('same')) continue;
    return result({ cellId: copy.id, operation: verdicts.includes('edited') ? 'edit' : 'lock' });
  }
  for (const item of guarded) {
    const cell = cellMap(item)!;
    const id = cellIdOf(cell);
    // Moved unchanged, or a duplicate clone dropped (two peers moved it at once) while an equal one stays.
    const moved = [...snapshots.values()].some((copy) => copy.id === id && sameAs(cell, copy) === 'same');
    const kept = (byId.get(id) ?? []).some(
      (other) =>
        other !== cell &&
        other._item !== null &&
        !deletedCells.has(other._item) &&
        sameAs(cell, snapshotOf(other)) === 'same',
    );
    if (!moved && !kept) return result({ cellId: id, operation: 'delete' });
  }
  return result(null);
}

/**
 * Returns the first lock that `update` would break if applied to `doc` by
 * someone with `role`, or null when it breaks none (see {@link inspectUpdate}).
 * Throws on an undecodable update, and an `UnresolvedUpdateError` on one that
 * depends on history the document does not hold.
 */
export function findLockViolation(doc: Y.Doc, update: Uint8Array, role: Role): LockViolation | null {
  const verdict = inspectUpdate(doc, update, role);
  if (verdict.ok) return null;
  if (verdict.reason === 'locked') return verdict.violation;
  throw new UnresolvedUpdateError();
}
