import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendOutput,
  cellsOf,
  cellToY,
  exportIpynb,
  importIpynb,
  insertCell,
  metaOf,
  outputsOf,
  readNotebook,
  setCellMetadata,
  setNotebookMetadata,
  stringifyIpynb,
} from '../src/index.js';
import {
  type Json,
  loadFixtures,
  longOutputNotebook,
  nbformatSchema,
  runPython,
  schemaErrors,
} from './helpers/ipynb.js';

// The official nbformat schema and validator come from Debian's
// python3-nbformat, which `npm test` provisions (scripts/provision.mjs).

const fixtures = loadFixtures();
const validate45 = nbformatSchema(5);

const docOf = (nb: unknown): Y.Doc => {
  const doc = new Y.Doc();
  importIpynb(doc, nb);
  return doc;
};

/**
 * A document as careless or hostile writers may leave it, through the API and
 * through raw Yjs writes: invalid and repeated ids, metadata values the schema
 * refuses, outputs stored as plain objects with non-text data, floats.
 */
const carelessDoc = (): Y.Doc => {
  const doc = docOf(fixtures.find((f) => f.json.nbformat_minor === 3)!.json);
  const code = insertCell(doc, 0, { cell_type: 'code', id: 'careless', source: 'x' });
  setCellMetadata(doc, code, 'tags', ['a', 'a', 'b,c'], { role: 'teacher' });
  setCellMetadata(doc, code, 'collapsed', 'yes', { role: 'teacher' });
  setCellMetadata(doc, code, 'scrolled', 1, { role: 'teacher' });
  setCellMetadata(doc, code, 'execution', { 'iopub.status.busy': 12 }, { role: 'teacher' });
  setCellMetadata(doc, code, 'name', '', { role: 'teacher' });
  setCellMetadata(doc, code, 'trusted', true, { role: 'teacher' });
  setNotebookMetadata(doc, 'kernelspec', { name: 'python3' });
  setNotebookMetadata(doc, 'language_info', { name: 3 });
  setNotebookMetadata(doc, 'title', ['not', 'a', 'string']);
  setNotebookMetadata(doc, 'orig_nbformat', 0);
  appendOutput(doc, code, { output_type: 'execute_result', data: {}, metadata: {}, execution_count: 2 });
  const cell = cellsOf(doc).get(0);
  doc.transact(() => {
    // A second cell with the same id, as two peers pasting at once can make.
    // Both with an id nbformat refuses, as a raw Yjs writer can leave it (insertCell refuses it).
    cell.set('id', 'not a valid id!');
    cellsOf(doc).insert(1, [
      cellToY({ id: 'not a valid id!', cell_type: 'markdown', source: 'same id', metadata: {} }),
    ]);
    cell.set('execution_count', -2.5);
    outputsOf(cell)!.push([
      { output_type: 'display_data', data: { 'text/plain': 42, 'text/html': ['<b>', 'x</b>'] }, metadata: 3 },
      { output_type: 'stream', name: 7, text: ['a\n', 'b'] },
      { output_type: 'execute_result', data: { 'application/json': [1] }, execution_count: '3' },
      { output_type: 'execute_result', data: {}, metadata: {}, execution_count: 1e300 },
      { output_type: 'error', ename: null, traceback: ['t', 2] },
      { output_type: 'update_display_data', data: { 'text/plain': 'x' } },
      'not an output',
    ]);
    cellsOf(doc)
      .get(1)
      .set('attachments', { 'a.png': 'not a bundle', 'b.png': { 'image/png': ['iVBO', 'Rw0'] } });
    metaOf(doc).set('nbformat_minor', 4.9999);
  });
  return doc;
};

