import type { CopyRow } from './api.js';
import { type CopyState, copyStates, whoOf } from './format.js';

// Sorting and filtering of the dashboard's copies. Pure: unit-tested in Node.

/** How the dashboard orders its copies. */
export type CopyOrder = 'joined' | 'name' | 'errors' | 'last-edit' | 'state';

/** The orders, in the order the dashboard offers them. */
export const copyOrders: readonly CopyOrder[] = ['joined', 'name', 'errors', 'last-edit', 'state'];

/** Which copies the dashboard shows: all, those in one state, or those with errors. */
export type CopyFilter = 'all' | CopyState | 'errors';

/** The filters, in the order the dashboard offers them. */
export const copyFilters: readonly CopyFilter[] = ['all', ...copyStates, 'errors'];

/** Returns `value` as an order, or `joined`. */
export const asOrder = (value: unknown): CopyOrder =>
  (copyOrders as readonly unknown[]).includes(value) ? (value as CopyOrder) : 'joined';

/** Returns `value` as a filter, or `all`. */
export const asFilter = (value: unknown): CopyFilter =>
  (copyFilters as readonly unknown[]).includes(value) ? (value as CopyFilter) : 'all';

const time = (iso: string | null): number => (iso ? Date.parse(iso) || 0 : 0);

/**
 * Returns the copies `filter` keeps, in `order`: by name (French collation),
 * most errors first, most recent edit first (never edited last), by state in
 * the order of the work; ties keep the order of joining (the server's).
 */
export const orderCopies = (
  copies: readonly CopyRow[],
  order: CopyOrder,
  filter: CopyFilter,
  lang: 'fr' | 'en' = 'fr',
): CopyRow[] => {
  const kept = copies.filter((c) =>
    filter === 'all' ? true : filter === 'errors' ? c.errors > 0 : c.state === filter,
  );
  if (order === 'joined') return kept;
  const collator = new Intl.Collator(lang, { sensitivity: 'base', numeric: true });
  const rank = (c: CopyRow) => copyStates.indexOf(c.state);
  const compare: Record<Exclude<CopyOrder, 'joined'>, (a: CopyRow, b: CopyRow) => number> = {
    name: (a, b) => collator.compare(whoOf(a), whoOf(b)),
    errors: (a, b) => b.errors - a.errors,
    'last-edit': (a, b) => time(b.lastEditAt) - time(a.lastEditAt),
    state: (a, b) => rank(a) - rank(b),
  };
  // Array.prototype.sort is stable: equal copies stay in joining order.
  return [...kept].sort(compare[order]);
};

/** Returns the copies before and after `id` in `copies`, for a teacher going through them one by one. */
export const neighbours = (
  copies: readonly CopyRow[],
  id: string,
): { previous: CopyRow | null; next: CopyRow | null } => {
  const index = copies.findIndex((c) => c.id === id);
  if (index < 0) return { previous: null, next: null };
  return { previous: copies[index - 1] ?? null, next: copies[index + 1] ?? null };
};

const orderKey = (activityId: string) => `candyce:order:${activityId}`;

/** The order and filter the teacher chose for an activity's copies on this device (kept for the copy pages' next/previous). */
export const savedOrder = (activityId: string): { order: CopyOrder; filter: CopyFilter } => {
  try {
    const value = JSON.parse(localStorage.getItem(orderKey(activityId)) ?? '{}') as Record<string, unknown>;
    return { order: asOrder(value.order), filter: asFilter(value.filter) };
  } catch {
    return { order: 'joined', filter: 'all' };
  }
};

/** Keeps the order and filter of an activity's copies on this device. */
export const saveOrder = (activityId: string, order: CopyOrder, filter: CopyFilter): void => {
  try {
    localStorage.setItem(orderKey(activityId), JSON.stringify({ order, filter }));
  } catch {
    // Refused: the copy pages go through the copies in joining order.
  }
};
