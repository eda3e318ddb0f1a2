import * as Y from 'yjs';
import { indexOfCell } from './cells.js';
import { keepMoveHistory } from './lineage.js';
import {
  isMoveTransaction,
  moveCell,
  moveMetaOf,
  type RetypeMeta,
  retypeCell,
  retypeMetaOf,
} from './move.js';
import type { NotebookOrigin } from './origin.js';
import { cellIdOf, cellsOf, cellTypeOf, metaOf } from './ydoc.js';

// A move step says where to put the cell back: after the cell it followed
// (`after`, null for the top), so that cells others inserted or deleted above
// meanwhile do not shift it; `from`, its index then, serves when that cell is
// gone. A retype step (a type change made by replacing the cell, see
// `retypeCell`) carries the type to go back to and what the change dropped.
type Step =
  | { kind: 'yjs'; item: unknown }
  | { kind: 'move'; cellId: string; from: number; after: string | null }
  | ({ kind: 'retype' } & RetypeMeta);

/** Options of {@link createUndoManager}. */
export interface UndoOptions {
  /** Edits closer in time than this many milliseconds are undone together (default 500). */
  captureTimeout?: number;
}

/**
 * One user's undo history of a notebook: source edits, cell inserts,
 * deletions, moves and type changes, cell and notebook metadata. Only
 * transactions carrying the user's own origin object (and any origin added
 * with `trackOrigin`, such as an editor binding's) are recorded: never outputs
 * written by a kernel, never other people's edits.
 */
export interface NotebookUndoManager {
  undo(): boolean;
  redo(): boolean;
  canUndo(): boolean;
  canRedo(): boolean;
  /** Starts a new undo step even if the next edit comes quickly. */
  stopCapturing(): void;
  /** Also records edits made with `origin` (for example a CodeMirror binding's). */
  trackOrigin(origin: unknown): void;
  /** Forgets the whole history. */
  clear(): void;
  /** Stops recording and releases the document. */
  destroy(): void;
  /** Calls `listener` whenever the history changes (to refresh undo and redo buttons). */
  onChange(listener: () => void): () => void;
}

/**
 * Returns an undo manager for the edits that `origin` makes in `doc`. Moves
 * are recorded as moves (undo moves the cell back), and the history of a cell
 * follows it when it is moved, by anyone.
 */
export function createUndoManager(
  doc: Y.Doc,
  origin: NotebookOrigin,
  options: UndoOptions = {},
): NotebookUndoManager {
  const tracked = new Set<unknown>([origin]);
  const yum = new Y.UndoManager([cellsOf(doc), metaOf(doc)], {
    trackedOrigins: tracked,
    captureTimeout: options.captureTimeout ?? 500,
    captureTransaction: (tr) => !isMoveTransaction(tr),
  });
  const release = keepMoveHistory(doc);
  const undoStack: Step[] = [];
  const redoStack: Step[] = [];
  const listeners = new Set<() => void>();
  let replaying = false;
  const changed = () => {
    for (const l of listeners) l();
  };

  yum.on('stack-item-added', (event: { stackItem: unknown; type: 'undo' | 'redo' }) => {
    if (replaying) return;
    // A new edit of the user: the redo history is gone, as Yjs itself does.
    undoStack.push({ kind: 'yjs', item: event.stackItem });
    redoStack.length = 0;
    changed();
  });

  const onMove = (tr: Y.Transaction) => {
    if (replaying || !isMoveTransaction(tr) || !tracked.has(tr.origin)) return;
    const move = moveMetaOf(tr);
    const retype = retypeMetaOf(tr);
    if (!move && !retype) return;
    yum.stopCapturing();
    if (move) undoStack.push({ kind: 'move', cellId: move.cellId, from: move.from, after: move.after });
    else if (retype) undoStack.push({ kind: 'retype', ...retype });
    redoStack.length = 0;
    changed();
  };
  doc.on('afterTransaction', onMove);

  // Replays one step; returns the step that reverses it, or null when it had no effect.
  const replay = (step: Step, direction: 'undo' | 'redo'): Step | null => {
    replaying = true;
    try {
      if (step.kind === 'retype') {
        const index = indexOfCell(doc, step.cellId);
        if (index < 0 || cellTypeOf(cellsOf(doc).get(index)) === step.type) return null;
        const { outputs, executionCount, attachments } = step;
        // What this change drops is what its reverse puts back.
        const dropped = retypeCell(
          doc,
          step.cellId,
          step.type,
          { origin, role: 'teacher' },
          { outputs, executionCount, attachments },
        );
        return dropped ? { kind: 'retype', ...dropped } : null;
      }
      if (step.kind === 'move') {
        const cells = cellsOf(doc);
        const index = indexOfCell(doc, step.cellId);
        if (index < 0) return null;
        const anchor = step.after === null ? -1 : indexOfCell(doc, step.after);
        const target =
          step.after === null
            ? 0
            : anchor < 0
              ? Math.min(step.from, cells.length - 1)
              : anchor < index
                ? anchor + 1
                : anchor;
        if (index === target) return null;
        const after = index > 0 ? cellIdOf(cells.get(index - 1)) : null;
        moveCell(doc, step.cellId, target, { origin, role: 'teacher' });
        return { kind: 'move', cellId: step.cellId, from: index, after };
      }
      const stack = direction === 'undo' ? yum.undoStack : yum.redoStack;
      const other = direction === 'undo' ? yum.redoStack : yum.undoStack;
      stack.length = 0;
      other.length = 0;
      stack.push(step.item as (typeof stack)[number]);
      const done = direction === 'undo' ? yum.undo() : yum.redo();
      const reverse = other.pop();
      stack.length = 0;
      other.length = 0;
      return done && reverse ? { kind: 'yjs', item: reverse } : null;
    } finally {
      replaying = false;
    }
  };

  const step = (from: Step[], to: Step[], direction: 'undo' | 'redo'): boolean => {
    yum.stopCapturing();
    while (from.length > 0) {
      const reverse = replay(from.pop()!, direction);
      if (reverse) {
        to.push(reverse);
        changed();
        return true;
      }
    }
    changed();
    return false;
  };

  return {
    undo: () => step(undoStack, redoStack, 'undo'),
    redo: () => step(redoStack, undoStack, 'redo'),
    canUndo: () => undoStack.length > 0,
    canRedo: () => redoStack.length > 0,
    stopCapturing: () => yum.stopCapturing(),
    trackOrigin: (o) => {
      tracked.add(o);
      yum.addTrackedOrigin(o);
    },
    clear: () => {
      undoStack.length = 0;
      redoStack.length = 0;
      yum.clear();
      changed();
    },
    destroy: () => {
      doc.off('afterTransaction', onMove);
      yum.destroy();
      release();
      listeners.clear();
    },
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
