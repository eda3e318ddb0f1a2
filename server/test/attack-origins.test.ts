import { request } from 'node:http';
import type { ClassroomFeature } from '@candyce/classroom';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { lockedNotebook, startServer, token } from './helpers.js';

// A web page in the teacher's own browser, on another origin or on a DNS
// name it rebinds to 127.0.0.1, trying to use an open-mode server: what the
// browser would send (Origin, Host, a "simple" Content-Type), sent here with
// node:http so that every header is exactly the attacker's.

interface Answer {
  status: number;
  body: { error?: string; code?: string } & Record<string, unknown>;
}

const send = (
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: Answer['body'] = {};
          try {
            parsed = JSON.parse(text) as Answer['body'];
          } catch {
            // not JSON (a page)
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/** Opens a WebSocket with the given Origin (and Host); resolves to the HTTP status of a refusal or 101. */
const upgrade = (url: string, headers: Record<string, string>): Promise<number> =>
  new Promise((resolve) => {
    const { origin, ...rest } = headers;
    const ws = new WebSocket(url, { ...(origin ? { origin } : {}), headers: rest });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.on('error', () => resolve(0));
  });

const notebook = JSON.stringify(lockedNotebook);
const evil = 'http://evil.example';

describe('open mode against foreign pages', () => {
  it('refuses WebSocket upgrades from another origin, and accepts its own', async () => {
    const { ws, http } = await startServer();
    const own = http;
    const port = new URL(http).port;
    for (const origin of [
      evil,
      'null',
      `http://127.0.0.1.evil.example:${port}`,
      // Another local app (a dev server on another port) is another origin too.
      `http://127.0.0.1:${Number(port) + 1}`,
      `http://localhost:${port}`,
      'not a url',
    ])
      expect(await upgrade(`${ws}/room`, { origin }), origin).toBe(403);
    expect(await upgrade(`${ws}/room`, { origin: own })).toBe(101);
    // Same origin by another loopback name: Origin and Host agree.
    expect(await upgrade(`ws://localhost:${port}/sync/room`, { origin: `http://localhost:${port}` })).toBe(
      101,
    );
    // No Origin at all: not a browser page (a stock client, a script on this machine).
    expect(await upgrade(`${ws}/room`, {})).toBe(101);
  });

  it('refuses changes from another origin with 403 and leaves everything as it was', async () => {
    const { http, server } = await startServer();
    const h = { origin: evil, 'content-type': 'application/json' };
    const attempts: [string, string, string?][] = [
      ['PUT', '/api/notebooks/defaced', notebook],
      ['DELETE', '/api/notebooks/kept'],
      ['POST', '/api/notebooks/kept/execute', '{"cell_id":"given"}'],
      ['POST', '/api/notebooks/kept/interrupt'],
      ['POST', '/api/activities', JSON.stringify({ title: 'Evil', mode: 'individual' })],
      ['POST', '/api/join', JSON.stringify({ code: 'ABCDEF', name: 'x' })],
      ['PATCH', '/api/activities/abc', '{}'],
    ];
    expect(
      (await send(http, 'PUT', '/api/notebooks/kept', { 'content-type': 'application/json' }, notebook))
        .status,
    ).toBe(201);
    for (const [method, path, body] of attempts) {
      const answer = await send(http, method, path, h, body);
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.code).toBe('cross-origin');
      expect(answer.body.error).toMatch(/CANDYCE_ALLOWED_ORIGINS/);
    }
    expect((await send(http, 'GET', '/api/notebooks/defaced', {})).status).toBe(404);
    expect((await send(http, 'GET', '/api/notebooks/kept', {})).status).toBe(200);
    // No activity was created (the classroom keeps them in a private map).
    expect(
      (
        (server.feature('classroom') as ClassroomFeature).classroom as unknown as {
          activities: Map<string, unknown>;
        }
      ).activities.size,
    ).toBe(0);
  });

  it('refuses the "simple" content types a cross-origin form or fetch may send without preflight', async () => {
    const { http } = await startServer();
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      'text/json',
    ]) {
      const put = await send(http, 'PUT', '/api/notebooks/simple', { 'content-type': type }, notebook);
      expect(put.status, type).toBe(415);
      expect(put.body.code).toBe('unsupported-media-type');
      const create = await send(
        http,
        'POST',
        '/api/activities',
        { 'content-type': type },
        '{"title":"t","mode":"individual"}',
      );
      expect(create.status, type).toBe(415);
    }
    // A body without any Content-Type is refused too.
    expect((await send(http, 'PUT', '/api/notebooks/simple', {}, notebook)).status).toBe(415);
    expect((await send(http, 'GET', '/api/notebooks/simple', {})).status).toBe(404);
    // JSON types with parameters, and the .ipynb type, are JSON.
    expect(
      (
        await send(
          http,
          'PUT',
          '/api/notebooks/simple',
          { 'content-type': 'application/json; charset=utf-8' },
          notebook,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await send(
          http,
          'PUT',
          '/api/notebooks/simple',
          { 'content-type': 'application/x-ipynb+json' },
          notebook,
        )
      ).status,
    ).toBe(200);
  });

  it('refuses a rebound DNS name (foreign Host) on pages, reads, changes and WebSockets', async () => {
    const { http, ws } = await startServer();
    const port = new URL(http).port;
    await send(http, 'PUT', '/api/notebooks/secret-notes', { 'content-type': 'application/json' }, notebook);
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      'evil.example',
      `[::2]:${port}`,
    ]) {
      // The page's origin is the rebound name: same origin for the browser.
      const origin = `http://${host}`;
      const read = await send(http, 'GET', '/api/notebooks/secret-notes', { host });
      expect(read.status, host).toBe(421);
      expect(read.body.code).toBe('unknown-host');
      expect((await send(http, 'GET', '/', { host })).status).toBe(421);
      const created = await send(
        http,
        'POST',
        '/api/activities',
        { host, origin, 'content-type': 'application/json' },
        '{"title":"t","mode":"individual"}',
      );
      expect(created.status, host).toBe(421);
      expect(created.body.teacherToken).toBeUndefined();
      expect(await upgrade(`${ws}/secret-notes`, { host, origin })).toBe(421);
    }
    // Loopback names are this machine.
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`])
      expect((await send(http, 'GET', '/api/notebooks/secret-notes', { host })).status, host).toBe(200);
    // healthz answers every probe.
    expect((await send(http, 'GET', '/healthz', { host: 'probe.internal' })).status).toBe(200);
  });

  it('lets in the configured public URL and allowed origins', async () => {
    const { http, ws } = await startServer({
      security: {
        publicUrl: 'https://notebooks.school.example',
        allowedOrigins: ['https://ent.school.example'],
      },
    });
    expect((await send(http, 'GET', '/api/notebooks/x', { host: 'notebooks.school.example' })).status).toBe(
      404,
    );
    expect((await send(http, 'GET', '/api/notebooks/x', { host: 'ent.school.example' })).status).toBe(404);
    expect(await upgrade(`${ws}/room`, { origin: 'https://ent.school.example' })).toBe(101);
    expect(await upgrade(`${ws}/room`, { origin: 'https://notebooks.school.example' })).toBe(101);
    expect(await upgrade(`${ws}/room`, { origin: 'https://evil.school.example' })).toBe(403);
    const put = await send(
      http,
      'PUT',
      '/api/notebooks/x',
      { origin: 'https://ent.school.example', 'content-type': 'application/json' },
      notebook,
    );
    expect(put.status).toBe(201);
  });
});

describe('with CANDYCE_SECRET', () => {
  it('lets a host platform on another origin use its token (embedding), and any Host', async () => {
    const { ws, http } = await startServer({ secret: 'x'.repeat(40) });
    const t = await token({ role: 'teacher' }, '1h', 'x'.repeat(40));
    expect(await upgrade(`${ws}/room?token=${t}`, { origin: evil })).toBe(101);
    const put = await send(
      http,
      'PUT',
      '/api/notebooks/r',
      {
        origin: evil,
        authorization: `Bearer ${t}`,
        'content-type': 'application/json',
        host: 'candyce.internal',
      },
      notebook,
    );
    expect(put.status).toBe(201);
    // A token is still needed: a foreign page without one gets nothing.
    expect((await send(http, 'GET', '/api/notebooks/r', { origin: evil })).status).toBe(401);
  });

  it('checks Origin when an allowlist is configured', async () => {
    const secret = 'y'.repeat(40);
    const { ws } = await startServer({ secret, security: { allowedOrigins: ['https://lms.example'] } });
    const t = await token({ role: 'teacher' }, '1h', secret);
    expect(await upgrade(`${ws}/room?token=${t}`, { origin: 'https://lms.example' })).toBe(101);
    expect(await upgrade(`${ws}/room?token=${t}`, { origin: evil })).toBe(403);
  });
});
