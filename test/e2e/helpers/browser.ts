import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';

/** Chromium from Debian, with the flags that keep it quiet and quick in a container. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The path of the Chromium the tests drive (npm cannot download browsers here). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A browser with a fresh profile (Playwright makes a new one per launch and removes it on close). */
export interface TestBrowser {
  browser: Browser;
  /** A fresh context at 1200×900; `options` adds e.g. a colour scheme or forced colours. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Launches headless Chromium with a fresh profile. */
export const launchBrowser = async (): Promise<TestBrowser> => {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  return {
    browser,
    newContext: (options) => browser.newContext({ viewport: { width: 1200, height: 900 }, ...options }),
    close: () => browser.close(),
  };
};

/** Collects the page's uncaught errors and console errors, to print when a test fails. */
export const watchErrors = (page: Page, sink: string[]): void => {
  page.on('pageerror', (err) => sink.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // Refused reconnections are expected while a test keeps the server down.
    // So are the 501 answers of a server that runs no code (a test checks the message shown).
    if (
      msg.type() === 'error' &&
      !msg.text().includes('WebSocket connection to') &&
      !msg.text().includes('status of 501')
    )
      sink.push(`console: ${msg.text()}`);
  });
};
