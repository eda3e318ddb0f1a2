// A cross-site scripting corpus rendered in Chromium: every payload in every
// place where someone else's text reaches a page (markdown, each output MIME
// type, ANSI streams, tracebacks, LaTeX, attachments, cell and notebook
// metadata, names in presence, room names). Each payload tries to set
// window.__pwned to its own id; none may, in the teacher's page or in the
// pupil's, and text outputs still show the payload as text. Goes beyond
// hostile.test.ts, which holds one payload of each kind.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { joinActivity, visit } from './helpers/classroom.js';
import { poll, putNotebook, statusOf, useStack } from './helpers/stack.js';

const stack = useStack();

/** Payloads, each setting window.__pwned to `{id}` if it ever runs. */
const payloads = (id: string): string[] => [
  `<script>window.__pwned='${id}-script'</script>`,
  `<img src=x onerror="window.__pwned='${id}-img'">`,
  `<svg onload="window.__pwned='${id}-svgload'"></svg>`,
  `<svg><script>window.__pwned='${id}-svgscript'</script></svg>`,
  `<svg><animate onbegin="window.__pwned='${id}-animate'" attributeName="x" dur="1s"/></svg>`,
  `<a href="javascript:window.__pwned='${id}-href'" id="link-${id}">link</a>`,
  `<iframe srcdoc="<script>parent.__pwned='${id}-srcdoc'</script>"></iframe>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned='${id}-mxss'"></style></mglyph></table></mtext></math>`,
  `<details open ontoggle="window.__pwned='${id}-toggle'"><summary>s</summary></details>`,
  `<form><button formaction="javascript:window.__pwned='${id}-form'">go</button></form>`,
  `<object data="javascript:window.__pwned='${id}-object'"></object><embed src="javascript:window.__pwned='${id}-embed'">`,
  `<meta http-equiv="refresh" content="0;url=javascript:window.__pwned='${id}-meta'">`,
  `<noscript><p title="</noscript><img src=x onerror=window.__pwned='${id}-noscript'>"></noscript>`,
  `<input autofocus onfocus="window.__pwned='${id}-focus'">`,
  `<video><source onerror="window.__pwned='${id}-video'"></video>`,
  `<div style="background:url(javascript:window.__pwned='${id}-css')">css</div>`,
  `<img src="x" id="__pwned" name="__pwned"><form id="__pwned"></form>`,
  `"><img src=x onerror="window.__pwned='${id}-attr'">`,
  `javascript:window.__pwned='${id}-bare'`,
  `<scr<script>ipt>window.__pwned='${id}-nested'</scr</script>ipt>`,
];

// Scripts that run inside the sandboxed output frame and try to reach the page.
const frameEscape = (id: string) =>
  `<p>frame ${id}</p><script>
    try { parent.__pwned = '${id}-parent' } catch (e) {}
    try { top.document.body.innerHTML = '<img src=x onerror="top.__pwned=1">' } catch (e) {}
    try { top.location = "javascript:top.__pwned='${id}-topnav'" } catch (e) {}
    try { window.open("javascript:opener.__pwned='${id}-open'") } catch (e) {}
    try { parent.postMessage({ __pwned: '${id}' }, '*') } catch (e) {}
  </script>`;

const stream = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
const display = (data: Record<string, unknown>) => ({ output_type: 'display_data', metadata: {}, data });

const all = payloads('p');
const code = (id: string, outputs: unknown[], metadata: Record<string, unknown> = {}) => ({
  id,
  cell_type: 'code',
  metadata,
  source: `# ${id}`,
  execution_count: 1,
  outputs,
});

