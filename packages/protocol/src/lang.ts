/** The languages Candyce speaks: French first, then English. */
export type Lang = 'fr' | 'en';

/** Every language, the default first. */
export const langs: readonly Lang[] = ['fr', 'en'];

/** True when `value` is one of the {@link langs}. */
export const isLang = (value: unknown): value is Lang => langs.includes(value as Lang);

/** `value` when it names a language, else `fallback` (French unless said otherwise). */
export const langFrom = (value: unknown, fallback: Lang = 'fr'): Lang => (isLang(value) ? value : fallback);
