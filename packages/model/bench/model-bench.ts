// Model benchmark: prints figures, asserts nothing. Run with `npm run bench:model`.
// Figures: import and export of a 500-cell notebook carrying 5 MB of outputs,
// a 100,000-keystroke typing trace applied through the model, encoded update
// size against .ipynb size, and heap used.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import {
  cellIds,
  createUndoManager,
  exportIpynb,
  getCell,
  importIpynb,
  localOrigin,
  moveCell,
  sourceOf,
  stringifyIpynb,
  watchNotebook,
} from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heapMiB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

// A small seeded PRNG so that every run measures the same work.
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const time = (fn: () => void, runs = 5): number => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
};

/** A 500-cell notebook: about 5 MB of outputs in streams, PNG images and HTML tables. */
const bigNotebook = () => {
  const rand = prng(1);
  const b64 = (n: number) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * 64)];
    return s;
  };
  const cells = [];
  for (let i = 0; i < 500; i++) {
    if (i % 5 === 0) {
      cells.push({
        cell_type: 'markdown',
        metadata: {},
        source: [`## Partie ${i / 5}\n`, 'Énoncé : calculez $x^2$.\n'],
      });
      continue;
    }
    const outputs =
      i % 3 === 0
        ? [
            {
              output_type: 'display_data',
              data: { 'image/png': b64(20_000), 'text/plain': ['<Figure>'] },
              metadata: {},
            },
          ]
        : i % 3 === 1
          ? [
              {
                output_type: 'stream',
                name: 'stdout',
                text: Array.from({ length: 450 }, (_, k) => `ligne ${k} : ${k * i}\n`),
              },
            ]
          : [
              {
                output_type: 'execute_result',
                execution_count: i,
                metadata: {},
                data: {
                  'text/html': Array.from(
                    { length: 220 },
                    (_, k) => `<tr><td>${k}</td><td>${k * i}</td></tr>\n`,
                  ),
                  'text/plain': [`table ${i}`],
                },
              },
            ];
    cells.push({
      cell_type: 'code',
      execution_count: i,
      metadata: { tags: i % 7 === 0 ? ['exercice'] : [] },
      source: Array.from({ length: 8 }, (_, k) => `x_${k} = ${k} * ${i}\n`),
      outputs,
    });
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells,
  };
};

const results: Record<string, number | string> = {};
const row = (name: string, value: number, unit: string) => {
  results[`${name} (${unit})`] = Number(value.toFixed(2));
  console.log(`${name.padEnd(52)} ${value.toFixed(2).padStart(12)} ${unit}`);
};

console.log(`Candyce model benchmark — node ${process.version}, yjs ${Y.Doc.name ? '13' : '?'}\n`);

// 1. Import and export of a 500-cell notebook with 5 MB of outputs.
const nb = bigNotebook();
const ipynbText = JSON.stringify(nb);
const outputBytes = nb.cells.reduce(
  (n, c) => n + JSON.stringify((c as { outputs?: unknown }).outputs ?? []).length,
  0,
);
row('outputs carried by the 500 cells', outputBytes / 1e6, 'MB');
row('.ipynb size, 500 cells', ipynbText.length / 2 ** 20, 'MiB');
row(
  'import 500 cells (parse + importIpynb), median of 5',
  time(() => importIpynb(new Y.Doc(), JSON.parse(ipynbText))),
  'ms',
);
// Heap held = heap with the document alive minus heap once it is released.
const heldBy = (make: () => unknown): number => {
  let kept: unknown = make();
  const withIt = heapMiB();
  kept = null;
  return withIt - heapMiB() + (kept === null ? 0 : 0);
};
row(
  'heap held by the 500-cell doc',
  heldBy(() => {
    const d = new Y.Doc();
    importIpynb(d, JSON.parse(ipynbText));
    return d;
  }),
  'MiB',
);
const doc = new Y.Doc();
importIpynb(doc, JSON.parse(ipynbText));
row(
  'export 500 cells (exportIpynb), median of 5',
  time(() => exportIpynb(doc)),
  'ms',
);
row(
  'export 500 cells to text (stringifyIpynb), median of 5',
  time(() => stringifyIpynb(doc)),
  'ms',
);
const update = Y.encodeStateAsUpdate(doc);
const exported = stringifyIpynb(doc);
row('encoded Yjs update size', update.length / 2 ** 20, 'MiB');
row('exported .ipynb size (Jupyter formatting)', exported.length / 2 ** 20, 'MiB');
row('encoded update / .ipynb', update.length / exported.length, 'ratio');
row(
  'load from encoded update (applyUpdate), median of 5',
  time(() => Y.applyUpdate(new Y.Doc(), update)),
  'ms',
);
doc.destroy();

