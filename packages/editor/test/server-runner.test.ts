import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { RunError, type RunState } from '../src/run/cell-runner.js';
import { httpBaseOf, refusalOf, serverRunner } from '../src/run/server-runner.js';

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the server runner', () => {
  it('finds the HTTP API next to the sync endpoint', () => {
    expect(httpBaseOf('ws://127.0.0.1:1234/sync')).toBe('http://127.0.0.1:1234');
    expect(httpBaseOf('wss://candyce.example/base/sync')).toBe('https://candyce.example/base');
  });

  it('names what each refusal of the execute endpoint means', () => {
    expect([501, 401, 403, 404, 500, 502].map(refusalOf)).toEqual([
      'not-configured',
      'unauthorized',
      'forbidden',
      'not-found',
      'failed',
      'failed',
    ]);
  });

  it('rejects with a RunError that keeps the server’s words when execution is not configured', async () => {
    vi.stubGlobal('fetch', async () => answer(501, { error: 'set JUPYTER_URL' }));
    const runner = serverRunner('ws://h/sync', 'r', '');
    const error = await runner.run({ doc: new Y.Doc(), cellId: 'a', code: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect(error).toMatchObject({ refusal: 'not-configured', detail: 'set JUPYTER_URL', status: 501 });
  });

  it('says the server is unreachable when the request cannot be sent', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await serverRunner('ws://h/sync', 'r', 't')
      .run({ doc: new Y.Doc(), cellId: 'a', code: '' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ refusal: 'unreachable' });
  });

  it('runs cells one after the other with the token, and stops at a cell that ends in an error', async () => {
    const asked: { cell: string; auth: string | null }[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const cell = (JSON.parse(String(init.body)) as { cell_id: string }).cell_id;
      asked.push({ cell, auth: new Headers(init.headers).get('authorization') });
      return answer(200, { cell_id: cell, status: cell === 'b' ? 'error' : 'ok', execution_count: 1 });
    });
    const runner = serverRunner('ws://h/sync', 'r', 'jwt');
    const states: RunState[] = [];
    runner.onChange?.((s) => states.push(s));
    await runner.runCells(new Y.Doc(), ['a', 'b', 'c']);
    expect(asked).toEqual([
      { cell: 'a', auth: 'Bearer jwt' },
      { cell: 'b', auth: 'Bearer jwt' },
    ]);
    expect(states.some((s) => s.running === 'a' && s.queued.join() === 'b,c')).toBe(true);
    expect(states.at(-1)).toEqual({ running: null, queued: [] });
  });

  it('cancels the waiting cells on interrupt and asks the server to interrupt the running one', async () => {
    const asked: string[] = [];
    let finish: (() => void) | null = null;
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      asked.push(
        url.endsWith('/interrupt')
          ? 'interrupt'
          : (JSON.parse(String(init.body)) as { cell_id: string }).cell_id,
      );
      if (url.endsWith('/interrupt')) return Promise.resolve(answer(200, {}));
      return new Promise<Response>((resolve) => {
        finish = () => resolve(answer(200, { status: 'error' }));
      });
    });
    const runner = serverRunner('ws://h/sync', 'r', '');
    const done = runner.runCells(new Y.Doc(), ['a', 'b']);
    await vi.waitFor(() => expect(asked).toEqual(['a']));
    runner.interrupt?.();
    expect(asked).toEqual(['a', 'interrupt']);
    finish!();
    await done;
    expect(asked).toEqual(['a', 'interrupt']);
  });
});
