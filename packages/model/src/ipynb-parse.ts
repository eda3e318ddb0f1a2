import { NotebookFormatError } from './errors.js';
import { isValidCellId, newCellId } from './ids.js';
import type { Cell, CellType, MimeBundle, Notebook, Output } from './ipynb-types.js';
import { isPlainObject, type JSONObject, type JSONValue } from './json.js';

// Checks an untrusted .ipynb value and returns the model's normalised form
// (multi-line strings joined, ids present and unique). Every problem is thrown
// as a NotebookFormatError naming the path, before anything touches a document.

const fail = (path: string, problem: string): never => {
  throw new NotebookFormatError(path, problem);
};

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value}`;
};

const field = (obj: Record<string, unknown>, key: string, path: string): unknown => {
  if (!(key in obj)) fail(`${path}${path ? '.' : ''}${key}`, 'missing');
  return obj[key];
};

const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

const multiline = (value: unknown, path: string): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    value.forEach((line, i) => {
      if (typeof line !== 'string') fail(`${path}[${i}]`, `expected string, got ${describe(line)}`);
    });
    return value.join('');
  }
  return fail(path, `expected string or string[], got ${describe(value)}`);
};

const checkJSON = (value: unknown, path: string, depth = 0): JSONValue => {
  if (depth > 200) fail(path, 'nested too deeply');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, 'expected a finite number');
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => checkJSON(v, `${path}[${i}]`, depth + 1));
  if (isPlainObject(value)) {
    const out: JSONObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = checkJSON(v, `${path}.${k}`, depth + 1);
    return out;
  }
  return fail(path, `expected a JSON value, got ${describe(value)}`);
};

const object = (value: unknown, path: string): JSONObject => {
  if (!isPlainObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  return checkJSON(value, path) as JSONObject;
};

/** Returns true for MIME types whose content nbformat keeps as JSON rather than text. */
export const isJSONMime = (mime: string): boolean => mime === 'application/json' || /\+json$/.test(mime);

const mimeBundle = (value: unknown, path: string): MimeBundle => {
  if (!isPlainObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  const out: MimeBundle = {};
  for (const [mime, content] of Object.entries(value as Record<string, unknown>)) {
    const p = `${path}.${mime}`;
    if (isJSONMime(mime) && !(typeof content === 'string' || Array.isArray(content))) {
      out[mime] = checkJSON(content, p);
    } else if (isJSONMime(mime) && Array.isArray(content) && !content.every((c) => typeof c === 'string')) {
      out[mime] = checkJSON(content, p);
    } else {
      out[mime] = multiline(content, p);
    }
  }
  return out;
};

const integerOrNull = (value: unknown, path: string): number | null => {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  return fail(path, `expected a non-negative integer or null, got ${describe(value)}`);
};

const output = (value: unknown, path: string): Output => {
  if (!isPlainObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  const o = value as Record<string, unknown>;
  const type = field(o, 'output_type', path);
  switch (type) {
    case 'stream': {
      const name = field(o, 'name', path);
      if (typeof name !== 'string') fail(at(path, 'name'), `expected string, got ${describe(name)}`);
      return {
        output_type: 'stream',
        name: name as string,
        text: multiline(field(o, 'text', path), at(path, 'text')),
      };
    }
    case 'display_data': {
      const out: Output = {
        output_type: 'display_data',
        data: mimeBundle(field(o, 'data', path), at(path, 'data')),
        metadata: object(field(o, 'metadata', path), at(path, 'metadata')),
      };
      if ('transient' in o) out.transient = object(o.transient, at(path, 'transient'));
      return out;
    }
    case 'execute_result':
      return {
        output_type: 'execute_result',
        data: mimeBundle(field(o, 'data', path), at(path, 'data')),
        metadata: object(field(o, 'metadata', path), at(path, 'metadata')),
        execution_count: integerOrNull(field(o, 'execution_count', path), at(path, 'execution_count')),
      };
    case 'error': {
      const ename = field(o, 'ename', path);
      const evalue = field(o, 'evalue', path);
      const traceback = field(o, 'traceback', path);
      if (typeof ename !== 'string') fail(at(path, 'ename'), `expected string, got ${describe(ename)}`);
      if (typeof evalue !== 'string') fail(at(path, 'evalue'), `expected string, got ${describe(evalue)}`);
      if (!Array.isArray(traceback))
        fail(at(path, 'traceback'), `expected string[], got ${describe(traceback)}`);
      (traceback as unknown[]).forEach((line, i) => {
        if (typeof line !== 'string')
          fail(`${path}.traceback[${i}]`, `expected string, got ${describe(line)}`);
      });
      return {
        output_type: 'error',
        ename: ename as string,
        evalue: evalue as string,
        traceback: [...(traceback as string[])],
      };
    }
    default:
      return fail(
        at(path, 'output_type'),
        `expected "stream", "display_data", "execute_result" or "error", got ${JSON.stringify(type)}`,
      );
  }
};

const cellTypes = new Set<CellType>(['code', 'markdown', 'raw']);

const cell = (value: unknown, path: string): Cell => {
  if (!isPlainObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  const c = value as Record<string, unknown>;
  const type = field(c, 'cell_type', path);
  if (!cellTypes.has(type as CellType)) {
    fail(at(path, 'cell_type'), `expected "code", "markdown" or "raw", got ${JSON.stringify(type)}`);
  }
  const cellType = type as CellType;
  const out: Cell = {
    id: '',
    cell_type: cellType,
    source: multiline(field(c, 'source', path), at(path, 'source')),
    metadata: object(field(c, 'metadata', path), at(path, 'metadata')),
  };
  if ('id' in c && c.id !== undefined) {
    if (!isValidCellId(c.id))
      fail(at(path, 'id'), 'expected 1 to 64 characters among a-z, A-Z, 0-9, - and _');
    out.id = c.id as string;
  }
  if (cellType === 'code') {
    const outputs = field(c, 'outputs', path);
    if (!Array.isArray(outputs)) fail(at(path, 'outputs'), `expected an array, got ${describe(outputs)}`);
    out.outputs = (outputs as unknown[]).map((o, i) => output(o, `${path}.outputs[${i}]`));
    out.execution_count = integerOrNull(field(c, 'execution_count', path), at(path, 'execution_count'));
  } else if ('attachments' in c && c.attachments !== undefined) {
    const att = c.attachments;
    if (!isPlainObject(att)) fail(at(path, 'attachments'), `expected an object, got ${describe(att)}`);
    out.attachments = {};
    for (const [name, bundle] of Object.entries(att as Record<string, unknown>)) {
      out.attachments[name] = mimeBundle(bundle, `${path}.attachments.${name}`);
    }
  }
  return out;
};

/**
 * Checks that `value` is an nbformat 4 notebook and returns it normalised:
 * multi-line strings joined, every cell with a valid, unique id (added where
 * missing or repeated, as nbformat's normaliser does). Notebooks of nbformat 3
 * or older are refused with a message that says how to upgrade them; unknown
 * keys of cells are dropped, since the nbformat schema forbids them.
 */
export const parseIpynb = (value: unknown): Notebook => {
  if (!isPlainObject(value)) fail('notebook', `expected a JSON object, got ${describe(value)}`);
  const nb = value as Record<string, unknown>;
  const major = field(nb, 'nbformat', '');
  if (typeof major !== 'number' || !Number.isInteger(major)) {
    fail('nbformat', `expected an integer, got ${describe(major)}`);
  }
  if ((major as number) < 4) {
    fail(
      'nbformat',
      `version ${major} notebooks are not supported; open and save the file in Jupyter to upgrade it to version 4`,
    );
  }
  if ((major as number) > 4) {
    fail('nbformat', `version ${major} is newer than the version this editor reads (4)`);
  }
  const minor = field(nb, 'nbformat_minor', '');
  if (typeof minor !== 'number' || !Number.isInteger(minor) || minor < 0) {
    fail('nbformat_minor', `expected a non-negative integer, got ${describe(minor)}`);
  }
  const metadata = object(field(nb, 'metadata', ''), 'metadata');
  const rawCells = field(nb, 'cells', '');
  if (!Array.isArray(rawCells)) fail('cells', `expected an array, got ${describe(rawCells)}`);
  const cells = (rawCells as unknown[]).map((c, i) => cell(c, `cells[${i}]`));
  const seen = new Set<string>();
  for (const c of cells) {
    if (c.id === '' || seen.has(c.id)) {
      do c.id = newCellId();
      while (seen.has(c.id));
    }
    seen.add(c.id);
  }
  return { nbformat: 4, nbformat_minor: minor as number, metadata, cells };
};
