// Lock guard benchmark (issue 13, finding 5): prints figures, asserts nothing.
// Run with `npm run bench:lock-guard` (or `node --conditions=source --import
// tsx packages/model/bench/lock-guard-bench.ts`). The crafted update is a
// pupil's one-character inserts into their own cell, each typed before the
// previous one: no two merge and each names the previous as its neighbour. The
// "before" peer is the guard of commit ec6c306 (lock-guard-before.ts); it is
// only run up to the 30 KB update, as it is cubic.
import * as Y from 'yjs';
import { getCell, importIpynb, inspectUpdate, sourceOf } from '../src/index.js';
import { findLockViolationBefore } from './lock-guard-before.js';

const server = new Y.Doc();
importIpynb(server, {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { id: 'answer', cell_type: 'code', source: 'a', metadata: {}, outputs: [], execution_count: null },
    {
      id: 'test',
      cell_type: 'code',
      source: 'assert f(2) == 4',
      metadata: { nbgrader: { locked: true, grade: true, grade_id: 'q1', points: 2 } },
      outputs: [],
      execution_count: null,
    },
  ],
});

const crafted = (n: number): Uint8Array => {
  const pupil = new Y.Doc();
  Y.applyUpdate(pupil, Y.encodeStateAsUpdate(server));
  const sv = Y.encodeStateVector(pupil);
  const text = sourceOf(getCell(pupil, 'answer'));
  for (let i = 0; i < n; i++) text.insert(0, String.fromCharCode(97 + (i % 26)));
  return Y.encodeStateAsUpdate(pupil, sv);
};

const ms = (fn: () => unknown): number => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};

const rows: string[][] = [['inserts', 'update', 'before (ms)', 'after (ms)']];
for (const n of [500, 1000, 2000, 3500, 20_000, 50_000]) {
  const update = crafted(n);
  const after = Math.min(
    ms(() => inspectUpdate(server, update, 'student')),
    ms(() => inspectUpdate(server, update, 'student')),
  );
  const before =
    n <= 3500 ? ms(() => findLockViolationBefore(server, update, 'student')).toFixed(0) : 'not run';
  rows.push([String(n), `${(update.length / 1024).toFixed(1)} KB`, before, after.toFixed(1)]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
