import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';
import {
  type CurrentKernel,
  isOffered,
  type KernelCatalog,
  type KernelOption,
  kernelLabel,
  optionFields,
} from '../run/kernel-choice.js';

/** What the kernel selector needs. */
export interface KernelViewOptions {
  t: Translate;
  current: CurrentKernel;
  catalog: KernelCatalog;
  /** A classroom copy: the teacher chose the kernel. */
  fixed: boolean;
  /** Nothing can be changed (viewer, handed in…). */
  readonly: boolean;
  onChoose: (option: KernelOption) => void;
}

/** Returns the words of a kernel's label ("Python (navigateur)"). */
const wordsOf = (t: Translate) => ({ browser: t('kernel.browser'), server: t('kernel.server') });

/** Returns the label the header shows for the notebook's kernel. */
export const currentKernelLabel = (t: Translate, current: CurrentKernel): string =>
  kernelLabel(current, wordsOf(t));

/**
 * Returns the kernel selector of the notebook header: a native select (so
 * that keyboards, screen readers and phones all know it) showing the kernel
 * and where it runs, listing what the deployment offers; read-only, with the
 * reason as its title, in a classroom copy or a read-only notebook.
 */
export const kernelView = (o: KernelViewOptions): TemplateResult => {
  const { t, current, catalog } = o;
  const words = wordsOf(t);
  const label = kernelLabel(current, words);
  if (o.fixed || o.readonly) {
    const reason = o.fixed ? t('kernel.fixed', { kernel: label }) : t('kernel.readonly', { kernel: label });
    // Out of the Tab order like a disabled control (the page's first cell stays a few stops away);
    // screen readers still read its name, which gives the reason.
    return html`<button type="button" class="kernel kernel-fixed" part="kernel" data-kernel=${current.id}
      aria-disabled="true" tabindex="-1" title=${reason} aria-label=${reason}>
      <span aria-hidden="true">${label}</span></button>`;
  }
  const offered = isOffered(current, catalog);
  return html`<label class="kernel" part="kernel" title=${t('kernel.title', { kernel: label })}>
    <span class="visually-hidden">${t('kernel.label')}</span>
    <select data-kernel=${current.id} @change=${(e: Event) => {
      const select = e.currentTarget as HTMLSelectElement;
      const option = catalog.kernels.find((k) => k.id === select.value);
      if (option) o.onChoose(option);
    }}>
      ${offered ? nothing : html`<option value=${current.id} disabled .selected=${true}>${current.displayName} (?)</option>`}
      ${catalog.kernels.map(
        (k) =>
          html`<option value=${k.id} .selected=${k.id === current.id}>${kernelLabel(optionFields(k), words)}</option>`,
      )}
    </select>
  </label>`;
};

/**
 * Returns the notice of a notebook whose kernel this deployment does not
 * offer (and why the server's are missing, when it is that), or nothing.
 */
export const kernelNoticeView = (o: KernelViewOptions): TemplateResult | typeof nothing => {
  const { t, current, catalog } = o;
  if (isOffered(current, catalog)) return nothing;
  const name = current.displayName;
  return html`<p class="notice warning kernel-missing" role="status">
    ${o.fixed || o.readonly ? t('kernel.missingFixed', { kernel: name }) : t('kernel.missing', { kernel: name })}
    ${
      current.location === 'server' && catalog.server.reason
        ? html` ${t('kernel.serverDown', { reason: catalog.server.reason })}`
        : nothing
    }
  </p>`;
};
