// Cells a teacher's pushed correction changed, highlighted on the pupil's
// page for a while. The cells live in <candyce-notebook>'s shadow root and
// are re-created when a push replaces one, so the highlight is applied again
// every half second until it ends.

const attribute = 'data-pushed';

const cellsOf = (notebook: Element, ids: ReadonlySet<string>): HTMLElement[] =>
  [...(notebook.shadowRoot?.querySelectorAll<HTMLElement>('candyce-cell[data-cell-id]') ?? [])].filter((el) =>
    ids.has(el.dataset.cellId ?? ''),
  );

const mark = (el: HTMLElement, on: boolean): void => {
  if (on) {
    el.setAttribute(attribute, '');
    el.style.setProperty('outline', '3px solid #bf8700');
    el.style.setProperty('outline-offset', '2px');
  } else if (el.hasAttribute(attribute)) {
    el.removeAttribute(attribute);
    el.style.removeProperty('outline');
    el.style.removeProperty('outline-offset');
  }
};

/**
 * Highlights the cells `ids` of `notebook` (attribute `data-pushed` and an
 * outline) for `ms` milliseconds; returns the function that ends it early.
 */
export const highlightCells = (
  notebook: Element | null,
  ids: readonly string[],
  ms = 30_000,
): (() => void) => {
  if (!notebook || ids.length === 0) return () => undefined;
  const wanted = new Set(ids);
  const apply = () => {
    for (const el of cellsOf(notebook, wanted)) mark(el, true);
  };
  apply();
  const timer = setInterval(apply, 500);
  let done = false;
  const end = () => {
    if (done) return;
    done = true;
    clearInterval(timer);
    clearTimeout(stop);
    for (const el of cellsOf(notebook, wanted)) mark(el, false);
  };
  const stop = setTimeout(end, ms);
  return end;
};

const seenKey = (copyId: string) => `candyce:push-seen:${copyId}`;

/** True when this device already told the pupil about the push made at `at` into `copyId`. */
export const pushSeen = (copyId: string, at: string): boolean => {
  try {
    return localStorage.getItem(seenKey(copyId)) === at;
  } catch {
    return false;
  }
};

/** Remembers that the pupil was told about the push made at `at`. */
export const markPushSeen = (copyId: string, at: string): void => {
  try {
    localStorage.setItem(seenKey(copyId), at);
  } catch {
    // Refused: the notice may show again on the next visit.
  }
};
