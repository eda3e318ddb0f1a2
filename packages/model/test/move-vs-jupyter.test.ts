import { YNotebook } from '@jupyter/ydoc';
import { describe, expect, it } from 'vitest';
import {
  appendOutput,
  type CellType,
  cellIds,
  deleteCell,
  exportIpynb,
  getCell,
  importIpynb,
  localOrigin,
  moveCell,
  readCells,
  setCellMetadata,
  sourceOf,
  transact,
} from '../src/index.js';
import { retypeCell } from '../src/move.js';
import { quietJupyterWarnings } from './helpers/jupyter.js';
import { Network } from './helpers/peers.js';

// The same concurrent scenarios, played once on @jupyter/ydoc's YNotebook
// (the anchor: a move deletes the cell and inserts a clone made from the
// mover's view) and once on our model (a move leaves a record, and
// `watchNotebook` on each peer replays that peer's own concurrent edits into
// the clone). Peer A is always peer 0 and moves; the others edit offline,
// then everyone syncs.

const ids = ['a', 'b', 'c', 'd'];
const seed = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: ids.map((id) => ({
    id,
    cell_type: 'code',
    source: `print("${id}")`,
    metadata: {},
    outputs: [],
    execution_count: null,
  })),
};

interface SeenCell {
  id: string;
  type: string;
  source: string;
  metadata: unknown;
  /** The text of the stream outputs. */
  outputs: string[];
}

/** The operations a scenario uses, implemented once per model. */
interface Side {
  name: 'jupyter' | 'candyce';
  net: Network;
  type(peer: number, id: string, at: number, text: string): void;
  erase(peer: number, id: string, at: number, length: number): void;
  tag(peer: number, id: string, tags: string[]): void;
  move(peer: number, id: string, to: number): void;
  /** Changes the type of a cell by replacing it, as JupyterLab's "change cell type" does. */
  retype(peer: number, id: string, type: CellType): void;
  remove(peer: number, id: string): void;
  /** Appends a stream output, as this peer's kernel would. */
  print(peer: number, id: string, text: string): void;
  cells(peer: number): SeenCell[];
}

const streams = (outputs: unknown[] | undefined): string[] =>
  (outputs ?? []).flatMap((o) => {
    const out = o as { output_type?: string; text?: string | string[] };
    return out.output_type === 'stream'
      ? [Array.isArray(out.text) ? out.text.join('') : String(out.text)]
      : [];
  });

const jupyterSide = (n: number, clientIds: number[]): Side => {
  const notebooks = Array.from({ length: n }, () => new YNotebook());
  const net = new Network(n, { watch: false, docs: notebooks.map((nb) => nb.ydoc), clientIds });
  notebooks[0]!.setSource(structuredClone(seed) as never);
  net.settle();
  const index = (peer: number, id: string) => {
    const i = notebooks[peer]!.cells.findIndex((c) => c.getId() === id);
    if (i < 0) throw new Error(`peer ${peer} has no cell ${id}`);
    return i;
  };
  const cell = (peer: number, id: string) => notebooks[peer]!.cells[index(peer, id)]!;
  return {
    name: 'jupyter',
    net,
    type: (peer, id, at, text) => cell(peer, id).updateSource(at, at, text),
    erase: (peer, id, at, length) => cell(peer, id).updateSource(at, at + length, ''),
    tag: (peer, id, tags) => cell(peer, id).setMetadata('tags', tags),
    move: (peer, id, to) => notebooks[peer]!.moveCell(index(peer, id), to),
    retype: (peer, id, type) => {
      // What JupyterLab's NotebookActions.changeCellType does with the model.
      const nb = notebooks[peer]!;
      const i = index(peer, id);
      const raw = nb.cells[i]!.toJSON();
      const fresh = { id: raw.id, cell_type: type, source: raw.source, metadata: raw.metadata };
      nb.transact(() => {
        nb.deleteCell(i);
        nb.insertCell(
          i,
          (type === 'code' ? { ...fresh, outputs: [], execution_count: null } : fresh) as never,
        );
      });
    },
    remove: (peer, id) => notebooks[peer]!.deleteCell(index(peer, id)),
    print: (peer, id, text) => {
      const code = cell(peer, id) as unknown as {
        outputs: unknown[];
        updateOutputs(start: number, end: number, outputs: unknown[]): void;
      };
      const n = code.outputs.length;
      code.updateOutputs(n, n, [{ output_type: 'stream', name: 'stdout', text }]);
    },
    cells: (peer) =>
      notebooks[peer]!.cells.map((c) => {
        const raw = c.toJSON() as { outputs?: unknown[] };
        return {
          id: c.getId(),
          type: c.cell_type,
          source: c.getSource(),
          metadata: c.getMetadata(),
          outputs: streams(raw.outputs),
        };
      }),
  };
};

