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
  /** True while the list is open (the button says so to screen readers). */
  open: boolean;
  /** Called when the list opens or closes (light dismiss, Escape, the button). */
  onToggle: (open: boolean) => void;
}

/** How many avatars the collapsed button shows: enough to see who is here, never a row of 25. */
const shownAvatars = 3;

const avatar = (p: Person) =>
  html`<span class="avatar" style="background:${p.color}" aria-hidden="true">${p.name.slice(0, 1).toUpperCase()}</span>`;

/**
 * Returns who is in the room, collapsed to one button (a few avatars and the
 * count) that opens the full list in a popover: colour, name, role, which
 * cell, and a follow button for the others. A class of 25 costs the header one
 * button, not 25 chips. The popover is the browser's (`popover="auto"`): it
 * sits in the top layer, so the notebook's containment does not clip it, and
 * closes on Escape or a click elsewhere; keyboard users reach it with Tab
 * right after its button.
 */
export const presenceView = (people: readonly Person[], o: PresenceViewOptions): TemplateResult => {
  const { t } = o;
  const label = t('presence.count', { n: people.length });
  return html`<div class="presence">
    <button type="button" class="people-toggle" part="presence-toggle" popovertarget="candyce-people"
      aria-expanded=${o.open ? 'true' : 'false'} aria-controls="candyce-people" title=${label}>
      <span class="avatars">${people.slice(0, shownAvatars).map(avatar)}</span>
      <span class="count" aria-hidden="true">${people.length}</span>
      <span class="visually-hidden">${label}</span>
    </button>
    <div id="candyce-people" class="people-popover" popover="auto"
      @toggle=${(e: Event) => o.onToggle((e as Event & { newState?: string }).newState === 'open')}>
      <ul class="people" part="presence" aria-label=${t('presence.label')}>
        ${people.map((p) => {
          const n = p.cell ? o.cellNumber(p.cell) : 0;
          const followed = o.following === p.clientId;
          return html`<li class="person ${p.self ? 'self' : ''} ${followed ? 'followed' : ''}" data-client=${p.clientId}>
            ${avatar(p)}
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
      </ul>
    </div>
  </div>`;
};
