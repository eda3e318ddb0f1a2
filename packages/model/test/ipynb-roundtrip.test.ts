import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  cellsOf,
  exportIpynb,
  importIpynb,
  metaOf,
  outputsOf,
  readOutputs,
  splitLines,
  stringifyIpynb,
} from '../src/index.js';
import { expectLossless, type Json, loadFixtures, longOutputNotebook } from './helpers/ipynb.js';

const fixtures = loadFixtures();

const imported = (nb: unknown): Y.Doc => {
  const doc = new Y.Doc();
  importIpynb(doc, nb);
  return doc;
};

const exported = (nb: unknown): Json => exportIpynb(imported(nb));

describe('the fixture corpus', () => {
  it('covers nbformat 4.0 to 4.5 and every kind of output', () => {
    const minors = new Set(fixtures.map((f) => f.json.nbformat_minor));
    expect([...minors].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const outputs = fixtures.flatMap((f) => f.json.cells.flatMap((c: Json) => c.outputs ?? []));
    const kinds = new Set(outputs.map((o: Json) => (o.name ? `${o.output_type}/${o.name}` : o.output_type)));
    for (const kind of ['stream/stdout', 'stream/stderr', 'display_data', 'execute_result', 'error']) {
      expect(kinds).toContain(kind);
    }
    const mimes = new Set(outputs.flatMap((o: Json) => Object.keys(o.data ?? {})));
    for (const mime of [
      'text/plain',
      'text/html',
      'image/png',
      'image/svg+xml',
      'application/json',
      'text/latex',
      'text/markdown',
      'application/vnd.foo+json',
    ]) {
      expect(mimes).toContain(mime);
    }
  });
});

describe('importIpynb then exportIpynb', () => {
  it.each(fixtures.map((f) => [f.name, f.json]))('gives back %s without loss', (_name, nb) => {
    expectLossless(exported(nb), nb);
  });

  it('gives back a 20,000-line stream output whole, as 20,000 lines', () => {
    const nb = longOutputNotebook(20_000);
    const out = exported(nb);
    expectLossless(out, nb);
    const text = out.cells[0].outputs[0].text;
    expect(text).toHaveLength(20_000);
    expect(text[19_999]).toBe(`19999 ${'é'.repeat(19_999 % 7)}\n`);
  });

  it('adds valid, unique ids to the cells of notebooks older than 4.5 and keeps those of 4.5', () => {
    const old = exported(fixtures.find((f) => f.json.nbformat_minor === 3)!.json);
    expect(old.cells.every((c: Json) => /^[a-zA-Z0-9-_]{1,64}$/.test(c.id))).toBe(true);
    const edges = fixtures.find((f) => f.name === 'nbformat-4.5-edges.ipynb')!.json;
    expect(exported(edges).cells.map((c: Json) => c.id)).toEqual(edges.cells.map((c: Json) => c.id));
  });

  it('drops what nbformat never writes: signature, trusted, transient', () => {
    const v40 = fixtures.find((f) => f.json.nbformat_minor === 0)!.json;
    expect(v40.metadata.signature).toBeDefined();
    expect(v40.cells[1].metadata.trusted).toBe(true);
    const out = exported(v40);
    expect(out.metadata).not.toHaveProperty('signature');
    expect(out.cells[1].metadata).toEqual({ collapsed: false });

    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { orig_nbformat: 3, orig_nbformat_minor: 0 },
      cells: [
        {
          id: 'shown',
          cell_type: 'code',
          execution_count: 1,
          metadata: {},
          source: 'display(x, display_id=True)',
          outputs: [
            {
              output_type: 'display_data',
              data: { 'text/plain': '1' },
              metadata: {},
              transient: { display_id: 'd1' },
            },
          ],
        },
      ],
    };
    const doc = imported(nb);
    // The document keeps the display id, for update_display_data; the file does not.
    expect(readOutputs(doc, 'shown')[0]).toMatchObject({ transient: { display_id: 'd1' } });
    const file = exportIpynb(doc) as Json;
    expect(file.cells[0].outputs[0]).not.toHaveProperty('transient');
    expect(file.metadata).toEqual({});
    expectLossless(file, nb);
  });

  it('replaces the notebook metadata of a document, even keys named like Object.prototype members', () => {
    const doc = imported({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { constructor: 1, toString: 'x', hasOwnProperty: [], kept: 1 },
      cells: [],
    });
    importIpynb(doc, { nbformat: 4, nbformat_minor: 5, metadata: { kept: 2 }, cells: [] });
    expect((exportIpynb(doc) as Json).metadata).toStrictEqual({ kept: 2 });
  });

  it('drops keys that nbformat 4.5 does not allow and keeps every metadata key', () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { unknown: { nested: [1, { deep: true }] } },
      cells: [
        {
          id: 'c',
          cell_type: 'markdown',
          metadata: { unknown: 'kept' },
          source: 'x',
          outputs: [],
          execution_count: 3,
          extra: 'dropped',
        },
      ],
      worksheets: 'dropped',
    };
    expect(exported(nb)).toStrictEqual({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { unknown: { nested: [1, { deep: true }] } },
      cells: [{ id: 'c', cell_type: 'markdown', metadata: { unknown: 'kept' }, source: ['x'] }],
    });
  });
});

