import { describe, expect, it } from 'vitest';
import { useJupyterStack } from './helpers/jupyter-stack.js';
import { cellOf as cell, outputText, putNotebook } from './helpers/stack.js';

// kernel="server": the Candyce server runs cells on a real Jupyter Server
// (Debian's jupyter-server and python3-ipykernel, started on a free port),
// and writes the outputs into the room, where every browser sees them.

const stack = useJupyterStack();

const poll = { timeout: 60_000, interval: 200 };

const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    {
      id: 'hello',
      cell_type: 'code',
      metadata: {},
      source: 'import sys\nprint("bonjour de", sys.executable.split("/")[-1])\n6 * 7',
      outputs: [],
      execution_count: null,
    },
    {
      id: 'oops',
      cell_type: 'code',
      metadata: {},
      source: '1 / 0',
      outputs: [],
      execution_count: null,
    },
  ],
};

describe('running code on the server’s Jupyter kernel', () => {
  it('runs a cell asked in one browser; the outputs appear in the other', async () => {
    await putNotebook(stack, 'jupyter-room', notebook);
    const alice = await stack.open('jupyter-room', { name: 'Alice', role: 'teacher', kernel: 'server' });
    const bob = await stack.open('jupyter-room', { name: 'Bob', kernel: 'server' });
    for (const page of [alice, bob]) await page.locator('.status[data-status="online"]').waitFor();
    await cell(alice, 'hello').click({ position: { x: 20, y: 10 } });
    await alice.keyboard.press('Control+Enter');
    await expect.poll(() => outputText(bob, 'hello'), poll).toContain('bonjour de python');
    await expect.poll(() => outputText(bob, 'hello'), poll).toContain('42');
    await expect.poll(() => cell(bob, 'hello').locator('.prompt').textContent(), poll).toBe('[1]');
    // Run all goes on to the next cell, whose error (with its traceback) everyone sees.
    await alice.getByRole('button', { name: 'Tout exécuter' }).click();
    await expect.poll(() => outputText(bob, 'oops'), poll).toContain('ZeroDivisionError');
    await expect.poll(() => cell(bob, 'hello').locator('.prompt').textContent(), poll).toBe('[2]');
    expect(await alice.locator('.run-error').count()).toBe(0);
  }, 120_000);

  it('shows the server kernel’s state to everyone, restarts it for all, says who did, and “re-run” brings the variables back', async () => {
    const withVariable = {
      ...notebook,
      cells: [
        { ...notebook.cells[0]!, id: 'set', source: 'a = 5' },
        { ...notebook.cells[0]!, id: 'use', source: 'print(a * 2)' },
      ],
    };
    await putNotebook(stack, 'jupyter-restart', withVariable);
    const alice = await stack.open('jupyter-restart', { name: 'Alice', role: 'teacher', kernel: 'server' });
    const bob = await stack.open('jupyter-restart', { name: 'Bob', kernel: 'server' });
    for (const page of [alice, bob]) await page.locator('.status[data-status="online"]').waitFor();
    await cell(alice, 'set').click({ position: { x: 20, y: 10 } });
    await alice.keyboard.press('Control+Enter');
    await expect.poll(() => cell(bob, 'set').locator('.prompt').textContent(), poll).toBe('[1]');
    const indicator = bob.locator('[part="kernel-host"]');
    await expect.poll(() => indicator.textContent(), poll).toContain('Python sur le serveur : prêt');
    // Bob restarts it from the toolbar (or its "Plus" menu): Alice reads who did, with the offer to re-run.
    const restart = bob.locator('candyce-notebook header button[data-key="restart"]');
    if (!(await restart.isVisible()))
      await bob.locator('candyce-notebook header button[data-key="more"]').click();
    await restart.click();
    const lost = alice.locator('[part="kernel-lost"]');
    await expect.poll(() => lost.textContent(), poll).toContain('Bob a redémarré Python');
    await lost.getByRole('button', { name: 'Relancer les cellules déjà exécutées' }).click();
    await expect.poll(() => lost.count(), poll).toBe(0);
    await cell(bob, 'use').click({ position: { x: 20, y: 10 } });
    await bob.keyboard.press('Control+Enter');
    await expect.poll(() => outputText(alice, 'use'), poll).toBe('10');
  }, 120_000);
});
