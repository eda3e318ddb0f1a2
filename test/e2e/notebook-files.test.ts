import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './helpers/classroom.js';
import { cellOf as cell, outputText, putNotebook, useStack } from './helpers/stack.js';

// Data files travel with a notebook (issue 18): Alice attaches a CSV in the
// files panel, Bob sees it appear in his panel at once and reads it from
// Python in his browser; a deletion asks first and reaches Bob too.

const stack = useStack();
let alice: Page;
let bob: Page;

const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    {
      id: 'read',
      cell_type: 'code',
      metadata: {},
      source: "print(open('mesures.csv').read(), end='')",
      outputs: [],
      execution_count: null,
    },
  ],
};

const slow = { timeout: 90_000, interval: 200 };
const quick = { timeout: 15_000, interval: 100 };

beforeAll(async () => {
  await putNotebook(stack, 'files-room', lesson);
  alice = await stack.open('files-room', { name: 'Alice', role: 'teacher', kernel: 'none' });
  bob = await stack.open('files-room', { name: 'Bob', kernel: 'pyodide' });
  for (const page of [alice, bob]) await page.locator('.status[data-status="online"]').waitFor();
});

describe('the files panel', () => {
  it('uploads a file that the other person sees live and reads from Python', async () => {
    await alice.getByRole('button', { name: 'Fichiers' }).click();
    await bob.getByRole('button', { name: 'Fichiers' }).click();
    expect(await bob.locator('.files-panel').getByText('Aucun fichier joint.').count()).toBe(1);
    await alice.locator('.files-panel input[type=file]').setInputFiles({
      name: 'mesures.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('t,v\n0,1.5\n1,2.5\n'),
    });
    await expect.poll(() => alice.locator('.files-message').textContent(), quick).toBe('mesures.csv ajouté.');
    await expect
      .poll(() => bob.locator('.files-panel li .file-name').allTextContents(), quick)
      .toEqual(['mesures.csv']);
    expect(await bob.locator('.files-panel li .file-size').textContent()).toBe('16 o');
    await cell(bob, 'read').click({ position: { x: 20, y: 10 } });
    await bob.keyboard.press('Shift+Enter');
    await expect.poll(() => outputText(bob, 'read'), slow).toBe('t,v\n0,1.5\n1,2.5');
  }, 120_000);

  it('refuses a file above the limit in the user’s language, and fits a phone', async () => {
    const carol = await stack.open('files-room', { name: 'Carol', lang: 'en', kernel: 'none' });
    await carol.setViewportSize({ width: 390, height: 844 });
    await carol.getByRole('button', { name: 'Files' }).click();
    await carol.locator('.files-panel li').waitFor();
    await carol.locator('.files-panel input[type=file]').setInputFiles({
      name: 'big.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(20 * 1024 * 1024 + 1),
    });
    await expect
      .poll(() => carol.locator('.files-message').textContent(), quick)
      .toBe('big.bin is too large: at most 20 MB per file.');
    expect(await carol.locator('.files-panel li .file-name').allTextContents()).toEqual(['mesures.csv']);
    // The open panel, its list and its refusal pass axe-core as the rest of the page does.
    expect(await axeViolations(carol)).toEqual([]);
    const overflow = await carol.locator('.files-panel').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }, 60_000);

  it('deletes after a confirmation, for everyone, and closes with Escape back to its button', async () => {
    await alice.getByRole('button', { name: 'Supprimer mesures.csv' }).click();
    expect(await bob.locator('.files-panel li').count()).toBe(1);
    await alice.getByRole('button', { name: 'Oui, supprimer' }).click();
    await expect.poll(() => bob.locator('.files-panel li').count(), quick).toBe(0);
    expect(await bob.locator('.files-panel').getByText('Aucun fichier joint.').count()).toBe(1);
    await alice.getByRole('button', { name: 'Carnet et fichiers (.zip)' }).focus();
    await alice.keyboard.press('Escape');
    expect(await alice.locator('.files-panel').count()).toBe(0);
    expect(
      await alice.evaluate(
        () => document.querySelector('candyce-notebook')?.shadowRoot?.activeElement?.className,
      ),
    ).toContain('files-toggle');
  }, 60_000);
});
