import { html, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';

/** An `input()` of this cell's code waiting for this user's answer. */
export interface PendingInput {
  /** Unique in the page, for the ids of the prompt's elements. */
  id: number;
  /** The question the code printed (`input("Nom ? ")`), possibly empty. */
  prompt: string;
  /** True for `getpass()`: the answer is not shown. */
  password: boolean;
  /** Sends `value` to the code. */
  answer(value: string): void;
  /** Refuses to answer: the run is interrupted. */
  cancel(): void;
}

/**
 * Returns the inline prompt of an `input()`: a text field labelled with the
 * question the code asked, Enter sends, Escape cancels (and interrupts).
 * The question is already on screen, just above, in the cell's output (where
 * everyone sees it): the label says it to screen readers only, so that it
 * does not show twice.
 */
export const inputPromptView = (t: Translate, pending: PendingInput): TemplateResult => {
  const field = `candyce-input-${pending.id}`;
  const asked = pending.prompt.trim();
  return html`<form class="input-prompt" part="input-prompt"
    @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      const input = (e.currentTarget as HTMLFormElement).querySelector('input');
      pending.answer(input?.value ?? '');
    }}>
    <label for=${field} class=${asked ? 'visually-hidden' : ''}>${asked || t('input.label')}</label>
    <input id=${field} type=${pending.password ? 'password' : 'text'} autocomplete="off" spellcheck="false"
      aria-describedby=${`${field}-hint`}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        e.stopPropagation();
        pending.cancel();
      }} />
    <button type="submit">${t('input.send')}</button>
    <p class="hint" id=${`${field}-hint`}>${t('input.hint')}</p>
  </form>`;
};
