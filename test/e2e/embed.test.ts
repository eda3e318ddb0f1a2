import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintToken } from '@candyce/embed';
import * as esbuild from 'esbuild';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { watchErrors } from './helpers/browser.js';
import { useHost } from './helpers/host.js';
import { callNotebookApi, poll, useStack } from './helpers/stack.js';

// A host platform embeds Candyce as Capytale does: the example host of
// @candyce/embed (its own server, on another port: another origin) mints
// tokens with the shared secret, puts the player (/embed/player.html of the
// Candyce server) in an iframe, and drives it through the capytale-player
// contract over postMessage. Everything is real: Chromium, both servers,
// LevelDB.

const secret = randomBytes(24).toString('base64url');
const stack = useStack({ secret });
// The host also serves a MetaPlayer written from the guide with postmessage-rpc alone.
const host = useHost(stack, secret, async (dir) => {
  await esbuild.build({
    entryPoints: [
      fileURLToPath(new URL('../../apps/embed/test/fixtures/raw-metaplayer.ts', import.meta.url)),
    ],
    outfile: join(dir, 'assets/raw-metaplayer.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    logLevel: 'warning',
  });
  await writeFile(
    join(dir, 'assets/raw.html'),
    '<!doctype html><html lang="fr"><title>MetaPlayer</title><script type="module" src="/assets/raw-metaplayer.js"></script><body></body></html>',
  );
});

const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { id: 'consigne', cell_type: 'markdown', metadata: {}, source: '# Suites\nCalculez u(10).' },
    { id: 'code', cell_type: 'code', metadata: {}, source: 'u = 1', outputs: [], execution_count: null },
  ],
};

type Notebook = { cells: { id: string; source: string | string[] }[] };
const sourceOf = (nb: Notebook, id: string): string => {
  const source = nb.cells.find((c) => c.id === id)?.source ?? '';
  return Array.isArray(source) ? source.join('') : source;
};

/**
 * Opens the host page with the form preset by `query`, and returns it. The
 * page's errors go to the report, except the HTTP statuses the test expects
 * (`expected`): a new room answers 404 to the player's first look, by design.
 */
const openHost = async (query: Record<string, string>, expected: number[] = [404]): Promise<Page> => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const seen: string[] = [];
  watchErrors(page, seen);
  const unexpected = (line: string) => !expected.some((status) => line.includes(`status of ${status}`));
  page.on('console', () => {
    stack.errors.push(...seen.splice(0).filter(unexpected));
  });
  page.on('pageerror', () => {
    stack.errors.push(...seen.splice(0));
  });
  await page.goto(`${host.url()}/?${new URLSearchParams(query)}`);
  return page;
};

/** Clicks "open in the player" and waits until the host has loaded the content through the contract. */
const openPlayer = async (page: Page): Promise<FrameLocator> => {
  await page.locator('#open').click();
  await page.locator('#player-status[data-state="loaded"]').waitFor({ timeout: poll.timeout });
  return page.frameLocator('iframe.player');
};

/** Saves through the contract (getContent, the host's backend, contentSaved). */
const save = async (page: Page): Promise<void> => {
  await page.locator('#save').click();
  await page.locator('#player-status[data-state="saved"]').waitFor({ timeout: poll.timeout });
};

/** Types `text` at the end of the code cell of the player. */
const typeInCode = async (page: Page, frame: FrameLocator, text: string): Promise<void> => {
  const editor = frame.locator('candyce-cell[data-cell-id="code"] .cm-content');
  await editor.click();
  await page.keyboard.press('End');
  await page.keyboard.type(text);
};

/** The notebook of the player, read from its live document inside the iframe. */
const playerNotebook = (frame: FrameLocator): Promise<Notebook> =>
  frame
    .locator('candyce-notebook')
    .evaluate((nb) => (nb as unknown as { exportNotebook(): Notebook }).exportNotebook());

const teacherToken = (room: string) =>
  mintToken(secret, { sub: 'test-teacher', name: 'Test', role: 'teacher', rooms: [room] });

