import type { CellType } from '@candyce/model';
import * as Y from 'yjs';

/** The languages whose highlighting code cells can have; `plain` is none. */
export type CodeLanguage =
  | 'python'
  | 'javascript'
  | 'typescript'
  | 'r'
  | 'julia'
  | 'ocaml'
  | 'shell'
  | 'sql'
  | 'plain';

const byName: Record<string, CodeLanguage> = {
  python: 'python',
  python2: 'python',
  python3: 'python',
  ipython: 'python',
  ipython3: 'python',
  pyodide: 'python',
  javascript: 'javascript',
  js: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  typescript: 'typescript',
  ts: 'typescript',
  r: 'r',
  ir: 'r',
  julia: 'julia',
  ocaml: 'ocaml',
  'ocaml-jupyter': 'ocaml',
  bash: 'shell',
  sh: 'shell',
  shell: 'shell',
  sql: 'sql',
};

const record = (value: unknown): Record<string, unknown> | undefined => {
  const plain = value instanceof Y.AbstractType ? value.toJSON() : value;
  return plain && typeof plain === 'object' && !Array.isArray(plain)
    ? (plain as Record<string, unknown>)
    : undefined;
};

const known = (value: unknown): CodeLanguage | undefined =>
  typeof value === 'string' ? byName[value.trim().toLowerCase()] : undefined;

/**
 * Returns the language of a notebook's code cells from its metadata, as
 * Jupyter does: `language_info.name`, else `kernelspec.language`, else the
 * kernelspec's name (`python3`). A notebook that names no language is
 * Python (the default kernel); a language CodeMirror has no mode for here
 * (Haskell, Scheme…) is `plain`: no highlighting, and no error.
 */
export const codeLanguageOf = (metadata: unknown): CodeLanguage => {
  const meta = record(metadata);
  const info = record(meta?.language_info);
  const spec = record(meta?.kernelspec);
  const named = [info?.name, spec?.language, spec?.name].filter(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  if (named.length === 0) return 'python';
  for (const name of named) {
    const language = known(name);
    if (language) return language;
  }
  return 'plain';
};

/** Returns the language of the code cells of `doc` (see {@link codeLanguageOf}). */
export const notebookLanguageOf = (doc: Y.Doc): CodeLanguage =>
  codeLanguageOf(doc.getMap('meta').get('metadata'));

/** A language a cell's editor can highlight: the cell type's, or the notebook's for code. */
export type LanguageKey = Exclude<CodeLanguage, 'plain'> | 'markdown' | null;

/** Returns the language an editor highlights: for code cells, the notebook's; Markdown for text; none for raw. */
export const languageKeyOf = (type: CellType, language: CodeLanguage = 'python'): LanguageKey =>
  type === 'markdown' ? 'markdown' : type === 'code' && language !== 'plain' ? language : null;
