import * as Y from 'yjs';
import { isNotebookOrigin, type NotebookOrigin } from './origin.js';
import { cellIdOf, cellsOf, metaOf, type YCell } from './ydoc.js';

/** What changed in one transaction, as seen by {@link observeNotebook}. */
export interface NotebookChange {
  /** True when cells were inserted, deleted or moved. */
  structure: boolean;
  /** Ids of the cells whose content (source, type, metadata, outputs, state) changed. */
  cells: Set<string>;
  /** True when notebook-level data (metadata, nbformat) changed. */
  notebook: boolean;
  /** The origin of the transaction when it is a notebook origin; null for others (e.g. a provider). */
  origin: NotebookOrigin | null;
  /** True when the change was made on this peer. */
  local: boolean;
}

/**
 * Calls `listener` once per transaction that changes the notebook, with a
 * summary of what changed, for views that re-render only what they must.
 * Returns a function that stops observing.
 */
export function observeNotebook(doc: Y.Doc, listener: (change: NotebookChange) => void): () => void {
  const cells = cellsOf(doc);
  const meta = metaOf(doc);
  const onCells = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
    const change: NotebookChange = {
      structure: false,
      cells: new Set(),
      notebook: false,
      origin: isNotebookOrigin(tr.origin) ? tr.origin : null,
      local: tr.local,
    };
    for (const event of events) {
      if (event.target === cells) {
        change.structure = true;
        continue;
      }
      // The first step of the path is the index of the cell in the array.
      let type: Y.AbstractType<unknown> | null = event.target;
      while (type?._item && type._item.parent !== cells) type = type._item.parent as Y.AbstractType<unknown>;
      if (type instanceof Y.Map && type._item?.parent === cells) change.cells.add(cellIdOf(type as YCell));
    }
    listener(change);
  };
  const onMeta = (_events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) =>
    listener({
      structure: false,
      cells: new Set(),
      notebook: true,
      origin: isNotebookOrigin(tr.origin) ? tr.origin : null,
      local: tr.local,
    });
  cells.observeDeep(onCells);
  meta.observeDeep(onMeta);
  return () => {
    cells.unobserveDeep(onCells);
    meta.unobserveDeep(onMeta);
  };
}
