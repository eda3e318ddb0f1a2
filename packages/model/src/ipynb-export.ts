import * as Y from 'yjs';
import { isValidCellId } from './ids.js';
import { cleanMetadata, isJSONMime } from './ipynb-parse.js';
import type { Cell, MimeBundle, Notebook, Output } from './ipynb-types.js';
import { cloneJSON, isPlainObject, type JSONObject, type JSONValue } from './json.js';
import { cellFromY, cellsOf, metaOf, type YCell } from './ydoc.js';

// Python's str.splitlines: \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, \u2028, \u2029.
const isLineBreak = (c: number): boolean =>
  c === 0x0a ||
  c === 0x0d ||
  c === 0x0b ||
  c === 0x0c ||
  (c >= 0x1c && c <= 0x1e) ||
  c === 0x85 ||
  c === 0x2028 ||
  c === 0x2029;

/**
 * Splits text into lines that keep their line ends, as .ipynb files store
 * multi-line strings. Lines end where nbformat ends them (Python's
 * `str.splitlines(True)`): at `\n`, `\r\n`, `\r`, and the other Unicode line
 * boundaries such as `\u2028`. Joining the lines gives the text back; the
 * empty text has no lines.
 */
export const splitLines = (text: string): string[] => {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isLineBreak(c)) continue;
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
};

// nbformat splits only text-like MIME types (text/*, SVG, JavaScript);
// base64 images and JSON stay as they are.
const splitsAsLines = (mime: string): boolean =>
  mime.startsWith('text/') || mime === 'image/svg+xml' || mime === 'application/javascript';

/** Orders strings by code point, as Python's `sort_keys` does (not by UTF-16 unit, as `<` does). */
const byCodePoint = (a: string, b: string): number => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
};

const sortKeys = <T extends object>(obj: T): T =>
  Object.fromEntries(Object.entries(obj).sort(([a], [b]) => byCodePoint(a, b))) as T;

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
    metadata: cleanMetadata(c.cell_type, c.metadata),
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
 * strings), with ids made valid and unique the same way on every peer: a
 * repeated id, or one that is not a valid nbformat id, is replaced by one
 * derived from the Yjs identity of the cell.
 */
export const readCells = (doc: Y.Doc): Cell[] => {
  const taken = new Set<string>();
  return cellsOf(doc)
    .toArray()
    .map((ycell) => {
      const cell = cellFromY(ycell);
      if (taken.has(cell.id) || !isValidCellId(cell.id)) {
        cell.id = dedupedId(isValidCellId(cell.id) ? cell.id : 'cell', ycell, taken);
      }
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
    metadata: cloneJSON((md instanceof Y.Map ? md.toJSON() : isPlainObject(md) ? md : {}) as JSONObject),
    cells: readCells(doc),
  };
};

/**
 * Returns the notebook in `doc` as an nbformat 4.5 .ipynb object, the way
 * Jupyter writes it: keys sorted, multi-line strings as lists of lines (so
 * files diff well), integers where Yjs may have stored floats, valid and
 * unique cell ids, and without what nbformat never writes (`execution_state`,
 * `transient`, `signature`, `trusted`, ...). The result is a fresh copy that
 * shares nothing with the document, and is valid against the nbformat 4.5
 * schema whatever the document holds: a known metadata key whose value the
 * schema refuses (as a careless writer may have set it) is left out.
 */
export function exportIpynb(doc: Y.Doc): object {
  const nb = readNotebook(doc);
  return sortKeys({
    cells: nb.cells.map(cellOut),
    metadata: cleanMetadata(undefined, nb.metadata),
    nbformat: 4,
    nbformat_minor: 5,
  });
}

/**
 * Writes a JSON value as Python's `json.dumps(value, indent=1, sort_keys=True,
 * ensure_ascii=False)` does, which is how nbformat saves notebooks. Keys are
 * sorted by code point at every level (a JavaScript object cannot be relied
 * on to keep the order of integer-like keys).
 */
const writeJSON = (value: unknown, indent: string, out: string[]): void => {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    const inner = `${indent} `;
    out.push('[');
    value.forEach((v, i) => {
      out.push(i === 0 ? `\n${inner}` : `,\n${inner}`);
      writeJSON(v === undefined || typeof v === 'function' ? null : v, inner, out);
    });
    out.push(`\n${indent}]`);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
      .filter((k) => {
        const v = (value as Record<string, unknown>)[k];
        return v !== undefined && typeof v !== 'function';
      })
      .sort(byCodePoint);
    if (keys.length === 0) {
      out.push('{}');
      return;
    }
    const inner = `${indent} `;
    out.push('{');
    keys.forEach((k, i) => {
      out.push(i === 0 ? `\n${inner}` : `,\n${inner}`, JSON.stringify(k), ': ');
      writeJSON((value as Record<string, unknown>)[k], inner, out);
    });
    out.push(`\n${indent}}`);
    return;
  }
  out.push(JSON.stringify(value) ?? 'null');
};

/**
 * Returns the notebook in `doc` as .ipynb text, formatted as Jupyter saves it
 * (one-space indent, keys sorted, non-ASCII characters as they are, trailing
 * newline), ready to be written to a file. When every number in the notebook
 * is an integer below 10^21, this is byte for byte what nbformat writes (Python
 * and JavaScript write other numbers differently, e.g. `1e-07` and `1e-7`).
 */
export const stringifyIpynb = (doc: Y.Doc): string => {
  const out: string[] = [];
  writeJSON(exportIpynb(doc), '', out);
  out.push('\n');
  return out.join('');
};
