// A notebook's data files reach the working directory of its kernel on a
// Jupyter server (issue 18): uploaded through the contents API into the
// room's own folder before each run, refreshed when they change, removed
// when they are deleted; another room's kernel does not see them.
import { jupyterGateway } from '@candyce/kernels';
import { readOutputs } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { useJupyterServer } from '../../packages/kernels/test/helpers/jupyter-server.js';
import { startServer } from './helpers.js';

const notebook = (source: string) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [{ id: 'read', cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null }],
});

const reader =
  "import os\nprint(open('data.csv').read() if os.path.exists('data.csv') else 'absent', end='')";

describe('data files on a Jupyter server kernel', () => {
  const jupyterServer = useJupyterServer();

  it("puts the room's files in its kernel's working directory before the run", async () => {
    const { http, server } = await startServer({
      execution: { gateway: jupyterGateway({ url: jupyterServer().url, token: jupyterServer().token }) },
    });
    const json = { 'content-type': 'application/json' };
    for (const room of ['avec', 'sans'])
      await fetch(`${http}/api/notebooks/${room}`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify(notebook(reader)),
      });
    const put = (text: string) =>
      fetch(`${http}/api/notebooks/avec/files/data.csv`, {
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        body: text,
      });
    expect((await put('a,b\n1,2\n')).status).toBe(201);
    const run = async (room: string): Promise<string> => {
      const res = await fetch(`${http}/api/notebooks/${room}/execute`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ cell_id: 'read' }),
      });
      expect(res.status).toBe(200);
      const doc = (await server.rooms.peek(room))!.doc;
      return readOutputs(doc, 'read')
        .map((o) => ('text' in o ? String(o.text) : JSON.stringify(o)))
        .join('');
    };
    expect(await run('avec')).toBe('a,b\n1,2\n');
    expect(await run('sans')).toBe('absent');
    expect((await put('a,b\n3,4\n')).status).toBe(200);
    expect(await run('avec')).toBe('a,b\n3,4\n');
    expect((await fetch(`${http}/api/notebooks/avec/files/data.csv`, { method: 'DELETE' })).status).toBe(200);
    expect(await run('avec')).toBe('absent');
  }, 120_000);
});
