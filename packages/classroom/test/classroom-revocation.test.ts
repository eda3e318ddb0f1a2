import { describe, expect, it } from 'vitest';
import { connect, rawClient, secret, startServer, token, waitFor } from '../../../server/test/helpers.js';
import {
  call,
  createActivity,
  joinActivity,
  lesson,
  open,
  openEvents,
  typeIn,
} from './classroom-fixtures.js';

// The "Also" line of issue 13: a teacher token lives 180 days in the
// teacher's browser and in every link copied from it, with no way to revoke
// it. Revoking moves the activity's token generation on: older teacher
// tokens are refused everywhere, and the teacher gets a new link.

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

describe('classroom: revoking the teacher’s old links', () => {
  it('refuses the old teacher token on every path, closes what it holds open, and keeps the new one and the pupils', async () => {
    const first = await startServer({ secret });
    const { http, ws } = first;
    const act = await createActivity(
      http,
      { title: 'Fuite', mode: 'individual', notebook: lesson },
      await token({ role: 'teacher', name: 'Mme Curie', sub: 'curie' }),
    );
    const old = act.teacherToken;
    expect(claimsOf(old)).toMatchObject({ act: act.id, gen: 0 });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    // What the leaked link holds open: a WebSocket on the template and on a copy, and the dashboard.
    const template = connect(ws, `act-${act.id}`, old);
    const inCopy = connect(ws, ada.copy.room, old);
    await waitFor(() => template.provider.synced && inCopy.provider.synced, 'the old token’s clients');
    const dashboard = await openEvents(http, `/api/activities/${act.id}/events`, old);
    await waitFor(() => dashboard.events.length > 0, 'the old dashboard');
    // A second one read whole: its text resolves only when the server ends the stream.
    const ended = fetch(`${http}/api/activities/${act.id}/events`, {
      headers: { authorization: `Bearer ${old}` },
    }).then((r) => r.text());
    const pupil = await open(ws, ada.copy.room, ada.token);

    // A pupil may not revoke.
    expect((await call(http, 'POST', `/api/activities/${act.id}/revoke`, { token: ada.token })).status).toBe(
      403,
    );
    const revoked = await call(http, 'POST', `/api/activities/${act.id}/revoke`, { token: old });
    expect(revoked.status).toBe(200);
    const fresh = revoked.body.teacherToken;
    expect(revoked.body.teacherPath).toBe(`/a/${act.id}`);
    expect(claimsOf(fresh)).toMatchObject({
      act: act.id,
      gen: 1,
      role: 'teacher',
      name: 'Mme Curie',
      sub: 'curie',
    });

    await waitFor(
      () => template.closes.some((c) => c.code === 4401) && inCopy.closes.some((c) => c.code === 4401),
      'the old token’s sockets closed with 4401',
    );
    expect(template.closes[0]?.reason).toMatch(/revoked/i);
    // The pupil's connection stays.
    typeIn(pupil, 'answer', 'still here');
    expect(pupil.closes).toEqual([]);

    // The old token is refused on the classroom API, in words, on the notebooks API and on the socket.
    const refused = await call(http, 'GET', `/api/activities/${act.id}`, { token: old });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      code: 'token-revoked',
      error: 'Ce lien a été révoqué par l’enseignant : utilisez le nouveau lien.',
    });
    expect(
      (await call(http, 'GET', `/api/activities/${act.id}`, { token: old, lang: 'en' })).body.error,
    ).toBe('This link was revoked by the teacher: use the new link.');
    for (const [method, path] of [
      ['GET', `/api/activities/${act.id}/copies`],
      ['POST', `/api/activities/${act.id}/revoke`],
      ['DELETE', `/api/activities/${act.id}/copies/${ada.copy.id}`],
      ['GET', `/api/activities/${act.id}/copies/${ada.copy.id}/handins`],
    ] as const)
      expect((await call(http, method, path, { token: old })).status, `${method} ${path}`).toBe(401);
    const events = await fetch(`${http}/api/activities/${act.id}/events`, {
      headers: { authorization: `Bearer ${old}` },
    });
    expect(events.status).toBe(401);
    const notebook = await fetch(`${http}/api/notebooks/act-${act.id}`, {
      headers: { authorization: `Bearer ${old}` },
    });
    expect(notebook.status).toBe(401);
    const raw = rawClient(ws, `act-${act.id}`, old);
    expect((await raw.closed).code).toBe(4401);
    // The old dashboards ended: no grade given now reaches them.
    expect(await ended).toContain('event: dashboard');
    const before = dashboard.events.length;
    await call(http, 'PATCH', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
      token: fresh,
      body: { grade: '18/20' },
    });
    const watcher = await openEvents(http, `/api/activities/${act.id}/events`, fresh);
    await waitFor(() => watcher.events.at(-1)?.data.copies[0]?.grade === '18/20', 'the new dashboard');
    await new Promise((r) => setTimeout(r, 600));
    expect(dashboard.events.length).toBe(before);

    // The new link works everywhere, the pupil's token too.
    expect((await call(http, 'GET', `/api/activities/${act.id}`, { token: fresh })).status).toBe(200);
    expect(
      (await call(http, 'GET', `/api/activities/${act.id}/copies/${ada.copy.id}`, { token: ada.token }))
        .status,
    ).toBe(200);
    const teacher = await open(ws, `act-${act.id}`, fresh);
    expect(teacher.closes).toEqual([]);

    // Revoking again retires the second link as well; the generation survives a restart.
    const third = (await call(http, 'POST', `/api/activities/${act.id}/revoke`, { token: fresh })).body
      .teacherToken;
    await first.close();
    const second = await startServer({ secret, dataDir: first.dataDir });
    for (const stale of [old, fresh])
      expect((await call(second.http, 'GET', `/api/activities/${act.id}`, { token: stale })).status).toBe(
        401,
      );
    expect((await call(second.http, 'GET', `/api/activities/${act.id}`, { token: third })).status).toBe(200);
  }, 30_000);

  it('leaves a host platform’s teacher tokens (no act claim) to the host', async () => {
    const { http } = await startServer({ secret });
    const host = await token({ role: 'teacher', name: 'Hôte', rooms: ['*'] });
    const act = await createActivity(http, { title: 'Hôte', mode: 'individual' }, host);
    expect((await call(http, 'POST', `/api/activities/${act.id}/revoke`, { token: host })).status).toBe(200);
    expect((await call(http, 'GET', `/api/activities/${act.id}`, { token: host })).status).toBe(200);
    expect((await call(http, 'GET', `/api/activities/${act.id}`, { token: act.teacherToken })).status).toBe(
      401,
    );
  });
});
