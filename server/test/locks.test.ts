import { getCell, readCell, sourceOf } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { connect, lockedNotebook, secret, startServer, synced, token, waitFor } from './helpers.js';

describe('cell locks on the server', () => {
  it('closes a student who edits a locked cell and keeps the room unchanged', async () => {
    const { http, ws, server } = await startServer({ secret });
    const teacher = `Bearer ${await token({ role: 'teacher', name: 'Prof' })}`;
    const put = await fetch(`${http}/api/notebooks/lesson`, {
      method: 'PUT',
      headers: { authorization: teacher, 'content-type': 'application/json' },
      body: JSON.stringify(lockedNotebook),
    });
    expect(put.status).toBeLessThan(300);
    const pupil = connect(ws, 'lesson', await token({ role: 'student', name: 'Ada' }));
    await synced(pupil);
    sourceOf(getCell(pupil.doc, 'answer')).insert(0, 'y = 2');
    await waitFor(
      async () => readCell((await server.rooms.peek('lesson'))!.doc, 'answer').source === 'y = 2',
      'the free cell edit to reach the server',
    );
    sourceOf(getCell(pupil.doc, 'given')).insert(0, '# hacked\n');
    await waitFor(() => pupil.closes.some((c) => c.code === 4423), 'the student to be closed with 4423');
    expect(pupil.closes.find((c) => c.code === 4423)?.reason).toMatch(/Locked cell/);
    const doc = (await server.rooms.peek('lesson'))!.doc;
    expect(readCell(doc, 'given').source).toBe('x = 1');
    expect(readCell(doc, 'answer').source).toBe('y = 2');
  });

  it('lets a teacher edit a locked cell', async () => {
    const { http, ws, server } = await startServer({ secret });
    const auth = await token({ role: 'teacher', name: 'Prof' });
    await fetch(`${http}/api/notebooks/lesson`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: JSON.stringify(lockedNotebook),
    });
    const prof = connect(ws, 'lesson', auth);
    await synced(prof);
    sourceOf(getCell(prof.doc, 'given')).insert(0, '# corrigé\n');
    await waitFor(
      async () => readCell((await server.rooms.peek('lesson'))!.doc, 'given').source === '# corrigé\nx = 1',
      'the teacher edit to reach the server',
    );
    expect(prof.closes).toEqual([]);
  });
});