// 2. A 100,000-keystroke typing trace through the model, as an editor does it:
// one transaction per keystroke with the user's origin, an undo manager and
// the notebook watcher attached; some deletions, cursor jumps and cell moves.
const keystrokes = 100_000;
const typeTrace = () => {
  const typing = new Y.Doc();
  importIpynb(typing, {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: Array.from({ length: 30 }, (_, i) => ({
      cell_type: 'code',
      source: '',
      metadata: {},
      outputs: [],
      execution_count: null,
      id: `c${i}`,
    })),
  });
  const me = localOrigin('pupil');
  const undo = createUndoManager(typing, me);
  const stopWatch = watchNotebook(typing);
  const rand = prng(42);
  const letters = 'abcdefghijklmnopqrstuvwxyz     ()=+:\n';
  let cell = 'c0';
  let cursor = 0;
  const t0 = performance.now();
  for (let k = 0; k < keystrokes; k++) {
    const r = rand();
    if (r < 0.002) {
      const ids = cellIds(typing);
      cell = ids[Math.floor(rand() * ids.length)]!;
      cursor = sourceOf(getCell(typing, cell)).length;
    } else if (r < 0.0025) {
      moveCell(typing, cell, Math.floor(rand() * 30), { origin: me });
      cursor = Math.min(cursor, sourceOf(getCell(typing, cell)).length);
    }
    const text = sourceOf(getCell(typing, cell));
    typing.transact(() => {
      if (rand() < 0.1 && cursor > 0) {
        text.delete(cursor - 1, 1);
        cursor--;
      } else {
        text.insert(cursor, letters[Math.floor(rand() * letters.length)]!);
        cursor++;
      }
    }, me);
  }
  return { typing, undo, stopWatch, ms: performance.now() - t0 };
};
let trace: ReturnType<typeof typeTrace> | null = typeTrace();
const typingMs = trace.ms;
row('100,000 keystrokes through the model', typingMs, 'ms');
row('keystrokes per second', keystrokes / (typingMs / 1000), '/s');
row('time per keystroke', (typingMs * 1000) / keystrokes, 'µs');
const typedUpdate = Y.encodeStateAsUpdate(trace.typing);
const typedIpynb = stringifyIpynb(trace.typing);
row('typed doc: encoded update size', typedUpdate.length / 1024, 'KiB');
row('typed doc: .ipynb size', typedIpynb.length / 1024, 'KiB');
row('typed doc: encoded update / .ipynb', typedUpdate.length / typedIpynb.length, 'ratio');
row(
  'typed doc: heap held (with undo history)',
  (() => {
    const withIt = heapMiB();
    trace.stopWatch();
    trace = null;
    return withIt - heapMiB();
  })(),
  'MiB',
);
// What a server stores: the same document without anyone's undo history
// (deleted text that undo keeps alive is garbage-collected on arrival).
const stored = new Y.Doc();
Y.applyUpdate(stored, typedUpdate);
const storedUpdate = Y.encodeStateAsUpdate(stored);
row('typed doc as a server stores it: encoded update size', storedUpdate.length / 1024, 'KiB');
row('typed doc as a server stores it: update / .ipynb', storedUpdate.length / typedIpynb.length, 'ratio');

const out = join(dirname(fileURLToPath(import.meta.url)), '../../../test/bench/results/model.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
);
console.log(`\nwritten to ${out}`);
