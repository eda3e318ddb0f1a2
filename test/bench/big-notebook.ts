// The notebook of the cold-open scenario: cells in the jupyter_ydoc 2.0.0
// layout, stream outputs of a given total size, then a history of small edits
// (inserts and deletions in cell sources) by successive sessions, each edit
// its own Yjs transaction. Deterministic for a given seed.
import * as Y from 'yjs';

export interface BigNotebookSize {
  cells: number;
  outputBytes: number;
  historyUpdates: number;
}

/** The notebook: the update that creates it, then the history, one update per transaction. */
export interface BigNotebook {
  creation: Uint8Array;
  history: Uint8Array[];
  doc: Y.Doc;
}

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Builds the notebook; every 2,500 edits a new session (client id) takes over. */
export const buildBigNotebook = (size: BigNotebookSize, seed = 7): BigNotebook => {
  const random = mulberry32(seed);
  const doc = new Y.Doc();
  doc.clientID = 1_000_000 + Math.floor(random() * 1e6);
  const cells = doc.getArray<Y.Map<unknown>>('cells');
  const codeCells = Math.ceil(size.cells / 2);
  const outputPerCell = Math.floor(size.outputBytes / codeCells);
  const line = 'step 0042: loss=0.123456 accuracy=0.987654 elapsed=00:00:01.234\n';
  doc.transact(() => {
    const meta = doc.getMap('meta');
    meta.set('nbformat', 4);
    meta.set('nbformat_minor', 5);
    meta.set('metadata', new Y.Map());
    for (let i = 0; i < size.cells; i++) {
      const cell = new Y.Map<unknown>();
      const code = i % 2 === 0;
      cell.set('id', `cell-${i}`);
      cell.set('cell_type', code ? 'code' : 'markdown');
      cell.set('source', new Y.Text(code ? `x${i} = compute(${i})\nprint(x${i})\n` : `## Part ${i}\n`));
      cell.set('metadata', new Y.Map());
      if (code) {
        const output = new Y.Map<unknown>();
        output.set('output_type', 'stream');
        output.set('name', 'stdout');
        output.set(
          'text',
          new Y.Text(line.repeat(Math.ceil(outputPerCell / line.length)).slice(0, outputPerCell)),
        );
        cell.set('outputs', Y.Array.from([output]));
        cell.set('execution_count', i);
        cell.set('execution_state', 'idle');
      }
      cells.push([cell]);
    }
  });
  const creation = Y.encodeStateAsUpdate(doc);
  const history: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => history.push(u));
  for (let n = 0; n < size.historyUpdates; n++) {
    if (n % 2500 === 0) doc.clientID = 2_000_000 + n + Math.floor(random() * 1000);
    const source = cells.get(Math.floor(random() * size.cells)).get('source') as Y.Text;
    if (random() < 0.2 && source.length > 4) source.delete(Math.floor(random() * source.length), 1);
    else source.insert(Math.floor(random() * (source.length + 1)), String.fromCharCode(97 + (n % 26)));
  }
  return { creation, history, doc };
};
