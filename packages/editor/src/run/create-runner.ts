import { type CellRunner, type InputHandler, type KernelKind, noRunner } from './cell-runner.js';
import { kernelspecRunner } from './kernelspec-runner.js';
import { pyodideRunner } from './pyodide-runner.js';
import { serverRunner } from './server-runner.js';
import { sqlRunner } from './sql-runner.js';

/** Where a runner runs code: the notebook's room and how to reach its server. */
export interface RunnerOptions {
  kind: KernelKind;
  server: string;
  room: string;
  token: string;
  lang: 'fr' | 'en';
  /** Where Pyodide is served (default `/pyodide/`). */
  pyodideIndexURL?: string;
  /** Where the kernel worker is served (default `/kernels/pyodide-worker.js`). */
  pyodideWorkerURL?: string;
  /** Where the SQL kernel's worker (sql.js) is served (default `/sqljs/worker.sql-wasm.js`). */
  sqlWorkerURL?: string;
  /** Asks the user the question of an `input()` (Pyodide). */
  input?: InputHandler;
}

/** Returns the kernel kind an attribute value names (`pyodide` when missing or unknown). */
export const kernelKindOf = (value: string | null | undefined): KernelKind =>
  value === 'server' || value === 'none' ? value : 'pyodide';

/**
 * Returns the runner of a notebook: `server` asks the Candyce server to run
 * cells on the room's kernel; `pyodide` runs them in this browser (Python,
 * or SQLite for a notebook whose kernelspec is `sql`); `none`
 * runs nothing (and the Run buttons say so).
 */
export const createRunner = (options: RunnerOptions): CellRunner => {
  if (options.kind === 'server' && options.server && options.room) {
    return serverRunner(options.server, options.room, options.token);
  }
  if (options.kind === 'pyodide') {
    // Browser kernels get the room's attached files (see room-files.ts).
    const files =
      options.server && options.room
        ? { server: options.server, room: options.room, token: options.token }
        : undefined;
    // In the browser, a notebook whose kernelspec is `sql` runs on SQLite.
    return kernelspecRunner(
      pyodideRunner({
        indexURL: options.pyodideIndexURL || '/pyodide/',
        workerURL: options.pyodideWorkerURL || '/kernels/pyodide-worker.js',
        lang: options.lang,
        ...(options.input ? { input: options.input } : {}),
        ...(files ? { files } : {}),
      }),
      sqlRunner({
        workerURL: options.sqlWorkerURL || '/sqljs/worker.sql-wasm.js',
        lang: options.lang,
        ...(files ? { files } : {}),
      }),
    );
  }
  return noRunner;
};