/** Stores `content` as the activity `activity` on the host platform, as the teacher does. */
const putContent = (activity: string, content: unknown = lesson): Promise<Response> =>
  fetch(`${host.url()}/api/content/${activity}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(content),
  });

/** The notebook of the Candyce room `room`, read through the server's HTTP API with a teacher's token. */
const roomNotebook = async (room: string): Promise<Notebook> =>
  (await callNotebookApi(stack, 'GET', room, undefined, await teacherToken(room))) as Notebook;

describe('embedding through the capytale-player contract', () => {
  it('loads the host’s content, and gives back what the pupil typed', async () => {
    // The teacher's activity, as the host platform keeps it.
    const put = await putContent('suites');
    expect(put.status).toBe(200);
    const page = await openHost({ activity: 'suites', mode: 'assignment', pupil: 'alice', name: 'Alice' });
    const frame = await openPlayer(page);
    expect(await page.locator('#player-contracts').textContent()).toMatch(
      /simple-content\(json\).*mode.*theme.*workflow/,
    );
    // The player filled the pupil's new room with the host's content, on the Candyce server.
    const room = 'emb.suites.alice';
    const stored = await roomNotebook(room);
    expect(sourceOf(stored, 'code')).toBe('u = 1');
    await frame.locator('candyce-notebook .status[data-status="online"]').waitFor();

    await typeInCode(page, frame, '\nu = 2 * u + 3');
    // The player tells the host there is something to save.
    await page.locator('#player-status[data-state="dirty"]').waitFor({ timeout: poll.timeout });
    await save(page);
    const saved = host.saved('suites/alice') as Notebook;
    expect(sourceOf(saved, 'code')).toBe('u = 1\nu = 2 * u + 3');
    expect(sourceOf(saved, 'consigne')).toBe('# Suites\nCalculez u(10).');
    // The teacher's template on the host is untouched.
    expect(sourceOf(host.saved('suites') as Notebook, 'code')).toBe('u = 1');
    // The same text reached the Candyce server's room.
    await expect
      .poll(async () => {
        const nb = await roomNotebook(room);
        return sourceOf(nb, 'code');
      }, poll)
      .toBe('u = 1\nu = 2 * u + 3');
    await page.context().close();
  });

  it('makes view mode read-only: typing changes nothing', async () => {
    // The teacher creates the activity from nothing (no content: a blank notebook) and writes in it.
    const teacher = await openHost({ activity: 'vue', mode: 'create', name: 'Mme Curie' });
    const tframe = await openPlayer(teacher);
    await tframe.locator('candyce-notebook .status[data-status="online"]').waitFor();
    expect((await playerNotebook(tframe)).cells).toHaveLength(0);
    await tframe.locator('candyce-notebook .empty button.primary').click();
    await tframe.locator('candyce-cell .cm-content').waitFor();
    await teacher.keyboard.type('a = 42');
    await save(teacher);
    expect(sourceOf(host.saved('vue') as Notebook, (host.saved('vue') as Notebook).cells[0]!.id)).toBe(
      'a = 42',
    );

    // A visitor opens it in view mode: a viewer token, and the player is read-only.
    const visitor = await openHost({ activity: 'vue', mode: 'view', name: 'Visiteur' });
    const vframe = await openPlayer(visitor);
    await vframe.locator('candyce-notebook[readonly]').waitFor();
    await expect
      .poll(() => vframe.locator('#player-status').textContent(), poll)
      .toContain('Consultation seule');
    await vframe.locator('candyce-cell .cm-content').click();
    await visitor.keyboard.type('b = 1');
    await visitor.keyboard.press('Escape');
    await visitor.keyboard.press('b'); // "insert below" in command mode: refused too
    const seen = await playerNotebook(vframe);
    expect(seen.cells).toHaveLength(1);
    expect(sourceOf(seen, seen.cells[0]!.id)).toBe('a = 42');
    // Nor did anything reach the room.
    const nb = await roomNotebook('emb.vue');
    expect(nb.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source))).toEqual(['a = 42']);
    await teacher.context().close();
    await visitor.context().close();
  });

  it('makes the pupil’s copy read-only once the host says it is finished', async () => {
    await putContent('rendu');
    const page = await openHost({ activity: 'rendu', mode: 'assignment', pupil: 'bob', name: 'Bob' });
    const frame = await openPlayer(page);
    await frame.locator('candyce-notebook .status[data-status="online"]').waitFor();
    await typeInCode(page, frame, ' # avant');
    await expect.poll(async () => sourceOf(await playerNotebook(frame), 'code'), poll).toBe('u = 1 # avant');

    // The host changes the workflow live (setWorkflow), without reloading the player.
    await page.locator('#workflow').selectOption('finished');
    await frame.locator('candyce-notebook[readonly]').waitFor();
    await expect.poll(() => frame.locator('#player-status').textContent(), poll).toContain('Copie rendue');
    await typeInCode(page, frame, ' # après');
    expect(sourceOf(await playerNotebook(frame), 'code')).toBe('u = 1 # avant');

    // Back to "current": the pupil can write again.
    await page.locator('#workflow').selectOption('current');
    await expect.poll(() => frame.locator('candyce-notebook[readonly]').count(), poll).toBe(0);
    await typeInCode(page, frame, ' # encore');
    await expect
      .poll(async () => sourceOf(await playerNotebook(frame), 'code'), poll)
      .toBe('u = 1 # avant # encore');
    await page.context().close();
  });

  it('applies the host’s theme', async () => {
    const page = await openHost({ activity: 'theme', mode: 'create', name: 'Prof' });
    const frame = await openPlayer(page);
    const themeOf = () => frame.locator('html').getAttribute('data-theme');
    expect(await themeOf()).toBe('light');
    await page.locator('#theme').selectOption('dark');
    await expect.poll(themeOf, poll).toBe('dark');
    // The page around the notebook turns dark; the notebook keeps its own readable palette.
    await expect
      .poll(() => frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), poll)
      .toBe('rgb(22, 24, 29)');
    await page.locator('#theme').selectOption('light');
    await expect
      .poll(() => frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), poll)
      .toBe('rgb(255, 255, 255)');
    await page.context().close();
  });

  it('embeds the <candyce-notebook> element directly with a host-minted token', async () => {
    await putContent('direct');
    // The player creates the room first (create mode), then the element joins it from the host's page.
    const page = await openHost({ activity: 'direct', mode: 'create', name: 'Mme Curie' });
    const frame = await openPlayer(page);
    await page.locator('#element-open').click();
    const element = page.locator('#element-box candyce-notebook');
    await element.locator('.status[data-status="online"]').waitFor({ timeout: poll.timeout });
    await expect
      .poll(() => element.locator('candyce-cell[data-cell-id="code"] .cm-content').textContent(), poll)
      .toBe('u = 1');
    // An edit in the element reaches the player in the iframe, live.
    await element.locator('candyce-cell[data-cell-id="code"] .cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' + 1');
    await expect.poll(async () => sourceOf(await playerNotebook(frame), 'code'), poll).toBe('u = 1 + 1');
    await page.context().close();
  });

  it('says where it belongs when opened outside a host, in the language asked', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.http()}/embed/player.html#room=x&lang=fr`);
    await expect.poll(() => page.locator('#player-error').textContent(), poll).toContain('plateforme hôte');
    await page.goto(`${stack.http()}/embed/player.html#room=x&lang=en`);
    await page.reload();
    await expect.poll(() => page.locator('#player-error').textContent(), poll).toContain('host platform');
    await context.close();
  });
});

