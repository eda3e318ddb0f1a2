import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { codeCell as code } from './fixtures/notebooks.js';
import { cellOf as cell, outputText, putNotebook, statusOf, useStack } from './helpers/stack.js';

// Pair work on one notebook with Python in the browser: one kernel for the
// room, hosted by one of the browsers present. Real Chromium, one context
// per pupil, the real server as referee.

const stack = useStack();
const poll = { timeout: 90_000, interval: 200 };

const pairNotebook = (extra: ReturnType<typeof code>[] = []) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    code('set', 'a = 5'),
    code('use', 'print(a * 2)'),
    code('more', 'b = a + 1\nprint(b)'),
    code('slow', 'import time\nfor i in range(600):\n    time.sleep(0.1)\nprint("fini")'),
    code('ask', 'nom = input("Ton prénom ? ")\nprint("Salut", nom)'),
    ...extra,
  ],
});

const selectCell = (page: Page, id: string) => cell(page, id).click({ position: { x: 20, y: 10 } });
const runCell = async (page: Page, id: string) => {
  await selectCell(page, id);
  await page.keyboard.press('Control+Enter');
};
/** Clicks a toolbar action (by its key), from the "Plus" menu when the toolbar moved it there. */
const clickToolbar = async (page: Page, key: string) => {
  const button = page.locator(`candyce-notebook header button[data-key="${key}"]`);
  if (!(await button.isVisible()))
    await page.locator('candyce-notebook header button[data-key="more"]').click();
  await button.click();
};
/**
 * Relays a context's sync WebSockets: a switch holds every frame (both ways)
 * until resumed, `delay` adds latency each way, and the bytes of presence
 * frames (y-websocket message type 1) are counted.
 */
const stallableLine = async (context: BrowserContext, delay = 0) => {
  let stalled = false;
  const held: (() => void)[] = [];
  const counted = { presenceBytes: 0 };
  const count = (message: string | Buffer) => {
    if (typeof message !== 'string' && message[0] === 1) counted.presenceBytes += message.length;
  };
  await context.routeWebSocket(/\/sync\//, (ws) => {
    const server = ws.connectToServer();
    const later = (send: () => void) => (delay > 0 ? setTimeout(send, delay) : send());
    const pass = (send: () => void) => (stalled ? held.push(send) : later(send));
    ws.onMessage((message) => {
      count(message);
      pass(() => server.send(message));
    });
    server.onMessage((message) => {
      count(message);
      pass(() => ws.send(message));
    });
    ws.onClose((code, reason) => server.close({ code, reason }));
    server.onClose((code, reason) => ws.close({ code, reason }));
  });
  return {
    counted,
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      for (const send of held.splice(0)) send();
    },
  };
};
const indicator = (page: Page) => page.locator('[part="kernel-host"]');
const prompt = (page: Page, id: string) => cell(page, id).locator('.prompt').textContent();
const open = async (room: string, name: string) => {
  const page = await stack.open(room, { name, kernel: 'pyodide' });
  await page.locator('.status[data-status="online"]').waitFor();
  return page;
};

