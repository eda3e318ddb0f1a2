import { describe, expect, it } from 'vitest';
import { en, fr } from '../src/i18n/catalogue.js';
import { resolveLang, translator } from '../src/i18n/translate.js';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('the catalogues', () => {
  it('have the same keys in French and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
  });

  it('have no empty message', () => {
    for (const catalogue of [fr, en])
      for (const text of Object.values(catalogue)) expect(text.trim()).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]));
    }
  });
});

describe('translator', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('en');
    expect(t('cell.label', { n: 2, total: 5, type: 'code' })).toBe('Cell 2 of 5, code');
    expect(t('cell.label', { n: 2 })).toBe('Cell 2 of {total}, {type}');
  });

  it('speaks French unless asked for English', () => {
    expect(resolveLang('en-GB')).toBe('en');
    expect(resolveLang('fr-FR')).toBe('fr');
    expect(resolveLang('de')).toBe('fr');
    expect(resolveLang(null)).toBe('fr');
    expect(translator('fr')('status.online')).toBe('En ligne');
  });
});
