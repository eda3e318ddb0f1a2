import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, joinActivity, visit } from './helpers/classroom.js';
import { poll, sourcesOf, useStack } from './helpers/stack.js';

// The pupil's side of a lesson (issue 21, major 7 and minors): a pupil who
// comes back on another computer gets their copy with their personal code,
// which the teacher can renew; a partner's hand-in says who; a corrected copy
// says so; the hand-in button follows what the server accepts; the join page
// asks a pair code only in pairs; the pages fit a 320 px phone; status
// changes are announced; a skip link leads to the notebook.

const stack = useStack();

const template = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { id: 'consigne', cell_type: 'markdown', metadata: {}, source: '# Fractions\nCalculez 1/2 + 1/3.' },
    { id: 'reponse', cell_type: 'code', metadata: {}, source: '', outputs: [], execution_count: null },
  ],
};

const createActivity = async (mode: 'individual' | 'pairs', title: string) => {
  const response = await fetch(`${stack.http()}/api/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, mode, notebook: template }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; code: string; teacherToken: string };
};

const api = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(`${stack.http()}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok).toBe(true);
  return response.json() as Promise<Record<string, unknown>>;
};

/** A browser context of its own: another computer. */
const computer = (width = 1024, height = 768): Promise<BrowserContext> =>
  stack.browser.browser.newContext({ viewport: { width, height }, locale: 'fr-FR' });

const personalCode = async (page: Page): Promise<string> => {
  const code = page.locator('.activity-banner .resume-code .personal-code');
  await code.waitFor();
  return ((await code.textContent()) ?? '').trim();
};

/** What the page's live region (the one the banner speaks through) says now. */
const spoken = (page: Page) => page.locator('.banner-messages [role="status"]').textContent();

