import { describe, expect, it } from 'vitest';
import { fillPlaceholders, messagesOf } from '../src/index.js';

describe('messages in French and English', () => {
  const text = messagesOf({
    fr: { hello: 'Bonjour {name}, {n} cellules', plain: 'Texte' },
    en: { hello: 'Hello {name}, {n} cells', plain: 'Text' },
  });

  it('gives each key in the asked language, placeholders filled', () => {
    expect(text('fr', 'hello', { name: 'Léa', n: 3 })).toBe('Bonjour Léa, 3 cellules');
    expect(text('en', 'hello', { name: 'Lea', n: 0 })).toBe('Hello Lea, 0 cells');
    expect(text('en', 'plain')).toBe('Text');
  });

  it('leaves a placeholder without a value as written, and never fills one from the prototype', () => {
    expect(fillPlaceholders('{name} a {n}', { name: 'Ada' })).toBe('Ada a {n}');
    expect(fillPlaceholders('{constructor} {toString} {__proto__}', {})).toBe(
      '{constructor} {toString} {__proto__}',
    );
    expect(fillPlaceholders('{a}', { a: '{b}', b: 'x' })).toBe('{b}');
  });
});
