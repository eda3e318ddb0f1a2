import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crowdIn, type JoinedPupil, joinByApi } from './helpers/crowd.js';
import { poll, useStack } from './helpers/stack.js';

// The sticky notebook header of a whole-class lesson with 25 people in it
// (issue 21, blocker 4 and major 6): at every size a lesson meets, it stays
// within a quarter of the viewport (or stops being sticky on a short one), a
// cell shows below it, and a cell reached with the keyboard is never under it.
//
// Zoom is emulated as Chromium renders it: at N % a W×H window lays out a
// viewport of W/N × H/N CSS pixels with N device pixels per CSS pixel. So
// 200 % of 1024×768 is a 512×384 viewport at scale 2, 400 % is 256×192 at 4.

const stack = useStack();

/** The sizes of issue 21: laptop, tablet, phone, and zoom on the laptop and the tablet. */
const sizes = [
  { name: 'laptop 1024×768', width: 1024, height: 768, scale: 1 },
  { name: 'tablet 768×1024', width: 768, height: 1024, scale: 1 },
  { name: 'phone 390×844', width: 390, height: 844, scale: 2 },
  { name: '200 % zoom of 1024×768', width: 512, height: 384, scale: 2 },
  { name: '200 % zoom of 768×1024', width: 384, height: 512, scale: 2 },
  { name: '400 % zoom of 1024×768', width: 256, height: 192, scale: 4 },
] as const;

/** The largest share of the viewport a sticky header may take. */
const maxShare = 0.25;

/** Markdown and code cells in turn, some tall: a real lesson's rhythm. */
const lessonCells = Array.from({ length: 24 }, (_, i) =>
  i % 2 === 0
    ? {
        id: `md${i}`,
        cell_type: 'markdown',
        metadata: {},
        source: `## Partie ${i / 2 + 1}\n${'Une consigne de quelques lignes pour la classe. '.repeat(i % 4 === 0 ? 6 : 2)}`,
      }
    : {
        id: `code${i}`,
        cell_type: 'code',
        metadata: {},
        source: Array.from({ length: i % 3 === 0 ? 8 : 2 }, (_, k) => `x${k} = ${k} * ${i}`).join('\n'),
        outputs: [],
        execution_count: null,
      },
);
/** A long code cell last, for the cursor moving up inside one editor. */
lessonCells.push({
  id: 'long',
  cell_type: 'code',
  metadata: {},
  source: Array.from({ length: 60 }, (_, k) => `ligne_${k} = ${k}`).join('\n'),
  outputs: [],
  execution_count: null,
});

let pupil: JoinedPupil;
let leave: () => void = () => undefined;

beforeAll(async () => {
  const response = await fetch(`${stack.http()}/api/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'Les boucles en classe entière',
      mode: 'class',
      notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: lessonCells },
    }),
  });
  const activity = (await response.json()) as { code: string };
  const others: JoinedPupil[] = [];
  for (let i = 1; i <= 24; i++) others.push(await joinByApi(stack, activity.code, `Élève ${i}`));
  pupil = await joinByApi(stack, activity.code, 'Inès');
  leave = await crowdIn(stack, others);
}, 60_000);

afterAll(() => leave());

/** Opens the pupil's notebook at `size`; resolves once the 25 people show in it. */
const openAt = async (size: (typeof sizes)[number]): Promise<Page> => {
  const context = await stack.browser.browser.newContext({
    viewport: { width: size.width, height: size.height },
    deviceScaleFactor: size.scale,
    locale: 'fr-FR',
  });
  const page = await context.newPage();
  await page.goto(`${stack.web.url}/n/${pupil.copy.room}#token=${encodeURIComponent(pupil.token)}`);
  // The 24 others and Inès herself (an earlier page of hers may linger a few seconds more).
  await expect
    .poll(
      async () =>
        (await page.locator('candyce-notebook .people .person .name').allTextContents()).filter((n) =>
          n.startsWith('Élève '),
        ).length,
      poll,
    )
    .toBe(24);
  await expect.poll(() => page.locator('candyce-cell').count(), poll).toBe(lessonCells.length);
  return page;
};

/** The header's box and whether it sticks. */
const headerOf = (page: Page) =>
  page.locator('candyce-notebook header').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return {
      top: r.top,
      bottom: r.bottom,
      height: r.height,
      sticky: getComputedStyle(el).position === 'sticky',
    };
  });

/** How many CSS pixels of the cell `id` show in the viewport, below the header when it sticks. */
const visiblePart = async (page: Page, id: string): Promise<number> => {
  const header = await headerOf(page);
  return page.locator(`candyce-cell[data-cell-id="${id}"]`).evaluate(
    (el, below) => {
      const r = el.getBoundingClientRect();
      return Math.min(r.bottom, innerHeight) - Math.max(r.top, below, 0);
    },
    header.sticky ? header.bottom : 0,
  );
};

