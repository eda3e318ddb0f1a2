import type { Cell } from '@candyce/model';

// Cells copied with C or X, kept for V in any notebook of this page, as
// Jupyter does. Plain JSON, so pasting into another notebook works.

let held: Cell | null = null;

/** Keeps a copy of `cell` for a later paste. */
export const holdCell = (cell: Cell): void => {
  held = structuredClone(cell);
};

/** Returns a copy of the held cell, or null when nothing was copied. */
export const heldCell = (): Cell | null => (held ? structuredClone(held) : null);
