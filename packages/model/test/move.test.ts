import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  cellIds,
  createUndoManager,
  exportIpynb,
  getCell,
  importIpynb,
  insertCell,
  localOrigin,
  moveCell,
  readCell,
  setCellMetadata,
  sourceOf,
} from '../src/index.js';
import { Network } from './helpers/peers.js';

const seedDoc = (doc: Y.Doc) =>
  importIpynb(doc, {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: ['a', 'b', 'c'].map((id) => ({
      id,
      cell_type: 'code',
      source: `print("${id}")`,
      metadata: {},
      outputs: [],
      execution_count: null,
    })),
  });

describe('moveCell', () => {
  it('keeps id, metadata and outputs of the moved cell', () => {
    const doc = new Y.Doc();
    seedDoc(doc);
    setCellMetadata(doc, 'a', 'tags', ['x']);
    moveCell(doc, 'a', 2);
    expect(cellIds(doc)).toEqual(['b', 'c', 'a']);
    expect(readCell(doc, 'a').metadata).toEqual({ tags: ['x'] });
    expect(readCell(doc, 'a').source).toBe('print("a")');
  });

  it('keeps an edit made concurrently in the moved cell by another peer', () => {
    const net = new Network(2);
    seedDoc(net.doc(0));
    net.settle();
    net.disconnect(1);
    moveCell(net.doc(0), 'a', 2);
    const text = sourceOf(getCell(net.doc(1), 'a'));
    text.insert(text.length, ' # pupil');
    text.delete(0, 1);
    setCellMetadata(net.doc(1), 'a', 'tags', ['concurrent']);
    net.reconnect(1);
    net.settle();
    for (const doc of [net.doc(0), net.doc(1)]) {
      expect(cellIds(doc)).toEqual(['b', 'c', 'a']);
      expect(readCell(doc, 'a').source).toBe('rint("a") # pupil');
      expect(readCell(doc, 'a').metadata).toEqual({ tags: ['concurrent'] });
    }
    expect(exportIpynb(net.doc(0))).toEqual(exportIpynb(net.doc(1)));
  });

  it('lets the mover undo typing made before the move', () => {
    const doc = new Y.Doc();
    seedDoc(doc);
    const me = localOrigin('alice');
    const undo = createUndoManager(doc, me);
    doc.transact(() => sourceOf(getCell(doc, 'b')).insert(0, '# hi\n'), me);
    moveCell(doc, 'b', 0, { origin: me });
    expect(cellIds(doc)).toEqual(['b', 'a', 'c']);
    expect(undo.undo()).toBe(true); // the move
    expect(cellIds(doc)).toEqual(['a', 'b', 'c']);
    expect(readCell(doc, 'b').source).toBe('# hi\nprint("b")');
    expect(undo.undo()).toBe(true); // the typing
    expect(readCell(doc, 'b').source).toBe('print("b")');
    expect(undo.redo()).toBe(true);
    expect(readCell(doc, 'b').source).toBe('# hi\nprint("b")');
    expect(undo.redo()).toBe(true);
    expect(cellIds(doc)).toEqual(['b', 'a', 'c']);
  });

  it('undoes the insertion of a cell that was moved since', () => {
    const doc = new Y.Doc();
    seedDoc(doc);
    const me = localOrigin('alice');
    const undo = createUndoManager(doc, me);
    insertCell(doc, 0, { cell_type: 'markdown', source: 'x', id: 'm' }, { origin: me });
    undo.stopCapturing();
    moveCell(doc, 'm', 3, { origin: me });
    undo.undo();
    undo.undo();
    expect(cellIds(doc)).toEqual(['a', 'b', 'c']);
  });

  it('leaves a single cell when two peers move the same cell at once', () => {
    const net = new Network(2);
    seedDoc(net.doc(0));
    net.settle();
    net.disconnect(1);
    moveCell(net.doc(0), 'a', 2);
    moveCell(net.doc(1), 'a', 1);
    net.reconnect(1);
    net.settle();
    expect(cellIds(net.doc(0))).toEqual(cellIds(net.doc(1)));
    expect(cellIds(net.doc(0)).sort()).toEqual(['a', 'b', 'c']);
  });
});
