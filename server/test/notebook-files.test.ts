import { request } from 'node:http';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  call,
  createActivity,
  joinActivity,
  lesson,
} from '../../packages/classroom/test/classroom-fixtures.js';
import { connect, secret, startServer, synced, token, waitFor } from './helpers.js';

// Data files attached to a notebook (issue 18): rights as the notebook's,
// strict names, size limits refused early, durable storage, a live manifest
// in the room's state map, and the notebook with its files as a zip.

const notebook = { ...lesson, cells: [lesson.cells[1]] };

const upload = async (
  http: string,
  room: string,
  name: string,
  body: Uint8Array<ArrayBuffer> | string,
  options: { token?: string; type?: string; origin?: string } = {},
) => {
  const headers: Record<string, string> = { 'content-type': options.type ?? 'text/csv' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.origin) headers.origin = options.origin;
  const res = await fetch(`${http}/api/notebooks/${room}/files/${name}`, { method: 'PUT', headers, body });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
};

/** Sends `total` bytes as a chunked body from one reused 1 MiB buffer; resolves to the status, or to the error code. */
const streamUpload = (
  http: string,
  path: string,
  total: number,
  declareLength: boolean,
): Promise<{ status: number; body: string; sent: number } | { error: string; sent: number }> =>
  new Promise((resolve) => {
    const url = new URL(path, http);
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    let answered = false;
    const req = request(url, {
      method: 'PUT',
      headers: {
        'content-type': 'application/octet-stream',
        ...(declareLength ? { 'content-length': String(total) } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, sent }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!answered) resolve({ error: err.code ?? err.message, sent });
    });
    const pump = (): void => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });

