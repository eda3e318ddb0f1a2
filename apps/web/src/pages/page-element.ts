import { LitElement } from 'lit';
import { fr, type WebMessageKey, webText } from '../catalogue.js';
import { ApiError } from '../classroom/api.js';

/**
 * Base of the web app's page elements: they render into the page itself (no
 * shadow root), so that app.css styles them, and speak the page's language.
 * Everything they show from the network or from people goes through Lit
 * bindings, as text.
 */
export class PageElement extends LitElement {
  static override properties = { lang: { type: String } };

  declare lang: 'fr' | 'en';

  constructor() {
    super();
    this.lang = 'fr';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Returns the message `key` in the page's language. */
  protected t(key: WebMessageKey, params?: Record<string, string>): string {
    return webText(this.lang === 'en' ? 'en' : 'fr', key, params);
  }

  /** Returns what to tell the user about a failed API call, in their language. */
  protected errorText(error: unknown, prefix: 'join' | null = null): string {
    if (error instanceof ApiError) {
      const key = `${prefix ?? 'error'}.error.${error.code}`;
      if (prefix && hasKey(key)) return this.t(key);
      if (error.code === 'network') return this.t('error.network');
      if (error.code === 'unauthorized') return this.t('error.unauthorized');
      if (error.code === 'forbidden') return this.t('error.forbidden');
      return this.t('error.generic', { message: error.message || error.code });
    }
    return this.t('error.generic', { message: error instanceof Error ? error.message : String(error) });
  }
}

const hasKey = (key: string): key is WebMessageKey => Object.hasOwn(fr, key);
