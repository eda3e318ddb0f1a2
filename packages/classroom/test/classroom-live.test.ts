import { appendOutput, setExecutionCount } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { connect, seededRandom, startServer, synced, waitFor } from '../../../server/test/helpers.js';
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

type Row = {
  id: string;
  online: boolean;
  lastEditAt: string | null;
  cellsRun: number;
  errors: number;
} & Record<string, unknown>;

describe('classroom: live dashboard, statuses, a full class, CSV', () => {
  it("updates the teacher's dashboard rows live when a pupil joins, connects, edits, runs and fails", async () => {
    const { http, ws } = await startServer();
    const act = await createActivity(http, { title: 'Live', mode: 'individual', notebook: lesson });
    const dashboard = await openEvents(http, `/api/activities/${act.id}/events`, act.teacherToken);
    expect(dashboard.status).toBe(200);
    const last = (): Row[] => dashboard.events.at(-1)?.data.copies ?? [];
    await waitFor(() => dashboard.events.length > 0, 'the first dashboard event');
    expect(dashboard.events[0]).toEqual({ event: 'dashboard', data: { copies: [] } });

    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    await waitFor(() => last().length === 1, 'the new row');
    expect(last()[0]).toMatchObject({
      id: ada.copy.id,
      label: 'Ada',
      members: [{ id: ada.pupil.id, name: 'Ada', online: false }],
      online: false,
      lastEditAt: null,
      cellsRun: 0,
      errors: 0,
      state: 'in-progress',
    });

    const pupil = await open(ws, ada.copy.room, ada.token);
    await waitFor(() => last()[0]?.online === true, 'Ada to be online');
    typeIn(pupil, 'answer', '1/0');
    await waitFor(() => last()[0]?.lastEditAt !== null, 'the last edit time');
    // A run in the pupil's browser: execution count, then an error output.
    setExecutionCount(pupil.doc, 'answer', 1);
    appendOutput(pupil.doc, 'answer', {
      output_type: 'error',
      ename: 'ZeroDivisionError',
      evalue: 'division by zero',
      traceback: [],
    });
    setExecutionCount(pupil.doc, 'check', 2);
    await waitFor(() => last()[0]?.cellsRun === 2 && last()[0]?.errors === 1, 'two runs and one error');
    // The REST view agrees with the stream.
    const rows = (await call(http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken }))
      .body.copies;
    expect(rows[0]).toMatchObject({ online: true, cellsRun: 2, errors: 1 });

    pupil.destroy();
    await waitFor(() => last()[0]?.online === false, 'Ada to be offline');
  });

  it("streams a pupil's status: grade, comments, hand-in and the deadline as it passes", async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Status', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const stream = await openEvents(http, `/api/activities/${act.id}/events`, ada.token);
    const last = () => stream.events.at(-1)?.data;
    await waitFor(() => stream.events.length > 0, 'the first status');
    expect(stream.events[0]!.event).toBe('status');
    expect(last()).toMatchObject({
      id: ada.copy.id,
      state: 'in-progress',
      readOnly: null,
      grade: null,
      comments: [],
    });
    const base = `/api/activities/${act.id}/copies/${ada.copy.id}`;
    await call(http, 'PATCH', base, { token: act.teacherToken, body: { grade: '12/20' } });
    await waitFor(() => last()?.grade === '12/20', 'the grade');
    await call(http, 'POST', `${base}/comments`, {
      token: act.teacherToken,
      body: { cell_id: 'answer', text: 'Bien' },
    });
    await waitFor(() => last()?.comments.length === 1, 'the comment');
    // A deadline a moment ahead: the status turns read-only when it passes, with no request.
    const soon = new Date(Date.now() + 1500).toISOString();
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { deadline: soon },
    });
    await waitFor(() => last()?.deadline === soon, 'the new deadline');
    expect(last()?.readOnly).toBeNull();
    await waitFor(() => last()?.readOnly === 'deadline', 'the deadline to pass');
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { deadline: null },
    });
    await call(http, 'POST', `${base}/handin`, { token: ada.token });
    await waitFor(() => last()?.state === 'handed-in' && last()?.readOnly === 'handed-in', 'the hand-in');
  });

  it('gives each of 35 pupils joining at once a distinct copy of the template', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Class of 35', mode: 'individual', notebook: lesson });
    const names = Array.from({ length: 35 }, (_, i) => `Élève ${i + 1}`);
    const replies = await Promise.all(
      names.map((name) => call(http, 'POST', '/api/join', { body: { code: act.code, name } })),
    );
    expect(replies.map((r) => r.status)).toEqual(names.map(() => 200));
    const copies = new Set(replies.map((r) => r.body.copy.id));
    expect(copies.size).toBe(35);
    expect(new Set(replies.map((r) => r.body.pupil.id)).size).toBe(35);
    const rows = (await call(http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken }))
      .body.copies;
    expect(rows.map((r: { label: string }) => r.label).sort()).toEqual([...names].sort());
    // Every copy is a fork of the template that its pupil can open and write.
    const clients = await Promise.all(replies.map((r) => open(ws, r.body.copy.room, r.body.token)));
    for (const [i, client] of clients.entries()) {
      expect(sourceIn(client.doc, 'statement')).toBe('# Fractions\nAdd 1/2 and 1/3.');
      typeIn(client, 'answer', names[i]!);
    }
    for (const [i, r] of replies.entries())
      await waitForRoom(
        server,
        r.body.copy.room,
        (d) => sourceIn(d, 'answer') === names[i],
        `${names[i]}'s answer`,
      );
  });

  it('lets exactly one of many pupils racing for the same pair code in (seeded order)', async () => {
    const seed = Date.now() % 100_000;
    const random = seededRandom(seed);
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Race', mode: 'pairs' });
    const first = await joinActivity(http, { code: act.code, name: 'First' });
    const names = Array.from({ length: 10 }, (_, i) => `Racer ${i}`).sort(() => random() - 0.5);
    const replies = await Promise.all(
      names.map((name) =>
        call(http, 'POST', '/api/join', { body: { code: act.code, name, pairCode: first.copy.pairCode } }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect({ seed, statuses }).toEqual({ seed, statuses: [200, ...Array(9).fill(409)] });
    const rows = (await call(http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken }))
      .body.copies;
    expect(rows).toHaveLength(1);
    expect(rows[0].members).toHaveLength(2);
  });

  it('exports grades and hand-in times as CSV, one line per pupil, with names quoted and defused', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'CSV', mode: 'pairs', notebook: lesson });
    const eve = await joinActivity(http, { code: act.code, name: 'Eve, "the first"' });
    const fay = await joinActivity(http, {
      code: act.code,
      name: '=HYPERLINK("x")',
      pairCode: eve.copy.pairCode,
    });
    const formed = await call(http, 'POST', `/api/activities/${act.id}/copies`, {
      token: act.teacherToken,
      body: {},
    });
    expect(formed.body.label).toBe('Binôme 2');
    const handed = await call(http, 'POST', `/api/activities/${act.id}/copies/${eve.copy.id}/handin`, {
      token: fay.token,
    });
    await call(http, 'PATCH', `/api/activities/${act.id}/copies/${eve.copy.id}`, {
      token: act.teacherToken,
      body: { grade: 17.5 },
    });
    const csv = await call(http, 'GET', `/api/activities/${act.id}/grades.csv`, { token: act.teacherToken });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(
      [
        'pupil,copy,state,handed_in_at,grade',
        `"Eve, ""the first""",${eve.copy.id},handed-in,${handed.body.at},17.5`,
        `"'=HYPERLINK(""x"")",${eve.copy.id},handed-in,${handed.body.at},17.5`,
        `,${formed.body.id},in-progress,,`,
        '',
      ].join('\r\n'),
    );
  });

  it('keeps the statistics of a copy across a restart', async () => {
    const first = await startServer();
    const act = await createActivity(first.http, { title: 'Stats', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(first.http, { code: act.code, name: 'Ada' });
    const pupil = connect(first.ws, ada.copy.room, ada.token);
    await synced(pupil);
    setExecutionCount(pupil.doc, 'answer', 1);
    await waitFor(
      async () =>
        (await call(first.http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken })).body
          .copies[0].cellsRun === 1,
      'the run to count',
    );
    pupil.destroy();
    await first.close();
    const second = await startServer({ dataDir: first.dataDir });
    const rows = (
      await call(second.http, 'GET', `/api/activities/${act.id}/copies`, { token: act.teacherToken })
    ).body.copies;
    expect(rows[0]).toMatchObject({ cellsRun: 1, errors: 0, online: false });
    expect(rows[0].lastEditAt).not.toBeNull();
  });
});