describe('notebook files', () => {
  it('stores, lists, serves and deletes a file, and every collaborator sees the manifest change', async () => {
    const { http, ws } = await startServer();
    expect((await call(http, 'PUT', '/api/notebooks/data', { body: notebook })).status).toBe(201);
    const watcher = connect(ws, 'data');
    await synced(watcher);
    const csv = 'x,y\n1,2\n3,4\n';
    const put = await upload(http, 'data', 'mesures.csv', csv);
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ name: 'mesures.csv', size: csv.length });
    expect(put.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    await waitFor(
      () =>
        JSON.stringify(watcher.doc.getMap('state').get('files')) ===
        JSON.stringify([{ name: 'mesures.csv', size: csv.length, sha256: put.body.sha256 }]),
      'the manifest to reach a stock client',
    );
    const list = await call(http, 'GET', '/api/notebooks/data/files');
    expect(list.body.files).toEqual([put.body]);
    expect(list.body.limits).toEqual({ file: 20 * 1024 * 1024, room: 50 * 1024 * 1024 });

    const got = await fetch(`${http}/api/notebooks/data/files/mesures.csv`);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe(csv);
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-type')).toBe('application/octet-stream');

    // An HTML file is served as bytes to download, never as a page of our origin.
    await upload(http, 'data', 'page.html', '<script>alert(1)</script>', { type: 'text/html' });
    const page = await fetch(`${http}/api/notebooks/data/files/page.html`);
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('content-security-policy')).toContain('sandbox');

    // Replacing a file answers 200 and changes its sha256 in the manifest.
    const again = await upload(http, 'data', 'mesures.csv', 'x\n9\n');
    expect(again.status).toBe(200);
    await waitFor(
      () =>
        (watcher.doc.getMap('state').get('files') as { name: string; sha256: string }[]).some(
          (f) => f.name === 'mesures.csv' && f.sha256 === again.body.sha256,
        ),
      'the new sha256 in the manifest',
    );
    expect((await call(http, 'DELETE', '/api/notebooks/data/files/mesures.csv')).status).toBe(200);
    expect((await call(http, 'DELETE', '/api/notebooks/data/files/mesures.csv')).status).toBe(404);
    await waitFor(
      () =>
        (watcher.doc.getMap('state').get('files') as { name: string }[]).map((f) => f.name).join() ===
        'page.html',
      'the deletion in the manifest',
    );
    // The manifest is transient state: not exported into the .ipynb.
    expect(JSON.stringify((await call(http, 'GET', '/api/notebooks/data')).body)).not.toContain('page.html');
  });

  it('refuses bad file names with a clear 400, in French then English', async () => {
    const { http } = await startServer();
    await call(http, 'PUT', '/api/notebooks/names', { body: notebook });
    // A bare `..` or `%2E%2E` segment is resolved by URL parsing (client and server) before any route.
    for (const dots of ['..', '%2E%2E'])
      expect((await upload(http, 'names', dots, 'x')).status).not.toBe(201);
    for (const bad of [
      '...',
      'a..b',
      'a%2Fb',
      'a%5Cb',
      '..%2Fx',
      'a%01b',
      'a%0Ab',
      'x'.repeat(121),
      '%20lead',
      'bad%E0',
    ]) {
      const reply = await upload(http, 'names', bad, 'x');
      expect(reply.status, bad).toBe(400);
      expect(reply.body.error, bad).toMatch(/\/ /);
    }
    expect((await upload(http, 'names', 'x'.repeat(120), 'x')).status).toBe(201);
    expect((await upload(http, 'names', encodeURIComponent('élèves été.csv'), 'x')).status).toBe(201);
    expect(
      (await call(http, 'GET', '/api/notebooks/names/files')).body.files.map((f: { name: string }) => f.name),
    ).toContain('élèves été.csv');
    // Files of a notebook that does not exist are refused, not stored aside.
    expect((await upload(http, 'nowhere', 'a.csv', 'x')).status).toBe(404);
  });

  it('gives files the rights of the notebook: viewers read, pupils write their own copy until it is read-only', async () => {
    const { http } = await startServer({ secret });
    const teacher = await token({ sub: 't', role: 'teacher', rooms: ['*'] });
    const viewer = await token({ sub: 'v', role: 'viewer', rooms: ['room'] });
    const other = await token({ sub: 'o', role: 'student', rooms: ['elsewhere'] });
    await call(http, 'PUT', '/api/notebooks/room', { token: teacher, body: notebook });
    expect((await upload(http, 'room', 'a.csv', '1')).status).toBe(401);
    expect((await upload(http, 'room', 'a.csv', '1', { token: teacher })).status).toBe(201);
    expect((await upload(http, 'room', 'b.csv', '1', { token: viewer })).status).toBe(403);
    expect((await call(http, 'DELETE', '/api/notebooks/room/files/a.csv', { token: viewer })).status).toBe(
      403,
    );
    const read = await fetch(`${http}/api/notebooks/room/files/a.csv`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(await read.text()).toBe('1');
    const foreign = await fetch(`${http}/api/notebooks/room/files/a.csv`, {
      headers: { authorization: `Bearer ${other}` },
    });
    expect(foreign.status).toBe(403);
    expect((await call(http, 'GET', '/api/notebooks/room/files', { token: other })).status).toBe(403);
  });

  it("refuses a pupil's upload to a locked copy with 409 read-only", async () => {
    const { http } = await startServer();
    const act = await createActivity(http, { title: 'Files', mode: 'individual', notebook: lesson });
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    expect((await upload(http, ada.copy.room, 'a.csv', '1', { token: ada.token })).status).toBe(201);
    await call(http, 'PATCH', `/api/activities/${act.id}`, {
      token: act.teacherToken,
      body: { locked: true },
    });
    const refused = await upload(http, ada.copy.room, 'b.csv', '1', { token: ada.token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('read-only');
    expect(
      (await call(http, 'DELETE', `/api/notebooks/${ada.copy.room}/files/a.csv`, { token: ada.token }))
        .status,
    ).toBe(409);
  });

  it("gives a pupil's new copy the activity's files, and the pupil cannot change the template's", async () => {
    const { http, ws } = await startServer();
    const act = await createActivity(http, { title: 'Data', mode: 'individual', notebook: lesson });
    expect(
      (await upload(http, `act-${act.id}`, 'villes.csv', 'nom\nLyon\n', { token: act.teacherToken })).status,
    ).toBe(201);
    const ada = await joinActivity(http, { code: act.code, name: 'Ada' });
    const read = await fetch(`${http}/api/notebooks/${ada.copy.room}/files/villes.csv`, {
      headers: { authorization: `Bearer ${ada.token}` },
    });
    expect(await read.text()).toBe('nom\nLyon\n');
    expect((await upload(http, `act-${act.id}`, 'x.csv', '1', { token: ada.token })).status).toBe(403);
    // Ada's own file stays; a whole push brings the teacher's new file, and the manifest lists both.
    expect((await upload(http, ada.copy.room, 'mine.txt', 'A', { token: ada.token })).status).toBe(201);
    await upload(http, `act-${act.id}`, 'later.csv', '2', { token: act.teacherToken });
    const pushed = await call(http, 'POST', `/api/activities/${act.id}/push`, {
      token: act.teacherToken,
      body: {},
    });
    expect(pushed.status).toBe(200);
    const names = (
      await call(http, 'GET', `/api/notebooks/${ada.copy.room}/files`, { token: ada.token })
    ).body.files.map((f: { name: string }) => f.name);
    expect(names).toEqual(['later.csv', 'mine.txt', 'villes.csv']);
    const client = connect(ws, ada.copy.room, ada.token);
    await synced(client);
    await waitFor(
      () =>
        ((client.doc.getMap('state').get('files') as { name: string }[] | undefined) ?? [])
          .map((f) => f.name)
          .join() === 'later.csv,mine.txt,villes.csv',
      "the copy's manifest to list every file it has",
    );
  });

  it('refuses cross-origin uploads in open mode, whatever their content type', async () => {
    const { http } = await startServer();
    await call(http, 'PUT', '/api/notebooks/cors', { body: notebook });
    const refused = await upload(http, 'cors', 'a.csv', '1', { origin: 'http://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('cross-origin');
    expect((await call(http, 'GET', '/api/notebooks/cors/files')).body.files).toEqual([]);
    // The raw-body exception is for uploads only: a notebook PUT still needs JSON.
    const res = await fetch(`${http}/api/notebooks/cors`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(res.status).toBe(415);
  });

  it('refuses a file past the per-file and per-notebook limits, keeping nothing', async () => {
    const { http } = await startServer({ limits: { maxFileBytes: 1000, maxRoomFilesBytes: 2500 } });
    await call(http, 'PUT', '/api/notebooks/full', { body: notebook });
    const big = await upload(http, 'full', 'big.bin', new Uint8Array(1001));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('file-too-large');
    expect(big.body.error).toMatch(/^Fichier trop gros.* \/ File too large/);
    expect((await upload(http, 'full', 'a.bin', new Uint8Array(1000))).status).toBe(201);
    expect((await upload(http, 'full', 'b.bin', new Uint8Array(1000))).status).toBe(201);
    const full = await upload(http, 'full', 'c.bin', new Uint8Array(600));
    expect(full.status).toBe(413);
    expect(full.body.code).toBe('room-files-full');
    // Replacing a file counts its new size, not both.
    expect((await upload(http, 'full', 'b.bin', new Uint8Array(900))).status).toBe(200);
    const names = (await call(http, 'GET', '/api/notebooks/full/files')).body.files.map(
      (f: { name: string }) => f.name,
    );
    expect(names).toEqual(['a.bin', 'b.bin']);
  });

  it('refuses a 200 MB upload early, declared or streamed, without storing or buffering it', async () => {
    const { http } = await startServer();
    await call(http, 'PUT', '/api/notebooks/huge', { body: notebook });
    const total = 200 * 1024 * 1024;
    const heapBefore = process.memoryUsage().arrayBuffers;
    const declared = await streamUpload(http, '/api/notebooks/huge/files/huge.bin', total, true);
    expect('status' in declared && declared.status).toBe(413);
    // Refused on its Content-Length: a few MiB at most went out before the answer.
    expect(declared.sent).toBeLessThan(64 * 1024 * 1024);
    const streamed = await streamUpload(http, '/api/notebooks/huge/files/huge.bin', total, false);
    expect('status' in streamed ? streamed.status : streamed.error).toBe(413);
    if ('body' in streamed) expect(JSON.parse(streamed.body).code).toBe('file-too-large');
    expect(streamed.sent).toBeLessThan(total);
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(100 * 1024 * 1024);
    expect((await call(http, 'GET', '/api/notebooks/huge/files')).body.files).toEqual([]);
  });

  it('bounds what uploads in progress may buffer, and a slow upload blocks no other', async () => {
    // 16 MiB per file: the server-wide budget of uploads being read is 64 MiB, four such uploads.
    const { http } = await startServer({
      limits: { maxFileBytes: 16 * 1024 * 1024, maxRoomFilesBytes: 256 * 1024 * 1024 },
    });
    await call(http, 'PUT', '/api/notebooks/slow', { body: notebook });
    const stalled = Array.from({ length: 4 }, (_, i) => {
      const req = request(new URL(`/api/notebooks/slow/files/s${i}.bin`, http), {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(16 * 1024 * 1024) },
      });
      req.on('error', () => undefined);
      req.write(Buffer.alloc(10));
      return req;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const busy = await upload(http, 'slow', 'more.bin', new Uint8Array(100), {
      type: 'application/octet-stream',
    });
    expect(busy.status).toBe(503);
    expect(busy.body.code).toBe('uploads-busy');
    for (const req of stalled.slice(1)) req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The one still stalled holds no lock of the room: another upload into it goes through at once.
    expect(
      (await upload(http, 'slow', 'more.bin', new Uint8Array(100), { type: 'application/octet-stream' }))
        .status,
    ).toBe(201);
    stalled[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const names = (await call(http, 'GET', '/api/notebooks/slow/files')).body.files.map(
      (f: { name: string }) => f.name,
    );
    expect(names).toEqual(['more.bin']);
  });

  it('keeps files across a restart and deletes them with the room', async () => {
    const first = await startServer();
    await call(first.http, 'PUT', '/api/notebooks/kept', { body: notebook });
    const bytes = new Uint8Array(256).map((_, i) => i);
    expect(
      (await upload(first.http, 'kept', 'all.bin', bytes, { type: 'application/octet-stream' })).status,
    ).toBe(201);
    await first.close();
    const second = await startServer({ dataDir: first.dataDir });
    const back = await fetch(`${second.http}/api/notebooks/kept/files/all.bin`);
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(bytes);
    expect((await call(second.http, 'DELETE', '/api/notebooks/kept')).status).toBe(200);
    await call(second.http, 'PUT', '/api/notebooks/kept', { body: notebook });
    expect((await call(second.http, 'GET', '/api/notebooks/kept/files')).body.files).toEqual([]);
    expect((await fetch(`${second.http}/api/notebooks/kept/files/all.bin`)).status).toBe(404);
  });

  it('zips the notebook with its files', async () => {
    const { http } = await startServer();
    await call(http, 'PUT', '/api/notebooks/zipped', { body: notebook });
    await upload(http, 'zipped', 'data.csv', 'a,b\n1,2\n');
    const db = new Uint8Array(4096).map((_, i) => i % 251);
    await upload(http, 'zipped', 'base.db', db, { type: 'application/octet-stream' });
    const res = await fetch(`${http}/api/notebooks/zipped/archive.zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(entries).sort()).toEqual(['base.db', 'data.csv', 'zipped.ipynb']);
    expect(new TextDecoder().decode(entries['data.csv'])).toBe('a,b\n1,2\n');
    expect(entries['base.db']).toEqual(db);
    const ipynb = JSON.parse(new TextDecoder().decode(entries['zipped.ipynb']));
    expect(ipynb.cells.map((c: { id: string }) => c.id)).toEqual(['answer']);
    expect((await fetch(`${http}/api/notebooks/none/archive.zip`)).status).toBe(404);
  });
});
