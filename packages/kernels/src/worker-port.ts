/**
 * A worker as the Pyodide gateway sees it, whatever runs it: a module Web
 * Worker in browsers, a worker_threads worker in Node.
 */
export interface WorkerPort {
  postMessage(message: unknown): void;
  /** Calls `listener` with every message the worker posts. */
  onMessage(listener: (message: unknown) => void): void;
  /** Calls `listener` when the worker fails or exits by itself (not after `terminate`). */
  onError(listener: (error: Error) => void): void;
  /** Stops the worker at once, whatever it is doing. */
  terminate(): void;
}

/** Starts a new worker. */
export type WorkerFactory = () => WorkerPort;

/**
 * Returns a factory of module Web Workers running the script at `url` (the
 * built `pyodide-worker.js`, served by the Candyce server at
 * `/kernels/pyodide-worker.js`).
 */
export const browserWorker =
  (url: string | URL): WorkerFactory =>
  () => {
    const worker = new Worker(url, { type: 'module' });
    let terminated = false;
    return {
      postMessage: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
      onError: (listener) => {
        worker.addEventListener('error', (event) => {
          if (!terminated) listener(new Error(event.message || `The worker ${String(url)} failed to run`));
        });
        worker.addEventListener('messageerror', () => {
          if (!terminated) listener(new Error('The worker sent a message that could not be read'));
        });
      },
      terminate: () => {
        terminated = true;
        worker.terminate();
      },
    };
  };
