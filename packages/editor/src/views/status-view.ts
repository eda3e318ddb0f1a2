import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';
import { type ConnectionState, closeCode } from '../sync/connection-state.js';

/** Returns the message of a connection state, in the user's language. */
export const statusText = (t: Translate, state: ConnectionState): string => {
  switch (state.status) {
    case 'offline':
      return state.unsent ? t('status.offlineUnsent') : t('status.offline');
    case 'denied':
      return state.code === closeCode.unauthorized
        ? t('status.denied.unauthorized')
        : state.code === closeCode.forbidden
          ? t('status.denied.forbidden')
          : t('status.denied', { reason: state.reason ?? '' });
    default:
      return t(`status.${state.status}`);
  }
};

/**
 * Returns the connection indicator: always visible, with a coloured dot and
 * words (colour is never the only sign), and the read-only badge when nothing
 * can be changed.
 */
export const statusView = (
  t: Translate,
  state: ConnectionState,
  readonly: { on: boolean; viewer: boolean },
): TemplateResult => html`<div class="status-group">
  <span class="status status-${state.status} ${state.unsent ? 'unsent' : ''}" part="status" data-status=${state.status}
    data-unsent=${state.unsent ? 'true' : 'false'}>
    <span class="dot" aria-hidden="true"></span>${statusText(t, state)}
  </span>
  ${
    readonly.on
      ? html`<span class="badge readonly" part="readonly-badge">${readonly.viewer ? t('status.readonly.viewer') : t('status.readonly')}</span>`
      : nothing
  }
</div>`;
