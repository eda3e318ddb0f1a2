import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyodideDirectory } from '../src/node.js';

// The browser side as the Candyce server will serve it: Pyodide at
// /pyodide/, the worker at /kernels/, on a cross-origin isolated page. The
// sources are compiled file by file, as tsc does into dist/, and the page
// loads them unbundled: that also proves that the worker and the gateway
// import nothing that a browser cannot resolve.

const compile = (): string => {
  const out = mkdtempSync(join(tmpdir(), 'candyce-kernels-'));
  const src = fileURLToPath(new URL('../src/', import.meta.url));
  for (const file of readdirSync(src).filter((f) => f.endsWith('.ts') && !f.startsWith('node'))) {
    const { outputText } = ts.transpileModule(readFileSync(join(src, file), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ES2022,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    writeFileSync(join(out, file.replace(/\.ts$/, '.js')), outputText);
  }
  return out;
};

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json',
};

const page = `<!doctype html><meta charset="utf-8"><script type="module">
import { pyodideGateway } from '/kernels/pyodide-gateway.js';
import { browserWorker } from '/kernels/worker-port.js';
window.run = async () => {
  const gateway = pyodideGateway({ indexURL: '/pyodide/', worker: browserWorker('/kernels/pyodide-worker.js') });
  const session = await gateway.startKernel('python3');
  const outputs = [];
  const onMessage = (m) => {
    if (m.msg_type === 'stream') outputs.push(m.content.text);
    if (m.msg_type === 'input_request') session.answerInput('Ada');
    if (m.msg_type === 'error') outputs.push(m.content.ename);
  };
  await session.execute('import sys\\nprint("hello from", sys.platform)', { onMessage });
  await session.execute('print("hi", input("Name? "))', { onMessage, allowStdin: true });
  const loop = session.execute('while True: pass', { onMessage });
  setTimeout(() => session.interrupt(), 300);
  await loop;
  await session.shutdown();
  return { isolated: crossOriginIsolated, outputs };
};
</script>`;

let server: Server;
let browser: Browser;
let origin: string;
let kernels: string;

beforeAll(async () => {
  kernels = compile();
  const roots: [string, string][] = [
    ['/pyodide/', pyodideDirectory()],
    ['/kernels/', kernels],
  ];
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const headers = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (path === '/') return res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(page);
    const root = roots.find(([prefix]) => path.startsWith(prefix));
    const file = root && normalize(join(root[1], path.slice(root[0].length)));
    if (!root || !file?.startsWith(root[1])) return res.writeHead(404).end();
    try {
      const body = await readFile(file);
      res
        .writeHead(200, { ...headers, 'content-type': types[extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (kernels) rmSync(kernels, { recursive: true, force: true });
});

describe('Pyodide in a browser', () => {
  it('runs Python in a module worker, with input() and interrupt on an isolated page', async () => {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(origin);
    const result = await tab.evaluate(() => (window as unknown as { run(): Promise<unknown> }).run());
    expect(errors).toEqual([]);
    expect(result).toEqual({
      isolated: true,
      outputs: ['hello from emscripten\n', 'hi Ada\n', 'KeyboardInterrupt'],
    });
  }, 90_000);
});
