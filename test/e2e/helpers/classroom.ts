import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { watchErrors } from './browser.js';
import type { Stack } from './stack.js';

/**
 * Opens `path` of the web app (`/`, `/j/<CODE>`, `/a/<id>#token=…`) in a new
 * browser context of `stack` with a French locale (or in `context`),
 * watching the page's errors. The stack's browser closes the contexts.
 */
export const visit = async (stack: Stack, path: string, context?: BrowserContext): Promise<Page> => {
  // French dates and times in the date pickers, as in a French classroom.
  const ctx =
    context ??
    (await stack.browser.browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'fr-FR' }));
  const page = await ctx.newPage();
  watchErrors(page, stack.errors);
  await page.goto(`${stack.web.url}${path}`);
  return page;
};

/**
 * A pupil joins the activity of `code` from the join page with `name`, and
 * lands on their copy's notebook page; resolves with that page.
 */
export const joinActivity = async (
  stack: Stack,
  code: string,
  name: string,
  pairCode?: string,
): Promise<Page> => {
  const page = await visit(stack, `/j/${code}`);
  await page.locator('#join-name').fill(name);
  if (pairCode) await page.locator('#join-pair').fill(pairCode);
  await page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
  await page.waitForURL(/\/n\/act-/);
  await page.locator('candyce-notebook header').waitFor();
  return page;
};

const require = createRequire(import.meta.url);

/** axe-core's source, evaluated in the page: the pages' content security policy refuses inline script tags. */
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core on `page` and returns its serious and critical violations, one line each. */
export const axeViolations = async (page: Page): Promise<string[]> => {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; nodes: { target: unknown }[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<Result> } }).axe;
    const result = await axe.run(document);
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
};
