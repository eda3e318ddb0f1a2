import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendOutput,
  CellNotFoundError,
  cellIds,
  copyCell,
  deleteCell,
  exportIpynb,
  getCell,
  importIpynb,
  insertCell,
  pasteCell,
  ReadOnlyError,
  readCell,
  setCellMetadata,
  setCellSource,
  setCellType,
  setNotebookMetadata,
} from '../src/index.js';

const teacher = { role: 'teacher' as const };

const blank = (): Y.Doc => {
  const doc = new Y.Doc();
  importIpynb(doc, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  return doc;
};

describe('cell operations', () => {
  it('inserts cells at the given index and keeps a free id', () => {
    const doc = blank();
    const a = insertCell(doc, 0, { cell_type: 'code', source: 'x = 1', id: 'first' });
    const b = insertCell(doc, 0, { cell_type: 'markdown', source: '# Titre' });
    expect(a).toBe('first');
    expect(cellIds(doc)).toEqual([b, 'first']);
    expect(readCell(doc, 'first')).toMatchObject({
      cell_type: 'code',
      source: 'x = 1',
      outputs: [],
      execution_count: null,
    });
  });

  it('gives a new id when the requested one is taken', () => {
    const doc = blank();
    insertCell(doc, 0, { cell_type: 'code', id: 'same' });
    const second = insertCell(doc, 1, { cell_type: 'code', id: 'same' });
    expect(second).not.toBe('same');
    expect(new Set(cellIds(doc)).size).toBe(2);
  });

  it('refuses an index out of range with a RangeError naming it', () => {
    const doc = blank();
    expect(() => insertCell(doc, 3, { cell_type: 'code' })).toThrow(/Index 3 is out of range/);
    expect(() => insertCell(doc, -1, { cell_type: 'code' })).toThrow(RangeError);
    expect(cellIds(doc)).toEqual([]);
  });

  it('deletes a cell and reports an unknown id', () => {
    const doc = blank();
    insertCell(doc, 0, { cell_type: 'code', id: 'a' });
    deleteCell(doc, 'a');
    expect(cellIds(doc)).toEqual([]);
    expect(() => deleteCell(doc, 'a')).toThrow(CellNotFoundError);
  });

  it('copies a cell below itself with its outputs under a new id', () => {
    const doc = blank();
    insertCell(doc, 0, { cell_type: 'code', id: 'a', source: 'print(1)', metadata: { tags: ['t'] } });
    appendOutput(doc, 'a', { output_type: 'stream', name: 'stdout', text: '1\n' });
    const copy = copyCell(doc, 'a');
    expect(cellIds(doc)).toEqual(['a', copy]);
    const { id: _a, ...original } = readCell(doc, 'a');
    const { id: _c, ...copied } = readCell(doc, copy);
    expect(copied).toEqual(original);
  });

  it('pastes a cell read from another notebook, keeping its id when free', () => {
    const from = blank();
    insertCell(from, 0, { cell_type: 'raw', id: 'r', source: 'raw text' });
    const to = blank();
    expect(pasteCell(to, 0, readCell(from, 'r'))).toBe('r');
    expect(pasteCell(to, 1, readCell(from, 'r'))).not.toBe('r');
    expect(readCell(to, 'r').source).toBe('raw text');
  });

  it('changes a cell type keeping source, metadata, id and place, as a new cell map', () => {
    const doc = blank();
    insertCell(doc, 0, { cell_type: 'raw', id: 'z' });
    insertCell(doc, 1, { cell_type: 'code', id: 'a', source: '# titre', metadata: { k: 1 } });
    appendOutput(doc, 'a', { output_type: 'stream', name: 'stdout', text: 'x' });
    const before = getCell(doc, 'a');
    setCellType(doc, 'a', 'markdown');
    expect(cellIds(doc)).toEqual(['z', 'a']);
    expect(readCell(doc, 'a')).toEqual({
      id: 'a',
      cell_type: 'markdown',
      source: '# titre',
      metadata: { k: 1 },
    });
    // Replaced, as JupyterLab does, so that JupyterLab clients in the room see the new type.
    expect(getCell(doc, 'a')).not.toBe(before);
    setCellType(doc, 'a', 'code');
    expect(readCell(doc, 'a')).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null });
  });

  it('sets and deletes cell and notebook metadata', () => {
    const doc = blank();
    insertCell(doc, 0, { cell_type: 'code', id: 'a' });
    setCellMetadata(doc, 'a', 'tags', ['exo']);
    setNotebookMetadata(doc, 'kernelspec', { name: 'python3', display_name: 'Python 3', language: 'python' });
    expect(readCell(doc, 'a').metadata).toEqual({ tags: ['exo'] });
    setCellMetadata(doc, 'a', 'tags', undefined);
    expect(readCell(doc, 'a').metadata).toEqual({});
    expect((exportIpynb(doc) as { metadata: object }).metadata).toEqual({
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
    });
  });

  it('replaces a source only when it differs', () => {
    const doc = blank();
    insertCell(doc, 0, { cell_type: 'code', id: 'a', source: 'abc' });
    let updates = 0;
    doc.on('update', () => updates++);
    setCellSource(doc, 'a', 'abc');
    expect(updates).toBe(0);
    setCellSource(doc, 'a', 'xyz', teacher);
    expect(readCell(doc, 'a').source).toBe('xyz');
  });

  it('refuses every change to a viewer', () => {
    const doc = blank();
    insertCell(doc, 0, { cell_type: 'code', id: 'a' });
    const viewer = { role: 'viewer' as const };
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => insertCell(doc, 0, { cell_type: 'code' }, viewer)).toThrow(ReadOnlyError);
    expect(() => deleteCell(doc, 'a', viewer)).toThrow(ReadOnlyError);
    expect(() => setCellSource(doc, 'a', 'x', viewer)).toThrow(ReadOnlyError);
    expect(() => setNotebookMetadata(doc, 'x', 1, viewer)).toThrow(ReadOnlyError);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});

describe('cell ids', () => {
  it('refuses an id that nbformat would reject', () => {
    const doc = blank();
    expect(() => insertCell(doc, 0, { cell_type: 'code', id: 'a b' })).toThrow(
      /Cell id "a b" is not 1 to 64/,
    );
    expect(() => pasteCell(doc, 0, { id: '', cell_type: 'raw', source: '', metadata: {} })).toThrow(
      RangeError,
    );
    expect(cellIds(doc)).toEqual([]);
  });
});
