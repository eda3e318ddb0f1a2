import { type CellType, sourceOf, type YCell } from '@candyce/model';
import { ContextConsumer } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { type NotebookSession, sessionContext } from '../context.js';
import type { NotebookCommand } from '../keys/commands.js';
import type { Person } from '../presence/people.js';
import { renderMarkdown } from '../render/markdown.js';
import { loadMath, type MathRenderer } from '../render/math.js';
import { type OutputContext, renderOutput } from '../render/outputs.js';
import { addonsView, type CellAddon } from './cell-addons.js';
import {
  type CellComment,
  type CommentDeleteDetail,
  type CommentDetail,
  commentFormView,
  commentsView,
} from './cell-comments.js';
import { type CellViewModel, readCellView } from './cell-view-model.js';
import { CodeEditorController } from './code-editor-controller.js';
import type { CodeLanguage } from './code-language.js';
import { maxInsertChars } from './editor-extensions.js';
import { inputPromptView, type PendingInput } from './input-prompt.js';

/** Detail of the `candyce-cell-command` event: a command asked from a cell (keys or its toolbar). */
export interface CellCommandDetail {
  cellId: string;
  command:
    | NotebookCommand
    | 'lock'
    | 'unlock'
    | 'duplicate'
    | 'insert-markdown-below'
    | 'run-all'
    | 'run-below'
    | 'comment'
    | 'comment-cancel'
    | `type-${CellType}`;
}

/** Detail of the `candyce-cell-activate` event: the user went into a cell. */
export interface CellActivateDetail {
  cellId: string;
  editing: boolean;
}

let math: MathRenderer | null = null;

/**
 * One cell of a notebook: its source in CodeMirror (or rendered, for markdown
 * not being edited), its outputs, execution count, lock and who is in it. It
 * renders into the notebook's shadow root (no shadow root of its own), so the
 * notebook's styles and `::part` names reach it. It changes nothing itself:
 * commands go up as `candyce-cell-command` events.
 */
export class CandyceCell extends LitElement {
  static override properties = {
    cell: { attribute: false },
    index: { type: Number },
    total: { type: Number },
    active: { type: Boolean, reflect: true },
    editing: { type: Boolean, reflect: true },
    version: { type: Number },
    people: { attribute: false },
    queued: { type: Boolean, reflect: true },
    input: { attribute: false },
    language: { attribute: false },
    comments: { attribute: false },
    commentable: { type: Boolean },
    commentForm: { type: Boolean },
    addons: { attribute: false },
    refusedInsert: { state: true },
  };

  declare cell: YCell;
  /** 0-based position in the notebook. */
  declare index: number;
  declare total: number;
  declare active: boolean;
  declare editing: boolean;
  /** Bumped by the notebook whenever the cell's content changed, to render it again. */
  declare version: number;
  /** The other people whose cursor is in this cell. */
  declare people: readonly Person[];
  /** True while the cell waits its turn to run (in anyone's queue). */
  declare queued: boolean;
  /** The `input()` of this cell's code waiting for this user's answer, or null. */
  declare input: PendingInput | null;
  /** The notebook's language (from its kernelspec), for the highlighting of code cells. */
  declare language: CodeLanguage;
  /** The comments on this cell (written by a teacher; shown as text). */
  declare comments: readonly CellComment[];
  /** True when this user may comment on the cell (the page says so: a teacher). */
  declare commentable: boolean;
  /** True while the form that writes a comment on this cell is open. */
  declare commentForm: boolean;
  /** The page's add-ons, rendered under the cell (see cell-addons.ts). */
  declare addons: readonly CellAddon[];
  /** Characters of the last paste refused as too large (see maxInsertChars), until the cell changes. */
  declare refusedInsert: number | null;

  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private readonly editor = new CodeEditorController(this, () => this.editorBinding());
  private view: CellViewModel | null = null;
  private markdownCache: { source: string; math: boolean; html: string; hasMath: boolean } | null = null;

