import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { jupyterGateway } from '@candyce/kernels';
import { readOutputs } from '@candyce/model';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  call,
  createActivity,
  joinActivity,
  lesson,
} from '../../packages/classroom/test/classroom-fixtures.js';
import { spawnServer } from './child-server.js';
import { connect, startServer, synced, tempDir, waitFor } from './helpers.js';

// What else a pupil (or a proxy log) gets today: a token in the event
// stream's URL, an interrupt of a copy that is read-only for them, the
// internal address of the Jupyter server, a kernel of their choosing, and
// a data directory every local account can read.

/** A gateway on a port nothing listens on, as an internal Jupyter server that is down. */
const downGateway = () => jupyterGateway({ url: 'http://127.0.0.1:9/' });

/** A logger whose JSON lines land in `lines`. */
const capturingLogger = (lines: string[]) =>
  pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );

describe('event stream tokens', () => {
  it('refuses a token in the URL with 400, and reads it from the Authorization header', async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'T', mode: 'individual', notebook: lesson });
    const inUrl = await fetch(`${http}/api/activities/${act.id}/events?token=${act.teacherToken}`, {
      headers: { 'accept-language': 'en' },
    });
    expect(inUrl.status).toBe(400);
    expect(await inUrl.json()).toMatchObject({
      code: 'bad-request',
      error: expect.stringMatching(/Authorization/),
    });
    const controller = new AbortController();
    const inHeader = await fetch(`${http}/api/activities/${act.id}/events`, {
      headers: { authorization: `Bearer ${act.teacherToken}` },
      signal: controller.signal,
    });
    expect(inHeader.status).toBe(200);
    expect(inHeader.headers.get('content-type')).toMatch(/text\/event-stream/);
    controller.abort();
  });
});

describe('server kernels', () => {
  it('refuses /interrupt on a copy that is read-only for the pupil (handed in)', async () => {
    const { http } = await startServer({ execution: { gateway: downGateway() } });
    const act = await createActivity(http, { title: 'T', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const room = ada.copy.room as string;
    const before = await call(http, 'POST', `/api/notebooks/${room}/interrupt`, { token: ada.token });
    expect(before.status).toBe(200);
    const handin = await call(http, 'POST', `/api/activities/${act.id}/copies/${ada.copy.id}/handin`, {
      token: ada.token,
    });
    expect(handin.status).toBe(201);
    const after = await call(http, 'POST', `/api/notebooks/${room}/interrupt`, { token: ada.token });
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('read-only');
    // The teacher still can.
    const teacher = await call(http, 'POST', `/api/notebooks/${room}/interrupt`, { token: act.teacherToken });
    expect(teacher.status).toBe(200);
  });

  it('tells the pupil the server kernel is unreachable without its address, and logs the address', async () => {
    const lines: string[] = [];
    const { http, ws } = await startServer({
      execution: { gateway: downGateway() },
      logger: capturingLogger(lines),
    });
    const notebook = {
      ...lesson,
      cells: [
        { id: 'run', cell_type: 'code', metadata: {}, source: '1 + 1', outputs: [], execution_count: null },
      ],
    };
    const put = await call(http, 'PUT', '/api/notebooks/down', { body: notebook });
    expect(put.status).toBe(201);
    const pupil = connect(ws, 'down');
    await synced(pupil);
    await call(http, 'POST', '/api/notebooks/down/execute', { body: { cell_id: 'run' } });
    await waitFor(() => readOutputs(pupil.doc, 'run').length > 0, 'the error output');
    const shown = JSON.stringify(readOutputs(pupil.doc, 'run'));
    expect(shown).toMatch(/the server kernel is unreachable/);
    expect(shown).not.toMatch(/127\.0\.0\.1|:9\b/);
    expect(lines.join('\n')).toMatch(
      /the server kernel could not start[\s\S]*127\.0\.0\.1:9|127\.0\.0\.1:9[\s\S]*the server kernel could not start/,
    );
  });

  it('starts only the kernels the operator allows, whatever the notebook metadata says', async () => {
    const { http } = await startServer({
      execution: { gateway: downGateway(), allowedKernels: ['python3'] },
    });
    const shell = {
      ...lesson,
      metadata: { kernelspec: { name: 'bash', display_name: 'Bash', language: 'bash' } },
      cells: [
        {
          id: 'run',
          cell_type: 'code',
          metadata: {},
          source: 'cat /etc/passwd',
          outputs: [],
          execution_count: null,
        },
      ],
    };
    await call(http, 'PUT', '/api/notebooks/shell', { body: shell });
    const res = await call(http, 'POST', '/api/notebooks/shell/execute', { body: { cell_id: 'run' } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'kernel-not-allowed',
      error: expect.stringMatching(/"bash".*python3/),
    });
  });
});

describe('a pupil choosing the kernel of their copy', () => {
  it('runs only the template’s kernelspec in a classroom copy', async () => {
    const { http } = await startServer({ execution: { gateway: downGateway() } });
    const notebook = {
      ...lesson,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [
        { id: 'run', cell_type: 'code', metadata: {}, source: '1', outputs: [], execution_count: null },
      ],
    };
    const act = await createActivity(http, { title: 'K', mode: 'individual', notebook });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const room = ada.copy.room as string;
    const shell = {
      ...notebook,
      metadata: { kernelspec: { name: 'bash', display_name: 'Bash', language: 'bash' } },
    };
    expect(
      (await call(http, 'PUT', `/api/notebooks/${room}`, { token: ada.token, body: shell })).status,
    ).toBe(200);
    const res = await call(http, 'POST', `/api/notebooks/${room}/execute`, {
      token: ada.token,
      body: { cell_id: 'run' },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'kernel-not-allowed',
      error: expect.stringMatching(/"python3".*"bash"/),
    });
    // Back to the template's kernel, the run goes to the (unreachable) gateway.
    await call(http, 'PUT', `/api/notebooks/${room}`, { token: ada.token, body: notebook });
    const ok = await call(http, 'POST', `/api/notebooks/${room}/execute`, {
      token: ada.token,
      body: { cell_id: 'run' },
    });
    expect(ok.status).toBe(200);
  });
});

describe('data directory', () => {
  it('is created 0700 with files nobody else can read', async () => {
    const dataDir = join(await tempDir(), 'fresh-data');
    const server = await spawnServer(dataDir);
    // The open-mode secret and an activity are written to it.
    await call(server.http, 'POST', '/api/activities', { body: { title: 'T', mode: 'individual' } });
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const files = await readdir(dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect((await stat(join(dataDir, file))).mode & 0o077, file).toBe(0);
    server.child.kill('SIGTERM');
    await server.exited;
  });
});
