// Heap per MB of a pupil's update (issue 13, finding 6): prints figures, asserts
// nothing. Run with `npm run bench:update-memory` (or `node --expose-gc
// --conditions=source --import tsx server/bench/update-memory-bench.ts`). The
// crafted update is the densest a pupil's editor can make: one-character
// inserts that cannot merge (about 11 bytes a struct). "Before" applies it as
// the server did (any update under the 16 MiB message limit); "after" passes it
// through the server's vetting first, with the default limits.
import { getCell, importIpynb, sourceOf } from '@candyce/model';
import * as Y from 'yjs';
import { defaultLimits } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import type { Room } from '../src/room.js';
import { vetUpdate } from '../src/update-vetting.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('Run with node --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [{ id: 'answer', cell_type: 'code', source: 'a', metadata: {}, outputs: [], execution_count: null }],
};
const crafted = (base: Y.Doc, n: number): Uint8Array => {
  const pupil = new Y.Doc();
  Y.applyUpdate(pupil, Y.encodeStateAsUpdate(base));
  const sv = Y.encodeStateVector(pupil);
  const text = sourceOf(getCell(pupil, 'answer'));
  for (let i = 0; i < n; i++) text.insert(0, 'x');
  const update = Y.encodeStateAsUpdate(pupil, sv);
  pupil.destroy();
  return update;
};
const ctx = { limits: defaultLimits, metrics: createMetrics(), logger: createLogger('silent') };
const pupil = { sub: 'p', name: 'Ada', role: 'student' as const, rooms: ['*'], expiresAt: null };
const mib = 2 ** 20;

console.log('update        structs   before: heap +MB (per MB)   after: outcome, heap +MB (per MB)');
const base = new Y.Doc();
importIpynb(base, notebook);
const copy = (): Y.Doc => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  return doc;
};
for (const n of [18_000, 100_000, 340_000]) {
  const update = crafted(base, n);
  const before = copy();
  let h = heap();
  Y.applyUpdate(before, update);
  const grown = heap() - h;
  const after = copy();
  const room = { name: 'bench', doc: after, size: Y.encodeStateAsUpdate(after).length } as unknown as Room;
  h = heap();
  const refusal = vetUpdate(room, update, pupil, ctx);
  if (!refusal) Y.applyUpdate(after, update);
  const kept = heap() - h;
  const mb = update.length / mib;
  console.log(
    `${mb.toFixed(2).padStart(5)} MiB  ${String(n).padStart(9)}   ${(grown / mib).toFixed(1).padStart(8)} (${(grown / update.length).toFixed(0)})` +
      `              ${refusal ? `refused ${refusal.code}` : 'applied'}, ${(kept / mib).toFixed(1)} (${(kept / update.length).toFixed(0)})`,
  );
}
