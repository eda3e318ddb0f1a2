import { describe, expect, it } from 'vitest';
import { secret, startServer, token } from '../../../server/test/helpers.js';
import { nameKey } from '../src/names.js';
import { call, createActivity, joinActivity } from './classroom-fixtures.js';

// Finding 12 of issue 13 (names at join): an anonymous pupil could join
// under the teacher's name, or under another pupil's, and be taken for them
// in the presence badges and the dashboard.

const join = (http: string, code: string, name: unknown, lang?: string) =>
  call(http, 'POST', '/api/join', { body: { code, name }, ...(lang ? { lang } : {}) });

describe('classroom: names at join', () => {
  it('refuses the teacher’s words and display name, whatever the case, accents, spaces or invisible characters', async () => {
    const { http } = await startServer({ secret });
    const teacher = await token({ role: 'teacher', name: 'Mme Curie' });
    const act = await createActivity(http, { title: 'Noms', mode: 'individual' }, teacher);
    const impostors = [
      'Enseignant',
      'enseignant',
      '  ENSEIGNANT ',
      'Énseignant',
      'E n s e i g n a n t',
      'Ensei\u200bgnant',
      'Enseignant.',
      'Enseignante',
      'Teacher',
      'TEACHER!',
      'Professeur',
      'Prof',
      'Mme Curie',
      'mme curie',
      'MME-CURIE',
      'Mmé Cürie',
      'Ｍｍｅ Ｃｕｒｉｅ',
    ];
    for (const name of impostors) {
      const reply = await join(http, act.code, name);
      expect(reply.status, name).toBe(409);
      expect(reply.body).toEqual({
        code: 'name-reserved',
        error: 'Ce nom est celui de l’enseignant : choisissez le vôtre.',
      });
    }
    expect((await join(http, act.code, 'Teacher', 'en')).body.error).toBe(
      'This is the teacher’s name: choose your own.',
    );
    // Refused joins created nothing.
    const rows = await call(http, 'GET', `/api/activities/${act.id}/copies`, { token: teacher });
    expect(rows.body.copies).toHaveLength(0);
    // Names that only contain those words are a pupil's.
    expect((await join(http, act.code, 'Marie Curie')).status).toBe(200);
    expect((await join(http, act.code, 'Profane')).status).toBe(200);
    // Punctuation alone names nobody.
    expect((await join(http, act.code, '...')).body.code).toBe('name-required');
  });

  it('refuses the local teacher’s name in open mode, and in a demonstration', async () => {
    const { http } = await startServer();
    for (const mode of ['individual', 'demo']) {
      const act = await createActivity(http, { title: 'Open', mode });
      expect((await join(http, act.code, 'enseignant')).body.code).toBe('name-reserved');
    }
  });

  it('tells apart two pupils with one name, also when they join at once', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Homonymes', mode: 'pairs' });
    const first = await joinActivity(http, { code: act.code, name: 'Léa' });
    expect(first.pupil.name).toBe('Léa');
    const second = await joinActivity(http, { code: act.code, name: 'lea' });
    expect(second.pupil.name).toBe('lea (2)');
    // Her partner, by pair code, is told apart too.
    const partner = await joinActivity(http, { code: act.code, name: 'LÉA', pairCode: first.copy.pairCode });
    expect(partner.pupil.name).toBe('LÉA (3)');
    const typedNumber = await joinActivity(http, { code: act.code, name: 'Léa (2)' });
    expect(typedNumber.pupil.name).toBe('Léa (2) (2)');
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => joinActivity(http, { code: act.code, name: 'Noé' })),
    );
    const names = burst.map((b) => b.pupil.name);
    expect(new Set(names.map(nameKey)).size).toBe(6);
    expect(names).toContain('Noé');
    // A name at the length limit keeps the limit with its number.
    const long = 'x'.repeat(60);
    await joinActivity(http, { code: act.code, name: long });
    const longer = await joinActivity(http, { code: act.code, name: long });
    expect([...longer.pupil.name]).toHaveLength(60);
    expect(longer.pupil.name.endsWith(' (2)')).toBe(true);
    // The token carries the distinct name, which presence states must claim.
    const claims = JSON.parse(Buffer.from(second.token.split('.')[1], 'base64url').toString());
    expect(claims.name).toBe('lea (2)');
  });

  it('keeps the name of a host platform’s pupil token as the host gave it', async () => {
    const { http } = await startServer({ secret });
    const teacher = await token({ role: 'teacher', name: 'Mme Curie' });
    const act = await createActivity(http, { title: 'Hôte', mode: 'individual' }, teacher);
    const hosted = await call(http, 'POST', '/api/join', {
      token: await token({ sub: 'host-1', role: 'student', name: 'Ada', rooms: [] }),
      body: { code: act.code },
    });
    expect(hosted.status).toBe(200);
    const twin = await call(http, 'POST', '/api/join', {
      token: await token({ sub: 'host-2', role: 'student', name: 'Ada', rooms: [] }),
      body: { code: act.code },
    });
    expect(twin.body.pupil.name).toBe('Ada');
  });
});
