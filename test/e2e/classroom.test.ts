import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  callNotebookApi,
  poll,
  putNotebook,
  savedLocally,
  sourcesOf,
  statusOf,
  useStack,
} from './helpers/stack.js';

// The classroom around the cells: a new empty notebook that the keys fill,
// follow mode (a pupil follows the teacher), and a room deleted and
// re-created while a browser kept its copy.

const stack = useStack();

const online = (page: Page) => page.locator('.status[data-status="online"]').waitFor();

const notebookOf = (sources: string[]) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: sources.map((source, i) => ({
    id: `c${i + 1}`,
    cell_type: 'code',
    metadata: {},
    source,
    outputs: [],
    execution_count: null,
  })),
});

/** True when the cell `id` of `page` is entirely in the browser's viewport. */
const inView = (page: Page, id: string) =>
  page.locator(`candyce-cell[data-cell-id="${id}"]`).evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= -2 && box.bottom <= innerHeight + 2;
  });

describe('a new empty notebook', () => {
  it('adds a first cell with B (and A) in command mode, with nothing selected', async () => {
    const page = await stack.open('empty-room', { name: 'Inès', role: 'teacher' });
    await online(page);
    await page.locator('.cells > .empty').waitFor();
    await page.keyboard.press('b');
    await expect.poll(() => page.locator('candyce-cell').count(), poll).toBe(1);
    await page.locator('candyce-cell .cm-content').waitFor();
    await page.keyboard.type('premier = 1');
    await expect.poll(() => sourcesOf(page), poll).toEqual(['premier = 1']);
    // Deleting the last cell leaves the notebook empty and ready for A.
    await page.keyboard.press('Escape');
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => page.locator('candyce-cell').count(), poll).toBe(0);
    await page.keyboard.press('a');
    await expect.poll(() => page.locator('candyce-cell').count(), poll).toBe(1);
    await page.locator('candyce-cell .cm-content').waitFor();
    await page.keyboard.type('encore = 2');
    await expect.poll(() => sourcesOf(page), poll).toEqual(['encore = 2']);
  });
});

describe('follow mode', () => {
  it('moves the follower’s view with the scroll and the cell of the person followed, until the follower acts', async () => {
    const sources = Array.from({ length: 60 }, (_, i) => `ligne_${i + 1} = ${i + 1}`);
    await putNotebook(stack, 'follow-room', notebookOf(sources));
    const teacher = await stack.open('follow-room', { name: 'Mme Durand', role: 'teacher' });
    const pupil = await stack.open('follow-room', { name: 'Tom' });
    await online(teacher);
    await online(pupil);
    await expect.poll(() => pupil.locator('candyce-cell').count(), poll).toBe(60);
    expect(await inView(pupil, 'c60')).toBe(false);

    // The people are behind one button (issue 21): open the list, then follow.
    await pupil.locator('candyce-notebook .people-toggle').click();
    await pupil.getByRole('button', { name: 'Suivre Mme Durand' }).click();
    await pupil.getByText('Vous suivez Mme Durand').waitFor();
    // The teacher scrolls, without moving her cursor: the pupil's view scrolls along.
    expect(await inView(pupil, 'c30')).toBe(false);
    await teacher
      .locator('candyce-cell[data-cell-id="c30"]')
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expect.poll(() => inView(pupil, 'c30'), poll).toBe(true);
    // The teacher goes to the far end of the notebook: the pupil's view follows.
    await teacher.locator('candyce-cell[data-cell-id="c1"]').click({ position: { x: 20, y: 10 } });
    await teacher.keyboard.press('End');
    await expect.poll(() => inView(pupil, 'c60'), poll).toBe(true);
    await expect
      .poll(() => pupil.locator('candyce-cell[active]').getAttribute('data-cell-id'), poll)
      .toBe('c60');

    // The pupil's own click leaves follow mode: the teacher's next move is not followed.
    await pupil.locator('candyce-cell[data-cell-id="c59"]').click({ position: { x: 20, y: 10 } });
    await expect.poll(() => pupil.getByText('Vous suivez Mme Durand').count(), poll).toBe(0);
    // The list closed with that click: the button is read where it is, hidden.
    expect(
      await pupil
        .getByRole('button', { name: 'Suivre Mme Durand', includeHidden: true })
        .getAttribute('aria-pressed'),
    ).toBe('false');
    await teacher.keyboard.press('Home');
    // Once the pupil's page shows the teacher in cell 1, her move has arrived.
    await expect
      .poll(() => pupil.locator('.person:not(.self) .meta').textContent(), poll)
      .toContain('cellule 1');
    expect(await pupil.locator('candyce-cell[active]').getAttribute('data-cell-id')).toBe('c59');
    expect(await inView(pupil, 'c1')).toBe(false);
  });
});

describe('a room deleted and re-created while a browser kept its copy', () => {
  it('offers to keep the local copy or open the new version, and merges nothing stale', async () => {
    await putNotebook(stack, 'stale-room', notebookOf(['ancien = 1']));
    const context = await stack.browser.newContext();
    let page = await stack.open('stale-room', { name: 'Zoé', role: 'teacher' }, context);
    await online(page);
    await expect.poll(() => sourcesOf(page), poll).toEqual(['ancien = 1']);
    await page.locator('candyce-cell[data-cell-id="c1"]').click({ position: { x: 20, y: 10 } });
    await page.keyboard.press('b');
    await page.locator('candyce-cell').nth(1).locator('.cm-content').waitFor();
    await page.keyboard.type('brouillon = 1');
    await expect.poll(() => sourcesOf(page), poll).toEqual(['ancien = 1', 'brouillon = 1']);
    const server = async () =>
      (
        (await callNotebookApi(stack, 'GET', 'stale-room')) as { cells: { source: string | string[] }[] }
      ).cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    await expect.poll(server, poll).toEqual(['ancien = 1', 'brouillon = 1']);
    await savedLocally(page);
    await page.close();

    // Meanwhile the teacher deletes the room and creates it again.
    await callNotebookApi(stack, 'DELETE', 'stale-room');
    await putNotebook(stack, 'stale-room', notebookOf(['nouveau = 2']));

    page = await stack.open('stale-room', { name: 'Zoé', role: 'teacher' }, context);
    const dialog = page.getByRole('alertdialog', { name: 'Ce carnet a été supprimé puis recréé' });
    await dialog.waitFor();
    expect(await statusOf(page)).toBe('stale');
    // Keep my copy: the .ipynb of what this browser had.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Garder ma copie (.ipynb)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('stale-room.ipynb');
    const kept = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      cells: { source: string | string[] }[];
    };
    expect(kept.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))).toEqual([
      'ancien = 1',
      'brouillon = 1',
    ]);
    expect(await server()).toEqual(['nouveau = 2']);

    // Open the new version: this browser's copy is dropped, the server's room is shown.
    await dialog.getByRole('button', { name: 'Ouvrir la nouvelle version' }).click();
    await online(page);
    await expect.poll(() => sourcesOf(page), poll).toEqual(['nouveau = 2']);
    expect(await dialog.count()).toBe(0);
    expect(await server()).toEqual(['nouveau = 2']);
    await context.close();
  });
});
