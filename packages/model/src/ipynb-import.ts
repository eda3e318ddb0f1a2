import * as Y from 'yjs';
import { parseIpynb } from './ipynb-parse.js';
import { cloneJSON, type JSONValue } from './json.js';
import { type NotebookOrigin, serverOrigin, transact } from './origin.js';
import { cellsOf, cellToY, metaOf } from './ydoc.js';

/**
 * Replaces the whole content of `doc` with the .ipynb notebook `notebook` (a
 * parsed JSON value), in one transaction carrying `origin`. The document is
 * kept (never recreated), so connected peers and undo managers see one change.
 * Input is checked first: a value that is not an nbformat 4 notebook throws a
 * `NotebookFormatError` naming the path and the problem, and `doc` is left
 * untouched. nbformat 4.0 to 4.4 notebooks are upgraded to 4.5 (cell ids added);
 * see `parseIpynb` for what is normalised, dropped or refused.
 */
export function importIpynb(doc: Y.Doc, notebook: unknown, origin: NotebookOrigin = serverOrigin): void {
  const nb = parseIpynb(notebook);
  const cells = nb.cells.map(cellToY);
  transact(doc, origin, () => {
    const meta = metaOf(doc);
    meta.set('nbformat', 4);
    meta.set('nbformat_minor', 5);
    let md = meta.get('metadata');
    if (!(md instanceof Y.Map)) {
      md = new Y.Map<JSONValue>();
      meta.set('metadata', md);
    }
    const ymd = md as Y.Map<JSONValue>;
    for (const key of Array.from(ymd.keys())) if (!Object.hasOwn(nb.metadata, key)) ymd.delete(key);
    for (const [key, value] of Object.entries(nb.metadata)) ymd.set(key, cloneJSON(value));
    const ycells = cellsOf(doc);
    if (ycells.length > 0) ycells.delete(0, ycells.length);
    ycells.insert(0, cells);
  });
}
