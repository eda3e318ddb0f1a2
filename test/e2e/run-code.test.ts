import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeCell as code } from './fixtures/notebooks.js';
import { cellOf as cell, outputText, putNotebook, statusOf, useStack } from './helpers/stack.js';

// Running cells with Python in the browser (Pyodide): outputs, execution
// counts and the running indicator land in the shared document (the queue in
// the awareness), so the other person sees them. Alice runs, Bob watches;
// both pages stay open for the whole file, so Pyodide loads once.

const stack = useStack();
let alice: Page;
let bob: Page;

const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    code('answer', 'x = 6 * 7\nprint(x)'),
    code('loop', 'print("début")\nwhile True:\n    pass'),
    code('after', 'print("après", x)'),
    code('ask', 'name = input("Nom ? ")\nprint("Bonjour", name)'),
  ],
};

const poll = { timeout: 90_000, interval: 200 };

/** Selects a cell in command mode, by a click in its gutter. */
const selectCell = (page: Page, id: string) => cell(page, id).click({ position: { x: 20, y: 10 } });

beforeAll(async () => {
  await putNotebook(stack, 'run-room', lesson);
  alice = await stack.open('run-room', { name: 'Alice', role: 'teacher', kernel: 'pyodide' });
  bob = await stack.open('run-room', { name: 'Bob', kernel: 'none' });
  for (const page of [alice, bob]) await page.locator('.status[data-status="online"]').waitFor();
});

describe('running code with Pyodide', () => {
  it('runs a cell in one browser and shows its output and count in the other', async () => {
    await selectCell(alice, 'answer');
    await alice.keyboard.press('Shift+Enter');
    await expect.poll(() => outputText(bob, 'answer'), poll).toBe('42');
    await expect.poll(() => cell(bob, 'answer').locator('.prompt').textContent(), poll).toBe('[1]');
    // Bob has no kernel: his Run button says so instead of pretending.
    await selectCell(bob, 'answer');
    expect(await cell(bob, 'answer').locator('button.run').isDisabled()).toBe(true);
  }, 120_000);

  it('shows the running and waiting cells to everyone, and the Interrupt button stops an endless loop', async () => {
    await selectCell(alice, 'loop');
    await alice.getByRole('button', { name: 'Exécuter la suite' }).click();
    // Bob sees the loop running (from the document) and the next cell waiting (from Alice's queue).
    await expect
      .poll(() => cell(bob, 'loop').getByRole('img', { name: 'En cours d’exécution' }).count(), poll)
      .toBe(1);
    await expect.poll(() => outputText(bob, 'loop'), poll).toBe('début');
    await expect
      .poll(() => cell(bob, 'after').getByRole('img', { name: 'En attente d’exécution' }).count(), poll)
      .toBe(1);
    expect(await cell(bob, 'loop').locator('.prompt').textContent()).toBe('[*]');

    await alice.getByRole('button', { name: 'Interrompre' }).click();
    await expect.poll(() => outputText(bob, 'loop'), poll).toContain('KeyboardInterrupt');
    await expect.poll(() => cell(bob, 'loop').locator('.spinner').count(), poll).toBe(0);
    // The waiting cell was cancelled with the queue: it never ran.
    await expect.poll(() => cell(bob, 'after').locator('.waiting').count(), poll).toBe(0);
    expect(await outputText(bob, 'after')).toBe('');
    expect(await alice.getByRole('button', { name: 'Interrompre' }).isDisabled()).toBe(true);
  }, 120_000);

  it('runs all cells in order, and I I in command mode interrupts; the kernel keeps its variables', async () => {
    await alice.getByRole('button', { name: 'Tout exécuter' }).click();
    await expect.poll(() => cell(bob, 'answer').locator('.prompt').textContent(), poll).toBe('[3]');
    await expect.poll(() => cell(bob, 'loop').locator('.spinner').count(), poll).toBe(1);
    await selectCell(alice, 'loop');
    await alice.keyboard.press('i');
    await alice.keyboard.press('i');
    await expect.poll(() => outputText(bob, 'loop'), poll).toContain('KeyboardInterrupt');
    await expect.poll(() => cell(bob, 'loop').locator('.spinner').count(), poll).toBe(0);
    expect(await outputText(bob, 'after')).toBe('');
    // Interrupting keeps the kernel's state: x is still defined.
    await selectCell(alice, 'after');
    await alice.keyboard.press('Control+Enter');
    await expect.poll(() => outputText(bob, 'after'), poll).toBe('après 42');
  }, 120_000);

  it('asks the question of input() inline, labelled with its prompt; Enter answers, Escape interrupts', async () => {
    await selectCell(alice, 'ask');
    await alice.keyboard.press('Control+Enter');
    const field = alice.getByRole('textbox', { name: 'Nom ?' });
    await field.waitFor({ timeout: poll.timeout });
    await expect.poll(() => field.evaluate((el) => el.matches(':focus')), poll).toBe(true);
    // The question shows once on screen (in the output, above the field), not again as the field's label.
    await expect.poll(() => outputText(alice, 'ask'), poll).toBe('Nom ?');
    const shown = await cell(alice, 'ask').evaluate((root) => {
      let times = 0;
      for (const part of root.querySelectorAll('.outputs, .input-prompt')) {
        const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const box = node.parentElement?.getBoundingClientRect();
          if (node.textContent?.includes('Nom ?') && box && box.width > 2 && box.height > 2) times++;
        }
      }
      return times;
    });
    expect(shown).toBe(1);
    await alice.keyboard.type('Léa');
    await alice.keyboard.press('Enter');
    await expect.poll(() => outputText(bob, 'ask'), poll).toContain('Bonjour Léa');
    expect(await outputText(bob, 'ask')).toContain('Nom ? Léa');
    expect(await field.count()).toBe(0);

    // Escape cancels the question, which interrupts the run.
    await selectCell(alice, 'ask');
    await alice.keyboard.press('Control+Enter');
    await field.waitFor({ timeout: poll.timeout });
    await field.press('Escape');
    await expect.poll(() => outputText(bob, 'ask'), poll).toContain('KeyboardInterrupt');
    expect(await field.count()).toBe(0);
  }, 120_000);

  it('says visibly, in the user’s language, that this server runs no code (501), without breaking', async () => {
    const carol = await stack.open('run-room', { name: 'Carol', kernel: 'server', lang: 'en' });
    await expect.poll(() => statusOf(carol), poll).toBe('online');
    await selectCell(carol, 'answer');
    await carol.keyboard.press('Control+Enter');
    const alert = carol.locator('.run-error[role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This server does not run code');
    await carol.getByRole('button', { name: 'Close this message' }).click();
    await expect.poll(() => alert.count(), poll).toBe(0);
    // The page still works: a cell can be added.
    await carol.getByRole('button', { name: '+ Code' }).first().click();
    await expect.poll(() => carol.locator('candyce-cell').count(), poll).toBe(5);
  }, 60_000);
});
