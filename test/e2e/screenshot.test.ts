import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lesson } from './fixtures/notebooks.js';
import { poll, putNotebook, statusOf, useStack } from './helpers/stack.js';

// A rendered lesson with a teacher and a pupil in it: the picture of the README.

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const stack = useStack();

describe('a rendered notebook with two people', () => {
  it('shows the remote cursor with its name, math, outputs and the people, and saves a screenshot', async () => {
    await putNotebook(stack, 'suites', lesson);
    const teacher = await stack.open('suites', { name: 'Mme Durand', role: 'teacher', kernel: 'pyodide' });
    const pupil = await stack.open('suites', { name: 'Léa', role: 'student' });
    await expect.poll(() => statusOf(teacher), poll).toBe('online');
    await expect.poll(() => teacher.locator('candyce-cell').count(), poll).toBe(5);

    // Léa edits the first code cell; the teacher sees her caret and name there.
    const cell = pupil.locator('candyce-cell[data-cell-id="code1"]');
    await cell.locator('.cm-content').click();
    await pupil.keyboard.press('Control+End');
    await pupil.keyboard.type('  # à vérifier');
    const caret = teacher.locator('candyce-cell[data-cell-id="code1"] .cm-ySelectionInfo');
    await expect.poll(() => caret.textContent(), poll).toBe('Léa');
    await expect.poll(() => teacher.locator('.people .person').count(), poll).toBe(2);

    // Math is MathML, rendered by the browser.
    await expect
      .poll(() => teacher.locator('candyce-cell[data-cell-id="intro"] math').count(), poll)
      .toBeGreaterThan(1);
    expect(await teacher.locator('candyce-cell[data-cell-id="code2"] .output-error').textContent()).toContain(
      'TypeError',
    );
    expect(await teacher.locator('candyce-cell[data-cell-id="consigne"] .lock').count()).toBe(1);

    await teacher.locator('candyce-cell[data-cell-id="intro"]').click({ position: { x: 10, y: 10 } });
    await mkdir(join(root, 'docs'), { recursive: true });
    await teacher.screenshot({ path: join(root, 'docs/screenshot.png') });
  });
});
