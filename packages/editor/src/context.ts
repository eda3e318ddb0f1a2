import type { NotebookOrigin, NotebookUndoManager, Role } from '@candyce/model';
import { createContext } from '@lit/context';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Lang, Translate } from './i18n/translate.js';
import type { Identity } from './presence/identity.js';
import type { Sanitizer } from './render/sanitize.js';
import type { CellRunner } from './run/cell-runner.js';

/**
 * What every part of one open notebook shares: the document and awareness of
 * the room, who is editing and with which rights, their undo history, the
 * language, and the runner of code cells. The notebook element provides it
 * through `@lit/context`; a new object is provided whenever any of it changes.
 */
export interface NotebookSession {
  doc: Y.Doc;
  awareness: Awareness;
  identity: Identity;
  role: Role;
  /** True for viewers and for `readonly` notebooks: nothing can be changed. */
  readonly: boolean;
  /** The transaction origin of this user's edits (undo recognises them by it). */
  origin: NotebookOrigin;
  undo: NotebookUndoManager;
  lang: Lang;
  t: Translate;
  sanitizer: Sanitizer;
  runner: CellRunner;
  /**
   * The page HTML outputs with script are shown in (`<server>/sandbox.html`),
   * or null without a server: then they go in a `srcdoc` frame, which inherits
   * the page's content security policy.
   */
  outputFrameUrl: string | null;
}

/** The context key of the {@link NotebookSession}. */
export const sessionContext = createContext<NotebookSession | undefined>(
  Symbol.for('candyce-notebook-session'),
);
