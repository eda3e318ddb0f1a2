import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { startServer, tempDir } from './helpers.js';

// A raw GET, so that the path reaches the server exactly as written (fetch
// would normalise `..` away).
const rawGet = (base: string, path: string): Promise<{ status: number; body: string }> =>
  rawRequest(base, path).then(({ status, bytes }) => ({ status, body: bytes.toString() }));

// The bytes as sent (fetch would decode them), with the headers.
const rawRequest = (
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; bytes: Buffer; headers: Record<string, string | string[] | undefined> }> =>
  new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end();
  });

const script = 'console.log("Candyce");\n'.repeat(200);
const wasm = new Uint8Array(4096).map((_, i) => i % 7);

// The web app as the build leaves it: precompressed siblings, Pyodide under its version.
const compressedApp = async (): Promise<string> => {
  const root = await webApp();
  await writeFile(join(root, 'assets', 'app-5678.js'), script);
  await writeFile(join(root, 'assets', 'app-5678.js.br'), brotliCompressSync(script));
  await writeFile(join(root, 'assets', 'app-5678.js.gz'), gzipSync(script));
  await mkdir(join(root, 'pyodide', '0.99.1'));
  await writeFile(join(root, 'pyodide', '0.99.1', 'pyodide.asm.wasm'), wasm);
  await writeFile(join(root, 'pyodide', '0.99.1', 'pyodide.asm.wasm.br'), brotliCompressSync(wasm));
  await writeFile(join(root, 'index.html.gz'), gzipSync('<!doctype html><title>Candyce app</title>'));
  return root;
};

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

  it('sends the best precompressed encoding the client accepts, with its length and Vary', async () => {
    const { http } = await startServer({ staticDir: await compressedApp() });
    const br = await rawRequest(http, '/assets/app-5678.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.bytes.length);
    expect(br.bytes.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(br.bytes).toString()).toBe(script);
    const gz = await rawRequest(http, '/assets/app-5678.js', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.bytes).toString()).toBe(script);
    const plain = await rawRequest(http, '/assets/app-5678.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.bytes.toString()).toBe(script);
    // The page itself (any route) is compressed too; fetch decodes it.
    const page = await rawRequest(http, '/n/maths', { 'accept-encoding': 'gzip' });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(page.bytes).toString()).toContain('Candyce app');
    expect(await (await fetch(`${http}/n/maths`)).text()).toContain('Candyce app');
    // HEAD gives the same length and encoding, without a body.
    const head = await rawRequest(http, '/assets/app-5678.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.headers['content-length']).toBe(br.headers['content-length']);
    expect(head.bytes.length).toBe(0);
  });

  it('caches versioned Pyodide files for good and revalidates the rest with an ETag', async () => {
    const { http } = await startServer({ staticDir: await compressedApp() });
    const py = await rawRequest(http, '/pyodide/0.99.1/pyodide.asm.wasm', { 'accept-encoding': 'br' });
    expect(py.status).toBe(200);
    expect(py.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(py.headers['content-type']).toBe('application/wasm');
    expect(new Uint8Array(brotliDecompressSync(py.bytes))).toEqual(wasm);
    const page = await rawRequest(http, '/');
    expect(page.headers['cache-control']).toBe('no-cache');
    const etag = String(page.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(page.headers['last-modified']).toBeTruthy();
    const again = await rawRequest(http, '/', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cross-origin-embedder-policy']).toBe('credentialless');
    const since = await rawRequest(http, '/', { 'if-modified-since': String(page.headers['last-modified']) });
    expect(since.status).toBe(304);
    // Another encoding is another variant: its own ETag, so a cached gzip copy is never taken for the plain one.
    const gz = await rawRequest(http, '/', { 'accept-encoding': 'gzip' });
    expect(gz.headers.etag).not.toBe(etag);
    expect((await rawRequest(http, '/', { 'if-none-match': etag, 'accept-encoding': 'gzip' })).status).toBe(
      200,
    );
    expect((await rawRequest(http, '/', { 'if-none-match': '"other"' })).status).toBe(200);
    const old = await rawRequest(http, '/', { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' });
    expect(old.status).toBe(200);
    // The worker script keeps its name across versions: never cached without asking.
    expect((await rawRequest(http, '/assets/app-1234.js')).headers['cache-control']).toContain('immutable');
    expect((await rawRequest(http, '/pyodide/pyodide.asm.wasm')).headers['cache-control']).toBe('no-cache');
    expect((await rawRequest(http, '/pyodide/0.99.1/missing.wasm')).status).toBe(404);
  });

  it('answers hostile Accept-Encoding and validator headers without failing', async () => {
    const { http } = await startServer({ staticDir: await compressedApp() });
    for (const headers of <Record<string, string>[]>[
      { 'accept-encoding': `${'br;q=x,'.repeat(1500)}gzip` },
      { 'accept-encoding': ';;;,,,q=,*;q=0' },
      { 'if-none-match': ','.repeat(12_000) },
      { 'if-modified-since': 'not a date' },
    ]) {
      const res = await rawRequest(http, '/assets/app-5678.js', headers);
      expect(res.status).toBe(200);
      const encoding = res.headers['content-encoding'];
      const text =
        encoding === 'br'
          ? brotliDecompressSync(res.bytes)
          : encoding === 'gzip'
            ? gunzipSync(res.bytes)
            : res.bytes;
      expect(text.toString()).toBe(script);
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
