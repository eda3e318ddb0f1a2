import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jupyterGateway, type KernelGateway } from '@candyce/kernels';
import { metaOf } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  call,
  createActivity,
  joinActivity,
  lesson,
  open,
} from '../../packages/classroom/test/classroom-fixtures.js';
import { useJupyterServer } from '../../packages/kernels/test/helpers/jupyter-server.js';
import { onTeardown, secret, startServer, token, waitFor } from './helpers.js';

const ids = (body: { kernels: { id: string }[] }) => body.kernels.map((k) => k.id);

/** An HTTP server that accepts requests and never answers them: a Jupyter server that hangs. */
const hangingServer = async (): Promise<string> => {
  const server: Server = createHttpServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTeardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
};

const kernelspecOf = (doc: Y.Doc) => (metaOf(doc).get('metadata') as Y.Map<unknown>).get('kernelspec');

describe('GET /api/kernels without a Jupyter server', () => {
  it('offers the browser kernels and says why there is no server kernel', async () => {
    const { http } = await startServer();
    const reply = await call(http, 'GET', '/api/kernels');
    expect(reply.status).toBe(200);
    expect(ids(reply.body)).toEqual(['pyodide', 'sql']);
    expect(reply.body.kernels[1]).toEqual({
      id: 'sql',
      location: 'browser',
      kernelspec: { name: 'sql', display_name: 'SQL', language: 'sql', candyce_location: 'browser' },
    });
    expect(reply.body.server).toMatchObject({
      configured: false,
      available: false,
      reason: expect.any(String),
    });
    expect((await call(http, 'POST', '/api/kernels')).status).toBe(405);
  });

  it('answers any valid token and refuses a request without one when tokens are required', async () => {
    const { http } = await startServer({ secret });
    expect((await call(http, 'GET', '/api/kernels')).status).toBe(401);
    expect((await call(http, 'GET', '/api/kernels', { token: 'garbage' })).status).toBe(401);
    const pupil = await token({ role: 'student', rooms: ['act-xxxxxxxxxx-yyyyyyyy'] });
    expect(ids((await call(http, 'GET', '/api/kernels', { token: pupil })).body)).toEqual(['pyodide', 'sql']);
  });

  it('answers within a second, with the browser kernels and a reason, when the Jupyter server hangs or is down', async () => {
    const hanging = await hangingServer();
    for (const url of [hanging, 'http://127.0.0.1:9/']) {
      const { http } = await startServer({
        execution: { gateway: jupyterGateway({ url, token: 'sekret' }) },
      });
      const started = performance.now();
      const reply = await call(http, 'GET', '/api/kernels');
      const took = performance.now() - started;
      expect(reply.status).toBe(200);
      expect(took).toBeLessThan(1000);
      expect(ids(reply.body)).toEqual(['pyodide', 'sql']);
      expect(reply.body.server).toMatchObject({ configured: true, available: false });
      expect(reply.body.server.reason).toMatch(/Jupyter server/);
      // Never the Jupyter server's address or token: pupils read this.
      const text = JSON.stringify(reply.body);
      expect(text).not.toContain(new URL(url).port);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('sekret');
    }
  });

  it('refuses an activity whose kernel the deployment does not offer, and writes the one it offers', async () => {
    const { http, ws } = await startServer();
    for (const kernel of ['server:ir', 'python', 42, 'x'.repeat(10_000)]) {
      const reply = await call(http, 'POST', '/api/activities', {
        body: { title: 'R', mode: 'individual', notebook: lesson, kernel },
        lang: 'en',
      });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({
        code: 'bad-request',
        error: expect.stringContaining('pyodide, sql'),
      });
    }
    const fr = await call(http, 'POST', '/api/activities', {
      body: { title: 'R', mode: 'individual', kernel: 'server:ir' },
      lang: 'fr',
    });
    expect(fr.body.error).toMatch(/^« kernel » doit être un des noyaux/);
    const act = await createActivity(http, {
      title: 'SQL',
      mode: 'individual',
      notebook: lesson,
      kernel: 'sql',
    });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const copy = await open(ws, ada.copy.room, ada.token);
    expect(kernelspecOf(copy.doc)).toEqual({
      name: 'sql',
      display_name: 'SQL',
      language: 'sql',
      candyce_location: 'browser',
    });
    expect((metaOf(copy.doc).get('metadata') as Y.Map<unknown>).get('language_info')).toEqual({
      name: 'sql',
    });
    const exported = await call(http, 'GET', `/api/notebooks/${ada.copy.room}`, { token: ada.token });
    expect(exported.body.metadata.kernelspec.name).toBe('sql');
    copy.provider.destroy();
  });
});

