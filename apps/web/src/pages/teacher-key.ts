import { html, nothing, type TemplateResult } from 'lit';
import type { WebMessageKey } from '../catalogue.js';
import type { CreatedActivity } from '../classroom/api.js';
import { dashboardPath, withToken } from '../routes.js';

/** What the key panel needs from its page: the messages and a way to say "copied". */
export interface KeyPanelHost {
  t(key: WebMessageKey, params?: Record<string, string>): string;
  notify(message: string): void;
}

/** The full dashboard link of a created activity, with its token: the key. */
export const keyLinkOf = (created: CreatedActivity): string =>
  `${location.origin}${withToken(dashboardPath(created.id), created.teacherToken)}`;

/**
 * The panel the creation page shows once an activity exists: its dashboard
 * link is the only key to it, so the teacher copies it, e-mails it to
 * themself or prints it, and notes the teacher code (shown this once), which
 * recovers the activity on another computer. Then a real link to the dashboard.
 */
export const renderKeyPanel = (host: KeyPanelHost, created: CreatedActivity): TemplateResult => {
  const link = keyLinkOf(created);
  const code = created.teacherCode ?? '';
  const mail = `mailto:?subject=${encodeURIComponent(host.t('key.mail.subject', { title: created.title }))}&body=${encodeURIComponent(
    host.t('key.mail.body', { title: created.title, link, code }),
  )}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      host.notify(host.t('key.copied'));
    } catch {
      // No clipboard (an insecure origin): select the link, the teacher copies it.
      const field = document.getElementById('key-link') as HTMLInputElement | null;
      field?.select();
    }
  };
  return html`<section class="key-panel" aria-labelledby="key-title">
    <h2 id="key-title" tabindex="-1">${host.t('key.title', { title: created.title })}</h2>
    <p class="notice warning">${host.t('key.text')}</p>
    <label for="key-link">${host.t('key.link')}</label>
    <input id="key-link" class="key-link" readonly .value=${link} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
    <div class="row wrap no-print">
      <button type="button" @click=${copy}>${host.t('key.copy')}</button>
      <a class="button" href=${mail}>${host.t('key.mail')}</a>
      <button type="button" @click=${() => window.print()}>${host.t('key.print')}</button>
    </div>
    ${
      code
        ? html`<p class="key-code-label">${host.t('key.code')}</p>
            <p class="key-code" data-code=${code}><span aria-hidden="true">${code}</span><span class="visually-hidden">${[...code].join(' ')}</span></p>
            <p class="help">${host.t('key.code.help')}</p>`
        : nothing
    }
    <p class="no-print"><a class="button primary-link" href=${withToken(dashboardPath(created.id), created.teacherToken)}>${host.t('key.open')}</a></p>
  </section>`;
};
