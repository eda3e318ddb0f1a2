import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { type CellRunner, type InputHandler, type KernelKind, noRunner } from './cell-runner.js';
import { currentKernelOf } from './kernel-choice.js';
import { choiceRunner } from './kernelspec-runner.js';
import { pagePyodide, pyodideRunner } from './pyodide-runner.js';
import { serverRunner } from './server-runner.js';
import { sharedRunner } from './shared-kernel.js';
import { sqlRunner } from './sql-runner.js';

/** Where a runner runs code: the notebook's room and how to reach its server. */
export interface RunnerOptions {
  kind: KernelKind;
  server: string;
  /** The room's name on the server. */
  roomName: string;
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
  /** The user's name, said to the room when they restart its server kernel without a token (open mode). */
  userName?: string;
  /**
   * The room's presence and document: given, Python in the browser is one
   * kernel for the whole room, hosted by one of the browsers present (see
   * shared-kernel.ts); without, each browser runs its own.
   */
  room?: {
    doc: Y.Doc;
    awareness: Awareness;
    /** False for a reader (who runs nothing) or a browser without Web Workers. */
    canHost: boolean;
    /** Written into a cell whose run ended with its host's departure, in the user's language. */
    orphanNotice: string;
  };
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
    options.server && options.roomName
      ? serverRunner(options.server, options.roomName, options.token, options.userName)
      : noRunner;
  // The page's own Python (its versioned path) unless the element names another.
  const page = pagePyodide();
  const index = options.pyodideIndexURL || page?.index || '/pyodide/';
  // Browser kernels get the room's attached files (see room-files.ts).
  const files =
    options.server && options.roomName
      ? { server: options.server, room: options.roomName, token: options.token }
      : undefined;
  const python = (input: InputHandler | undefined) =>
    pyodideRunner({
      indexURL: index,
      downloadBytes: page && page.index === index ? page.bytes : 0,
      workerURL: options.pyodideWorkerURL || '/kernels/pyodide-worker.js',
      lang: options.lang,
      ...(input ? { input } : {}),
      ...(files ? { files } : {}),
    });
  const room = options.server && options.roomName ? options.room : undefined;
  return choiceRunner(options.kind, {
    python: room
      ? sharedRunner({
          doc: room.doc,
          awareness: room.awareness,
          canHost: room.canHost && typeof Worker !== 'undefined',
          active: () => currentKernelOf(room.doc, options.kind).id === 'pyodide',
          orphanNotice: room.orphanNotice,
          local: python,
          ...(options.input ? { input: options.input } : {}),
        })
      : python(options.input),
    sql: sqlRunner({
      workerURL: options.sqlWorkerURL || '/sqljs/worker.sql-wasm.js',
      lang: options.lang,
      ...(files ? { files } : {}),
    }),
    server,
  });
};
