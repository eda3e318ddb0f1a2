import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classroomFeature } from '@candyce/classroom';
import { type CandyceServer, createLogger, createServer, type ServerOptions } from '@candyce/server';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildWebApp } from '../../../apps/web/build.mjs';
import { launchBrowser, type TestBrowser, watchErrors } from './browser.js';

/** Who opens a notebook page in a test. */
export interface Visitor {
  name: string;
  role?: 'teacher' | 'student' | 'viewer';
  lang?: 'fr' | 'en';
  kernel?: string;
  readonly?: boolean;
  /** A Candyce JWT, given in the page's fragment (`#token=`) as a host platform does. */
  token?: string;
}

/** How a test wants its stack. */
export interface StackOptions {
  /** Token secret of the server (`CANDYCE_SECRET`). */
  secret?: string;
  /** Server-side execution (a Jupyter gateway). */
  execution?: ServerOptions['execution'];
  /** Security settings of the server (allowed origins, link sources…). */
  security?: ServerOptions['security'];
}

/**
 * Everything an end-to-end test needs: the web app built into a temp dir, a
 * real @candyce/server on a free port with LevelDB in a temp dir that serves
 * that app itself (COOP/COEP headers, `/pyodide/`, `/kernels/`), and headless
 * Chromium.
 */
export interface Stack {
  browser: TestBrowser;
  server: CandyceServer;
  /** Where the pages are loaded from (the Candyce server, or the separate static server). */
  web: { url: string };
  /** The HTTP base URL of the Candyce server (`http://127.0.0.1:<port>`). */
  http(): string;
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
export const startStack = async (options: StackOptions = {}): Promise<Stack> => {
  const dir = await mkdtemp(join(tmpdir(), 'candyce-e2e-'));
  const dist = join(dir, 'web');
  await buildWebApp(dist, { quiet: true });
  const dataDir = join(dir, 'data');
  const serverOptions = (port: number): ServerOptions => ({
    port,
    dataDir,
    logger: createLogger('silent'),
    staticDir: dist,
    features: [classroomFeature()],
    ...(options.secret ? { secret: options.secret } : {}),
    ...(options.execution ? { execution: options.execution } : {}),
    ...(options.security ? { security: options.security } : {}),
  });
  let server = createServer(serverOptions(0));
  const port = await server.listen();
  const http = `http://127.0.0.1:${port}`;
  const browser = await launchBrowser();
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  const stack: Stack = {
    browser,
    get server() {
      return server;
    },
    web: { url: http },
    errors,
    http: () => http,
    sync: () => `ws://127.0.0.1:${port}/sync`,
    async open(room, visitor, context) {
      const ctx = context ?? (await browser.newContext());
      if (!context) contexts.push(ctx);
      const page = await ctx.newPage();
      watchErrors(page, errors);
      const q = new URLSearchParams({
        name: visitor.name,
        role: visitor.role ?? 'student',
        lang: visitor.lang ?? 'fr',
        kernel: visitor.kernel ?? 'none',
      });
      if (visitor.readonly) q.set('readonly', '');
      const hash = visitor.token ? `#token=${encodeURIComponent(visitor.token)}` : '';
      await page.goto(`${stack.web.url}/n/${encodeURIComponent(room)}?${q}${hash}`);
      await page.locator('candyce-notebook header').waitFor();
      return page;
    },
    async restartServer() {
      await server.close();
      server = createServer(serverOptions(port));
      await server.listen();
    },
    async close() {
      for (const ctx of contexts) await ctx.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
};

/** Returns the notebook of `page` as .ipynb JSON, read from its shared document. */
export const notebookOf = (
  page: Page,
): Promise<{ cells: { cell_type: string; source: string | string[]; id: string; outputs?: unknown[] }[] }> =>
  page.evaluate(() =>
    (document.querySelector('candyce-notebook') as unknown as { exportNotebook(): never }).exportNotebook(),
  );

/** Resolves once the IndexedDB copy of `page`'s notebook holds every change made so far. */
export const savedLocally = (page: Page): Promise<void> =>
  page.evaluate(() =>
    (document.querySelector('candyce-notebook') as unknown as { whenSaved(): Promise<void> }).whenSaved(),
  );

/** Returns the sources of the cells of `page`, joined. */
export const sourcesOf = async (page: Page): Promise<string[]> =>
  (await notebookOf(page)).cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));

/** The cell `id` of the notebook of `page`. */
export const cellOf = (page: Page, id: string) => page.locator(`candyce-cell[data-cell-id="${id}"]`);

/** Returns the text of the outputs of the cell `id` of `page`, trimmed; empty if the cell shows none yet. */
export const outputText = async (page: Page, id: string): Promise<string> =>
  (
    (await cellOf(page, id)
      .locator('.outputs')
      .textContent({ timeout: 1000 })
      .catch(() => '')) ?? ''
  ).trim();

/** Returns the connection status the indicator of `page` shows (`online`, `offline`...). */
export const statusOf = (page: Page): Promise<string | null> =>
  page.locator('candyce-notebook .status').getAttribute('data-status');

/** Sends `method` with `body` to the notebook API of `room`; throws unless the server says OK. */
export const callNotebookApi = async (
  stack: Stack,
  method: 'PUT' | 'DELETE' | 'GET',
  room: string,
  body?: unknown,
  token?: string,
): Promise<unknown> => {
  const url = `${stack.http()}/api/notebooks/${encodeURIComponent(room)}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
};

/** Creates or replaces the room `room` with `notebook`, through the server's HTTP API. */
export const putNotebook = async (stack: Stack, room: string, notebook: unknown): Promise<void> => {
  await callNotebookApi(stack, 'PUT', room, notebook);
};

/** How long end-to-end tests wait for a condition in the page, and how often they look. */
export const poll = { timeout: 15_000, interval: 100 };

/**
 * Starts a {@link Stack} before the tests of the calling file and closes it
 * after them, printing what the pages reported if anything. `options` may be
 * a function, run first, for files that must start something else before the
 * stack (a Jupyter Server). Returns the stack, usable inside tests and hooks.
 */
export const useStack = (options: StackOptions | (() => Promise<StackOptions>) = {}): Stack => {
  let current: Stack | undefined;
  beforeAll(async () => {
    current = await startStack(typeof options === 'function' ? await options() : options);
  }, 120_000);
  afterAll(async () => {
    if (current?.errors.length) console.log(current.errors.join('\n'));
    await current?.close();
  });
  // The stack exists only once the hook has run: hand out a stand-in that forwards to it.
  return new Proxy({} as Stack, {
    get: (_target, key) => {
      if (!current) throw new Error(`The end-to-end stack is not started yet (reading ${String(key)})`);
      const value = Reflect.get(current, key, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
};
