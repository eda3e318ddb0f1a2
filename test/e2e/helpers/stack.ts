import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CandyceServer, createLogger, createServer } from '@candyce/server';
import type { BrowserContext, Page } from 'playwright-core';
import { buildWebApp } from '../../../apps/web/build.mjs';
import { launchBrowser, type TestBrowser, watchErrors } from './browser.js';
import { type StaticServer, startStaticServer } from './static-server.js';

/** Who opens a notebook page in a test. */
export interface Visitor {
  name: string;
  role?: 'teacher' | 'student' | 'viewer';
  lang?: 'fr' | 'en';
  kernel?: string;
  readonly?: boolean;
}

/**
 * Everything an end-to-end test needs: the web app built into a temp dir and
 * served statically, a real @candyce/server on a free port with LevelDB in a
 * temp dir, and headless Chromium.
 */
export interface Stack {
  browser: TestBrowser;
  server: CandyceServer;
  web: StaticServer;
  /** The sync URL of the server (`ws://127.0.0.1:<port>/sync`). */
  sync(): string;
  /** Opens the notebook page of `room` in a new browser context, as `visitor`; resolves once the notebook shows. */
  open(room: string, visitor: Visitor, context?: BrowserContext): Promise<Page>;
  /** Stops the sync server and starts it again on the same port and data. */
  restartServer(): Promise<void>;
  /** Errors the pages reported (printed by tests that fail). */
  errors: string[];
  close(): Promise<void>;
}

/** Starts a {@link Stack}. */
export const startStack = async (): Promise<Stack> => {
  const dir = await mkdtemp(join(tmpdir(), 'candyce-e2e-'));
  const dist = join(dir, 'web');
  await buildWebApp(dist, { quiet: true });
  const web = await startStaticServer(dist);
  const dataDir = join(dir, 'data');
  let server = createServer({ port: 0, dataDir, logger: createLogger('silent') });
  const port = await server.listen();
  const browser = await launchBrowser();
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  const stack: Stack = {
    browser,
    get server() {
      return server;
    },
    web,
    errors,
    sync: () => `ws://127.0.0.1:${port}/sync`,
    async open(room, visitor, context) {
      const ctx = context ?? (await browser.newContext());
      if (!context) contexts.push(ctx);
      const page = await ctx.newPage();
      watchErrors(page, errors);
      const q = new URLSearchParams({
        server: stack.sync(),
        name: visitor.name,
        role: visitor.role ?? 'student',
        lang: visitor.lang ?? 'fr',
        kernel: visitor.kernel ?? 'none',
      });
      if (visitor.readonly) q.set('readonly', '');
      await page.goto(`${web.url}/n/${encodeURIComponent(room)}?${q}`);
      await page.locator('candyce-notebook header').waitFor();
      return page;
    },
    async restartServer() {
      await server.close();
      server = createServer({ port, dataDir, logger: createLogger('silent') });
      await server.listen();
    },
    async close() {
      for (const ctx of contexts) await ctx.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await web.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
};

/** Returns the notebook of `page` as .ipynb JSON, read from its shared document. */
export const notebookOf = (
  page: Page,
): Promise<{ cells: { cell_type: string; source: string | string[]; id: string }[] }> =>
  page.evaluate(() =>
    (document.querySelector('candyce-notebook') as unknown as { exportNotebook(): never }).exportNotebook(),
  );

/** Returns the sources of the cells of `page`, joined. */
export const sourcesOf = async (page: Page): Promise<string[]> =>
  (await notebookOf(page)).cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));

/** Returns the connection status the indicator of `page` shows (`online`, `offline`...). */
export const statusOf = (page: Page): Promise<string | null> =>
  page.locator('candyce-notebook .status').getAttribute('data-status');

/** Creates or replaces the room `room` with `notebook`, through the server's HTTP API. */
export const putNotebook = async (stack: Stack, room: string, notebook: unknown): Promise<void> => {
  const url = `${stack
    .sync()
    .replace(/^ws/, 'http')
    .replace(/\/sync$/, '')}/api/notebooks/${encodeURIComponent(room)}`;
  const response = await fetch(url, {
    method: 'PUT',
    body: JSON.stringify(notebook),
    headers: { 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`PUT ${url} answered ${response.status}: ${await response.text()}`);
};
