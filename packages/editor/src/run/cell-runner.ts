import type * as Y from 'yjs';
import type { SharedKernelView } from './shared-kernel.js';

/** The kernels a notebook can run its code with (the `kernel` attribute). */
export type KernelKind = 'pyodide' | 'server' | 'none';

/** One request to run a code cell. */
export interface RunRequest {
  doc: Y.Doc;
  cellId: string;
  /** The source to run, as the user saw it when asking. */
  code: string;
}

/** What this browser's runner is doing: the cell it runs and those waiting their turn. */
export interface RunState {
  running: string | null;
  queued: readonly string[];
}

/**
 * Where this browser's kernel is in its start: `loading` while it downloads
 * (`loaded` bytes of `total`, 0 when unknown), `ready` once it runs code,
 * `failed` when it could not start; `idle` before anyone ran a cell.
 */
export type KernelLoad =
  | { state: 'idle' }
  | { state: 'loading'; loaded: number; total: number }
  | { state: 'ready' }
  | { state: 'failed' };

/** An `input()` of running code that waits for an answer from this user. */
export interface InputRequest {
  /** The cell whose code asks (null when the runner cannot tell). */
  cellId: string | null;
  /** What the code printed as its question (`input("Nom ? ")`), possibly empty. */
  prompt: string;
  /** True for `getpass()`: the answer is not shown. */
  password: boolean;
  /** Aborted when the run ended (interrupted, failed) before an answer came. */
  signal: AbortSignal;
}

/**
 * Asks the user the question of an `input()`; resolves with the answer, or
 * rejects when the user cancels (the run is then interrupted).
 */
export type InputHandler = (request: InputRequest) => Promise<string>;

/** Why a run was refused, so that the editor can say it in the user's language. */
export type RunRefusal =
  | 'not-configured'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'unreachable'
  | 'failed';

/** A run refused before any output could be written (no kernel on the server, no rights, no network). */
export class RunError extends Error {
  override readonly name = 'RunError';
  constructor(
    /** What went wrong, as a key the editor translates. */
    readonly refusal: RunRefusal,
    /** The detail the server or the network gave, in English, for developers. */
    readonly detail: string,
    /** The HTTP status, when there was one. */
    readonly status?: number,
  ) {
    super(`Run refused (${refusal}${status ? `, HTTP ${status}` : ''}): ${detail}`);
  }
}

/**
 * Runs code cells. Outputs never come back through this interface: whoever
 * runs the cell writes them into the shared document (the @candyce/kernels
 * doc writer), so that every collaborator sees them. The editor shows only
 * what is in the document, and never makes an output up.
 */
export interface CellRunner {
  readonly kind: KernelKind;
  /** False when this notebook cannot run code (no kernel); the Run buttons say so. */
  readonly available: boolean;
  /** Queues one cell; resolves when it is queued or ran, rejects with a reason to show (often a {@link RunError}). */
  run(request: RunRequest): Promise<void>;
  /** Queues cells in the given order ("run all", "run below"); stops at the first error, as Jupyter does. */
  runCells(doc: Y.Doc, cellIds: readonly string[]): Promise<void>;
  /** Cancels the queued cells and interrupts the running one, when the kernel can. */
  interrupt?(): void;
  /** Calls `listener` whenever the running or queued cells of this browser change; returns a function that stops it. */
  onChange?(listener: (state: RunState) => void): () => void;
  /** Calls `listener` with the kernel's start (and its download's progress) as it changes; returns a function that stops it. */
  onKernel?(listener: (load: KernelLoad) => void): () => void;
  /** True for a runner whose kernel is the room's, shared by every browser present (see shared-kernel.ts). */
  readonly shared?: boolean;
  /** Runs again the cells already run, in the order of their execution counts (after the kernel lost its variables). */
  rerun?(doc: Y.Doc): Promise<void>;
  /** Restarts the kernel `doc` runs on: its variables are gone, for everyone who shares it. */
  restart?(doc: Y.Doc): void;
  /** Tells the runner whether this browser is connected to the room's server. */
  setOnline?(online: boolean): void;
  /** Calls `listener` with where the room's kernel runs and its state as they change; returns a function that stops it. */
  onShared?(listener: (view: SharedKernelView) => void): () => void;
  /** Releases the kernel. */
  dispose?(): void;
}

const refuse = () =>
  Promise.reject(new RunError('not-configured', 'No kernel: this notebook cannot run code'));

/** A runner for notebooks without a kernel: nothing runs, and the editor says so. */
export const noRunner: CellRunner = {
  kind: 'none',
  available: false,
  run: refuse,
  runCells: refuse,
};
