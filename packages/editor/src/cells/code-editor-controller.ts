import type { CellType } from '@candyce/model';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { YSyncConfig, yRemoteSelections, yRemoteSelectionsTheme, ySync, ySyncFacet } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { NotebookCommand } from '../keys/commands.js';
import { type CodeLanguage, languageKeyOf } from './code-language.js';
import {
  baseExtensions,
  createCompartments,
  type EditorCompartments,
  insertLimit,
  languageFor,
  languageReady,
  loadLanguage,
  maxInsertChars,
  notebookKeys,
  readOnlyFor,
} from './editor-extensions.js';

/** What the editor of one cell is bound to; read each time the host updates. */
export interface CodeEditorBinding {
  /** The element the editor goes into, or null while it is not rendered. */
  container: HTMLElement | null;
  text: Y.Text;
  awareness: Awareness;
  type: CellType;
  /** The notebook's language, highlighted in code cells. */
  language: CodeLanguage;
  readOnly: boolean;
  label: string;
  /** Registers the binding's transaction origin with the user's undo history. */
  trackOrigin: (origin: unknown) => void;
  onCommand: (command: NotebookCommand) => boolean;
  onFocus: () => void;
  /** Called when a paste or drop was refused for being larger than {@link maxInsertChars}. */
  onInsertRefused?: (chars: number) => void;
}

// Editors that came near the viewport are created a few at a time, in
// order, each slice a task of its own: the page paints and takes keys
// between slices, and the first cell is editable after one editor's cost
// rather than after every editor on screen (each costs tens of
// milliseconds on an old laptop).
const waiting = new Set<CodeEditorController>();
let scheduled = false;
const sliceMs = 8;

const createWaiting = (): void => {
  scheduled = false;
  const start = performance.now();
  for (const controller of waiting) {
    waiting.delete(controller);
    controller.createNow();
    if (performance.now() - start >= sliceMs) break;
  }
  if (waiting.size > 0) scheduleCreation();
};

type PostTask = (task: () => void, options: { priority: 'user-blocking' }) => Promise<unknown>;

// Ahead of the notebook's render slices (plain tasks) where the browser can
// order tasks (scheduler.postTask): an editor on screen matters more than a
// cell far below.
const scheduleCreation = (): void => {
  if (scheduled) return;
  scheduled = true;
  const postTask = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler?.postTask;
  if (postTask)
    void postTask.call((globalThis as { scheduler?: unknown }).scheduler, createWaiting, {
      priority: 'user-blocking',
    });
  else setTimeout(createWaiting, 0);
};

/**
 * Creates and destroys the CodeMirror view of one cell. The view is created
 * lazily, when the cell comes near the viewport or when the user edits it,
 * so that a 200-cell notebook opens fast on an old laptop; until then the
 * cell shows its source as plain text.
 */
