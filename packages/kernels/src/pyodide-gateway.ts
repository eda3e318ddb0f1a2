import type { KernelGateway, KernelSession } from './gateway.js';
import { KernelError } from './kernel-notice.js';
import { englishTexts, type KernelTexts } from './kernel-texts.js';
import { PyodideSession } from './pyodide-session.js';
import { browserWorker, type WorkerFactory } from './worker-port.js';

/** Options of {@link pyodideGateway}. */
export interface PyodideGatewayOptions {
  /**
   * Where Pyodide is served: the directory of `pyodide.mjs`,
   * `pyodide.asm.wasm` and `python_stdlib.zip` (the `pyodide` npm package;
   * the Candyce server serves it at `/pyodide/`, the default). In Node, a
   * directory path.
   */
  indexURL?: string;
  /** The URL (or, in Node, `file:` URL) of `pyodide.mjs`; default `indexURL` + `pyodide.mjs`. */
  moduleURL?: string;
  /**
   * A full Pyodide distribution (its `pyodide-lock.json` and wheels) that a
   * deployment hosts itself; packages a cell imports (numpy, matplotlib) are
   * loaded from it. Without it only the standard library is there, offline.
   */
  packageIndexURL?: string;
  /** Starts the worker; default a module Web Worker of this package's `pyodide-worker.js`. */
  worker?: WorkerFactory;
  /**
   * Whether the worker shares memory with the page, for `input()` and
   * interrupts that keep the kernel's state. Default: when the page is
   * cross-origin isolated (always in Node).
   */
  sharedMemory?: boolean;
  /** Milliseconds an interrupted cell has to stop before the worker is restarted (default 3000). */
  interruptTimeoutMs?: number;
  /** Milliseconds between requests for buffered output while a cell runs (default 30). */
  flushRequestMs?: number;
  /** The words raised in Python by `input()` when it cannot work; default English. */
  texts?: KernelTexts;
  /**
   * Called while a kernel starts with the bytes of Pyodide's files received
   * so far (every few hundred KB; browsers only: in Node they are read from
   * disk), so that a page can show the download's progress.
   */
  onProgress?: (loaded: number) => void;
}

const pythonName = /python|pyodide/i;

const canShareMemory = (): boolean =>
  typeof SharedArrayBuffer !== 'undefined' &&
  (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;

const defaultWorker = (): WorkerFactory => {
  if (typeof Worker === 'undefined')
    throw new TypeError(
      'pyodideGateway needs options.worker here (no Web Worker): in Node, use nodePyodideGateway from @candyce/kernels/node',
    );
  return browserWorker(new URL('./pyodide-worker.js', import.meta.url));
};

const isURL = (s: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(s);

// "/pyodide/" is resolved against the page in a browser; in Node it is a directory path.
const resolveIndex = (base: string): string => {
  const page = (globalThis as { location?: { href: string } }).location?.href;
  return page === undefined || isURL(base) ? base : new URL(base, page).href;
};

const moduleOf = (index: string): string =>
  isURL(index) ? new URL('pyodide.mjs', index).href : `file://${encodeURI(index)}pyodide.mjs`;

/**
 * Returns the gateway that runs Python with Pyodide in a worker of this
 * browser (or Node process): no server, no install. Pyodide is fetched from
 * `indexURL` when the first kernel starts. Each kernel is one worker.
 */
export function pyodideGateway(options: PyodideGatewayOptions = {}): KernelGateway {
  const indexURL = options.indexURL ?? '/pyodide/';
  return {
    name: 'pyodide',
    async startKernel(kernelName = 'python3'): Promise<KernelSession> {
      if (!pythonName.test(kernelName))
        throw new KernelError(`Pyodide runs Python only, not the kernel ${JSON.stringify(kernelName)}`, {
          code: 'start-failed',
          detail: `Pyodide runs Python only, not ${kernelName}`,
        });
      const index = resolveIndex(indexURL.endsWith('/') ? indexURL : `${indexURL}/`);
      const session = new PyodideSession(kernelName, {
        worker: options.worker ?? defaultWorker(),
        indexURL: index,
        moduleURL: options.moduleURL ?? moduleOf(index),
        packageIndexURL:
          options.packageIndexURL === undefined ? undefined : resolveIndex(options.packageIndexURL),
        sharedMemory: options.sharedMemory ?? canShareMemory(),
        interruptTimeoutMs: options.interruptTimeoutMs ?? 3000,
        flushRequestMs: options.flushRequestMs ?? 30,
        texts: options.texts ?? englishTexts,
        onProgress: options.onProgress,
      });
      await session.start();
      return session;
    },
  };
}
