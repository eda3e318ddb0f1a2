import { cellIds, cellTypeOf, findCell, indexOfCell } from '@candyce/model';
import type * as Y from 'yjs';
import { type CellRun, type ExecuteCellOptions, executeCell } from './execute-cell.js';
import type { KernelSession } from './gateway.js';

/** Options of {@link createExecutionQueue}: those of every cell run, and the queue's own. */
export interface ExecutionQueueOptions extends Omit<ExecuteCellOptions, 'signal'> {
  /** Cancels the cells still queued when one ends in an error, as Jupyter's "run all" does. Default true. */
  stopOnError?: boolean;
}

/**
 * The runs of one notebook on one kernel, one at a time, in the order they
 * were asked for. A cell is queued at most once; a cell deleted (or turned
 * into markdown) while queued is skipped when its turn comes.
 */
export interface ExecutionQueue {
  /** Queues cells, in the given order; resolves with their runs once all have ended. */
  run(cellIds: string | readonly string[]): Promise<CellRun[]>;
  /** Queues every code cell, top to bottom. */
  runAll(): Promise<CellRun[]>;
  /** Queues the code cell `cellId` and every code cell below it. */
  runBelow(cellId: string): Promise<CellRun[]>;
  /** Cancels the queued cells and interrupts the running one. */
  interrupt(): Promise<void>;
  /** Returns the id of the running cell, or null. */
  running(): string | null;
  /** Returns the ids of the queued cells, in order (not the running one). */
  queued(): string[];
  /** Calls `listener` whenever the running or queued cells change; returns a function that stops it. */
  onChange(listener: () => void): () => void;
  /** Cancels everything queued; the queue then refuses new runs. */
  dispose(): void;
}

interface Item {
  cellId: string;
  controller: AbortController;
  done: Promise<CellRun>;
  resolve: (run: CellRun) => void;
}

/**
 * Returns the execution queue of `doc`. `kernel` is a session, or a function
 * that starts one: it is called on the first run (and again after a failed
 * start), so a Pyodide kernel loads only when someone runs a cell.
 */
export function createExecutionQueue(
  doc: Y.Doc,
  kernel: KernelSession | (() => KernelSession | Promise<KernelSession>),
  options: ExecutionQueueOptions = {},
): ExecutionQueue {
  const items: Item[] = [];
  const listeners = new Set<() => void>();
  let current: Item | null = null;
  let pumping = false;
  let disposed = false;
  let session: Promise<KernelSession> | undefined;

  const changed = () => {
    for (const listener of listeners) listener();
  };

  const sessionOf = (): Promise<KernelSession> => {
    if (typeof kernel !== 'function') return Promise.resolve(kernel);
    if (!session) {
      const started = Promise.resolve().then(kernel);
      session = started;
      started.catch(() => {
        if (session === started) session = undefined;
      });
    }
    return session;
  };

  const cancel = (item: Item) => {
    item.controller.abort();
    item.resolve({ cellId: item.cellId, status: 'aborted', executionCount: null });
  };

  const cancelQueued = () => {
    for (const item of items.splice(0)) cancel(item);
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      for (let item = items.shift(); item; item = items.shift()) {
        const cell = findCell(doc, item.cellId);
        if (!cell || cellTypeOf(cell) !== 'code') {
          item.resolve({ cellId: item.cellId, status: 'skipped', executionCount: null });
          continue;
        }
        current = item;
        changed();
        const run = await executeCell(doc, item.cellId, sessionOf(), {
          ...options,
          signal: item.controller.signal,
        }).catch((): CellRun => ({ cellId: item.cellId, status: 'skipped', executionCount: null }));
        current = null;
        item.resolve(run);
        if (run.status === 'error' && options.stopOnError !== false) cancelQueued();
        changed();
      }
    } finally {
      pumping = false;
    }
  };

  const enqueue = (cellId: string): Promise<CellRun> => {
    const queued = items.find((i) => i.cellId === cellId);
    if (queued) return queued.done;
    let resolve!: (run: CellRun) => void;
    const done = new Promise<CellRun>((r) => {
      resolve = r;
    });
    const item = { cellId, controller: new AbortController(), done, resolve };
    if (disposed) cancel(item);
    else items.push(item);
    return done;
  };

  const run = (ids: string | readonly string[]): Promise<CellRun[]> => {
    const list = typeof ids === 'string' ? [ids] : ids;
    const runs = Promise.all(list.map(enqueue));
    changed();
    void pump();
    return runs;
  };

  const codeCellsFrom = (index: number) =>
    cellIds(doc)
      .slice(index)
      .filter((id) => {
        const cell = findCell(doc, id);
        return cell !== undefined && cellTypeOf(cell) === 'code';
      });

  return {
    run,
    runAll: () => run(codeCellsFrom(0)),
    runBelow: (cellId) => {
      const index = indexOfCell(doc, cellId);
      if (index < 0) throw new RangeError(`No cell with id ${JSON.stringify(cellId)} in this notebook`);
      return run(codeCellsFrom(index));
    },
    async interrupt() {
      cancelQueued();
      current?.controller.abort();
      changed();
    },
    running: () => current?.cellId ?? null,
    queued: () => items.map((i) => i.cellId),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed = true;
      cancelQueued();
      current?.controller.abort();
      listeners.clear();
    },
  };
}
