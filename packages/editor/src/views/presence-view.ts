import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';
import type { Person } from '../presence/people.js';

/** What the presence list needs besides the people. */
export interface PresenceViewOptions {
  t: Translate;
  /** The position (1-based) of a cell, by id, or 0 when the cell is gone. */
  cellNumber: (id: string) => number;
  following: number | null;
  onFollow: (clientId: number | null) => void;
}

/** Returns the list of people in the room: colour, name, role, which cell, and a follow button for the others. */
export const presenceView = (people: readonly Person[], o: PresenceViewOptions): TemplateResult => {
  const { t } = o;
  return html`<ul class="people" part="presence" aria-label=${t('presence.label')}>
    ${people.map((p) => {
      const n = p.cell ? o.cellNumber(p.cell) : 0;
      const followed = o.following === p.clientId;
      return html`<li class="person ${p.self ? 'self' : ''} ${followed ? 'followed' : ''}" data-client=${p.clientId}>
        <span class="avatar" style="background:${p.color}" aria-hidden="true">${p.name.slice(0, 1).toUpperCase()}</span>
        <span class="who">
          <span class="name">${p.self ? t('presence.you', { name: p.name }) : p.name}</span>
          <span class="meta">${t(`role.${p.role}`)}${n ? html` · ${t('presence.inCell', { n })}` : nothing}</span>
        </span>
        ${
          p.self
            ? nothing
            : html`<button type="button" class="follow" aria-pressed=${followed ? 'true' : 'false'}
                @click=${() => o.onFollow(followed ? null : p.clientId)}>
                ${followed ? t('presence.unfollow') : t('presence.follow')}<span class="visually-hidden"> ${p.name}</span>
              </button>`
        }
      </li>`;
    })}
  </ul>`;
};
