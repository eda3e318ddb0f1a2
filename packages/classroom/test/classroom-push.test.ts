import { deleteCell, findCell, insertCell, setCellSource } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../../server/test/helpers.js';
import {
  call,
  cellIdsIn,
  createActivity,
  joinActivity,
  lesson,
  open,
  sourceIn,
  typeIn,
  waitForRoom,
} from './classroom-fixtures.js';

// Pushing a correction is no longer blind (issue 21, major 10): a preview
// says which cells a push adds, changes and removes since the previous push;
// one cell can be pushed alone; the copies' statuses name the cells changed.

const teacher = { role: 'teacher' as const };

describe('classroom: the preview of a push, and pushing one cell', () => {
  it('previews, pushes one cell, then the rest, without duplicating anything', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Push', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code, name: 'Bob' });
    const path = `/api/activities/${act.id}/push`;
    const preview = async () => (await call(http, 'GET', path, { token: act.teacherToken })).body;

    expect(await preview()).toEqual({ since: null, added: [], changed: [], removed: [], copies: 2 });

    const pupil = await open(ws, ada.copy.room, ada.token);
    typeIn(pupil, 'answer', 'x = 1/2 + 1/3');
    await waitForRoom(server, ada.copy.room, (d) => sourceIn(d, 'answer').includes('x ='), 'Ada’s answer');

    const template = await open(ws, `act-${act.id}`, act.teacherToken);
    setCellSource(template.doc, 'check', 'print(5/6)', teacher);
    insertCell(
      template.doc,
      2,
      { cell_type: 'markdown', id: 'hint', source: '\n  Indice : le dénominateur commun.\nSuite' },
      teacher,
    );
    deleteCell(template.doc, 'statement', teacher);
    await waitForRoom(
      server,
      `act-${act.id}`,
      (d) => findCell(d, 'statement') === undefined && findCell(d, 'hint') !== undefined,
      'the corrections',
    );
    expect(await preview()).toEqual({
      since: null,
      added: [{ id: 'hint', type: 'markdown', excerpt: 'Indice : le dénominateur commun.' }],
      changed: [{ id: 'check', type: 'code', excerpt: 'print(5/6)' }],
      removed: [{ id: 'statement', type: 'markdown', excerpt: '# Fractions' }],
      copies: 2,
    });

    // One cell alone: only it changes in the copies; the pupil's answer stays.
    const one = await call(http, 'POST', path, { token: act.teacherToken, body: { cells: ['check'] } });
    expect(one.body).toEqual({ copies: 2, cells: ['check'] });
    for (const p of [ada, bob]) {
      const copy = (await server.rooms.peek(p.copy.room))!;
      expect(cellIdsIn(copy.doc)).toEqual(['statement', 'answer', 'check']);
      expect(sourceIn(copy.doc, 'check')).toBe('print(5/6)');
    }
    await waitForRoom(
      server,
      ada.copy.room,
      (d) => sourceIn(d, 'answer') === 'x = 1/2 + 1/3',
      'Ada’s answer kept',
    );
    const status = (
      await call(http, 'GET', `/api/activities/${act.id}/copies/${ada.copy.id}`, { token: ada.token })
    ).body;
    expect(status.push).toMatchObject({ cells: ['check'] });
    const after = await preview();
    expect(after.since).toBe(status.push.at);
    expect(after.changed).toEqual([]);
    expect(after.added.map((c: { id: string }) => c.id)).toEqual(['hint']);
    expect(after.removed.map((c: { id: string }) => c.id)).toEqual(['statement']);

    // The teacher changes the pushed cell again; the whole push brings everything, once.
    setCellSource(template.doc, 'check', 'print(1/2 + 1/3)', teacher);
    await waitForRoom(
      server,
      `act-${act.id}`,
      (d) => sourceIn(d, 'check') === 'print(1/2 + 1/3)',
      'the new check',
    );
    expect((await preview()).changed.map((c: { id: string }) => c.id)).toEqual(['check']);
    const all = await call(http, 'POST', path, { token: act.teacherToken });
    expect(all.body).toEqual({ copies: 2, cells: ['hint', 'check'] });
    for (const p of [ada, bob]) {
      const copy = (await server.rooms.peek(p.copy.room))!;
      expect(cellIdsIn(copy.doc)).toEqual(['answer', 'hint', 'check']);
      expect(sourceIn(copy.doc, 'check')).toBe('print(1/2 + 1/3)');
      expect(sourceIn(copy.doc, 'hint')).toBe('\n  Indice : le dénominateur commun.\nSuite');
    }
    expect(sourceIn((await server.rooms.peek(ada.copy.room))!.doc, 'answer')).toBe('x = 1/2 + 1/3');
    const clean = await preview();
    expect([clean.added, clean.changed, clean.removed]).toEqual([[], [], []]);
    // A second whole push changes nothing and duplicates nothing.
    await call(http, 'POST', path, { token: act.teacherToken });
    const again = (await server.rooms.peek(bob.copy.room))!;
    expect(cellIdsIn(again.doc)).toEqual(['answer', 'hint', 'check']);
    expect(sourceIn(again.doc, 'check')).toBe('print(1/2 + 1/3)');
  });

  it('refuses a bad list of cells, in the request’s language, and pushes nothing', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Push', mode: 'individual', notebook: lesson });
    const path = `/api/activities/${act.id}/push`;
    for (const cells of [[], ['bad id!'], [3], 'check', Array.from({ length: 51 }, (_, i) => `c${i}`)]) {
      const reply = await call(http, 'POST', path, { token: act.teacherToken, body: { cells }, lang: 'en' });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        code: 'bad-request',
        error: '"cells" must be a list of 1 to 50 cell ids.',
      });
    }
    expect((await call(http, 'GET', path, { token: act.teacherToken })).body.since).toBeNull();
    expect((await call(http, 'DELETE', path, { token: act.teacherToken })).status).toBe(405);
  });
});
