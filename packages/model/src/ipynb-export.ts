import type * as Y from 'yjs';
import { isJSONMime } from './ipynb-parse.js';
import type { Cell, MimeBundle, Notebook, Output } from './ipynb-types.js';
import { isPlainObject, type JSONObject, type JSONValue } from './json.js';
import { cellFromY, cellsOf, metaOf, type YCell } from './ydoc.js';

/** Splits text into lines that keep their line ends, as .ipynb files store multi-line strings. */
export const splitLines = (text: string): string[] => {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
};

// nbformat splits only text-like MIME types (text/*, SVG, JavaScript);
// base64 images and JSON stay as they are.
const splitsAsLines = (mime: string): boolean =>
  mime.startsWith('text/') || mime === 'image/svg+xml' || mime === 'application/javascript';

const sortKeys = <T extends object>(obj: T): T =>
  Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;

const bundleOut = (bundle: MimeBundle): { [mime: string]: JSONValue } => {
  const out: { [mime: string]: JSONValue } = {};
  for (const [mime, value] of Object.entries(bundle)) {
    out[mime] =
      typeof value === 'string' && !isJSONMime(mime) && splitsAsLines(mime) ? splitLines(value) : value;
  }
  return sortKeys(out);
};

const outputOut = (o: Output): JSONObject => {
  switch (o.output_type) {
    case 'stream':
      return { name: o.name, output_type: 'stream', text: splitLines(o.text) };
    case 'error':
      return { ename: o.ename, evalue: o.evalue, output_type: 'error', traceback: o.traceback };
    case 'execute_result':
      return {
        data: bundleOut(o.data),
        execution_count: o.execution_count,
        metadata: o.metadata,
        output_type: 'execute_result',
      };
    default: {
      // `transient` is runtime-only: nbformat never writes it to files.
      return { data: bundleOut(o.data), metadata: o.metadata, output_type: 'display_data' };
    }
  }
};

const cellOut = (c: Cell): JSONObject => {
  const out: JSONObject = {
    cell_type: c.cell_type,
    id: c.id,
    metadata: c.metadata,
    source: splitLines(c.source),
  };
  if (c.cell_type === 'code') {
    out.execution_count = c.execution_count ?? null;
    out.outputs = (c.outputs ?? []).map(outputOut);
  } else if (c.attachments !== undefined) {
    const att: JSONObject = {};
    for (const [name, bundle] of Object.entries(c.attachments)) att[name] = bundleOut(bundle);
    out.attachments = sortKeys(att);
  }
  return sortKeys(out);
};

/**
 * Returns a stable id for the second and later cells that carry the same id:
 * derived from the Yjs identity of the cell's map, which every peer shares, so
 * that all peers export the same notebook.
 */
const dedupedId = (id: string, cell: YCell, taken: Set<string>): string => {
  const item = cell._item;
  const suffix = item ? `${item.id.client.toString(36)}-${item.id.clock.toString(36)}` : '0';
  let candidate = `${id.slice(0, 64 - suffix.length - 1)}-${suffix}`;
  for (let n = 1; taken.has(candidate); n++) candidate = `${candidate.slice(0, 60)}-${n}`;
  return candidate;
};

/**
 * Reads the cells of `doc` as plain JSON in their normalised form (joined
 * strings), with ids made unique the same way on every peer.
 */
export const readCells = (doc: Y.Doc): Cell[] => {
  const taken = new Set<string>();
  return cellsOf(doc)
    .toArray()
    .map((ycell) => {
      const cell = cellFromY(ycell);
      if (taken.has(cell.id) || cell.id === '') cell.id = dedupedId(cell.id || 'cell', ycell, taken);
      taken.add(cell.id);
      return cell;
    });
};

/** Reads the whole notebook in the model's normalised form (joined strings, nbformat 4.5). */
export const readNotebook = (doc: Y.Doc): Notebook => {
  const md = metaOf(doc).get('metadata');
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: (md && typeof (md as Y.Map<JSONValue>).toJSON === 'function'
      ? (md as Y.Map<JSONValue>).toJSON()
      : isPlainObject(md)
        ? md
        : {}) as JSONObject,
    cells: readCells(doc),
  };
};

/**
 * Returns the notebook in `doc` as an nbformat 4.5 .ipynb object, the way
 * Jupyter writes it: keys sorted, multi-line strings as lists of lines (so
 * files diff well), integers where Yjs may have stored floats, unique cell ids,
 * and without runtime-only fields (`execution_state`, `transient`).
 */
export function exportIpynb(doc: Y.Doc): object {
  const nb = readNotebook(doc);
  return sortKeys({
    cells: nb.cells.map(cellOut),
    metadata: nb.metadata,
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/**
 * Returns the notebook in `doc` as .ipynb text, formatted as Jupyter saves it
 * (one-space indent, trailing newline), ready to be written to a file.
 */
export const stringifyIpynb = (doc: Y.Doc): string =>
  `${JSON.stringify(exportIpynb(doc), (_key, value) => (isPlainObject(value) ? sortKeys(value) : value), 1)}\n`;
