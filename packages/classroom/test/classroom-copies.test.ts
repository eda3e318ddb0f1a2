import { findCell, insertCell, sourceOf } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { startServer, waitFor } from '../../../server/test/helpers.js';
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

describe('classroom: pairs, pushes and hand-ins', () => {
  it('merges a pushed correction with the own text of 4 individual pupils and 2 pairs', async () => {
    const { http, ws, server } = await startServer();
    const solo = await createActivity(http, { title: 'Solo', mode: 'individual', notebook: lesson });
    const duo = await createActivity(http, { title: 'Duo', mode: 'pairs', notebook: lesson });
    const pupils = [];
    for (const name of ['Ada', 'Bob', 'Cyd', 'Dee'])
      pupils.push(await joinActivity(http, { code: solo.code, name }));
    // Pair 1: formed by a pupil, whose partner joins with the pair code.
    const eve = await joinActivity(http, { code: duo.code, name: 'Eve' });
    expect(eve.copy.pairCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{5}$/);
    const fay = await joinActivity(http, {
      code: duo.code,
      name: 'Fay',
      pairCode: eve.copy.pairCode.toLowerCase(),
    });
    expect(fay.copy.id).toBe(eve.copy.id);
    const eveStatus = await call(http, 'GET', `/api/activities/${duo.id}/copies/${eve.copy.id}`, {
      token: eve.token,
    });
    expect(eveStatus.body).toMatchObject({ pairCode: eve.copy.pairCode, label: 'Eve & Fay' });
    // Pair 2: formed by the teacher, who hands the pair code to both pupils.
    const formed = await call(http, 'POST', `/api/activities/${duo.id}/copies`, {
      token: duo.teacherToken,
      body: { label: 'Gil et Hal' },
    });
    expect(formed.status).toBe(201);
    expect(formed.body).toMatchObject({ label: 'Gil et Hal', room: `act-${duo.id}-${formed.body.id}` });
    const gil = await joinActivity(http, { code: duo.code, name: 'Gil', pairCode: formed.body.pairCode });
    const hal = await joinActivity(http, { code: duo.code, name: 'Hal', pairCode: formed.body.pairCode });
    expect([gil.copy.id, hal.copy.id]).toEqual([formed.body.id, formed.body.id]);
    const labels = (await call(http, 'GET', `/api/activities/${duo.id}/copies`, { token: duo.teacherToken }))
      .body.copies;
    expect(labels.map((r: { label: string }) => r.label)).toEqual(['Eve & Fay', 'Gil et Hal']);
    const third = await call(http, 'POST', '/api/join', {
      body: { code: duo.code, name: 'Ivy', pairCode: formed.body.pairCode },
      lang: 'en',
    });
    expect(third.status).toBe(409);
    expect(third.body).toEqual({ code: 'pair-full', error: 'This pair is already full (two pupils).' });

    // Every copy writes its own text; in pairs both partners write.
    const writers = [
      ...pupils.map((p) => ({ room: p.copy.room, token: p.token, text: `# ${p.pupil.name}` })),
      ...[eve, fay, gil, hal].map((p) => ({ room: p.copy.room, token: p.token, text: `# ${p.pupil.name}` })),
    ];
    const clients = [];
    for (const w of writers) {
      const client = await open(ws, w.room, w.token);
      typeIn(client, 'answer', `${w.text}\n`);
      clients.push(client);
    }
    for (const w of writers)
      await waitForRoom(server, w.room, (d) => sourceIn(d, 'answer').includes(w.text), `${w.text} stored`);

    // The teachers correct their templates: a changed statement and a new cell.
    for (const act of [solo, duo]) {
      const template = await open(ws, `act-${act.id}`, act.teacherToken);
      typeIn(template, 'statement', '\nCorrection: 5/6.');
      insertCell(template.doc, 3, { cell_type: 'code', id: 'solution', source: 'print(5/6)' });
      await waitForRoom(server, `act-${act.id}`, (d) => findCell(d, 'solution') !== null, 'the correction');
      const pushed = await call(http, 'POST', `/api/activities/${act.id}/push`, { token: act.teacherToken });
      // It names the cells it changed: the new one, then the changed one.
      expect(pushed.body).toEqual({ copies: act === solo ? 4 : 2, cells: ['solution', 'statement'] });
    }

    const statement = '# Fractions\nAdd 1/2 and 1/3.\nCorrection: 5/6.';
    // Connected pupils see the correction live.
    for (const client of clients)
      await waitFor(() => sourceIn(client.doc, 'statement') === statement, 'the correction to reach a pupil');
    for (const p of [...pupils, eve, gil]) {
      const stored = (await call(http, 'GET', `/api/notebooks/${p.copy.room}`, { token: p.token })).body;
      const text = (id: string) =>
        [stored.cells.find((c: { id: string }) => c.id === id)?.source ?? []].flat().join('');
      expect(text('statement')).toBe(statement);
      expect(text('solution')).toBe('print(5/6)');
      const own = writers.filter((w) => w.room === p.copy.room).map((w) => w.text);
      for (const line of own) expect(text('answer')).toContain(line);
      expect(stored.cells.map((c: { id: string }) => c.id)).toEqual([
        'statement',
        'answer',
        'check',
        'solution',
      ]);
    }
    // A second push brings nothing twice.
    await call(http, 'POST', `/api/activities/${solo.id}/push`, { token: solo.teacherToken });
    const again = (await server.rooms.peek(pupils[0]!.copy.room))!;
    expect(cellIdsIn(again.doc)).toEqual(['statement', 'answer', 'check', 'solution']);
    expect(sourceIn(again.doc, 'statement')).toBe(statement);
  });

  it('keeps hand-ins as immutable snapshots and makes the copy read-only until the teacher reopens it', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Hand-in', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const base = `/api/activities/${act.id}/copies/${ada.copy.id}`;
    const pupil = await open(ws, ada.copy.room, ada.token);
    typeIn(pupil, 'answer', 'first');
    await waitForRoom(server, ada.copy.room, (d) => sourceIn(d, 'answer') === 'first', 'the first answer');

    const handed = await call(http, 'POST', `${base}/handin`, { token: ada.token });
    expect(handed.status).toBe(201);
    expect(Date.parse(handed.body.at)).not.toBeNaN();
    const status = (await call(http, 'GET', base, { token: ada.token })).body;
    expect(status).toMatchObject({ state: 'handed-in', handedInAt: handed.body.at, readOnly: 'handed-in' });
    const twice = await call(http, 'POST', `${base}/handin`, { token: ada.token, lang: 'en-GB,en;q=0.9' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('read-only');

    // The pupil's later edits are dropped; the teacher's are kept, and do not change the hand-in.
    typeIn(pupil, 'answer', ' second');
    const teacher = await open(ws, ada.copy.room, act.teacherToken);
    typeIn(teacher, 'check', ' # seen');
    await waitFor(
      () => sourceIn(pupil.doc, 'check').endsWith('# seen'),
      'the teacher edit to reach the pupil',
    );
    expect(sourceIn((await server.rooms.peek(ada.copy.room))!.doc, 'answer')).toBe('first');
    const snapshotPath = `${base}/handins/${handed.body.handinId}`;
    const snapshot = await call(http, 'GET', snapshotPath, { token: ada.token });
    expect(snapshot.status).toBe(200);
    const snapshotText = JSON.stringify(snapshot.body);
    expect(snapshot.body.cells[1].source).toEqual(['first']);
    expect(snapshot.body.cells[2].source).toEqual(['print(1)']);
    expect(snapshot.body.metadata.candyce.handed_in_at).toBe(handed.body.at);

    // Reopened, the pupil works and hands in again: a second snapshot; the first is unchanged.
    await call(http, 'PATCH', base, { token: act.teacherToken, body: { state: 'in-progress' } });
    pupil.destroy();
    const reloaded = await open(ws, ada.copy.room, ada.token);
    typeIn(reloaded, 'answer', ' final');
    await waitForRoom(
      server,
      ada.copy.room,
      (d) => sourceIn(d, 'answer') === 'first final',
      'the final answer',
    );
    const second = await call(http, 'POST', `${base}/handin`, { token: ada.token });
    expect(second.status).toBe(201);
    const list = (await call(http, 'GET', `${base}/handins`, { token: act.teacherToken })).body.handins;
    expect(list.map((h: { id: string }) => h.id)).toEqual([handed.body.handinId, second.body.handinId]);
    expect(JSON.stringify((await call(http, 'GET', snapshotPath, { token: ada.token })).body)).toBe(
      snapshotText,
    );
    const latest = (await call(http, 'GET', `${base}/handins/${second.body.handinId}`, { token: ada.token }))
      .body;
    expect(latest.cells[1].source).toEqual(['first final']);
    // No method changes or deletes a hand-in.
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const reply = await call(http, method, snapshotPath, { token: act.teacherToken, body: { cells: [] } });
      expect(reply.status).toBe(405);
    }
    expect(JSON.stringify((await call(http, 'GET', snapshotPath, { token: ada.token })).body)).toBe(
      snapshotText,
    );
    expect((await call(http, 'GET', `${base}/handins/zzzzzzzzzzzzz`, { token: ada.token })).status).toBe(404);
  });

  it('keeps comments and grades beside the notebook, never in it, and sets states in bulk', async () => {
    const { http, server } = await startServer();
    const act = await createActivity(http, { title: 'Feedback', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code, name: 'Bob' });
    const base = `/api/activities/${act.id}/copies/${ada.copy.id}`;
    const comment = await call(http, 'POST', `${base}/comments`, {
      token: act.teacherToken,
      body: { cell_id: 'answer', text: 'Réduisez au même dénominateur.' },
    });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({
      cell_id: 'answer',
      text: 'Réduisez au même dénominateur.',
      author: 'Enseignant',
    });
    const graded = await call(http, 'PATCH', base, {
      token: act.teacherToken,
      body: { grade: '15/20', state: 'corrected' },
    });
    expect(graded.body).toMatchObject({ grade: '15/20', state: 'corrected', readOnly: 'handed-in' });
    const seen = (await call(http, 'GET', base, { token: ada.token })).body;
    expect(seen.comments).toEqual([comment.body]);
    expect(seen.grade).toBe('15/20');
    // Not in the document, not in the exported notebook.
    const exported = await call(http, 'GET', `/api/notebooks/${ada.copy.room}`, { token: act.teacherToken });
    expect(JSON.stringify(exported.body)).not.toContain('dénominateur');
    expect(JSON.stringify(exported.body)).not.toContain('15/20');
    const room = await server.rooms.acquire(ada.copy.room);
    expect(JSON.stringify(room.doc.toJSON())).not.toContain('dénominateur');
    server.rooms.release(room);

    const removed = await call(http, 'DELETE', `${base}/comments/${comment.body.id}`, {
      token: act.teacherToken,
    });
    expect(removed.status).toBe(200);
    expect((await call(http, 'GET', base, { token: ada.token })).body.comments).toEqual([]);
    expect(
      (await call(http, 'DELETE', `${base}/comments/${comment.body.id}`, { token: act.teacherToken })).status,
    ).toBe(404);

    const bulk = await call(http, 'PATCH', `/api/activities/${act.id}/copies`, {
      token: act.teacherToken,
      body: { copies: 'all', state: 'handed-in' },
    });
    expect(bulk.body).toEqual({ copies: 2 });
    const rows = (await call(http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken }))
      .body.copies;
    expect(rows.map((r: { state: string }) => r.state)).toEqual(['handed-in', 'handed-in']);
    const some = await call(http, 'PATCH', `/api/activities/${act.id}/copies`, {
      token: act.teacherToken,
      body: { copies: [bob.copy.id], state: 'in-progress' },
    });
    expect(some.body).toEqual({ copies: 1 });
    expect(
      (await call(http, 'GET', `/api/activities/${act.id}/copies/${bob.copy.id}`, { token: bob.token })).body
        .state,
    ).toBe('in-progress');
  });

  it('keeps activities, copies, grades and comments across a restart', async () => {
    const first = await startServer();
    const act = await createActivity(first.http, { title: 'Kept', mode: 'pairs', notebook: lesson });
    const eve = await joinActivity(first.http, { code: act.code, name: 'Eve' });
    const base = `/api/activities/${act.id}/copies/${eve.copy.id}`;
    await call(first.http, 'PATCH', base, { token: act.teacherToken, body: { grade: 'A' } });
    await call(first.http, 'POST', `${base}/comments`, {
      token: act.teacherToken,
      body: { cell_id: 'answer', text: 'ok' },
    });
    await call(first.http, 'POST', `${base}/handin`, { token: eve.token });
    await first.close();
    const second = await startServer({ dataDir: first.dataDir });
    const status = (await call(second.http, 'GET', base, { token: eve.token })).body;
    expect(status).toMatchObject({ grade: 'A', state: 'handed-in', members: [eve.pupil] });
    expect(status.comments.map((c: { text: string }) => c.text)).toEqual(['ok']);
    expect(
      (await call(second.http, 'GET', `${base}/handins`, { token: eve.token })).body.handins,
    ).toHaveLength(1);
    const partner = await joinActivity(second.http, {
      code: act.code,
      name: 'Fay',
      pairCode: eve.copy.pairCode,
    });
    expect(partner.copy.id).toBe(eve.copy.id);
    const client = await open(second.ws, eve.copy.room, partner.token);
    expect(sourceOf(findCell(client.doc, 'statement')!).toString()).toBe('# Fractions\nAdd 1/2 and 1/3.');
  });
});
