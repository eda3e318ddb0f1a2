import * as Y from 'yjs';
import { findCell, getCell } from './cells.js';
import { CellNotFoundError } from './errors.js';
import type { Output } from './ipynb-types.js';
import { kernelOrigin, type NotebookOrigin, transact } from './origin.js';
import { cellTypeOf, outputFromY, outputsOf, outputToY, type YCell } from './ydoc.js';

// Output writes default to the kernel origin: they are never part of a user's
// undo history, whoever asked for the execution.

const codeCell = (doc: Y.Doc, id: string): { cell: YCell; outputs: Y.Array<unknown> } => {
  const cell = getCell(doc, id);
  let outputs = outputsOf(cell);
  if (cellTypeOf(cell) !== 'code')
    throw new RangeError(`Cell ${id} is a ${cellTypeOf(cell)} cell, not a code cell`);
  if (!outputs) {
    outputs = new Y.Array();
    cell.set('outputs', outputs);
  }
  return { cell, outputs };
};

/** Removes every output of the code cell `id`. */
export function clearOutputs(doc: Y.Doc, id: string, origin: NotebookOrigin = kernelOrigin): void {
  transact(doc, origin, () => {
    const { outputs } = codeCell(doc, id);
    if (outputs.length > 0) outputs.delete(0, outputs.length);
  });
}

/** Appends one output to the code cell `id`; a stream output's text becomes a Y.Text that can grow. */
export function appendOutput(
  doc: Y.Doc,
  id: string,
  output: Output,
  origin: NotebookOrigin = kernelOrigin,
): void {
  transact(doc, origin, () => {
    codeCell(doc, id).outputs.push([outputToY(output)]);
  });
}

/** Replaces all outputs of the code cell `id`. */
export function setOutputs(
  doc: Y.Doc,
  id: string,
  list: Output[],
  origin: NotebookOrigin = kernelOrigin,
): void {
  transact(doc, origin, () => {
    const { outputs } = codeCell(doc, id);
    if (outputs.length > 0) outputs.delete(0, outputs.length);
    outputs.push(list.map(outputToY));
  });
}

/**
 * Appends `text` to the stream `name` of the code cell `id`: to the last
 * output when it is that stream (so a running cell grows one Y.Text, as every
 * collaborator sees), otherwise as a new stream output.
 */
export function appendStreamText(
  doc: Y.Doc,
  id: string,
  name: string,
  text: string,
  origin: NotebookOrigin = kernelOrigin,
): void {
  transact(doc, origin, () => {
    const { outputs } = codeCell(doc, id);
    const last = outputs.length > 0 ? outputs.get(outputs.length - 1) : undefined;
    if (last instanceof Y.Map && last.get('output_type') === 'stream' && last.get('name') === name) {
      const t = last.get('text');
      if (t instanceof Y.Text) {
        t.insert(t.length, text);
        return;
      }
    }
    outputs.push([outputToY({ output_type: 'stream', name, text })]);
  });
}

/** Returns the outputs of the cell `id` as plain JSON (an empty list for other cell types). */
export const readOutputs = (doc: Y.Doc, id: string): Output[] => {
  const cell = findCell(doc, id);
  if (!cell) throw new CellNotFoundError(id);
  const outputs = outputsOf(cell);
  return outputs ? outputs.toArray().map(outputFromY) : [];
};

/** Sets the execution count of the code cell `id` (null before any run). */
export function setExecutionCount(
  doc: Y.Doc,
  id: string,
  count: number | null,
  origin: NotebookOrigin = kernelOrigin,
): void {
  if (count !== null && (!Number.isInteger(count) || count < 0)) {
    throw new RangeError(`Execution count ${count} is not a non-negative integer`);
  }
  transact(doc, origin, () => codeCell(doc, id).cell.set('execution_count', count));
}

/** Marks the code cell `id` as running or idle, for every collaborator to see. */
export function setExecutionState(
  doc: Y.Doc,
  id: string,
  state: 'idle' | 'running',
  origin: NotebookOrigin = kernelOrigin,
): void {
  transact(doc, origin, () => codeCell(doc, id).cell.set('execution_state', state));
}
