import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, secret, startServer, token, waitFor } from '../../../server/test/helpers.js';
import {
  call,
  createActivity,
  joinActivity,
  lesson,
  open,
  openEvents,
  sourceIn,
  typeIn,
  waitForRoom,
} from './classroom-fixtures.js';

// Finding 9 of issue 13: anyone with a join code could ask for any number of
// copies (each a full fork of the template), and a teacher had no way to
// remove one. Activities have a cap now, and copies can be removed.

const join = (http: string, code: string, name: string, extra: Record<string, unknown> = {}) =>
  call(http, 'POST', '/api/join', { body: { code, name, ...extra } });

describe('classroom: a cap on the copies of an activity', () => {
  it('refuses the 61st anonymous copy by default, in French and in English, and keeps the 60', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Flood', mode: 'individual', notebook: lesson });
    expect(act.maxCopies).toBe(60);
    for (let i = 0; i < 60; i++) {
      const reply = await join(http, act.code, `Élève ${i}`);
      expect(reply.status).toBe(200);
    }
    const refused = await join(http, act.code, 'Élève 60');
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      code: 'activity-full',
      error:
        'Cette activité a atteint son nombre maximal de copies : demandez à votre enseignant d’en autoriser davantage.',
    });
    const refusedEn = await call(http, 'POST', '/api/join', {
      body: { code: act.code, name: 'Pupil 61' },
      lang: 'en',
    });
    expect(refusedEn.body.error).toBe(
      'This activity has reached its largest number of copies: ask your teacher to allow more.',
    );
    // A burst of attempts beyond the cap creates nothing.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => join(http, act.code, `B${i}`)));
    expect(burst.every((r) => r.status === 409)).toBe(true);
    const rows = await call(http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken });
    expect(rows.body.copies).toHaveLength(60);
  }, 60_000);

  it('takes the teacher’s cap at creation and on the dashboard, and lets returning pupils and partners in', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Trois', mode: 'individual', maxCopies: 2 });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    await joinActivity(http, { code: act.code, name: 'Bob' });
    expect((await join(http, act.code, 'Cyd')).body.code).toBe('activity-full');
    // Ada comes back with her token: she gets her copy, the activity being full.
    const back = await call(http, 'POST', '/api/join', { token: ada.token, body: { code: act.code } });
    expect(back.status).toBe(200);
    expect(back.body.copy.id).toBe(ada.copy.id);
    const raised = await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { maxCopies: 3 },
    });
    expect(raised.status).toBe(200);
    expect(raised.body.maxCopies).toBe(3);
    expect((await join(http, act.code, 'Cyd')).status).toBe(200);
    expect((await join(http, act.code, 'Dee')).status).toBe(409);
    const info = await call(http, 'GET', `/api/activities/${act.id}`, { token: act.teacherToken });
    expect(info.body.maxCopies).toBe(3);

    // Pairs: a partner joins a full activity (no new copy); a new pair does not; nor a teacher's pair.
    const duo = await createActivity(http, { title: 'Duo', mode: 'pairs', maxCopies: 1 });
    const eve = await joinActivity(http, { code: duo.code, name: 'Eve' });
    expect((await join(http, duo.code, 'Fay', { pairCode: eve.copy.pairCode })).status).toBe(200);
    expect((await join(http, duo.code, 'Gil')).body.code).toBe('activity-full');
    const formed = await call(http, 'POST', `/api/activities/${duo.id}/copies`, {
      token: duo.teacherToken,
      body: { label: 'Binôme 2' },
    });
    expect(formed.status).toBe(409);
    expect(formed.body.code).toBe('activity-full');

    // Whole class: the cap counts the pupils of the shared copy.
    const all = await createActivity(http, { title: 'Classe', mode: 'class', maxCopies: 2 });
    await joinActivity(http, { code: all.code, name: 'Hal' });
    await joinActivity(http, { code: all.code, name: 'Ivy' });
    expect((await join(http, all.code, 'Jon')).body.code).toBe('activity-full');
  });

  it('refuses a cap that is not a whole number from 1 to 500, naming the field', async () => {
    const { http } = await startServer();
    for (const maxCopies of [0, -1, 501, 2.5, '10', null, true]) {
      const reply = await call(http, 'POST', '/api/activities', {
        body: { title: 'X', mode: 'individual', maxCopies },
        lang: 'en',
      });
      expect(reply.status, JSON.stringify(maxCopies)).toBe(400);
      expect(reply.body).toEqual({
        code: 'bad-request',
        error: '"maxCopies" must be a whole number from 1 to 500.',
      });
    }
    const act = await createActivity(http, { title: 'Y', mode: 'individual' });
    const patch = await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { maxCopies: 1e9 },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error).toBe('« maxCopies » doit être un nombre entier de 1 à 500.');
  });
});

