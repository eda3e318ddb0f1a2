import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, putNotebook, useStack } from './helpers/stack.js';

// A page on another origin, open in the teacher's browser next to an
// open-mode server on this machine: it frames the notebook (clickjacking),
// opens its WebSocket, posts "simple" requests. And a script slipped into the
// notebook page itself. All in real Chromium.

const stack = useStack();
let evil: Server;
let evilUrl = '';
let page = '';

beforeAll(async () => {
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => evil.close(() => resolve())));

const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source: 'x = 1', outputs: [], execution_count: null }],
};

describe('pages against a foreign origin', () => {
  it('cannot be framed, except the player page', async () => {
    await putNotebook(stack, 'framed', lesson);
    page = `<!doctype html><iframe id="nb" src="${stack.http()}/n/framed"></iframe>
      <iframe id="player" src="${stack.http()}/embed/player.html"></iframe>`;
    const context = await stack.browser.newContext();
    const tab = await context.newPage();
    await tab.goto(evilUrl);
    await tab.waitForTimeout(1500);
    const notebook = tab.frames().find((f) => f.url().includes('/n/framed'));
    // Blocked by frame-ancestors: no notebook element came to life in the frame.
    const shown = notebook
      ? await notebook
          .locator('candyce-notebook header')
          .count()
          .catch(() => 0)
      : 0;
    expect(shown).toBe(0);
    const player = tab.frames().find((f) => f.url().includes('/embed/player.html'));
    expect(player).toBeDefined();
    await expect.poll(() => player!.locator('body').count(), poll).toBe(1);
    await context.close();
  });

  it('cannot open the server’s WebSocket nor post a simple request from the foreign page', async () => {
    page = '<!doctype html><p>hello</p>';
    const context = await stack.browser.newContext();
    const tab = await context.newPage();
    await tab.goto(evilUrl);
    const ws = await tab.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve('open');
          socket.onerror = () => resolve('refused');
        }),
      `${stack.sync()}/framed`,
    );
    expect(ws).toBe('refused');
    await tab.evaluate(async (base) => {
      // What a page may send without a CORS preflight; the answer is opaque to it anyway.
      await fetch(`${base}/api/notebooks/framed`, {
        method: 'PUT',
        mode: 'no-cors',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }),
      }).catch(() => undefined);
      await fetch(`${base}/api/notebooks/framed`, { method: 'DELETE', mode: 'no-cors' }).catch(
        () => undefined,
      );
    }, stack.http());
    const after = (await (await fetch(`${stack.http()}/api/notebooks/framed`)).json()) as {
      cells: unknown[];
    };
    expect(after.cells.length).toBe(1);
    await context.close();
  });
});

describe('the notebook page', () => {
  it('runs no inline script slipped into it, and serves no source maps', async () => {
    const tab = await stack.open('framed', { name: 'Prof', role: 'teacher' });
    const csp = (await tab.request.get(`${stack.http()}/n/framed`)).headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    await tab.addScriptTag({ content: 'window.__inline = 1' }).catch(() => undefined);
    expect(await tab.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    const html = await (await fetch(`${stack.http()}/`)).text();
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(new URL(`${script}.map`, stack.http()))).status).toBe(404);
  });
});