  constructor() {
    super();
    this.index = 0;
    this.total = 0;
    this.active = false;
    this.editing = false;
    this.version = 0;
    this.people = [];
    this.queued = false;
    this.input = null;
    this.language = 'python';
    this.comments = [];
    this.commentable = false;
    this.commentForm = false;
    this.addons = [];
  }

  protected override updated(changed: PropertyValues): void {
    // A new question of input() takes the keyboard focus: the code waits for it.
    if (changed.has('input') && this.input) {
      this.querySelector<HTMLInputElement>('.input-prompt input')?.focus();
    }
    // An opened comment form takes the focus, so the keyboard writes into it.
    if (changed.has('commentForm') && this.commentForm) {
      this.querySelector<HTMLTextAreaElement>('.comment-form textarea')?.focus();
    }
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Moves the keyboard focus into the cell's source editor (creating it if needed). */
  focusEditor(): void {
    this.editor.focus();
  }

  /** True when the source editor has the keyboard focus. */
  get editorFocused(): boolean {
    return this.editor.view?.hasFocus ?? false;
  }

  private get showsEditor(): boolean {
    return this.view?.type !== 'markdown' || this.editing || this.view.source === '';
  }

  private editorBinding() {
    const session = this.session.value;
    const view = this.view;
    if (!session || !view || !this.cell) return null;
    const container = this.showsEditor ? this.querySelector<HTMLElement>('.editor') : null;
    return {
      container,
      text: sourceOf(this.cell),
      awareness: session.awareness,
      type: view.type,
      language: this.language,
      readOnly: !view.editable,
      label: session.t('cell.source', { n: this.index + 1 }),
      trackOrigin: (origin: unknown) => session.undo.trackOrigin(origin),
      onCommand: (command: NotebookCommand) => this.command(command),
      onFocus: () => this.activate(true),
      onInsertRefused: (chars: number) => {
        this.refusedInsert = chars;
      },
    };
  }

  private command(command: CellCommandDetail['command']): boolean {
    this.dispatchEvent(
      new CustomEvent<CellCommandDetail>('candyce-cell-command', {
        detail: { cellId: this.view?.id ?? '', command },
        bubbles: true,
        composed: true,
      }),
    );
    return true;
  }

  private emitPublic<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private renderComments(session: NotebookSession, view: CellViewModel): TemplateResult {
    const n = this.index + 1;
    return html`${commentsView(this.comments, {
      t: session.t,
      lang: session.lang,
      n,
      ...(this.commentable
        ? {
            onDelete: (commentId: string) =>
              this.emitPublic<CommentDeleteDetail>('candyce-comment-delete', { cellId: view.id, commentId }),
          }
        : {}),
    })}
    ${
      this.commentable && this.commentForm
        ? commentFormView(
            session.t,
            n,
            (text) => this.emitPublic<CommentDetail>('candyce-comment', { cellId: view.id, text }),
            () => this.command('comment-cancel'),
          )
        : nothing
    }`;
  }

  private activate(editing: boolean): void {
    this.dispatchEvent(
      new CustomEvent<CellActivateDetail>('candyce-cell-activate', {
        detail: { cellId: this.view?.id ?? '', editing },
        bubbles: true,
        composed: true,
      }),
    );
  }

  protected override willUpdate(changed: PropertyValues): void {
    // The notice of a refused paste stays until the cell's content changes.
    if (changed.has('version') && this.refusedInsert) this.refusedInsert = null;
    const session = this.session.value;
    if (session && this.cell) this.view = readCellView(this.cell, session.role, session.readonly);
    this.setAttribute('role', 'group');
    this.tabIndex = this.active ? 0 : -1;
    if (session && this.view) {
      this.setAttribute(
        'aria-label',
        session.t('cell.label', {
          n: this.index + 1,
          total: this.total,
          type: session.t(`cell.type.${this.view.type}`),
        }),
      );
      this.dataset.cellId = this.view.id;
      this.dataset.type = this.view.type;
    }
  }

  private needMath = (): void => {
    if (math) return;
    loadMath().then(
      (m) => {
        math = m;
        this.markdownCache = null;
        this.requestUpdate();
      },
      () => undefined,
    );
  };

  private renderMarkdownCell(session: NotebookSession, view: CellViewModel): TemplateResult {
    if (view.source.trim() === '')
      return html`<p class="placeholder">${session.t('cell.markdownPlaceholder')}</p>`;
    const cache = this.markdownCache;
    if (!cache || cache.source !== view.source || cache.math !== (math !== null)) {
      const out = renderMarkdown(view.source, { math, attachments: view.attachments }, session.sanitizer);
      this.markdownCache = { source: view.source, math: math !== null, html: out.html, hasMath: out.hasMath };
    }
    if (this.markdownCache!.hasMath && !math) this.needMath();
    return html`<div class="markdown" part="markdown" @dblclick=${() => view.editable && this.command('edit')}>
      ${unsafeHTML(this.markdownCache!.html)}
    </div>`;
  }

  private renderGutter(session: NotebookSession, view: CellViewModel): TemplateResult {
    const waiting = view.type === 'code' && !view.running && this.queued;
    const prompt =
      view.type !== 'code' ? '' : view.running || waiting ? '[*]' : `[${view.executionCount ?? ' '}]`;
    return html`<div class="gutter" part="gutter">
      <span class="prompt ${view.running ? 'running' : ''} ${waiting ? 'queued' : ''}" aria-hidden="true">${prompt}</span>
      ${view.running ? html`<span class="spinner" role="img" aria-label=${session.t('cell.running')}></span>` : nothing}
      ${waiting ? html`<span class="waiting" role="img" aria-label=${session.t('cell.waiting')} title=${session.t('cell.waiting')}>⏳</span>` : nothing}
      ${
        view.locked
          ? html`<span class="lock" part="lock" role="img" aria-label=${session.t('cell.locked')} title=${session.t('cell.locked')}
              ><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path fill="currentColor" d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 1 0-4 0v2z"/></svg
            ></span>`
          : nothing
      }
    </div>`;
  }

  private renderToolbar(session: NotebookSession, view: CellViewModel): TemplateResult | typeof nothing {
    if (!this.active || (session.readonly && !this.commentable)) return nothing;
    const t = session.t;
    const n = this.index + 1;
    const teacher = session.role === 'teacher';
    const comment = this.commentable
      ? html`<button type="button" class="comment-add" aria-expanded=${this.commentForm ? 'true' : 'false'}
          @click=${() => this.command(this.commentForm ? 'comment-cancel' : 'comment')}>${t('comments.add')}</button>`
      : nothing;
    if (session.readonly)
      return html`<div class="cell-toolbar" part="cell-toolbar" role="toolbar" aria-label=${t('cell.toolbar', { n })}>${comment}</div>`;
    return html`<div class="cell-toolbar" part="cell-toolbar" role="toolbar" aria-label=${t('cell.toolbar', { n })}>
      ${
        view.type === 'code'
          ? html`<button type="button" class="run" @click=${() => this.command('run')} ?disabled=${!session.runner.available}
              title=${session.runner.available ? t('toolbar.run.title') : t('kernel.unavailable')}>▶ ${t('cell.run')}</button>`
          : nothing
      }
      <select aria-label=${t('cell.typeSelect')} .value=${view.type} ?disabled=${!view.editable}
        @change=${(e: Event) => this.command(`type-${(e.target as HTMLSelectElement).value as CellType}`)}>
        <option value="code" ?selected=${view.type === 'code'}>${t('cell.type.code')}</option>
        <option value="markdown" ?selected=${view.type === 'markdown'}>${t('cell.type.markdown')}</option>
        <option value="raw" ?selected=${view.type === 'raw'}>${t('cell.type.raw')}</option>
      </select>
      <button type="button" @click=${() => this.command('move-up')} ?disabled=${this.index === 0} aria-label=${t('cell.moveUp')} title=${t('cell.moveUp')}>↑</button>
      <button type="button" @click=${() => this.command('move-down')} ?disabled=${this.index >= this.total - 1} aria-label=${t('cell.moveDown')} title=${t('cell.moveDown')}>↓</button>
      <button type="button" @click=${() => this.command('duplicate')} aria-label=${t('cell.copy')} title=${t('cell.copy')}><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path fill="currentColor" d="M5 1h9v11H5V1zm2 2v7h5V3H7zM2 4h2v9h7v2H2V4z"/></svg></button>
      ${
        teacher
          ? html`<button type="button" class="lock-toggle" aria-pressed=${view.locked ? 'true' : 'false'}
              @click=${() => this.command(view.locked ? 'unlock' : 'lock')}>${view.locked ? t('cell.unlock') : t('cell.lock')}</button>`
          : nothing
      }
      <button type="button" class="danger" @click=${() => this.command('delete')} ?disabled=${!view.deletable} aria-label=${t('cell.delete')} title=${t('cell.delete')}>✕</button>
      ${comment}
    </div>`;
  }

  private renderOutputs(session: NotebookSession, view: CellViewModel): TemplateResult | typeof nothing {
    if (view.type !== 'code' || view.outputs.length === 0) return nothing;
    const ctx: OutputContext = {
      t: session.t,
      sanitizer: session.sanitizer,
      math,
      needMath: this.needMath,
      cellNumber: this.index + 1,
      frameUrl: session.outputFrameUrl,
    };
    return html`<div class="outputs" part="outputs" role="group" aria-label=${session.t('cell.outputs', { n: this.index + 1 })}>
      ${view.outputs.map((o) => renderOutput(ctx, o))}
    </div>`;
  }

  protected override render(): TemplateResult | typeof nothing {
    const session = this.session.value;
    const view = this.view;
    if (!session || !view) return nothing;
    const here = this.people.filter((p) => !p.self);
    const border = here[0]?.color;
    return html`<div
      class="cell ${view.type} ${view.running ? 'is-running' : ''} ${this.queued && !view.running ? 'is-queued' : ''} ${view.locked ? 'is-locked' : ''} ${here.length ? 'has-people' : ''}"
      part="cell ${view.type}-cell"
      style=${border ? `--person-color:${border}` : ''}
      aria-busy=${view.running ? 'true' : 'false'}
      @click=${(e: Event) => {
        // A click that put the caret in the editor is edit mode already (CodeMirror may have
        // redrawn the clicked node, so the click can land on an ancestor of the editor).
        if (this.editorFocused) return;
        if (!(e.target as Element).closest('.cm-editor, .source, button, select, a, .comment-form'))
          this.activate(false);
      }}
    >
      ${this.renderGutter(session, view)}
      <div class="main">
        ${
          here.length
            ? html`<div class="people-here">${here.map(
                (p) =>
                  html`<span class="person-tag" style="background:${p.color}">${session.t('cell.editingBy', { name: p.name })}</span>`,
              )}</div>`
            : nothing
        }
        ${
          this.showsEditor
            ? html`<div class="source" part="source">
                <div class="editor"></div>
                ${this.editor.mounted ? nothing : html`<pre class="source-preview" @click=${() => this.command('edit')}>${view.source || ' '}</pre>`}
              </div>
              ${
                this.refusedInsert
                  ? html`<p class="notice error insert-refused" role="alert">${session.t(
                      'cell.insertTooLarge',
                      {
                        n: this.refusedInsert.toLocaleString(session.lang),
                        max: maxInsertChars.toLocaleString(session.lang),
                      },
                    )}</p>`
                  : nothing
              }`
            : this.renderMarkdownCell(session, view)
        }
        ${this.renderOutputs(session, view)}
        ${this.input && view.type === 'code' ? inputPromptView(session.t, this.input) : nothing}
        ${this.renderComments(session, view)}
        ${addonsView(this.addons, { id: view.id, index: this.index, type: view.type, active: this.active, lang: session.lang })}
      </div>
      ${this.renderToolbar(session, view)}
    </div>`;
  }
}
