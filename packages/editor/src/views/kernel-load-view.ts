import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';
import type { KernelLoad } from '../run/cell-runner.js';

const megabytes = (bytes: number): string => String(Math.round(bytes / 1e6));

/** Returns the words of a kernel's start in the user's language ("Python se charge… 4 / 13 Mo"), or '' when there is nothing to say. */
export const kernelText = (t: Translate, load: KernelLoad): string => {
  if (load.state === 'failed') return t('kernel.failed');
  if (load.state !== 'loading') return '';
  // Under half a megabyte the count would read "0 Mo".
  if (load.loaded < 500_000) return t('kernel.loading');
  if (load.total > 0)
    return t('kernel.loadingOf', {
      loaded: megabytes(Math.min(load.loaded, load.total)),
      total: megabytes(load.total),
    });
  return t('kernel.loadingBytes', { loaded: megabytes(load.loaded) });
};

/**
 * The share of the download (0 to 4, in quarters) that a screen reader is
 * told of: the visible text changes with every megabyte, the announcement
 * only at the start, each quarter and the end.
 */
export const kernelStep = (load: KernelLoad): number =>
  load.state === 'loading' && load.total > 0 ? Math.min(3, Math.floor((load.loaded / load.total) * 4)) : 0;

/** Returns the kernel indicator shown beside the connection state while Python loads (or failed). */
export const kernelLoadView = (t: Translate, load: KernelLoad): TemplateResult | typeof nothing => {
  const text = kernelText(t, load);
  if (!text) return nothing;
  return html`<span class="kernel-status kernel-${load.state}" part="kernel-status" data-kernel=${load.state}>
    <span class="dot" aria-hidden="true"></span>${text}
  </span>`;
};
