import { describe, expect, it } from 'vitest';
import { savedLocally, sourcesOf, statusOf, useStack } from './helpers/stack.js';

// Offline first: a person who loses the network keeps editing; when the
// network is back, both copies converge and nothing is lost.

// The page comes from the Candyce server itself: when the second test stops
// that server, the page must still load, from the service worker's copy.
const stack = useStack();

const poll = { timeout: 20_000, interval: 100 };

describe('offline editing', () => {
  it('keeps edits made offline, says they are unsent, and converges when back online', async () => {
    const alice = await stack.open('offline-room', { name: 'Alice', role: 'teacher' });
    const bob = await stack.open('offline-room', { name: 'Bob' });
    await expect.poll(() => statusOf(bob), poll).toBe('online');
    await alice.getByRole('button', { name: '+ Code' }).first().click();
    await alice.locator('candyce-cell .cm-content').first().waitFor();
    await alice.keyboard.type('x = 1');
    await expect.poll(() => sourcesOf(bob), poll).toEqual(['x = 1']);

    await bob.context().setOffline(true);
    await expect.poll(() => statusOf(bob), poll).toBe('offline');
    const cell = bob.locator('candyce-cell').first();
    await cell.locator('.cm-content').click();
    await bob.keyboard.press('Control+End');
    await bob.keyboard.type('\ny = 2');
    await expect.poll(() => bob.locator('.status').getAttribute('data-unsent'), poll).toBe('true');
    expect(await bob.locator('.status').textContent()).toContain('Hors ligne');
    // Meanwhile Alice goes on, online.
    await alice.keyboard.press('Escape');
    await alice.keyboard.press('b');
    await alice.locator('candyce-cell').nth(1).locator('.cm-content').waitFor();
    await alice.keyboard.type('z = 3');
    await expect.poll(() => sourcesOf(alice), poll).toEqual(['x = 1', 'z = 3']);

    await bob.context().setOffline(false);
    await expect.poll(() => statusOf(bob), poll).toBe('online');
    const expected = ['x = 1\ny = 2', 'z = 3'];
    await expect.poll(() => sourcesOf(bob), poll).toEqual(expected);
    await expect.poll(() => sourcesOf(alice), poll).toEqual(expected);
    expect(await bob.locator('.status').getAttribute('data-unsent')).toBe('false');
  });

  it('opens and edits a notebook with no network, from this browser’s copy', async () => {
    const page = await stack.open('offline-reopen', { name: 'Chloé', role: 'teacher' });
    await expect.poll(() => statusOf(page), poll).toBe('online');
    await page.getByRole('button', { name: '+ Code' }).first().click();
    await page.locator('candyce-cell .cm-content').first().waitFor();
    await page.keyboard.type('gardé = True');
    await expect.poll(() => sourcesOf(page), poll).toEqual(['gardé = True']);
    await savedLocally(page);
    // The service worker has stored the app shell once it is active.
    expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active !== null))).toBe(
      true,
    );
    // Reload while the server (page, API and sync) is unreachable: the page
    // comes from the service worker, the notebook from IndexedDB.
    const url = page.url();
    await stack.server.close();
    await page.goto('about:blank');
    await page.goto(url);
    await page.locator('candyce-notebook header').waitFor();
    await expect.poll(() => sourcesOf(page), poll).toEqual(['gardé = True']);
    await expect.poll(() => statusOf(page), poll).toBe('offline');
    await stack.restartServer();
    await expect.poll(() => statusOf(page), poll).toBe('online');
  });
});
