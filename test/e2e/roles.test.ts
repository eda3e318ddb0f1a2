import { describe, expect, it } from 'vitest';
import { poll, putNotebook, sourcesOf, statusOf, useStack } from './helpers/stack.js';

// Who may change what: viewers change nothing; a locked cell refuses pupils
// and accepts teachers. Refusals are checked after a later change that did
// go through has arrived, so that no test waits for "nothing to happen".

const stack = useStack();

const exercise = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    {
      id: 'given',
      cell_type: 'code',
      metadata: { editable: false, deletable: false },
      source: 'N = 10',
      outputs: [],
      execution_count: null,
    },
    { id: 'answer', cell_type: 'code', metadata: {}, source: '', outputs: [], execution_count: null },
  ],
};

describe('viewers', () => {
  it('cannot change anything, and the page says it is read only', async () => {
    await putNotebook(stack, 'viewer-room', exercise);
    const teacher = await stack.open('viewer-room', { name: 'Prof', role: 'teacher' });
    const viewer = await stack.open('viewer-room', { name: 'Parent', role: 'viewer' });
    await expect.poll(() => statusOf(viewer), poll).toBe('online');
    await expect.poll(() => viewer.locator('candyce-cell').count(), poll).toBe(2);
    expect(await viewer.locator('.badge.readonly').textContent()).toContain('Lecture seule');
    expect(await viewer.getByRole('button', { name: '+ Code' }).count()).toBe(0);

    await viewer.locator('candyce-cell[data-cell-id="answer"] .source').click();
    await viewer.locator('candyce-cell[data-cell-id="answer"] .cm-content').click();
    await viewer.keyboard.type('hack = 1');
    await viewer.keyboard.press('Escape');
    await viewer.keyboard.press('b');
    await viewer.keyboard.press('d');
    await viewer.keyboard.press('d');

    await teacher.locator('candyce-cell[data-cell-id="answer"] .cm-content').click();
    await teacher.keyboard.type('ok = 1');
    await expect.poll(() => sourcesOf(viewer), poll).toEqual(['N = 10', 'ok = 1']);
    expect(await sourcesOf(teacher)).toEqual(['N = 10', 'ok = 1']);
  });
});

describe('locked cells', () => {
  it('refuse a student, accept a teacher, and open to the student once unlocked', async () => {
    await putNotebook(stack, 'lock-room', exercise);
    const teacher = await stack.open('lock-room', { name: 'Prof', role: 'teacher' });
    const pupil = await stack.open('lock-room', { name: 'Élève', role: 'student' });
    await expect.poll(() => statusOf(pupil), poll).toBe('online');
    const locked = pupil.locator('candyce-cell[data-cell-id="given"]');
    await locked.waitFor();
    expect(await locked.locator('.lock').getAttribute('aria-label')).toContain('verrouillée');

    await locked.locator('.source').click();
    await locked.locator('.cm-content').click();
    await pupil.keyboard.type('666');
    await pupil.keyboard.press('Escape');
    await pupil.keyboard.press('d');
    await pupil.keyboard.press('d');
    await expect
      .poll(() => pupil.locator('candyce-notebook div.visually-hidden[aria-live]').textContent(), poll)
      .toContain('verrouillée');
    // A change that is allowed, to know the refused ones had their chance to travel.
    await pupil.locator('candyce-cell[data-cell-id="answer"] .source').click();
    await pupil.locator('candyce-cell[data-cell-id="answer"] .cm-content').click();
    await pupil.keyboard.type('r = N');
    await expect.poll(() => sourcesOf(teacher), poll).toEqual(['N = 10', 'r = N']);

    // The teacher edits the locked cell, then unlocks it.
    const given = teacher.locator('candyce-cell[data-cell-id="given"]');
    await given.locator('.source').click();
    await given.locator('.cm-content').click();
    await teacher.keyboard.press('End');
    await teacher.keyboard.type('0');
    await expect.poll(() => sourcesOf(pupil), poll).toEqual(['N = 100', 'r = N']);
    await teacher.keyboard.press('Escape');
    await given.getByRole('button', { name: 'Déverrouiller' }).click();
    await expect.poll(() => locked.locator('.lock').count(), poll).toBe(0);
    await locked.locator('.cm-content').click();
    await pupil.keyboard.press('End');
    await pupil.keyboard.type('0');
    await expect.poll(() => sourcesOf(teacher), poll).toEqual(['N = 1000', 'r = N']);
  });
});
