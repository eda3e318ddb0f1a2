import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  appendOutput,
  appendStreamText,
  type CellType,
  cellIds,
  clearOutputs,
  copyCell,
  deleteCell,
  exportIpynb,
  getCell,
  importIpynb,
  insertCell,
  localOrigin,
  moveCell,
  type NotebookOrigin,
  pasteCell,
  readCell,
  setCellMetadata,
  setCellType,
  setExecutionCount,
  setNotebookMetadata,
  sourceOf,
  transact,
} from '../src/index.js';
import { retypeCell } from '../src/move.js';
import { nbformatSchema, schemaErrors } from './helpers/ipynb.js';
import { Network } from './helpers/peers.js';

// Convergence under seeded random operations, the way Yjs tests itself: 2 to
// 5 peers wired by the in-memory network edit at random, some of them
// offline, then everyone syncs. Every peer must then export the same valid
// nbformat 4.5 notebook without duplicate ids, and moves must lose and
// duplicate nothing: each character a peer typed is a unique marker, and
// every marker typed into a cell that was never deleted is there exactly once.
//
// A failure names its seed. Replay one seed with
//   CANDYCE_FUZZ_SEED=<seed> npx vitest run packages/model/test/convergence.test.ts
// (add CANDYCE_FUZZ_LOG=1 to print its operations), and run more seeds with
//   CANDYCE_FUZZ_SEEDS=5000 npx vitest run packages/model/test/convergence.test.ts

const defaultSeeds = 1500;
const replay = (seed: number) =>
  `replay: CANDYCE_FUZZ_SEED=${seed} npx vitest run packages/model/test/convergence.test.ts`;

/** Returns a seeded PRNG (mulberry32) giving floats in [0, 1). */
const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

// Markers are CJK ideographs: 2,000 per peer, none of them in the seed notebook.
const markerBase = 0x4e00;
const markersPerPeer = 2000;
const isMarker = (ch: string) => {
  const code = ch.codePointAt(0)!;
  return code >= markerBase && code < markerBase + 5 * markersPerPeer;
};

/** What the operations meant to do, to check the result against. */
interface Oracle {
  /** Marker → id of the cell it was typed into. */
  typed: Map<string, string>;
  /** Markers that some peer erased (wherever they were). */
  erased: Set<string>;
  /** Every cell id ever created, and those that some peer deleted. */
  created: Set<string>;
  deleted: Set<string>;
  /** Cells copied from others, with the markers the copy carried. */
  copies: { id: string; markers: string[] }[];
}

interface Run {
  net: Network;
  oracle: Oracle;
  log: string[];
}

const cellTypes: CellType[] = ['code', 'markdown', 'raw'];

