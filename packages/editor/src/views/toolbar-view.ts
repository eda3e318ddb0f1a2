import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from '../i18n/translate.js';

/** One action of the notebook's toolbar. */
export interface ToolbarItem {
  /** Stable name (`data-key`), also for the roving focus. */
  key: string;
  /** What the button shows; its accessible name. */
  label: TemplateResult | string;
  title: string;
  primary?: boolean;
  disabled?: boolean;
  /**
   * When the bar is too narrow, items go into the "More" menu by this rank,
   * lowest first; an item without one always stays on the bar.
   */
  moveRank?: number;
  /** A disclosure button: whether what it shows is open, and its id. */
  expanded?: boolean;
  controls?: string;
  run: () => void;
}

/** What the toolbar needs besides its items. */
export interface ToolbarViewOptions {
  t: Translate;
  /** Keys of the items shown in the "More" menu instead of the bar. */
  inMenu: ReadonlySet<string>;
  menuOpen: boolean;
  onMenuToggle: (open: boolean) => void;
  onKeydown: (e: KeyboardEvent) => void;
  /** A narrow bar: the "More" button shows only its symbol. */
  compact: boolean;
}

/**
 * Returns the toolbar: its items on one line, those in `inMenu` moved into
 * a "More" disclosure (a browser popover, closed on Escape or a click
 * elsewhere), in the same order.
 */
export const toolbarView = (items: readonly ToolbarItem[], o: ToolbarViewOptions): TemplateResult => {
  const { t } = o;
  const bar = items.filter((i) => !o.inMenu.has(i.key));
  const menu = items.filter((i) => o.inMenu.has(i.key));
  const button = (i: ToolbarItem, inMenu: boolean) =>
    html`<button type="button" class="${i.key} ${i.primary ? 'primary' : ''}" data-key=${i.key} title=${i.title}
      ?disabled=${i.disabled ?? false}
      aria-controls=${i.controls ?? nothing}
      aria-expanded=${i.expanded === undefined ? nothing : i.expanded ? 'true' : 'false'}
      @click=${(e: Event) => {
        if (inMenu)
          ((e.currentTarget as HTMLElement).closest('[popover]') as HTMLElement | null)?.hidePopover();
        i.run();
      }}>${i.label}</button>`;
  return html`<div class="toolbar" part="toolbar" role="toolbar" aria-label=${t('toolbar.label')} @keydown=${o.onKeydown}>
      ${bar.map((i) => button(i, false))}
      ${
        menu.length
          ? html`<button type="button" class="more" data-key="more" popovertarget="candyce-more" aria-controls="candyce-more"
              aria-expanded=${o.menuOpen ? 'true' : 'false'} title=${t('toolbar.more.title')}>
              <span aria-hidden="true">⋯</span><span class=${o.compact ? 'visually-hidden' : ''}> ${t('toolbar.more')}</span></button>`
          : nothing
      }
    </div>
    ${
      menu.length
        ? html`<div id="candyce-more" class="menu-popover" role="group" popover="auto" aria-label=${t('toolbar.more.title')}
            @toggle=${(e: Event) => o.onMenuToggle((e as Event & { newState?: string }).newState === 'open')}>
            ${menu.map((i) => button(i, true))}
          </div>`
        : nothing
    }`;
};
