import {
  CellLockedError,
  cellIds,
  cellTypeOf,
  copyCell,
  deleteCell,
  findCell,
  getCell,
  insertCell,
  moveCell,
  pasteCell,
  ReadOnlyError,
  readCell,
  setCellLock,
  setCellType,
  sourceOf,
} from '@candyce/model';
import type { CellCommandDetail } from '../cells/candyce-cell.js';
import type { NotebookSession } from '../context.js';
import { heldCell, holdCell } from './cell-clipboard.js';

/** What the commands need from the notebook element. */
export interface CommandTarget {
  session: NotebookSession;
  /** The active cell, or null. */
  activeId: string | null;
  /** Makes `id` the active cell, in edit or command mode, and moves the focus there. */
  select(id: string | null, editing: boolean): void;
  /** Says `message` in the live region. */
  announce(message: string): void;
  /** Shows why a run was refused (no kernel on the server, no rights, no network), visibly. */
  runFailed(error: unknown): void;
}

/** A command of the notebook: keys, toolbars and cells ask for these. */
export type Command = CellCommandDetail['command'];

const neighbour = (ids: string[], id: string | null, delta: number): string | null => {
  if (ids.length === 0) return null;
  const i = id ? ids.indexOf(id) : -1;
  if (i < 0) return ids[0]!;
  return ids[Math.max(0, Math.min(ids.length - 1, i + delta))]!;
};

/** Commands that change the notebook, refused up front in read-only mode. */
const writing = new Set<Command>([
  'insert-above',
  'insert-below',
  'insert-markdown-below',
  'delete',
  'cut',
  'paste-above',
  'paste-below',
  'to-code',
  'to-markdown',
  'to-raw',
  'type-code',
  'type-markdown',
  'type-raw',
  'move-up',
  'move-down',
  'duplicate',
  'lock',
  'unlock',
  'undo',
  'redo',
  'run-and-insert',
]);

/**
 * Runs `command` on the cell `cellId` (or the active cell). Refusals (locked
 * cell, read-only notebook, no kernel) are announced to the user, never thrown.
 */
export function runCommand(target: CommandTarget, command: Command, cellId: string | null): void {
  const { session } = target;
  const { doc, t } = session;
  const edit = { origin: session.origin, role: session.role };
  const id = cellId ?? target.activeId;
  if (session.readonly && writing.has(command)) {
    target.announce(t('announce.readonly'));
    return;
  }
  try {
    const ids = cellIds(doc);
    const index = id ? ids.indexOf(id) : -1;
    const insertAt = (at: number, type: 'code' | 'markdown' = 'code') => {
      const newId = insertCell(doc, Math.max(0, Math.min(at, ids.length)), { cell_type: type }, edit);
      target.select(newId, true);
    };
    switch (command) {
      case 'edit':
        if (id) target.select(id, true);
        return;
      case 'command-mode':
        if (id) target.select(id, false);
        return;
      case 'select-previous':
        target.select(neighbour(ids, id, -1), false);
        return;
      case 'select-next':
        target.select(neighbour(ids, id, 1), false);
        return;
      case 'select-first':
        target.select(ids[0] ?? null, false);
        return;
      case 'select-last':
        target.select(ids[ids.length - 1] ?? null, false);
        return;
      case 'insert-above':
        insertAt(Math.max(index, 0));
        return;
      case 'insert-below':
        insertAt(index < 0 ? ids.length : index + 1);
        return;
      case 'insert-markdown-below':
        insertAt(index < 0 ? ids.length : index + 1, 'markdown');
        return;
      case 'delete':
      case 'cut': {
        if (!id || index < 0) return;
        if (command === 'cut') holdCell(readCell(doc, id));
        deleteCell(doc, id, edit);
        const rest = cellIds(doc);
        target.select(rest[Math.min(index, rest.length - 1)] ?? null, false);
        target.announce(t('announce.deleted'));
        return;
      }
      case 'copy':
        if (id) holdCell(readCell(doc, id));
        return;
      case 'paste-above':
      case 'paste-below': {
        const cell = heldCell();
        if (!cell) return;
        const at = index < 0 ? ids.length : command === 'paste-above' ? index : index + 1;
        target.select(pasteCell(doc, at, cell, edit), false);
        return;
      }
      case 'duplicate':
        if (id) target.select(copyCell(doc, id, edit), false);
        return;
      case 'to-code':
      case 'type-code':
        if (id) setCellType(doc, id, 'code', edit);
        return;
      case 'to-markdown':
      case 'type-markdown':
        if (id) setCellType(doc, id, 'markdown', edit);
        return;
      case 'to-raw':
      case 'type-raw':
        if (id) setCellType(doc, id, 'raw', edit);
        return;
      case 'move-up':
      case 'move-down': {
        if (!id || index < 0) return;
        const to = index + (command === 'move-up' ? -1 : 1);
        if (to < 0 || to >= ids.length) return;
        moveCell(doc, id, to, edit);
        target.select(id, false);
        return;
      }
      case 'lock':
      case 'unlock':
        if (id)
          setCellLock(doc, id, { editable: command === 'unlock', deletable: command === 'unlock' }, edit);
        return;
      case 'undo':
        session.undo.undo();
        return;
      case 'redo':
        session.undo.redo();
        return;
      case 'run':
      case 'run-and-advance':
      case 'run-and-insert': {
        if (!id || index < 0) return;
        const cell = getCell(doc, id);
        if (cell.get('cell_type') === 'code') runCode(target, id, sourceOf(cell).toString());
        if (command === 'run') {
          target.select(id, false);
        } else if (command === 'run-and-insert' || index === ids.length - 1) {
          if (session.readonly) target.select(id, false);
          else insertAt(index + 1);
        } else {
          target.select(ids[index + 1]!, false);
        }
        return;
      }
      case 'run-all':
      case 'run-below': {
        const from = command === 'run-all' ? 0 : Math.max(index, 0);
        const code = ids.slice(from).filter((c) => {
          const cell = findCell(doc, c);
          return cell !== undefined && cellTypeOf(cell) === 'code';
        });
        if (code.length > 0 && canRun(target)) {
          session.runner.runCells(doc, code).catch((err: unknown) => target.runFailed(err));
        }
        return;
      }
      case 'interrupt':
        session.runner.interrupt?.();
        return;
      case 'help':
        return;
    }
  } catch (err) {
    if (err instanceof CellLockedError) target.announce(t('announce.locked'));
    else if (err instanceof ReadOnlyError) target.announce(t('announce.readonly'));
    else throw err;
  }
}

/** Returns true when this user may run code here; says why not otherwise. */
const canRun = (target: CommandTarget): boolean => {
  const { session } = target;
  if (session.readonly) {
    target.announce(session.t('announce.readonly'));
    return false;
  }
  if (!session.runner.available) {
    target.announce(session.t('announce.noKernel'));
    return false;
  }
  return true;
};

const runCode = (target: CommandTarget, cellId: string, code: string): void => {
  const { session } = target;
  if (!canRun(target)) return;
  session.runner.run({ doc: session.doc, cellId, code }).catch((err: unknown) => target.runFailed(err));
};
