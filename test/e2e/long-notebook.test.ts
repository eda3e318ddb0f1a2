import { describe, expect, it } from 'vitest';
import { largeNotebook } from './fixtures/notebooks.js';
import { cellOf, notebookOf, poll, putNotebook, useStack } from './helpers/stack.js';

// A 200-cell notebook on an old laptop: cells are rendered in slices and
// their editors created only near the viewport, a few at a time. Nothing of
// that may show: every cell's text is on the page (the browser's find sees
// it), the keyboard walks through all of them, a click types into any.

const stack = useStack();

describe('a 200-cell notebook', () => {
  it('has every cell, with few editors created, and keyboard, find and typing reach the last ones', async () => {
    await putNotebook(stack, 'long', largeNotebook(200));
    const page = await stack.open('long', { name: 'Alice', role: 'teacher' });
    await expect.poll(() => page.locator('candyce-cell').count(), poll).toBe(200);
    // The text of a cell far below is there to find, before anyone scrolls to it.
    expect(await cellOf(page, 'c197').locator('.source').textContent()).toContain('x = 197');
    // Editors exist only near the viewport: far fewer than the 150 code cells.
    await expect.poll(() => page.locator('candyce-cell .cm-editor').count(), poll).toBeGreaterThan(0);
    expect(await page.locator('candyce-cell .cm-editor').count()).toBeLessThan(60);
    expect(await cellOf(page, 'c197').locator('.cm-editor').count()).toBe(0);

    // The keyboard walks down from the first cell to ones whose editor did not exist.
    await cellOf(page, 'c1').click({ position: { x: 20, y: 10 } });
    for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => cellOf(page, 'c61').getAttribute('active'), poll).toBe('');
    await page.keyboard.press('Enter');
    await page.keyboard.type('# ici ');
    await expect
      .poll(
        async () => [(await notebookOf(page)).cells.find((c) => c.id === 'c61')?.source].flat().join(''),
        poll,
      )
      .toContain('# ici x = 61');

    // A click far below creates that cell's editor at once, and what is typed lands in the document.
    await cellOf(page, 'c197').locator('.source').scrollIntoViewIfNeeded();
    await cellOf(page, 'c197').locator('.source').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' # fin');
    await expect
      .poll(
        async () => [(await notebookOf(page)).cells.find((c) => c.id === 'c197')?.source].flat().join(''),
        poll,
      )
      .toContain('# fin');
  }, 120_000);

  it("creates the first screen's editors before rendering the next slice of cells", async () => {
    await putNotebook(stack, 'long-first', largeNotebook(200));
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    // How many cells exist at the end of the task that created the first editor (a mutation
    // observer's callback runs at the end of that task). The script is a string: tsx would wrap
    // named functions in a helper the page does not have.
    await page.addInitScript(`(() => {
      if (window !== window.top) return;
      const attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) {
        const root = attach.call(this, init);
        if (this.localName === 'candyce-notebook')
          new MutationObserver((_, observer) => {
            if (!root.querySelector('candyce-cell .cm-editor')) return;
            window.__cellsAtFirstEditor = root.querySelectorAll('candyce-cell').length;
            observer.disconnect();
          }).observe(root, { childList: true, subtree: true });
        return root;
      };
    })()`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const q = new URLSearchParams({ name: 'Alice', role: 'teacher', kernel: 'none' });
    await page.goto(`${stack.web.url}/n/long-first?${q}`);
    await page.waitForFunction(
      () => (window as { __cellsAtFirstEditor?: number }).__cellsAtFirstEditor,
      undefined,
      {
        timeout: 60_000,
      },
    );
    // The first slice (20 cells), not the first slice and the next one (60).
    expect(
      await page.evaluate(() => (window as { __cellsAtFirstEditor?: number }).__cellsAtFirstEditor),
    ).toBeLessThanOrEqual(20);
    await expect.poll(() => page.locator('candyce-cell').count(), { ...poll, timeout: 60_000 }).toBe(200);
    await context.close();
  }, 120_000);
});