const candyceSide = (n: number, clientIds: number[]): Side => {
  const net = new Network(n, { clientIds });
  importIpynb(net.doc(0), seed);
  net.settle();
  // Each peer types as its own user, the way an editor binding would.
  const users = Array.from({ length: n }, (_, i) => localOrigin(`user-${i}`));
  const edit = (peer: number, fn: () => void) => transact(net.doc(peer), users[peer]!, fn);
  return {
    name: 'candyce',
    net,
    type: (peer, id, at, text) => edit(peer, () => sourceOf(getCell(net.doc(peer), id)).insert(at, text)),
    erase: (peer, id, at, length) =>
      edit(peer, () => sourceOf(getCell(net.doc(peer), id)).delete(at, length)),
    tag: (peer, id, tags) => setCellMetadata(net.doc(peer), id, 'tags', tags, { origin: users[peer] }),
    move: (peer, id, to) => moveCell(net.doc(peer), id, to, { origin: users[peer] }),
    retype: (peer, id, type) => retypeCell(net.doc(peer), id, type, { origin: users[peer] }),
    remove: (peer, id) => deleteCell(net.doc(peer), id, { origin: users[peer] }),
    print: (peer, id, text) =>
      appendOutput(net.doc(peer), id, { output_type: 'stream', name: 'stdout', text }),
    cells: (peer) =>
      readCells(net.doc(peer)).map((c) => ({
        id: c.id,
        type: c.cell_type,
        source: c.source,
        metadata: c.metadata,
        outputs: streams(c.outputs),
      })),
  };
};

interface Scenario {
  title: string;
  peers: number;
  /** Plays the concurrent edits; peers other than A are offline while they edit. */
  play(side: Side): void;
  /** The cell `a` every peer should end with when no edit is lost (null: no cell `a` at all). */
  kept: Partial<SeenCell> | null;
  /** Where cell `a` should end, when the scenario says. */
  at?: number;
  /** What the jupyter anchor ends with on every peer instead. */
  jupyter: { copies: number; sources: string[] };
}

const offline = (side: Side, ...peers: number[]) => {
  for (const p of peers) side.net.disconnect(p);
};

const original = 'print("a")';

