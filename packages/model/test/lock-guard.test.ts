import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendStreamText,
  deleteCell,
  findLockViolation,
  getCell,
  importIpynb,
  insertCell,
  moveCell,
  sourceOf,
} from '../src/index.js';

// A server's copy of a notebook and a student's copy; the student's raw Yjs
// edits bypass the model's checks, as a modified editor would.
const setup = () => {
  const server = new Y.Doc();
  importIpynb(server, {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { id: 'free', cell_type: 'code', source: 'a', metadata: {}, outputs: [], execution_count: null },
      {
        id: 'ro',
        cell_type: 'code',
        source: 'b',
        metadata: { editable: false },
        outputs: [],
        execution_count: null,
      },
      { id: 'keep', cell_type: 'markdown', source: 'c', metadata: { deletable: false } },
      {
        id: 'graded',
        cell_type: 'code',
        source: 'd',
        metadata: { nbgrader: { locked: true, grade_id: 'q', solution: false } },
        outputs: [],
        execution_count: null,
      },
    ],
  });
  const student = new Y.Doc();
  Y.applyUpdate(student, Y.encodeStateAsUpdate(server));
  const capture = (fn: () => void): Uint8Array => {
    const updates: Uint8Array[] = [];
    const on = (u: Uint8Array) => updates.push(u);
    student.on('update', on);
    fn();
    student.off('update', on);
    return Y.mergeUpdates(updates);
  };
  return { server, student, capture };
};

describe('findLockViolation', () => {
  it('refuses typing in a non-editable cell', () => {
    const { server, student, capture } = setup();
    const u = capture(() => sourceOf(getCell(student, 'ro')).insert(1, 'x'));
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'ro', operation: 'edit' });
    expect(findLockViolation(server, u, 'teacher')).toBeNull();
  });

  it('refuses deleting text of an nbgrader-locked cell', () => {
    const { server, student, capture } = setup();
    const u = capture(() => sourceOf(getCell(student, 'graded')).delete(0, 1));
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'graded', operation: 'edit' });
  });

  it('refuses a change of type of a non-editable cell', () => {
    const { server, student, capture } = setup();
    const u = capture(() => getCell(student, 'ro').set('cell_type', 'markdown'));
    expect(findLockViolation(server, u, 'student')).toEqual({ cellId: 'ro', operation: 'edit' });
  });

  it('refuses a student unlocking a cell or locking another', () => {
    const { server, student, capture } = setup();
    const unlock = capture(() =>
      (getCell(student, 'ro').get('metadata') as Y.Map<unknown>).delete('editable'),
    );
    expect(findLockViolation(server, unlock, 'student')?.operation).toBe('lock');
    const { server: s2, student: st2, capture: c2 } = setup();
    const lock = c2(() => (getCell(st2, 'free').get('metadata') as Y.Map<unknown>).set('editable', false));
    expect(findLockViolation(s2, lock, 'student')).toEqual({ cellId: 'free', operation: 'lock' });
  });

  it('refuses deleting a non-deletable cell but allows moving it', () => {
    const { server, student, capture } = setup();
    const del = capture(() => deleteCell(student, 'keep', { role: 'teacher' }));
    expect(findLockViolation(server, del, 'student')).toEqual({ cellId: 'keep', operation: 'delete' });
    const { server: s2, student: st2, capture: c2 } = setup();
    const move = c2(() => moveCell(st2, 'keep', 0));
    expect(findLockViolation(s2, move, 'student')).toBeNull();
  });

  it('allows outputs on locked cells, edits of free cells and new cells', () => {
    const { server, student, capture } = setup();
    const u = capture(() => {
      appendStreamText(student, 'graded', 'stdout', 'ran\n');
      sourceOf(getCell(student, 'free')).insert(0, 'yy');
      const id = insertCell(student, 1, { cell_type: 'code', source: 'new', metadata: { tags: ['mine'] } });
      sourceOf(getCell(student, id)).insert(3, '!');
    });
    expect(findLockViolation(server, u, 'student')).toBeNull();
  });

  it('throws on an update that cannot be decoded', () => {
    const { server } = setup();
    expect(() => findLockViolation(server, new Uint8Array([1, 200, 200, 200]), 'student')).toThrow();
  });
});
