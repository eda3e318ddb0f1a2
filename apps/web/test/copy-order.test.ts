import { describe, expect, it } from 'vitest';
import type { CopyRow } from '../src/classroom/api.js';
import { asFilter, asOrder, neighbours, orderCopies } from '../src/classroom/copy-order.js';

const row = (id: string, name: string, extra: Partial<CopyRow> = {}): CopyRow => ({
  id,
  room: `act-aaaaaaaaaa-${id}`,
  members: [{ id: `p-${id}`, name, online: false }],
  online: false,
  lastEditAt: null,
  cellsRun: 0,
  errors: 0,
  state: 'in-progress',
  handedInAt: null,
  grade: null,
  ...extra,
});

const copies = [
  row('a', 'Émile', { errors: 1, lastEditAt: '2026-01-01T10:00:00Z' }),
  row('b', 'bruno', { errors: 3, state: 'corrected' }),
  row('c', 'Chloé', { errors: 1, lastEditAt: '2026-01-01T11:00:00Z', state: 'handed-in' }),
];
const ids = (list: CopyRow[]) => list.map((c) => c.id);

describe('the order of the dashboard’s copies', () => {
  it('sorts by name with accents and case folded, errors, last edit and state; ties keep joining order', () => {
    expect(ids(orderCopies(copies, 'joined', 'all'))).toEqual(['a', 'b', 'c']);
    expect(ids(orderCopies(copies, 'name', 'all'))).toEqual(['b', 'c', 'a']);
    expect(ids(orderCopies(copies, 'errors', 'all'))).toEqual(['b', 'a', 'c']);
    expect(ids(orderCopies(copies, 'last-edit', 'all'))).toEqual(['c', 'a', 'b']);
    expect(ids(orderCopies(copies, 'state', 'all'))).toEqual(['a', 'c', 'b']);
  });

  it('filters by state and by errors, and reads unknown values as the defaults', () => {
    expect(ids(orderCopies(copies, 'joined', 'handed-in'))).toEqual(['c']);
    expect(ids(orderCopies([...copies, row('d', 'Dan')], 'joined', 'errors'))).toEqual(['a', 'b', 'c']);
    expect(asOrder('nope')).toBe('joined');
    expect(asFilter({})).toBe('all');
    expect(asFilter('corrected')).toBe('corrected');
  });

  it('finds the previous and next copies', () => {
    expect(ids(Object.values(neighbours(copies, 'b')) as CopyRow[])).toEqual(['a', 'c']);
    expect(neighbours(copies, 'a').previous).toBeNull();
    expect(neighbours(copies, 'zz')).toEqual({ previous: null, next: null });
  });
});