describe('exportIpynb', () => {
  it.each(fixtures.map((f) => [f.name, f.json]))(
    'is a fixed point of export then import for %s',
    (_n, nb) => {
      const once = exported(nb);
      const twice = exported(once);
      expect(twice).toStrictEqual(once);
      expect(exported(twice)).toStrictEqual(once);
    },
  );

  it.each(fixtures.map((f) => [f.name, f.json]))(
    'exports %s the same from a document rebuilt from its encoded state',
    (_n, nb) => {
      const doc = imported(nb);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      expect(exportIpynb(copy)).toStrictEqual(exportIpynb(doc));
      const viaV2 = new Y.Doc();
      Y.applyUpdateV2(viaV2, Y.encodeStateAsUpdateV2(doc));
      expect(exportIpynb(viaV2)).toStrictEqual(exportIpynb(doc));
    },
  );

  it('writes integers for execution counts and versions that Yjs holds as floats', () => {
    const doc = imported(fixtures.find((f) => f.json.nbformat_minor === 1)!.json);
    const cell = cellsOf(doc).get(1);
    const result = outputsOf(cell)!.get(0) as Y.Map<unknown>;
    doc.transact(() => {
      cell.set('execution_count', 3.0000001);
      result.set('execution_count', 6.9999999);
      metaOf(doc).set('nbformat', 4.0000001);
      metaOf(doc).set('nbformat_minor', 4.9999999);
    });
    const out = exportIpynb(doc) as Json;
    expect(out.cells[1].execution_count).toBe(3);
    expect(out.cells[1].outputs[0].execution_count).toBe(7);
    expect([out.nbformat, out.nbformat_minor]).toEqual([4, 5]);
    const text = stringifyIpynb(doc);
    expect(text).toContain('"execution_count": 3,');
    expect(text).toContain('"execution_count": 7,');
    expect(text).not.toMatch(/\d\.\d{5}/);
  });

  it('reads outputs stored as plain JSON objects as it reads Y.Map outputs', () => {
    const nb = fixtures.find((f) => f.json.nbformat_minor === 1)!.json;
    const asMaps = imported(nb);
    const asObjects = new Y.Doc();
    Y.applyUpdate(asObjects, Y.encodeStateAsUpdate(asMaps));
    // Replace every output Y.Map by the output as it is in the file: plain
    // JSON, with strings still split in lines.
    asObjects.transact(() => {
      cellsOf(asObjects).forEach((cell, i) => {
        const outputs = outputsOf(cell);
        if (!outputs) return;
        outputs.delete(0, outputs.length);
        outputs.push(structuredClone(nb.cells[i].outputs));
      });
    });
    expect(outputsOf(cellsOf(asObjects).get(0))!.get(0)).not.toBeInstanceOf(Y.Map);
    expect(exportIpynb(asObjects)).toStrictEqual(exportIpynb(asMaps));
    expect(readOutputs(asObjects, (exportIpynb(asObjects) as Json).cells[0].id)[0]).toEqual({
      output_type: 'stream',
      name: 'stdout',
      text: 'première ligne\ndeuxième ligne\n',
    });
  });

  it('returns a copy: changing it leaves the document as it was', () => {
    const doc = imported(fixtures.find((f) => f.json.nbformat_minor === 3)!.json);
    const before = stringifyIpynb(doc);
    const out = exportIpynb(doc) as Json;
    out.metadata.capytale.activity.options.hints.push('changed');
    out.cells[2].metadata.nbgrader.points = 99;
    out.cells[2].metadata.jupyter.source_hidden = false;
    const withOutputs = exportIpynb(
      imported(fixtures.find((f) => f.json.nbformat_minor === 1)!.json),
    ) as Json;
    withOutputs.cells[2].outputs[2].data['application/json'].a.push('changed');
    expect(stringifyIpynb(doc)).toBe(before);
  });
});