const playSeed = (seed: number, log: string[]): Run => {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const n = 2 + int(4);
  const net = new Network(n, { clientIds: Array.from({ length: n }, (_, i) => 1 + i + int(1000) * 8) });
  const users: NotebookOrigin[] = Array.from({ length: n }, (_, i) => localOrigin(`user-${i}`));
  const counters = new Array<number>(n).fill(0);
  const oracle: Oracle = {
    typed: new Map(),
    erased: new Set(),
    created: new Set(),
    deleted: new Set(),
    copies: [],
  };
  log.push(`${n} peers`);
  let cellSerial = 0;
  const newId = (p: number) => `s${seed}-p${p}-${cellSerial++}`;

  const first = Array.from({ length: 2 + int(4) }, () => newId(0));
  importIpynb(net.doc(0), {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: first.map((id, i) => ({
      id,
      cell_type: i % 3 === 2 ? 'markdown' : 'code',
      source: `cell ${i}\nline`,
      metadata: {},
      ...(i % 3 === 2 ? {} : { outputs: [], execution_count: null }),
    })),
  });
  for (const id of first) oracle.created.add(id);
  net.settle();

  const markersIn = (text: string) => Array.from(text).filter(isMarker);
  const anyCell = (doc: Y.Doc) => {
    const ids = cellIds(doc);
    return ids.length === 0 ? undefined : pick(ids);
  };
  const codeCell = (doc: Y.Doc) => {
    const ids = cellIds(doc).filter((id) => readCell(doc, id).cell_type === 'code');
    return ids.length === 0 ? undefined : pick(ids);
  };

  const ops: [number, (p: number, doc: Y.Doc) => string | undefined][] = [
    [
      30,
      (p, doc) => {
        const id = anyCell(doc);
        if (!id) return;
        const text = sourceOf(getCell(doc, id));
        let s = '';
        for (let k = 1 + int(3); k > 0; k--) {
          const m = String.fromCodePoint(markerBase + p * markersPerPeer + counters[p]!++);
          oracle.typed.set(m, id);
          s += m;
        }
        if (random() < 0.2) s += '\n';
        const at = int(text.length + 1);
        transact(doc, users[p]!, () => text.insert(at, s));
        return `type ${JSON.stringify(s)} at ${at} in ${id}`;
      },
    ],
    [
      8,
      (p, doc) => {
        const id = anyCell(doc);
        if (!id) return;
        const text = sourceOf(getCell(doc, id));
        if (text.length === 0) return;
        const at = int(text.length);
        const length = Math.min(1 + int(3), text.length - at);
        for (const m of markersIn(text.toString().slice(at, at + length))) oracle.erased.add(m);
        transact(doc, users[p]!, () => text.delete(at, length));
        return `erase ${length} at ${at} in ${id}`;
      },
    ],
    [
      7,
      (p, doc) => {
        const id = newId(p);
        const at = int(cellIds(doc).length + 1);
        insertCell(doc, at, { cell_type: pick(cellTypes), id, source: 'new' }, { origin: users[p] });
        oracle.created.add(id);
        return `insert ${id} at ${at}`;
      },
    ],
    [
      4,
      (p, doc) => {
        const id = anyCell(doc);
        if (!id || cellIds(doc).length < 2) return;
        deleteCell(doc, id, { origin: users[p] });
        oracle.deleted.add(id);
        return `delete ${id}`;
      },
    ],
    [
      16,
      (p, doc) => {
        const id = anyCell(doc);
        const count = cellIds(doc).length;
        if (!id || count < 2) return;
        const to = int(count);
        moveCell(doc, id, to, { origin: users[p] });
        return `move ${id} to ${to}`;
      },
    ],
    [
      5,
      (p, doc) => {
        const id = anyCell(doc);
        if (!id) return;
        const type = pick(cellTypes);
        // In place (setCellType) or by replacing the cell, as JupyterLab does (retypeCell).
        if (random() < 0.5) {
          setCellType(doc, id, type, { origin: users[p] });
          return `type of ${id} = ${type}`;
        }
        retypeCell(doc, id, type, { origin: users[p] });
        return `retype ${id} as ${type}`;
      },
    ],
    [
      5,
      (p, doc) => {
        const id = anyCell(doc);
        if (!id) return;
        const key = pick(['tags', 'collapsed', 'x_candyce']);
        const value = pick([undefined, ['a', `p${p}`], random() < 0.5, { n: int(100) }]);
        setCellMetadata(doc, id, key, value, { origin: users[p] });
        return `metadata ${key} of ${id} = ${JSON.stringify(value)}`;
      },
    ],
    [
      3,
      (p, doc) => {
        const key = pick(['title', 'x_course']);
        const value = pick([undefined, `by ${p}`, { level: int(5) }]);
        setNotebookMetadata(doc, key, value, { origin: users[p] });
        return `notebook metadata ${key} = ${JSON.stringify(value)}`;
      },
    ],
    [
      6,
      (_p, doc) => {
        const id = codeCell(doc);
        if (!id) return;
        switch (int(5)) {
          case 0:
            clearOutputs(doc, id);
            return `clear outputs of ${id}`;
          case 1:
            appendStreamText(doc, id, pick(['stdout', 'stderr']), `out ${int(100)}\n`);
            return `stream to ${id}`;
          case 2:
            setExecutionCount(doc, id, 1 + int(9));
            appendOutput(doc, id, {
              output_type: 'execute_result',
              execution_count: 1 + int(9),
              data: { 'text/plain': `${int(1000)}\nlines` },
              metadata: {},
            });
            return `execute_result in ${id}`;
          case 3:
            appendOutput(doc, id, {
              output_type: 'display_data',
              data: { 'text/html': '<b>x</b>', 'image/png': 'iVBORw0KGgo=' },
              metadata: { isolated: true },
            });
            return `display_data in ${id}`;
          default:
            appendOutput(doc, id, {
              output_type: 'error',
              ename: 'ValueError',
              evalue: 'no',
              traceback: ['line 1', 'line 2'],
            });
            return `error in ${id}`;
        }
      },
    ],
    [
      4,
      (p, doc) => {
        const id = anyCell(doc);
        if (!id) return;
        const markers = markersIn(readCell(doc, id).source);
        let copy: string;
        if (random() < 0.5) copy = copyCell(doc, id, { origin: users[p] });
        else {
          copy = pasteCell(doc, int(cellIds(doc).length + 1), readCell(doc, id), { origin: users[p] });
        }
        oracle.created.add(copy);
        oracle.copies.push({ id: copy, markers });
        return `copy ${id} as ${copy}`;
      },
    ],
    [
      5,
      () => {
        const p = int(n);
        if (!net.peers[p]!.online) return;
        net.disconnect(p);
        return `disconnect ${p}`;
      },
    ],
    [
      6,
      () => {
        const p = int(n);
        if (net.peers[p]!.online) return;
        net.reconnect(p);
        return `reconnect ${p}`;
      },
    ],
  ];
  const total = ops.reduce((sum, [w]) => sum + w, 0);

  for (let step = 20 + int(60); step > 0; step--) {
    const p = int(n);
    // Picks an operation with a chance proportional to its weight.
    let r = int(total);
    const op = ops.find(([w]) => {
      r -= w;
      return r < 0;
    })!;
    const done = op[1](p, net.doc(p));
    if (done) log.push(`peer ${p}${net.peers[p]!.online ? '' : ' (offline)'}: ${done}`);
  }
  net.settle();
  return { net, oracle, log };
};

