/** The languages Candyce speaks: French first, then English. */
export type Lang = 'fr' | 'en';

/** Every language, the default first. */
export const langs: readonly Lang[] = ['fr', 'en'];

/** True when `value` is one of the {@link langs}. */
export const isLang = (value: unknown): value is Lang => langs.includes(value as Lang);

/** `value` when it names a language, else `fallback` (French unless said otherwise). */
export const langFrom = (value: unknown, fallback: Lang = 'fr'): Lang => (isLang(value) ? value : fallback);

/**
 * The language an `Accept-Language` header asks for: the first of French and
 * English by preference (q values, then order), French when it names neither
 * or is absent. Linear in the header's length.
 */
export const langOfAcceptLanguage = (header: string | undefined): Lang => {
  if (!header) return 'fr';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'fr' || tag.startsWith('fr-')) return 'fr';
  }
  return 'fr';
};
