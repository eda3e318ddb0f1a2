import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classroomFeature } from '@candyce/classroom';
import { type CandyceServer, createLogger, createServer } from '@candyce/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, classroomApi } from '../src/classroom/api.js';

// The pages' API client against a real server (LevelDB in a temp dir): the
// calls the pages make, and the errors they turn into messages.

let server: CandyceServer;
let dir: string;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'candyce-web-api-'));
  server = createServer({
    port: 0,
    dataDir: join(dir, 'data'),
    logger: createLogger('silent'),
    features: [classroomFeature()],
  });
  base = `http://127.0.0.1:${await server.listen()}`;
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const failure = async (call: Promise<unknown>): Promise<ApiError> => {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('The call succeeded');
};

describe('the classroom API client', () => {
  it('creates an activity, joins it, and reads the dashboard and the pupil’s status', async () => {
    const open = classroomApi({ base, lang: 'fr' });
    const created = await open.createActivity({ title: 'Fractions', mode: 'individual', deadline: null });
    const teacher = classroomApi({ base, lang: 'fr', token: created.teacherToken });
    const joined = await open.join({ code: created.code.toLowerCase(), name: 'Ada' });
    expect(joined.activity.title).toBe('Fractions');
    const { copies } = await teacher.copies(created.id);
    expect(copies.map((c) => c.members.map((m) => m.name))).toEqual([['Ada']]);
    const pupil = classroomApi({ base, lang: 'fr', token: joined.token });
    const status = await pupil.copyStatus(created.id, joined.copy.id!);
    expect(status).toMatchObject({ state: 'in-progress', readOnly: null, grade: null, comments: [] });
    await teacher.updateActivity(created.id, { locked: true });
    expect((await pupil.copyStatus(created.id, joined.copy.id!)).readOnly).toBe('locked');
    expect(await teacher.gradesCsv(created.id)).toContain('Ada');
  });

  it('turns refusals into errors with the stable code and the server’s sentence in the page’s language', async () => {
    const unknown = await failure(classroomApi({ base, lang: 'en' }).join({ code: 'ZZZZZZ', name: 'Ada' }));
    expect(unknown.status).toBe(404);
    expect(unknown.code).toBe('unknown-code');
    expect(unknown.message).not.toBe('');

    const created = await classroomApi({ base, lang: 'fr' }).createActivity({
      title: 'Binômes',
      mode: 'pairs',
      deadline: null,
    });
    const noName = await failure(classroomApi({ base, lang: 'fr' }).join({ code: created.code, name: ' ' }));
    expect(noName.code).toBe('name-required');
    const pupil = await classroomApi({ base, lang: 'fr' }).join({ code: created.code, name: 'Ada' });
    const forbidden = await failure(
      classroomApi({ base, lang: 'fr', token: pupil.token }).copies(created.id),
    );
    expect(forbidden.status).toBe(403);
  });

  it('says when the server cannot be reached', async () => {
    const error = await failure(
      classroomApi({ base: 'http://127.0.0.1:9', lang: 'fr' }).join({ code: 'ABCDEF', name: 'Ada' }),
    );
    expect(error.status).toBe(0);
    expect(error.code).toBe('network');
  });
});
