import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lesson } from './fixtures/notebooks.js';
import { poll, useStack } from './helpers/stack.js';

// A pupil's notebook on a phone (390×844), as a pupil opens it in class: the
// picture in docs/pupil-phone.png (issue 21). It also checks what the picture
// shows: the banner and header leave the first cell on the first screen.

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const stack = useStack();

describe('a pupil’s notebook on a phone', () => {
  it('shows the activity, the personal code and the first cells on the first screen, and saves the picture', async () => {
    const created = await fetch(`${stack.http()}/api/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Suites numériques', mode: 'individual', notebook: lesson }),
    });
    const activity = (await created.json()) as { code: string };
    const context = await stack.browser.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      locale: 'fr-FR',
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${stack.web.url}/j/${activity.code}`);
    await page.locator('#join-name').fill('Léa');
    await page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
    await page.waitForURL(/\/n\/act-/);
    await page.locator('candyce-notebook .status[data-status="online"]').waitFor();
    await expect.poll(() => page.locator('candyce-cell').count(), poll).toBe(lesson.cells.length);
    await page.locator('.activity-banner .personal-code').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(
      0,
    );
    const first = await page.locator('candyce-cell').first().boundingBox();
    expect(first && first.y + 40).toBeLessThan(844);
    await mkdir(join(root, 'docs'), { recursive: true });
    await page.screenshot({ path: join(root, 'docs/pupil-phone.png') });
    await context.close();
  });
});
