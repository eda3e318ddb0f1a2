import type { Lang } from '@candyce/protocol';
import { html, nothing, type TemplateResult } from 'lit';

/** What an add-on knows of the cell it renders under. */
export interface AddonCell {
  readonly id: string;
  /** 0-based position in the notebook. */
  readonly index: number;
  readonly type: 'code' | 'markdown' | 'raw';
  /** True for the cell with the notebook's focus. */
  readonly active: boolean;
  readonly lang: Lang;
}

/**
 * Something a page attaches to every cell without a property of the
 * notebook's own: a grading result, a trace mark, a hint. `render` says what
 * to show under the cell: a Lit template, a DOM node, a string (shown as
 * text, never as HTML), or null for nothing. It runs at each render of the
 * cell; to show new data, give the notebook a new `addons` array. An add-on
 * that throws shows nothing in that cell and leaves the cell working.
 */
export interface CellAddon {
  /** A short name: lower-case letters, digits and `-` (the `addon-<name>` part of its box). */
  readonly name: string;
  render(cell: AddonCell): TemplateResult | Node | string | null | undefined;
}

const addonName = /^[a-z][a-z0-9-]{0,39}$/;

/** Renders the add-ons of one cell, each in its own box (`part="addon addon-<name>"`), guarded. */
export const addonsView = (
  addons: readonly CellAddon[],
  cell: AddonCell,
): TemplateResult | typeof nothing => {
  if (addons.length === 0) return nothing;
  const boxes: TemplateResult[] = [];
  for (const addon of addons) {
    if (!addonName.test(addon.name)) continue;
    let content: ReturnType<CellAddon['render']>;
    try {
      content = addon.render(cell);
    } catch (err) {
      // One page's add-on must not break the cell: it shows nothing here.
      console.warn(`candyce: the cell add-on ${addon.name} failed on cell ${cell.id}`, err);
      continue;
    }
    if (content === null || content === undefined || content === '') continue;
    boxes.push(
      html`<div class="addon" part=${`addon addon-${addon.name}`} data-addon=${addon.name}>${content}</div>`,
    );
  }
  return boxes.length === 0 ? nothing : html`${boxes}`;
};
