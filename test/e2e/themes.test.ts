import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { lesson } from './fixtures/notebooks.js';
import { axeViolations } from './helpers/classroom.js';
import { poll, putNotebook, statusOf, useStack } from './helpers/stack.js';

// The notebook's design tokens follow the system's colour scheme and contrast,
// and its `theme` attribute; the dark theme keeps WCAG AA contrast.

const stack = useStack();

// The name goes to the page as an argument: a closure's variables do not travel with
// the function Playwright sends (`name` would be the page's window.name, '').
const token = (element: Locator, name: string) =>
  element.evaluate((el, property) => getComputedStyle(el).getPropertyValue(property).trim(), name);

describe('themes', () => {
  it('follows prefers-color-scheme: dark, with no serious axe-core violation', async () => {
    await putNotebook(stack, 'dark', lesson);
    const ctx = await stack.browser.newContext({ colorScheme: 'dark' });
    try {
      const page = await stack.open('dark', { name: 'Sam', role: 'teacher', lang: 'fr' }, ctx);
      await expect.poll(() => statusOf(page), poll).toBe('online');
      await expect.poll(() => page.locator('candyce-cell .cm-content').count(), poll).toBeGreaterThan(2);
      const notebook = page.locator('candyce-notebook');
      expect(await token(notebook, '--_bg')).toBe('#0d1117');
      expect(await axeViolations(page)).toEqual([]);
      // theme="light" wins over the system's preference, and back.
      await notebook.evaluate((el) => el.setAttribute('theme', 'light'));
      expect(await token(notebook, '--_bg')).toBe('#ffffff');
      await notebook.evaluate((el) => el.removeAttribute('theme'));
      expect(await token(notebook, '--_bg')).toBe('#0d1117');
    } finally {
      await ctx.close();
    }
  });

  it('takes theme="dark" on a light system, and stronger borders under prefers-contrast: more', async () => {
    await putNotebook(stack, 'themed', lesson);
    const ctx = await stack.browser.newContext({ colorScheme: 'light', contrast: 'more' });
    try {
      const page = await stack.open('themed', { name: 'Kim', role: 'teacher', lang: 'en' }, ctx);
      await expect.poll(() => statusOf(page), poll).toBe('online');
      const notebook = page.locator('candyce-notebook');
      expect(await token(notebook, '--_bg')).toBe('#ffffff');
      expect(await token(notebook, '--_border')).toBe('#1f2328');
      await notebook.evaluate((el) => el.setAttribute('theme', 'dark'));
      expect(await token(notebook, '--_bg')).toBe('#0d1117');
      expect(await token(notebook, '--_border')).toBe('#c9d1d9');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('stays usable under forced colours', async () => {
    await putNotebook(stack, 'forced', lesson);
    const ctx = await stack.browser.newContext({ forcedColors: 'active' });
    try {
      const page = await stack.open('forced', { name: 'Lou', role: 'teacher', lang: 'fr' }, ctx);
      await expect.poll(() => statusOf(page), poll).toBe('online');
      await expect.poll(() => page.locator('candyce-cell .cm-content').count(), poll).toBeGreaterThan(2);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
