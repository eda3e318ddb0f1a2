import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';
import type { SharedKernelView } from '../run/shared-kernel.js';

/** Returns where the room's kernel runs and its state, in the user's language ("Python chez Hugo : occupé"). */
export const sharedKernelText = (t: Translate, view: SharedKernelView): string => {
  if (view.where === 'none') return t('shared.none');
  const state = view.lost && view.state === 'idle' ? t('shared.state.lost') : t(`shared.state.${view.state}`);
  if (view.where === 'offline') return t('shared.offline', { state });
  if (view.where === 'self') return t('shared.self', { state });
  return t('shared.other', { name: view.hostName || t('shared.someone'), state });
};

/** Returns why the variables are gone, or '' when they are not. */
export const sharedLostText = (t: Translate, view: SharedKernelView): string => {
  if (!view.lost) return '';
  if (view.lost.reason === 'restart')
    return t('shared.lost.restart', { name: view.lost.by || t('shared.someone') });
  return t(`shared.lost.${view.lost.reason}`);
};

/** Returns what the last interrupt or restart says to everyone ("Inès a interrompu Python."). */
export const sharedActText = (t: Translate, view: SharedKernelView): string =>
  view.last ? t(`shared.act.${view.last.kind}`, { name: view.last.by || t('shared.someone') }) : '';

/** Returns the toolbar's indicator of the room's kernel: whose browser runs it, and its state. */
export const sharedKernelIndicator = (t: Translate, view: SharedKernelView): TemplateResult =>
  html`<span class="kernel-status kernel-host" part="kernel-host" data-where=${view.where}
    data-state=${view.lost && view.state === 'idle' ? 'lost' : view.state}>
    <span class="dot" aria-hidden="true"></span>${sharedKernelText(t, view)}${
      view.last ? html` <span class="kernel-act">${sharedActText(t, view)}</span>` : nothing
    }
  </span>`;

/**
 * Returns the notice shown to everyone while the room's kernel has lost its
 * variables, with the one-click re-run of the cells already run (in the order
 * they ran), or nothing.
 */
export const sharedLostView = (
  t: Translate,
  view: SharedKernelView,
  canRun: boolean,
  onRerun: () => void,
): TemplateResult | typeof nothing => {
  const text = sharedLostText(t, view);
  if (!text) return nothing;
  return html`<p class="notice warning kernel-lost" part="kernel-lost" role="status">
    ${text}
    ${canRun ? html` <button type="button" class="rerun" @click=${onRerun}>${t('shared.rerun')}</button>` : nothing}
  </p>`;
};
