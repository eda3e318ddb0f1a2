// How terminals (and JupyterLab's output area) treat control characters in
// a stream: `\r` goes back to the start of the line and what follows
// overwrites it (a progress bar redraws itself), `\r\n` ends the line, `\b`
// erases the character before the cursor.

/** The line being written and where the cursor stands in it. */
export interface LineState {
  line: string;
  col: number;
}

/** What writing a chunk leaves: the lines it completed (each ending in `\n`) and the new line. */
export interface LineWrite extends LineState {
  completed: string[];
}

const LF = 10;
const CR = 13;
const BS = 8;

/**
 * Writes `chunk` at the cursor of `state`, as a terminal would, and returns
 * the lines it completed and the unfinished line with its cursor.
 */
export const writeLine = (state: LineState, chunk: string): LineWrite => {
  const completed: string[] = [];
  let line = state.line;
  let col = state.col;
  let i = 0;
  const n = chunk.length;
  while (i < n) {
    let j = i;
    while (j < n) {
      const c = chunk.charCodeAt(j);
      if (c === LF || c === CR || c === BS) break;
      j++;
    }
    if (j > i) {
      const run = chunk.slice(i, j);
      line = col === line.length ? line + run : line.slice(0, col) + run + line.slice(col + run.length);
      col += run.length;
    }
    if (j >= n) break;
    const c = chunk.charCodeAt(j);
    if (c === LF || (c === CR && chunk.charCodeAt(j + 1) === LF)) {
      completed.push(`${line}\n`);
      line = '';
      col = 0;
      if (c === CR) j++;
    } else if (c === CR) {
      col = 0;
    } else if (col > 0) {
      line = line.slice(0, col - 1) + line.slice(col);
      col--;
    }
    i = j + 1;
  }
  return { completed, line, col };
};
