import { importIpynb, metaOf } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CellRunner, RunState } from '../src/run/cell-runner.js';
import { kernelspecNameOf, kernelspecRunner } from '../src/run/kernelspec-runner.js';

const notebookWith = (kernelspec: unknown) => {
  const doc = new Y.Doc();
  importIpynb(doc, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  // Set as a peer would, unchecked: the runner must cope with any value.
  if (kernelspec !== undefined) (metaOf(doc).get('metadata') as Y.Map<unknown>).set('kernelspec', kernelspec);
  return doc;
};

// A runner that records what it was asked to run, and lets the test change its state.
const recorder = (name: string) => {
  const runs: string[] = [];
  let tell: (state: RunState) => void = () => {};
  const runner: CellRunner = {
    kind: 'pyodide',
    available: true,
    run: async ({ cellId }) => {
      runs.push(`${name}:${cellId}`);
    },
    runCells: async (_doc, ids) => {
      runs.push(...ids.map((id) => `${name}:${id}`));
    },
    onChange(listener) {
      tell = listener;
      return () => {};
    },
  };
  return { runner, runs, set: (state: RunState) => tell(state) };
};

describe('the runner chosen by the kernelspec', () => {
  it('reads the kernelspec name of a notebook', () => {
    expect(kernelspecNameOf(notebookWith({ name: 'SQL ', display_name: 'SQL' }))).toBe('sql');
    expect(kernelspecNameOf(notebookWith({ name: 'python3' }))).toBe('python3');
    expect(kernelspecNameOf(notebookWith(undefined))).toBe('');
    expect(kernelspecNameOf(notebookWith(['sql']))).toBe('');
  });

  it('runs the cells of an sql notebook on SQLite and every other notebook on Python', async () => {
    const python = recorder('py');
    const sql = recorder('sql');
    const runner = kernelspecRunner(python.runner, sql.runner);
    await runner.run({ doc: notebookWith({ name: 'sql' }), cellId: 'a', code: 'SELECT 1' });
    await runner.run({ doc: notebookWith({ name: 'python3' }), cellId: 'b', code: '1' });
    await runner.runCells(notebookWith(undefined), ['c', 'd']);
    await runner.runCells(notebookWith({ name: 'sql' }), ['e']);
    expect(python.runs).toEqual(['py:b', 'py:c', 'py:d']);
    expect(sql.runs).toEqual(['sql:a', 'sql:e']);
  });

  it('tells the running and waiting cells of both', () => {
    const python = recorder('py');
    const sql = recorder('sql');
    const seen: RunState[] = [];
    kernelspecRunner(python.runner, sql.runner).onChange?.((state) => seen.push(state));
    python.set({ running: 'p1', queued: ['p2'] });
    sql.set({ running: 's1', queued: ['s2'] });
    python.set({ running: null, queued: [] });
    expect(seen).toEqual([
      { running: 'p1', queued: ['p2'] },
      { running: 'p1', queued: ['p2', 's2'] },
      { running: 's1', queued: ['s2'] },
    ]);
  });
});