const corpus = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    title: all[1],
    authors: all.map((name) => ({ name })),
    kernelspec: { name: 'python3', display_name: all[0], language: all[3] },
    language_info: { name: all[2], version: all[5] },
  },
  cells: [
    ...all.map((p, i) => ({
      id: `md-${i}`,
      cell_type: 'markdown',
      metadata: { tags: [p], name: p },
      source: `Sentinel md-${i}: visible text.\n\n${p}\n\n[click](javascript:window.__pwned='md-${i}-link') ![i](x" onerror="window.__pwned='md-${i}-img')`,
    })),
    {
      id: 'md-attachment',
      cell_type: 'markdown',
      metadata: {},
      source: 'Sentinel attachment ![a](attachment:evil.png)',
      attachments: { 'evil.png': { 'image/png': `x" onerror="window.__pwned='attachment'` } },
    },
    code(
      'html-inline',
      all.map((p) => display({ 'text/html': `<b>safe</b>${p.replace('<script>', '<b>')}` })),
    ),
    code('html-script', [
      display({ 'text/html': frameEscape('frame') }),
      ...all.map((p) => display({ 'text/html': p })),
    ]),
    code(
      'svg',
      all.map((p) =>
        display({
          'image/svg+xml': `<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned='svgroot'">${p}<circle r="4"/></svg>`,
        }),
      ),
    ),
    code(
      'markdown-out',
      all.map((p, i) => display({ 'text/markdown': `Sentinel omd-${i} ${p}` })),
    ),
    code('latex', [
      display({ 'text/latex': `$\\href{javascript:window.__pwned='latex-href'}{x}$` }),
      display({ 'text/latex': `$$\\htmlData{foo=bar}{x} \\url{javascript:window.__pwned='latex-url'}$$` }),
      ...all.map((p) => display({ 'text/latex': `$${p}$` })),
    ]),
    code('javascript', [
      display({ 'application/javascript': "window.__pwned='js'", 'text/plain': 'js-fallback' }),
      display({
        'application/vnd.jupyter.widget-view+json': { model_id: 'x' },
        'text/plain': 'widget-fallback',
      }),
    ]),
    code(
      'plain',
      all.map((p) => display({ 'text/plain': p })),
    ),
    code('json', [display({ 'application/json': { payloads: all } })]),
    code('stream', [
      stream(all.join('\n')),
      stream(`\u001b[31m${all[1]}\u001b[0m \u001b]8;;javascript:alert(1)\u0007osc\u001b]8;;\u0007`),
    ]),
    code('error', [
      {
        output_type: 'error',
        ename: all[1]!,
        evalue: all[0]!,
        traceback: [`\u001b[0;31m${all[2]}\u001b[0m`, ...all],
      },
    ]),
    code('images', [
      display({ 'image/png': `x" onerror="window.__pwned='png'` }),
      display({ 'image/jpeg': 'javascript:window.__pwned=1' }),
    ]),
    code('metadata', [], Object.fromEntries(all.map((p, i) => [`k${i}${p}`, p]))),
  ],
};

/** Every element under the notebook, through nested shadow roots. */
const activeContent = (page: Page) =>
  page.evaluate(() => {
    const found: string[] = [];
    const walk = (root: ParentNode) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.localName === 'script') found.push('script');
        if (['object', 'embed', 'form', 'meta', 'base'].includes(el.localName)) found.push(el.localName);
        for (const attr of el.attributes) {
          if (attr.name.startsWith('on')) found.push(`${el.localName}[${attr.name}]`);
          if (/^\s*javascript:/i.test(attr.value)) found.push(`${el.localName}[${attr.name}=javascript:]`);
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document.querySelector('candyce-notebook')!.shadowRoot!);
    return found;
  });

const pwned = (page: Page) => page.evaluate(() => (window as { __pwned?: unknown }).__pwned);

/** The text a cell's outputs show. */
const outputText = (page: Page, cell: string) =>
  page
    .locator(`candyce-cell[data-cell-id="${cell}"] .outputs`)
    .textContent()
    .then((t) => t ?? '');

