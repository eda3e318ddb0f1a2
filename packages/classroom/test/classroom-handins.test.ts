import { appendOutput, readOutputs, setExecutionCount } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../../server/test/helpers.js';
import { nbformatSchema, schemaErrors } from '../../model/test/helpers/ipynb.js';
import { withOutputsNotice } from '../src/handin-notice.js';
import {
  call,
  createActivity,
  joinActivity,
  open,
  sourceIn,
  typeIn,
  waitForRoom,
} from './classroom-fixtures.js';

// Findings 15 and 16 of issue 13: outputs in a hand-in are the pupil's word
// (they may write them into locked grading cells), and in whole-class mode
// one pupil's hand-in froze the shared copy for everyone.

/** A notebook whose last cell is a locked nbgrader test. */
const graded = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { id: 'answer', cell_type: 'code', metadata: {}, execution_count: null, source: '', outputs: [] },
    {
      id: 'test',
      cell_type: 'code',
      metadata: {
        editable: false,
        deletable: false,
        nbgrader: {
          grade: true,
          grade_id: 'test',
          locked: true,
          points: 2,
          solution: false,
          schema_version: 3,
        },
      },
      execution_count: null,
      source: 'assert f(2) == 4',
      outputs: [],
    },
  ],
};

describe('classroom: hand-ins say whose outputs they hold', () => {
  it('marks every hand-in’s outputs as written by the pupil, kept valid nbformat', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Tests', mode: 'individual', notebook: graded });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const pupil = await open(ws, ada.copy.room, ada.token);
    // The pupil claims the locked test passed: outputs and a count written from her page.
    appendOutput(
      pupil.doc,
      'test',
      { output_type: 'stream', name: 'stdout', text: 'All tests passed ✓\n' },
      {
        kind: 'local',
        user: 'ada',
      },
    );
    setExecutionCount(pupil.doc, 'test', 7, { kind: 'local', user: 'ada' });
    typeIn(pupil, 'answer', 'def f(x): return 0');
    await waitForRoom(server, ada.copy.room, (d) => sourceIn(d, 'answer') !== '', 'the answer');
    await waitForRoom(
      server,
      ada.copy.room,
      (d) => readOutputs(d, 'test').length === 1,
      'the claimed output',
    );
    const handed = await call(http, 'POST', `/api/activities/${act.id}/copies/${ada.copy.id}/handin`, {
      token: ada.token,
    });
    expect(handed.status).toBe(201);
    const validate = nbformatSchema(5);
    for (const who of [act.teacherToken, ada.token]) {
      const download = await call(
        http,
        'GET',
        `/api/activities/${act.id}/copies/${ada.copy.id}/handins/${handed.body.handinId}`,
        { token: who },
      );
      expect(download.status).toBe(200);
      expect(download.body.metadata.candyce).toMatchObject({
        handed_in_at: handed.body.at,
        outputs_written_by: 'pupil',
      });
      // What the teacher reads: the pupil's claim, which only a re-run of the test can check.
      expect(download.body.cells[1].execution_count).toBe(7);
      expect(validate(download.body), schemaErrors(validate)).toBe(true);
    }
  });

  it('adds the notice to a hand-in stored before it existed, without changing the stored one', () => {
    const stored = { cells: [], metadata: { candyce: { handed_in_at: 'x', activity: 'a', copy: 'c' } } };
    const served = withOutputsNotice(stored) as typeof stored;
    expect(served.metadata.candyce).toEqual({
      handed_in_at: 'x',
      activity: 'a',
      copy: 'c',
      outputs_written_by: 'pupil',
    });
    expect(stored.metadata.candyce).not.toHaveProperty('outputs_written_by');
    // Already there, or not a hand-in's shape: as it is.
    const current = { metadata: { candyce: { outputs_written_by: 'pupil' } } };
    expect(withOutputsNotice(current)).toBe(current);
    for (const odd of [null, 'text', { metadata: null }, { metadata: { candyce: 3 } }])
      expect(withOutputsNotice(odd)).toBe(odd);
  });
});

describe('classroom: in whole-class mode only the teacher hands the shared copy in', () => {
  it('refuses a pupil’s hand-in, which would freeze the copy for the class, and takes the teacher’s', async () => {
    const { http, ws, server } = await startServer();
    const act = await createActivity(http, { title: 'Classe', mode: 'class', notebook: graded });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code, name: 'Bob' });
    expect(ada.copy.id).toBe('class');
    const base = `/api/activities/${act.id}/copies/class`;
    const status = await call(http, 'GET', base, { token: ada.token });
    expect(status.body).toMatchObject({ mode: 'class', state: 'in-progress', readOnly: null });

    const refused = await call(http, 'POST', `${base}/handin`, { token: ada.token });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      code: 'class-handin',
      error: 'En classe entière, la copie est commune : c’est l’enseignant qui la rend.',
    });
    const refusedEn = await call(http, 'POST', `${base}/handin`, { token: bob.token, lang: 'en' });
    expect(refusedEn.body.error).toBe('In whole-class mode the copy is shared: the teacher hands it in.');
    expect((await call(http, 'GET', `${base}/handins`, { token: ada.token })).body.handins).toEqual([]);
    // Bob still writes: nothing froze.
    const client = await open(ws, bob.copy.room, bob.token);
    typeIn(client, 'answer', 'bob was here');
    await waitForRoom(server, bob.copy.room, (d) => sourceIn(d, 'answer') === 'bob was here', 'Bob’s edit');
    expect((await call(http, 'GET', base, { token: bob.token })).body.state).toBe('in-progress');

    // The teacher closes the shared copy for everyone.
    const closed = await call(http, 'POST', `${base}/handin`, { token: act.teacherToken });
    expect(closed.status).toBe(201);
    expect((await call(http, 'GET', base, { token: ada.token })).body).toMatchObject({
      state: 'handed-in',
      readOnly: 'handed-in',
    });
  });

  it('still lets a pupil of an individual copy or of a pair hand in, and says the mode', async () => {
    const { http } = await startServer();
    for (const mode of ['individual', 'pairs']) {
      const act = await createActivity(http, { title: mode, mode });
      const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
      const base = `/api/activities/${act.id}/copies/${ada.copy.id}`;
      expect((await call(http, 'GET', base, { token: ada.token })).body.mode).toBe(mode);
      expect((await call(http, 'POST', `${base}/handin`, { token: ada.token })).status).toBe(201);
    }
  });
});
