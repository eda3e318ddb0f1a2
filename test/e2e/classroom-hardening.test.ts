import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { joinActivity, visit } from './helpers/classroom.js';
import { poll, useStack } from './helpers/stack.js';

// Issue 13 in real Chromium: a link naming another sync server must not
// carry the pupil's kept token there (finding 10); the teacher removes a
// copy from the dashboard (finding 9), and reads that outputs are the
// pupil's word (finding 15).

const stack = useStack();

const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source: 'x = 1', outputs: [], execution_count: null }],
};

const createActivity = async (title: string, mode = 'individual') => {
  const res = await fetch(`${stack.http()}/api/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title, mode, notebook: lesson }),
  });
  return (await res.json()) as { id: string; code: string; teacherToken: string };
};

/** A WebSocket server on loopback that records every upgrade request it gets. */
const recorder = async () => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const requests: string[] = [];
  wss.on('connection', (ws, req) => {
    requests.push(req.url ?? '');
    ws.close(4403, 'recorded');
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/sync`,
    requests,
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
};

describe('a link naming another sync server', () => {
  it('never delivers the pupil’s kept token to it; the page stays on its own server', async () => {
    const act = await createActivity('Serveur');
    const pupil = await joinActivity(stack, act.code, 'Ada');
    await pupil.locator('.status[data-status="online"]').waitFor();
    const room = decodeURIComponent(new URL(pupil.url()).pathname.slice('/n/'.length));
    const token = new URLSearchParams(new URL(pupil.url()).hash.slice(1)).get('token') ?? '';
    expect(token).not.toBe('');
    const evil = await recorder();
    try {
      // The attacker's link: no token in it, the kept one would go along.
      const page = await pupil.context().newPage();
      await page.goto(`${stack.web.url}/n/${room}?server=${encodeURIComponent(evil.url)}`);
      await page.locator('.status[data-status="online"]').waitFor();
      const serverUsed = await page
        .locator('candyce-activity-notebook')
        .evaluate((el) => (el as unknown as { server: string }).server);
      expect(serverUsed).toBe(`${stack.sync()}`);
      // Other spellings of a foreign server: another scheme, a non-URL, a foreign host by name.
      for (const server of [
        'javascript:alert(1)',
        `http://127.0.0.1:1/sync`,
        evil.url.replace('127.0.0.1', 'localhost'),
      ]) {
        await page.goto(`${stack.web.url}/n/${room}?server=${encodeURIComponent(server)}`);
        await page.locator('.status[data-status="online"]').waitFor();
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(evil.requests.filter((url) => url.includes(token))).toEqual([]);
      expect(evil.requests).toEqual([]);

      // The same link carrying its own token may name that server (its author holds that token
      // already), but the page's content security policy lets it connect only to servers the
      // operator allowed (CANDYCE_ALLOWED_ORIGINS), which this one is not.
      await page.goto(`${stack.web.url}/n/${room}?server=${encodeURIComponent(evil.url)}#token=${token}`);
      await expect
        .poll(
          () =>
            page
              .locator('candyce-activity-notebook, candyce-notebook')
              .first()
              .evaluate((el) => (el as unknown as { server: string }).server),
          poll,
        )
        .toBe(evil.url);
      await new Promise((r) => setTimeout(r, 500));
      expect(evil.requests).toEqual([]);
    } finally {
      await evil.close();
    }
  });
});

describe('the dashboard removes a copy', () => {
  it('asks first, then removes the row, and the pupil’s page says the notebook is gone', async () => {
    const act = await createActivity('Ménage');
    const pupil = await joinActivity(stack, act.code, 'Bob');
    await pupil.locator('.status[data-status="online"]').waitFor();
    const dashboard = await visit(stack, `/a/${act.id}#token=${encodeURIComponent(act.teacherToken)}`);
    const row = dashboard.locator('table.copies tbody tr').filter({ hasText: 'Bob' });
    await row.waitFor();
    await dashboard.locator('.outputs-notice').waitFor();
    expect(await dashboard.locator('.outputs-notice').textContent()).toContain('relancez les tests');

    // "No" keeps it; keyboard only.
    await row.getByRole('button', { name: 'Supprimer la copie de Bob' }).focus();
    await dashboard.keyboard.press('Enter');
    const dialog = dashboard.locator('dialog.confirm');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Supprimer la copie de Bob ?');
    await dashboard.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await row.count()).toBe(1);

    await row.getByRole('button', { name: 'Supprimer la copie de Bob' }).click();
    await dialog.getByRole('button', { name: 'Supprimer la copie' }).click();
    await row.waitFor({ state: 'detached' });
    await dashboard.getByText('Copie de Bob supprimée.').waitFor();
    await pupil.locator('.status[data-status="stale"]').waitFor();
    const res = await fetch(`${stack.http()}/api/activities/${act.id}/copies`, {
      headers: { authorization: `Bearer ${act.teacherToken}` },
    });
    expect(((await res.json()) as { copies: unknown[] }).copies).toEqual([]);
  });

  it('shows no hand-in button to a pupil of a whole class, and no remove button for the shared copy', async () => {
    const act = await createActivity('Tous', 'class');
    const pupil = await joinActivity(stack, act.code, 'Cyd');
    await pupil.locator('.class-handin').waitFor();
    expect(await pupil.locator('button.handin').count()).toBe(0);
    const dashboard = await visit(stack, `/a/${act.id}#token=${encodeURIComponent(act.teacherToken)}`);
    await dashboard.locator('table.copies tbody tr').first().waitFor();
    expect(await dashboard.locator('button.remove-copy').count()).toBe(0);
  });

  it('says in words when a pupil takes the teacher’s name, and focuses the name', async () => {
    const act = await createActivity('Noms');
    const page = await visit(stack, `/j/${act.code}`);
    await page.locator('#join-name').fill('  enseignant ');
    await page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
    await page.getByText('Ce nom est celui de l’enseignant·e : écrivez votre prénom.').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), poll).toBe('join-name');
  });

  it('revokes the old teacher links from the dashboard and goes on with the new one', async () => {
    const act = await createActivity('Révocation');
    await fetch(`${stack.http()}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: act.code, name: 'Dee' }),
    });
    const dashboard = await visit(stack, `/a/${act.id}#token=${encodeURIComponent(act.teacherToken)}`);
    await dashboard.locator('table.copies tbody tr').first().waitFor();
    // Revoking is a setting: behind "Réglages de l'activité".
    await dashboard.getByText('Réglages de l’activité').click();
    await dashboard.getByRole('button', { name: 'Révoquer les anciens liens' }).click();
    const dialog = dashboard.locator('dialog.confirm');
    await dialog.getByRole('button', { name: 'Révoquer les anciens liens' }).click();
    await dashboard.getByText('Anciens liens révoqués.', { exact: false }).waitFor();
    const fresh = new URLSearchParams(new URL(dashboard.url()).hash.slice(1)).get('token') ?? '';
    expect(fresh).not.toBe('');
    expect(fresh).not.toBe(act.teacherToken);
    const as = (t: string) =>
      fetch(`${stack.http()}/api/activities/${act.id}`, { headers: { authorization: `Bearer ${t}` } });
    expect((await as(act.teacherToken)).status).toBe(401);
    expect((await as(fresh)).status).toBe(200);
    // The dashboard works on with the new link: it reloads, and its live events come back.
    await dashboard.reload();
    await dashboard.locator('table.copies tbody tr').first().waitFor();
    await dashboard.locator('.live-state.live-live').waitFor();
    const stored = await dashboard.evaluate(() => localStorage.getItem('candyce:teaching') ?? '');
    expect(stored).toContain(fresh);
    expect(stored).not.toContain(act.teacherToken);
  });
});