describe('multi-line strings', () => {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      {
        id: 'md',
        cell_type: 'markdown',
        metadata: {},
        source: 'a\nb',
        attachments: { 'x.png': { 'image/png': 'AAAA\nBBBB\n', 'text/plain': 'un\ndeux' } },
      },
      {
        id: 'code',
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        source: 'x\r\ny\rz\u2028w\n',
        outputs: [
          { output_type: 'stream', name: 'stdout', text: '1\n2\n' },
          {
            output_type: 'display_data',
            metadata: {},
            data: {
              'text/plain': 'p\nq',
              'text/html': '<b>\n</b>\n',
              'image/svg+xml': '<svg>\n</svg>',
              'application/javascript': 'f();\ng();',
              'image/png': 'iVBOR\nw0KG\n',
              'image/jpeg': '/9j/\n4AAQ',
              'application/json': { s: 'a\nb' },
              'application/vnd.foo+json': 'kept\nwhole',
              'application/vnd.bar+json': ['a\n', 'b'],
            },
          },
          { output_type: 'error', ename: 'E', evalue: 'v\nw', traceback: ['a\nb', 'c'] },
        ],
      },
      { id: 'empty', cell_type: 'raw', metadata: {}, source: '' },
    ],
  };

  it('are written as lists of lines exactly where nbformat splits them', () => {
    const out = exported(nb);
    expect(out.cells[0].source).toEqual(['a\n', 'b']);
    expect(out.cells[0].attachments['x.png']).toEqual({
      'image/png': 'AAAA\nBBBB\n',
      'text/plain': ['un\n', 'deux'],
    });
    expect(out.cells[1].source).toEqual(['x\r\n', 'y\r', 'z\u2028', 'w\n']);
    expect(out.cells[1].outputs[0].text).toEqual(['1\n', '2\n']);
    expect(out.cells[1].outputs[1].data).toStrictEqual({
      'application/javascript': ['f();\n', 'g();'],
      'application/json': { s: 'a\nb' },
      'application/vnd.bar+json': ['a\n', 'b'],
      'application/vnd.foo+json': 'kept\nwhole',
      'image/jpeg': '/9j/\n4AAQ',
      'image/png': 'iVBOR\nw0KG\n',
      'image/svg+xml': ['<svg>\n', '</svg>'],
      'text/html': ['<b>\n', '</b>\n'],
      'text/plain': ['p\n', 'q'],
    });
    expect(out.cells[1].outputs[2]).toEqual({
      output_type: 'error',
      ename: 'E',
      evalue: 'v\nw',
      traceback: ['a\nb', 'c'],
    });
    expect(out.cells[2].source).toEqual([]);
  });

  it('are split at every line boundary of Python str.splitlines, keeping the line ends', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual(['\n']);
    expect(splitLines('a')).toEqual(['a']);
    expect(splitLines('a\r\n\r\nb')).toEqual(['a\r\n', '\r\n', 'b']);
    expect(splitLines('\r\r\n\n')).toEqual(['\r', '\r\n', '\n']);
    const breaks = ['\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029'];
    expect(splitLines(breaks.map((b, i) => `${i}${b}`).join(''))).toEqual(breaks.map((b, i) => `${i}${b}`));
    // Not line boundaries for Python: other controls, NEL look-alikes, tabs.
    expect(splitLines('a\tb\x1fc\x00d\u200be\u0084f')).toEqual(['a\tb\x1fc\x00d\u200be\u0084f']);
  });

  it('join back to the text they were split from, for random texts', () => {
    const alphabet = ['a', 'é', '😀', '\n', '\r', '\r\n', '\u2028', '\x0b', '\x85', ' ', '\t'];
    const seed = 20_240_304;
    const gen = prng.create(seed);
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const n = prng.int32(gen, 0, 12);
      for (let j = 0; j < n; j++) text += prng.oneOf(gen, alphabet);
      const lines = splitLines(text);
      expect(lines.join(''), `seed ${seed}, text ${JSON.stringify(text)}`).toBe(text);
      expect(lines.every((l) => l !== '')).toBe(true);
      const ends = ['\n', '\r', '\x0b', '\x85', '\u2028'];
      expect(lines.slice(0, -1).every((l) => ends.includes(l.at(-1)!))).toBe(true);
    }
  });

  it.each(fixtures.map((f) => [f.name, f.json]))(
    'stringifyIpynb of %s parses back to exportIpynb',
    (_n, file) => {
      const doc = imported(file);
      const text = stringifyIpynb(doc);
      expect(text.endsWith('}\n')).toBe(true);
      expect(text.startsWith('{\n "cells": [')).toBe(true);
      expect(JSON.parse(text)).toStrictEqual(exportIpynb(doc));
    },
  );
});