/** The element that has the keyboard focus, through shadow roots: its tag and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', text: el?.textContent?.replace(/\s+/g, ' ').trim() ?? '' };
  });

describe('a pupil on another computer', () => {
  it('gets the same copy back with the personal code shown after joining, on a phone', async () => {
    const activity = await createActivity('individual', 'Fractions');
    const ada = await joinActivity(stack, activity.code, 'Ada');
    const code = await personalCode(ada);
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(await ada.locator('.activity-banner .resume-code').textContent()).toContain(
      'notez-le pour reprendre votre copie sur un autre ordinateur',
    );
    await ada.locator('candyce-cell[data-cell-id="reponse"] .cm-content').click();
    await ada.keyboard.type('r = 1/2 + 1/3');
    await expect.poll(async () => (await sourcesOf(ada))[1], poll).toBe('r = 1/2 + 1/3');

    // Another computer, a phone: the join page, "I already have a copy", the code.
    const phone = await (await computer(390, 844)).newPage();
    await phone.goto(`${stack.web.url}/j/${activity.code}`);
    await phone.getByRole('button', { name: 'J’ai déjà une copie (sur un autre ordinateur)' }).click();
    expect(await focused(phone)).toMatchObject({ tag: 'input' });
    await phone.keyboard.type(code.toLowerCase());
    await phone.keyboard.press('Enter');
    await phone.waitForURL(/\/n\/act-/);
    expect(phone.url().split('#')[0]).toBe(ada.url().split('#')[0]);
    await expect.poll(async () => (await sourcesOf(phone))[1], poll).toBe('r = 1/2 + 1/3');
    expect(await personalCode(phone)).toBe(code);
    expect(await axeViolations(phone)).toEqual([]);
    // Still one pupil, one copy, on the dashboard.
    const rows = (await api('GET', `/api/activities/${activity.id}/copies`, activity.teacherToken))
      .copies as {
      members: { name: string }[];
    }[];
    expect(rows.map((r) => r.members.map((m) => m.name))).toEqual([['Ada']]);

    // A mistyped code says so, on the field.
    const other = await (await computer()).newPage();
    await other.goto(`${stack.web.url}/j/${activity.code}`);
    await other.getByRole('button', { name: 'J’ai déjà une copie (sur un autre ordinateur)' }).click();
    await other.locator('#join-resume').fill(code === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA');
    await other.getByRole('button', { name: 'Reprendre ma copie' }).click();
    await expect
      .poll(() => other.getByRole('alert').textContent(), poll)
      .toContain('Ce code personnel ne correspond à aucune copie');
    expect(await other.locator('#join-resume').getAttribute('aria-invalid')).toBe('true');

    // The teacher gives Ada a new code from her copy: the old one stops working, the new one opens it.
    const teacher = await visit(
      stack,
      `/n/act-${activity.id}-${ada.url().split(`act-${activity.id}-`)[1]!.split(/[#?]/)[0]}#token=${encodeURIComponent(activity.teacherToken)}`,
    );
    await teacher.getByRole('button', { name: 'Nouveau code personnel' }).click();
    const issued = teacher.locator('.resume-issued .personal-code');
    await issued.waitFor();
    const renewed = ((await issued.textContent()) ?? '').trim();
    expect(renewed).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(renewed).not.toBe(code);
    await other.locator('#join-resume').fill(code);
    await other.getByRole('button', { name: 'Reprendre ma copie' }).click();
    await expect
      .poll(() => other.getByRole('alert').textContent(), poll)
      .toContain('Ce code personnel ne correspond à aucune copie');
    await other.locator('#join-resume').fill(renewed);
    await other.getByRole('button', { name: 'Reprendre ma copie' }).click();
    await other.waitForURL(/\/n\/act-/);
    expect(other.url().split('#')[0]).toBe(ada.url().split('#')[0]);
  });
});

describe('the join page', () => {
  it('asks a pair code only for an activity in pairs', async () => {
    const solo = await createActivity('individual', 'Seul');
    const duo = await createActivity('pairs', 'À deux');
    const page = await visit(stack, `/j/${solo.code}`);
    await page.locator('form[data-mode="individual"]').waitFor();
    expect(await page.locator('#join-pair').count()).toBe(0);
    const pairs = await visit(stack, `/j/${duo.code}`);
    await pairs.locator('form[data-mode="pairs"]').waitFor();
    await pairs.locator('#join-pair').waitFor();
    // Typed on /j, the code is asked about as soon as it is whole.
    const typed = await visit(stack, '/j');
    await typed.locator('#join-code').fill(duo.code.toLowerCase());
    await typed.locator('#join-pair').waitFor();
  });

  it('fits a 320 px and a 390 px phone: nothing sticks out of the home and join pages', async () => {
    const activity = await createActivity('pairs', 'Étroit');
    for (const width of [320, 390]) {
      const context = await computer(width, 700);
      for (const path of ['/', `/j/${activity.code}`]) {
        const page = await context.newPage();
        await page.goto(`${stack.web.url}${path}`);
        await page.locator('main form').first().waitFor();
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        expect({ width, path, wide }).toEqual({ width, path, wide: 0 });
      }
      await context.close();
    }
  });
});

describe('a pair hands in, the teacher corrects', () => {
  it('tells the partner who handed in, announces the grade, the comment and the correction', async () => {
    const activity = await createActivity('pairs', 'Binômes');
    const ines = await joinActivity(stack, activity.code, 'Inès');
    const hint = ines.getByText('Code de binôme à donner à votre partenaire :');
    await hint.waitFor();
    const pairCode = ((await hint.textContent()) ?? '').split(':').pop()!.trim();
    const noe = await joinActivity(stack, activity.code, 'Noé', pairCode);
    await noe.getByRole('button', { name: 'Rendre ma copie' }).click();
    await noe.getByRole('dialog').getByRole('button', { name: 'Oui, rendre ma copie' }).click();
    await ines.locator('.handed-in-by').waitFor();
    expect(await ines.locator('.handed-in-by').textContent()).toMatch(/^Rendue par Noé le .+\d\d:\d\d$/);
    await expect.poll(() => spoken(ines), poll).toBe('Votre copie a été rendue par Noé.');
    expect(await ines.getByRole('button', { name: 'Rendre ma copie' }).count()).toBe(0);

    const copy = ines.url().split(`act-${activity.id}-`)[1]!.split(/[#?]/)[0]!;
    const path = `/api/activities/${activity.id}/copies/${copy}`;
    await api('POST', `${path}/comments`, activity.teacherToken, {
      cell_id: 'reponse',
      text: 'Au même dénominateur.',
    });
    await expect
      .poll(() => spoken(ines), poll)
      .toBe('Nouveau commentaire de votre enseignant·e : voyez la note jaune.');
    await api('PATCH', path, activity.teacherToken, { state: 'corrected', grade: '15/20' });
    await expect
      .poll(() => spoken(ines), poll)
      .toBe('Votre copie est corrigée. Votre copie est notée : 15/20.');
    await ines.getByText('Copie corrigée : lecture seule.').waitFor();
    expect(await ines.getByText('Copie rendue : lecture seule.').count()).toBe(0);
  });
});

describe('the deadline', () => {
  it('keeps "Rendre ma copie" after the deadline, as the server accepts the hand-in', async () => {
    const activity = await createActivity('individual', 'En retard');
    const ada = await joinActivity(stack, activity.code, 'Ada');
    await api('PATCH', `/api/activities/${activity.id}`, activity.teacherToken, {
      deadline: new Date(Date.now() - 60_000).toISOString(),
    });
    await ada
      .locator('.readonly-reason', {
        hasText: 'La date limite est passée : votre copie est en lecture seule.',
      })
      .waitFor();
    await ada.getByText('vous pouvez encore rendre votre copie').waitFor();
    await ada.getByRole('button', { name: 'Rendre ma copie' }).click();
    await ada.getByRole('dialog').getByRole('button', { name: 'Oui, rendre ma copie' }).click();
    await ada.locator('.handed-in-by', { hasText: /^Rendue par Ada le / }).waitFor();
    expect(await ada.getByRole('button', { name: 'Rendre ma copie' }).count()).toBe(0);
  });
});

describe('the keyboard and screen readers on a pupil’s notebook', () => {
  it('starts with a skip link to the notebook, and reaches the first cell in few Tab stops', async () => {
    const activity = await createActivity('individual', 'Clavier');
    const ada = await joinActivity(stack, activity.code, 'Ada');
    // A fresh load, as a pupil opens the page: Tab starts from the top.
    await ada.reload();
    await ada.locator('candyce-cell').first().waitFor();
    await ada.keyboard.press('Tab');
    expect(await focused(ada)).toEqual({ tag: 'a', text: 'Aller au carnet' });
    await ada.keyboard.press('Enter');
    await expect.poll(async () => (await focused(ada)).tag, poll).toBe('candyce-cell');
    // Without the link: Tab after Tab from the top of the page until a cell.
    await ada.reload();
    await ada.locator('candyce-cell').first().waitFor();
    let stops = 0;
    for (; stops < 40; stops++) {
      await ada.keyboard.press('Tab');
      if ((await focused(ada)).tag === 'candyce-cell') break;
    }
    expect(stops + 1).toBeLessThanOrEqual(8);
  });

  it('announces a lost connection and its return', async () => {
    const activity = await createActivity('individual', 'Réseau');
    const ada = await joinActivity(stack, activity.code, 'Ada');
    const live = ada.locator('candyce-notebook [role="status"][aria-live="polite"]');
    await ada.locator('candyce-notebook .status[data-status="online"]').waitFor();
    expect((await live.textContent())?.trim()).toBe('');
    await ada.context().setOffline(true);
    await ada.evaluate(() => window.dispatchEvent(new Event('offline')));
    await expect.poll(async () => (await live.textContent())?.trim(), poll).toMatch(/^Hors ligne/);
    await ada.context().setOffline(false);
    await ada.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect
      .poll(async () => (await live.textContent())?.trim(), { ...poll, timeout: 30_000 })
      .toBe('En ligne');
  }, 60_000);
});
