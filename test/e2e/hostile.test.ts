import { describe, expect, it } from 'vitest';
import { hostile } from './fixtures/notebooks.js';
import { poll, putNotebook, statusOf, useStack } from './helpers/stack.js';

// Outputs, markdown, metadata and names are written by others: none of them
// may run script in the page. Every payload tries to set window.__pwned.

const stack = useStack();

const evilName = '<img src=x onerror="window.__pwned=1">';

describe('a hostile notebook', () => {
  it('runs none of the scripts hidden in markdown, outputs, metadata or names', async () => {
    await putNotebook(stack, 'hostile', hostile);
    const victim = await stack.open('hostile', { name: 'Prof', role: 'teacher' });
    const attacker = await stack.open('hostile', { name: evilName, role: 'student' });
    await expect.poll(() => statusOf(victim), poll).toBe('online');
    await victim.locator('candyce-cell[data-cell-id="html-out"] .outputs').waitFor();
    // The attacker's name shows as text, in the presence list and on their caret.
    await attacker.locator('candyce-cell[data-cell-id="html-out"] .cm-content').click();
    await attacker.keyboard.type('#');
    await expect
      .poll(() => victim.locator('.people .person .name').allInnerTexts(), poll)
      .toContain(evilName);
    await expect
      .poll(
        () => victim.locator('candyce-cell[data-cell-id="html-out"] .cm-ySelectionInfo').textContent(),
        poll,
      )
      .toBe(evilName);
    // Math rendered (KaTeX loaded) and the sandboxed frame loaded: every payload had its chance.
    await expect
      .poll(() => victim.locator('candyce-cell[data-cell-id="md-script"] math').count(), poll)
      .toBeGreaterThan(0);
    const frame = victim.locator('iframe.output-frame');
    await expect.poll(() => frame.count(), poll).toBe(1);
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
    await expect.poll(() => frame.contentFrame().locator('#w').textContent(), poll).toBe('widget');

    for (const page of [victim, attacker]) {
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      // No script element, event handler attribute or javascript: URL made it into the notebook's DOM.
      const active = await page.evaluate(() => {
        const found: string[] = [];
        for (const el of document.querySelector('candyce-notebook')!.shadowRoot!.querySelectorAll('*')) {
          if (el.localName === 'script') found.push('script');
          for (const attr of el.attributes) {
            if (attr.name.startsWith('on')) found.push(`${el.localName}[${attr.name}]`);
            if (/^\s*javascript:/i.test(attr.value)) found.push(`${el.localName}[${attr.name}=javascript:]`);
          }
        }
        return found;
      });
      expect(active).toEqual([]);
      // The notebook is still visible: the <style> of the markdown did not hide it.
      expect(await page.locator('candyce-cell').first().isVisible()).toBe(true);
    }
  });
});
