import * as Y from 'yjs';
import { isJSONMime } from './ipynb-parse.js';
import type { Cell, CellType, MimeBundle, Output } from './ipynb-types.js';
import { cloneJSON, isPlainObject, type JSONObject, type JSONValue } from './json.js';

// The Y.Doc layout of jupyter_ydoc schema 2.0.0, in one place: root names,
// cell keys, and the conversions between plain JSON cells and Y.Maps.

/** A cell as stored in the document: a Y.Map keyed like jupyter_ydoc's cells. */
export type YCell = Y.Map<unknown>;

/** The name of the root array of cells. */
export const CELLS = 'cells';
/** The name of the root map of notebook-level data (`nbformat`, `nbformat_minor`, `metadata`). */
export const META = 'meta';
/** The name of the root map of transient state (`dirty`, `path`, `document_id`, ...). */
export const STATE = 'state';
/** The keys only code cells have: their outputs and the state of their last run. */
export const codeCellKeys: ReadonlySet<string> = new Set(['outputs', 'execution_count', 'execution_state']);

/** Returns the document's cells array. */
export const cellsOf = (doc: Y.Doc): Y.Array<YCell> => doc.getArray<YCell>(CELLS);

/** Returns the document's `meta` map. */
export const metaOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(META);

/** Returns the document's `state` map. */
export const stateOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(STATE);

/** Returns the notebook metadata map, creating it when the document has none yet. */
export const notebookMetadataOf = (doc: Y.Doc): Y.Map<JSONValue> => {
  const meta = metaOf(doc);
  let md = meta.get('metadata');
  if (!(md instanceof Y.Map)) {
    md = new Y.Map<JSONValue>();
    doc.transact(() => meta.set('metadata', md));
  }
  return md as Y.Map<JSONValue>;
};

/** Returns a cell's id. */
export const cellIdOf = (cell: YCell): string => String(cell.get('id') ?? '');

/** Returns a cell's type, defaulting to 'code' for a malformed cell. */
export const cellTypeOf = (cell: YCell): CellType => {
  const t = cell.get('cell_type');
  return t === 'markdown' || t === 'raw' ? t : 'code';
};

/** Returns a cell's source text. */
export const sourceOf = (cell: YCell): Y.Text => cell.get('source') as Y.Text;

/** Returns a cell's metadata map. */
export const cellMetadataOf = (cell: YCell): Y.Map<JSONValue> => cell.get('metadata') as Y.Map<JSONValue>;

/** Returns a cell's outputs array, or undefined for markdown and raw cells. */
export const outputsOf = (cell: YCell): Y.Array<unknown> | undefined => {
  const o = cell.get('outputs');
  return o instanceof Y.Array ? o : undefined;
};

/**
 * Casts a number read back from Yjs (possibly a float) to an execution count:
 * a non-negative safe integer, or null for anything else.
 */
export const toCount = (value: unknown): number | null => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const count = Math.max(0, Math.round(value));
  return Number.isSafeInteger(count) ? count : null;
};

/** Builds the Y.Map of one output; a stream's text is a Y.Text so that it can grow. */
export const outputToY = (output: Output): Y.Map<unknown> => {
  const m = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(output)) {
    if (value === undefined) continue;
    if (output.output_type === 'stream' && key === 'text') m.set('text', new Y.Text(value as string));
    else m.set(key, cloneJSON(value));
  }
  return m;
};

/** Reads a stored value as plain JSON, deep-copied so that callers never alias the document's state. */
const jsonOf = (value: unknown): JSONValue => {
  if (value instanceof Y.Text) return value.toString();
  if (value instanceof Y.AbstractType) return cloneJSON(value.toJSON() as JSONValue);
  return cloneJSON(value as JSONValue);
};

const joinLines = (v: JSONValue | undefined): string | undefined => {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((line) => typeof line === 'string')) return v.join('');
  return undefined;
};

/**
 * Reads a stored MIME bundle in its normalised form: JSON types as they are,
 * text joined into one string (writers may have stored lists of lines); an
 * entry that is neither, which no .ipynb file could hold, is left out.
 */
