import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, joinActivity, visit } from './helpers/classroom.js';
import { poll, sourcesOf, useStack } from './helpers/stack.js';

// The classroom in real Chromium: a teacher creates an activity from the
// home page, two pupils join with its code (one with a hostile name), the
// dashboard shows them live, the teacher co-edits and comments a copy, the
// pupil hands in. Saves the dashboard's picture for the README.

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const hostile = '<img src=x onerror=window.__pwned=1>';

const stack = useStack();

const template = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    {
      id: 'consigne',
      cell_type: 'markdown',
      metadata: {},
      source: '# Boucles\nAffichez les carrés de 1 à 5.',
    },
    {
      id: 'reponse',
      cell_type: 'code',
      metadata: {},
      source: '# votre code',
      outputs: [],
      execution_count: null,
    },
  ],
};

const row = (dashboard: Page, name: string) =>
  dashboard.locator('table.copies tbody tr').filter({ has: dashboard.locator('.member', { hasText: name }) });

/** Opens `link` in a new tab of the same browser, as a middle click does; it must not ask for one itself. */
const openInNewTab = async (page: Page, link: Locator): Promise<Page> => {
  expect(await link.getAttribute('target')).toBeNull();
  const href = (await link.getAttribute('href')) ?? '';
  const tab = await page.context().newPage();
  await tab.goto(new URL(href, page.url()).href);
  return tab;
};

const pwned = (page: Page) => page.evaluate(() => (window as { __pwned?: unknown }).__pwned);

/** Types `text` at the end of the cell `id` of `page`. */
const typeInCell = async (page: Page, id: string, text: string) => {
  await page.locator(`candyce-cell[data-cell-id="${id}"] .cm-content`).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
};