export class CodeEditorController implements ReactiveController {
  /** The CodeMirror view, or null while not created. */
  view: EditorView | null = null;
  private bound: { text: Y.Text; awareness: Awareness } | null = null;
  private compartments: EditorCompartments = createCompartments();
  private applied: { type: CellType; language: CodeLanguage; readOnly: boolean; label: string } | null = null;
  private observer: IntersectionObserver | null = null;
  private wanted = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly binding: () => CodeEditorBinding | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof IntersectionObserver === 'undefined') {
      this.wanted = true;
      return;
    }
    this.observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.observer?.disconnect();
          this.observer = null;
          waiting.add(this);
          scheduleCreation();
        }
      },
      { rootMargin: '800px 0px' },
    );
    this.observer.observe(this.host);
  }

  hostUpdated(): void {
    const binding = this.binding();
    if (!binding?.container) {
      this.destroy();
      return;
    }
    if (this.view && (this.bound?.text !== binding.text || this.bound.awareness !== binding.awareness)) {
      this.destroy();
    }
    if (!this.view) {
      if (this.wanted) this.create(binding);
      return;
    }
    if (this.view.dom.parentElement !== binding.container) binding.container.append(this.view.dom);
    this.reconfigure(binding);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    waiting.delete(this);
    this.destroy();
  }

  /** Creates the view now, if the cell still wants one (its turn in the queue of editors to create). */
  createNow(): void {
    this.wanted = true;
    if (this.view) return;
    const binding = this.binding();
    if (binding?.container) this.create(binding);
  }

  /** True when the view exists (the cell was near the viewport or edited). */
  get mounted(): boolean {
    return this.view !== null;
  }

  /** Creates the view now if needed and moves the keyboard focus into it. */
  focus(): void {
    this.wanted = true;
    waiting.delete(this);
    if (!this.view) {
      const binding = this.binding();
      if (binding?.container) this.create(binding);
    }
    this.view?.focus();
  }

  private create(binding: CodeEditorBinding): void {
    const container = binding.container!;
    // A container out of the page has no selection to read: the view waits for the next render.
    const root = container.getRootNode();
    if (!(root instanceof ShadowRoot || root instanceof Document)) return;
    const sync = new YSyncConfig(binding.text, binding.awareness);
    binding.trackOrigin(sync);
    this.compartments = createCompartments();
    const state = EditorState.create({
      doc: binding.text.toString(),
      extensions: [
        notebookKeys((command) => this.binding()?.onCommand(command) ?? false),
        baseExtensions(),
        insertLimit(maxInsertChars, (chars) => this.binding()?.onInsertRefused?.(chars)),
        this.compartments.language.of(languageFor(binding.type, binding.language)),
        this.compartments.readOnly.of([
          readOnlyFor(binding.readOnly),
          EditorView.contentAttributes.of({ 'aria-label': binding.label }),
        ]),
        ySyncFacet.of(sync),
        ySync,
        yRemoteSelectionsTheme,
        yRemoteSelections,
        EditorView.domEventHandlers({
          focus: () => {
            this.binding()?.onFocus();
          },
        }),
      ],
    });
    container.replaceChildren();
    this.view = new EditorView({ state, parent: container, root });
    this.bound = { text: binding.text, awareness: binding.awareness };
    this.applied = {
      type: binding.type,
      language: binding.language,
      readOnly: binding.readOnly,
      label: binding.label,
    };
    // The host renders again to drop the plain-text preview that stood in for the editor.
    this.host.requestUpdate();
    this.whenLanguageLoaded(binding);
  }

  /** Loads the cell's language if it is a separate chunk, then highlights with it (plain text if it fails). */
  private whenLanguageLoaded(binding: CodeEditorBinding): void {
    const key = languageKeyOf(binding.type, binding.language);
    if (languageReady(key)) return;
    const view = this.view;
    void loadLanguage(key).then(() => {
      const applied = this.applied;
      if (this.view !== view || !view || !applied) return;
      if (languageKeyOf(applied.type, applied.language) !== key) return;
      view.dispatch({
        effects: this.compartments.language.reconfigure(languageFor(applied.type, applied.language)),
      });
    });
  }

  private reconfigure(binding: CodeEditorBinding): void {
    const view = this.view!;
    const applied = this.applied!;
    const effects = [];
    const languageChanged = applied.type !== binding.type || applied.language !== binding.language;
    if (languageChanged) {
      effects.push(this.compartments.language.reconfigure(languageFor(binding.type, binding.language)));
    }
    if (applied.readOnly !== binding.readOnly || applied.label !== binding.label) {
      effects.push(
        this.compartments.readOnly.reconfigure([
          readOnlyFor(binding.readOnly),
          EditorView.contentAttributes.of({ 'aria-label': binding.label }),
        ]),
      );
    }
    if (effects.length > 0) view.dispatch({ effects });
    this.applied = {
      type: binding.type,
      language: binding.language,
      readOnly: binding.readOnly,
      label: binding.label,
    };
    if (languageChanged) this.whenLanguageLoaded(binding);
  }

  private destroy(): void {
    this.view?.destroy();
    this.view = null;
    this.bound = null;
    this.applied = null;
  }
}
