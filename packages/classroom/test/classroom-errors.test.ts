import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, tempDir } from '../../../server/test/helpers.js';
import { AttemptLimiter } from '../src/attempts.js';
import { call, createActivity, joinActivity, lesson } from './classroom-fixtures.js';

describe('classroom: bad input gets a clear message in French or English', () => {
  it('refuses a wrong code and an expired one, in French by default and in English when preferred', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Codes', mode: 'individual' });
    const wrong = await call(http, 'POST', '/api/join', { body: { code: 'ZZZZZZ', name: 'Ada' } });
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual({
      code: 'unknown-code',
      error: 'Ce code ne correspond à aucune activité : vérifiez-le auprès de votre enseignant.',
    });
    const wrongEn = await call(http, 'POST', '/api/join', {
      body: { code: 'ZZZZZZ', name: 'Ada' },
      lang: 'en-US,en;q=0.9,fr;q=0.8',
    });
    expect(wrongEn.body).toEqual({
      code: 'unknown-code',
      error: 'This code matches no activity: check it with your teacher.',
    });
    // French wins when the header prefers it, and for languages we do not speak.
    const preferFr = await call(http, 'POST', '/api/join', {
      body: { code: 'ZZZZZZ' },
      lang: 'fr-FR,en;q=0.5',
    });
    expect(preferFr.body.error).toMatch(/^Ce code/);
    const german = await call(http, 'POST', '/api/join', { body: { code: 'ZZZZZZ' }, lang: 'de-DE' });
    expect(german.body.error).toMatch(/^Ce code/);
    const weighted = await call(http, 'POST', '/api/join', {
      body: { code: 'ZZZZZZ' },
      lang: 'fr;q=0.4, en;q=0.8',
    });
    expect(weighted.body.error).toMatch(/^This code/);

    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { joinOpen: false },
    });
    const closed = await call(http, 'POST', '/api/join', { body: { code: act.code, name: 'Ada' } });
    expect(closed.status).toBe(410);
    expect(closed.body).toEqual({
      code: 'code-expired',
      error: 'Cette activité ne peut plus être rejointe (inscriptions fermées ou date limite passée).',
    });
    const closedEn = await call(http, 'POST', '/api/join', {
      body: { code: act.code, name: 'Ada' },
      lang: 'en',
    });
    expect(closedEn.body.error).toBe(
      'This activity can no longer be joined (joining is closed or the deadline has passed).',
    );
    const past = await createActivity(http, {
      title: 'Past',
      mode: 'individual',
      deadline: '2020-01-01T00:00:00Z',
    });
    expect(past.deadline).toBe('2020-01-01T00:00:00.000Z');
    expect(
      (await call(http, 'POST', '/api/join', { body: { code: past.code, name: 'Ada' } })).body.code,
    ).toBe('code-expired');
  });

  it('asks for a name, refuses a name too long and an unknown pair code', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Names', mode: 'pairs' });
    const cases: [unknown, number, string, string][] = [
      [{ code: act.code }, 400, 'name-required', 'Give your name to join the activity.'],
      [{ code: act.code, name: ' \u0007 \n ' }, 400, 'name-required', 'Give your name to join the activity.'],
      [{ code: act.code, name: 42 }, 400, 'name-required', 'Give your name to join the activity.'],
      [
        { code: act.code, name: 'x'.repeat(61) },
        400,
        'name-too-long',
        'This name is too long (at most 60 characters).',
      ],
      [
        { code: act.code, name: 'Ada', pairCode: 'QQQQQ' },
        404,
        'unknown-pair-code',
        'This pair code is unknown in this activity: check it with your partner.',
      ],
      [{ name: 'Ada' }, 400, 'bad-request', 'Give the code of the activity.'],
    ];
    for (const [body, status, code, error] of cases) {
      const reply = await call(http, 'POST', '/api/join', { body, lang: 'en' });
      expect({ body, status: reply.status, reply: reply.body }).toEqual({
        body,
        status,
        reply: { code, error },
      });
    }
    const french = await call(http, 'POST', '/api/join', { body: { code: act.code, name: 'x'.repeat(61) } });
    expect(french.body.error).toBe('Ce nom est trop long (60 caractères au plus).');
    // A 60-character name with accents is fine.
    const long = await joinActivity(http, { code: act.code, name: 'é'.repeat(60) });
    expect(long.pupil.name).toBe('é'.repeat(60));
  });

  it('answers 400 with a message to bad bodies, and changes nothing', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Bodies', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const t = act.teacherToken;
    const copy = `/api/activities/${act.id}/copies/${ada.copy.id}`;
    const cases: [string, string, { body?: unknown; raw?: string }, RegExp][] = [
      ['POST', '/api/activities', { raw: '{"title":' }, /^Body is not valid JSON/],
      ['POST', '/api/activities', { raw: '[1,2]' }, /^Body must be a JSON object/],
      ['POST', '/api/activities', { body: { mode: 'individual' } }, /^"title" is required/],
      [
        'POST',
        '/api/activities',
        { body: { title: 'x'.repeat(201), mode: 'individual' } },
        /"title" is too long/,
      ],
      ['POST', '/api/activities', { body: { title: 'T', mode: 'solo' } }, /^"mode" must be/],
      [
        'POST',
        '/api/activities',
        { body: { title: 'T', mode: 'pairs', deadline: 'tomorrow' } },
        /^"deadline" must be/,
      ],
      [
        'POST',
        '/api/activities',
        { body: { title: 'T', mode: 'pairs', notebook: [] } },
        /^"notebook" must be/,
      ],
      [
        'POST',
        '/api/activities',
        { body: { title: 'T', mode: 'pairs', notebook: { cells: 3 } } },
        /^Invalid notebook/,
      ],
      ['POST', '/api/join', { raw: 'code=ABC' }, /^Body is not valid JSON/],
      ['PATCH', `/api/activities/${act.id}`, { body: { locked: 'yes' } }, /^"locked" must be true or false/],
      ['PATCH', `/api/activities/${act.id}`, { body: { title: 7 } }, /^"title" must be a string/],
      ['PATCH', `/api/activities/${act.id}`, { body: { deadline: 12 } }, /^"deadline" must be/],
      ['PATCH', copy, { body: { state: 'done' } }, /^"state" must be/],
      ['PATCH', copy, { body: { grade: { value: 3 } } }, /^"grade" must be a string/],
      [
        'PATCH',
        `/api/activities/${act.id}/copies`,
        { body: { copies: 'some', state: 'corrected' } },
        /^"copies" must be/,
      ],
      [
        'PATCH',
        `/api/activities/${act.id}/copies`,
        { body: { copies: ['nope'], state: 'corrected' } },
        /^Unknown copy/,
      ],
      ['PATCH', `/api/activities/${act.id}/copies`, { body: { copies: 'all' } }, /^"state" must be/],
      ['POST', `/api/activities/${act.id}/copies`, { body: { label: 'x' } }, /^Only activities in pairs/],
      ['POST', `${copy}/comments`, { body: { cell_id: 'answer' } }, /^"text" is required/],
      ['POST', `${copy}/comments`, { body: { text: 'hi' } }, /^"cell_id" is required/],
    ];
    for (const [method, path, body, message] of cases) {
      const reply = await call(http, method, path, { token: t, lang: 'en', ...body });
      expect({ method, path, status: reply.status, code: reply.body.code }).toEqual({
        method,
        path,
        status: 400,
        code: 'bad-request',
      });
      expect(reply.body.error).toMatch(message);
    }
    const french = await call(http, 'POST', '/api/activities', {
      token: t,
      body: { title: 'T', mode: 'solo' },
    });
    expect(french.body.error).toBe('« mode » doit valoir "individual", "pairs", "class" ou "demo".');
    // Nothing changed.
    const info = (await call(http, 'GET', `/api/activities/${act.id}`, { token: t })).body;
    expect(info).toMatchObject({ title: 'Bodies', locked: false, deadline: null });
    const status = (await call(http, 'GET', copy, { token: t })).body;
    expect(status).toMatchObject({ state: 'in-progress', grade: null, comments: [] });
  });

  it('answers 404 for unknown activities, copies and routes, 405 for wrong methods, 401 for bad tokens', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Routes', mode: 'individual' });
    const t = act.teacherToken;
    expect(
      (await call(http, 'GET', `/api/activities/${act.id}/copies/abcdefgh`, { token: t })).body.code,
    ).toBe('not-found');
    expect((await call(http, 'GET', `/api/activities/${act.id}/nothing`, { token: t })).status).toBe(404);
    // The local teacher of open mode (no token) may see every activity; unknown ones are 404.
    const missing = await call(http, 'GET', '/api/activities/aaaaaaaaaa', { lang: 'en' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('Not found: this activity, copy or hand-in does not exist.');
    const wrongMethod = await call(http, 'DELETE', `/api/activities/${act.id}`, { token: t, lang: 'en' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error).toBe('Method DELETE is not allowed here: use GET or PATCH.');
    expect((await call(http, 'PUT', '/api/join')).status).toBe(405);
    const bad = await call(http, 'GET', `/api/activities/${act.id}`, { token: 'not-a-token', lang: 'en' });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('unauthorized');
    const badJoin = await call(http, 'POST', '/api/join', {
      token: 'not-a-token',
      body: { code: act.code, name: 'A' },
    });
    expect(badJoin.status).toBe(401);
    const events = await fetch(`${http}/api/activities/${act.id}/events`, {
      headers: { authorization: 'Bearer garbage' },
    });
    expect(events.status).toBe(401);
  });

  it('stops a client guessing codes after 60 wrong ones in a minute, with a message', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Guess', mode: 'individual' });
    for (let i = 0; i < 60; i++) {
      const wrong = await call(http, 'POST', '/api/join', {
        body: { code: `ZZZ${String(i).padStart(3, '2')}`, name: 'X' },
      });
      expect(wrong.status).toBe(404);
    }
    const blocked = await call(http, 'POST', '/api/join', {
      body: { code: act.code, name: 'Ada' },
      lang: 'en',
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      code: 'too-many-attempts',
      error: 'Too many wrong codes from this device: wait a minute before trying again.',
    });
  });

  it('forgets wrong attempts older than the window', () => {
    const limiter = new AttemptLimiter(2, 1000);
    limiter.fail('a', 0);
    limiter.fail('a', 10);
    expect(limiter.blocked('a', 20)).toBe(true);
    expect(limiter.blocked('b', 20)).toBe(false);
    expect(limiter.blocked('a', 1005)).toBe(false);
    expect(limiter.blocked('a', 1011)).toBe(false);
  });

  it('serves the web app page at the join and dashboard paths', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Candyce app</title>');
    const { http } = await startServer({ staticDir: dir });
    for (const path of ['/j', '/j/', '/j/ABC234', '/a/abcdefghij']) {
      const res = await fetch(`${http}${path}`);
      expect({ path, status: res.status, text: await res.text() }).toEqual({
        path,
        status: 200,
        text: '<!doctype html><title>Candyce app</title>',
      });
    }
  });
});
