import { CELLS } from '@candyce/model';
import * as Y from 'yjs';
import { forkOrigin } from './fork.js';

/** What one transaction did to a copy, as the dashboard counts it. */
export interface CopyActivity {
  /** Cells whose execution count was set to a number (one per run). */
  readonly runs: number;
  /** Error outputs added. */
  readonly errors: number;
}

const isServerOrigin = (origin: unknown): boolean =>
  origin === forkOrigin ||
  (typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'server');

const isError = (value: unknown): boolean =>
  value instanceof Y.Map
    ? value.get('output_type') === 'error'
    : typeof value === 'object' &&
      value !== null &&
      (value as { output_type?: unknown }).output_type === 'error';

/**
 * Watches the document of a loaded copy and calls `onActivity` after every
 * transaction made by someone (a pupil, the teacher, a kernel), not by the
 * server itself (epoch stamps, template merges): an edit, and how many cells
 * ran and how many errors appeared in it. Returns the function that stops
 * watching.
 */
export const watchCopy = (doc: Y.Doc, onActivity: (activity: CopyActivity) => void): (() => void) => {
  const cells = doc.getArray<Y.Map<unknown>>(CELLS);
  let runs = 0;
  let errors = 0;
  const onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    if (isServerOrigin(transaction.origin)) return;
    for (const event of events) {
      const target = event.target;
      if (target instanceof Y.Map && target.parent === cells) {
        const keys = (event as Y.YMapEvent<unknown>).keysChanged;
        if (keys.has('execution_count') && typeof target.get('execution_count') === 'number') runs++;
        if (keys.has('outputs')) {
          const outputs = target.get('outputs');
          if (outputs instanceof Y.Array) errors += outputs.toArray().filter(isError).length;
        }
      } else if (
        target instanceof Y.Array &&
        target.parent instanceof Y.Map &&
        target.parent.parent === cells
      ) {
        for (const item of event.changes.added) errors += item.content.getContent().filter(isError).length;
      }
    }
  };
  const onTransaction = (transaction: Y.Transaction) => {
    if (isServerOrigin(transaction.origin)) return;
    if (transaction.changed.size === 0 && transaction.deleteSet.clients.size === 0) return;
    const activity = { runs, errors };
    runs = 0;
    errors = 0;
    onActivity(activity);
  };
  cells.observeDeep(onDeep);
  doc.on('afterTransaction', onTransaction);
  return () => {
    cells.unobserveDeep(onDeep);
    doc.off('afterTransaction', onTransaction);
  };
};
