import { jupyterGateway } from '@candyce/kernels';
import { getCell, readOutputs } from '@candyce/model';
import { readServerSideKernel } from '@candyce/protocol';
import { describe, expect, it } from 'vitest';
import { useJupyterServer } from '../../packages/kernels/test/helpers/jupyter-server.js';
import { connect, secret, startServer, synced, token, waitFor } from './helpers.js';

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    {
      id: 'hello',
      cell_type: 'code',
      metadata: {},
      source: "print('bonjour')\n6 * 7",
      outputs: [],
      execution_count: null,
    },
    { id: 'text', cell_type: 'markdown', metadata: {}, source: '# Titre' },
  ],
};

const post = (http: string, room: string, body: unknown, auth?: string) =>
  fetch(`${http}/api/notebooks/${room}/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('server-side execution', () => {
  const jupyterServer = useJupyterServer();

  it('runs a cell on the room kernel and a stock client sees the outputs in the shared doc', async () => {
    const { http, ws } = await startServer({
      execution: { gateway: jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token }) },
    });
    await fetch(`${http}/api/notebooks/classe`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notebook),
    });
    const pupil = connect(ws, 'classe');
    await synced(pupil);
    const res = await post(http, 'classe', { cell_id: 'hello' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ cell_id: 'hello', status: 'ok', execution_count: 1 });
    await waitFor(() => readOutputs(pupil.doc, 'hello').length === 2, 'the outputs to reach the client');
    expect(readOutputs(pupil.doc, 'hello')).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'bonjour\n' },
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '42' }, metadata: {} },
    ]);
    // The kernel keeps its state between runs of the room: the second run counts 2.
    expect(await (await post(http, 'classe', { cell_id: 'hello' })).json()).toMatchObject({
      execution_count: 2,
    });
  }, 120_000);

  it('interrupts a running cell of the room on POST /interrupt', async () => {
    const { http, ws } = await startServer({
      execution: { gateway: jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token }) },
    });
    const looping = {
      ...notebook,
      cells: [
        {
          id: 'loop',
          cell_type: 'code',
          metadata: {},
          source: "print('start', flush=True)\nwhile True:\n    pass",
          outputs: [],
          execution_count: null,
        },
      ],
    };
    await fetch(`${http}/api/notebooks/boucle`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(looping),
    });
    const pupil = connect(ws, 'boucle');
    await synced(pupil);
    const running = post(http, 'boucle', { cell_id: 'loop' });
    // Interrupt once the kernel runs the loop (before that, the run is merely cancelled).
    await waitFor(
      () =>
        readOutputs(pupil.doc, 'loop').some((o) => o.output_type === 'stream' && o.text.includes('start')),
      'the loop to start on the kernel',
      60_000,
    );
    expect(getCell(pupil.doc, 'loop').get('execution_state')).toBe('running');
    const res = await fetch(`${http}/api/notebooks/boucle/interrupt`, { method: 'POST' });
    expect(await res.json()).toEqual({ room: 'boucle', interrupted: true });
    expect(await (await running).json()).toMatchObject({ cell_id: 'loop', status: 'error' });
    await waitFor(
      () =>
        readOutputs(pupil.doc, 'loop').some(
          (o) => o.output_type === 'error' && o.ename === 'KeyboardInterrupt',
        ),
      `KeyboardInterrupt in the cell: ${JSON.stringify(readOutputs(pupil.doc, 'loop'))}`,
    );
  }, 120_000);

  it('answers bad requests with a clear 4xx and runs nothing', async () => {
    const { http } = await startServer({
      execution: { gateway: jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token }) },
    });
    await fetch(`${http}/api/notebooks/classe`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notebook),
    });
    const cases: [unknown, number, RegExp][] = [
      ['{not json', 400, /not valid JSON/],
      [{}, 400, /cell_id/],
      [{ cell_id: 'nope' }, 404, /No cell with id "nope"/],
      [{ cell_id: 'text' }, 400, /markdown cell, not code/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(http, 'classe', body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    expect((await post(http, 'absent', { cell_id: 'hello' })).status).toBe(404);
  });

  it('refuses viewers and says when execution is not configured', async () => {
    const secured = await startServer({
      secret,
      execution: { gateway: jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token }) },
    });
    const viewer = await token({ role: 'viewer', name: 'Val' });
    expect((await post(secured.http, 'classe', { cell_id: 'hello' }, viewer)).status).toBe(403);
    const plain = await startServer();
    const res = await post(plain.http, 'classe', { cell_id: 'hello' });
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: string }).error).toMatch(/JUPYTER_URL/);
  });

  it('tells the room what its kernel does, restarts it for everyone on POST /restart, and a re-run ends the loss', async () => {
    const { http, ws } = await startServer({
      secret,
      execution: { gateway: jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token }) },
    });
    const [prof, pupil, viewer] = await Promise.all([
      token({ sub: 'prof', name: 'Prof', role: 'teacher' }),
      token({ sub: 'ada', name: 'Ada' }),
      token({ sub: 'val', name: 'Val', role: 'viewer' }),
    ]);
    await fetch(`${http}/api/notebooks/relance`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${prof}` },
      body: JSON.stringify(notebook),
    });
    const watcher = connect(ws, 'relance', pupil);
    await synced(watcher);
    const seen = () => {
      for (const state of watcher.provider.awareness.getStates().values()) {
        const kernel = readServerSideKernel(state);
        if (kernel) return kernel;
      }
      return null;
    };
    expect((await post(http, 'relance', { cell_id: 'hello' }, pupil)).status).toBe(200);
    await waitFor(() => seen()?.state === 'idle', 'the room told its kernel is idle');
    expect(seen()).toEqual({ state: 'idle', lost: false, by: '' });
    // A viewer cannot restart it; a writer can, and everyone is told who did.
    const restart = (auth: string) =>
      fetch(`${http}/api/notebooks/relance/restart`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auth}` },
      });
    expect((await restart(viewer)).status).toBe(403);
    const res = await restart(pupil);
    expect(await res.json()).toEqual({ room: 'relance', restarted: true });
    await waitFor(() => seen()?.lost === true, 'the loss told to the room');
    expect(seen()).toEqual({ state: 'none', lost: true, by: 'Ada' });
    // A new kernel counts from 1 again; a plain run keeps the notice, a re-run ends it.
    expect(await (await post(http, 'relance', { cell_id: 'hello' }, pupil)).json()).toMatchObject({
      execution_count: 1,
    });
    await waitFor(() => seen()?.state === 'idle', 'idle again');
    expect(seen()?.lost).toBe(true);
    expect((await post(http, 'relance', { cell_id: 'hello', rerun: true }, pupil)).status).toBe(200);
    await waitFor(() => seen()?.lost === false, 'the loss ended by the re-run');
    // Nothing to restart in a room without a kernel.
    expect(await (await restart(pupil)).json()).toEqual({ room: 'relance', restarted: true });
    expect(await (await restart(pupil)).json()).toEqual({ room: 'relance', restarted: false });
  }, 120_000);
});
