import { describe, expect, it } from 'vitest';
import { lesson } from './fixtures/notebooks.js';
import { poll, putNotebook, statusOf, useStack } from './helpers/stack.js';

// A page attaches things to every cell (a grading result, a trace mark)
// through the notebook's `addons`, without a property of its own: each add-on
// renders under each cell, as text unless it gives a template or a node; one
// that throws leaves the cell and the other add-ons working.

const stack = useStack();

describe('cell add-ons', () => {
  it('renders each add-on under each cell, text as text, and survives one that throws', async () => {
    await putNotebook(stack, 'addons', lesson);
    const page = await stack.open('addons', { name: 'Sam', role: 'teacher', lang: 'fr' });
    await expect.poll(() => statusOf(page), poll).toBe('online');
    await expect.poll(() => page.locator('candyce-cell').count(), poll).toBeGreaterThan(2);
    const cells = await page.locator('candyce-cell').count();
    await page.locator('candyce-notebook').evaluate((el) => {
      (el as HTMLElement & { addons: unknown }).addons = [
        {
          name: 'grade',
          render: (cell: { index: number; type: string }) =>
            cell.type === 'code' ? `<b>${cell.index}</b> pts` : null,
        },
        {
          name: 'broken',
          render: () => {
            throw new Error('add-on bug');
          },
        },
        {
          name: 'mark',
          render: (cell: { id: string }) => {
            const mark = document.createElement('span');
            mark.className = 'trace-mark';
            mark.textContent = `vu ${cell.id}`;
            return mark;
          },
        },
      ];
    });
    await expect.poll(() => page.locator('[data-addon="mark"] .trace-mark').count(), poll).toBe(cells);
    const codeCells = await page
      .locator('candyce-cell[data-cell-type="code"], candyce-cell:has(.cm-content)')
      .count();
    const grades = page.locator('[data-addon="grade"]');
    expect(await grades.count()).toBe(codeCells);
    // A string is text: the markup shows as typed, no <b> element is made.
    expect(await grades.first().textContent()).toMatch(/^<b>\d+<\/b> pts$/);
    expect(await page.locator('[data-addon="grade"] b').count()).toBe(0);
    expect(await page.locator('[data-addon="broken"]').count()).toBe(0);
    // The cells still work: typing in the first code cell lands in it.
    await page.locator('candyce-cell .cm-content').first().click();
    await page.keyboard.type('# ok');
    await expect
      .poll(() => page.locator('candyce-cell .cm-content').first().textContent(), poll)
      .toContain('# ok');
    // A new array renders them again; an empty one removes them.
    await page.locator('candyce-notebook').evaluate((el) => {
      (el as HTMLElement & { addons: unknown }).addons = [];
    });
    await expect.poll(() => page.locator('.addon').count(), poll).toBe(0);
  });
});
