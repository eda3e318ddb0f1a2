import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeCell as code } from './fixtures/notebooks.js';
import { cellOf as cell, outputText, putNotebook, useStack } from './helpers/stack.js';

// The environments of the browser kernels, in Chromium on the real stack: a
// notebook whose kernelspec is `sql` runs on SQLite (sql.js, served by our
// server at /sqljs/), and Python's turtle draws in the cell. Alice runs, Bob
// (no kernel) sees the same outputs through the shared document.

const stack = useStack();
let alice: Page;
let bob: Page;

const sqlLesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'sql', display_name: 'SQL', language: 'sql' } },
  cells: [
    code(
      'create',
      "CREATE TABLE villes (nom TEXT, habitants INTEGER);\nINSERT INTO villes VALUES ('Lyon', 522250), ('<i>Nantes</i>', 320732);",
    ),
    code('select', 'SELECT nom, habitants FROM villes ORDER BY habitants DESC;'),
    code('wrong', 'SELEC * FROM villes;'),
  ],
};

const turtleLesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    code(
      'draw',
      'from turtle import *\nspeed(0)\ncolor("red", "yellow")\nbegin_fill()\nfor i in range(5):\n    forward(100)\n    right(144)\nend_fill()\ndone()',
    ),
    code('numpy', 'import numpy as np'),
  ],
};

const poll = { timeout: 90_000, interval: 200 };
const selectCell = (page: Page, id: string) => cell(page, id).click({ position: { x: 20, y: 10 } });

describe('SQL in the browser', () => {
  beforeAll(async () => {
    await putNotebook(stack, 'sql-room', sqlLesson);
    alice = await stack.open('sql-room', { name: 'Alice', role: 'teacher', kernel: 'pyodide' });
    bob = await stack.open('sql-room', { name: 'Bob', kernel: 'none' });
    for (const page of [alice, bob]) await page.locator('.status[data-status="online"]').waitFor();
  });

  it('keeps the database across cells, shows the result as a table to everyone, and errors as errors', async () => {
    await selectCell(alice, 'create');
    await alice.keyboard.press('Shift+Enter');
    await expect.poll(() => outputText(bob, 'create'), poll).toBe('2 lignes modifiées.');
    await selectCell(alice, 'select');
    await alice.keyboard.press('Shift+Enter');
    await expect.poll(() => outputText(bob, 'select'), poll).toMatch(/Lyon/);
    const table = await cell(bob, 'select').locator('.outputs').innerHTML();
    // The HTML table came through the sanitiser; the value <i>Nantes</i> stayed text.
    expect(table).toMatch(/<table/);
    expect(await outputText(bob, 'select')).toContain('<i>Nantes</i>');
    await selectCell(alice, 'wrong');
    await alice.keyboard.press('Shift+Enter');
    await expect.poll(() => outputText(bob, 'wrong'), poll).toMatch(/SQLError.*syntax error/);
  }, 120_000);
});

describe('turtle in the browser', () => {
  beforeAll(async () => {
    await putNotebook(stack, 'turtle-room', turtleLesson);
    alice = await stack.open('turtle-room', { name: 'Alice', role: 'teacher', kernel: 'pyodide' });
    bob = await stack.open('turtle-room', { name: 'Bob', kernel: 'none' });
    for (const page of [alice, bob]) await page.locator('.status[data-status="online"]').waitFor();
  });

  it('draws in the cell, and the other person sees the drawing', async () => {
    await selectCell(alice, 'draw');
    await alice.keyboard.press('Shift+Enter');
    const image = cell(bob, 'draw').locator('.outputs img');
    await expect.poll(() => image.count(), poll).toBe(1);
    const src = decodeURIComponent((await image.getAttribute('src')) ?? '');
    expect(src).toMatch(/^data:image\/svg\+xml/);
    expect(src).toMatch(/<polygon points="0,0 100,0 19.1,58.78[^"]*" fill="yellow"/);
    expect(src).toMatch(
      /<polyline points="0,0 100,0 19.1,58.78 50,-36.33 80.9,58.78 0,0" fill="none" stroke="red"/,
    );
    // The image is drawn by the browser: it has the drawing's size.
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth), poll).toBe(480);
  }, 120_000);

  it('says in French what to do about numpy, which the core distribution served here lacks', async () => {
    await selectCell(alice, 'numpy');
    await alice.keyboard.press('Shift+Enter');
    await expect.poll(() => outputText(bob, 'numpy'), poll).toMatch(/ModuleNotFoundError/);
    const text = await outputText(bob, 'numpy');
    expect(text).toContain("Le module numpy n'est pas disponible dans le Python de ce navigateur");
    expect(text).toContain('npm run pyodide:install');
    // No request for a wheel that is not served: the lock file lists only what is there.
    expect(text).not.toMatch(/Failed to load|404/);
  }, 120_000);
});
