import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendOutput,
  appendStreamText,
  clearOutputs,
  getCell,
  importIpynb,
  insertCell,
  type NotebookChange,
  observeNotebook,
  readOutputs,
  setExecutionCount,
  setExecutionState,
} from '../src/index.js';

const doc1 = (): Y.Doc => {
  const doc = new Y.Doc();
  importIpynb(doc, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  insertCell(doc, 0, { cell_type: 'code', id: 'c' });
  insertCell(doc, 1, { cell_type: 'markdown', id: 'm' });
  return doc;
};

describe('outputs', () => {
  it('appends stream text to one growing Y.Text per stream', () => {
    const doc = doc1();
    appendStreamText(doc, 'c', 'stdout', 'a');
    appendStreamText(doc, 'c', 'stdout', 'b\n');
    appendStreamText(doc, 'c', 'stderr', 'oops');
    appendStreamText(doc, 'c', 'stdout', 'c');
    expect(readOutputs(doc, 'c')).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'ab\n' },
      { output_type: 'stream', name: 'stderr', text: 'oops' },
      { output_type: 'stream', name: 'stdout', text: 'c' },
    ]);
    const first = (getCell(doc, 'c').get('outputs') as Y.Array<Y.Map<unknown>>).get(0);
    expect(first.get('text')).toBeInstanceOf(Y.Text);
  });

  it('appends rich outputs and clears them', () => {
    const doc = doc1();
    appendOutput(doc, 'c', { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} });
    appendOutput(doc, 'c', { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t'] });
    expect(readOutputs(doc, 'c')).toHaveLength(2);
    clearOutputs(doc, 'c');
    expect(readOutputs(doc, 'c')).toEqual([]);
  });

  it('sets the execution count and state, refusing a bad count', () => {
    const doc = doc1();
    setExecutionState(doc, 'c', 'running');
    setExecutionCount(doc, 'c', 4);
    expect(getCell(doc, 'c').get('execution_state')).toBe('running');
    expect(getCell(doc, 'c').get('execution_count')).toBe(4);
    expect(() => setExecutionCount(doc, 'c', -1)).toThrow(RangeError);
    expect(() => setExecutionCount(doc, 'c', 1.5)).toThrow(/1.5 is not a non-negative integer/);
  });

  it('refuses outputs on a markdown cell', () => {
    const doc = doc1();
    expect(() => appendStreamText(doc, 'm', 'stdout', 'x')).toThrow(/markdown cell, not a code cell/);
  });

  it('reports changes with their origin and the cells they touch', () => {
    const doc = doc1();
    const changes: NotebookChange[] = [];
    const stop = observeNotebook(doc, (c) => changes.push(c));
    appendStreamText(doc, 'c', 'stdout', 'x');
    insertCell(doc, 0, { cell_type: 'raw' });
    stop();
    appendStreamText(doc, 'c', 'stdout', 'y');
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({ structure: false, origin: { kind: 'kernel' }, local: true });
    expect([...changes[0]!.cells]).toEqual(['c']);
    expect(changes[1]).toMatchObject({ structure: true });
  });
});
