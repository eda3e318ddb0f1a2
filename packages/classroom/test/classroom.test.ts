import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  connect,
  rawClient,
  secret,
  startServer,
  synced,
  token,
  waitFor,
} from '../../../server/test/helpers.js';
import type { ClassroomFeature } from '../src/index.js';
import {
  call,
  createActivity,
  joinActivity,
  lesson,
  open,
  sourceIn,
  typeIn,
  waitForRoom,
} from './classroom-fixtures.js';

describe('classroom: activities and joining', () => {
  it('creates an activity with a join code, a teacher token and the notebook in its template room', async () => {
    const { http, server } = await startServer();
    const created = await createActivity(http, { title: 'Fractions', mode: 'individual', notebook: lesson });
    expect(created.id).toMatch(/^[a-z2-7]{10}$/);
    expect(created.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(created).toMatchObject({
      title: 'Fractions',
      mode: 'individual',
      deadline: null,
      templateRoom: `act-${created.id}`,
      joinPath: `/j/${created.code}`,
      teacherPath: `/a/${created.id}`,
    });
    const claims = decodeJwt(created.teacherToken);
    expect(claims).toMatchObject({ role: 'teacher', rooms: [`act-${created.id}*`], act: created.id });
    expect((claims.exp! - claims.iat!) / 86400).toBe(180);
    const template = await call(http, 'GET', `/api/notebooks/act-${created.id}`, {
      token: created.teacherToken,
    });
    expect(template.body.cells.map((c: { id: string }) => c.id)).toEqual(['statement', 'answer', 'check']);
    const info = await call(http, 'GET', `/api/activities/${created.id}`, { token: created.teacherToken });
    expect(info.body).toMatchObject({ id: created.id, locked: false, joinOpen: true, code: created.code });
    expect((server.feature('classroom') as ClassroomFeature).classroom.activity(created.id)).not.toBeNull();
  });

  it('gives each pupil of an individual activity their own copy forked from the template', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Fractions', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code.toLowerCase(), name: '  Bob  ' });
    expect(ada.pupil.name).toBe('Ada');
    expect(bob.pupil.name).toBe('Bob');
    expect(ada.copy.id).not.toBe(bob.copy.id);
    expect(ada.copy.room).toBe(`act-${act.id}-${ada.copy.id}`);
    expect(ada.activity).toEqual({ id: act.id, title: 'Fractions', mode: 'individual', deadline: null });
    expect(decodeJwt(ada.token)).toMatchObject({
      sub: ada.pupil.id,
      name: 'Ada',
      role: 'student',
      rooms: [ada.copy.room],
      act: act.id,
      copy: ada.copy.id,
    });
    const client = await open(ws, ada.copy.room, ada.token);
    expect(sourceIn(client.doc, 'statement')).toBe('# Fractions\nAdd 1/2 and 1/3.');
    typeIn(client, 'answer', 'print(1/2 + 1/3)');
    await waitForRoom(server, ada.copy.room, (d) => sourceIn(d, 'answer') === 'print(1/2 + 1/3)', 'the edit');
    // The template is untouched by the pupil's edit.
    const template = await call(http, 'GET', `/api/notebooks/act-${act.id}`, { token: act.teacherToken });
    expect(template.body.cells[1].source).toEqual([]);
  });

  it('gives the same copy back to a pupil who joins again with their token', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Fractions', mode: 'individual' });
    const first = await joinActivity(http, { code: act.code, name: 'Ada' });
    const again = await call(http, 'POST', '/api/join', { token: first.token, body: { code: act.code } });
    expect(again.status).toBe(200);
    expect(again.body.copy.id).toBe(first.copy.id);
    expect(again.body.pupil).toEqual(first.pupil);
    // Once joining is closed, newcomers are refused but the pupil still gets their copy back.
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { joinOpen: false },
    });
    expect((await call(http, 'POST', '/api/join', { body: { code: act.code, name: 'New' } })).status).toBe(
      410,
    );
    const back = await call(http, 'POST', '/api/join', { token: first.token, body: { code: act.code } });
    expect(back.status).toBe(200);
    expect(back.body.copy.id).toBe(first.copy.id);
  });

  it('uses the identity of a host-minted student token and keeps its copy for the same sub', async () => {
    const { http } = await startServer({ secret });
    const teacher = await token({ role: 'teacher', name: 'Mme Curie', sub: 't1' });
    const act = await createActivity(http, { title: 'Host', mode: 'individual' }, teacher);
    const hosted = await token({ role: 'student', name: 'Zoé', sub: 'host-42', rooms: [] });
    const one = await call(http, 'POST', '/api/join', {
      token: hosted,
      body: { code: act.code, name: 'ignored' },
    });
    const two = await call(http, 'POST', '/api/join', { token: hosted, body: { code: act.code } });
    expect(one.body.pupil).toEqual({ id: 'host-42', name: 'Zoé' });
    expect(two.body.copy.id).toBe(one.body.copy.id);
    expect(decodeJwt(act.teacherToken).name).toBe('Mme Curie');
  });

  it('puts every pupil of a whole-class activity in the one class copy', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Together', mode: 'class', notebook: lesson });
    const a = await joinActivity(http, { code: act.code, name: 'Ada' });
    const b = await joinActivity(http, { code: act.code, name: 'Bob' });
    expect(a.copy.id).toBe('class');
    expect(b.copy.room).toBe(`act-${act.id}-class`);
    const copies = await call(http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken });
    expect(copies.body.copies).toHaveLength(1);
    expect(copies.body.copies[0].members.map((m: { name: string }) => m.name)).toEqual(['Ada', 'Bob']);
  });

  it('gives a demonstration viewer the template, read-only', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Watch', mode: 'demo', notebook: lesson });
    const viewer = await joinActivity(http, { code: act.code, name: 'Ada' });
    expect(viewer.copy).toEqual({ id: null, room: `act-${act.id}` });
    expect(decodeJwt(viewer.token)).toMatchObject({ role: 'viewer', rooms: [`act-${act.id}`] });
    const teacher = await open(ws, `act-${act.id}`, act.teacherToken);
    const client = await open(ws, `act-${act.id}`, viewer.token);
    typeIn(client, 'answer', 'viewer');
    typeIn(teacher, 'answer', 'teacher');
    await waitFor(
      () => sourceIn(client.doc, 'answer').includes('teacher'),
      'the viewer to follow the teacher',
    );
    expect(sourceIn((await server.rooms.peek(`act-${act.id}`))!.doc, 'answer')).toBe('teacher');
  });
});