describe('GET /api/kernels with a Jupyter server', () => {
  const jupyterServer = useJupyterServer();

  /** The real gateway, counting how often its kernelspecs are asked for. */
  const counted = () => {
    const gateway = jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token });
    const counter = { calls: 0 };
    const wrapped: KernelGateway = {
      name: gateway.name,
      startKernel: (name) => gateway.startKernel(name),
      kernelSpecs: (signal) => {
        counter.calls++;
        return gateway.kernelSpecs!(signal);
      },
    };
    return { gateway: wrapped, counter };
  };

  it('lists the server kernelspecs as the Jupyter server names them, asked once a minute', async () => {
    const { gateway, counter } = counted();
    const { http } = await startServer({ execution: { gateway } });
    // The server asked at start; on a loaded machine the first answers may come before Jupyter's.
    await waitFor(
      async () => (await call(http, 'GET', '/api/kernels')).body.server.available === true,
      'the Jupyter server to answer',
    );
    const [first, second] = await Promise.all([
      call(http, 'GET', '/api/kernels'),
      call(http, 'GET', '/api/kernels'),
    ]);
    expect(first.status).toBe(200);
    expect(ids(first.body)).toContain('server:python3');
    const python = first.body.kernels.find((k: { id: string }) => k.id === 'server:python3');
    expect(python).toEqual({
      id: 'server:python3',
      location: 'server',
      kernelspec: {
        name: 'python3',
        display_name: expect.stringMatching(/Python 3/),
        language: 'python',
        candyce_location: 'server',
      },
    });
    expect(first.body.server).toEqual({ configured: true, available: true });
    expect(second.body).toEqual(first.body);
    await call(http, 'GET', '/api/kernels');
    expect(counter.calls).toBe(1);
    const text = JSON.stringify(first.body);
    expect(text).not.toContain(new URL(jupyterServer().url).port);
    expect(text).not.toContain(jupyterServer().token);
  }, 60_000);

  it('answers within a second while a slow Jupyter server thinks, and has its list as soon as it answered', async () => {
    const gateway = jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token });
    let calls = 0;
    const slow: KernelGateway = {
      name: gateway.name,
      startKernel: (name) => gateway.startKernel(name),
      kernelSpecs: async (signal) => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return gateway.kernelSpecs!(signal);
      },
    };
    const { http } = await startServer({ execution: { gateway: slow } });
    const started = performance.now();
    const first = await call(http, 'GET', '/api/kernels');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(first.body.server).toMatchObject({
      available: false,
      reason: 'the Jupyter server did not answer in time',
    });
    // The request went on: its answer fills the list, without a new request to Jupyter.
    await waitFor(
      async () => ids((await call(http, 'GET', '/api/kernels')).body).includes('server:python3'),
      'the slow answer to fill the list',
    );
    expect(calls).toBe(1);
  }, 60_000);

  it('offers only the kernelspecs CANDYCE_KERNELS allows', async () => {
    const none = await startServer({
      execution: { gateway: counted().gateway, allowedKernels: ['ir'] },
    });
    expect(ids((await call(none.http, 'GET', '/api/kernels')).body)).toEqual(['pyodide', 'sql']);
    const some = await startServer({
      execution: { gateway: counted().gateway, allowedKernels: ['python3', 'ir'] },
    });
    expect(ids((await call(some.http, 'GET', '/api/kernels')).body)).toEqual([
      'pyodide',
      'sql',
      'server:python3',
    ]);
    const refused = await call(none.http, 'POST', '/api/activities', {
      body: { title: 'P', mode: 'individual', kernel: 'server:python3' },
    });
    expect(refused.status).toBe(400);
  }, 60_000);

  it('creates an activity on the server kernel, and a browser-kernel activity’s copies cannot run on the server', async () => {
    const { http, ws } = await startServer({ execution: { gateway: counted().gateway } });
    const onServer = await createActivity(http, {
      title: 'Serveur',
      mode: 'individual',
      notebook: lesson,
      kernel: 'server:python3',
    });
    const ada = await joinActivity(http, { code: onServer.code, name: 'Ada' });
    const copy = await open(ws, ada.copy.room, ada.token);
    expect(kernelspecOf(copy.doc)).toMatchObject({ name: 'python3', candyce_location: 'server' });
    copy.provider.destroy();

    const inBrowser = await createActivity(http, {
      title: 'Navigateur',
      mode: 'individual',
      notebook: lesson,
      kernel: 'pyodide',
    });
    const bob = await joinActivity(http, { code: inBrowser.code, name: 'Bob' });
    const cellId = lesson.cells.find((c: { cell_type: string }) => c.cell_type === 'code')!.id;
    const run = await call(http, 'POST', `/api/notebooks/${bob.copy.room}/execute`, {
      token: bob.token,
      body: { cell_id: cellId },
    });
    expect(run.status).toBe(403);
    expect(run.body).toMatchObject({
      code: 'kernel-not-allowed',
      error: expect.stringMatching(/in the browser/),
    });
  }, 60_000);
});
