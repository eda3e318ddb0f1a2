import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  type CreatedActivity,
  createActivityApi,
  joinApi,
  openDashboard,
  screens,
} from './helpers/dashboard.js';
import { poll, useStack } from './helpers/stack.js';

// The dashboard fits every screen of a lesson (issue 21, blocker 3): no
// horizontal scrolling of the page, the join code never under the QR code,
// every row's actions on screen, names never broken inside a word; at
// 1024×768 the copies table starts on the first screen.

const stack = useStack();
const names = ['Marie-Françoise Dupont-Aignan', 'Léa', 'Maximilien Robespierre'];

/** The rectangles of each word of `selector`'s texts: a word broken across lines has two. */
const brokenWords = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const broken: string[] = [];
    for (const el of document.querySelectorAll(sel)) {
      const node = el.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) continue;
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/[^\s-]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    return broken;
  }, selector);

const overlaps = (a: DOMRect | null, b: DOMRect | null) =>
  !!a && !!b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('the dashboard at the sizes of a lesson', () => {
  let activity: CreatedActivity;
  const widths: string[] = [];

  it('has pupils in it', async () => {
    activity = await createActivityApi(stack, { title: 'Boucles et listes' });
    for (const name of names) await joinApi(stack, activity.code, name);
  });

  for (const screen of screens) {
    it(`fits ${screen.name}`, async () => {
      const page = await openDashboard(stack, activity, screen.options);
      await expect.poll(() => page.locator('table.copies tbody tr').count(), poll).toBe(names.length);
      await expect.poll(() => page.locator('svg.qr path').count(), poll).toBe(1);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      widths.push(`${screen.name}: document ${scrollWidth} px wide for a ${innerWidth} px viewport`);
      // A phone lays out a page wider than its screen at that width, then zooms out.
      expect(innerWidth).toBe(screen.options.viewport?.width);
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);

      const rect = (selector: string) =>
        page.locator(selector).evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
      expect(overlaps(await rect('.join-code'), await rect('svg.qr'))).toBe(false);

      for (const name of names) {
        const row = page.locator('table.copies tbody tr').filter({ hasText: name.split(' ')[0]! });
        for (const label of ['Ouvrir', 'Suivre']) {
          const link = row.getByRole('link', { name: label, exact: false }).first();
          await link.scrollIntoViewIfNeeded();
          const box = await link.boundingBox();
          expect(box, `${label} of ${name}`).not.toBeNull();
          expect(box!.x, `${label} of ${name} at ${screen.name}`).toBeGreaterThanOrEqual(0);
          expect(box!.x + box!.width, `${label} of ${name} at ${screen.name}`).toBeLessThanOrEqual(
            innerWidth,
          );
        }
      }
      expect(await brokenWords(page, 'table.copies .member')).toEqual([]);

      if (screen.name === '1024×768') {
        // The table starts on the first screen: its first row is visible without scrolling.
        await page.evaluate(() => window.scrollTo(0, 0));
        const first = await page
          .locator('table.copies tbody tr')
          .first()
          .evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
        expect(first.bottom).toBeLessThanOrEqual(768);
      }
      await page.context().close();
    });
  }

  it('reports the widths', () => {
    console.log(`dashboard widths:\n${widths.join('\n')}`);
  });
});
