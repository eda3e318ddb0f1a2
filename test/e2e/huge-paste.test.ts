// A paste too large for one message: before, the editor sent it, the server
// closed the connection (1009) and every reconnection sent it again, so the
// pupil's later edits never left the browser and nothing said why. Now the
// cell refuses the paste and says so; the room and the connection carry on.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { poll, putNotebook, sourcesOf, statusOf, useStack } from './helpers/stack.js';

const stack = useStack();

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source: 'x = 1', outputs: [], execution_count: null }],
};

/** Pastes `length` characters into the editor of cell c1 of `page`, as the clipboard would. */
const paste = (page: Page, length: number) =>
  page.locator('candyce-cell[data-cell-id="c1"] .cm-content').evaluate((content, n) => {
    const data = new DataTransfer();
    data.setData('text/plain', `# ${'y'.repeat(n - 2)}`);
    content.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, length);

describe('a huge paste', () => {
  it('is refused by the cell, which says why, and the connection carries on', async () => {
    await putNotebook(stack, 'paste-room', notebook);
    const teacher = await stack.open('paste-room', { name: 'Prof', role: 'teacher' });
    const pupil = await stack.open('paste-room', { name: 'Ada', role: 'student' });
    await expect.poll(() => statusOf(pupil), poll).toBe('online');
    await pupil.locator('candyce-cell[data-cell-id="c1"] .cm-content').click();
    await paste(pupil, 3 * 1024 * 1024);
    const alert = pupil.locator('candyce-cell[data-cell-id="c1"] .insert-refused');
    await expect.poll(() => alert.textContent(), poll).toMatch(/^Collage refusé : 3.145.728 caractères/);
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await sourcesOf(pupil)).toEqual(['x = 1']);
    // Still connected: the next edits reach the teacher, and the notice goes once the cell changes.
    await paste(pupil, 10_000);
    await expect.poll(async () => (await sourcesOf(teacher))[0]!.length, poll).toBe(10_005);
    expect(await statusOf(pupil)).toBe('online');
    await expect.poll(() => alert.count(), poll).toBe(0);
  });
});