describe('the notebook header of a class of 25', () => {
  for (const size of sizes) {
    it(`stays small and leaves cells visible at ${size.name}`, async () => {
      const page = await openAt(size);
      const header = await headerOf(page);
      if (header.sticky) expect(header.height).toBeLessThanOrEqual(size.height * maxShare);
      // The toolbar keeps to one line: what does not fit is in "More".
      const toolbar = await page
        .locator('candyce-notebook header .toolbar')
        .evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, height: el.clientHeight }));
      expect(toolbar.scroll).toBeLessThanOrEqual(toolbar.client + 1);
      expect(toolbar.height).toBeLessThan(48);
      // Nothing of the page scrolls sideways (reflow at 400 %).
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - innerWidth),
      ).toBeLessThanOrEqual(0);
      // A cell shows below the header: the first one, scrolled to, and one deep in the lesson.
      for (const id of ['md0', 'code13']) {
        await page
          .locator(`candyce-cell[data-cell-id="${id}"]`)
          .evaluate((el) => el.scrollIntoView({ block: 'start' }));
        expect(await visiblePart(page, id)).toBeGreaterThan(Math.min(40, size.height * 0.2));
      }
      await page.context().close();
    });
  }

  it('collapses the 25 people to one button whose list opens and closes with the keyboard', async () => {
    const page = await openAt(sizes[0]);
    const toggle = page.locator('candyce-notebook .people-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('candyce-notebook .people').isVisible()).toBe(false);
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.getAttribute('aria-expanded'), poll).toBe('true');
    expect(await page.locator('candyce-notebook .people').isVisible()).toBe(true);
    // Tab goes into the list: the first follow button.
    await page.keyboard.press('Tab');
    const focused = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      });
    expect(await focused()).toMatch(/^Suivre /);
    await page.keyboard.press('Escape');
    await expect.poll(() => toggle.getAttribute('aria-expanded'), poll).toBe('false');
    expect(await page.locator('candyce-notebook .people').isVisible()).toBe(false);
    await page.context().close();
  });

  it('is one Tab stop: arrows, Home and End move along the toolbar, Shift+Tab goes back to the people', async () => {
    const page = await openAt(sizes[0]);
    const label = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.getAttribute('data-key') ?? el?.className ?? '';
      });
    await page.locator('candyce-notebook header .toolbar > button').first().focus();
    expect(await label()).toBe('add-code');
    await page.keyboard.press('ArrowRight');
    expect(await label()).toBe('add-markdown');
    await page.keyboard.press('End');
    expect(await label()).toBe('more');
    await page.keyboard.press('Home');
    expect(await label()).toBe('add-code');
    await page.keyboard.press('ArrowLeft');
    expect(await label()).toBe('more');
    // Only the button last reached is in the Tab order: Tab leaves the toolbar.
    const stops = await page
      .locator('candyce-notebook header .toolbar > button')
      .evaluateAll((buttons) => buttons.filter((b) => (b as HTMLElement).tabIndex === 0).length);
    expect(stops).toBe(1);
    await page.keyboard.press('Shift+Tab');
    expect(await label()).toContain('people-toggle');
    await page.context().close();
  });

  it('moves what does not fit on a phone into "More", usable with the keyboard', async () => {
    const page = await openAt(sizes[2]);
    const more = page.locator('candyce-notebook header .toolbar .more');
    await more.waitFor();
    expect(await page.locator('candyce-notebook header .toolbar > .download').count()).toBe(0);
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => more.getAttribute('aria-expanded'), poll).toBe('true');
    await page.locator('candyce-notebook .menu-popover .help').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Raccourcis clavier' }).waitFor();
    await page.context().close();
  });
});

describe('keyboard focus under the sticky header', () => {
  for (const size of [sizes[0], sizes[2], sizes[4]]) {
    it(`is never under the header when moving up through the cells at ${size.name}`, async () => {
      const page = await openAt(size);
      expect((await headerOf(page)).sticky).toBe(true);
      await page.locator('candyce-cell[data-cell-id="md0"]').click({ position: { x: 10, y: 10 } });
      await page.keyboard.press('Escape');
      await page.keyboard.press('End');
      const last = lessonCells.length - 1;
      await expect
        .poll(() => page.locator('candyce-cell[active]').getAttribute('data-cell-id'), poll)
        .toBe(lessonCells[last]!.id);
      for (let i = last - 1; i >= 0; i--) {
        await page.keyboard.press('ArrowUp');
        const id = lessonCells[i]!.id;
        // The focused cell's top is below the header's bottom (or the cell fills the view below it).
        await expect
          .poll(
            async () => {
              const active = await page.locator('candyce-cell[active]').getAttribute('data-cell-id');
              if (active !== id) return `active ${active}`;
              const header = await headerOf(page);
              const top = await page
                .locator(`candyce-cell[data-cell-id="${id}"]`)
                .evaluate((el) => el.getBoundingClientRect().top);
              return top >= header.bottom - 1 ? 'below' : `under the header by ${header.bottom - top}px`;
            },
            { timeout: 3000, interval: 50 },
          )
          .toBe('below');
      }
      await page.context().close();
    });
  }

  it('keeps the cursor below the header when it moves up inside a long code cell', async () => {
    const page = await openAt(sizes[0]);
    // Select the cell, edit it (Enter), go to its end.
    await page.locator('candyce-cell[data-cell-id="md0"]').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.locator('candyce-cell[data-cell-id="long"] .cm-content').waitFor();
    await page.keyboard.press('Control+End');
    const cursor = page.locator('candyce-cell[data-cell-id="long"] .cm-cursor-primary');
    for (let i = 0; i < 59; i++) {
      await page.keyboard.press('ArrowUp');
      await expect
        .poll(
          async () => {
            const header = await headerOf(page);
            const box = await cursor.boundingBox();
            if (!box) return 'no cursor';
            return box.y >= header.bottom - 1 ? 'below' : `under the header by ${header.bottom - box.y}px`;
          },
          { timeout: 3000, interval: 50 },
        )
        .toBe('below');
    }
    await page.context().close();
  }, 120_000);
});
