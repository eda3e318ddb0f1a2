import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingProxy, startCountingProxy } from './helpers/counting-proxy.js';
import { cellOf, outputText, putNotebook, useStack } from './helpers/stack.js';

// A lesson on a school's line: Python (13 MB) is downloaded once, compressed,
// and kept by the service worker; while it loads the page says how far it
// got, and a screen reader hears it at a few steps. Every byte is counted by
// a proxy between Chromium and the server (the page's, the kernel worker's
// and the service worker's requests alike).

const stack = useStack();
let proxy: CountingProxy;

const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { id: 'one', cell_type: 'code', metadata: {}, source: 'print(1)', outputs: [], execution_count: null },
    {
      id: 'two',
      cell_type: 'code',
      metadata: {},
      source: 'print(6 * 7)',
      outputs: [],
      execution_count: null,
    },
  ],
};

const slow = { timeout: 120_000, interval: 100 };

beforeAll(async () => {
  await putNotebook(stack, 'lesson', lesson);
  proxy = await startCountingProxy(stack.http());
});

afterAll(async () => {
  await proxy?.close();
});

const pageUrl = () =>
  `${proxy.url}/n/lesson?${new URLSearchParams({ name: 'Alice', role: 'teacher', lang: 'fr', kernel: 'pyodide', server: `${proxy.url.replace('http', 'ws')}/sync` })}`;

const runCell = async (page: Page, id: string, output: string) => {
  expect(await outputText(page, id)).toBe('');
  await cellOf(page, id).click({ position: { x: 20, y: 10 } });
  await page.keyboard.press('Shift+Enter');
  await expect.poll(() => outputText(page, id), slow).toBe(output);
};

// Records every text the kernel indicator and the notebook's live region
// show, as they change (polled often: the steps last a second or more).
const recordTexts = (page: Page) =>
  page.evaluate(() => {
    const seen = { indicator: [] as string[], announced: [] as string[] };
    (window as unknown as { seen: typeof seen }).seen = seen;
    const root = document.querySelector('candyce-notebook')?.shadowRoot;
    const read = () => {
      const indicator = root?.querySelector('.kernel-status')?.textContent?.trim() ?? '';
      const live = root?.querySelector('[role="status"][aria-live="polite"]')?.textContent?.trim() ?? '';
      if (indicator && seen.indicator.at(-1) !== indicator) seen.indicator.push(indicator);
      if (live && seen.announced.at(-1) !== live) seen.announced.push(live);
    };
    // Every change of the shadow tree, not only every 20 ms: a message replaced
    // within one poll (under a loaded CI machine) would otherwise go unseen.
    if (root)
      new MutationObserver(read).observe(root, { subtree: true, childList: true, characterData: true });
    setInterval(read, 20);
  });

const recorded = (page: Page) =>
  page.evaluate(() => (window as unknown as { seen: { indicator: string[]; announced: string[] } }).seen);

