import type { ExecutionQueue, KernelSession } from '@candyce/kernels';
import type * as Y from 'yjs';
import type { CellRunner, RunState } from './cell-runner.js';
import { type RoomFilesSource, roomFilesSync } from './room-files.js';

/** Where the SQL kernel's worker is served, and the language of its words. */
export interface SqlRunnerOptions {
  /** sql.js's `worker.sql-wasm.js`, with `sql-wasm.wasm` beside it (default `/sqljs/worker.sql-wasm.js`). */
  workerURL: string;
  lang: 'fr' | 'en';
  /** The room whose attached files the kernel's working directory gets before each run; none without. */
  files?: RoomFilesSource;
}

/**
 * Returns a runner that runs the cells of SQL notebooks (kernelspec `sql`)
 * against SQLite in a worker of this browser (sql.js), one database for the
 * page's session. The kernels package and sql.js load on the first run only.
 * Outputs go into the shared document, as with every runner.
 */
export function sqlRunner(options: SqlRunnerOptions): CellRunner {
  const load = () => import('@candyce/kernels');
  let kernel: Promise<KernelSession> | null = null;
  let queues = new WeakMap<Y.Doc, Promise<ExecutionQueue>>();
  const all: Promise<ExecutionQueue>[] = [];
  const listeners = new Set<(state: RunState) => void>();
  let state: RunState = { running: null, queued: [] };
  const files = options.files ? roomFilesSync(options.files) : null;
  // The room's files are in the working directory before the cells run.
  const ready = async (doc: Y.Doc): Promise<ExecutionQueue> => {
    const queue = await queueOf(doc);
    if (files) await files(doc, await session());
    return queue;
  };

  const session = (): Promise<KernelSession> => {
    kernel ??= load().then((k) =>
      k.lazyKernel(
        k.sqlGateway({
          worker: k.classicWorker(new URL(options.workerURL, location.href)),
          texts: options.lang === 'fr' ? k.frenchSqlTexts : k.englishSqlTexts,
        }),
        { kernelName: 'sql', idleShutdownMs: Number.POSITIVE_INFINITY },
      ),
    );
    return kernel;
  };

  const queueOf = (doc: Y.Doc): Promise<ExecutionQueue> => {
    let queue = queues.get(doc);
    if (!queue) {
      queue = Promise.all([load(), session()]).then(([k, s]) => {
        const created = k.createExecutionQueue(doc, s, {
          texts: options.lang === 'fr' ? k.frenchTexts : k.englishTexts,
        });
        created.onChange(() => {
          state = { running: created.running(), queued: created.queued() };
          for (const listener of listeners) listener(state);
        });
        return created;
      });
      queues.set(doc, queue);
      all.push(queue);
    }
    return queue;
  };

  return {
    kind: 'pyodide',
    available: typeof Worker !== 'undefined',
    async run({ doc, cellId }) {
      void (await ready(doc)).run(cellId);
    },
    async runCells(doc, cellIds) {
      void (await ready(doc)).run(cellIds);
    },
    interrupt() {
      for (const q of all) void q.then((queue) => queue.interrupt());
    },
    onChange(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    dispose() {
      for (const q of all) void q.then((queue) => queue.dispose());
      all.length = 0;
      listeners.clear();
      queues = new WeakMap();
      const k = kernel;
      kernel = null;
      void k?.then((s) => s.shutdown());
    },
  };
}