describe('classroom: tokens and enforcement', () => {
  it("closes a pupil's WebSocket to another copy or the template with 4403", async () => {
    const { http, ws } = await startServer();
    const act = await createActivity(http, { title: 'Fractions', mode: 'individual' });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code, name: 'Bob' });
    expect((await rawClient(ws, bob.copy.room, ada.token).closed).code).toBe(4403);
    expect((await rawClient(ws, `act-${act.id}`, ada.token).closed).code).toBe(4403);
    expect((await rawClient(ws, 'some-other-room', ada.token).closed).code).toBe(4403);
    // In open mode a forged token is refused, not taken for the local teacher.
    const forged = await token({ role: 'teacher', rooms: ['*'] }, '1h', 'not-the-effective-secret-at-all');
    expect((await rawClient(ws, bob.copy.room, forged).closed).code).toBe(4401);
  });

  it("answers 403 to a pupil's token on the teacher's endpoints and on another copy", async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Fractions', mode: 'individual' });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code, name: 'Bob' });
    const base = `/api/activities/${act.id}`;
    const attempts: [string, string, unknown?][] = [
      ['GET', base],
      ['PATCH', base, { locked: false }],
      ['GET', `${base}/copies`],
      ['POST', `${base}/copies`, { label: 'x' }],
      ['PATCH', `${base}/copies`, { copies: 'all', state: 'in-progress' }],
      ['POST', `${base}/push`],
      ['GET', `${base}/push`],
      ['GET', `${base}/grades.csv`],
      ['PATCH', `${base}/copies/${ada.copy.id}`, { grade: '20/20' }],
      ['POST', `${base}/copies/${ada.copy.id}/comments`, { cell_id: 'answer', text: 'bien' }],
      ['GET', `${base}/copies/${bob.copy.id}`],
      ['POST', `${base}/copies/${bob.copy.id}/handin`],
      ['GET', `${base}/copies/${bob.copy.id}/handins`],
      ['GET', `/api/notebooks/${bob.copy.room}`],
      ['POST', '/api/activities', { title: 'Mine', mode: 'individual' }],
    ];
    for (const [method, path, body] of attempts) {
      const reply = await call(http, method, path, { token: ada.token, body });
      expect({ method, path, status: reply.status }).toEqual({ method, path, status: 403 });
      if (!path.startsWith('/api/notebooks')) expect(reply.body.code).toBe('forbidden');
    }
    const events = await fetch(`${http}${base}/events?copy=${bob.copy.id}`, {
      headers: { authorization: `Bearer ${ada.token}` },
    });
    expect(events.status).toBe(403);
    // Its own copy is fine.
    expect((await call(http, 'GET', `${base}/copies/${ada.copy.id}`, { token: ada.token })).status).toBe(200);
    // A teacher of another activity is refused too.
    const other = await createActivity(http, { title: 'Other', mode: 'individual' });
    expect((await call(http, 'GET', base, { token: other.teacherToken })).status).toBe(403);
  });

  it('requires a teacher token to create an activity when the server has a secret', async () => {
    const { http } = await startServer({ secret });
    const none = await call(http, 'POST', '/api/activities', { body: { title: 'x', mode: 'individual' } });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('unauthorized');
    const pupil = await token({ role: 'student' });
    const refused = await call(http, 'POST', '/api/activities', {
      token: pupil,
      body: { title: 'x', mode: 'individual' },
    });
    expect(refused.status).toBe(403);
  });

  it('makes copies read-only for pupils after the deadline, and not for the teacher', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Timed', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const pupil = await open(ws, ada.copy.room, ada.token);
    const teacher = await open(ws, ada.copy.room, act.teacherToken);
    typeIn(pupil, 'answer', 'before');
    await waitForRoom(server, ada.copy.room, (d) => sourceIn(d, 'answer') === 'before', 'the early edit');
    const past = new Date(Date.now() - 1000).toISOString();
    const patched = await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { deadline: past },
    });
    expect(patched.body.deadline).toBe(past);
    const status = await call(http, 'GET', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
      token: ada.token,
    });
    expect(status.body.readOnly).toBe('deadline');
    typeIn(pupil, 'answer', ' after');
    typeIn(teacher, 'check', ' # teacher');
    await waitForRoom(
      server,
      ada.copy.room,
      (d) => sourceIn(d, 'check').endsWith('# teacher'),
      'the teacher edit',
    );
    // The pupil's edit was sent before the teacher's came back: it was dropped, not stored.
    await waitFor(
      () => sourceIn(pupil.doc, 'check').endsWith('# teacher'),
      'the pupil to get the teacher edit',
    );
    const stored = await call(http, 'GET', `/api/notebooks/${ada.copy.room}`, { token: act.teacherToken });
    expect(stored.body.cells[1].source).toEqual(['before']);
    expect(stored.body.cells[2].source).toEqual(['print(1) # teacher']);
    // Joining is closed as well.
    const late = await call(http, 'POST', '/api/join', { body: { code: act.code, name: 'Late' } });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('code-expired');
    // The teacher removes the deadline: the pupil writes again (from a fresh page: the dropped
    // edit is still in the old page's document, and later edits there depend on it).
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { deadline: null },
    });
    pupil.destroy();
    const reloaded = await open(ws, ada.copy.room, ada.token);
    typeIn(reloaded, 'answer', '!');
    await waitForRoom(
      server,
      ada.copy.room,
      (d) => sourceIn(d, 'answer').endsWith('!'),
      'the edit after reopening',
    );
  });

  it('makes copies read-only for pupils while the activity is locked', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Locked', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const pupil = await open(ws, ada.copy.room, ada.token);
    const teacher = await open(ws, ada.copy.room, act.teacherToken);
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { locked: true },
    });
    typeIn(pupil, 'answer', 'locked out');
    typeIn(teacher, 'check', '!');
    await waitFor(() => sourceIn(pupil.doc, 'check').endsWith('!'), 'the teacher edit to reach the pupil');
    expect(sourceIn((await server.rooms.peek(ada.copy.room))!.doc, 'answer')).toBe('');
  });

  it("refuses a pupil's PUT of a read-only copy with 409 and leaves the copy as it was", async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Put', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const replaced = {
      ...lesson,
      cells: [{ id: 'only', cell_type: 'markdown', metadata: {}, source: 'replaced' }],
    };
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { locked: true },
    });
    const refused = await call(http, 'PUT', `/api/notebooks/${ada.copy.room}`, {
      token: ada.token,
      body: replaced,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('read-only');
    const kept = await call(http, 'GET', `/api/notebooks/${ada.copy.room}`, { token: ada.token });
    expect(kept.body.cells.map((c: { id: string }) => c.id)).toEqual(['statement', 'answer', 'check']);
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { locked: false },
    });
    const accepted = await call(http, 'PUT', `/api/notebooks/${ada.copy.room}`, {
      token: ada.token,
      body: replaced,
    });
    expect(accepted.status).toBe(200);
  });

  it('verifies tokens in open mode with the effective secret kept across restarts', async () => {
    const first = await startServer();
    const act = await createActivity(first.http, { title: 'Persist', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(first.http, { code: act.code, name: 'Ada' });
    await first.close();
    const second = await startServer({ dataDir: first.dataDir });
    const status = await call(second.http, 'GET', `/api/activities/${act.id}/copies/${ada.copy.id}`, {
      token: ada.token,
    });
    expect(status.status).toBe(200);
    expect(status.body.members).toEqual([ada.pupil]);
    const client = connect(second.ws, ada.copy.room, ada.token);
    await synced(client);
    expect(sourceIn(client.doc, 'statement')).toBe('# Fractions\nAdd 1/2 and 1/3.');
  });
});
