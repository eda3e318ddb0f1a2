import type { ExecutionQueue, KernelSession } from '@candyce/kernels';
import type * as Y from 'yjs';
import type { CellRunner, InputHandler, KernelLoad, RunState } from './cell-runner.js';
import { type RoomFilesSource, roomFilesSync } from './room-files.js';

/**
 * Where the page says its Python is (`<meta name="candyce-pyodide"
 * content="/pyodide/<version>/" data-bytes="…">`, written by the web app's
 * build), or null: the default of `pyodide-index`, and the size of the
 * download the kernel indicator counts against.
 */
export const pagePyodide = (): { index: string; bytes: number } | null => {
  if (typeof document === 'undefined') return null;
  const meta = document.querySelector<HTMLMetaElement>('meta[name="candyce-pyodide"]');
  const index = meta?.content;
  if (!index) return null;
  const bytes = Number(meta.dataset.bytes);
  return { index, bytes: Number.isSafeInteger(bytes) && bytes > 0 ? bytes : 0 };
};

/** Where the Pyodide kernel's files are served from, and who answers `input()`. */
export interface PyodideRunnerOptions {
  /** The directory of `pyodide.mjs`, `pyodide.asm.wasm`, `python_stdlib.zip` (default `/pyodide/`). */
  indexURL: string;
  /** The module worker script of @candyce/kernels (default `/kernels/pyodide-worker.js`). */
  workerURL: string;
  lang: 'fr' | 'en';
  /** Bytes of Pyodide's files, to show the download's progress against (0: unknown). */
  downloadBytes?: number;
  /** The room whose attached files the kernel's working directory gets before each run; none without. */
  files?: RoomFilesSource;
  /** Asks the user the question of an `input()`; without it, `input()` raises an error that says so. */
  input?: InputHandler;
}

/**
 * Returns a runner that runs cells with Python in a Web Worker of this
 * browser (Pyodide, through @candyce/kernels), one at a time in the order
 * asked. The kernels package and Pyodide load on the first run only: a
 * notebook that is only read never downloads them. The kernel's writer puts
 * outputs into the shared document, so everyone in the room sees them.
 */
export function pyodideRunner(options: PyodideRunnerOptions): CellRunner {
  const load = () => import('@candyce/kernels');
  let kernel: Promise<KernelSession> | null = null;
  let queues = new WeakMap<Y.Doc, Promise<ExecutionQueue>>();
  const all: Promise<ExecutionQueue>[] = [];
  const listeners = new Set<(state: RunState) => void>();
  let state: RunState = { running: null, queued: [] };
  const kernelListeners = new Set<(load: KernelLoad) => void>();
  let kernelLoad: KernelLoad = { state: 'idle' };
  const setLoad = (next: KernelLoad) => {
    kernelLoad = next;
    for (const listener of kernelListeners) listener(next);
  };
  const total = options.downloadBytes ?? 0;
  const files = options.files ? roomFilesSync(options.files) : null;
  // The room's files are in the working directory before the cells run.
  const ready = async (doc: Y.Doc): Promise<ExecutionQueue> => {
    const queue = await queueOf(doc);
    if (files) await files(doc, await session());
    return queue;
  };

  const session = (): Promise<KernelSession> => {
    kernel ??= load().then((k) => {
      const gateway = k.pyodideGateway({
        indexURL: new URL(options.indexURL, location.href).href,
        // Packages a cell imports load from the same folder (see npm run pyodide:install).
        packageIndexURL: new URL(options.indexURL, location.href).href,
        worker: k.browserWorker(new URL(options.workerURL, location.href)),
        texts: options.lang === 'fr' ? k.frenchTexts : k.englishTexts,
        onProgress: (loaded) => {
          if (kernelLoad.state === 'loading') setLoad({ state: 'loading', loaded, total });
        },
      });
      return k.lazyKernel(
        {
          ...gateway,
          // The kernel starts on the first run (and again after it died): say so while it loads.
          async startKernel(name, start) {
            setLoad({ state: 'loading', loaded: 0, total });
            try {
              const started = await gateway.startKernel(name, start);
              setLoad({ state: 'ready' });
              return started;
            } catch (error) {
              setLoad({ state: 'failed' });
              throw error;
            }
          },
        },
        { idleShutdownMs: Number.POSITIVE_INFINITY },
      );
    });
    return kernel;
  };

  const queueOf = (doc: Y.Doc): Promise<ExecutionQueue> => {
    let queue = queues.get(doc);
    if (!queue) {
      queue = Promise.all([load(), session()]).then(([k, s]) => {
        const ask = options.input;
        const created: ExecutionQueue = k.createExecutionQueue(doc, s, {
          texts: options.lang === 'fr' ? k.frenchTexts : k.englishTexts,
          ...(ask
            ? {
                input: (request, signal) =>
                  ask({
                    cellId: created.running(),
                    prompt: request.prompt,
                    password: request.password,
                    signal,
                  }),
              }
            : {}),
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
      // Resolves once queued: the run itself shows in the document as it goes.
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
    onKernel(listener) {
      kernelListeners.add(listener);
      listener(kernelLoad);
      return () => kernelListeners.delete(listener);
    },
    dispose() {
      for (const q of all) void q.then((queue) => queue.dispose());
      all.length = 0;
      listeners.clear();
      kernelListeners.clear();
      queues = new WeakMap();
      const k = kernel;
      kernel = null;
      void k?.then((s) => s.shutdown());
    },
  };
}
