// @vitest-environment jsdom
import { render } from 'lit';
import { describe, expect, it } from 'vitest';
import { commentFormView, commentsView } from '../src/cells/cell-comments.js';
import { translator } from '../src/i18n/translate.js';

const t = translator('fr');
const hostile = '<img src=x onerror="window.__pwned=1">';

describe('commentsView', () => {
  it('shows comments and their authors as text, never as HTML', () => {
    const root = document.createElement('div');
    render(
      commentsView([{ id: 'k1', text: hostile, author: hostile, at: '2026-11-28T10:00:00Z' }], {
        t,
        lang: 'fr',
        n: 2,
      }),
      root,
    );
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('.comment-text')?.textContent).toBe(hostile);
    expect(root.querySelector('.comment-author')?.textContent).toBe(hostile);
    expect(root.querySelector('aside')?.getAttribute('aria-label')).toBe(
      'Commentaires de l’enseignant·e sur la cellule 2',
    );
    // Only the teacher gets a delete button.
    expect(root.querySelector('.comment-delete')).toBeNull();
  });

  it('renders nothing without comments, and a delete button that names its comment for the teacher', () => {
    const root = document.createElement('div');
    render(commentsView([], { t, lang: 'fr', n: 1 }), root);
    expect(root.querySelector('aside')).toBeNull();
    const deleted: string[] = [];
    render(
      commentsView([{ id: 'k9', text: 'Bien' }], { t, lang: 'fr', n: 1, onDelete: (id) => deleted.push(id) }),
      root,
    );
    const button = root.querySelector<HTMLButtonElement>('.comment-delete')!;
    expect(button.textContent?.replace(/\s+/g, ' ').trim()).toBe('Supprimer ce commentaire de la cellule 1');
    button.click();
    expect(deleted).toEqual(['k9']);
  });
});

describe('commentFormView', () => {
  it('sends the trimmed text, refuses an empty one, and cancels with Escape', () => {
    const root = document.createElement('div');
    document.body.append(root);
    const sent: string[] = [];
    let cancelled = 0;
    render(
      commentFormView(
        t,
        3,
        (text) => sent.push(text),
        () => cancelled++,
      ),
      root,
    );
    const area = root.querySelector('textarea')!;
    const form = root.querySelector('form')!;
    expect(root.querySelector('label')?.textContent).toContain('Votre commentaire sur la cellule 3');
    area.value = '   ';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(sent).toEqual([]);
    expect(area.getAttribute('aria-invalid')).toBe('true');
    area.value = '  Relisez la consigne.  ';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(sent).toEqual(['Relisez la consigne.']);
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(cancelled).toBe(1);
    root.remove();
  });
});
