import { exportIpynb, importIpynb, NotebookFormatError } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, startServer, synced, waitFor } from './helpers.js';

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { id: 'intro', cell_type: 'markdown', metadata: {}, source: ['# Fractions\n', 'Let us add them.'] },
    {
      id: 'add',
      cell_type: 'code',
      metadata: {},
      execution_count: 1,
      source: 'from fractions import Fraction\nFraction(1, 2) + Fraction(1, 3)',
      outputs: [
        {
          output_type: 'execute_result',
          execution_count: 1,
          metadata: {},
          data: { 'text/plain': 'Fraction(5, 6)' },
        },
      ],
    },
    {
      id: 'loop',
      cell_type: 'code',
      metadata: {},
      execution_count: 2,
      source: 'for i in range(2): print(i)',
      outputs: [{ output_type: 'stream', name: 'stdout', text: '0\n1\n' }],
    },
  ],
};

const put = (http: string, room: string, body: string) =>
  fetch(`${http}/api/notebooks/${room}`, {
    method: 'PUT',
    body,
    headers: { 'content-type': 'application/json' },
  });

describe('HTTP API', () => {
  it('round-trips a notebook through PUT and GET exactly as the model exports it', async () => {
    const { http } = await startServer();
    const created = await put(http, 'fractions', JSON.stringify(notebook));
    expect(created.status).toBe(201);
    const { epoch } = (await created.json()) as { epoch: string };
    const got = await fetch(`${http}/api/notebooks/fractions`);
    expect(got.status).toBe(200);
    expect(got.headers.get('x-candyce-epoch')).toBe(epoch);
    const reference = new Y.Doc();
    importIpynb(reference, notebook);
    expect(await got.json()).toEqual(exportIpynb(reference));
  });

  it('replaces the content of a live room in one transaction that connected clients receive', async () => {
    const { http, ws } = await startServer();
    const client = connect(ws, 'live');
    await synced(client);
    client.text.insert(0, 'typed before the import');
    let transactions = 0;
    const cells = client.doc.getArray('cells');
    client.doc.on('afterTransaction', (tr) => {
      if (tr.changed.has(cells)) transactions++;
    });
    expect((await put(http, 'live', JSON.stringify(notebook))).status).toBe(200);
    await waitFor(() => cells.length === 3, 'the client to receive three cells');
    expect(transactions).toBe(1);
    expect(client.doc.getMap('state').get('document_id')).toBeTypeOf('string');
    const replaced = { ...notebook, cells: notebook.cells.slice(0, 1) };
    expect((await put(http, 'live', JSON.stringify(replaced))).status).toBe(200);
    await waitFor(() => cells.length === 1, 'the client to receive the replacement');
  });

  it('answers 400 with the model message to an invalid notebook and leaves the room unchanged', async () => {
    const { http } = await startServer();
    await put(http, 'keep', JSON.stringify(notebook));
    const before = await (await fetch(`${http}/api/notebooks/keep`)).json();

    const notJson = await put(http, 'keep', '{"nbformat": 4,');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/^Body is not valid JSON/);

    const invalid = { ...notebook, cells: [{ cell_type: 'code', source: 42 }] };
    let expected = '';
    try {
      importIpynb(new Y.Doc(), invalid);
    } catch (err) {
      expect(err).toBeInstanceOf(NotebookFormatError);
      expected = (err as Error).message;
    }
    const refused = await put(http, 'keep', JSON.stringify(invalid));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe(expected);

    expect(await (await fetch(`${http}/api/notebooks/keep`)).json()).toEqual(before);

    // A refused body does not leave an empty room behind either.
    expect((await put(http, 'never-made', JSON.stringify(invalid))).status).toBe(400);
    expect((await fetch(`${http}/api/notebooks/never-made`)).status).toBe(404);
  });

  it('imports a notebook whose kernelspec has no name, as Jupyter does, and says what it repaired', async () => {
    const { http } = await startServer();
    const nameless = {
      ...notebook,
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python' } },
    };
    const created = await put(http, 'nameless', JSON.stringify(nameless));
    expect(created.status).toBe(201);
    const body = (await created.json()) as { warnings?: string[] };
    expect(body.warnings).toEqual(['metadata.kernelspec had no name: set to "python3"']);
    const got = (await (await fetch(`${http}/api/notebooks/nameless`)).json()) as {
      metadata: { kernelspec: unknown };
      cells: unknown[];
    };
    expect(got.metadata.kernelspec).toEqual({
      name: 'python3',
      display_name: 'Python 3',
      language: 'python',
    });
    expect(got.cells).toHaveLength(3);
    // A notebook with nothing to repair gets no warnings.
    expect(await (await put(http, 'nameless', JSON.stringify(notebook))).json()).not.toHaveProperty(
      'warnings',
    );
  });

  it('answers 400 to invalid room names and 404 to unknown rooms and routes', async () => {
    const { http } = await startServer();
    expect((await fetch(`${http}/api/notebooks/${'x'.repeat(200)}`)).status).toBe(400);
    expect((await fetch(`${http}/api/notebooks/bad%20name`)).status).toBe(400);
    expect((await fetch(`${http}/api/notebooks/.hidden`)).status).toBe(400);
    expect((await fetch(`${http}/api/notebooks/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${http}/api/notebooks/never-created`)).status).toBe(404);
    expect((await fetch(`${http}/api/nothing-here`)).status).toBe(404);
  });

  it('answers 413 to a body larger than the maximum document size', async () => {
    const { http } = await startServer({ limits: { maxDocumentBytes: 1000 } });
    const res = await put(http, 'big', JSON.stringify({ ...notebook, metadata: { pad: 'x'.repeat(5000) } }));
    expect(res.status).toBe(413);
    expect((await fetch(`${http}/api/notebooks/big`)).status).toBe(404);
  });

  it('answers 501 to execution requests when no Jupyter server is configured', async () => {
    const { http } = await startServer();
    const res = await fetch(`${http}/api/notebooks/room/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"cell_id":"a"}',
    });
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: string }).error).toMatch(/not configured: set JUPYTER_URL/);
  });

  it('serves health, metrics and a page at /', async () => {
    const { http, ws } = await startServer();
    const client = connect(ws, 'metered');
    await synced(client);
    const health = await fetch(`${http}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', rooms: 1, connections: 1 });
    const metrics = await (await fetch(`${http}/metrics`)).text();
    expect(metrics).toMatch(/^candyce_rooms_loaded 1$/m);
    expect(metrics).toMatch(/^candyce_connections 1$/m);
    expect(metrics).toMatch(/candyce_store_write_seconds_bucket/);
    expect((await fetch(`${http}/`)).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers every error with the one { error, code } shape, the status naming the code when none is given', async () => {
    const { http } = await startServer({ limits: { maxDocumentBytes: 1000 } });
    const cases: [string, RequestInit, number, string][] = [
      ['/api/notebooks/bad%20name', {}, 400, 'bad-request'],
      ['/api/notebooks/never-created', {}, 404, 'not-found'],
      ['/api/nothing-here', {}, 404, 'not-found'],
      [
        '/api/notebooks/big',
        { method: 'PUT', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(5000) },
        413,
        'too-large',
      ],
      [
        '/api/notebooks/room/execute',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"cell_id":"a"}' },
        501,
        'not-implemented',
      ],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await fetch(`${http}${path}`, init);
      const body = (await res.json()) as { error: unknown; code: unknown };
      expect({ path, status: res.status, code: body.code }).toEqual({ path, status, code });
      expect(typeof body.error === 'string' && body.error.length > 0, path).toBe(true);
    }
  });
});
