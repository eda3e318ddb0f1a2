import { describe, expect, it } from 'vitest';
import { cellOf, notebookOf, poll, putNotebook, useStack } from './helpers/stack.js';

// How outputs read in class: an explanation of common Python errors under
// the traceback, in the reader's language (never written into the
// document); plots described by their own text; scripted HTML in frames that
// take their content's height. (Chromium lays out a frame out of view only
// once it scrolls in: the test scrolls to the frames it measures.)

const stack = useStack();

const png =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const code = (id: string, outputs: unknown[]) => ({
  id,
  cell_type: 'code',
  metadata: {},
  source: `# ${id}`,
  outputs,
  execution_count: 1,
});

const html = (source: string) => ({
  output_type: 'display_data',
  data: { 'text/html': source, 'text/plain': '<HTML>' },
  metadata: {},
});

const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
  cells: [
    code('name', [
      {
        output_type: 'error',
        ename: 'NameError',
        evalue: "name 'pritn' is not defined",
        traceback: ['Traceback (most recent call last):', "NameError: name 'pritn' is not defined"],
      },
    ]),
    code('custom', [
      { output_type: 'error', ename: 'MyOwnError', evalue: 'x', traceback: ['MyOwnError: x'] },
    ]),
    code('plot', [
      {
        output_type: 'display_data',
        data: { 'image/png': png, 'text/plain': '<Figure size 640x480 with 1 Axes>' },
        metadata: {},
      },
    ]),
    code('bare', [{ output_type: 'display_data', data: { 'image/png': png }, metadata: {} }]),
    code('word', [html('<script>document.body.dataset.ran = "1"</script><b>oui</b>')]),
    code('tall', [html('<script>1</script><div style="height: 900px; background: #eee">grand</div>')]),
    code('grows', [
      html(
        '<div id="d" style="height: 40px">petit</div><script>setTimeout(() => { document.getElementById("d").style.height = "600px" }, 300)</script>',
      ),
    ]),
    code('liar', [
      html(
        '<script>parent.postMessage({ candyceFrameHeight: 1e9 }, "*"); setInterval(() => parent.postMessage({ candyceFrameHeight: 1e9 }, "*"), 50)</script>x',
      ),
    ]),
  ],
};

const frameHeight = (page: import('playwright-core').Page, id: string) =>
  cellOf(page, id)
    .locator('iframe.output-frame')
    .evaluate((el) => Math.round(el.getBoundingClientRect().height));

describe('outputs in class', () => {
  it('explains common errors under the traceback in the reader’s language, without writing it into the notebook', async () => {
    await putNotebook(stack, 'outputs-fr', lesson);
    const fr = await stack.open('outputs-fr', { name: 'Léa', lang: 'fr' });
    const hint = cellOf(fr, 'name').locator('.output-error .error-hint');
    await hint.waitFor();
    expect(await hint.textContent()).toContain('Python ne connaît pas ce nom');
    expect(await cellOf(fr, 'custom').locator('.error-hint').count()).toBe(0);
    const en = await stack.open('outputs-fr', { name: 'Sam', lang: 'en' });
    const enHint = cellOf(en, 'name').locator('.output-error .error-hint');
    await enHint.waitFor();
    expect(await enHint.textContent()).toContain('Python does not know this name');
    const saved = JSON.stringify((await notebookOf(fr)).cells.find((c) => c.id === 'name')?.outputs);
    expect(saved).not.toContain('Python ne connaît');
    expect(saved).not.toContain('Python does not know');
  }, 60_000);

  it('describes a plot with its own text/plain, and sizes scripted HTML frames to their content', async () => {
    await putNotebook(stack, 'outputs-frames', lesson);
    const page = await stack.open('outputs-frames', { name: 'Léa', lang: 'fr' });
    const plot = cellOf(page, 'plot').locator('img.output-image');
    await plot.waitFor();
    expect(await plot.getAttribute('alt')).toBe(
      'Image produite par la cellule 3 : <Figure size 640x480 with 1 Axes>',
    );
    expect(await cellOf(page, 'bare').locator('img.output-image').getAttribute('alt')).toBe(
      'Image produite par la cellule 4',
    );
    // A one-word output takes a line, not a 360 px box; a tall one shows whole; a growing one follows.
    await expect.poll(() => frameHeight(page, 'word'), poll).toBeLessThan(60);
    expect(await frameHeight(page, 'word')).toBeGreaterThanOrEqual(16);
    await expect.poll(() => frameHeight(page, 'tall'), poll).toBe(902);
    await cellOf(page, 'grows').locator('iframe.output-frame').scrollIntoViewIfNeeded();
    await expect.poll(() => frameHeight(page, 'grows'), poll).toBe(602);
    // A frame that lies about its height gets the bound, and moves no other frame.
    await cellOf(page, 'liar').locator('iframe.output-frame').scrollIntoViewIfNeeded();
    await expect.poll(() => frameHeight(page, 'liar'), poll).toBe(4002);
    expect(await frameHeight(page, 'word')).toBeLessThan(60);
    // The frames still run without the page's origin.
    const ran = await cellOf(page, 'word')
      .locator('iframe.output-frame')
      .evaluate((el) => (el as HTMLIFrameElement).contentDocument === null);
    expect(ran).toBe(true);
  }, 60_000);
});