describe('one kernel for the room', () => {
  it('runs a partner’s cell on the host: a = 5 by Hugo, print(a * 2) by Inès prints 10, and a third shares it', async () => {
    await putNotebook(stack, 'pair-a', pairNotebook());
    const hugo = await open('pair-a', 'Hugo');
    const ines = await open('pair-a', 'Inès');
    await runCell(hugo, 'set');
    await expect.poll(() => prompt(ines, 'set'), poll).toBe('[1]');
    // Hugo's browser hosts: both pages say so, each in its own words.
    await expect.poll(() => indicator(hugo).getAttribute('data-where'), poll).toBe('self');
    await expect.poll(() => indicator(ines).textContent(), poll).toContain('Python chez Hugo');
    const started = Date.now();
    await runCell(ines, 'use');
    await expect.poll(() => outputText(ines, 'use'), { timeout: 30_000, interval: 20 }).toBe('10');
    const firstOutputMs = Date.now() - started;
    expect(await prompt(ines, 'use')).toBe('[2]');
    // A third person joins and runs in turn: the same variables.
    const leo = await open('pair-a', 'Léo');
    await expect.poll(() => indicator(leo).textContent(), poll).toContain('Python chez Hugo');
    await runCell(leo, 'more');
    await expect.poll(() => outputText(ines, 'more'), poll).toBe('6');
    expect(await prompt(hugo, 'more')).toBe('[3]');
    console.log(
      `[shared kernel] Run to first output, host in the other browser (loopback): ${firstOutputMs} ms`,
    );
  }, 180_000);

  it('runs two cells pressed at once by two people, both, in one order, with the same counts everywhere', async () => {
    await putNotebook(stack, 'pair-b', pairNotebook());
    const hugo = await open('pair-b', 'Hugo');
    const ines = await open('pair-b', 'Inès');
    // Warm the kernel up with Hugo as host.
    await runCell(hugo, 'set');
    await expect.poll(() => prompt(ines, 'set'), poll).toBe('[1]');
    await Promise.all([runCell(hugo, 'use'), runCell(ines, 'more')]);
    await expect.poll(() => outputText(hugo, 'more'), poll).toBe('6');
    await expect.poll(() => outputText(ines, 'use'), poll).toBe('10');
    const counts = async (page: Page) => [await prompt(page, 'use'), await prompt(page, 'more')];
    await expect.poll(() => counts(ines), poll).toEqual(await counts(hugo));
    expect((await counts(hugo)).sort()).toEqual(['[2]', '[3]']);
  }, 180_000);

  it('sends input() to the person who ran the cell, though the host’s kernel asks', async () => {
    await putNotebook(stack, 'pair-c', pairNotebook());
    const hugo = await open('pair-c', 'Hugo');
    const ines = await open('pair-c', 'Inès');
    await runCell(hugo, 'set');
    await expect.poll(() => indicator(ines).textContent(), poll).toContain('Python chez Hugo');
    await runCell(ines, 'ask');
    const field = ines.getByRole('textbox', { name: 'Ton prénom ?' });
    await field.waitFor({ timeout: poll.timeout });
    // The host's page asks nothing: the question is Inès's.
    expect(await hugo.getByRole('textbox', { name: 'Ton prénom ?' }).count()).toBe(0);
    await field.fill('Inès');
    await field.press('Enter');
    await expect.poll(() => outputText(hugo, 'ask'), poll).toContain('Salut Inès');
  }, 180_000);

  it('interrupts and restarts the shared kernel for everyone, saying who did it', async () => {
    await putNotebook(stack, 'pair-d', pairNotebook());
    const hugo = await open('pair-d', 'Hugo');
    const ines = await open('pair-d', 'Inès');
    await runCell(hugo, 'set');
    await expect.poll(() => prompt(ines, 'set'), poll).toBe('[1]');
    await runCell(hugo, 'slow');
    await expect.poll(() => cell(ines, 'slow').locator('.spinner').count(), poll).toBe(1);
    await ines.getByRole('button', { name: 'Interrompre' }).click();
    await expect.poll(() => outputText(hugo, 'slow'), poll).toContain('KeyboardInterrupt');
    // Both pages show who interrupted, beside the kernel's state.
    await expect.poll(() => indicator(hugo).textContent(), poll).toContain('Inès a interrompu Python');
    // Interrupting keeps the variables; restarting loses them, for both, with the offer to re-run.
    await runCell(ines, 'use');
    await expect.poll(() => outputText(hugo, 'use'), poll).toBe('10');
    await clickToolbar(ines, 'restart');
    const lost = hugo.locator('[part="kernel-lost"]');
    await expect.poll(() => lost.textContent(), poll).toContain('Inès a redémarré Python');
    await runCell(hugo, 'more');
    await expect.poll(() => outputText(ines, 'more'), poll).toContain('NameError');
    // The offer stays after a failed run (that is when a pupil needs it), and brings the variables back.
    await lost.getByRole('button', { name: 'Relancer les cellules déjà exécutées' }).click();
    await expect.poll(() => lost.count(), poll).toBe(0);
    await runCell(ines, 'more');
    await expect.poll(() => outputText(hugo, 'more'), poll).toBe('6');
  }, 180_000);
});

