import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Keeps one known warning of @jupyter/ydoc 4 out of the test logs: its
 * `createCell` reads the Y.Map of a cell before inserting it into a document,
 * and Yjs warns "Invalid access: Add Yjs type to a document before reading
 * data." for every cell it makes. Other warnings still print. Call it at the
 * top of a describe block.
 */
export const quietJupyterWarnings = (): void => {
  beforeEach(() => {
    const warn = console.warn.bind(console);
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!args.some((a) => String(a).includes('Invalid access: Add Yjs type'))) warn(...args);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
};