const scenarios: Scenario[] = [
  {
    title: 'text typed at the end of the moved cell',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 3);
      s.type(1, 'a', original.length, ' # pupil');
    },
    kept: { source: 'print("a") # pupil', metadata: {} },
    at: 3,
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'text typed in the middle of the moved cell',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 2);
      s.type(1, 'a', 6, 'f"{x}", ');
    },
    kept: { source: 'print(f"{x}", "a")', metadata: {} },
    at: 2,
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'characters deleted in the moved cell',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 3);
      s.erase(1, 'a', 0, 6);
      s.erase(1, 'a', 3, 1);
    },
    kept: { source: '"a"', metadata: {} },
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'metadata set on the moved cell',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 1);
      s.tag(1, 'a', ['pupil']);
    },
    kept: { source: original, metadata: { tags: ['pupil'] } },
    at: 1,
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'text typed by a third peer while a second one looks on',
    peers: 3,
    play: (s) => {
      offline(s, 2);
      s.move(0, 'a', 3);
      s.type(2, 'a', 0, '# C\n');
    },
    kept: { source: '# C\nprint("a")', metadata: {} },
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'text typed while the cell is moved twice by its mover',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 3);
      s.move(0, 'a', 1);
      s.type(1, 'a', 6, 'X');
      s.erase(1, 'a', 0, 1);
    },
    kept: { source: 'rint(X"a")', metadata: {} },
    at: 1,
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'text typed while the cell is moved by one peer, then again by another',
    peers: 3,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 3);
      // C receives the first move and moves the clone again, before B syncs.
      s.move(2, 'a', 2);
      s.type(1, 'a', original.length, ' # B');
      s.type(1, 'a', 0, '# B\n');
    },
    kept: { source: '# B\nprint("a") # B', metadata: {} },
    at: 2,
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'the cell moved by two peers at once, one of whom typed in it first',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 3);
      s.type(1, 'a', original.length, ' # B');
      s.move(1, 'a', 1);
    },
    kept: { source: 'print("a") # B', metadata: {} },
    // The anchor keeps both clones: one notebook, two cells with one id.
    jupyter: { copies: 2, sources: [original, 'print("a") # B'] },
  },
  {
    title: 'the cell moved by two peers at once while a third one types in it',
    peers: 3,
    play: (s) => {
      offline(s, 1, 2);
      s.move(0, 'a', 3);
      s.move(1, 'a', 1);
      s.type(2, 'a', 0, '# C\n');
    },
    kept: { source: '# C\nprint("a")', metadata: {} },
    jupyter: { copies: 2, sources: [original, original] },
  },
  {
    title: "outputs that the typing peer's kernel wrote in the moved cell",
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 3);
      s.print(1, 'a', 'a\n');
    },
    kept: { source: original, outputs: ['a\n'] },
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'text typed while another peer changes the type of the cell',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.retype(0, 'a', 'markdown');
      s.type(1, 'a', 0, '# ');
    },
    kept: { type: 'markdown', source: '# print("a")' },
    jupyter: { copies: 1, sources: [original] },
  },
  {
    title: 'the type the cell was given by one peer while another moved it down',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 3);
      s.retype(1, 'a', 'raw');
    },
    kept: { type: 'raw', source: original },
    at: 3,
    // Two clones: the moved one and the retyped one.
    jupyter: { copies: 2, sources: [original, original] },
  },
  {
    title: 'the deletion of the cell by one peer while another moves it',
    peers: 2,
    play: (s) => {
      offline(s, 1);
      s.move(0, 'a', 3);
      s.type(0, 'a', 0, '# A\n');
      s.remove(1, 'a');
    },
    kept: null,
    // The anchor's clone survives the deletion.
    jupyter: { copies: 1, sources: ['# A\nprint("a")'] },
  },
];

const finalCells = (side: Side, peer: number) => side.cells(peer).filter((c) => c.id === 'a');

describe('a cell moved while others edit it, @jupyter/ydoc against Candyce', () => {
  quietJupyterWarnings();

  for (const scenario of scenarios) {
    const up = Array.from({ length: scenario.peers }, (_, i) => i + 1);
    it(`jupyter loses or doubles ${scenario.title}`, () => {
      const side = jupyterSide(scenario.peers, up);
      scenario.play(side);
      side.net.settle();
      for (let p = 0; p < scenario.peers; p++) {
        const copies = finalCells(side, p);
        expect(copies).toHaveLength(scenario.jupyter.copies);
        expect(copies.map((c) => c.source).sort()).toEqual([...scenario.jupyter.sources].sort());
        if (copies.length === 1) expect(copies[0]).toMatchObject({ metadata: {}, outputs: [] });
      }
    });

    // Which of two concurrent inserts comes first depends on client ids: play both orders.
    for (const clientIds of [up, [...up].reverse()]) {
      it(`candyce keeps ${scenario.title} on every peer, in a single cell (client ids ${clientIds})`, () => {
        const side = candyceSide(scenario.peers, clientIds);
        scenario.play(side);
        side.net.settle();
        const docs = side.net.peers.map((p) => p.doc);
        for (let p = 0; p < scenario.peers; p++) {
          const copies = finalCells(side, p);
          if (scenario.kept === null) expect(copies, `peer ${p}`).toHaveLength(0);
          else {
            expect(copies, `peer ${p}`).toHaveLength(1);
            expect(copies[0], `peer ${p}`).toMatchObject(scenario.kept);
          }
          expect(cellIds(docs[p]!).sort()).toEqual(scenario.kept === null ? ids.slice(1) : ids);
          if (scenario.at !== undefined) expect(cellIds(docs[p]!).indexOf('a')).toBe(scenario.at);
          expect(exportIpynb(docs[p]!)).toEqual(exportIpynb(docs[0]!));
        }
      });
    }
  }
});
