import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendOutput,
  appendStreamText,
  cellIds,
  createUndoManager,
  deleteCell,
  exportIpynb,
  getCell,
  importIpynb,
  insertCell,
  kernelOrigin,
  localOrigin,
  moveCell,
  type NotebookOrigin,
  notebookMetadataOf,
  readCell,
  readOutputs,
  setCellMetadata,
  setCellType,
  setExecutionCount,
  setNotebookMetadata,
  sourceOf,
  transact,
} from '../src/index.js';
import { retypeCell } from '../src/move.js';
import { Network } from './helpers/peers.js';

const seed = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: ['a', 'b', 'c'].map((id) => ({
    id,
    cell_type: 'code',
    source: `print("${id}")`,
    metadata: {},
    outputs: [{ output_type: 'stream', name: 'stdout', text: `${id}\n` }],
    execution_count: 1,
  })),
};

const source = (doc: Y.Doc, id: string) => readCell(doc, id).source;

const type = (doc: Y.Doc, origin: NotebookOrigin, id: string, at: number, text: string) =>
  transact(doc, origin, () => sourceOf(getCell(doc, id)).insert(at, text));

const erase = (doc: Y.Doc, origin: NotebookOrigin, id: string, at: number, length: number) =>
  transact(doc, origin, () => sourceOf(getCell(doc, id)).delete(at, length));

/** One document, edited by Alice and Bob through two editors (two origins). */
const shared = () => {
  const doc = new Y.Doc();
  importIpynb(doc, seed);
  const alice = localOrigin('alice');
  const bob = localOrigin('bob');
  return { doc, alice, bob, undo: createUndoManager(doc, alice, { captureTimeout: 0 }) };
};

/** Alice on peer 0 with an undo manager, Bob on peer 1, wired by the in-memory network. */
const peers = (clientIds?: number[]) => {
  const net = new Network(2, { clientIds });
  importIpynb(net.doc(0), seed);
  net.settle();
  const alice = localOrigin('alice');
  const bob = localOrigin('bob');
  return {
    net,
    a: net.doc(0),
    b: net.doc(1),
    alice,
    bob,
    undo: createUndoManager(net.doc(0), alice, { captureTimeout: 0 }),
  };
};

