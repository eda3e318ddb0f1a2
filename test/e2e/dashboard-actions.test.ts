import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './helpers/classroom.js';
import {
  addErrorOutput,
  type CreatedActivity,
  createActivityApi,
  joinApi,
  openDashboard,
  screens,
  teacherCall,
} from './helpers/dashboard.js';
import { poll, useStack } from './helpers/stack.js';

// The teacher's work on the dashboard (issue 21, majors 5 and 9): a state
// chosen in a row's select is applied only on "Appliquer", with the keyboard
// alone; "Ouvrir" opens in the same tab; copies sort and filter; a copy
// page goes to the previous and next copies and says when a grade is saved.

const stack = useStack();

const stateOf = async (activity: CreatedActivity, copyId: string): Promise<string> =>
  ((await teacherCall(stack, activity, 'GET', `/copies/${copyId}`)) as { state: string }).state;

const focusedName = (page: Page) =>
  page.evaluate(
    () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent,
  );

describe('changing a copy’s state from the dashboard', () => {
  for (const screen of screens) {
    it(`needs "Appliquer" after the select, keyboard only, at ${screen.name}`, async () => {
      const activity = await createActivityApi(stack, { title: `États ${screen.name}` });
      const joined = await joinApi(stack, activity.code, 'Léa');
      const page = await openDashboard(stack, activity, screen.options);
      const select = page.getByRole('combobox', { name: 'État de la copie de Léa' });
      await select.focus();
      // One arrow key changes the select, and nothing else (WCAG 3.2.2).
      await page.keyboard.press('ArrowDown');
      expect(await select.inputValue()).toBe('handed-in');
      await page.waitForTimeout(600);
      expect(await stateOf(activity, joined.copy.id)).toBe('in-progress');
      await page.keyboard.press('Tab');
      // French guillemets hold their word with no-break spaces.
      expect(await focusedName(page)).toBe('Appliquer l’état «\u00a0rendue\u00a0» à la copie de Léa');
      if (screen.name === '390×844') expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Enter');
      await expect.poll(() => stateOf(activity, joined.copy.id), poll).toBe('handed-in');
      await page.getByText('Copie de Léa : rendue.').waitFor();
      // Focus goes back to the select, which now says the applied state.
      expect(await focusedName(page)).toBe('État de la copie de Léa');
      expect(await select.inputValue()).toBe('handed-in');

      // Cancelling puts the select back, and sends nothing.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe('Annuler le changement d’état de la copie de Léa');
      await page.keyboard.press('Enter');
      await expect.poll(() => select.inputValue(), poll).toBe('handed-in');
      expect(await stateOf(activity, joined.copy.id)).toBe('handed-in');
      await page.context().close();
    });
  }
});

describe('going through the copies', () => {
  let activity: CreatedActivity;
  let dashboard: Page;
  const copies: Record<string, { token: string; copy: { id: string; room: string } }> = {};

  it('sorts the copies by errors and filters them by state', async () => {
    activity = await createActivityApi(stack, { title: 'Parcours' });
    for (const name of ['Alice', 'Bruno', 'Chloé']) copies[name] = await joinApi(stack, activity.code, name);
    await addErrorOutput(stack, copies.Bruno!.copy.room, copies.Bruno!.token, 'reponse');
    await addErrorOutput(stack, copies.Bruno!.copy.room, copies.Bruno!.token, 'reponse');
    await addErrorOutput(stack, copies.Chloé!.copy.room, copies.Chloé!.token, 'reponse');
    await teacherCall(stack, activity, 'PATCH', `/copies/${copies.Alice!.copy.id}`, { state: 'handed-in' });

    const page = await openDashboard(stack, activity, screens[0]!.options);
    const names = () => page.locator('table.copies tbody .who .member').allTextContents();
    await expect.poll(names, poll).toEqual(['Alice', 'Bruno', 'Chloé']);
    await expect
      .poll(() => page.locator('table.copies tbody .errors').allTextContents(), poll)
      .toEqual(['0', '2', '1']);
    await page.getByLabel('Trier par').selectOption('errors');
    await expect.poll(names, poll).toEqual(['Bruno', 'Chloé', 'Alice']);
    await page.getByLabel('Afficher').selectOption('handed-in');
    await expect.poll(names, poll).toEqual(['Alice']);
    await page.getByText('1 copie(s) affichée(s) sur 3.').waitFor();
    await page.getByLabel('Afficher').selectOption('errors');
    await expect.poll(names, poll).toEqual(['Bruno', 'Chloé']);
    await page.getByLabel('Afficher').selectOption('all');
    await page.getByLabel('Trier par').selectOption('name');
    await expect.poll(names, poll).toEqual(['Alice', 'Bruno', 'Chloé']);
    await page.getByLabel('Trier par').selectOption('errors');
    dashboard = page;
  });

  it('opens a copy in the same tab, then goes to the next and previous copies, and says a grade is saved', async () => {
    // Reopened in the same browser: the order chosen on the dashboard (errors) stays, on this device.
    const page = dashboard;
    await page.reload();
    await expect
      .poll(() => page.locator('table.copies tbody .who .member').allTextContents(), poll)
      .toEqual(['Bruno', 'Chloé', 'Alice']);
    const open = page.getByRole('link', { name: 'Ouvrir la copie de Bruno pour la co-éditer' });
    expect(await open.getAttribute('target')).toBeNull();
    let opened = false;
    page.context().on('page', () => {
      opened = true;
    });
    await open.click();
    await page.waitForURL(new RegExp(`/n/${copies.Bruno!.copy.room}`));
    expect(opened).toBe(false);
    // The teacher's token leaves the address bar (a projected screen shows it), kept in the browser.
    await expect.poll(() => page.url(), poll).toBe(`${stack.web.url}/n/${copies.Bruno!.copy.room}`);
    await page.locator('candyce-notebook header').waitFor();

    const next = page.getByRole('link', { name: 'Copie suivante : Chloé →' });
    await next.waitFor();
    expect(await page.getByRole('link', { name: /Copie précédente/ }).count()).toBe(0);
    await next.click();
    await page.waitForURL(new RegExp(`/n/${copies.Chloé!.copy.room}`));
    await page.getByRole('link', { name: 'Copie suivante : Alice →' }).waitFor();
    await page.getByRole('link', { name: '← Copie précédente : Bruno' }).waitFor();

    await page.getByLabel('Note', { exact: true }).fill('14/20');
    await page.getByRole('button', { name: 'Enregistrer la note' }).click();
    const saved = page.getByRole('status').filter({ hasText: 'Note enregistrée.' });
    await saved.waitFor();
    expect(await saved.isVisible()).toBe(true);
    expect(
      ((await teacherCall(stack, activity, 'GET', `/copies/${copies.Chloé!.copy.id}`)) as { grade: string })
        .grade,
    ).toBe('14/20');
    await page.context().close();
  });
});
