import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CellLockedError,
  canDeleteCell,
  canEditCell,
  cellIds,
  deleteCell,
  getCell,
  importIpynb,
  moveCell,
  readCell,
  setCellLock,
  setCellMetadata,
  setCellSource,
  setCellType,
} from '../src/index.js';

const nbgrader = {
  grade: true,
  grade_id: 'q1',
  locked: true,
  points: 2,
  schema_version: 3,
  solution: false,
  checksum: 'abc',
};

const docWith = (metadata: Record<string, unknown>): Y.Doc => {
  const doc = new Y.Doc();
  importIpynb(doc, {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { id: 'locked', cell_type: 'code', source: 'x', metadata, outputs: [], execution_count: null },
      { id: 'free', cell_type: 'code', source: 'y', metadata: {}, outputs: [], execution_count: null },
    ],
  });
  return doc;
};

describe('cell locks', () => {
  it('refuses edits of a non-editable cell to a student and allows them to a teacher', () => {
    const doc = docWith({ editable: false });
    expect(canEditCell(getCell(doc, 'locked'), 'student')).toBe(false);
    expect(() => setCellSource(doc, 'locked', 'z', { role: 'student' })).toThrow(CellLockedError);
    expect(() => setCellType(doc, 'locked', 'markdown')).toThrow(CellLockedError);
    expect(() => setCellMetadata(doc, 'locked', 'tags', ['a'])).toThrow(CellLockedError);
    expect(readCell(doc, 'locked').source).toBe('x');
    setCellSource(doc, 'locked', 'z', { role: 'teacher' });
    expect(readCell(doc, 'locked').source).toBe('z');
  });

  it('refuses the deletion of a non-deletable cell to a student', () => {
    const doc = docWith({ deletable: false });
    expect(canDeleteCell(getCell(doc, 'locked'), 'student')).toBe(false);
    expect(() => deleteCell(doc, 'locked')).toThrow(/locked: delete is reserved to teachers/);
    expect(cellIds(doc)).toEqual(['locked', 'free']);
    deleteCell(doc, 'locked', { role: 'teacher' });
    expect(cellIds(doc)).toEqual(['free']);
  });

  it('treats nbgrader.locked as both non-editable and non-deletable', () => {
    const doc = docWith({ nbgrader });
    expect(() => setCellSource(doc, 'locked', 'z')).toThrow(CellLockedError);
    expect(() => deleteCell(doc, 'locked')).toThrow(CellLockedError);
    setCellSource(doc, 'free', 'ok');
    expect(readCell(doc, 'free').source).toBe('ok');
  });

  it('keeps nbgrader metadata through moves, type-preserving edits and locking', () => {
    const doc = docWith({ nbgrader });
    moveCell(doc, 'locked', 1);
    setCellSource(doc, 'locked', 'changed', { role: 'teacher' });
    setCellLock(doc, 'locked', { editable: true, deletable: true }, { role: 'teacher' });
    expect(readCell(doc, 'locked').metadata).toEqual({ nbgrader: { ...nbgrader, locked: false } });
    setCellLock(doc, 'locked', { editable: false, deletable: false }, { role: 'teacher' });
    expect(readCell(doc, 'locked').metadata).toEqual({
      nbgrader: { ...nbgrader, locked: true },
      editable: false,
      deletable: false,
    });
  });

  it('reserves locking and unlocking to teachers', () => {
    const doc = docWith({});
    expect(() => setCellLock(doc, 'free', { editable: false, deletable: false })).toThrow(CellLockedError);
    expect(() => setCellMetadata(doc, 'free', 'editable', false)).toThrow(CellLockedError);
    expect(readCell(doc, 'free').metadata).toEqual({});
  });
});
