import type { CellType } from '@candyce/model';
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, type Extension, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightSpecialChars, keymap } from '@codemirror/view';
import { editModeKey, type NotebookCommand } from '../keys/commands.js';
import { notebookHighlightStyle } from './highlight-style.js';

let markdownLanguage: Extension | null = null;
let markdownLoading: Promise<Extension> | null = null;

/**
 * Loads the Markdown language (a separate chunk: it brings HTML, CSS and
 * JavaScript highlighting for embedded code, which most notebooks never edit).
 */
export const loadMarkdownLanguage = (): Promise<Extension> => {
  markdownLoading ??= import('@codemirror/lang-markdown').then((m) => {
    markdownLanguage = m.markdown();
    return markdownLanguage;
  });
  return markdownLoading;
};

/**
 * Returns the language extension of a cell type: Python for code, Markdown
 * for text (none until its chunk is loaded, see {@link loadMarkdownLanguage}),
 * none for raw.
 */
export const languageFor = (type: CellType): Extension =>
  type === 'code' ? python() : type === 'markdown' ? (markdownLanguage ?? []) : [];

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
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...completionKeymap, indentWithTab]),
  theme,
];
