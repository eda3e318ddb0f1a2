/** What a key press asks the notebook to do. */
export type NotebookCommand =
  | 'run'
  | 'run-and-advance'
  | 'run-and-insert'
  | 'edit'
  | 'command-mode'
  | 'insert-above'
  | 'insert-below'
  | 'delete'
  | 'to-code'
  | 'to-markdown'
  | 'to-raw'
  | 'copy'
  | 'cut'
  | 'paste-below'
  | 'paste-above'
  | 'undo'
  | 'redo'
  | 'select-previous'
  | 'select-next'
  | 'select-first'
  | 'select-last'
  | 'move-up'
  | 'move-down'
  | 'interrupt'
  | 'help';

/** The parts of a keyboard event that choose a command. */
export interface KeyPress {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** The state of command mode between key presses: whether the first D of D D (or I of I I) was pressed. */
export interface CommandKeyState {
  pendingDelete: boolean;
  pendingInterrupt?: boolean;
}

/** The state before any key press. */
export const initialKeyState: CommandKeyState = { pendingDelete: false, pendingInterrupt: false };

const plainKeys: Record<string, NotebookCommand> = {
  Enter: 'edit',
  a: 'insert-above',
  b: 'insert-below',
  m: 'to-markdown',
  y: 'to-code',
  r: 'to-raw',
  c: 'copy',
  x: 'cut',
  v: 'paste-below',
  z: 'undo',
  k: 'select-previous',
  j: 'select-next',
  ArrowUp: 'select-previous',
  ArrowDown: 'select-next',
  Home: 'select-first',
  End: 'select-last',
  h: 'help',
};

/**
 * Returns the command that a key press means in command mode (Jupyter's keys),
 * with the state for the next press. D must be pressed twice to delete, and
 * I twice to interrupt; any other key in between cancels it. Keys with Ctrl or Meta are left to the
 * browser (copy, find, reload), except Ctrl/Cmd+Enter.
 */
export function commandModeKey(
  state: CommandKeyState,
  press: KeyPress,
): { command: NotebookCommand | null; state: CommandKeyState } {
  const mod = press.ctrlKey || press.metaKey;
  const none = { command: null, state: initialKeyState };
  if (press.key === 'Enter') {
    if (press.shiftKey) return { command: 'run-and-advance', state: initialKeyState };
    if (mod) return { command: 'run', state: initialKeyState };
    if (press.altKey) return { command: 'run-and-insert', state: initialKeyState };
    return { command: 'edit', state: initialKeyState };
  }
  if (mod) return none;
  if (press.altKey) {
    if (press.key === 'ArrowUp') return { command: 'move-up', state: initialKeyState };
    if (press.key === 'ArrowDown') return { command: 'move-down', state: initialKeyState };
    return none;
  }
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (key === 'd') {
    if (state.pendingDelete) return { command: 'delete', state: initialKeyState };
    return { command: null, state: { pendingDelete: true, pendingInterrupt: false } };
  }
  if (key === 'i' && !press.shiftKey) {
    if (state.pendingInterrupt) return { command: 'interrupt', state: initialKeyState };
    return { command: null, state: { pendingDelete: false, pendingInterrupt: true } };
  }
  if (key === 'v' && press.shiftKey) return { command: 'paste-above', state: initialKeyState };
  if (key === 'z' && press.shiftKey) return { command: 'redo', state: initialKeyState };
  if (press.shiftKey && key.length === 1 && key !== 'v' && key !== 'z') return none;
  return { command: plainKeys[key] ?? null, state: initialKeyState };
}

/**
 * Returns the command a key press means while editing a cell's source, or
 * null to let the code editor handle it.
 */
export function editModeKey(press: KeyPress): NotebookCommand | null {
  const mod = press.ctrlKey || press.metaKey;
  if (press.key === 'Escape') return 'command-mode';
  if (press.key === 'Enter') {
    if (press.shiftKey) return 'run-and-advance';
    if (mod) return 'run';
    if (press.altKey) return 'run-and-insert';
    return null;
  }
  if (mod && press.key.toLowerCase() === 'z') return press.shiftKey ? 'redo' : 'undo';
  if (mod && press.key.toLowerCase() === 'y') return 'redo';
  return null;
}
