import type { CellType } from '@candyce/model';
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import {
  bracketMatching,
  indentOnInput,
  indentUnit,
  StreamLanguage,
  syntaxHighlighting,
} from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, type Extension, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightSpecialChars, keymap } from '@codemirror/view';
import { editModeKey, type NotebookCommand } from '../keys/commands.js';
import { type CodeLanguage, type LanguageKey, languageKeyOf } from './code-language.js';
import { notebookHighlightStyle } from './highlight-style.js';

// Languages other than Python are separate chunks, loaded when an editor needs them: Markdown
// brings HTML, CSS and JavaScript for embedded code, which most notebooks never edit.
// Kernels' languages that CodeMirror only has as legacy stream modes.
const legacy = (load: () => Promise<Parameters<typeof StreamLanguage.define>[0]>) => () =>
  load().then((mode) => StreamLanguage.define(mode));
const loaders: Record<Exclude<NonNullable<LanguageKey>, 'python'>, () => Promise<Extension>> = {
  markdown: () => import('@codemirror/lang-markdown').then((m) => m.markdown()),
  r: legacy(() => import('@codemirror/legacy-modes/mode/r').then((m) => m.r)),
  julia: legacy(() => import('@codemirror/legacy-modes/mode/julia').then((m) => m.julia)),
  ocaml: legacy(() => import('@codemirror/legacy-modes/mode/mllike').then((m) => m.oCaml)),
  shell: legacy(() => import('@codemirror/legacy-modes/mode/shell').then((m) => m.shell)),
  sql: legacy(() => import('@codemirror/legacy-modes/mode/sql').then((m) => m.standardSQL)),
  javascript: () => import('@codemirror/lang-javascript').then((m) => m.javascript()),
  typescript: () => import('@codemirror/lang-javascript').then((m) => m.javascript({ typescript: true })),
};
const loaded = new Map<LanguageKey, Extension>();
const loading = new Map<LanguageKey, Promise<Extension>>();

/**
 * Loads the language `key` if it lives in its own chunk; resolves to its
 * extension, or to none (plain text) when it cannot be loaded.
 */
export const loadLanguage = (key: LanguageKey): Promise<Extension> => {
  if (key === null || key === 'python') return Promise.resolve(languageOfKey(key));
  let promise = loading.get(key);
  if (!promise) {
    promise = loaders[key]().then(
      (extension) => {
        loaded.set(key, extension);
        return extension;
      },
      () => [],
    );
    loading.set(key, promise);
  }
  return promise;
};

/** True when the language `key` is ready (or needs no loading). */
export const languageReady = (key: LanguageKey): boolean =>
  key === null || key === 'python' || loaded.has(key);

/** Loads the Markdown language (see {@link loadLanguage}). */
export const loadMarkdownLanguage = (): Promise<Extension> => loadLanguage('markdown');

const languageOfKey = (key: LanguageKey): Extension =>
  key === 'python' ? python() : key === null ? [] : (loaded.get(key) ?? []);

/**
 * Returns the language extension of a cell: the notebook's language for code
 * (Python by default; none until a separately loaded language is ready, see
 * {@link loadLanguage}), Markdown for text, none for raw.
 */
export const languageFor = (type: CellType, language: CodeLanguage = 'python'): Extension =>
  languageOfKey(languageKeyOf(type, language));

/**
 * Most characters one edit of the user (a paste, a drop) may insert into a
 * cell. The edit travels to the server as one message, and the server closes
 * a connection whose message is above its limit (16 MiB by default), which
 * the client would then send again at every reconnection.
 */
export const maxInsertChars = 2 * 1024 * 1024;

/**
 * Returns the extension that refuses a user's edit (paste, drop, typing)
 * inserting more than `max` characters, and calls `onRefused` with their
 * number so that the cell can say why nothing was pasted.
 */
export const insertLimit = (max: number, onRefused: (chars: number) => void): Extension =>
  EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || !tr.isUserEvent('input')) return tr;
    let inserted = 0;
    tr.changes.iterChanges((_fromA, _toA, _fromB, _toB, text) => {
      inserted += text.length;
    });
    if (inserted <= max) return tr;
    onRefused(inserted);
    return [];
  });

/** Returns the extension that makes an editor read-only (viewers, locked cells) or writable. */
export const readOnlyFor = (readOnly: boolean): Extension => [
  EditorState.readOnly.of(readOnly),
  EditorView.contentAttributes.of({ 'aria-readonly': String(readOnly) }),
];

/**
 * Returns the keymap that sends notebook commands (run, leave, undo) from the
 * code editor. It comes before CodeMirror's own keys, so Shift-Enter runs
 * instead of inserting a line, and Ctrl-Z undoes this user's notebook history.
 */
export const notebookKeys = (onCommand: (command: NotebookCommand) => boolean): Extension =>
  Prec.highest(
    keymap.of([
      {
        any: (_view, event) => {
          const command = editModeKey(event);
          if (!command) return false;
          return onCommand(command);
        },
      },
    ]),
  );

const theme = EditorView.theme({
  '&': { fontSize: 'var(--candyce-code-font-size, 14px)', backgroundColor: 'transparent' },
  '&.cm-focused': { outline: 'none' },
  '.cm-content': {
    fontFamily: 'var(--candyce-code-font, ui-monospace, "DejaVu Sans Mono", monospace)',
    padding: '6px 0',
  },
  '.cm-line': { padding: '0 8px' },
  '.cm-scroller': { lineHeight: '1.45' },
  // Name tags of remote cursors stay visible, so a teacher sees at once who writes where.
  '.cm-ySelectionInfo': {
    opacity: '1',
    fontFamily: 'system-ui, sans-serif',
    fontSize: '11px',
    top: '-1.35em',
    borderRadius: '3px 3px 3px 0',
    padding: '0 4px',
  },
  '.cm-ySelectionCaret': { borderLeftWidth: '2px' },
});

/** Compartments of the settings that change while an editor lives. */
export interface EditorCompartments {
  language: Compartment;
  readOnly: Compartment;
}

/** Returns fresh compartments for one editor. */
export const createCompartments = (): EditorCompartments => ({
  language: new Compartment(),
  readOnly: new Compartment(),
});

/**
 * Keeps the cursor clear of the notebook's sticky header when the editor
 * scrolls it into view (ArrowUp in a long cell): the header's height is
 * `--candyce-header-h`, which the notebook sets on its cells (0 when the
 * header does not stick).
 */
const belowStickyHeader = EditorView.scrollMargins.of((view) => {
  const height = Number.parseFloat(getComputedStyle(view.dom).getPropertyValue('--candyce-header-h'));
  return height > 0 ? { top: height + 8 } : null;
});

/** Returns the extensions every cell editor has: editing helpers, highlighting, keys, theme. */
export const baseExtensions = (): Extension[] => [
  highlightSpecialChars(),
  drawSelection(),
  indentOnInput(),
  bracketMatching(),
  closeBrackets(),
  autocompletion({ activateOnTyping: false }),
  highlightSelectionMatches(),
  indentUnit.of('    '),
  syntaxHighlighting(notebookHighlightStyle),
  // Out of the Tab order: Enter (or a click) edits a cell, Escape leaves, so Tab never gets stuck in a cell.
  EditorView.contentAttributes.of({ tabindex: '-1' }),
  EditorView.lineWrapping,
  belowStickyHeader,
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...completionKeymap, indentWithTab]),
  theme,
];
