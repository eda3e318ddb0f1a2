import type * as Y from 'yjs';

/** The kernels a notebook can run its code with (the `kernel` attribute). */
export type KernelKind = 'pyodide' | 'server' | 'none';

/** One request to run a code cell. */
export interface RunRequest {
  doc: Y.Doc;
  cellId: string;
  /** The source to run, as the user saw it when asking. */
  code: string;
}

/**
 * Runs code cells. Outputs never come back through this interface: whoever
 * runs the cell writes them into the shared document (the @candyce/kernels
 * doc writer), so that every collaborator sees them, live. The editor shows
 * only what is in the document, and never makes an output up.
 */
export interface CellRunner {
  readonly kind: KernelKind;
  /** False when this notebook cannot run code (no kernel); the Run buttons say so. */
  readonly available: boolean;
  /** Starts running a cell; resolves when the kernel has accepted (not finished) it, rejects with a reason to show. */
  run(request: RunRequest): Promise<void>;
  /** Interrupts the running cell, when the kernel can. */
  interrupt?(): void;
  /** Releases the kernel. */
  dispose?(): void;
}

/** A runner for notebooks without a kernel: nothing runs, and the editor says so. */
export const noRunner: CellRunner = {
  kind: 'none',
  available: false,
  run: () => Promise.reject(new Error('No kernel: this notebook cannot run code')),
};
