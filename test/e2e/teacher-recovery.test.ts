import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, visit } from './helpers/classroom.js';
import { screens } from './helpers/dashboard.js';
import { poll, useStack } from './helpers/stack.js';

// A teacher finds their activity again (issue 21, blocker 2): the creation
// page says the dashboard's link is the only key (copy, e-mail, print) and
// shows the teacher code once; the same browser opens /a/<id> without the
// token; the token leaves the address bar; another computer recovers the
// dashboard with the teacher code. The teacher's name is theirs, not
// "Enseignant".

const stack = useStack();

const fits = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

const keptToken = (page: Page, id: string) =>
  page.evaluate((activityId) => {
    const list =
      (
        JSON.parse(localStorage.getItem('candyce:teaching') ?? '{}') as {
          list?: { activityId: string; token: string }[];
        }
      ).list ?? [];
    return list.find((a) => a.activityId === activityId)?.token ?? null;
  }, id);

describe('a teacher who comes back to an activity', () => {
  let id = '';
  let teacherCode = '';
  let teacher: Page;

  it('is told at creation that the link is the only key, and gets a teacher code once', async () => {
    teacher = await visit(stack, '/');
    await teacher.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await teacher.getByLabel('Titre de l’activité').fill('Listes');
    await teacher.getByLabel('Votre nom (facultatif)').fill('Mme Durand');
    await teacher.getByRole('button', { name: 'Créer l’activité' }).click();
    const panel = teacher.getByRole('region', { name: 'Activité « Listes » créée : gardez son lien' });
    await panel.waitFor();
    await panel.getByText('Ce lien est la seule clé de votre tableau de bord.', { exact: false }).waitFor();
    const link = await panel.getByLabel('Lien du tableau de bord (ne le donnez pas aux élèves)').inputValue();
    expect(link).toMatch(new RegExp(`^${stack.web.url}/a/[a-z2-7]{10}#token=`));
    id = /\/a\/([a-z2-7]{10})/.exec(link)![1]!;
    teacherCode = (await panel.locator('.key-code').getAttribute('data-code')) ?? '';
    expect(teacherCode).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);

    const mail = (await panel.getByRole('link', { name: 'M’envoyer par e-mail' }).getAttribute('href')) ?? '';
    expect(mail.startsWith('mailto:?subject=')).toBe(true);
    const body = decodeURIComponent(mail.split('&body=')[1] ?? '');
    expect(body).toContain(link);
    expect(body).toContain(teacherCode);
    await panel.getByRole('button', { name: 'Imprimer' }).waitFor();
    expect(await axeViolations(teacher)).toEqual([]);
    await panel.getByRole('button', { name: 'Copier le lien' }).click();
    await teacher.getByText('Lien copié.').waitFor();
    expect(await teacher.evaluate(() => navigator.clipboard.readText())).toBe(link);
  });

  it('opens the dashboard, and the token leaves the address bar but stays in the browser', async () => {
    await teacher.getByRole('link', { name: 'Ouvrir le tableau de bord' }).click();
    await teacher.locator('.join-code').waitFor();
    expect(teacher.url()).toBe(`${stack.web.url}/a/${id}`);
    expect(await keptToken(teacher, id)).not.toBeNull();
    // The teacher's token carries the name given at creation.
    const token = (await keptToken(teacher, id))!;
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).name).toBe('Mme Durand');
  });

  it('opens /a/<id> without the token in the same browser', async () => {
    const again = await teacher.context().newPage();
    await again.goto(`${stack.web.url}/a/${id}`);
    await again.locator('.join-code').waitFor();
    expect(await again.getByText('n’est plus valide').count()).toBe(0);
    await again.reload();
    await again.locator('.join-code').waitFor();
    await again.close();
  });

  for (const screen of screens) {
    it(`recovers the dashboard on another computer with the teacher code, at ${screen.name}`, async () => {
      const context = await stack.browser.browser.newContext({ locale: 'fr-FR', ...screen.options });
      const page = await context.newPage();
      await page.goto(`${stack.web.url}/a/${id}`);
      await page.getByText('Ce navigateur n’a pas la clé de ce tableau de bord').waitFor();
      expect(await fits(page)).toBe(true);
      if (screen.name === '1024×768') expect(await axeViolations(page)).toEqual([]);
      const field = page.getByLabel('Code enseignant');
      await field.fill('ZZZZZ-ZZZZZ');
      await page.keyboard.press('Enter');
      await page.getByText('Ce code enseignant ne correspond à aucune activité. Vérifiez-le.').waitFor();
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      await field.fill(teacherCode.toLowerCase());
      await page.keyboard.press('Enter');
      await page.locator('.join-code').waitFor();
      await expect.poll(() => page.url(), poll).toBe(`${stack.web.url}/a/${id}`);
      expect(await fits(page)).toBe(true);
      expect(await keptToken(page, id)).not.toBeNull();
      await context.close();
    });
  }

  it('recovers it from the home page too', async () => {
    const page = await visit(stack, '/');
    await page
      .getByRole('region', { name: 'Retrouver une activité' })
      .getByLabel('Code enseignant')
      .fill(teacherCode);
    await page.getByRole('button', { name: 'Retrouver' }).click();
    await page.locator('.join-code').waitFor();
    expect(page.url()).toBe(`${stack.web.url}/a/${id}`);
  });
});
