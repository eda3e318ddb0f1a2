// One Tab stop for the whole toolbar (the WAI-ARIA toolbar pattern): the
// arrow keys, Home and End move between its buttons; Tab leaves it. The
// notebook's header would otherwise cost a keyboard user ten stops before the
// first cell.

const buttonsOf = (toolbar: HTMLElement): HTMLElement[] =>
  [...toolbar.querySelectorAll<HTMLElement>(':scope > button')].filter(
    (b) => !(b as HTMLButtonElement).disabled && b.getClientRects().length > 0,
  );

/**
 * Gives `tabindex="0"` to one button of `toolbar` (the one with
 * `data-key=current` when it is there and usable, else the first) and -1 to
 * the others. Call it after each render.
 */
export const syncToolbarFocus = (toolbar: HTMLElement | null, current: string | null): void => {
  if (!toolbar) return;
  const all = [...toolbar.querySelectorAll<HTMLElement>(':scope > button')];
  const usable = buttonsOf(toolbar);
  const chosen = usable.find((b) => b.dataset.key === current) ?? usable[0];
  for (const b of all) b.tabIndex = b === chosen ? 0 : -1;
};

/**
 * Handles the arrow keys, Home and End on `toolbar`; returns the `data-key`
 * of the button that got the focus, or null when the key is not the toolbar's.
 */
export const moveToolbarFocus = (toolbar: HTMLElement, e: KeyboardEvent): string | null => {
  const keys = ['ArrowRight', 'ArrowLeft', 'Home', 'End'];
  if (!keys.includes(e.key) || e.altKey || e.ctrlKey || e.metaKey) return null;
  const buttons = buttonsOf(toolbar);
  if (buttons.length === 0) return null;
  const root = toolbar.getRootNode() as Document | ShadowRoot;
  const at = buttons.indexOf(root.activeElement as HTMLElement);
  const last = buttons.length - 1;
  const next =
    e.key === 'Home'
      ? 0
      : e.key === 'End'
        ? last
        : e.key === 'ArrowRight'
          ? at < 0 || at === last
            ? 0
            : at + 1
          : at <= 0
            ? last
            : at - 1;
  e.preventDefault();
  const target = buttons[next]!;
  for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
  target.focus();
  return target.dataset.key ?? null;
};
