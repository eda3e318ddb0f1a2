import { type LineState, writeLine } from './terminal-line.js';

/** One edit of a text: remove `remove` characters at `index`, then insert `insert` there. */
export interface TextEdit {
  index: number;
  remove: number;
  insert: string;
}

/** Lines dropped before they reached the text (see {@link compactChunk}). */
export interface Skipped {
  lines: number;
  chars: number;
}

/** Writes the marker line that stands for the elided middle of a stream. */
export type MarkerText = (lines: number, chars: number, limit: number) => string;

// A queue of line lengths, with O(1) shift and a running total.
class LengthQueue {
  private items: number[] = [];
  private head = 0;
  total = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  at(k: number): number {
    return this.items[this.head + k] ?? 0;
  }
  push(n: number): void {
    this.items.push(n);
    this.total += n;
  }
  shift(): number {
    const n = this.items[this.head++] ?? 0;
    this.total -= n;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return n;
  }
}

/**
 * The text of one stream output, as written to the document, kept within a
 * budget. Its layout is `head | marker | tail | line`: the first lines, a
 * marker line once the middle is elided, the last complete lines, and the
 * line being written. Only lengths are kept for written lines; `write`
 * returns the edits that bring the stored text up to date, so that a
 * progress bar or a long loop changes a few characters per flush, not the
 * whole text.
 */
export class BoundedStream {
  private headLength = 0;
  private marker = '';
  private readonly lines = new LengthQueue();
  private state: LineState = { line: '', col: 0 };
  private elidedLines = 0;
  /** Characters elided so far (it grows while the stream overflows its budget). */
  elidedChars = 0;

  constructor(private readonly markerText: MarkerText) {}

  /** Returns a stream that continues `text`, already in the document (after a move, an external edit). */
  static adopt(text: string, markerText: MarkerText): BoundedStream {
    const stream = new BoundedStream(markerText);
    const { completed, line } = writeLine({ line: '', col: 0 }, text.replace(/[\r\b]/g, ' '));
    for (const l of completed) stream.lines.push(l.length);
    stream.state = { line, col: line.length };
    return stream;
  }

  /** The length of the text in the document. */
  get length(): number {
    return this.headLength + this.marker.length + this.lines.total + this.state.line.length;
  }

  /** True once the middle of the stream has been elided. */
  get elided(): boolean {
    return this.marker !== '';
  }

  /**
   * Writes `chunk` (with `\r` and `\b` applied) so that the text stays within
   * `budget` characters, and returns the edits to apply, in order, to the
   * stored text. `skipped` counts lines dropped from the chunk beforehand.
   */
  write(chunk: string, budget: number, skipped: Skipped = { lines: 0, chars: 0 }): TextEdit[] {
    const edits: TextEdit[] = [];
    const old = this.state.line;
    const lineStart = this.length - old.length;
    const { completed, line, col } = writeLine(this.state, chunk);
    const text = completed.length > 0 ? completed.join('') + line : line;
    let same = 0;
    const max = Math.min(old.length, text.length);
    while (same < max && old.charCodeAt(same) === text.charCodeAt(same)) same++;
    if (same < old.length || same < text.length)
      edits.push({ index: lineStart + same, remove: old.length - same, insert: text.slice(same) });
    for (const l of completed) this.lines.push(l.length);
    this.state = { line, col };
    this.elidedLines += skipped.lines;
    this.elidedChars += skipped.chars;
    if (this.length > budget || skipped.chars > 0) edits.push(...this.bound(budget));
    return edits;
  }

  // Elides the middle so that the text fits `budget`: the head is frozen at
  // the first elision, then the tail loses its oldest lines.
  private bound(budget: number): TextEdit[] {
    const edits: TextEdit[] = [];
    if (!this.elided) {
      const headBudget = Math.floor(budget / 2);
      let head = 0;
      while (this.lines.size > 0 && head + this.lines.at(0) <= headBudget) head += this.lines.shift();
      this.headLength = head;
    }
    // Reserve room for the marker as it will read once this call is done.
    const reserve = this.markerText(
      this.elidedLines + this.lines.size + 1,
      this.elidedChars + this.lines.total + this.state.line.length,
      budget,
    ).length;
    const tailBudget = Math.max(0, budget - this.headLength - reserve);
    const tailStart = this.headLength + this.marker.length;
    let dropChars = 0;
    let dropLines = 0;
    while (this.lines.size > 0 && this.lines.total + this.state.line.length > tailBudget) {
      dropChars += this.lines.shift();
      dropLines++;
    }
    const trim = this.lines.size === 0 ? Math.max(0, this.state.line.length - tailBudget) : 0;
    // Later positions first, so that earlier indexes stay valid.
    if (trim > 0) edits.push({ index: tailStart + dropChars, remove: trim, insert: '' });
    if (dropChars > 0) edits.push({ index: tailStart, remove: dropChars, insert: '' });
    if (trim > 0) this.state = { line: this.state.line.slice(trim), col: Math.max(0, this.state.col - trim) };
    this.elidedLines += dropLines;
    this.elidedChars += dropChars + trim;
    const marker = this.markerText(this.elidedLines, this.elidedChars, budget);
    if (marker !== this.marker) {
      edits.push({ index: this.headLength, remove: this.marker.length, insert: marker });
      this.marker = marker;
    }
    return edits;
  }
}

/**
 * Drops the middle of a chunk far larger than `keep` characters, on line
 * boundaries, so that a flood of output costs bounded memory and work
 * before it reaches the document. Whole lines between two newlines do not
 * affect each other (`\r` and `\b` stop at a newline), so the rest is
 * written as if they had been. Returns the kept text and what was dropped.
 */
export const compactChunk = (chunk: string, keep: number): { text: string; skipped: Skipped } => {
  if (chunk.length <= 4 * keep) return { text: chunk, skipped: { lines: 0, chars: 0 } };
  const first = chunk.indexOf('\n', keep);
  const last = chunk.lastIndexOf('\n', chunk.length - keep);
  let from: number;
  let to: number;
  if (first >= 0 && last > first) {
    from = first + 1;
    to = last + 1;
  } else {
    from = keep;
    to = chunk.length - keep;
  }
  const middle = chunk.slice(from, to);
  let lines = 0;
  for (let i = middle.indexOf('\n'); i >= 0; i = middle.indexOf('\n', i + 1)) lines++;
  return { text: chunk.slice(0, from) + chunk.slice(to), skipped: { lines, chars: middle.length } };
};
