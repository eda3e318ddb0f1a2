import { describe, expect, it } from 'vitest';
import { commentsByCell, commentsOf } from '../src/cells/cell-comments.js';
import { findFollowed, type Person } from '../src/presence/people.js';

describe('commentsByCell', () => {
  it('groups the API’s comments by cell, oldest first', () => {
    const byCell = commentsByCell([
      {
        id: 'k2',
        cell_id: 'c1',
        text: 'Relis la consigne',
        author: 'Mme Durand',
        at: '2026-11-28T10:05:00Z',
      },
      { id: 'k1', cell_id: 'c1', text: 'Bien', author: 'Mme Durand', at: '2026-11-28T10:00:00Z' },
      { id: 'k3', cell_id: 'c2', text: 'Et si n = 0 ?', at: '2026-11-28T10:01:00Z' },
    ]);
    expect(commentsOf(byCell, 'c1').map((c) => c.id)).toEqual(['k1', 'k2']);
    expect(commentsOf(byCell, 'c2')).toEqual([
      { id: 'k3', text: 'Et si n = 0 ?', at: '2026-11-28T10:01:00Z' },
    ]);
    expect(commentsOf(byCell, 'c3')).toEqual([]);
  });

  it('skips malformed entries and survives cell ids named like Object’s own properties', () => {
    const byCell = commentsByCell([
      null,
      'texte',
      { id: 1, cell_id: 'c1', text: 'x' },
      { id: 'k1', cell_id: 'c1' },
      { id: 'k2', cell_id: '__proto__', text: 'a' },
      { id: 'k3', cell_id: 'constructor', text: 'b', author: 42 },
    ]);
    expect(Object.keys(byCell).sort()).toEqual(['__proto__', 'constructor']);
    expect(commentsOf(byCell, 'constructor')).toEqual([{ id: 'k3', text: 'b' }]);
    expect(commentsOf(byCell, 'toString')).toEqual([]);
    expect(commentsByCell({ comments: [] })).toEqual({});
  });
});

const person = (clientId: number, name: string, role: Person['role'], self = false): Person => ({
  clientId,
  name,
  role,
  color: '#000',
  cell: null,
  self,
});

describe('findFollowed', () => {
  const people = [
    person(1, 'Mme Durand', 'teacher', true),
    person(2, 'Tom', 'student'),
    person(3, 'Mme Durand', 'teacher'),
  ];

  it('finds another person by name, never oneself', () => {
    expect(findFollowed(people, 'Mme Durand')?.clientId).toBe(3);
    expect(findFollowed(people, ' Tom ')?.clientId).toBe(2);
    expect(findFollowed(people, 'Léa')).toBeNull();
    expect(findFollowed(people, '')).toBeNull();
  });

  it('finds a person by role with role:<role>, and not by a name that looks like one', () => {
    expect(findFollowed(people, 'role:teacher')?.clientId).toBe(3);
    expect(findFollowed([person(4, 'role:teacher', 'student')], 'role:teacher')).toBeNull();
  });

  it('skips people already followed once', () => {
    expect(findFollowed(people, 'Tom', new Set([2]))).toBeNull();
  });
});
