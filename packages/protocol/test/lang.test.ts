import { describe, expect, it } from 'vitest';
import { langOfAcceptLanguage } from '../src/index.js';

describe('the language of an Accept-Language header', () => {
  it('takes the preferred of French and English, by q value then by order', () => {
    expect(langOfAcceptLanguage('en-GB,en;q=0.9,fr;q=0.8')).toBe('en');
    expect(langOfAcceptLanguage('de-DE,de;q=0.9,en;q=0.5,fr;q=0.7')).toBe('fr');
    expect(langOfAcceptLanguage('fr-CA, en')).toBe('fr');
    expect(langOfAcceptLanguage('en;q=0.3, fr;q=0.3')).toBe('en');
    expect(langOfAcceptLanguage('EN-us')).toBe('en');
  });

  it('answers French when the header is absent, names neither, or refuses English', () => {
    expect(langOfAcceptLanguage(undefined)).toBe('fr');
    expect(langOfAcceptLanguage('')).toBe('fr');
    expect(langOfAcceptLanguage('de, it;q=0.5')).toBe('fr');
    expect(langOfAcceptLanguage('en;q=0, de')).toBe('fr');
    expect(langOfAcceptLanguage(';;;,,,q=')).toBe('fr');
  });

  it('reads a header of many thousand parts in linear time', () => {
    const header = `${'xx;q=0.1,'.repeat(20_000)}en`;
    const started = performance.now();
    expect(langOfAcceptLanguage(header)).toBe('en');
    // Generous: a quadratic parse of 20,000 parts would take seconds.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