describe('the contract when things go wrong or start over', () => {
  it('refuses content that is not a notebook, tells the host why, and writes nothing', async () => {
    await putContent('casse', { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: 'pas une liste' });
    const page = await openHost({ activity: 'casse', mode: 'create', name: 'Prof' }, [404, 400]);
    await page.locator('#open').click();
    // loadContent rejects: the host gets the player's sentence, and the pupil sees it too.
    await page.locator('#player-status[data-state="failed"]').waitFor({ timeout: poll.timeout });
    expect(await page.locator('#player-status').textContent()).toContain('pas un carnet Jupyter valide');
    const frame = page.frameLocator('iframe.player');
    await expect.poll(() => frame.locator('#player-error').textContent(), poll).toContain('cells');
    expect(await frame.locator('candyce-notebook').count()).toBe(0);
    // Nothing reached the room (the server's refused PUT may leave it behind, empty).
    const room = await roomNotebook('emb.casse').catch(() => ({ cells: [] }));
    expect(room.cells).toEqual([]);
    await page.context().close();
  });

  it('shows a visitor the host’s content in the page only when the room does not exist yet', async () => {
    await putContent('apercu');
    // A viewer token cannot create the room: the player shows the content without sharing it.
    const page = await openHost({ activity: 'apercu', mode: 'view', name: 'Visiteur' }, [404, 403]);
    const frame = await openPlayer(page);
    await expect.poll(() => frame.locator('#player-status').textContent(), poll).toContain('Aperçu');
    expect(sourceOf(await playerNotebook(frame), 'code')).toBe('u = 1');
    await frame.locator('candyce-notebook[readonly]').waitFor();
    await expect(roomNotebook('emb.apercu')).rejects.toThrow('404');
    await page.context().close();
  });

  it('runs the handshake again when the player reloads, and keeps the room’s live content', async () => {
    const page = await openHost({ activity: 'recharge', mode: 'create', name: 'Prof' });
    const frame = await openPlayer(page);
    await tframeAddCell(page, frame, 'avant = 1');
    await page.locator('#player-status[data-state="dirty"]').waitFor({ timeout: poll.timeout });
    // The player reloads by itself (a pupil's F5 in the frame); the host did not save.
    await frame.locator('body').evaluate(() => location.reload());
    await page.locator('#player-status[data-state="loaded"]').waitFor({ timeout: poll.timeout });
    // The room kept what was typed; the host's null content did not replace it.
    await expect.poll(async () => (await playerNotebook(frame)).cells.length, poll).toBe(1);
    await save(page);
    const saved = host.saved('recharge') as Notebook;
    expect(sourceOf(saved, saved.cells[0]!.id)).toBe('avant = 1');
    await page.context().close();
  });
});

