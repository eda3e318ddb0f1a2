import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';

/**
 * A teacher's comment on a cell, as the classroom API returns it. Comments
 * live beside the notebook (never in the shared document nor in the exported
 * .ipynb); the page that hosts the editor gives them to it.
 */
export interface CellComment {
  id: string;
  text: string;
  /** Who wrote it (a display name), when known. */
  author?: string;
  /** When, as an ISO date. */
  at?: string;
}

/** Comments by cell id: what the notebook's `comments` property takes. */
export type CellComments = Readonly<Record<string, readonly CellComment[]>>;

/** Detail of the `candyce-comment` event: the user wrote a comment on a cell. */
export interface CommentDetail {
  cellId: string;
  text: string;
}

/** Detail of the `candyce-comment-delete` event: the user asked to remove a comment. */
export interface CommentDeleteDetail {
  cellId: string;
  commentId: string;
}

/** Longest comment the form accepts (the API may refuse less). */
export const maxCommentLength = 2000;

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * Groups a list of comments as the classroom API returns them
 * (`{ id, cell_id, text, author, at }`) by cell, oldest first. Entries that
 * are not well-formed are skipped: the list comes from the network.
 */
export const commentsByCell = (list: unknown): CellComments => {
  // No prototype: a cell id such as `__proto__` is a key like any other.
  const byCell: Record<string, CellComment[]> = Object.create(null);
  if (!Array.isArray(list)) return byCell;
  for (const entry of list) {
    if (!entry || typeof entry !== 'object') continue;
    const { id, cell_id, text, author, at } = entry as Record<string, unknown>;
    if (!isString(id) || !isString(cell_id) || !isString(text)) continue;
    const comment: CellComment = { id, text };
    if (isString(author)) comment.author = author;
    if (isString(at)) comment.at = at;
    if (!Object.hasOwn(byCell, cell_id)) byCell[cell_id] = [];
    byCell[cell_id]!.push(comment);
  }
  for (const comments of Object.values(byCell))
    comments.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
  return byCell;
};

/** Returns the comments of `cellId` in `comments` (none when absent). */
export const commentsOf = (
  comments: CellComments | null | undefined,
  cellId: string,
): readonly CellComment[] => (comments && Object.hasOwn(comments, cellId) ? (comments[cellId] ?? []) : []);

const timeOf = (at: string | undefined, lang: string): string => {
  if (!at) return '';
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' });
};

/** What the comments of one cell need to render. */
export interface CommentsViewOptions {
  t: Translate;
  lang: string;
  /** The cell's 1-based number, for labels. */
  n: number;
  /** Shows a delete button on each comment (the teacher). */
  onDelete?: (commentId: string) => void;
}

/**
 * Returns the comments of one cell, as text only (they are written by people;
 * never HTML), in a labelled note beside the cell.
 */
export const commentsView = (
  comments: readonly CellComment[],
  o: CommentsViewOptions,
): TemplateResult | typeof nothing => {
  if (comments.length === 0) return nothing;
  return html`<aside class="comments" part="comments" aria-label=${o.t('comments.label', { n: o.n })}>
    <ul>
      ${comments.map(
        (c) => html`<li class="comment" data-comment-id=${c.id}>
          <p class="comment-text">${c.text}</p>
          <p class="comment-meta">
            ${c.author ? html`<span class="comment-author">${c.author}</span>` : nothing}
            ${c.at ? html`<time datetime=${c.at}>${timeOf(c.at, o.lang)}</time>` : nothing}
            ${
              o.onDelete
                ? html`<button type="button" class="comment-delete" @click=${() => o.onDelete?.(c.id)}>
                    ${o.t('comments.delete')}<span class="visually-hidden"> ${o.t('comments.deleteWhich', { n: o.n })}</span>
                  </button>`
                : nothing
            }
          </p>
        </li>`,
      )}
    </ul>
  </aside>`;
};

/**
 * Returns the form that writes a comment on one cell: a labelled text area,
 * send and cancel. Ctrl+Enter sends, Escape cancels.
 */
export const commentFormView = (
  t: Translate,
  n: number,
  onSend: (text: string) => void,
  onCancel: () => void,
): TemplateResult => {
  const submit = (e: Event) => {
    e.preventDefault();
    const form = (e.target as HTMLElement).closest('form')!;
    const area = form.querySelector('textarea')!;
    const text = area.value.trim();
    if (!text) {
      area.setAttribute('aria-invalid', 'true');
      area.focus();
      return;
    }
    onSend(text);
  };
  return html`<form class="comment-form" @submit=${submit}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onCancel();
      } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
    }}>
    <label>${t('comments.write', { n })}
      <textarea rows="2" maxlength=${maxCommentLength} required></textarea>
    </label>
    <div class="comment-actions">
      <button type="submit" class="primary">${t('comments.send')}</button>
      <button type="button" @click=${onCancel}>${t('comments.cancel')}</button>
    </div>
  </form>`;
};
