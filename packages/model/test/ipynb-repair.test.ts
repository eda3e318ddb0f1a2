import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportIpynb, importIpynb, parseIpynb } from '../src/index.js';
import { nbformatSchema, schemaErrors } from './helpers/ipynb.js';

// Real notebooks that Jupyter opens with a warning (nbclient's test files
// have a kernelspec without `name`) are repaired, not refused.

const validate45 = nbformatSchema(5);

// The shape of nbclient's tests/files notebooks: kernelspec with display_name and language only.
const withoutName = () => ({
  nbformat: 4,
  nbformat_minor: 1,
  metadata: {
    kernelspec: { display_name: 'Python 3', language: 'python' },
    language_info: { name: 'python', version: '3.11.2' },
  },
  cells: [
    { cell_type: 'code', execution_count: null, metadata: {}, source: ['print("hello")'], outputs: [] },
  ],
});

describe('notebooks repaired on import, as Jupyter opens them', () => {
  it('gives a kernelspec without name one, keeps the rest, says so, and exports a valid file', () => {
    const warnings: string[] = [];
    const nb = parseIpynb(withoutName(), warnings);
    expect(nb.metadata.kernelspec).toEqual({ name: 'python3', display_name: 'Python 3', language: 'python' });
    expect(warnings).toEqual(['metadata.kernelspec had no name: set to "python3"']);
    const doc = new Y.Doc();
    importIpynb(doc, withoutName());
    const out = exportIpynb(doc) as { metadata: { kernelspec: unknown }; cells: { source: string[] }[] };
    expect(validate45(out), schemaErrors(validate45)).toBe(true);
    expect(out.metadata.kernelspec).toEqual({
      name: 'python3',
      display_name: 'Python 3',
      language: 'python',
    });
    expect(out.cells[0]!.source.join('')).toBe('print("hello")');
  });

  it('names other languages after them, fills a missing display_name, and leaves good kernelspecs alone', () => {
    const r = withoutName();
    r.metadata.kernelspec = { display_name: 'R 4.3', language: 'R' };
    expect(parseIpynb(r).metadata.kernelspec).toEqual({ name: 'r', display_name: 'R 4.3', language: 'R' });
    const warnings: string[] = [];
    const bare = withoutName() as { metadata: { kernelspec: object } };
    bare.metadata.kernelspec = { name: 'python3' };
    expect(parseIpynb(bare, warnings).metadata.kernelspec).toEqual({
      name: 'python3',
      display_name: 'Python 3',
    });
    expect(warnings).toEqual(['metadata.kernelspec had no display_name: set to "Python 3"']);
    const fine = withoutName() as { metadata: { kernelspec: object } };
    fine.metadata.kernelspec = { name: 'ir', display_name: 'R' };
    const none: string[] = [];
    expect(parseIpynb(fine, none).metadata.kernelspec).toEqual({ name: 'ir', display_name: 'R' });
    expect(none).toEqual([]);
  });

  it('still refuses a kernelspec that is no object, or whose names are not strings', () => {
    const bad = withoutName() as { metadata: { kernelspec: unknown } };
    bad.metadata.kernelspec = 'python3';
    expect(() => parseIpynb(bad)).toThrow(/metadata\.kernelspec/);
    bad.metadata.kernelspec = { display_name: ['x'] };
    expect(() => parseIpynb(bad)).toThrow(/metadata\.kernelspec\.display_name/);
  });
});
