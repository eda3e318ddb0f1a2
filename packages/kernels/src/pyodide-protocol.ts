// What the main thread and the Pyodide worker say to each other. This file
// holds types and constants only, with no imports, because the worker is
// served on its own (see pyodide-worker.ts).

/** The signal number that asks Python to stop (KeyboardInterrupt). */
export const SIGINT = 2;
/**
 * The signal number that asks Python to hand over its buffered output now
 * (SIGUSR1): the main thread raises it while a cell runs, so a print before
 * a long computation shows without waiting for the next print.
 */
export const SIGFLUSH = 10;

/** Int32 slots of the shared control buffer. */
export const Slot = {
  /** Pyodide's interrupt buffer: a signal number, 0 when none. */
  signal: 0,
  /** 1 once the main thread has written an answer to `input()`. */
  inputReady: 1,
  /** Byte length of that answer. */
  inputLength: 2,
  /**
   * 1 once the worker has taken this run's interrupt. Pyodide clears its
   * interrupt buffer with a plain read then write, so a SIGINT stored between
   * the two is lost; the main thread stores it again until this slot says it
   * arrived.
   */
  interruptTaken: 3,
} as const;

/** Byte offset of the answer to `input()` in the control buffer. */
export const inputOffset = 16;
/** Bytes of the control buffer: the slots, then room for an answer of 64 KiB. */
export const controlBytes = inputOffset + 64 * 1024;

/** The words the worker raises in Python, chosen by the main thread. */
export interface WorkerTexts {
  inputNeedsIsolation: string;
  inputNotAvailable: string;
  /** What to do about a module that cannot be imported; `{module}` stands for its name. */
  moduleMissing: string;
}

/** Messages from the main thread to the worker. */
export type ToWorker =
  | {
      type: 'init';
      /** The URL of `pyodide.mjs` to import. */
      moduleURL: string;
      /** Pyodide's `indexURL`: where its wasm and standard library are served (a path in Node). */
      indexURL: string;
      /** A full Pyodide distribution (with `pyodide-lock.json`) to load imported packages from. */
      packageIndexURL?: string;
      /** The shared control buffer; absent when the page cannot share memory. */
      control?: SharedArrayBuffer;
      texts: WorkerTexts;
    }
  | { type: 'execute'; id: number; code: string; count: number; allowStdin: boolean }
  | { type: 'complete'; id: number; code: string; cursorPos: number }
  | { type: 'inspect'; id: number; code: string; cursorPos: number; detailLevel: number }
  /** Writes and removes data files in the working directory (one path component each). */
  | { type: 'files'; id: number; write: { name: string; bytes: Uint8Array }[]; remove: string[] };

/** The IOPub message types the worker sends. */
export type WorkerIOPubType =
  | 'stream'
  | 'display_data'
  | 'update_display_data'
  | 'execute_result'
  | 'error'
  | 'clear_output';

/** Messages from the worker to the main thread. */
export type FromWorker =
  | { type: 'ready'; pyodideVersion: string; pythonVersion: string }
  | { type: 'failed'; message: string }
  | { type: 'iopub'; id: number; msgType: WorkerIOPubType; content: { [key: string]: unknown } }
  | { type: 'input'; id: number; prompt: string; password: boolean }
  | { type: 'reply'; id: number; content: { [key: string]: unknown } }
  | { type: 'fatal'; message: string }
  /** Bytes of Pyodide's files received so far while it loads (sent every few hundred KB). */
  | { type: 'progress'; loaded: number };
