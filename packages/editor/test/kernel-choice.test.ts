import { createUndoManager, importIpynb, localOrigin, metaOf, setNotebookKernel } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CellRunner } from '../src/run/cell-runner.js';
import {
  browserCatalog,
  browserKernelOptions,
  catalogOf,
  currentKernelOf,
  isOffered,
  kernelLabel,
  optionFields,
} from '../src/run/kernel-choice.js';
import { choiceRunner } from '../src/run/kernelspec-runner.js';

const notebookWith = (kernelspec: unknown) => {
  const doc = new Y.Doc();
  importIpynb(doc, { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  if (kernelspec !== undefined) (metaOf(doc).get('metadata') as Y.Map<unknown>).set('kernelspec', kernelspec);
  return doc;
};

const words = { browser: 'navigateur', server: 'serveur' };

const serverCatalog = catalogOf({
  kernels: [
    ...browserKernelOptions,
    {
      id: 'server:python3',
      location: 'server',
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
    },
    { id: 'server:ir', location: 'server', kernelspec: { name: 'ir', display_name: 'R', language: 'R' } },
    { id: 'broken', location: 'moon', kernelspec: { name: 'x' } },
  ],
  server: { configured: true, available: true },
});

describe('the kernel a notebook uses', () => {
  it('reads the kernelspec, where it says it runs, else where the page runs code', () => {
    expect(currentKernelOf(notebookWith(undefined), 'pyodide')).toMatchObject({
      id: 'pyodide',
      location: 'browser',
    });
    expect(currentKernelOf(notebookWith({ name: 'python3' }), 'server')).toMatchObject({
      id: 'server:python3',
      location: 'server',
    });
    // An explicit choice beats the page's attribute, both ways.
    expect(currentKernelOf(notebookWith({ name: 'python3', candyce_location: 'browser' }), 'server').id).toBe(
      'pyodide',
    );
    expect(currentKernelOf(notebookWith({ name: 'python3', candyce_location: 'server' }), 'pyodide').id).toBe(
      'server:python3',
    );
    // SQL runs in the browser whatever the page says.
    expect(
      currentKernelOf(notebookWith({ name: 'SQL', candyce_location: 'server' }), 'server'),
    ).toMatchObject({
      id: 'sql',
      location: 'browser',
    });
    expect(
      currentKernelOf(notebookWith({ name: 'ir', display_name: 'R', language: 'R' }), 'pyodide'),
    ).toMatchObject({
      id: 'browser:ir',
      displayName: 'R',
    });
    // A malformed kernelspec is none.
    expect(currentKernelOf(notebookWith(['sql']), 'pyodide').id).toBe('pyodide');
  });

  it('says whether the deployment offers it', () => {
    const ir = currentKernelOf(notebookWith({ name: 'ir', display_name: 'R' }), 'server');
    expect(isOffered(ir, serverCatalog)).toBe(true);
    expect(isOffered(currentKernelOf(notebookWith({ name: 'ir' }), 'pyodide'), serverCatalog)).toBe(false);
    expect(
      isOffered(
        currentKernelOf(notebookWith({ name: 'ir', candyce_location: 'server' }), 'pyodide'),
        browserCatalog,
      ),
    ).toBe(true);
    const down = catalogOf({
      kernels: browserKernelOptions,
      server: { configured: true, available: false, reason: 'down' },
    });
    expect(isOffered(ir, down)).toBe(false);
    expect(down.server.reason).toBe('down');
    expect(isOffered(currentKernelOf(notebookWith({ name: 'sql' }), 'pyodide'), down)).toBe(true);
  });

  it('labels each kernel with where it runs', () => {
    const labels = serverCatalog.kernels.map((k) => kernelLabel(optionFields(k), words));
    expect(labels).toEqual(['Python (navigateur)', 'SQL (navigateur)', 'Python (serveur)', 'R']);
    expect(
      kernelLabel(currentKernelOf(notebookWith({ name: 'ir', display_name: 'R' }), 'pyodide'), words),
    ).toBe('R (navigateur)');
  });

  it('keeps only well-formed entries of a server answer, and the browser kernels when none is', () => {
    expect(serverCatalog.kernels.map((k) => k.id)).toEqual(['pyodide', 'sql', 'server:python3', 'server:ir']);
    expect(catalogOf('garbage').kernels).toEqual(browserKernelOptions);
    expect(catalogOf({ kernels: [{ id: 1 }] }).kernels).toEqual(browserKernelOptions);
  });
});

describe('choosing a kernel', () => {
  it('writes kernelspec and language_info in one undoable step that a peer receives', () => {
    const doc = notebookWith({ name: 'python3', display_name: 'Python 3', language: 'python' });
    const peer = new Y.Doc();
    doc.on('update', (update: Uint8Array) => Y.applyUpdate(peer, update));
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    const origin = localOrigin('teacher');
    const undo = createUndoManager(doc, origin);
    const sql = browserKernelOptions[1]!;
    setNotebookKernel(doc, sql.kernelspec, { origin, role: 'teacher' });
    expect(currentKernelOf(peer, 'pyodide').id).toBe('sql');
    expect((metaOf(peer).get('metadata') as Y.Map<unknown>).get('language_info')).toEqual({ name: 'sql' });
    undo.undo();
    expect(currentKernelOf(peer, 'pyodide').id).toBe('pyodide');
    expect((metaOf(peer).get('metadata') as Y.Map<unknown>).get('language_info')).toBeUndefined();
  });

  it('sends each run where the notebook runs at that moment', async () => {
    const runs: string[] = [];
    const runner = (name: string): CellRunner => ({
      kind: 'pyodide',
      available: true,
      run: async ({ cellId }) => {
        runs.push(`${name}:${cellId}`);
      },
      runCells: async (_doc, ids) => {
        runs.push(...ids.map((id) => `${name}:${id}`));
      },
    });
    const choice = choiceRunner('pyodide', {
      python: runner('py'),
      sql: runner('sql'),
      server: runner('srv'),
    });
    const doc = notebookWith(undefined);
    await choice.run({ doc, cellId: 'a', code: '' });
    setNotebookKernel(doc, browserKernelOptions[1]!.kernelspec);
    await choice.run({ doc, cellId: 'b', code: '' });
    setNotebookKernel(doc, serverCatalog.kernels[2]!.kernelspec);
    await choice.runCells(doc, ['c']);
    expect(runs).toEqual(['py:a', 'sql:b', 'srv:c']);
  });
});
