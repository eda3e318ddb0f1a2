import { getCell, importIpynb, insertCell, readOutputs } from '@candyce/model';
import * as Y from 'yjs';
import {
  createMessage,
  type ExecuteCellOptions,
  type ExecutionMessage,
  executeCell,
  type KernelSession,
  type MessageAuthor,
} from '../../src/index.js';

/** Returns a notebook with the given code cells (ids c1, c2, …) and one markdown cell `m` at the end. */
export const notebook = (...sources: string[]): Y.Doc => {
  const doc = new Y.Doc();
  importIpynb(doc, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  sources.forEach((source, i) => {
    insertCell(doc, i, { cell_type: 'code', id: `c${i + 1}`, source });
  });
  insertCell(doc, sources.length, { cell_type: 'markdown', id: 'm', source: '# notes' });
  return doc;
};

/** Runs `code` as cell c1 of a new notebook on `session`; returns the notebook, the result and the outputs. */
export const runCode = async (session: KernelSession, code: string, options: ExecuteCellOptions = {}) => {
  const doc = notebook(code);
  const result = await executeCell(doc, 'c1', session, { flushInterval: 5, ...options });
  return { doc, result, outputs: readOutputs(doc, 'c1') };
};

const author: MessageAuthor = { session: 'test' };

/** Returns a kernel message of type `type` with `content`, as a kernel would send it. */
export const message = (type: ExecutionMessage['msg_type'], content: object): ExecutionMessage =>
  createMessage(type, content, type === 'input_request' ? 'stdin' : 'iopub', author) as ExecutionMessage;

/** A stream message. */
export const stream = (text: string, name: 'stdout' | 'stderr' = 'stdout'): ExecutionMessage =>
  message('stream', { name, text });

/** Returns the text of the stream outputs of a cell, joined. */
export const streamText = (doc: Y.Doc, cellId: string): string => {
  const outputs = getCell(doc, cellId).get('outputs') as Y.Array<Y.Map<unknown>>;
  return outputs
    .toArray()
    .filter((o) => o.get('output_type') === 'stream')
    .map((o) => String(o.get('text')))
    .join('');
};

/** Counts the updates `doc` emits while `fn` runs (awaiting it). */
export const countUpdates = async (
  doc: Y.Doc,
  fn: () => unknown,
): Promise<{ updates: number; bytes: number }> => {
  let updates = 0;
  let bytes = 0;
  const listener = (update: Uint8Array) => {
    updates++;
    bytes += update.length;
  };
  doc.on('update', listener);
  try {
    await fn();
  } finally {
    doc.off('update', listener);
  }
  return { updates, bytes };
};