describe('a lesson on a school line', () => {
  it('shows a loading line before any script runs, and sends the app compressed', async () => {
    const context = await stack.browser.browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(pageUrl());
      expect(await page.getByText('Candyce se charge…').isVisible()).toBe(true);
      expect(await page.getByText('/ Loading Candyce…').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
    const context2 = await stack.browser.newContext();
    try {
      const page = await context2.newPage();
      proxy.responses.length = 0;
      await page.goto(pageUrl());
      await page.locator('candyce-notebook header').waitFor();
      const app = proxy.responses.find((r) => /^\/assets\/app-\w+\.js$/.test(r.path));
      expect(app?.encoding).toBe('br');
      const page1 = proxy.responses.find((r) => r.path.startsWith('/n/lesson'));
      expect(page1?.encoding).toBe('br');
      const css = proxy.responses.find((r) => /^\/assets\/app-\w+\.css$/.test(r.path));
      expect(css?.encoding).toBe('br');
      // On the wire, the largest script loaded at start (the entry is small: its code is in
      // chunks it shares with the pages loaded on demand) is under a third of its size.
      const scripts = proxy.responses.filter((r) => /^\/assets\/.*\.js$/.test(r.path));
      const largest = scripts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
      expect(largest.encoding).toBe('br');
      const raw = await (
        await fetch(`${stack.http()}${largest.path}`, { headers: { 'accept-encoding': 'identity' } })
      ).arrayBuffer();
      expect(raw.byteLength).toBeGreaterThan(100_000);
      expect(largest.bytes).toBeLessThan(raw.byteLength / 3);
    } finally {
      await context2.close();
    }
  }, 60_000);

  it('says how far Python got while it loads, then keeps it: the next visit downloads none of it', async () => {
    const context: BrowserContext = await stack.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(pageUrl());
      await page.locator('candyce-notebook header').waitFor();
      // The service worker is in charge before Python is asked for (it keeps it as it passes).
      await page.evaluate(() => navigator.serviceWorker.ready);
      await expect
        .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), slow)
        .toBe(true);

      // A slow line: Chromium's own throttling, and the proxy's (which the kernel worker's requests go through).
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 400,
        downloadThroughput: 1_500_000,
        uploadThroughput: 1_500_000,
      });
      proxy.throttle(1_500_000);
      proxy.responses.length = 0;
      await recordTexts(page);
      await runCell(page, 'one', '1');
      proxy.throttle(0);
      const firstBytes = proxy.bytesUnder('/pyodide/');
      // The end is told once the kernel is ready, which may come a moment after the first output.
      await expect
        .poll(async () => (await recorded(page)).announced.includes('Python est prêt.'), slow)
        .toBe(true);
      const seen = await recorded(page);
      // Shown with the size of the download, in French, as it grows.
      const counted = seen.indicator.filter((s) => /^Python se charge… \d+ \/ 14 Mo$/.test(s));
      expect(seen.indicator[0]).toBe('Python se charge…');
      expect(counted.length).toBeGreaterThanOrEqual(2);
      // Told to screen readers at the start, at one or more quarters, and at the end; not at every megabyte.
      expect(seen.announced[0]).toBe('Python se charge…');
      expect(seen.announced).toContain('Python est prêt.');
      const steps = seen.announced.filter((s) => /^Python se charge… \d+ \/ 14 Mo$/.test(s));
      expect(steps.length).toBeGreaterThanOrEqual(1);
      expect(steps.length).toBeLessThanOrEqual(3);
      expect(steps.length).toBeLessThan(counted.length);
      // The indicator goes once Python is ready.
      await expect.poll(() => page.locator('candyce-notebook .kernel-status').count(), slow).toBe(0);
      // Compressed on the wire: well under the 13.5 MB of Pyodide's files.
      expect(firstBytes).toBeGreaterThan(3_000_000);
      expect(firstBytes).toBeLessThan(9_000_000);
      expect(
        proxy.responses.filter((r) => r.path.startsWith('/pyodide/')).every((r) => r.status === 200),
      ).toBe(true);

      // The service worker kept every file of this version.
      const kept = async () =>
        page.evaluate(async () => {
          const names = (await caches.keys()).filter((k) => k.startsWith('candyce-pyodide-'));
          let files = 0;
          for (const name of names) files += (await (await caches.open(name)).keys()).length;
          return { names: names.length, files };
        });
      await expect.poll(kept, slow).toEqual({ names: 1, files: 5 });

      // Next lesson: the browser's HTTP cache is emptied, so what is not fetched comes from the service worker.
      await cdp.send('Network.clearBrowserCache');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      proxy.responses.length = 0;
      await page.reload();
      await page.locator('candyce-notebook header').waitFor();
      // Another cell, whose output only this visit's Python can write.
      await runCell(page, 'two', '42');
      expect(proxy.responses.filter((r) => r.path.startsWith('/pyodide/'))).toEqual([]);
      expect(proxy.bytesUnder('/pyodide/')).toBe(0);
    } finally {
      proxy.throttle(0);
      await context.close();
    }
  }, 300_000);
});
