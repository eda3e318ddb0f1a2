import { cellIdOf, cellsOf, cellTypeOf } from '@candyce/model';
import type * as Y from 'yjs';

/**
 * Returns the code cells that show an execution count, in the order of
 * their counts: the order they were last run, which is what re-running them
 * on a new kernel must follow to get the same variables back.
 */
export const executedInOrder = (doc: Y.Doc): string[] => {
  const runs: { id: string; count: number; index: number }[] = [];
  cellsOf(doc).forEach((cell, index) => {
    if (cellTypeOf(cell) !== 'code') return;
    const count = cell.get('execution_count');
    if (typeof count === 'number' && Number.isFinite(count)) runs.push({ id: cellIdOf(cell), count, index });
  });
  runs.sort((a, b) => a.count - b.count || a.index - b.index);
  return runs.map((run) => run.id);
};

/** Returns the code cells from `fromId` down, in notebook order (empty when it is not a cell). */
export const codeCellsBelow = (doc: Y.Doc, fromId: string): string[] => {
  const ids: string[] = [];
  let found = false;
  cellsOf(doc).forEach((cell) => {
    const id = cellIdOf(cell);
    if (id === fromId) found = true;
    if (found && cellTypeOf(cell) === 'code') ids.push(id);
  });
  return ids;
};
