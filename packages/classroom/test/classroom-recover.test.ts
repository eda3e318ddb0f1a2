import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { secret, startServer, storedEntries, token } from '../../../server/test/helpers.js';
import { call, createActivity } from './classroom-fixtures.js';

// A teacher who lost the dashboard's link gets a new teacher token with the
// teacher code shown once at creation (issue 21, blocker 2). The server keeps
// only a keyed hash of the code; wrong codes are rate-limited like join codes.

describe('classroom: recovering an activity with its teacher code', () => {
  it('answers the activity and a teacher token named as at creation, for any spelling of the code', async () => {
    const { http, server, dataDir } = await startServer({ secret });
    const owner = await createTeacherToken();
    const act = await createActivity(
      http,
      { title: 'Fractions', mode: 'individual', teacherName: '  Mme   Durand ' },
      owner,
    );
    expect(act.teacherCode).toMatch(
      /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{5}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{5}$/,
    );
    expect(act.teacherName).toBe('Mme Durand');
    expect(decodeJwt(act.teacherToken).name).toBe('Mme Durand');

    const typed = ` ${act.teacherCode.toLowerCase().replace('-', ' ')} `;
    const reply = await call(http, 'POST', '/api/recover', { body: { code: typed } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: act.id,
      title: 'Fractions',
      code: act.code,
      teacherPath: `/a/${act.id}`,
    });
    const claims = decodeJwt(reply.body.teacherToken);
    expect(claims).toMatchObject({
      name: 'Mme Durand',
      role: 'teacher',
      rooms: [`act-${act.id}*`],
      act: act.id,
    });
    expect(claims.sub).toBe(decodeJwt(act.teacherToken).sub);
    const dashboard = await call(http, 'GET', `/api/activities/${act.id}/copies`, {
      token: reply.body.teacherToken,
    });
    expect(dashboard.status).toBe(200);

    // Neither the API nor the records hold the code itself.
    const got = await call(http, 'GET', `/api/activities/${act.id}`, { token: act.teacherToken });
    expect(JSON.stringify(got.body)).not.toContain('teacherCode');
    await server.close();
    const stored = JSON.stringify(await readActivityRecords(dataDir));
    expect(stored).not.toContain(act.teacherCode.replace('-', ''));
    expect(stored).toContain('teacherCodeHash');
    const { http: again } = await startServer({ secret, dataDir });
    // The code still works after a restart.
    expect((await call(again, 'POST', '/api/recover', { body: { code: act.teacherCode } })).status).toBe(200);
  });

  it('refuses a wrong code clearly, a missing one, and too many wrong ones from one address', async () => {
    const { http } = await startServer({ secret });
    const act = await createActivity(
      http,
      { title: 'Codes', mode: 'individual' },
      await createTeacherToken(),
    );
    // Without a display name, a host's teacher token keeps its own name.
    expect(decodeJwt(act.teacherToken).name).toBe('Mme Test');
    const wrong = await call(http, 'POST', '/api/recover', { body: { code: 'ABCDE-FGHJK' } });
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('unknown-teacher-code');
    expect(wrong.body.error).toMatch(/^Ce code enseignant/);
    const english = await call(http, 'POST', '/api/recover', {
      body: { code: 'x'.repeat(10_000) },
      lang: 'en',
    });
    expect(english.status).toBe(404);
    expect(english.body.error).toMatch(/^This teacher code/);
    expect((await call(http, 'POST', '/api/recover', { body: {} })).status).toBe(400);
    expect((await call(http, 'POST', '/api/recover', { body: { code: 7 } })).status).toBe(400);
    expect((await call(http, 'GET', '/api/recover')).status).toBe(405);
    for (let i = 0; i < 60; i++) await call(http, 'POST', '/api/recover', { body: { code: 'ZZZZZ-ZZZZZ' } });
    const blocked = await call(http, 'POST', '/api/recover', { body: { code: act.teacherCode } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('too-many-attempts');
  });

  it('names the teacher token of the local teacher "Enseignant" without a display name', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Open', mode: 'individual' });
    expect(decodeJwt(act.teacherToken).name).toBe('Enseignant');
    const named = await createActivity(http, { title: 'Open', mode: 'individual', teacherName: 'M. Martin' });
    expect(decodeJwt(named.teacherToken).name).toBe('M. Martin');
    const tooLong = await call(http, 'POST', '/api/activities', {
      body: { title: 'Open', mode: 'individual', teacherName: 'x'.repeat(61) },
    });
    expect(tooLong.status).toBe(400);
  });
});

const createTeacherToken = (): Promise<string> =>
  token({ sub: 'teacher-1', name: 'Mme Test', role: 'teacher', rooms: ['*'] });

/** Reads the activity records a stopped server left in its store. */
const readActivityRecords = async (dataDir: string): Promise<unknown[]> =>
  (await storedEntries(dataDir)).filter(([key]) => key.includes('a!')).map(([, value]) => value);