describe('hand-over', () => {
  it('ends the run of a host that closed its tab, names a new host, and “re-run” brings the variables back', async () => {
    await putNotebook(stack, 'pair-e', pairNotebook());
    const hugo = await open('pair-e', 'Hugo');
    const ines = await open('pair-e', 'Inès');
    await runCell(hugo, 'set');
    await expect.poll(() => prompt(ines, 'set'), poll).toBe('[1]');
    await runCell(ines, 'use');
    await expect.poll(() => outputText(ines, 'use'), poll).toBe('10');
    await runCell(ines, 'slow');
    await expect.poll(() => cell(ines, 'slow').locator('.spinner').count(), poll).toBe(1);
    const closedAt = Date.now();
    await hugo.close();
    // The run ends with a clear message; Inès's browser is the host now; the variables are gone.
    await expect
      .poll(() => outputText(ines, 'slow'), { timeout: 30_000, interval: 20 })
      .toContain('le navigateur qui faisait tourner Python est parti');
    const handoverMs = Date.now() - closedAt;
    await expect.poll(() => cell(ines, 'slow').locator('.spinner').count(), poll).toBe(0);
    await expect.poll(() => indicator(ines).getAttribute('data-where'), poll).toBe('self');
    const lost = ines.locator('[part="kernel-lost"]');
    await expect.poll(() => lost.textContent(), poll).toContain('les variables sont à recalculer');
    await lost.getByRole('button', { name: 'Relancer les cellules déjà exécutées' }).click();
    await expect.poll(() => lost.count(), poll).toBe(0);
    // Re-run followed the order of the last runs (set, then use): the variables are back.
    await runCell(ines, 'more');
    await expect.poll(() => outputText(ines, 'more'), poll).toBe('6');
    expect(await outputText(ines, 'use')).toBe('10');
    console.log(`[shared kernel] Hand-over after the host closed its tab: ${handoverMs} ms`);
  }, 180_000);

  it('survives the host’s network cut of 20 s: a new host is named, the old one comes back as a guest', async () => {
    await putNotebook(stack, 'pair-f', pairNotebook());
    // Hugo's WebSocket goes through a relay that can hold every frame, as a stalled line does
    // (Chromium's offline switch would reset the other pages' sockets too).
    const context = await stack.browser.newContext();
    const line = await stallableLine(context);
    const hugo = await stack.open('pair-f', { name: 'Hugo', kernel: 'pyodide' }, context);
    await hugo.locator('.status[data-status="online"]').waitFor();
    const ines = await open('pair-f', 'Inès');
    await runCell(hugo, 'set');
    await expect.poll(() => prompt(ines, 'set'), poll).toBe('[1]');
    expect(await indicator(hugo).getAttribute('data-where')).toBe('self');
    // Inès (so the server) has heard that Hugo's kernel ran something: idle, and shown only once started.
    await expect.poll(() => indicator(ines).getAttribute('data-state'), poll).toBe('idle');
    line.stall();
    const cutAt = Date.now();
    // Inès is named once Hugo's lease has run out unheard (8 s).
    await expect.poll(() => indicator(ines).getAttribute('data-where'), poll).toBe('self');
    const namedMs = Date.now() - cutAt;
    // Hugo stopped hosting before that: he no longer believes he runs the room's kernel.
    expect(await indicator(hugo).getAttribute('data-state')).toBe('waiting');
    await ines.waitForTimeout(Math.max(0, 20_000 - (Date.now() - cutAt)));
    line.resume();
    // The line is back: Inès hosts, Hugo is a guest and is told the variables must be computed again.
    await expect.poll(() => indicator(hugo).textContent(), poll).toContain('Python chez Inès');
    await expect
      .poll(() => hugo.locator('[part="kernel-lost"]').textContent(), poll)
      .toContain('les variables sont à recalculer');
    await runCell(hugo, 'set');
    await runCell(hugo, 'more');
    await expect.poll(() => outputText(ines, 'more'), poll).toBe('6');
    await context.close();
    console.log(`[shared kernel] New host named after the host's line stalled: ${namedMs} ms`);
  }, 180_000);

  it('runs a pupil’s cells in their own browser while offline, and keeps the variables when they are back alone', async () => {
    await putNotebook(stack, 'solo-g', pairNotebook());
    const leo = await open('solo-g', 'Léo');
    await runCell(leo, 'set');
    await expect.poll(() => prompt(leo, 'set'), poll).toBe('[1]');
    await leo.context().setOffline(true);
    await expect.poll(() => statusOf(leo), poll).toBe('offline');
    expect(await indicator(leo).getAttribute('data-where')).toBe('offline');
    await runCell(leo, 'more');
    await expect.poll(() => outputText(leo, 'more'), poll).toBe('6');
    await leo.context().setOffline(false);
    await expect.poll(() => statusOf(leo), poll).toBe('online');
    // Back, alone: his browser is named host again and his kernel kept what he ran.
    await expect.poll(() => indicator(leo).getAttribute('data-where'), poll).toBe('self');
    await runCell(leo, 'use');
    await expect.poll(() => outputText(leo, 'use'), poll).toBe('10');
    expect(await leo.locator('[part="kernel-lost"]').count()).toBe(0);
  }, 180_000);
});

describe('figures', () => {
  it('measures Run to first output with 100 ms of added latency, and the presence bytes one run adds', async () => {
    await putNotebook(stack, 'pair-h', pairNotebook());
    const hugo = await open('pair-h', 'Hugo');
    const context = await stack.browser.newContext();
    // 50 ms each way: 100 ms added to every round trip of Inès's line.
    const line = await stallableLine(context, 50);
    const ines = await stack.open('pair-h', { name: 'Inès', kernel: 'pyodide' }, context);
    await ines.locator('.status[data-status="online"]').waitFor();
    await runCell(hugo, 'set');
    await expect.poll(() => prompt(ines, 'set'), poll).toBe('[1]');
    // A quiet window first: what presence costs with no run (the host's beats).
    const quietFrom = line.counted.presenceBytes;
    await ines.waitForTimeout(4000);
    const quiet = line.counted.presenceBytes - quietFrom;
    const from = line.counted.presenceBytes;
    const started = Date.now();
    await runCell(ines, 'use');
    await expect.poll(() => outputText(ines, 'use'), { timeout: 30_000, interval: 20 }).toBe('10');
    const firstOutputMs = Date.now() - started;
    await ines.waitForTimeout(Math.max(0, 4000 - (Date.now() - started)));
    const run = line.counted.presenceBytes - from;
    console.log(
      `[shared kernel] Run to first output, host in the other browser, +100 ms latency: ${firstOutputMs} ms`,
    );
    console.log(
      `[shared kernel] Presence bytes on Inès's line over 4 s: ${quiet} quiet, ${run} with one run: ${run - quiet} extra per run`,
    );
    // Latency is paid twice at least (request out, outputs back), and the run costs some presence.
    expect(firstOutputMs).toBeGreaterThan(200);
    expect(run).toBeGreaterThan(quiet);
    await context.close();
  }, 180_000);
});
