import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  type CreatedActivity,
  createActivityApi,
  joinApi,
  offScreenRowControls,
  openDashboard,
  screens,
  teacherCall,
} from './helpers/dashboard.js';
import { poll, useStack } from './helpers/stack.js';

// The dashboard fits every screen of a lesson (issue 21, blocker 3): no
// horizontal scrolling of the page, the join code never under the QR code,
// every row's actions on screen, names never broken inside a word; at
// 1024×768 the copies table starts on the first screen. Every control of
// every row (Ouvrir, Suivre, Supprimer la copie, the state select and its
// Appliquer/Annuler, the hand-in download) fits across the screen without a
// sideways scroll of the page or of the table; the activity's settings
// (deadline, copies cap, link revocation) wait behind "Réglages de
// l'activité", so that at 1024×768 the first copy ends on the first screen.

const stack = useStack();
const names = ['Marie-Françoise Dupont-Aignan', 'Léa', 'Maximilien Robespierre'];
// A pupil who types an e-mail address as a name: one long word, which made the
// names' column so wide that the row's last action went past the table's edge.
const address = 'camille.lefebvre2012@exemple.fr';

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
    // A deadline and a cap, as a real lesson has: the settings then show the most.
    activity = await createActivityApi(stack, {
      title: 'Boucles et listes',
      deadline: '2030-06-14T14:00:00Z',
      maxCopies: 35,
    });
    const joined = [];
    for (const name of names) joined.push(await joinApi(stack, activity.code, name));
    await joinApi(stack, activity.code, address);
    // A handed-in copy has one more control: the download of its hand-in.
    await teacherCall(stack, activity, 'POST', `/copies/${joined[1]!.copy.id}/handin`);
    // Grades are free text of up to 40 characters: they must not widen the table either.
    await teacherCall(stack, activity, 'PATCH', `/copies/${joined[1]!.copy.id}`, { grade: '17,5/20' });
    await teacherCall(stack, activity, 'PATCH', `/copies/${joined[2]!.copy.id}`, {
      grade: 'Très bien, revoir la boucle while',
    });
  });

  for (const screen of screens) {
    it(`fits ${screen.name}`, async () => {
      const page = await openDashboard(stack, activity, screen.options);
      await expect.poll(() => page.locator('table.copies tbody tr').count(), poll).toBe(names.length + 1);
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

      // A state chosen but not applied adds Appliquer and Annuler to its row.
      const last = names[names.length - 1]!;
      await page.getByRole('combobox', { name: `État de la copie de ${last}` }).selectOption('corrected');
      await page
        .getByRole('button', { name: `Annuler le changement d’état de la copie de ${last}` })
        .waitFor();
      await page.locator('.handin-download').waitFor();
      // Every control of every row fits across, the table's scroll box included.
      expect(await offScreenRowControls(page), `row controls cut off at ${screen.name}`).toEqual([]);
      const actions = page.locator('table.copies tbody tr').first().locator('.row-actions > *');
      expect(await actions.count()).toBe(3);

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
      // The address may break (it is longer than a phone's line); the names may not.
      const broken = await brokenWords(page, 'table.copies .member');
      expect(broken.filter((word) => !address.includes(word))).toEqual([]);

      if (screen.name === '1024×768') {
        // The table starts on the first screen: its first row is visible without scrolling.
        await page.evaluate(() => window.scrollTo(0, 0));
        const settings = page.locator('details.settings');
        expect(await settings.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
        const first = await page
          .locator('table.copies tbody tr')
          .first()
          .evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
        widths.push(`1024×768: first copy row ends at ${Math.round(first.bottom)} px (settings closed)`);
        expect(first.bottom).toBeLessThanOrEqual(768);
        // A row's actions stand on one line, so rows stay one line high.
        const tops = await actions.evaluateAll((els) =>
          els.map((el) => Math.round(el.getBoundingClientRect().top)),
        );
        expect(new Set(tops).size, `row action tops ${tops.join(', ')}`).toBe(1);
        // The outputs notice is one line; its reason opens from the keyboard.
        const notice = page.locator('.outputs-notice');
        const lineHeight = await notice
          .locator('p')
          .first()
          .evaluate((el) => el.getBoundingClientRect().height);
        expect(lineHeight).toBeLessThanOrEqual(24);
        expect(await page.locator('#outputs-why').isVisible()).toBe(false);
        const why = notice.getByRole('button', { name: 'Pourquoi ?' });
        await why.focus();
        await page.keyboard.press('Enter');
        await page.locator('#outputs-why').waitFor();
        expect(await why.getAttribute('aria-expanded')).toBe('true');
        expect(await page.locator('#outputs-why').textContent()).toContain(
          'même dans les cellules verrouillées',
        );
      }

      // The settings open from the keyboard, and fit too.
      const summary = page.locator('details.settings > summary');
      await summary.focus();
      await page.keyboard.press('Enter');
      await page.locator('#dash-deadline').waitFor();
      await page.locator('#dash-max').waitFor();
      const revoke = page.getByRole('button', { name: 'Révoquer les anciens liens' });
      await revoke.waitFor();
      for (const control of [page.locator('#dash-deadline'), page.locator('#dash-max'), revoke]) {
        const box = (await control.boundingBox())!;
        expect(box.x, `settings at ${screen.name}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `settings at ${screen.name}`).toBeLessThanOrEqual(innerWidth);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(innerWidth);
      await page.context().close();
    });
  }

  it('reports the widths', () => {
    console.log(`dashboard widths:\n${widths.join('\n')}`);
  });
});