describe('an activity, from creation to hand-in', () => {
  let dashboard: Page;
  let code: string;
  let lea: Page;
  let other: Page;
  let copy: Page;

  it('is created from the home page, with a notebook uploaded, and shows its code, link and QR code', async () => {
    dashboard = await visit(stack, '/');
    expect(await axeViolations(dashboard)).toEqual([]);
    await dashboard.getByLabel('Titre de l’activité').fill('Boucles « for »');
    await dashboard.getByLabel('Individuel').check();
    await dashboard.locator('#act-file').setInputFiles({
      name: 'boucles.ipynb',
      mimeType: 'application/x-ipynb+json',
      buffer: Buffer.from(JSON.stringify(template)),
    });
    await dashboard.getByRole('button', { name: 'Créer l’activité' }).click();
    // The creation page says the link is the only key (teacher-recovery.test.ts tests it), then links to the dashboard.
    await dashboard.getByRole('link', { name: 'Ouvrir le tableau de bord' }).click();
    await dashboard.waitForURL(/\/a\/[a-z2-7]{10}$/);
    await dashboard.locator('.join-code').waitFor();
    code = (await dashboard.locator('.join-code').getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(await dashboard.locator('.join-link a').textContent()).toBe(`${stack.web.url}/j/${code}`);
    await expect.poll(() => dashboard.locator('svg.qr path').count(), poll).toBe(1);
    await dashboard.getByText('Personne n’a encore rejoint').waitFor();
    expect(await axeViolations(dashboard)).toEqual([]);
  });

  it('tells a pupil clearly when the code is wrong or the name missing', async () => {
    const page = await visit(stack, '/j');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#join-code').fill('zz-zzzz');
    await page.locator('#join-name').fill('Léa');
    await page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), poll)
      .toBe('Ce code ne correspond à aucune activité. Vérifiez-le au tableau.');
    expect(await page.locator('#join-code').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#join-code').fill(code.toLowerCase());
    await page.locator('#join-name').fill('   ');
    await page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), poll).toBe('Écrivez votre prénom.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('join-name');

    const english = await visit(stack, '/j/ZZZZZZ?lang=en');
    await english.locator('#join-name').fill('Lea');
    await english.getByRole('button', { name: 'Join', exact: true }).click();
    await expect
      .poll(() => english.getByRole('alert').textContent(), poll)
      .toBe('This code matches no activity. Check it on the board.');
  });

  it('lets a pupil join with the keyboard alone, from the home page', async () => {
    const page = await visit(stack, '/');
    await page.locator('#home-code').focus();
    await page.keyboard.type(code.toLowerCase());
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/j\/[A-Z2-9]{6}$/);
    // The name takes the focus: the code came with the link.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), poll).toBe('join-name');
    await page.keyboard.type('Kim');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/n\/act-/);
    await page.getByRole('heading', { name: 'Boucles « for »' }).waitFor();
    await page.context().close();
  });

  it('lets two pupils join with the code, and shows them online, with names as text', async () => {
    lea = await joinActivity(stack, code, 'Léa');
    other = await joinActivity(stack, code, hostile);
    expect(lea.url()).not.toBe(other.url());
    await lea.getByRole('heading', { name: 'Boucles « for »' }).waitFor();
    await expect.poll(() => row(dashboard, 'Léa').locator('.presence').textContent(), poll).toBe('en ligne');
    await expect
      .poll(() => row(dashboard, hostile).locator('.presence').textContent(), poll)
      .toBe('en ligne');
    expect(await row(dashboard, hostile).locator('.member').textContent()).toBe(hostile);
    expect(await dashboard.locator('table.copies img').count()).toBe(0);
    expect(await pwned(dashboard)).toBeUndefined();
    expect(await pwned(other)).toBeUndefined();
    // Kim, who joined with the keyboard and left, is there too, away.
    expect(await dashboard.getByRole('heading', { name: 'Copies (3)' }).count()).toBe(1);
    await expect.poll(() => row(dashboard, 'Kim').locator('.presence').textContent(), poll).toBe('absent·e');
    expect(await axeViolations(dashboard)).toEqual([]);
  });

  it('shows a pupil’s edits live on the dashboard', async () => {
    expect(await row(dashboard, 'Léa').locator('.last-edit').textContent()).toBe('jamais');
    await typeInCell(lea, 'reponse', '\nfor i in range(1, 6):\n    print(i * i)');
    await expect
      .poll(() => row(dashboard, 'Léa').locator('.last-edit').textContent(), poll)
      .toBe('à l’instant');
    expect(await row(dashboard, hostile).locator('.last-edit').textContent()).toBe('jamais');
  });

  it('lets the teacher open a copy, co-edit it and comment a cell, which the pupil sees', async () => {
    // "Ouvrir" opens in the same tab; a real link, which the teacher opens in a new tab here.
    copy = await openInNewTab(
      dashboard,
      row(dashboard, 'Léa').getByRole('link', { name: 'Ouvrir la copie de Léa pour la co-éditer' }),
    );
    await copy.locator('candyce-notebook header').waitFor();
    await copy.getByText('Copie de Léa').first().waitFor();
    await expect.poll(async () => (await sourcesOf(copy))[1], poll).toContain('print(i * i)');

    await typeInCell(copy, 'reponse', '  # bien vu');
    await expect.poll(async () => (await sourcesOf(lea))[1], poll).toContain('print(i * i)  # bien vu');

    // The cell is active after the click: its toolbar has "Commenter".
    await copy.getByRole('button', { name: 'Commenter' }).click();
    await copy.getByLabel('Votre commentaire sur la cellule 2').fill('Très bien ; essayez aussi avec while.');
    await copy.getByRole('button', { name: 'Envoyer' }).click();
    await expect
      .poll(() => lea.locator('candyce-cell[data-cell-id="reponse"] .comment-text').textContent(), poll)
      .toBe('Très bien ; essayez aussi avec while.');
    // Comments live beside the notebook, never in it.
    expect(JSON.stringify(await sourcesOf(lea))).not.toContain('while');
    expect(await axeViolations(lea)).toEqual([]);
    expect(await axeViolations(copy)).toEqual([]);

    await copy.getByLabel('Note', { exact: true }).fill('17/20');
    await copy.getByRole('button', { name: 'Enregistrer la note' }).click();
    await lea.getByText('Note : 17/20').waitFor();
    await expect.poll(() => row(dashboard, 'Léa').locator('.grade').textContent(), poll).toBe('17/20');
  });

  it('lets the teacher follow a pupil in her copy', async () => {
    const follower = await openInNewTab(
      dashboard,
      row(dashboard, 'Léa').getByRole('link', { name: 'Suivre Léa dans sa copie' }),
    );
    await follower.getByText('Vous suivez Léa').waitFor();
    await follower.close();
  });

  it('lets the pupil hand in after confirming: read-only for her, handed in on the dashboard', async () => {
    await lea.getByRole('button', { name: 'Rendre ma copie' }).click();
    const dialog = lea.getByRole('dialog', { name: 'Rendre votre copie ?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Oui, rendre ma copie' }).click();
    await lea.getByText('Copie rendue : lecture seule.').waitFor();
    await lea.locator('candyce-notebook[readonly]').waitFor();
    await expect.poll(() => row(dashboard, 'Léa').getByRole('combobox').inputValue(), poll).toBe('handed-in');
    expect(await row(dashboard, hostile).getByRole('combobox').inputValue()).toBe('in-progress');
    // The hand-in is a snapshot the teacher downloads as .ipynb, with its time.
    const [snapshot] = await Promise.all([
      dashboard.waitForEvent('download'),
      row(dashboard, 'Léa')
        .getByRole('button', { name: 'Télécharger la copie rendue par Léa (.ipynb)' })
        .click(),
    ]);
    const ipynb = JSON.parse(
      Buffer.concat((await (await snapshot.createReadStream()).toArray()) as Buffer[]).toString('utf8'),
    ) as { metadata: { candyce?: { handed_in_at?: string } }; cells: { source: string | string[] }[] };
    expect(typeof ipynb.metadata.candyce?.handed_in_at).toBe('string');
    expect(JSON.stringify(ipynb.cells)).toContain('# bien vu');
    // The teacher's open copy says so too, live.
    await expect.poll(() => copy.getByLabel('État de la copie').inputValue(), poll).toBe('handed-in');
    await copy.close();
  });

  it('pushes the template’s correction, exports grades, and sets states in bulk', async () => {
    await dashboard.getByRole('button', { name: 'Envoyer la correction du modèle' }).click();
    await dashboard
      .getByRole('dialog')
      .getByRole('button', { name: 'Envoyer la correction du modèle' })
      .click();
    await dashboard.getByText('Correction envoyée dans 3 copie(s).').waitFor();

    const [download] = await Promise.all([
      dashboard.waitForEvent('download'),
      dashboard.getByRole('button', { name: 'Exporter les notes (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('boucles-for-notes.csv');
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv as Buffer[]).toString('utf8');
    expect(text).toContain('Léa');
    expect(text).toContain('17/20');

    await dashboard.getByRole('checkbox', { name: 'Sélectionner toutes les copies' }).check();
    await dashboard.getByLabel('Nouvel état').selectOption('corrected');
    await dashboard.getByRole('button', { name: 'Appliquer' }).click();
    await expect
      .poll(() => row(dashboard, hostile).getByRole('combobox').inputValue(), poll)
      .toBe('corrected');
    await expect.poll(() => row(dashboard, 'Léa').getByRole('combobox').inputValue(), poll).toBe('corrected');
    // Back to work for the screenshot and the next steps.
    await dashboard.getByLabel('Nouvel état').selectOption('in-progress');
    await dashboard.getByRole('button', { name: 'Appliquer' }).click();
    await expect
      .poll(() => row(dashboard, hostile).getByRole('combobox').inputValue(), poll)
      .toBe('in-progress');
    await row(dashboard, 'Léa').getByRole('combobox').selectOption('handed-in');
    await row(dashboard, 'Léa')
      .getByRole('button', { name: 'Appliquer l’état « rendue » à la copie de Léa' })
      .click();
    await expect
      .poll(() => row(dashboard, 'Léa').getByRole('combobox').getAttribute('class'), poll)
      .toBe('state-handed-in');
    await dashboard.getByRole('checkbox', { name: 'Sélectionner toutes les copies' }).uncheck();
  });

  it('sets a deadline that the pupils see at once', async () => {
    // The deadline is among the settings, closed until asked for.
    const settings = dashboard.locator('details.settings > summary');
    await settings.click();
    await dashboard.getByLabel('Date limite').fill('2030-06-14T16:00');
    await dashboard.getByRole('button', { name: 'Enregistrer la date' }).click();
    // The closed settings still say the deadline.
    await settings.click();
    await dashboard.getByText('Date limite : ven. 14 juin, 16:00.').waitFor();
    expect(await dashboard.getByLabel('Date limite').isVisible()).toBe(false);
    await other.getByText('À rendre avant le ven. 14 juin, 16:00').waitFor();
  });

  it('locks every copy from the dashboard, which the other pupil sees at once', async () => {
    await dashboard.getByRole('button', { name: 'Verrouiller toutes les copies' }).click();
    await other.getByText('Votre enseignant·e a verrouillé les copies').waitFor();
    await other.locator('candyce-notebook[readonly]').waitFor();
    await dashboard.getByRole('button', { name: 'Déverrouiller toutes les copies' }).click();
    await expect.poll(() => other.locator('candyce-notebook[readonly]').count(), poll).toBe(0);
    expect(await pwned(dashboard)).toBeUndefined();

    await mkdir(join(root, 'docs'), { recursive: true });
    await dashboard.locator('.notice-line').evaluate((el) => {
      el.textContent = '';
    });
    // What a 1024×768 projector shows: the join code, the actions and the copies' first rows.
    await dashboard.setViewportSize({ width: 1024, height: 768 });
    await dashboard.evaluate(() => window.scrollTo(0, 0));
    await dashboard.screenshot({ path: join(root, 'docs/dashboard.png') });
    await dashboard.setViewportSize({ width: 1200, height: 900 });
  });

  it('lets a pupil who comes back continue in the same copy', async () => {
    const before = lea.url();
    const back = await visit(stack, `/j/${code}`, lea.context());
    await back.getByRole('button', { name: 'Continuer mon travail' }).click();
    await back.waitForURL(/\/n\/act-/);
    expect(back.url()).toBe(before);
  });
});

/** Creates an activity through the API, as the home page does. */
const createActivity = async (mode: 'pairs' | 'demo', title: string) => {
  const response = await fetch(`${stack.http()}/api/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, mode, notebook: template }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; code: string; teacherToken: string };
};

describe('pairs', () => {
  it('puts the partner who gives the pair code in the same copy, and refuses a third', async () => {
    // A title is shown as text too.
    const activity = await createActivity('pairs', hostile);
    const first = await joinActivity(stack, activity.code, 'Inès');
    expect(await first.locator('#activity-title').textContent()).toBe(hostile);
    expect(await pwned(first)).toBeUndefined();
    const hint = first.getByText('Code de binôme à donner à votre partenaire :');
    await hint.waitFor();
    const pairCode = ((await hint.textContent()) ?? '').split(':').pop()!.trim();
    expect(pairCode).not.toBe('');
    const second = await joinActivity(stack, activity.code, 'Noé', pairCode);
    expect(second.url().split('#')[0]).toBe(first.url().split('#')[0]);
    // Once the pair is complete, nobody is asked to give the code any more.
    await expect.poll(() => first.locator('.pair-hint').count(), poll).toBe(0);
    expect(await second.locator('.pair-hint').count()).toBe(0);

    const third = await visit(stack, `/j/${activity.code}`);
    await third.locator('#join-name').fill('Sam');
    await third.locator('#join-pair').fill(pairCode.toLowerCase());
    await third.getByRole('button', { name: 'Rejoindre', exact: true }).click();
    await expect
      .poll(() => third.getByRole('alert').textContent(), poll)
      .toBe('Ce binôme est déjà complet (deux élèves). Demandez à votre enseignant·e.');
    expect(await third.locator('#join-pair').getAttribute('aria-invalid')).toBe('true');
  });

  it('says so when joining is closed', async () => {
    const activity = await createActivity('pairs', 'Fermée');
    const closed = await fetch(`${stack.http()}/api/activities/${activity.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${activity.teacherToken}` },
      body: JSON.stringify({ joinOpen: false }),
    });
    expect(closed.ok).toBe(true);
    const page = await visit(stack, `/j/${activity.code}`);
    await page.locator('#join-name').fill('Sam');
    await page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), poll).toContain('n’accepte plus personne');
  });
});

describe('a demonstration', () => {
  it('shows pupils the teacher’s notebook, read only, following the teacher', async () => {
    const activity = await createActivity('demo', 'Démonstration');
    const board = await visit(stack, `/a/${activity.id}#token=${encodeURIComponent(activity.teacherToken)}`);
    await board.getByText('Démonstration : ouvrez le modèle et travaillez-y').waitFor();
    expect(await board.locator('table.copies').count()).toBe(0);
    const teacher = await visit(
      stack,
      `/n/act-${activity.id}#token=${encodeURIComponent(activity.teacherToken)}`,
    );
    await teacher.locator('candyce-notebook header').waitFor();
    const pupil = await joinActivity(stack, activity.code, 'Tom');
    await pupil.getByText('Démonstration : vous suivez le carnet de votre enseignant·e').waitFor();
    await pupil.locator('candyce-notebook .badge.readonly').waitFor();
    await pupil.getByText(/^Vous suivez /).waitFor();
    await typeInCell(teacher, 'reponse', '\nprint("au tableau")');
    await expect.poll(async () => (await sourcesOf(pupil))[1], poll).toContain('print("au tableau")');
  });
});
