import { jupyterGateway } from '@candyce/kernels';
import { describe, expect, it } from 'vitest';
import {
  call,
  createActivity,
  joinActivity,
  lesson,
} from '../../packages/classroom/test/classroom-fixtures.js';
import { useJupyterServer } from '../../packages/kernels/test/helpers/jupyter-server.js';
import { startServer, waitFor } from './helpers.js';

// Finding 9 of issue 13 (kernels): every copy could start a Jupyter kernel,
// so 200 anonymous joins could start 200 kernels. Kernels are capped overall
// and per activity, with a clear refusal in the pupil's language.

const run = (http: string, room: string, tokenValue: string, lang?: string) =>
  call(http, 'POST', `/api/notebooks/${room}/execute`, {
    token: tokenValue,
    body: { cell_id: 'check' },
    ...(lang ? { lang } : {}),
  });

describe('server kernels: caps overall and per activity', () => {
  const jupyterServer = useJupyterServer();

  it('refuses a second kernel in one activity (429) and a third on the server (503), and frees a removed copy’s', async () => {
    const { http } = await startServer({
      execution: {
        gateway: jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token }),
        maxKernels: 2,
        maxKernelsPerActivity: 1,
      },
    });
    const x = await createActivity(http, { title: 'X', mode: 'individual', notebook: lesson });
    const y = await createActivity(http, { title: 'Y', mode: 'individual', notebook: lesson });
    const z = await createActivity(http, { title: 'Z', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: x.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: x.code, name: 'Bob' });
    const cyd = await joinActivity(http, { code: y.code, name: 'Cyd' });
    const dee = await joinActivity(http, { code: z.code, name: 'Dee' });

    const first = await run(http, ada.copy.room, ada.token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ cell_id: 'check', status: 'ok' });
    const sameActivity = await run(http, bob.copy.room, bob.token);
    expect(sameActivity.status).toBe(429);
    expect(sameActivity.body).toEqual({
      code: 'kernels-busy',
      retryAfter: 60,
      error:
        'Trop de noyaux Python tournent déjà dans cette activité (1 au plus) : réessayez dans quelques minutes, ou exécutez dans le navigateur.',
    });
    // Refusals start nothing: many of them leave the counts as they are.
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => run(http, bob.copy.room, bob.token, 'en')),
    );
    expect(burst.every((r) => r.status === 429)).toBe(true);
    expect(burst[0]?.body.error).toBe(
      'Too many Python kernels are already running in this activity (at most 1): try again in a few minutes, or run in the browser.',
    );
    expect((await run(http, cyd.copy.room, cyd.token)).status).toBe(200);
    const serverFull = await run(http, dee.copy.room, dee.token, 'en');
    expect(serverFull.status).toBe(503);
    expect(serverFull.body.error).toBe(
      'The server already runs as many Python kernels as it can (2): try again in a few minutes, or run in the browser.',
    );
    // A room that has its kernel keeps running cells.
    expect((await run(http, ada.copy.room, ada.token)).body.execution_count).toBe(2);

    // The teacher removes Ada's copy: its kernel stops and Bob's copy gets the place.
    const removed = await call(http, 'DELETE', `/api/activities/${x.id}/copies/${ada.copy.id}`, {
      token: x.teacherToken,
    });
    expect(removed.status).toBe(200);
    const bobRun = await run(http, bob.copy.room, bob.token);
    expect(bobRun.status).toBe(200);
    expect(bobRun.body.execution_count).toBe(1);
  }, 120_000);

  it('gives a place back when an idle kernel shuts down', async () => {
    const { http } = await startServer({
      execution: {
        gateway: jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token }),
        maxKernels: 1,
        idleShutdownMs: 500,
      },
    });
    const act = await createActivity(http, { title: 'Idle', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const bob = await joinActivity(http, { code: act.code, name: 'Bob' });
    expect((await run(http, ada.copy.room, ada.token)).status).toBe(200);
    let last = 0;
    await waitFor(
      async () => {
        last = (await run(http, bob.copy.room, bob.token)).status;
        return last === 200;
      },
      'Bob’s run once Ada’s kernel is idle',
      30_000,
    );
    expect(last).toBe(200);
  }, 120_000);
});