describe('createUndoManager', () => {
  it('undoes and redoes typing in a cell', () => {
    const { doc, alice, undo } = shared();
    type(doc, alice, 'a', 0, '# hi\n');
    expect(undo.canUndo()).toBe(true);
    expect(undo.undo()).toBe(true);
    expect(source(doc, 'a')).toBe('print("a")');
    expect(undo.canRedo()).toBe(true);
    expect(undo.redo()).toBe(true);
    expect(source(doc, 'a')).toBe('# hi\nprint("a")');
  });

  it('never undoes what another user typed in the same cell', () => {
    const { doc, alice, bob, undo } = shared();
    type(doc, alice, 'a', 0, 'A');
    type(doc, bob, 'a', 11, 'B');
    type(doc, bob, 'b', 0, 'B');
    expect(undo.undo()).toBe(true);
    expect(source(doc, 'a')).toBe('print("a")B');
    expect(source(doc, 'b')).toBe('Bprint("b")');
    expect(undo.undo()).toBe(false);
    expect(source(doc, 'a')).toBe('print("a")B');
  });

  it('never undoes what a remote peer typed, nor counts it as a step', () => {
    const { a, b, alice, bob, undo } = peers();
    type(b, bob, 'a', 0, 'remote ');
    expect(undo.canUndo()).toBe(false);
    type(a, alice, 'a', 0, 'mine ');
    type(b, bob, 'a', 0, 'again ');
    expect(undo.undo()).toBe(true);
    expect(source(a, 'a')).toBe('again remote print("a")');
    expect(source(b, 'a')).toBe('again remote print("a")');
    expect(undo.canUndo()).toBe(false);
  });

  it('never undoes outputs written by a kernel', () => {
    const { doc, alice, undo } = shared();
    type(doc, alice, 'a', 0, 'x = 1\n');
    setExecutionCount(doc, 'a', 7);
    appendStreamText(doc, 'a', 'stdout', 'more\n');
    appendOutput(doc, 'a', {
      output_type: 'execute_result',
      execution_count: 7,
      data: { 'text/plain': '1' },
      metadata: {},
    });
    const outputs = readOutputs(doc, 'a');
    expect(outputs).toHaveLength(2);
    expect(undo.undo()).toBe(true);
    expect(source(doc, 'a')).toBe('print("a")');
    expect(readOutputs(doc, 'a')).toEqual(outputs);
    expect(readCell(doc, 'a').execution_count).toBe(7);
    expect(undo.undo()).toBe(false);
    expect(readOutputs(doc, 'a')).toEqual(outputs);
  });

  it('undoes the insertion of a cell and redoes it with the same id', () => {
    const { doc, alice, undo } = shared();
    insertCell(doc, 1, { cell_type: 'markdown', source: '# Title', id: 'm' }, { origin: alice });
    expect(cellIds(doc)).toEqual(['a', 'm', 'b', 'c']);
    undo.undo();
    expect(cellIds(doc)).toEqual(['a', 'b', 'c']);
    undo.redo();
    expect(cellIds(doc)).toEqual(['a', 'm', 'b', 'c']);
    expect(readCell(doc, 'm')).toMatchObject({ cell_type: 'markdown', source: '# Title' });
  });

  it('restores a deleted cell with its id, source, metadata and outputs, and redo deletes it again', () => {
    const { doc, alice, undo } = shared();
    setCellMetadata(doc, 'b', 'tags', ['keep'], { origin: localOrigin('teacher'), role: 'teacher' });
    const before = readCell(doc, 'b');
    deleteCell(doc, 'b', { origin: alice });
    expect(cellIds(doc)).toEqual(['a', 'c']);
    expect(undo.undo()).toBe(true);
    expect(cellIds(doc)).toEqual(['a', 'b', 'c']);
    expect(readCell(doc, 'b')).toEqual(before);
    expect(undo.redo()).toBe(true);
    expect(cellIds(doc)).toEqual(['a', 'c']);
  });

  it('restores a deleted cell with its id after other people moved cells around it', () => {
    const { a, b, alice, bob, undo } = peers();
    deleteCell(a, 'b', { origin: alice });
    moveCell(b, 'c', 0, { origin: bob });
    moveCell(b, 'a', 1, { origin: bob });
    expect(cellIds(a)).toEqual(['c', 'a']);
    expect(undo.undo()).toBe(true);
    for (const doc of [a, b]) {
      expect(cellIds(doc).sort()).toEqual(['a', 'b', 'c']);
      expect(readCell(doc, 'b').source).toBe('print("b")');
    }
  });

  it('undoes a move and redoes it', () => {
    const { doc, alice, undo } = shared();
    moveCell(doc, 'a', 2, { origin: alice });
    expect(cellIds(doc)).toEqual(['b', 'c', 'a']);
    expect(undo.undo()).toBe(true);
    expect(cellIds(doc)).toEqual(['a', 'b', 'c']);
    expect(undo.redo()).toBe(true);
    expect(cellIds(doc)).toEqual(['b', 'c', 'a']);
  });

  it('puts a cell back after the cell it followed when undoing a move, though others inserted cells above', () => {
    const { a, b, alice, bob, undo } = peers();
    moveCell(a, 'b', 2, { origin: alice });
    expect(cellIds(a)).toEqual(['a', 'c', 'b']);
    insertCell(b, 0, { cell_type: 'code', id: 'x' }, { origin: bob });
    insertCell(b, 0, { cell_type: 'code', id: 'y' }, { origin: bob });
    expect(undo.undo()).toBe(true);
    expect(cellIds(a)).toEqual(['y', 'x', 'a', 'b', 'c']);
    expect(cellIds(b)).toEqual(cellIds(a));
  });

  it('undoes a change of cell type and brings the outputs back', () => {
    const { doc, alice, undo } = shared();
    const before = readCell(doc, 'a');
    setCellType(doc, 'a', 'markdown', { origin: alice });
    expect(readCell(doc, 'a').cell_type).toBe('markdown');
    expect(undo.undo()).toBe(true);
    expect(readCell(doc, 'a')).toEqual(before);
    expect(undo.redo()).toBe(true);
    expect(readCell(doc, 'a')).toEqual({
      id: 'a',
      cell_type: 'markdown',
      source: 'print("a")',
      metadata: {},
    });
  });

  it('undoes a type change made by replacing the cell, bringing outputs and execution count back', () => {
    const { doc, alice, undo } = shared();
    const before = readCell(doc, 'a');
    retypeCell(doc, 'a', 'markdown', { origin: alice });
    expect(readCell(doc, 'a')).toEqual({
      id: 'a',
      cell_type: 'markdown',
      source: 'print("a")',
      metadata: {},
    });
    expect(undo.undo()).toBe(true);
    expect(readCell(doc, 'a')).toEqual(before);
    expect(cellIds(doc)).toEqual(['a', 'b', 'c']);
    expect(undo.redo()).toBe(true);
    expect(readCell(doc, 'a').cell_type).toBe('markdown');
    expect(undo.undo()).toBe(true);
    expect(readCell(doc, 'a')).toEqual(before);
  });

  it('undoes typing in a cell whose type another user changed since by replacing it', () => {
    const { doc, alice, bob, undo } = shared();
    type(doc, alice, 'b', 0, '# note\n');
    retypeCell(doc, 'b', 'raw', { origin: bob });
    expect(undo.undo()).toBe(true);
    expect(readCell(doc, 'b')).toMatchObject({ cell_type: 'raw', source: 'print("b")' });
  });

  it('undoes cell and notebook metadata changes', () => {
    const { doc, alice, undo } = shared();
    setCellMetadata(doc, 'c', 'tags', ['x'], { origin: alice });
    setNotebookMetadata(doc, 'title', 'TP 1', { origin: alice });
    expect(undo.undo()).toBe(true);
    expect(notebookMetadataOf(doc).get('title')).toBeUndefined();
    expect(readCell(doc, 'c').metadata).toEqual({ tags: ['x'] });
    expect(undo.undo()).toBe(true);
    expect(readCell(doc, 'c').metadata).toEqual({});
  });

  it('forgets the redo history when the user makes a new edit', () => {
    const { doc, alice, undo } = shared();
    type(doc, alice, 'a', 0, '1');
    undo.undo();
    expect(undo.canRedo()).toBe(true);
    type(doc, alice, 'a', 0, '2');
    expect(undo.canRedo()).toBe(false);
    expect(undo.redo()).toBe(false);
    expect(source(doc, 'a')).toBe('2print("a")');
  });

  it('undoes typing in a cell that another user of the document moved since', () => {
    const { doc, alice, bob, undo } = shared();
    type(doc, alice, 'a', 0, '# mine\n');
    moveCell(doc, 'a', 2, { origin: bob });
    expect(undo.undo()).toBe(true);
    expect(cellIds(doc)).toEqual(['b', 'c', 'a']);
    expect(source(doc, 'a')).toBe('print("a")');
    expect(undo.redo()).toBe(true);
    expect(source(doc, 'a')).toBe('# mine\nprint("a")');
    expect(cellIds(doc)).toEqual(['b', 'c', 'a']);
  });

  it('undoes typing made before a remote peer moved the cell', () => {
    const { net, a, b, alice, bob, undo } = peers();
    type(a, alice, 'a', 10, ' # seen');
    moveCell(b, 'a', 2, { origin: bob });
    expect(cellIds(a)).toEqual(['b', 'c', 'a']);
    expect(undo.undo()).toBe(true);
    net.settle();
    for (const doc of [a, b]) expect(source(doc, 'a')).toBe('print("a")');
    expect(undo.redo()).toBe(true);
    for (const doc of [a, b]) expect(source(doc, 'a')).toBe('print("a") # seen');
  });

  it('undoes typing made while a remote peer moved the cell, which the mover never saw', () => {
    const { net, a, b, alice, bob, undo } = peers();
    net.disconnect(0);
    type(a, alice, 'a', 10, ' # offline');
    moveCell(b, 'a', 2, { origin: bob });
    net.reconnect(0);
    net.settle();
    expect(source(b, 'a')).toBe('print("a") # offline');
    expect(undo.undo()).toBe(true);
    for (const doc of [a, b]) {
      expect(source(doc, 'a')).toBe('print("a")');
      expect(cellIds(doc)).toEqual(['b', 'c', 'a']);
    }
    expect(undo.redo()).toBe(true);
    for (const doc of [a, b]) expect(source(doc, 'a')).toBe('print("a") # offline');
  });

  it('undoes a deletion of characters made while a remote peer moved the cell', () => {
    const { net, a, b, alice, bob, undo } = peers();
    net.disconnect(0);
    erase(a, alice, 'a', 0, 6);
    moveCell(b, 'a', 1, { origin: bob });
    net.reconnect(0);
    net.settle();
    expect(source(b, 'a')).toBe('"a")');
    expect(undo.undo()).toBe(true);
    net.settle();
    for (const doc of [a, b]) expect(source(doc, 'a')).toBe('print("a")');
  });

  it('undoes the insertion of a cell that a remote peer moved since', () => {
    const { net, a, b, alice, bob, undo } = peers();
    insertCell(a, 0, { cell_type: 'markdown', source: 'intro', id: 'm' }, { origin: alice });
    moveCell(b, 'm', 3, { origin: bob });
    expect(cellIds(a)).toEqual(['a', 'b', 'c', 'm']);
    expect(undo.undo()).toBe(true);
    net.settle();
    for (const doc of [a, b]) expect(cellIds(doc)).toEqual(['a', 'b', 'c']);
  });

  it('undoes its own move after a remote peer moved the same cell again, and redo puts it back where undo found it', () => {
    const { a, b, alice, bob, undo } = peers();
    moveCell(a, 'a', 2, { origin: alice });
    moveCell(b, 'a', 1, { origin: bob });
    expect(cellIds(a)).toEqual(['b', 'a', 'c']);
    expect(undo.undo()).toBe(true);
    for (const doc of [a, b]) expect(cellIds(doc)).toEqual(['a', 'b', 'c']);
    expect(undo.redo()).toBe(true);
    for (const doc of [a, b]) expect(cellIds(doc)).toEqual(['b', 'a', 'c']);
  });

  for (const order of [
    [1, 2],
    [2, 1],
  ]) {
    it(`undoes a move and the typing before it when a remote peer moved the cell at once (client ids ${order})`, () => {
      const { net, a, b, alice, bob, undo } = peers(order);
      net.disconnect(0);
      type(a, alice, 'a', 0, '# A\n');
      moveCell(a, 'a', 2, { origin: alice });
      moveCell(b, 'a', 1, { origin: bob });
      net.reconnect(0);
      net.settle();
      for (const doc of [a, b]) {
        expect(cellIds(doc).filter((id) => id === 'a')).toHaveLength(1);
        expect(source(doc, 'a')).toBe('# A\nprint("a")');
      }
      expect(undo.undo()).toBe(true); // the move
      net.settle();
      expect(cellIds(a)).toEqual(['a', 'b', 'c']);
      expect(undo.undo()).toBe(true); // the typing
      net.settle();
      for (const doc of [a, b]) {
        expect(source(doc, 'a')).toBe('print("a")');
        expect(exportIpynb(doc)).toEqual(exportIpynb(a));
      }
    });
  }

  it('stops recording when destroyed, and clear forgets the history', () => {
    const { doc, alice, undo } = shared();
    let changes = 0;
    const off = undo.onChange(() => changes++);
    type(doc, alice, 'a', 0, '1');
    expect(changes).toBeGreaterThan(0);
    undo.clear();
    expect(undo.canUndo()).toBe(false);
    off();
    undo.destroy();
    type(doc, alice, 'a', 0, '2');
    expect(undo.canUndo()).toBe(false);
    expect(source(doc, 'a')).toBe('21print("a")');
  });

  it('also records edits made with an origin added by trackOrigin', () => {
    const { doc, undo } = shared();
    const binding = { editor: 'codemirror' };
    undo.trackOrigin(binding);
    doc.transact(() => sourceOf(getCell(doc, 'b')).insert(0, 'z'), binding);
    expect(undo.undo()).toBe(true);
    expect(source(doc, 'b')).toBe('print("b")');
  });

  it('has no step to undo after a kernel wrote outputs', () => {
    const { doc, undo } = shared();
    appendOutput(doc, 'b', { output_type: 'stream', name: 'stdout', text: 'x' }, kernelOrigin);
    expect(undo.canUndo()).toBe(false);
    expect(undo.undo()).toBe(false);
  });
});