describe('a cross-site scripting corpus', () => {
  it(`runs none of ${all.length} payloads in any of the places others' text reaches, and shows text as text`, async () => {
    await putNotebook(stack, 'xss-corpus', corpus);
    const teacher = await stack.open('xss-corpus', { name: 'Mme Prof', role: 'teacher' });
    const pupil = await stack.open('xss-corpus', { name: 'Eleve', role: 'student', lang: 'en' });
    for (const page of [teacher, pupil]) {
      await expect.poll(() => statusOf(page), poll).toBe('online');
      // Bring every cell into view, so that whatever renders lazily gets its chance.
      const count = await page.locator('candyce-cell').count();
      expect(count).toBe(corpus.cells.length);
      for (let i = 0; i < count; i++) await page.locator('candyce-cell').nth(i).scrollIntoViewIfNeeded();
      // Math rendered (KaTeX loaded) and the output frames loaded.
      await expect
        .poll(() => page.locator('candyce-cell[data-cell-id="latex"] math').count(), poll)
        .toBeGreaterThan(0);
      await expect
        .poll(
          () => page.locator('candyce-cell[data-cell-id="html-script"] iframe.output-frame').count(),
          poll,
        )
        .toBeGreaterThan(1);
      await expect
        .poll(
          () =>
            page
              .locator('candyce-cell[data-cell-id="html-script"] iframe.output-frame')
              .first()
              .contentFrame()
              .locator('p')
              .textContent(),
          poll,
        )
        .toBe('frame frame');
    }
    // Click every link and focus every field that survived, in case one still carries script.
    for (const link of await teacher.locator('candyce-notebook a').all()) {
      await link.click({ modifiers: ['ControlOrMeta'], timeout: 1000 }).catch(() => undefined);
    }
    await teacher.waitForTimeout(1000);

    for (const page of [teacher, pupil]) {
      expect(await pwned(page)).toBeUndefined();
      expect(await activeContent(page)).toEqual([]);
      // Sentinels next to the payloads are still shown.
      await expect
        .poll(() => page.locator('candyce-cell[data-cell-id="md-1"]').textContent(), poll)
        .toMatch(/Sentinel md-1/);
      expect(await outputText(page, 'markdown-out')).toMatch(/Sentinel omd-3/);
      // Text outputs show the payload as the text it is.
      const plain = await outputText(page, 'plain');
      const streamed = await outputText(page, 'stream');
      const error = await outputText(page, 'error');
      for (const p of all) {
        expect(plain).toContain(p);
        expect(streamed).toContain(p);
        expect(error).toContain(p);
      }
      expect(await outputText(page, 'javascript')).toMatch(/js-fallback[\s\S]*widget-fallback/);
      expect(await outputText(page, 'json')).toContain(JSON.stringify(all[0]).slice(1, -1));
    }
  });

  it('shows hostile names in presence as text and runs none of them', async () => {
    const names = payloads('name').slice(0, 6);
    const teacher = await stack.open('xss-names', { name: 'Mme Prof', role: 'teacher' });
    const attackers: Page[] = [];
    for (const name of names) attackers.push(await stack.open('xss-names', { name, role: 'student' }));
    // Shown as text, cut to the editor's 60 characters.
    await expect
      .poll(() => teacher.locator('.people .person .name').allInnerTexts(), poll)
      .toEqual(expect.arrayContaining(names.map((n) => n.slice(0, 60))));
    for (const page of [teacher, ...attackers]) {
      expect(await pwned(page)).toBeUndefined();
      expect(await activeContent(page)).toEqual([]);
    }
  });

  it('refuses a room name holding markup without running it', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    for (const name of [
      `<img src=x onerror="window.__pwned='room'">`,
      `"><script>window.__pwned='room2'</script>`,
    ]) {
      await page.goto(`${stack.web.url}/n/${encodeURIComponent(name)}?name=Ada&role=student`);
      await page.waitForLoadState('load');
      await page.waitForTimeout(300);
      expect(await pwned(page)).toBeUndefined();
      expect(
        await page.locator('script:not([src])').evaluateAll((s) => s.map((x) => x.textContent).join('')),
      ).not.toContain('__pwned');
    }
    await context.close();
  });

  it('shows a hostile activity title and hostile pupil names as text on the dashboard and the pupils’ pages', async () => {
    const title = `<img src=x onerror="window.__pwned='title'">Boucles`;
    const names = [
      `<script>window.__pwned='pupil1'</script>`,
      `<svg onload="window.__pwned='pupil2'">`,
      `"><img src=x onerror=window.__pwned='pupil3'>`,
    ];
    const dashboard = await visit(stack, '/');
    await dashboard.getByLabel('Titre de l’activité').fill(title);
    await dashboard.getByLabel('Individuel').check();
    await dashboard.locator('#act-file').setInputFiles({
      name: 'xss.ipynb',
      mimeType: 'application/x-ipynb+json',
      buffer: Buffer.from(JSON.stringify(corpus)),
    });
    await dashboard.getByRole('button', { name: 'Créer l’activité' }).click();
    // The creation page shows the title in its key panel, as text, then links to the dashboard.
    await dashboard.getByRole('heading', { name: `Activité « ${title} » créée : gardez son lien` }).waitFor();
    expect(await pwned(dashboard)).toBeUndefined();
    await dashboard.getByRole('link', { name: 'Ouvrir le tableau de bord' }).click();
    await dashboard.waitForURL(/\/a\/[a-z2-7]{10}$/);
    await dashboard.locator('.join-code').waitFor();
    const code = (await dashboard.locator('.join-code').getAttribute('data-code')) ?? '';
    const pupils: Page[] = [];
    for (const name of names) pupils.push(await joinActivity(stack, code, name));
    // The title is shown as text to the pupils, and the names as text on the dashboard.
    await pupils[0]!.getByRole('heading', { name: title }).waitFor();
    for (const name of names)
      await dashboard.locator('table.copies .member', { hasText: name }).first().waitFor();
    await dashboard.getByText(title).first().waitFor();
    await dashboard.waitForTimeout(500);
    for (const page of [dashboard, ...pupils]) expect(await pwned(page)).toBeUndefined();
  });
});
