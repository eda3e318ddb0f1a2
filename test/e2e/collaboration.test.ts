import { describe, expect, it } from 'vitest';
import { poll, sourcesOf, statusOf, useStack } from './helpers/stack.js';

// Two people on one room, each in their own browser context, through a real
// server: what one does, the other sees.

const stack = useStack();

describe('two people on one notebook', () => {
  it('shows text typed by one in the other, and keeps it across a server restart', async () => {
    const alice = await stack.open('pair-typing', { name: 'Alice', role: 'teacher' });
    const bob = await stack.open('pair-typing', { name: 'Bob', role: 'student' });
    await expect.poll(() => statusOf(alice), poll).toBe('online');
    await alice.getByRole('button', { name: '+ Code' }).first().click();
    await alice.locator('candyce-cell .cm-content').first().waitFor();
    await alice.keyboard.type('print("bonjour")');
    await expect.poll(() => sourcesOf(bob), poll).toEqual(['print("bonjour")']);
    await expect
      .poll(() => bob.locator('candyce-cell').first().textContent(), poll)
      .toContain('print("bonjour")');

    // Nobody holds the notebook while the server restarts: it comes back from LevelDB.
    await alice.context().close();
    await bob.context().close();
    await stack.restartServer();
    const carol = await stack.open('pair-typing', { name: 'Carol' });
    await expect.poll(() => sourcesOf(carol), poll).toEqual(['print("bonjour")']);
  });
});

describe('cell operations', () => {
  it('propagates adding, typing, changing type, moving and deleting cells made with Jupyter keys', async () => {
    const alice = await stack.open('pair-cells', { name: 'Alice', role: 'teacher' });
    const bob = await stack.open('pair-cells', { name: 'Bob' });
    await expect.poll(() => statusOf(alice), poll).toBe('online');
    await expect.poll(() => statusOf(bob), poll).toBe('online');
    await alice.getByRole('button', { name: '+ Code' }).first().click();
    await alice.locator('candyce-cell .cm-content').first().waitFor();
    await alice.keyboard.type('a = 1');
    // Escape to command mode, B adds a cell below and enters it.
    await alice.keyboard.press('Escape');
    await alice.keyboard.press('b');
    await expect.poll(() => alice.locator('candyce-cell').count(), poll).toBe(2);
    await alice.locator('candyce-cell').nth(1).locator('.cm-content').waitFor();
    await alice.keyboard.type('# Titre $x^2$');
    await alice.keyboard.press('Escape');
    await alice.keyboard.press('m');
    await expect.poll(() => sourcesOf(bob), poll).toEqual(['a = 1', '# Titre $x^2$']);
    await expect
      .poll(() => bob.locator('candyce-cell').nth(1).getAttribute('data-type'), poll)
      .toBe('markdown');
    // Bob sees it rendered, with the math as MathML.
    await expect.poll(() => bob.locator('candyce-cell').nth(1).locator('h1 math').count(), poll).toBe(1);
    // Alt+Up moves the markdown cell first.
    await alice.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => sourcesOf(bob), poll).toEqual(['# Titre $x^2$', 'a = 1']);
    // Down to the code cell, D D deletes it.
    await alice.keyboard.press('ArrowDown');
    await alice.keyboard.press('d');
    await alice.keyboard.press('d');
    await expect.poll(() => sourcesOf(bob), poll).toEqual(['# Titre $x^2$']);
    await expect.poll(() => bob.locator('candyce-cell').count(), poll).toBe(1);
    // Z undoes Alice's deletion, and only hers.
    await alice.keyboard.press('z');
    await expect.poll(() => sourcesOf(bob), poll).toEqual(['# Titre $x^2$', 'a = 1']);
  });
});
