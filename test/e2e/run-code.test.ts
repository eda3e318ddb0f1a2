import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, statusOf } from './helpers/stack.js';

// Running a cell with Python in the browser (Pyodide): the output and the
// execution count land in the shared document, so the other person sees them.

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  if (stack?.errors.length) console.log(stack.errors.join('\n'));
  await stack?.close();
});

describe('running code', () => {
  it('runs a cell with Pyodide and shows its output and count to everyone', async () => {
    const poll = { timeout: 90_000, interval: 250 };
    const alice = await stack.open('run-room', { name: 'Alice', role: 'teacher', kernel: 'pyodide' });
    const bob = await stack.open('run-room', { name: 'Bob', kernel: 'none' });
    await expect.poll(() => statusOf(alice), poll).toBe('online');
    await alice.getByRole('button', { name: '+ Code' }).first().click();
    await alice.locator('candyce-cell .cm-content').first().waitFor();
    await alice.keyboard.type('print(6 * 7)');
    await alice.keyboard.press('Shift+Enter');
    const output = bob.locator('candyce-cell').first().locator('.output-stream');
    await expect.poll(() => output.count(), poll).toBe(1);
    expect(await output.textContent()).toContain('42');
    await expect
      .poll(() => bob.locator('candyce-cell').first().locator('.prompt').textContent(), poll)
      .toBe('[1]');
    // Bob has no kernel: his Run button says so instead of pretending.
    await bob
      .locator('candyce-cell')
      .first()
      .click({ position: { x: 20, y: 10 } });
    expect(await bob.locator('candyce-cell').first().locator('button.run').isDisabled()).toBe(true);
  }, 120_000);
});
