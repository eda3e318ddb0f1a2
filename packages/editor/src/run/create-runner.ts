import { type CellRunner, type InputHandler, type KernelKind, noRunner } from './cell-runner.js';
import { choiceRunner } from './kernelspec-runner.js';
import { pagePyodide, pyodideRunner } from './pyodide-runner.js';
import { serverRunner } from './server-runner.js';
import { sqlRunner } from './sql-runner.js';

/** Where a runner runs code: the notebook's room and how to reach its server. */
export interface RunnerOptions {
  kind: KernelKind;
  server: string;
  room: string;
  token: string;
  lang: 'fr' | 'en';
  /** Where Pyodide is served (default: the page's `<meta name="candyce-pyodide">`, else `/pyodide/`). */
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
 * Returns the runner of a notebook: `none` runs nothing (and the Run
 * buttons say so); otherwise each run goes where the notebook's kernel runs:
 * SQLite in this browser for a kernelspec `sql`, the room's kernel on the
 * Candyce server for a kernelspec whose `candyce_location` is `server`,
 * Pyodide for `browser`, and where `kind` says (`pyodide` or `server`) for a
 * notebook that does not say.
 */
export const createRunner = (options: RunnerOptions): CellRunner => {
  if (options.kind === 'none') return noRunner;
  // Each run goes where the notebook's kernel runs now: a kernel changed live applies at the next run.
  const server =
    options.server && options.room ? serverRunner(options.server, options.room, options.token) : noRunner;
  // The page's own Python (its versioned path) unless the element names another.
  const page = pagePyodide();
  const index = options.pyodideIndexURL || page?.index || '/pyodide/';
  // Browser kernels get the room's attached files (see room-files.ts).
  const files =
    options.server && options.room
      ? { server: options.server, room: options.room, token: options.token }
      : undefined;
  return choiceRunner(options.kind, {
    python: pyodideRunner({
      indexURL: index,
      downloadBytes: page && page.index === index ? page.bytes : 0,
      workerURL: options.pyodideWorkerURL || '/kernels/pyodide-worker.js',
      lang: options.lang,
      ...(options.input ? { input: options.input } : {}),
      ...(files ? { files } : {}),
    }),
    sql: sqlRunner({
      workerURL: options.sqlWorkerURL || '/sqljs/worker.sql-wasm.js',
      lang: options.lang,
      ...(files ? { files } : {}),
    }),
    server,
  });
};