interface ExportedCell {
  id: string;
  source: string[];
}

const checkRun = (seed: number, run: Run, validate: ReturnType<typeof nbformatSchema>): void => {
  const { net, oracle, log } = run;
  if (process.env.CANDYCE_FUZZ_LOG) console.log(`seed ${seed}\n  ${log.join('\n  ')}`);
  const at = (what: string) => `seed ${seed}: ${what}\n${replay(seed)}`;
  const exported = net.peers.map((p) => exportIpynb(p.doc));
  for (let i = 1; i < exported.length; i++) {
    expect(exported[i], at(`peer ${i} exports another notebook than peer 0`)).toEqual(exported[0]);
  }
  const notebook = exported[0] as { cells: ExportedCell[] };
  expect(validate(notebook), at(`export is not valid nbformat 4.5: ${schemaErrors(validate)}`)).toBe(true);
  const ids = notebook.cells.map((c) => c.id);
  expect(new Set(ids).size, at(`duplicate cell ids in ${ids.join(' ')}`)).toBe(ids.length);

  const sources = new Map(notebook.cells.map((c) => [c.id, c.source.join('')]));
  for (const id of oracle.created) {
    if (oracle.deleted.has(id)) continue;
    expect(sources.has(id), at(`cell ${id} was never deleted but is gone`)).toBe(true);
  }
  for (const cell of notebook.cells) {
    const counts = new Map<string, number>();
    for (const ch of cell.source.join('')) if (isMarker(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    for (const [m, count] of counts) {
      expect(count, at(`marker ${m} (U+${m.codePointAt(0)!.toString(16)}) doubled in cell ${cell.id}`)).toBe(
        1,
      );
    }
  }
  const countIn = (id: string, m: string) => Array.from(sources.get(id) ?? '').filter((c) => c === m).length;
  for (const [m, id] of oracle.typed) {
    if (oracle.deleted.has(id) || oracle.erased.has(m)) continue;
    expect(
      countIn(id, m),
      at(`marker ${m} (U+${m.codePointAt(0)!.toString(16)}) typed in ${id} is lost`),
    ).toBe(1);
  }
  for (const copy of oracle.copies) {
    if (oracle.deleted.has(copy.id)) continue;
    for (const m of copy.markers) {
      if (oracle.erased.has(m)) continue;
      expect(countIn(copy.id, m), at(`marker ${m} lost from the copy ${copy.id}`)).toBe(1);
    }
  }
};

const seeds = (): number[] => {
  const one = process.env.CANDYCE_FUZZ_SEED;
  if (one) return [Number(one)];
  const count = Number(process.env.CANDYCE_FUZZ_SEEDS ?? defaultSeeds);
  return Array.from({ length: count }, (_, i) => i + 1);
};

describe('peers editing a notebook at random', () => {
  const validate = nbformatSchema(5);
  it.for(seeds())('converge to one valid notebook that lost and doubled nothing (seed %i)', (seed) => {
    const log: string[] = [];
    let run: Run;
    try {
      run = playSeed(seed, log);
    } catch (error) {
      // An operation or a repair threw: say which seed, and what led there.
      throw new Error(`seed ${seed}: ${String(error)}\n${replay(seed)}\n  ${log.slice(-12).join('\n  ')}`, {
        cause: error,
      });
    }
    checkRun(seed, run, validate);
  });
});
