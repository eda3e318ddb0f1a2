import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Below this header width (CSS px) the toolbar turns compact (icon-only interrupt, shorter gaps). */
const compactWidth = 520;

/** What the layout reads in the notebook's shadow root. */
export interface HeaderParts {
  header: HTMLElement | null;
  toolbar: HTMLElement | null;
  /** Where cells are: it gets `--candyce-header-h`, which their scroll margin uses. */
  cells: HTMLElement | null;
}

/**
 * Keeps the sticky notebook header small, whatever the width: it moves the
 * toolbar's least needed buttons into the "More" menu, one at a time, until
 * the toolbar fits on one line (`overflow` says how many), turns `compact` on
 * narrow screens, and publishes the header's height as `--candyce-header-h`
 * on the cells, so that a cell scrolled into view (keyboard focus, follow
 * mode) stops below the header instead of under it (0 when the header is not
 * sticky, at high zoom).
 */
export class HeaderLayout implements ReactiveController {
  /** How many movable toolbar buttons are in the menu now. */
  overflow = 0;
  /** True on a narrow header. */
  compact = false;
  private observer: ResizeObserver | null = null;
  private observed: HTMLElement | null = null;
  private width = -1;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly parts: () => HeaderParts,
    /** How many toolbar buttons may go into the menu. */
    private readonly movable: () => number,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof ResizeObserver !== 'undefined') this.observer = new ResizeObserver(() => this.measure());
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.observed = null;
    this.width = -1;
  }

  hostUpdated(): void {
    const { header, toolbar } = this.parts();
    if (header !== this.observed) {
      if (this.observed) this.observer?.unobserve(this.observed);
      this.observed = header;
      if (header) {
        this.observer?.observe(header);
        this.measure();
      }
    }
    const max = this.movable();
    if (this.overflow > max) {
      this.overflow = max;
      this.host.requestUpdate();
    } else if (toolbar && toolbar.scrollWidth > toolbar.clientWidth + 1 && this.overflow < max) {
      // One more button into the menu; the next update measures again.
      this.overflow++;
      this.host.requestUpdate();
    }
  }

  private measure(): void {
    const { header, cells } = this.parts();
    if (!header) return;
    const sticky = getComputedStyle(header).position === 'sticky';
    cells?.style.setProperty('--candyce-header-h', `${sticky ? header.offsetHeight : 0}px`);
    const width = header.clientWidth;
    if (width === this.width) return;
    const grew = width > this.width;
    this.width = width;
    this.compact = width < compactWidth;
    // Wider: put every button back and let hostUpdated move out what still does not fit.
    if (grew) this.overflow = 0;
    this.host.requestUpdate();
  }
}
