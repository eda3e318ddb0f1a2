import { describe, expect, it } from 'vitest';
import { BoundedStream, compactChunk, type TextEdit } from '../src/bounded-stream.js';
import { writeLine } from '../src/terminal-line.js';

// A seeded generator, so that a failure names the seed that replays it.
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const apply = (text: string, edits: TextEdit[]) =>
  edits.reduce((t, e) => t.slice(0, e.index) + e.insert + t.slice(e.index + e.remove), text);

// What a terminal shows after all the chunks, without any limit.
const oracle = (chunks: string[]) => {
  let state = { line: '', col: 0 };
  let done = '';
  for (const chunk of chunks) {
    const w = writeLine(state, chunk);
    done += w.completed.join('');
    state = w;
  }
  return done + state.line;
};

// Lines stay shorter than the tail's budget: a longer line is cut at its
// start, where a later \r would then land elsewhere than on a terminal.
const chunksOf = (next: () => number, count: number, lineMax: number) => {
  let width = 0;
  return Array.from({ length: count }, () => {
    let chunk = '';
    const n = Math.floor(next() * 12);
    for (let i = 0; i < n; i++) {
      const r = next();
      if (r < 0.15 || width > 40) {
        chunk += '\n';
        width = 0;
        continue;
      }
      if (r < 0.2) chunk += '\r';
      else if (r < 0.23) chunk += '\b';
      else if (r < 0.25) {
        chunk += '\r\n';
        width = 0;
      } else {
        const run = 'abcdefgh'.slice(0, 1 + Math.floor(next() * Math.min(8, lineMax)));
        chunk += run;
        width += run.length;
      }
    }
    return chunk;
  });
};

const marker = (lines: number, chars: number) => `[${lines} lines, ${chars} chars elided]\n`;

describe('a bounded stream', () => {
  it('writes what a terminal shows when it stays within its budget', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const chunks = chunksOf(random(seed), 40, 8);
      const stream = new BoundedStream(marker);
      let text = '';
      for (const chunk of chunks) text = apply(text, stream.write(chunk, 1e9));
      expect(text, `seed ${seed}`).toBe(oracle(chunks));
      expect(stream.length, `seed ${seed}`).toBe(text.length);
    }
  });

  it('keeps the first and last lines of what a terminal shows, and counts what it elides', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const chunks = chunksOf(random(seed), 300, 8);
      const budget = 200;
      const stream = new BoundedStream(marker);
      let text = '';
      for (const chunk of chunks) {
        text = apply(text, stream.write(chunk, budget));
        expect(text.length, `seed ${seed}`).toBeLessThanOrEqual(budget);
        expect(stream.length, `seed ${seed}`).toBe(text.length);
      }
      const full = oracle(chunks);
      if (full.length <= budget) {
        expect(text, `seed ${seed}`).toBe(full);
        continue;
      }
      const match = text.match(/\[(\d+) lines, (\d+) chars elided\]\n/);
      expect(match, `seed ${seed}`).not.toBeNull();
      const head = text.slice(0, match!.index);
      const tail = text.slice(match!.index! + match![0].length);
      expect(full.startsWith(head), `seed ${seed}`).toBe(true);
      expect(full.endsWith(tail), `seed ${seed}`).toBe(true);
      expect(head.length + Number(match![2]) + tail.length, `seed ${seed}`).toBe(full.length);
    }
  });

  it('edits only the end of the text for a progress bar', () => {
    const stream = new BoundedStream(marker);
    stream.write('header\n', 1000);
    expect(stream.write('\r 50%', 1000)).toEqual([{ index: 7, remove: 0, insert: ' 50%' }]);
    expect(stream.write('\r 60%', 1000)).toEqual([{ index: 8, remove: 3, insert: '60%' }]);
  });
});

describe('compacting a chunk', () => {
  it('drops whole lines from the middle of a flood and counts them', () => {
    const chunk = Array.from({ length: 1000 }, (_, i) => `${i}\n`).join('');
    const { text, skipped } = compactChunk(chunk, 100);
    expect(text.length).toBeLessThan(chunk.length);
    expect(text.startsWith('0\n1\n')).toBe(true);
    expect(text.endsWith('998\n999\n')).toBe(true);
    expect(text.split('\n').length - 1 + skipped.lines).toBe(1000);
    expect(text.length + skipped.chars).toBe(chunk.length);
  });

  it('leaves a chunk alone when it is not far over the limit', () => {
    expect(compactChunk('a\nb\n', 1)).toEqual({ text: 'a\nb\n', skipped: { lines: 0, chars: 0 } });
  });
});
