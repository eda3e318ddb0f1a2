import { describe, expect, it } from 'vitest';
import { startServer, storedEntries, waitFor } from '../../../server/test/helpers.js';
import { call, createActivity, joinActivity, lesson, open, sourceIn, typeIn } from './classroom-fixtures.js';

// A pupil's personal code (issue 21, major 7): shown once at the first join,
// it brings the pupil back into the same copy from another computer; stored
// only as an HMAC; guessed codes are limited like join codes; the teacher
// (or the pupil) can set a new one.

const codeShape = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/;

describe('classroom: personal codes', () => {
  it('brings a pupil back into the same copy from another computer, once, without a second row', async () => {
    const { http, ws } = await startServer();
    const act = await createActivity(http, { title: 'Fractions', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    expect(ada.resumeCode).toMatch(codeShape);
    const client = await open(ws, ada.copy.room, ada.token);
    typeIn(client, 'answer', 'x = 1/2 + 1/3');

    // Another computer: no token, only the join code and the personal code (typed loosely).
    const typed = `${ada.resumeCode.slice(0, 3).toLowerCase()}-${ada.resumeCode.slice(3)}`;
    const back = await joinActivity(http, { code: act.code, resumeCode: typed });
    expect(back.copy).toEqual(ada.copy);
    expect(back.pupil).toEqual(ada.pupil);
    // The code is given once: it is not in the answer again.
    expect(back.resumeCode).toBeUndefined();
    const again = await open(ws, back.copy.room, back.token);
    await waitFor(
      () => sourceIn(again.doc, 'answer') === 'x = 1/2 + 1/3',
      'the pupil’s text on the other computer',
    );
    const rows = (await call(http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken }))
      .body.copies;
    expect(rows).toHaveLength(1);
    expect(rows[0].members.map((m: { name: string }) => m.name)).toEqual(['Ada']);
  });

  it('works once joining is closed and after the deadline, when a new pupil cannot join', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Closed', mode: 'individual' });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const closed = await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { joinOpen: false, deadline: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(closed.status).toBe(200);
    expect((await call(http, 'POST', '/api/join', { body: { code: act.code, name: 'Bob' } })).status).toBe(
      410,
    );
    const back = await joinActivity(http, { code: act.code, resumeCode: ada.resumeCode });
    expect(back.copy.id).toBe(ada.copy.id);
  });

  it('refuses an unknown personal code, counts it as a wrong attempt, and blocks guessing after 60', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Guess', mode: 'individual' });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const wrong = await call(http, 'POST', '/api/join', {
      body: { code: act.code, resumeCode: ada.resumeCode === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA' },
      lang: 'en',
    });
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual({
      code: 'unknown-resume-code',
      error:
        'This personal code matches no copy of this activity: check it, or ask your teacher for a new code.',
    });
    for (let i = 1; i < 60; i++) {
      const guess = await call(http, 'POST', '/api/join', {
        body: { code: act.code, resumeCode: `Z${String(i).padStart(5, '2')}` },
      });
      expect(guess.status).toBe(404);
    }
    // Even the right code is refused now, for this address, until the window passes.
    const blocked = await call(http, 'POST', '/api/join', {
      body: { code: act.code, resumeCode: ada.resumeCode },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('too-many-attempts');
  });

  it('keeps only a keyed hash of the code on disk, and the code works after a restart', async () => {
    const first = await startServer();
    const act = await createActivity(first.http, { title: 'Disk', mode: 'individual' });
    const ada = await joinActivity(first.http, { code: act.code, name: 'Ada' });
    await first.close();
    let entries = 0;
    for (const [key, value] of await storedEntries(first.dataDir)) {
      entries++;
      expect(key).not.toContain(ada.resumeCode);
      expect(value).not.toContain(ada.resumeCode);
    }
    expect(entries).toBeGreaterThan(0);
    const second = await startServer({ dataDir: first.dataDir });
    const back = await joinActivity(second.http, { code: act.code, resumeCode: ada.resumeCode });
    expect(back.copy.id).toBe(ada.copy.id);
  });

  it('lets the teacher set a new code for a pupil of a pair (the old one stops working), and a pupil for themselves only', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Duo', mode: 'pairs' });
    const eve = await joinActivity(http, { code: act.code, name: 'Eve' });
    const fay = await joinActivity(http, { code: act.code, name: 'Fay', pairCode: eve.copy.pairCode });
    expect(fay.resumeCode).toMatch(codeShape);
    const path = `/api/activities/${act.id}/copies/${eve.copy.id}/resume-code`;
    // Two pupils: the teacher names one.
    const which = await call(http, 'POST', path, { token: act.teacherToken, body: {} });
    expect(which.status).toBe(400);
    expect(which.body.code).toBe('bad-request');
    const stranger = await call(http, 'POST', path, {
      token: act.teacherToken,
      body: { member: 'pupil-nobody' },
    });
    expect(stranger.status).toBe(400);
    const renewed = await call(http, 'POST', path, {
      token: act.teacherToken,
      body: { member: fay.pupil.id },
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ member: fay.pupil.id, name: 'Fay' });
    expect(renewed.body.resumeCode).toMatch(codeShape);
    expect(renewed.body.resumeCode).not.toBe(fay.resumeCode);
    expect(
      (await call(http, 'POST', '/api/join', { body: { code: act.code, resumeCode: fay.resumeCode } }))
        .status,
    ).toBe(404);
    const back = await joinActivity(http, { code: act.code, resumeCode: renewed.body.resumeCode });
    expect(back.pupil.id).toBe(fay.pupil.id);
    // Eve's code is untouched.
    expect((await joinActivity(http, { code: act.code, resumeCode: eve.resumeCode })).pupil.id).toBe(
      eve.pupil.id,
    );
    // A pupil renews their own code, not their partner's.
    const own = await call(http, 'POST', path, { token: eve.token });
    expect(own.status).toBe(200);
    expect(own.body.member).toBe(eve.pupil.id);
    const partner = await call(http, 'POST', path, { token: eve.token, body: { member: fay.pupil.id } });
    expect(partner.status).toBe(403);
    // Another activity's teacher gets nothing.
    const other = await createActivity(http, { title: 'Autre', mode: 'individual' });
    expect(
      (await call(http, 'POST', path, { token: other.teacherToken, body: { member: eve.pupil.id } })).status,
    ).toBe(403);
    expect((await call(http, 'GET', path, { token: act.teacherToken })).status).toBe(405);
  });

  it('says who handed a pair’s copy in, to both partners', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Duo', mode: 'pairs' });
    const eve = await joinActivity(http, { code: act.code, name: 'Eve' });
    const fay = await joinActivity(http, { code: act.code, name: 'Fay', pairCode: eve.copy.pairCode });
    const status = `/api/activities/${act.id}/copies/${eve.copy.id}`;
    expect((await call(http, 'GET', status, { token: eve.token })).body.handedInBy).toBeNull();
    expect((await call(http, 'POST', `${status}/handin`, { token: fay.token })).status).toBe(201);
    const seen = (await call(http, 'GET', status, { token: eve.token })).body;
    expect(seen).toMatchObject({ state: 'handed-in', handedInBy: 'Fay' });
  });
});

describe('classroom: what the join page asks first', () => {
  it('tells the mode and title of a join code, and counts unknown codes as wrong attempts', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Binômes', mode: 'pairs' });
    const peek = await call(http, 'GET', `/api/join?code=${act.code.toLowerCase()}`);
    expect(peek.status).toBe(200);
    expect(peek.body).toEqual({ activity: { title: 'Binômes', mode: 'pairs', open: true } });
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { joinOpen: false },
    });
    expect((await call(http, 'GET', `/api/join?code=${act.code}`)).body.activity.open).toBe(false);
    expect((await call(http, 'GET', '/api/join')).status).toBe(400);
    for (let i = 0; i < 60; i++)
      expect((await call(http, 'GET', `/api/join?code=ZZZ${String(i).padStart(3, '2')}`)).status).toBe(404);
    expect((await call(http, 'GET', `/api/join?code=${act.code}`)).status).toBe(429);
  });
});