describe('the official nbformat schema', () => {
  it.each(fixtures.map((f) => [f.name, f.json]))(
    'accepts the fixture %s under the schema of its own version',
    (_n, nb) => {
      const validate = nbformatSchema(nb.nbformat_minor);
      expect(validate(nb), schemaErrors(validate)).toBe(true);
    },
  );

  it.each(fixtures.map((f) => [f.name, f.json]))('accepts the export of %s (nbformat 4.5)', (_n, nb) => {
    const out = exportIpynb(docOf(nb));
    expect(validate45(out), schemaErrors(validate45)).toBe(true);
  });

  it('accepts the export of a notebook with a 20,000-line output', () => {
    const out = exportIpynb(docOf(longOutputNotebook()));
    expect(validate45(out), schemaErrors(validate45)).toBe(true);
  });

  it('accepts the export of a document that careless writers filled with invalid values', () => {
    const out = exportIpynb(carelessDoc()) as Json;
    expect(validate45(out), schemaErrors(validate45)).toBe(true);
    const ids = out.cells.map((c: Json) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(out.cells[0].metadata).toEqual({});
    expect(out.cells[0].execution_count).toBe(0);
    expect(out.cells[0].outputs[1].data).toEqual({ 'text/html': ['<b>x</b>'] });
    expect(out.cells[0].outputs[2]).toEqual({ output_type: 'stream', name: '7', text: ['a\n', 'b'] });
    expect(out.cells[1].attachments).toEqual({ 'b.png': { 'image/png': 'iVBORw0' } });
    expect(out.metadata).not.toHaveProperty('kernelspec');
    expect(out.metadata).not.toHaveProperty('orig_nbformat');
  });

  it('accepts the export of older notebooks holding values that only later versions refuse', () => {
    // Valid 4.1: `title` and `jupyter` mean nothing before 4.2 and 4.3.
    const nb = {
      nbformat: 4,
      nbformat_minor: 1,
      metadata: { title: 3, authors: 'someone' },
      cells: [{ cell_type: 'markdown', metadata: { jupyter: 'x', kept: 1 }, source: 'a' }],
    };
    expect(nbformatSchema(1)(nb)).toBe(true);
    const doc = docOf(nb);
    // The document keeps them, as the file had them; the 4.5 file cannot.
    expect(readNotebook(doc).metadata).toEqual({ title: 3, authors: 'someone' });
    expect(readNotebook(doc).cells[0]!.metadata).toEqual({ jupyter: 'x', kept: 1 });
    const out = exportIpynb(doc) as Json;
    expect(validate45(out), schemaErrors(validate45)).toBe(true);
    expect(out.metadata).toEqual({});
    expect(out.cells[0].metadata).toEqual({ kept: 1 });
  });

  it('refuses a broken notebook, so that the checks above can fail', () => {
    const out = exportIpynb(docOf(fixtures.find((f) => f.json.nbformat_minor === 1)!.json)) as Json;
    delete out.cells[0].id;
    out.cells[1].outputs[0].data['text/plain'] = 42;
    expect(validate45(out)).toBe(false);
    expect(schemaErrors(validate45)).toContain("must have required property 'id'");
  });
});

describe('the nbformat validator of python3-nbformat', () => {
  const exports = (): string[] => [
    ...fixtures.map((f) => stringifyIpynb(docOf(f.json))),
    stringifyIpynb(docOf(longOutputNotebook())),
    stringifyIpynb(carelessDoc()),
  ];

  it('accepts every export, read back by nbformat.read', () => {
    const run = runPython(exports());
    expect(run.output).toBe('');
    expect(run.status).toBe(0);
  });

  it('exits non-zero on a broken file among valid ones', () => {
    const broken = JSON.parse(stringifyIpynb(docOf(fixtures[1]!.json)));
    broken.cells[0].outputs[0].output_type = 'stream';
    delete broken.cells[0].outputs[0].name;
    const run = runPython([...exports(), JSON.stringify(broken)]);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(/ValidationError/);
  });

  it('writes byte for byte what nbformat.writes writes', () => {
    // Each file is read by nbformat and written again; any difference is printed.
    const script = [
      'import nbformat, sys',
      'for p in sys.argv[1:]:',
      '    ours = open(p, encoding="utf-8").read()',
      '    theirs = nbformat.writes(nbformat.read(p, as_version=4)) + "\\n"',
      '    if ours != theirs:',
      '        import difflib',
      '        sys.stdout.writelines(difflib.unified_diff(theirs.splitlines(True), ours.splitlines(True), "nbformat", p, n=1))',
    ].join('\n');
    const run = runPython(exports(), script);
    expect(run.output).toBe('');
    expect(run.status).toBe(0);
  });
});
