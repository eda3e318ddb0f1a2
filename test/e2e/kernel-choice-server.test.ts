import { describe, expect, it } from 'vitest';
import { useJupyterStack } from './helpers/jupyter-stack.js';
import { cellOf as cell, outputText, putNotebook } from './helpers/stack.js';

// The kernel selector with a real Jupyter server (Debian's jupyter-server and
// ipykernel): the page lists its kernelspecs as « (serveur) », and choosing
// Python on the server on a page whose default is the browser runs the next
// cell there (sys.platform says linux, not emscripten), then back.

const stack = useJupyterStack();

const poll = { timeout: 90_000, interval: 200 };

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    {
      id: 'where',
      cell_type: 'code',
      metadata: {},
      source: 'import sys\nprint(sys.platform)',
      outputs: [],
      execution_count: null,
    },
  ],
};

describe('choosing a server kernel', () => {
  it('lists the Jupyter server’s kernels and runs the next cell where the chosen kernel runs', async () => {
    await putNotebook(stack, 'where-room', notebook);
    const alice = await stack.open('where-room', { name: 'Alice', role: 'teacher', kernel: 'pyodide' });
    const bob = await stack.open('where-room', { name: 'Bob', role: 'teacher', kernel: 'pyodide' });
    for (const page of [alice, bob]) await page.locator('.status[data-status="online"]').waitFor();
    const select = alice.locator('candyce-notebook header .kernel select');
    await expect
      .poll(() => select.locator('option').allTextContents(), poll)
      .toEqual(['Python (navigateur)', 'SQL (navigateur)', 'Python (serveur)']);
    await select.selectOption('server:python3');
    await expect
      .poll(() => bob.locator('candyce-notebook header .kernel select').inputValue(), poll)
      .toBe('server:python3');
    // Bob runs it: the server's kernel answers.
    await cell(bob, 'where').click({ position: { x: 20, y: 10 } });
    await bob.keyboard.press('Control+Enter');
    await expect.poll(() => outputText(alice, 'where'), poll).toBe('linux');
    // Back to the browser: Pyodide answers.
    await select.selectOption('pyodide');
    await cell(alice, 'where').click({ position: { x: 20, y: 10 } });
    await alice.keyboard.press('Control+Enter');
    await expect.poll(() => outputText(bob, 'where'), poll).toBe('emscripten');
  }, 180_000);
});
