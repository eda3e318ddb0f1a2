import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthenticator } from '@candyce/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostServer, type HostServer } from '../src/host-server.js';
import { readPlayerParams } from '../src/player-url.js';

const secret = 'a-secret-shared-with-the-candyce-server-5678';
let dir: string;
let host: HostServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'candyce-host-test-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<body data-candyce="%CANDYCE%" data-sync="%SYNC%">');
  await writeFile(join(dir, 'assets', 'host.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'not to be served');
  host = createHostServer({ candyceUrl: 'https://candyce.example', secret, publicDir: dir });
  await host.listen();
});
afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (body: unknown) =>
  fetch(`${host.url()}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the example host server', () => {
  it('serves its page with its configuration and a policy that frames only the Candyce server', async () => {
    const response = await fetch(`${host.url()}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('frame-src https://candyce.example');
    expect(csp).toContain("default-src 'self'");
    const text = await response.text();
    expect(text).toBe('<body data-candyce="https://candyce.example" data-sync="wss://candyce.example/sync">');
  });

  it('serves assets, and nothing outside them', async () => {
    expect((await fetch(`${host.url()}/assets/host.css`)).status).toBe(200);
    expect((await fetch(`${host.url()}/assets/..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${host.url()}/secret.txt`)).status).toBe(404);
  });

  it('mints a session whose token the Candyce server accepts, handed over in the fragment', async () => {
    const response = await post({ activity: 'suites', mode: 'assignment', pupil: 'alice', name: 'Alice' });
    expect(response.status).toBe(200);
    const session = (await response.json()) as { room: string; token: string; playerUrl: string };
    expect(session.room).toBe('emb.suites.alice');
    const url = new URL(session.playerUrl);
    expect(url.origin + url.pathname + url.search).toBe('https://candyce.example/embed/player.html');
    const params = readPlayerParams(url.hash);
    expect(params).toMatchObject({ room: 'emb.suites.alice', token: session.token, lang: 'fr' });
    const identity = await createAuthenticator(secret).authenticate(params.token);
    expect(identity).toMatchObject({ name: 'Alice', role: 'student', rooms: ['emb.suites.alice'] });
  });

  it('answers a bad visit with a 400 that says what is wrong', async () => {
    const bad = async (body: unknown) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: string }).error;
    };
    expect(await bad({ activity: 'a', mode: 'edit' })).toContain('mode');
    expect(await bad({ activity: 'a', mode: 'assignment', pupil: 'x/y' })).toContain('Pupil id');
    expect(await bad({ activity: 'a', mode: 'create', workflow: 'done' })).toContain('workflow');
    const response = await fetch(`${host.url()}/api/session`, { method: 'POST', body: '{' });
    expect(response.status).toBe(400);
  });

  it('keeps the content the page saves, and says when there is none', async () => {
    const url = `${host.url()}/api/content/suites/alice`;
    expect(await (await fetch(url)).json()).toEqual({ key: 'suites/alice', content: null });
    const notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
    const put = await fetch(url, { method: 'PUT', body: JSON.stringify(notebook) });
    expect(put.status).toBe(200);
    expect(await (await fetch(url)).json()).toEqual({ key: 'suites/alice', content: notebook });
    expect(host.saved('suites/alice')).toEqual(notebook);
    expect((await fetch(`${host.url()}/api/content/a/b/c`)).status).toBe(400);
    expect((await fetch(url, { method: 'PUT', body: '"text"' })).status).toBe(400);
  });
});
