import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer, tempDir } from './helpers.js';

// A raw GET, so that the path reaches the server exactly as written (fetch
// would normalise `..` away).
const rawGet = (base: string, path: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

const webApp = async (): Promise<string> => {
  const root = await tempDir();
  await mkdir(join(root, 'assets'));
  await mkdir(join(root, 'pyodide'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Candyce app</title>');
  await writeFile(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  await writeFile(join(root, 'pyodide', 'pyodide.asm.wasm'), new Uint8Array([0, 97, 115, 109]));
  await writeFile(join(root, '..', 'secret.txt'), 'do not serve');
  return root;
};

describe('static files of the web app', () => {
  it('serves the notebook page for / and /n/<room> with cross-origin isolation headers', async () => {
    const { http } = await startServer({ staticDir: await webApp() });
    for (const path of ['/', '/n/maths-2nde', '/n/caf%C3%A9']) {
      const res = await fetch(`${http}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Candyce app');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('credentialless');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable and wasm with its type', async () => {
    const { http } = await startServer({ staticDir: await webApp() });
    const js = await fetch(`${http}/assets/app-1234.js`);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.headers.get('content-type')).toContain('text/javascript');
    const wasm = await fetch(`${http}/pyodide/pyodide.asm.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('answers 404 for a missing asset and for paths that leave the app directory', async () => {
    const { http } = await startServer({ staticDir: await webApp() });
    expect((await fetch(`${http}/assets/missing.js`)).status).toBe(404);
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/%2e%2e%2fsecret.txt']) {
      const res = await rawGet(http, path);
      expect(res.body).not.toContain('do not serve');
      expect(res.status).toBe(404);
    }
  });

  it('keeps the API and health endpoints working beside the app', async () => {
    const { http } = await startServer({ staticDir: await webApp() });
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    const res = await fetch(`${http}/api/notebooks/nothing-here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBeTruthy();
  });
});