describe('classroom: the teacher removes a copy', () => {
  it('deletes the room, the record, the grade and the hand-ins, closes its pupil and frees the place', async () => {
    const first = await startServer({ secret });
    const { http, ws, server } = first;
    const act = await createActivity(
      http,
      { title: 'Ménage', mode: 'individual', notebook: lesson, maxCopies: 2 },
      await token({ role: 'teacher', name: 'Mme Curie' }),
    );
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code, name: 'Bob' });
    const adaClient = await open(ws, ada.copy.room, ada.token);
    typeIn(adaClient, 'answer', 'x = 42');
    await waitForRoom(server, ada.copy.room, (d) => sourceIn(d, 'answer') === 'x = 42', 'Ada’s answer');
    const handin = await call(http, 'POST', `/api/activities/${act.id}/copies/${ada.copy.id}/handin`, {
      token: ada.token,
    });
    expect(handin.status).toBe(201);
    await call(http, 'PATCH', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
      token: act.teacherToken,
      body: { grade: '12/20' },
    });
    const status = await openEvents(http, `/api/activities/${act.id}/events`, ada.token);
    const dashboard = await openEvents(http, `/api/activities/${act.id}/events`, act.teacherToken);
    await waitFor(() => status.events.length > 0 && dashboard.events.length > 0, 'both streams');

    // Neither a pupil nor another pupil's token may remove it.
    for (const who of [ada.token, bob.token]) {
      const refused = await call(http, 'DELETE', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
        token: who,
      });
      expect(refused.status).toBe(403);
    }
    const removed = await call(http, 'DELETE', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
      token: act.teacherToken,
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ id: ada.copy.id, deleted: true });

    await waitFor(() => adaClient.closes.some((c) => c.code === 4410), 'Ada’s client closed with 4410');
    expect(await server.rooms.exists(ada.copy.room)).toBe(false);
    const gone = await call(http, 'GET', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
      token: act.teacherToken,
    });
    expect(gone.status).toBe(404);
    const handins = await call(http, 'GET', `/api/activities/${act.id}/copies/${ada.copy.id}/handins`, {
      token: act.teacherToken,
    });
    expect(handins.status).toBe(404);
    await waitFor(
      () => dashboard.events.at(-1)?.data.copies.length === 1,
      'the dashboard to drop the removed row',
    );
    expect(dashboard.events.at(-1)?.data.copies[0].id).toBe(bob.copy.id);
    const csv = await fetch(`${http}/api/activities/${act.id}/grades.csv`, {
      headers: { authorization: `Bearer ${act.teacherToken}` },
    });
    expect(await csv.text()).not.toContain('Ada');
    const again = await call(http, 'DELETE', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
      token: act.teacherToken,
    });
    expect(again.status).toBe(404);

    // Ada's offline copy is refused as stale (4409), never merged into a room of that name.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(adaClient.doc));
    const stale = connect(ws, ada.copy.room, ada.token, offline);
    await waitFor(() => stale.closes.length > 0, 'the stale copy refused');
    expect(stale.closes[0]?.code).toBe(4409);
    // Her token no longer opens any copy: she joins again as a new pupil, in the freed place.
    const rejoin = await call(http, 'POST', '/api/join', { token: ada.token, body: { code: act.code } });
    expect(rejoin.status).toBe(200);
    expect(rejoin.body.copy.id).not.toBe(ada.copy.id);
    expect((await join(http, act.code, 'Cyd')).body.code).toBe('activity-full');

    // Nothing of the removed copy comes back after a restart (statistics saved late included).
    await new Promise((r) => setTimeout(r, 2200));
    await first.close();
    const second = await startServer({ secret, dataDir: first.dataDir });
    const rows = await call(second.http, 'GET', `/api/activities/${act.id}/copies`, {
      token: act.teacherToken,
    });
    expect(rows.body.copies.map((r: { id: string }) => r.id).sort()).toEqual(
      [bob.copy.id, rejoin.body.copy.id].sort(),
    );
    const oldHandin = await call(
      second.http,
      'GET',
      `/api/activities/${act.id}/copies/${ada.copy.id}/handins/${handin.body.handinId}`,
      { token: act.teacherToken },
    );
    expect(oldHandin.status).toBe(404);
  }, 30_000);

  it('ends the removed pupil’s status stream and refuses an unknown copy or a template', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Flux', mode: 'individual' });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code, name: 'Bob' });
    const res = await fetch(`${http}/api/activities/${act.id}/events`, {
      headers: { authorization: `Bearer ${ada.token}` },
    });
    const text = res.text();
    await call(http, 'DELETE', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
      token: act.teacherToken,
    });
    // The stream ends by itself (no abort): text() resolves.
    expect(await text).toContain('event: status');
    for (const bad of ['zzzzzzzz', 'class', '..', 'x'.repeat(300)]) {
      const reply = await call(http, 'DELETE', `/api/activities/${act.id}/copies/${bad}`, {
        token: act.teacherToken,
      });
      expect(reply.status, bad).toBe(404);
    }
    // The shared copy of a whole class stays: every pupil joins it.
    const all = await createActivity(http, { title: 'Classe', mode: 'class' });
    const shared = await call(http, 'DELETE', `/api/activities/${all.id}/copies/class`, {
      token: all.teacherToken,
      lang: 'en',
    });
    expect(shared.status).toBe(400);
    expect(shared.body.error).toBe('The shared copy of a whole-class activity cannot be removed.');
    expect((await joinActivity(http, { code: all.code, name: 'Eve' })).copy.id).toBe('class');
    const wrongMethod = await call(http, 'PUT', `/api/activities/${act.id}/copies/${bob.copy.id}`, {
      token: act.teacherToken,
    });
    expect(wrongMethod.status).toBe(405);
  });
});