const bundleOf = (value: JSONValue | undefined): MimeBundle => {
  const out: MimeBundle = {};
  if (!isPlainObject(value)) return out;
  for (const [mime, content] of Object.entries(value as JSONObject)) {
    if (isJSONMime(mime)) {
      out[mime] = content;
      continue;
    }
    const text = joinLines(content);
    if (text !== undefined) out[mime] = text;
  }
  return out;
};

/**
 * Reads an output stored either as a Y.Map or as a plain JSON object (as some
 * writers do) and returns it as plain JSON with joined strings, copied from
 * the document.
 */
export const outputFromY = (stored: unknown): Output => {
  const entries: [string, unknown][] =
    stored instanceof Y.Map
      ? Array.from(stored.entries())
      : isPlainObject(stored)
        ? Object.entries(stored)
        : [];
  const out: Record<string, JSONValue> = {};
  for (const [key, value] of entries) out[key] = jsonOf(value);
  const str = (v: JSONValue | undefined, otherwise: string): string =>
    typeof v === 'string' ? v : v == null ? otherwise : String(v);
  switch (out.output_type) {
    case 'stream':
      return { output_type: 'stream', name: str(out.name, 'stdout'), text: joinLines(out.text) ?? '' };
    case 'error':
      return {
        output_type: 'error',
        ename: str(out.ename, ''),
        evalue: str(out.evalue, ''),
        traceback: Array.isArray(out.traceback) ? out.traceback.map((line) => str(line, '')) : [],
      };
    case 'execute_result':
      return {
        output_type: 'execute_result',
        data: bundleOf(out.data),
        metadata: (isPlainObject(out.metadata) ? out.metadata : {}) as JSONObject,
        execution_count: toCount(out.execution_count),
      };
    default: {
      const o: Output = {
        output_type: 'display_data',
        data: bundleOf(out.data),
        metadata: (isPlainObject(out.metadata) ? out.metadata : {}) as JSONObject,
      };
      if (isPlainObject(out.transient)) o.transient = out.transient as JSONObject;
      return o;
    }
  }
};

/**
 * Builds the Y.Map of a cell from its plain form. The map is not yet in a
 * document; insert it into the cells array in a transaction.
 */
export const cellToY = (cell: Cell): YCell => {
  const m = new Y.Map<unknown>();
  m.set('id', cell.id);
  m.set('cell_type', cell.cell_type);
  m.set('source', new Y.Text(cell.source));
  const md = new Y.Map<JSONValue>();
  for (const [k, v] of Object.entries(cell.metadata)) md.set(k, cloneJSON(v));
  m.set('metadata', md);
  if (cell.cell_type === 'code') {
    const outputs = new Y.Array<unknown>();
    outputs.push((cell.outputs ?? []).map(outputToY));
    m.set('outputs', outputs);
    m.set('execution_count', cell.execution_count ?? null);
    m.set('execution_state', 'idle');
  } else if (cell.attachments !== undefined) {
    m.set('attachments', cloneJSON(cell.attachments));
  }
  return m;
};

/** Reads a stored cell back into its plain form. */
export const cellFromY = (cell: YCell): Cell => {
  const type = cellTypeOf(cell);
  const source = cell.get('source');
  const md = cell.get('metadata');
  const out: Cell = {
    id: cellIdOf(cell),
    cell_type: type,
    source: source instanceof Y.Text ? source.toString() : typeof source === 'string' ? source : '',
    metadata: (md instanceof Y.Map || isPlainObject(md) ? jsonOf(md) : {}) as JSONObject,
  };
  if (type === 'code') {
    const outputs = cell.get('outputs');
    const list: unknown[] =
      outputs instanceof Y.Array ? outputs.toArray() : Array.isArray(outputs) ? outputs : [];
    out.outputs = list.map(outputFromY);
    out.execution_count = toCount(cell.get('execution_count'));
  } else {
    const stored = cell.get('attachments');
    const att = stored instanceof Y.Map || isPlainObject(stored) ? jsonOf(stored) : undefined;
    if (isPlainObject(att)) {
      const attachments: NonNullable<Cell['attachments']> = {};
      for (const [name, bundle] of Object.entries(att)) {
        if (isPlainObject(bundle)) attachments[name] = bundleOf(bundle as JSONObject);
      }
      out.attachments = attachments;
    }
  }
  return out;
};
