import { insertCell, setCellSource } from '@candyce/model';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './helpers/classroom.js';
import {
  type CreatedActivity,
  createActivityApi,
  editRoom,
  openDashboard,
  screens,
} from './helpers/dashboard.js';
import { poll, sourcesOf, useStack } from './helpers/stack.js';

// Pushing a correction is not blind (issue 21, major 10): the teacher sees
// which cells a push adds, changes and removes, can push one cell alone; the
// pupil is told and sees the changed cells highlighted.

const stack = useStack();

const fits = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('pushing a correction', () => {
  let activity: CreatedActivity;
  let pupil: Page;

  it('has a pupil working on a phone, and a corrected template', async () => {
    activity = await createActivityApi(stack, { title: 'Correction' });
    const context = await stack.browser.browser.newContext({ locale: 'fr-FR', ...screens[2]!.options });
    pupil = await context.newPage();
    await pupil.goto(`${stack.web.url}/j/${activity.code}`);
    await pupil.locator('#join-name').fill('Léa');
    await pupil.getByRole('button', { name: 'Rejoindre', exact: true }).click();
    await pupil.waitForURL(/\/n\/act-/);
    await pupil.locator('candyce-notebook header').waitFor();
    await editRoom(stack, `act-${activity.id}`, activity.teacherToken, (doc) => {
      setCellSource(doc, 'reponse', 'for i in range(1, 6):\n    print(i * i)', { role: 'teacher' });
      insertCell(
        doc,
        2,
        { cell_type: 'markdown', id: 'bilan', source: 'Bravo : les boucles répètent.' },
        { role: 'teacher' },
      );
    });
  });

  for (const screen of screens) {
    it(`previews what a push changes, at ${screen.name}`, async () => {
      const page = await openDashboard(stack, activity, screen.options);
      await page.getByRole('button', { name: 'Envoyer la correction du modèle' }).click();
      const dialog = page.getByRole('dialog', { name: 'Envoyer la correction du modèle ?' });
      await dialog.waitFor();
      await dialog
        .getByText(
          'Changements du modèle depuis la création de l’activité : 1 cellule(s) ajoutée(s), 1 modifiée(s), 0 supprimée(s). Ils iront dans 1 copie(s), mêlés à ce que les élèves ont écrit.',
        )
        .waitFor();
      expect(await dialog.getByRole('heading', { name: 'Ajoutées (1)' }).count()).toBe(1);
      expect(await dialog.locator('li[data-cell="bilan"] code').textContent()).toBe(
        'Bravo : les boucles répètent.',
      );
      expect(await dialog.locator('li[data-cell="reponse"] code').textContent()).toBe(
        'for i in range(1, 6):',
      );
      const one = dialog.getByRole('button', {
        name: 'Envoyer seulement celle-ci : la cellule « for i in range(1, 6): »',
      });
      await one.scrollIntoViewIfNeeded();
      const box = await one.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(screen.options.viewport!.width);
      expect(await fits(page)).toBe(true);
      if (screen.name === '1024×768') expect(await axeViolations(page)).toEqual([]);
      // Escape closes it, and nothing is sent.
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count(), poll).toBe(0);
      await page.context().close();
    });
  }

  it('pushes one cell alone: the pupil is told and sees it highlighted', async () => {
    const page = await openDashboard(stack, activity, screens[0]!.options);
    await page.getByRole('button', { name: 'Envoyer la correction du modèle' }).click();
    await page
      .getByRole('button', { name: 'Envoyer seulement celle-ci : la cellule « for i in range(1, 6): »' })
      .click();
    await page.getByText('Cellule envoyée dans 1 copie(s).').waitFor();

    await pupil
      .locator('.push-notice')
      .getByText('Le professeur a envoyé une correction : 1 cellule(s) changée(s), surlignée(s) ci-dessous.')
      .waitFor();
    await expect
      .poll(async () => (await sourcesOf(pupil))[1], poll)
      .toBe('for i in range(1, 6):\n    print(i * i)');
    expect((await sourcesOf(pupil)).length).toBe(2);
    await expect
      .poll(() => pupil.locator('candyce-cell[data-cell-id="reponse"][data-pushed]').count(), poll)
      .toBe(1);
    expect(await pupil.locator('candyce-cell[data-cell-id="consigne"][data-pushed]').count()).toBe(0);
    expect(await axeViolations(pupil)).toEqual([]);
    // The status line announces it to screen readers.
    expect(await pupil.locator('.banner-messages [role="status"]').textContent()).toContain(
      'Le professeur a envoyé une correction',
    );

    // The next preview shows only what is left: the new cell.
    await page.getByRole('button', { name: 'Envoyer la correction du modèle' }).click();
    const dialog = page.getByRole('dialog', { name: 'Envoyer la correction du modèle ?' });
    await dialog.getByText(/: 1 cellule\(s\) ajoutée\(s\), 0 modifiée\(s\), 0 supprimée\(s\)/).waitFor();
    await dialog.getByRole('button', { name: 'Envoyer la correction du modèle' }).click();
    await page.getByText('Correction envoyée dans 1 copie(s).').waitFor();
    await expect
      .poll(() => pupil.locator('candyce-cell[data-cell-id="bilan"][data-pushed]').count(), poll)
      .toBe(1);
    await pupil.getByRole('button', { name: 'Compris' }).click();
    await expect.poll(() => pupil.locator('candyce-cell[data-pushed]').count(), poll).toBe(0);

    // Nothing left to push.
    await page.getByRole('button', { name: 'Envoyer la correction du modèle' }).click();
    await page.getByText(/^Aucune cellule ajoutée, modifiée ni supprimée depuis l’envoi du /).waitFor();
    await dialog.getByRole('button', { name: 'Fermer', exact: true }).click();
    await expect.poll(() => dialog.count(), poll).toBe(0);
  });
});
