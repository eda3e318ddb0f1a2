import { describe, expect, it } from 'vitest';
import {
  type CommandKeyState,
  commandModeKey,
  editModeKey,
  initialKeyState,
  type KeyPress,
  type NotebookCommand,
} from '../src/keys/commands.js';

const press = (keys: (string | KeyPress)[]): (NotebookCommand | null)[] => {
  let state: CommandKeyState = initialKeyState;
  return keys.map((k) => {
    const out = commandModeKey(state, typeof k === 'string' ? { key: k } : k);
    state = out.state;
    return out.command;
  });
};

describe('command mode keys', () => {
  it('interrupts with I pressed twice, and forgets a single I after another key', () => {
    expect(press(['i', 'i'])).toEqual([null, 'interrupt']);
    expect(press(['i', 'j', 'i'])).toEqual([null, 'select-next', null]);
    expect(press(['d', 'i', 'd'])).toEqual([null, null, null]);
    expect(press([{ key: 'I', shiftKey: true }, 'i'])).toEqual([null, null]);
  });

  it('map Jupyter’s single keys', () => {
    expect(
      press(['a', 'b', 'm', 'y', 'r', 'c', 'x', 'v', 'z', 'Enter', 'ArrowUp', 'ArrowDown', 'k', 'j']),
    ).toEqual([
      'insert-above',
      'insert-below',
      'to-markdown',
      'to-code',
      'to-raw',
      'copy',
      'cut',
      'paste-below',
      'undo',
      'edit',
      'select-previous',
      'select-next',
      'select-previous',
      'select-next',
    ]);
  });

  it('delete only on D pressed twice in a row', () => {
    expect(press(['d', 'd'])).toEqual([null, 'delete']);
    expect(press(['d', 'j', 'd'])).toEqual([null, 'select-next', null]);
    expect(press(['d', 'd', 'd'])).toEqual([null, 'delete', null]);
  });

  it('run with Shift-Enter, Ctrl-Enter and Alt-Enter', () => {
    expect(
      press([
        { key: 'Enter', shiftKey: true },
        { key: 'Enter', ctrlKey: true },
        { key: 'Enter', altKey: true },
      ]),
    ).toEqual(['run-and-advance', 'run', 'run-and-insert']);
  });

  it('move cells with Alt and the arrows, paste above with Shift-V, redo with Shift-Z', () => {
    expect(
      press([
        { key: 'ArrowUp', altKey: true },
        { key: 'ArrowDown', altKey: true },
        { key: 'V', shiftKey: true },
        { key: 'Z', shiftKey: true },
      ]),
    ).toEqual(['move-up', 'move-down', 'paste-above', 'redo']);
  });

  it('leave browser shortcuts and Tab alone', () => {
    expect(
      press([{ key: 'c', ctrlKey: true }, { key: 'r', metaKey: true }, 'Tab', { key: 'A', shiftKey: true }]),
    ).toEqual([null, null, null, null]);
  });
});

describe('edit mode keys', () => {
  it('run, leave, undo and redo, and let the editor have everything else', () => {
    expect(editModeKey({ key: 'Enter', shiftKey: true })).toBe('run-and-advance');
    expect(editModeKey({ key: 'Enter', ctrlKey: true })).toBe('run');
    expect(editModeKey({ key: 'Enter', metaKey: true })).toBe('run');
    expect(editModeKey({ key: 'Enter', altKey: true })).toBe('run-and-insert');
    expect(editModeKey({ key: 'Escape' })).toBe('command-mode');
    expect(editModeKey({ key: 'z', ctrlKey: true })).toBe('undo');
    expect(editModeKey({ key: 'Z', ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(editModeKey({ key: 'y', ctrlKey: true })).toBe('redo');
    expect(editModeKey({ key: 'Enter' })).toBeNull();
    expect(editModeKey({ key: 'Tab' })).toBeNull();
    expect(editModeKey({ key: 'a' })).toBeNull();
  });
});
