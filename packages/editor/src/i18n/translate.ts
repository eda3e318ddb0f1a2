import { fillPlaceholders, type Lang } from '@candyce/protocol';
import { type Catalogue, en, fr, type MessageKey } from './catalogue.js';

/** The languages the editor speaks. (defined once in @candyce/protocol). */
export type { Lang };

/** The catalogues by language. */
export const catalogues: { readonly [L in Lang]: Catalogue } = { fr, en };

/** A function that returns the message `key` with its `{placeholders}` filled in. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Returns the language to use for a `lang` value: English when it starts with `en`, French otherwise. */
export const resolveLang = (value: string | null | undefined): Lang =>
  value?.toLowerCase().startsWith('en') ? 'en' : 'fr';

/**
 * Returns a translator for `lang`. A placeholder without a value stays as
 * written, so a missing parameter shows up instead of vanishing.
 */
export const translator =
  (lang: Lang): Translate =>
  (key, params) =>
    fillPlaceholders(catalogues[lang][key] ?? fr[key], params);
