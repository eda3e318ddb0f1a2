import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeCell as code } from './fixtures/notebooks.js';
import { axeViolations, joinActivity, visit } from './helpers/classroom.js';
import { cellOf as cell, outputText, putNotebook, useStack } from './helpers/stack.js';

// The kernel selector of the notebook header, in Chromium on the real stack
// (no Jupyter server): a teacher switches a notebook from Python to SQL by
// keyboard, a second person's page switches live and runs SQL; a notebook
// naming a kernel this deployment lacks says so; an activity created with the
// SQL kernel gives pupils SQL copies whose selector is read-only.

const stack = useStack();
const poll = { timeout: 90_000, interval: 200 };

const notebook = (kernelspec: unknown, source: string) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec },
  cells: [code('q', source)],
});

const python = { name: 'python3', display_name: 'Python 3', language: 'python' };
const selector = (page: Page) => page.locator('candyce-notebook header .kernel select');
const kernelOf = (page: Page) =>
  page.locator('candyce-notebook header [data-kernel]').getAttribute('data-kernel', { timeout: 1000 });
const selectCell = (page: Page, id: string) => cell(page, id).click({ position: { x: 20, y: 10 } });

describe('choosing the kernel of a notebook', () => {
  let teacher: Page;
  let bob: Page;

  beforeAll(async () => {
    await putNotebook(stack, 'choice-room', notebook(python, 'SELECT 6 * 7 AS reponse;'));
    teacher = await stack.open('choice-room', { name: 'Mme Roy', role: 'teacher', kernel: 'pyodide' });
    bob = await stack.open('choice-room', { name: 'Bob', role: 'teacher', kernel: 'pyodide' });
    for (const page of [teacher, bob]) await page.locator('.status[data-status="online"]').waitFor();
  });

  it('shows the kernel and where it runs, and switches everyone live when chosen by keyboard', async () => {
    expect(await selector(teacher).locator('option:checked').textContent()).toBe('Python (navigateur)');
    expect(await selector(teacher).getAttribute('data-kernel')).toBe('pyodide');
    // Keyboard only: Tab reaches the selector (right after the title), the arrow picks the next kernel.
    await teacher.locator('candyce-notebook header h2').click();
    await teacher.keyboard.press('Tab');
    expect(
      await teacher.evaluate(
        () => document.querySelector('candyce-notebook')?.shadowRoot?.activeElement?.tagName,
      ),
    ).toBe('SELECT');
    await teacher.keyboard.press('ArrowDown');
    await expect.poll(() => kernelOf(teacher), poll).toBe('sql');
    await expect.poll(() => kernelOf(bob), poll).toBe('sql');
    expect(await selector(bob).locator('option:checked').textContent()).toBe('SQL (navigateur)');
    // Bob runs the cell: SQLite in his browser answers.
    await selectCell(bob, 'q');
    await bob.keyboard.press('Shift+Enter');
    await expect.poll(() => outputText(teacher, 'q'), poll).toMatch(/42/);
    expect(await axeViolations(teacher)).toEqual([]);
    // Undo (the toolbar's button) puts Python back, for Bob too.
    await teacher.locator('candyce-notebook header .toolbar button.undo').click();
    await expect.poll(() => kernelOf(bob), poll).toBe('pyodide');
  }, 120_000);

  it('says plainly when the notebook asks for a kernel this deployment does not offer, and offers the choice', async () => {
    await putNotebook(stack, 'r-room', notebook({ name: 'ir', display_name: 'R', language: 'R' }, '1 + 1'));
    const page = await stack.open('r-room', { name: 'Inès', role: 'teacher', kernel: 'pyodide' });
    const notice = page.locator('candyce-notebook .kernel-missing');
    await expect.poll(() => notice.textContent(), poll).toMatch(/noyau « R », que ce serveur ne propose pas/);
    expect(await selector(page).locator('option:checked').textContent()).toBe('R (?)');
    await selector(page).selectOption('pyodide');
    await expect.poll(() => notice.count(), poll).toBe(0);
    expect(await kernelOf(page)).toBe('pyodide');
  }, 60_000);

  it.each([
    { name: 'a phone (390×844)', width: 390, height: 844, scale: 1 },
    { name: '400 % zoom of 1024×768', width: 256, height: 192, scale: 4 },
  ])(
    'fits $name: the selector shows its kernel inside the header',
    async ({ width, height, scale }) => {
      const context = await stack.browser.browser.newContext({
        viewport: { width, height },
        deviceScaleFactor: scale,
      });
      const page = await stack.open(
        'choice-room',
        { name: 'Zoé', role: 'teacher', kernel: 'pyodide' },
        context,
      );
      await page.locator('.status[data-status="online"]').waitFor();
      const box = await selector(page).boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      expect(box!.height).toBeLessThan(48);
      // Its label reads whole, and it covers neither the connection status nor the people.
      expect(await selector(page).evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      const overlaps = await page.evaluate(() => {
        const root = document.querySelector('candyce-notebook')?.shadowRoot;
        const rect = (sel: string) => root?.querySelector(sel)?.getBoundingClientRect();
        const k = rect('.kernel select');
        return ['.status', '.presence']
          .map(rect)
          .filter(
            (r) => r && k && r.left < k.right && k.left < r.right && r.top < k.bottom && k.top < r.bottom,
          ).length;
      });
      expect(overlaps).toBe(0);
      // No horizontal scrolling of the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await context.close();
    },
    60_000,
  );
});

describe('an activity created with the SQL kernel', () => {
  it('gives pupils SQL copies whose kernel is the teacher’s, read-only', async () => {
    const home = await visit(stack, '/');
    await home.getByLabel('Titre de l’activité').fill('Requêtes');
    await home.locator('#act-file').setInputFiles({
      name: 'requetes.ipynb',
      mimeType: 'application/x-ipynb+json',
      buffer: Buffer.from(JSON.stringify(notebook(python, 'SELECT 40 + 2 AS total;'))),
    });
    // The uploaded notebook's kernel is preselected; the teacher picks SQL.
    await expect.poll(() => home.locator('#act-kernel').inputValue(), poll).toBe('pyodide');
    expect(await home.locator('#act-kernel option').allTextContents()).toEqual([
      'Python (navigateur)',
      'SQL (navigateur)',
    ]);
    await home.getByLabel('Noyau').selectOption('sql');
    await home.getByRole('button', { name: 'Créer l’activité' }).click();
    await home.getByRole('link', { name: 'Ouvrir le tableau de bord' }).click();
    await home.locator('.join-code').waitFor();
    const joinCode = (await home.locator('.join-code').getAttribute('data-code')) ?? '';
    const pupil = await joinActivity(stack, joinCode, 'Léa');
    const fixed = pupil.locator('candyce-notebook header button.kernel-fixed');
    await fixed.waitFor();
    // The header shows before the copy has synced (the room name says it is a copy): wait for its kernel.
    await expect.poll(() => fixed.getAttribute('data-kernel'), poll).toBe('sql');
    expect(await fixed.getAttribute('aria-disabled')).toBe('true');
    expect(await fixed.getAttribute('title')).toMatch(/SQL \(navigateur\).*L’enseignant a choisi le noyau/);
    expect(await pupil.locator('candyce-notebook header .kernel select').count()).toBe(0);
    await selectCell(pupil, 'q');
    await pupil.keyboard.press('Shift+Enter');
    await expect.poll(() => outputText(pupil, 'q'), poll).toMatch(/42/);
  }, 120_000);
});
