import {
  createUndoManager,
  deleteCell,
  getCell,
  localOrigin,
  moveCell,
  readOutputs,
  setCellSource,
} from '@candyce/model';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createOutputWriter, englishTexts } from '../src/index.js';
import { countUpdates, message, notebook, stream, streamText } from './helpers/notebook.js';

const png =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('the output writer', () => {
  it('clears the outputs, marks the cell running, then idle with its execution count', () => {
    const doc = notebook('print(1)');
    const w0 = createOutputWriter(doc, 'c1');
    w0.handle(stream('old\n'));
    w0.end();
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    const cell = getCell(doc, 'c1');
    expect(readOutputs(doc, 'c1')).toEqual([]);
    expect(cell.get('execution_state')).toBe('running');
    expect(cell.get('execution_count')).toBe(null);
    w.handle(message('execute_input', { code: 'print(1)', execution_count: 7 }));
    w.handle(stream('1\n'));
    w.end();
    expect(readOutputs(doc, 'c1')).toEqual([{ output_type: 'stream', name: 'stdout', text: '1\n' }]);
    expect(cell.get('execution_state')).toBe('idle');
    expect(cell.get('execution_count')).toBe(7);
  });

  it('appends stream text to one Y.Text per stream and starts a new output when the stream changes', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('a'));
    w.flush();
    const first = (getCell(doc, 'c1').get('outputs') as Y.Array<Y.Map<unknown>>).get(0).get('text');
    w.handle(stream('b\n'));
    w.handle(stream('oops\n', 'stderr'));
    w.handle(stream('c\n'));
    w.end();
    const outputs = getCell(doc, 'c1').get('outputs') as Y.Array<Y.Map<unknown>>;
    expect(outputs.get(0).get('text')).toBe(first);
    expect(readOutputs(doc, 'c1').map((o) => (o.output_type === 'stream' ? [o.name, o.text] : o))).toEqual([
      ['stdout', 'ab\n'],
      ['stderr', 'oops\n'],
      ['stdout', 'c\n'],
    ]);
  });

  it('lets a carriage return overwrite its line, as progress bars expect', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('start\n'));
    for (let p = 0; p <= 100; p += 10) {
      w.handle(stream(`\r${String(p).padStart(3)}%`));
      w.flush();
    }
    w.handle(stream('\ndone\n'));
    w.end();
    expect(streamText(doc, 'c1')).toBe('start\n100%\ndone\n');
  });

  it('overwrites only the characters a shorter line covers, and ends a line at \\r\\n', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('abcdef\rXY'));
    w.handle(stream('\r\nnext\r'));
    w.handle(stream('\n'));
    w.end();
    expect(streamText(doc, 'c1')).toBe('XYcdef\nnext\n');
  });

  it('erases the character before the cursor on a backspace', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('abc\b\bX\n\bline'));
    w.flush();
    w.handle(stream('\b\b\b\bLINE\n'));
    w.end();
    expect(streamText(doc, 'c1')).toBe('aX\nLINE\n');
  });

  it('clears at once on clear_output, and at the next output with wait', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('frame 1\n'));
    w.flush();
    w.handle(message('clear_output', { wait: true }));
    w.flush();
    expect(streamText(doc, 'c1')).toBe('frame 1\n');
    w.handle(stream('frame 2\n'));
    w.flush();
    expect(streamText(doc, 'c1')).toBe('frame 2\n');
    w.handle(message('clear_output', { wait: false }));
    w.flush();
    expect(readOutputs(doc, 'c1')).toEqual([]);
    w.end();
  });

  it('updates a display by its display id, in this cell and in others', () => {
    const doc = notebook('', '');
    const a = createOutputWriter(doc, 'c1');
    a.begin();
    a.handle(
      message('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }),
    );
    a.handle(stream('between\n'));
    a.handle(
      message('update_display_data', {
        data: { 'text/plain': 'v2' },
        metadata: {},
        transient: { display_id: 'd' },
      }),
    );
    a.end();
    expect(readOutputs(doc, 'c1')[0]).toMatchObject({
      output_type: 'display_data',
      data: { 'text/plain': 'v2' },
    });
    expect(readOutputs(doc, 'c1')).toHaveLength(2);
    const b = createOutputWriter(doc, 'c2');
    b.begin();
    b.handle(
      message('update_display_data', {
        data: { 'text/html': '<b>v3</b>' },
        metadata: {},
        transient: { display_id: 'd' },
      }),
    );
    b.end();
    expect(readOutputs(doc, 'c1')[0]).toMatchObject({ data: { 'text/html': '<b>v3</b>' } });
    expect(readOutputs(doc, 'c2')).toEqual([]);
  });

  it('writes rich outputs, results and errors in order', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('before\n'));
    w.handle(message('display_data', { data: { 'image/png': png, 'text/plain': '<Image>' }, metadata: {} }));
    w.handle(message('execute_result', { execution_count: 3, data: { 'text/plain': '42' }, metadata: {} }));
    w.handle(
      message('error', { ename: 'ValueError', evalue: 'bad', traceback: ['Traceback', 'ValueError: bad'] }),
    );
    w.end();
    expect(readOutputs(doc, 'c1').map((o) => o.output_type)).toEqual([
      'stream',
      'display_data',
      'execute_result',
      'error',
    ]);
    expect(getCell(doc, 'c1').get('execution_count')).toBe(3);
  });

  it('keeps the beginning and the end of a long stream, with a marker line in place of the middle', () => {
    const doc = notebook('');
    const maxText = 10_000;
    const w = createOutputWriter(doc, 'c1', { limits: { maxText } });
    w.begin();
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`);
    for (let i = 0; i < lines.length; i += 100) {
      w.handle(stream(lines.slice(i, i + 100).join('')));
      if (i % 1000 === 0) w.flush();
    }
    w.end();
    const text = streamText(doc, 'c1');
    expect(text.length).toBeLessThanOrEqual(maxText);
    expect(text.startsWith('line 0\nline 1\n')).toBe(true);
    expect(text.endsWith('line 4998\nline 4999\n')).toBe(true);
    const marker = text.split('\n').find((l) => l.startsWith('⋯'));
    expect(marker).toMatch(/^⋯ [\d,]+ lines \(.+\) not shown: a cell keeps 9\.8 KiB of output ⋯$/);
    const kept = text.split('\n').filter((l) => l.startsWith('line ')).length;
    const elided = Number(marker!.match(/⋯ ([\d,]+) lines/)![1]!.replace(/,/g, ''));
    expect(kept + elided).toBe(5000);
  });

  it('keeps the shared document small while a loop prints without end', () => {
    vi.useFakeTimers();
    try {
      const doc = notebook('');
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
      doc.on('update', (u: Uint8Array) => Y.applyUpdate(peer, u));
      let updates = 0;
      let bytes = 0;
      doc.on('update', (u: Uint8Array) => {
        updates++;
        bytes += u.length;
      });
      const w = createOutputWriter(doc, 'c1', { limits: { maxText: 64 * 1024 } });
      w.begin();
      const line = `${'x'.repeat(99)}\n`;
      // 10 MB in 2 seconds: 100 ticks of 20 ms, 1000 lines each.
      for (let tick = 0; tick < 100; tick++) {
        for (let i = 0; i < 1000; i++) w.handle(stream(line));
        vi.advanceTimersByTime(20);
      }
      w.end();
      expect(streamText(peer, 'c1').length).toBeLessThanOrEqual(64 * 1024);
      expect(streamText(peer, 'c1')).toBe(streamText(doc, 'c1'));
      expect(Y.encodeStateAsUpdate(doc).length).toBeLessThan(100 * 1024);
      // begin, the first flush, then one update a second while it overflows, and the end.
      expect(updates).toBeLessThanOrEqual(6);
      expect(bytes).toBeLessThan(6 * 64 * 1024);
    } finally {
      vi.useRealTimers();
    }
  });

  it('bounds a single flood bigger than the limit before it reaches the document', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1', { limits: { maxText: 1000 } });
    w.begin();
    const flood = Array.from({ length: 100_000 }, (_, i) => `${i}\n`).join('');
    w.handle(stream(flood));
    w.end();
    const text = streamText(doc, 'c1');
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text.startsWith('0\n1\n2\n')).toBe(true);
    expect(text.endsWith('99998\n99999\n')).toBe(true);
    expect(text).toMatch(/⋯ [\d,]+ lines/);
  });

  it('counts the outputs past the limit in one notice', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1', { limits: { maxOutputs: 3 } });
    w.begin();
    for (let i = 0; i < 10; i++)
      w.handle(message('display_data', { data: { 'text/plain': `${i}` }, metadata: {} }));
    w.end();
    const outputs = readOutputs(doc, 'c1');
    expect(outputs).toHaveLength(4);
    expect(outputs[3]).toMatchObject({ data: { 'text/plain': englishTexts.outputsDropped(7, 3) } });
  });

  it('replaces an image over the image budget by a note that says what to do', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1', { limits: { maxImageBytes: 100 } });
    w.begin();
    w.handle(message('display_data', { data: { 'image/png': png }, metadata: {} }));
    w.handle(message('display_data', { data: { 'image/png': png.repeat(3) }, metadata: {} }));
    w.end();
    const [small, big] = readOutputs(doc, 'c1');
    expect(small).toMatchObject({ data: { 'image/png': png } });
    expect(big).toMatchObject({
      data: { 'text/plain': expect.stringMatching(/^\[Image of .* not shown.*smaller/) },
    });
  });

  it('gathers a print loop into one document update per flush', async () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1', { flushInterval: 5 });
    w.begin();
    const { updates } = await countUpdates(doc, async () => {
      for (let i = 0; i < 1000; i++) w.handle(stream(`${i}\n`));
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(updates).toBe(1);
    expect(streamText(doc, 'c1').split('\n')).toHaveLength(1001);
    w.end();
  });

  it('follows a cell that is moved while it runs', () => {
    const doc = notebook('a', 'b', 'c');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('10%\r'));
    w.flush();
    moveCell(doc, 'c1', 2);
    const moved = getCell(doc, 'c1');
    w.handle(stream('50%\r'));
    w.handle(stream('100%\ndone\n'));
    w.end();
    expect(getCell(doc, 'c1')).toBe(moved);
    expect(streamText(doc, 'c1')).toBe('100%\ndone\n');
    expect(moved.get('execution_state')).toBe('idle');
  });

  it('stops writing to a cell deleted while it runs', () => {
    const doc = notebook('a', 'b');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('x\n'));
    w.flush();
    deleteCell(doc, 'c1');
    w.handle(stream('y\n'));
    expect(() => w.end()).not.toThrow();
    expect(readOutputs(doc, 'c2')).toEqual([]);
  });

  it('starts over from the document when someone else changed the outputs during the run', () => {
    const doc = notebook('');
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('one\n'));
    w.flush();
    const outputs = getCell(doc, 'c1').get('outputs') as Y.Array<unknown>;
    outputs.delete(0, outputs.length);
    w.handle(stream('two\n'));
    w.end();
    expect(streamText(doc, 'c1')).toBe('two\n');
  });

  it('writes with the kernel origin, which never enters a user’s undo history', () => {
    const doc = notebook('x = 1');
    const alice = localOrigin('alice');
    const undo = createUndoManager(doc, alice);
    setCellSource(doc, 'c1', 'x = 2', { origin: alice });
    undo.stopCapturing();
    const w = createOutputWriter(doc, 'c1');
    w.begin();
    w.handle(stream('out\n'));
    w.handle(message('execute_result', { execution_count: 1, data: { 'text/plain': '2' }, metadata: {} }));
    w.end();
    expect(undo.undo()).toBe(true);
    expect(String(getCell(doc, 'c1').get('source'))).toBe('x = 1');
    expect(streamText(doc, 'c1')).toBe('out\n');
    expect(readOutputs(doc, 'c1')).toHaveLength(2);
    expect(undo.canUndo()).toBe(false);
  });
});
