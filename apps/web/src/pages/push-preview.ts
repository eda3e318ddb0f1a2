import { html, nothing, type TemplateResult } from 'lit';
import type { WebMessageKey } from '../catalogue.js';
import type { PreviewCell, PushPreview } from '../classroom/api.js';
import { formatDate } from '../classroom/format.js';

/** What the preview dialog needs from the dashboard. */
export interface PushPreviewHost {
  readonly lang: 'fr' | 'en';
  t(key: WebMessageKey, params?: Record<string, string>): string;
  /** Pushes the whole template (`cells` undefined) or those cells; the dialog is closed first. */
  push(cells?: string[]): void;
  close(): void;
}

const cellLabel = (host: PushPreviewHost, c: PreviewCell) =>
  c.excerpt || host.t('push.cell.empty', { type: c.type });

const section = (
  host: PushPreviewHost,
  key: 'push.added' | 'push.changed' | 'push.removed',
  cells: readonly PreviewCell[],
): TemplateResult | typeof nothing =>
  cells.length === 0
    ? nothing
    : html`<h3>${host.t(key, { n: String(cells.length) })}</h3>
        <ul class="push-cells">
          ${cells.map(
            (c) => html`<li data-cell=${c.id}>
              <span class="push-cell"><span class="help">${host.t(`push.type.${c.type === 'markdown' ? 'markdown' : c.type === 'raw' ? 'raw' : 'code'}`)}</span>
                <code>${cellLabel(host, c)}</code></span>
              <button type="button" class="compact" aria-label=${host.t('push.one.label', { cell: cellLabel(host, c) })}
                @click=${() => host.push([c.id])}>${host.t('push.one')}</button>
            </li>`,
          )}
        </ul>`;

/**
 * The dialog before a push: what changed in the template since the previous
 * push (cells added, changed, removed, with the start of each), a button to
 * push one cell alone beside each, and "push everything".
 */
export const renderPushPreview = (host: PushPreviewHost, preview: PushPreview): TemplateResult => {
  const n = preview.added.length + preview.changed.length + preview.removed.length;
  const since = preview.since
    ? host.t('push.since', { date: formatDate(preview.since, host.lang) })
    : host.t('push.since.creation');
  return html`<dialog class="push-preview" aria-labelledby="push-title" aria-describedby="push-summary"
    @close=${() => host.close()}>
    <h2 id="push-title">${host.t('push.title')}</h2>
    <p id="push-summary">${
      n === 0
        ? host.t('push.nothing', { since })
        : host.t('push.summary', {
            since,
            added: String(preview.added.length),
            changed: String(preview.changed.length),
            removed: String(preview.removed.length),
            copies: String(preview.copies),
          })
    }</p>
    ${section(host, 'push.added', preview.added)}
    ${section(host, 'push.changed', preview.changed)}
    ${section(host, 'push.removed', preview.removed)}
    ${n > 0 ? html`<p class="help">${host.t('push.one.help')}</p>` : nothing}
    <div class="row wrap">
      <button type="button" class="primary" @click=${() => host.push()}>${host.t('dash.push')}</button>
      <button type="button" autofocus @click=${() => host.close()}>${host.t('push.close')}</button>
    </div>
  </dialog>`;
};
