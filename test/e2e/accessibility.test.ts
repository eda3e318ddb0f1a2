import { describe, expect, it } from 'vitest';
import { lesson } from './fixtures/notebooks.js';
import { axeViolations } from './helpers/classroom.js';
import { poll, putNotebook, sourcesOf, statusOf, useStack } from './helpers/stack.js';

// axe-core in Chromium on the notebook page, and the keyboard alone.

const stack = useStack();

describe('accessibility', () => {
  it('has no serious or critical axe-core violation on the notebook page, in French and in English', async () => {
    await putNotebook(stack, 'a11y', lesson);
    for (const lang of ['fr', 'en'] as const) {
      const page = await stack.open('a11y', { name: 'Sam', role: 'teacher', lang });
      await expect.poll(() => statusOf(page), poll).toBe('online');
      await expect.poll(() => page.locator('candyce-cell .cm-content').count(), poll).toBeGreaterThan(2);
      expect(await axeViolations(page)).toEqual([]);
    }
  });

  it('is usable with the keyboard alone, and Tab leaves the code editor after Escape', async () => {
    const page = await stack.open('keyboard', { name: 'Kim', role: 'teacher', lang: 'en' });
    await expect.poll(() => statusOf(page), poll).toBe('online');
    // Tab to the "+ Code" button and press it.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.textContent?.trim() ?? '';
      });
      if (label === '+ Code') break;
    }
    await page.keyboard.press('Enter');
    await page.locator('candyce-cell .cm-content').first().waitFor();
    await page.keyboard.type('a = 1');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => page.locator('candyce-cell').count(), poll).toBe(2);
    await page.keyboard.type('b = 2');
    // Escape leaves the editor for the cell; Tab then moves on, out of the cell.
    await page.keyboard.press('Escape');
    const inEditor = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return Boolean(el?.closest('.cm-editor'));
      });
    expect(await inEditor()).toBe(false);
    await page.keyboard.press('Tab');
    expect(await inEditor()).toBe(false);
    await expect.poll(() => sourcesOf(page), poll).toEqual(['a = 1', 'b = 2']);
  });
});