describe('a MetaPlayer written from the guide', () => {
  it('drives the player with postmessage-rpc alone: declare, done, mode, content in and out', async () => {
    await putContent('brut');
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const seen: string[] = [];
    watchErrors(page, seen);
    await page.goto(`${host.url()}/assets/raw.html?activity=brut&pupil=zoe`);
    await page.locator('body[data-state="loaded"]').waitFor({ timeout: poll.timeout });
    expect(await page.locator('body').getAttribute('data-declared')).toBe(
      'simple-content(json):1 mode:1 theme:1 workflow:1',
    );
    const frame = page.frameLocator('iframe');
    await frame.locator('candyce-notebook .status[data-status="online"]').waitFor();
    await typeInCode(page, frame, ' + 41');
    await page.locator('body[data-state="dirty"]').waitFor({ timeout: poll.timeout });
    const content = (await page.evaluate(() =>
      (window as unknown as { getContent(): Promise<unknown> }).getContent(),
    )) as Notebook;
    expect(sourceOf(content, 'code')).toBe('u = 1 + 41');
    // Content loaded again replaces the live notebook (for everyone in the room).
    const next = { ...lesson, cells: [{ ...lesson.cells[1]!, source: 'v = 0' }] };
    await page.evaluate(
      (nb) => (window as unknown as { loadContent(c: unknown): Promise<void> }).loadContent(nb),
      next,
    );
    await expect.poll(async () => sourceOf(await playerNotebook(frame), 'code'), poll).toBe('v = 0');
    expect((await playerNotebook(frame)).cells).toHaveLength(1);
    // And content that is not a notebook is refused with a sentence, leaving the notebook as it was.
    const refusal = await page.evaluate(() =>
      (window as unknown as { loadContent(c: unknown): Promise<void> }).loadContent({ cells: 3 }).then(
        () => 'accepted',
        (err: Error) => err.message,
      ),
    );
    expect(refusal).toContain('pas un carnet Jupyter valide');
    expect(sourceOf(await playerNotebook(frame), 'code')).toBe('v = 0');
    // Nothing went wrong on the way (a 404 is the player's first look at the new room).
    expect(seen.filter((line) => !line.includes('status of 404'))).toEqual([]);
    await context.close();
  });
});

describe('a refused token', () => {
  it('tells the host and the pupil that access is refused, in French', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${host.url()}/assets/raw.html?activity=refus&pupil=eve&token=bad`);
    await page.locator('body[data-state="failed"]').waitFor({ timeout: poll.timeout });
    expect(await page.locator('body').getAttribute('data-error')).toContain(
      'le jeton est absent, invalide ou expiré',
    );
    const frame = page.frameLocator('iframe');
    await expect.poll(() => frame.locator('#player-error').textContent(), poll).toContain('Accès refusé');
    expect(await frame.locator('candyce-notebook').count()).toBe(0);
    await context.close();
  });
});

describe('accessibility of the embedding', () => {
  const require = createRequire(import.meta.url);

  /** The serious and critical axe-core violations of `frame`'s document. */
  const violationsOf = async (frame: Frame): Promise<string[]> => {
    await frame.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    return frame.evaluate(async () => {
      type Result = { violations: { id: string; impact: string; nodes: { target: unknown }[] }[] };
      const axe = (window as unknown as { axe: { run(ctx: unknown, options: unknown): Promise<Result> } })
        .axe;
      // The iframe is checked on its own, from inside.
      const result = await axe.run(document, { iframes: false });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
    });
  };

  it('has no serious or critical axe-core violation in the host page nor in the player, light and dark', async () => {
    await putContent('a11y');
    // The host page's CSP forbids injected scripts: let axe in for the check.
    const context = await stack.browser.browser.newContext({
      bypassCSP: true,
      viewport: { width: 1200, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${host.url()}/?activity=a11y&mode=assignment&pupil=lea&name=L%C3%A9a`);
    const frame = await openPlayer(page);
    await frame.locator('candyce-notebook .status[data-status="online"]').waitFor();
    const player = page.frames().find((f) => f.url().includes('/embed/player.html'))!;
    for (const theme of ['light', 'dark']) {
      await page.locator('#theme').selectOption(theme);
      await expect.poll(() => frame.locator('html').getAttribute('data-theme'), poll).toBe(theme);
      expect(await violationsOf(page.mainFrame())).toEqual([]);
      expect(await violationsOf(player)).toEqual([]);
    }
    await context.close();
  });
});

/** Adds a code cell to the player's empty notebook and types `text` in it. */
const tframeAddCell = async (page: Page, frame: FrameLocator, text: string): Promise<void> => {
  await frame.locator('candyce-notebook .status[data-status="online"]').waitFor();
  await frame.locator('candyce-notebook .empty button.primary').click();
  await frame.locator('candyce-cell .cm-content').waitFor();
  await page.keyboard.type(text);
};
