import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importIpynb, updateSize } from '../src/index.js';

// updateSize skips through an update's bytes without Yjs: it must agree with
// Yjs's own decoder on every kind of content, or honest updates would be refused.

const decoded = (u: Uint8Array) => {
  const { structs, ds } = Y.decodeUpdate(u);
  let ranges = 0;
  for (const r of ds.clients.values()) ranges += r.length;
  return { structs: structs.length, deleteRanges: ranges };
};

describe('updateSize', () => {
  it('counts like Yjs on text, formats, embeds, maps, arrays, XML, binary, subdocuments and deletions', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'hello world');
    text.format(0, 5, { bold: true });
    text.insertEmbed(3, { image: 'x.png' });
    text.delete(6, 2);
    const map = doc.getMap('m');
    map.set('n', 1);
    map.set('n', 2);
    map.set('bin', new Uint8Array([1, 2, 3]));
    map.set('any', { a: [1, 'b', null, true, 2.5, { c: 'd' }] });
    map.set('sub', new Y.Doc());
    const arr = doc.getArray('a');
    arr.insert(0, [1, 2, 3, new Y.Map(), new Y.Text('x')]);
    arr.delete(1, 1);
    const xml = doc.getXmlFragment('x');
    const el = new Y.XmlElement('p');
    el.setAttribute('class', 'c');
    xml.insert(0, [el, new Y.XmlText('t')]);
    el.insert(0, [new Y.XmlHook('h') as unknown as Y.XmlText]);
    const update = Y.encodeStateAsUpdate(doc);
    expect(updateSize(update)).toEqual(decoded(update));
    expect(updateSize(update).structs).toBeGreaterThan(10);
  });

  it('counts like Yjs on a notebook, stops early past a cap and throws on garbage', () => {
    const doc = new Y.Doc();
    importIpynb(doc, {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
      cells: [
        {
          id: 'a',
          cell_type: 'code',
          source: 'print(1)',
          metadata: { tags: ['x'] },
          outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }],
          execution_count: 1,
        },
        {
          id: 'b',
          cell_type: 'markdown',
          source: '# t',
          metadata: {},
          attachments: { 'a.png': { 'image/png': 'AAAA' } },
        },
      ],
    });
    const update = Y.encodeStateAsUpdate(doc);
    expect(updateSize(update)).toEqual(decoded(update));
    expect(updateSize(update, 3).structs).toBe(4);
    expect(() => updateSize(update.slice(0, update.length - 5))).toThrow();
    expect(() => updateSize(new Uint8Array([1, 200, 200, 200]))).toThrow();
  });
});
