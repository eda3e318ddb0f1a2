import { NotebookFormatError } from './errors.js';
import { isValidCellId, newCellId } from './ids.js';
import type { Cell, CellType, MimeBundle, Notebook, Output } from './ipynb-types.js';
import type { JSONObject, JSONValue } from './json.js';

// Checks an untrusted .ipynb value and returns the model's normalised form
// (multi-line strings joined, ids present and unique), the way nbformat reads
// a file. Every problem is thrown as a NotebookFormatError naming the path,
// before anything touches a document. What is accepted can be stored in a
// Y.Doc, synced, and exported again as a notebook valid against the nbformat
// 4.5 schema: what could not is refused here rather than lost or broken later.

const fail = (path: string, problem: string): never => {
  throw new NotebookFormatError(path, problem);
};

/** Names the JSON type of a value, or says why it is not JSON. */
const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value}, which is not JSON`;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
    return isJSONObject(value) ? 'an object' : `an instance of ${String(proto?.constructor?.name ?? '?')}`;
  }
  return typeof value;
};

/** Shows a value in a message: JSON, cut short. */
const show = (value: unknown): string => {
  if (
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    const s = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
    return s.length > 40 ? `${s.slice(0, 37)}...` : s;
  }
  return describe(value);
};

/** Returns true for objects as JSON.parse makes them (not arrays, dates, maps, class instances). */
const isJSONObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  // Object.prototype of this realm or of another one (an iframe, a vm context).
  return proto === null || Object.getPrototypeOf(proto) === null;
};

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Returns the step to `key` in a path: `.b`, or `["text/plain"]` for keys that are not identifiers. */
const step = (key: string): string => (identifier.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/** Returns the path of `key` inside `path`: `a.b`, `b` at the top, `a["text/plain"]`. */
const at = (path: string, key: string): string => {
  const s = step(key);
  return path === '' && s.startsWith('.') ? s.slice(1) : path + s;
};

const own = (obj: Record<string, unknown>, key: string): boolean => Object.hasOwn(obj, key);

const field = (obj: Record<string, unknown>, key: string, path: string): unknown => {
  if (!own(obj, key) || obj[key] === undefined) fail(at(path, key), 'missing');
  return obj[key];
};

const loneSurrogate = /[\uD800-\uDFFF]/u;

/** Checks that `s` is well-formed Unicode: Yjs stores text as UTF-8, where a lone surrogate cannot go. */
const wellFormed = (s: string, path: string): string => {
  const m = loneSurrogate.exec(s);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase();
    fail(path, `contains a lone surrogate (U+${code}) at index ${m.index}, which is not valid Unicode`);
  }
  return s;
};

const string = (value: unknown, path: string): string => {
  if (typeof value !== 'string') fail(path, `expected string, got ${describe(value)}`);
  return wellFormed(value as string, path);
};

const multiline = (value: unknown, path: string): string => {
  if (typeof value === 'string') return wellFormed(value, path);
  if (Array.isArray(value)) {
    let joined = '';
    for (let i = 0; i < value.length; i++) joined += string(value[i], `${path}[${i}]`);
    return joined;
  }
  return fail(path, `expected string or string[], got ${describe(value)}`);
};

// Keys that JavaScript objects cannot hold as plain data: Yjs decodes stored
// JSON by assignment, where "__proto__" would be lost (or set a prototype).
const forbiddenKey = '__proto__';

const maxDepth = 100;

/** Checks a JSON value and returns a fresh copy of it, sharing nothing with the input. */
const json = (value: unknown, path: string, depth = 0): JSONValue => {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return wellFormed(value, path);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, `got ${value}, which is not JSON`);
    return value;
  }
  if (depth > maxDepth && typeof value === 'object')
    fail(path, `nested more than ${maxDepth} levels deep (or circular)`);
  if (Array.isArray(value)) {
    const out: JSONValue[] = [];
    for (let i = 0; i < value.length; i++) out.push(json(value[i], `${path}[${i}]`, depth + 1));
    return out;
  }
  if (isJSONObject(value)) return jsonObject(value, path, depth);
  return fail(path, `expected a JSON value, got ${describe(value)}`);
};

const jsonObject = (value: Record<string, unknown>, path: string, depth: number): JSONObject => {
  const out: JSONObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue; // as JSON.stringify does
    const p = at(path, k);
    if (k === forbiddenKey) fail(p, 'this key is not allowed in a notebook');
    wellFormed(k, p);
    out[k] = json(v, p, depth + 1);
  }
  return out;
};

const object = (value: unknown, path: string): JSONObject => {
  if (!isJSONObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  return jsonObject(value as Record<string, unknown>, path, 0);
};

// --- What the nbformat 4.5 schema requires of known metadata keys ----------

/** A problem found in a metadata value: where, below the key (`""` or `.name`), and what. */
export interface MetadataProblem {
  at: string;
  problem: string;
}

type Rule = (value: JSONValue) => MetadataProblem | undefined;

const isObj = (v: JSONValue | undefined): v is JSONObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const expected = (what: string, value: JSONValue, sub = ''): MetadataProblem => ({
  at: sub,
  problem: `expected ${what}, got ${describe(value)}`,
});

const anObject: Rule = (v) => (isObj(v) ? undefined : expected('an object', v));
const aString: Rule = (v) => (typeof v === 'string' ? undefined : expected('string', v));
const aBoolean: Rule = (v) => (typeof v === 'boolean' ? undefined : expected('boolean', v));

/** An object whose listed keys are required (`!`) or optional strings. */
const withStrings =
  (keys: string[], extra: Record<string, Rule> = {}): Rule =>
  (v) => {
    if (!isObj(v)) return expected('an object', v);
    for (const spec of keys) {
      const required = spec.endsWith('!');
      const key = required ? spec.slice(0, -1) : spec;
      if (!own(v, key)) {
        if (required) return { at: step(key), problem: 'missing' };
        continue;
      }
      const s = v[key] as JSONValue;
      if (typeof s !== 'string') return expected('string', s, step(key));
    }
    for (const [key, rule] of Object.entries(extra)) {
      if (!own(v, key)) continue;
      const p = rule(v[key] as JSONValue);
      if (p) return { at: step(key) + p.at, problem: p.problem };
    }
    return undefined;
  };

const cellName: Rule = (v) => {
  if (typeof v !== 'string') return expected('string', v);
  if (/^.+$/u.test(v)) return undefined;
  return { at: '', problem: `expected a non-empty name on one line, got ${show(v)}` };
};

const tags: Rule = (v) => {
  if (!Array.isArray(v)) return expected('an array of tags', v);
  const seen = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const tag = v[i] as JSONValue;
    if (typeof tag !== 'string') return expected('string', tag, `[${i}]`);
    if (!/^[^,]+$/u.test(tag))
      return { at: `[${i}]`, problem: `expected a non-empty tag without commas, got ${show(tag)}` };
    if (seen.has(tag)) return { at: `[${i}]`, problem: `tag ${show(tag)} appears twice` };
    seen.add(tag);
  }
  return undefined;
};

const execution: Rule = (v) => {
  if (!isObj(v)) return expected('an object', v);
  for (const [key, time] of Object.entries(v))
    if (typeof time !== 'string') return expected('string', time, step(key));
  return undefined;
};

const scrolled: Rule = (v) =>
  v === true || v === false || v === 'auto'
    ? undefined
    : { at: '', problem: `expected true, false or "auto", got ${show(v)}` };

const notebookRules: Record<string, Rule> = {
  kernelspec: withStrings(['name!', 'display_name!']),
  language_info: withStrings(['name!', 'file_extension', 'mimetype', 'pygments_lexer'], {
    codemirror_mode: (v) =>
      typeof v === 'string' || isObj(v) ? undefined : expected('string or an object', v),
  }),
  title: aString,
  authors: (v) => (Array.isArray(v) ? undefined : expected('an array', v)),
};

const commonCellRules: Record<string, Rule> = { name: cellName, tags, jupyter: anObject };

const cellRules: Record<CellType, Record<string, Rule>> = {
  code: { ...commonCellRules, execution, collapsed: aBoolean, scrolled },
  markdown: commonCellRules,
  raw: { ...commonCellRules, format: aString },
};

// The minor version of nbformat whose schema first constrains a key; older
// files may hold anything under it.
const constrainedSince: Record<string, number> = { title: 2, authors: 2, jupyter: 3, execution: 4 };

// nbformat drops these on every read and write (`strip_transient`).
const transientNotebookKeys = ['orig_nbformat', 'orig_nbformat_minor', 'signature'];
const transientCellKeys = ['trusted'];

/**
 * Returns what is wrong with the value of the metadata key `key` of a notebook
 * (`cellType` undefined) or of a cell of type `cellType`, as the schema of
 * nbformat 4.`minor` (by default 4.5) sees it, or undefined when it is fine
 * (unknown keys always are).
 */
export const metadataProblem = (
  cellType: CellType | undefined,
  key: string,
  value: JSONValue,
  minor = 5,
): MetadataProblem | undefined => {
  const rules = cellType === undefined ? notebookRules : cellRules[cellType];
  if (!own(rules, key) || (constrainedSince[key] ?? 0) > minor) return undefined;
  return rules[key]!(value);
};

const withoutTransient = (cellType: CellType | undefined, metadata: JSONObject): JSONObject => {
  const transient = cellType === undefined ? transientNotebookKeys : transientCellKeys;
  const out: JSONObject = {};
  for (const [key, value] of Object.entries(metadata)) if (!transient.includes(key)) out[key] = value;
  return out;
};

/**
 * Returns a copy of notebook (`cellType` undefined) or cell metadata fit for a
 * file: without the keys nbformat never writes (`signature`, `trusted`...) and
 * without known keys whose value the nbformat 4.5 schema would refuse (which
 * an older file may have held, or a careless writer set).
 */
export const cleanMetadata = (cellType: CellType | undefined, metadata: JSONObject): JSONObject => {
  const out: JSONObject = {};
  for (const [key, value] of Object.entries(withoutTransient(cellType, metadata))) {
    if (key !== forbiddenKey && !metadataProblem(cellType, key, value)) out[key] = value;
  }
  return out;
};

/** The kernel name a kernelspec without one most likely meant: Python's is `python3`, as Jupyter names it. */
const guessKernelName = (spec: JSONObject, md: JSONObject): string => {
  const info = md.language_info;
  const language =
    typeof spec.language === 'string'
      ? spec.language
      : isObj(info) && typeof info.name === 'string'
        ? info.name
        : '';
  const display = typeof spec.display_name === 'string' ? spec.display_name : '';
  if (/python/i.test(language) || /python/i.test(display) || (!language && !display)) return 'python3';
  const slug = (language || display)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug || 'python3';
};

/**
 * Repairs the notebook metadata that real files often get wrong and Jupyter
 * opens anyway, with a warning: a kernelspec without `name` or
 * `display_name` (both are required by the schema) gets them, guessed from
 * the other and from the language. Returns the warnings, in English.
 */
const repairNotebookMetadata = (md: JSONObject): string[] => {
  const spec = md.kernelspec;
  if (!isObj(spec)) return [];
  const warnings: string[] = [];
  const fixed: JSONObject = { ...spec };
  if (!own(spec, 'name')) {
    fixed.name = guessKernelName(spec, md);
    warnings.push(`metadata.kernelspec had no name: set to ${show(fixed.name)}`);
  }
  if (!own(spec, 'display_name') && typeof fixed.name === 'string') {
    fixed.display_name = fixed.name === 'python3' ? 'Python 3' : fixed.name;
    warnings.push(`metadata.kernelspec had no display_name: set to ${show(fixed.display_name)}`);
  }
  if (warnings.length > 0) md.kernelspec = fixed;
  return warnings;
};

/**
 * Checks metadata against the schema of the file's own version, `minor`, and
 * drops its transient keys. A key that a later version constrains and that
 * this file holds otherwise is kept: the document keeps it, export leaves it out.
 */
const metadata = (
  value: unknown,
  path: string,
  cellType: CellType | undefined,
  minor: number,
): JSONObject => {
  const md = object(value, path);
  for (const [key, v] of Object.entries(md)) {
    const p = metadataProblem(cellType, key, v, minor);
    if (p) fail(at(path, key) + p.at, p.problem);
  }
  return withoutTransient(cellType, md);
};

// --- Outputs and cells -------------------------------------------------------

/**
 * Returns true for MIME types whose content nbformat keeps as JSON rather than
 * text: the pattern of the nbformat schema, `application/json` and
 * `application/<anything>+json`.
 */
export const isJSONMime = (mime: string): boolean => /^application\/(.*\+)?json$/u.test(mime);

const mimeBundle = (value: unknown, path: string): MimeBundle => {
  if (!isJSONObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  const out: MimeBundle = {};
  for (const [mime, content] of Object.entries(value as Record<string, unknown>)) {
    const p = at(path, mime);
    if (mime === forbiddenKey) fail(p, 'this key is not allowed in a notebook');
    wellFormed(mime, p);
    // JSON types keep any JSON value as it is (a list of strings is not joined,
    // as nbformat does); every other type is text, possibly split in lines.
    out[mime] = isJSONMime(mime) ? json(content, p) : multiline(content, p);
  }
  return out;
};

const integerOrNull = (value: unknown, path: string): number | null => {
  if (value === null) return null;
  // Safe integers only: JavaScript writes larger ones as `1e+300`, which Python reads as a float.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return fail(path, `expected a non-negative integer or null, got ${show(value)}`);
};

const output = (value: unknown, path: string): Output => {
  if (!isJSONObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  const o = value as Record<string, unknown>;
  const type = field(o, 'output_type', path);
  switch (type) {
    case 'stream':
      return {
        output_type: 'stream',
        name: string(field(o, 'name', path), at(path, 'name')),
        text: multiline(field(o, 'text', path), at(path, 'text')),
      };
    case 'display_data': {
      const out: Output = {
        output_type: 'display_data',
        data: mimeBundle(field(o, 'data', path), at(path, 'data')),
        metadata: object(field(o, 'metadata', path), at(path, 'metadata')),
      };
      if (own(o, 'transient') && o.transient !== undefined)
        out.transient = object(o.transient, at(path, 'transient'));
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
      const ename = string(field(o, 'ename', path), at(path, 'ename'));
      const evalue = string(field(o, 'evalue', path), at(path, 'evalue'));
      const traceback = field(o, 'traceback', path);
      const tp = at(path, 'traceback');
      if (!Array.isArray(traceback)) return fail(tp, `expected string[], got ${describe(traceback)}`);
      const lines: string[] = [];
      for (let i = 0; i < traceback.length; i++) lines.push(string(traceback[i], `${tp}[${i}]`));
      return { output_type: 'error', ename, evalue, traceback: lines };
    }
    default:
      return fail(
        at(path, 'output_type'),
        `expected "stream", "display_data", "execute_result" or "error", got ${show(type)}`,
      );
  }
};

const cellTypes = new Set<unknown>(['code', 'markdown', 'raw']);

const cell = (value: unknown, path: string, minor: number): Cell => {
  if (!isJSONObject(value)) fail(path, `expected an object, got ${describe(value)}`);
  const c = value as Record<string, unknown>;
  const type = field(c, 'cell_type', path);
  if (!cellTypes.has(type)) {
    fail(at(path, 'cell_type'), `expected "code", "markdown" or "raw", got ${show(type)}`);
  }
  const cellType = type as CellType;
  let id = '';
  if (own(c, 'id') && c.id !== undefined) {
    if (!isValidCellId(c.id))
      fail(at(path, 'id'), `expected 1 to 64 characters among a-z, A-Z, 0-9, - and _, got ${show(c.id)}`);
    id = c.id as string;
  }
  const out: Cell = {
    id,
    cell_type: cellType,
    source: multiline(field(c, 'source', path), at(path, 'source')),
    metadata: metadata(field(c, 'metadata', path), at(path, 'metadata'), cellType, minor),
  };
  if (cellType === 'code') {
    const outputs = field(c, 'outputs', path);
    if (!Array.isArray(outputs)) fail(at(path, 'outputs'), `expected an array, got ${describe(outputs)}`);
    const list = outputs as unknown[];
    out.outputs = [];
    for (let i = 0; i < list.length; i++) out.outputs.push(output(list[i], `${path}.outputs[${i}]`));
    out.execution_count = integerOrNull(field(c, 'execution_count', path), at(path, 'execution_count'));
  } else if (own(c, 'attachments') && c.attachments !== undefined) {
    const ap = at(path, 'attachments');
    const att = c.attachments;
    if (!isJSONObject(att)) fail(ap, `expected an object, got ${describe(att)}`);
    out.attachments = {};
    for (const [name, bundle] of Object.entries(att as Record<string, unknown>)) {
      const p = at(ap, name);
      if (name === forbiddenKey) fail(p, 'this key is not allowed in a notebook');
      out.attachments[wellFormed(name, p)] = mimeBundle(bundle, p);
    }
  }
  return out;
};

/**
 * Checks that `value` is an nbformat 4 notebook (4.0 to 4.5; later minor
 * versions are read as 4.5) and returns it normalised as nbformat reads it:
 * multi-line strings joined, transient keys (`signature`, `trusted`, ...)
 * dropped, and every cell with a valid, unique id (kept when given, added
 * where missing or repeated). Notebooks of nbformat 3 or older are refused
 * with a message that says how to upgrade them. Keys the nbformat schema does
 * not allow (unknown keys of cells and outputs, `outputs` of a markdown cell)
 * are dropped. Refused: known metadata keys with values that the schema of the
 * file's own version refuses (`tags`, `kernelspec`...), non-JSON values (NaN,
 * dates, cycles...), integers beyond 2^53, lone surrogates, `__proto__` keys.
 * Throws a `NotebookFormatError` naming the path and the problem. Repaired,
 * as Jupyter opens them: a kernelspec without `name` or `display_name`; what
 * was repaired is pushed, in English, onto `warnings` when given.
 */
export const parseIpynb = (value: unknown, warnings?: string[]): Notebook => {
  if (!isJSONObject(value)) fail('notebook', `expected a JSON object, got ${describe(value)}`);
  const nb = value as Record<string, unknown>;
  const major = field(nb, 'nbformat', '');
  if (typeof major !== 'number' || !Number.isSafeInteger(major)) {
    fail('nbformat', `expected an integer, got ${show(major)}`);
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
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor) || minor < 0) {
    fail('nbformat_minor', `expected a non-negative integer, got ${show(minor)}`);
  }
  const given = object(field(nb, 'metadata', ''), 'metadata');
  const repaired: JSONObject = { ...given };
  const repairs = repairNotebookMetadata(repaired);
  warnings?.push(...repairs);
  const md = metadata(repairs.length > 0 ? repaired : given, 'metadata', undefined, minor as number);
  const rawCells = field(nb, 'cells', '');
  if (!Array.isArray(rawCells)) fail('cells', `expected an array, got ${describe(rawCells)}`);
  const list = rawCells as unknown[];
  const cells: Cell[] = [];
  for (let i = 0; i < list.length; i++) cells.push(cell(list[i], `cells[${i}]`, minor as number));
  const seen = new Set<string>();
  for (const c of cells) {
    if (c.id === '' || seen.has(c.id)) {
      do c.id = newCellId();
      while (seen.has(c.id));
    }
    seen.add(c.id);
  }
  return { nbformat: 4, nbformat_minor: minor as number, metadata: md, cells };
};
