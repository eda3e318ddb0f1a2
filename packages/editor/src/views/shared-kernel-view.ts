import type { ServerSideKernel } from '@candyce/protocol';
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';
import type { SharedKernelView } from '../run/shared-kernel.js';

/** Returns where the room's kernel runs and its state, in the user's language ("Python chez Hugo : occupé"). */
export const sharedKernelText = (t: Translate, view: SharedKernelView): string => {
  if (view.where === 'none') return t('shared.none');
  const state = view.lost && view.state === 'idle' ? t('shared.state.lost') : t(`shared.state.${view.state}`);
  if (view.where === 'offline') return t('shared.offline', { state });
  if (view.where === 'server') return t('shared.server', { state });
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

/**
 * Returns the header's indicator of the room's kernel: whose browser runs
 * it, and its state. `compact` (a narrow header) shows the dot and the state
 * only; the whole sentence stays its title and is read by screen readers.
 */
export const sharedKernelIndicator = (
  t: Translate,
  view: SharedKernelView,
  compact = false,
): TemplateResult => {
  const text = sharedKernelText(t, view);
  const state = view.lost && view.state === 'idle' ? 'lost' : view.state;
  return html`<span class="kernel-host" part="kernel-host" data-where=${view.where}
    data-state=${state} title=${text}>
    <span class="dot" aria-hidden="true"></span>${
      compact
        ? html`<span aria-hidden="true">${t(`shared.state.${state}`)}</span><span class="visually-hidden">${text}</span>`
        : text
    }${view.last ? html` <span class="kernel-act">${sharedActText(t, view)}</span>` : nothing}
  </span>`;
};

/** Returns the view of the room's kernel on the server (`kernel="server"`), from what the server publishes. */
export const serverKernelViewOf = (kernel: ServerSideKernel): SharedKernelView => ({
  where: 'server',
  hostName: '',
  state: kernel.state === 'none' ? 'stopped' : kernel.state,
  lost: kernel.lost
    ? kernel.by
      ? { reason: 'restart', by: kernel.by }
      : { reason: 'stopped', by: '' }
    : null,
  last: null,
  started: true,
});

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
