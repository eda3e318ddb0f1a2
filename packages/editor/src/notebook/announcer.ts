import type { NotebookChange } from '@candyce/model';
import { cellIdOf, cellsOf } from '@candyce/model';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import type { Translate } from '../i18n/translate.js';
import { stripAnsi } from '../render/ansi.js';
import type { ConnectionState } from '../sync/connection-state.js';
import { statusText } from '../views/status-view.js';

/**
 * What the notebook says to screen readers, in its polite live region: the
 * steps of the connection (lost, back, refused; not the first connection),
 * the end of each run with a summary of its output, and whatever else the
 * notebook announces (joins, leaves, Python loading). The host renders
 * {@link message}; the same words twice are said twice.
 */
export class Announcer implements ReactiveController {
  /** What the live region holds now. */
  message = '';
  private status: string | null = null;
  private readonly running = new Set<string>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Says `message`. */
  say(message: string): void {
    // A changed text is what screen readers announce: the same words again get a no-break space.
    this.message = this.message === message ? `${message}\u00a0` : message;
    this.host.requestUpdate();
  }

  /** Says where the connection ended up (connecting and syncing pass in a moment), not its first arrival online. */
  connection(t: Translate, state: ConnectionState): void {
    if (state.status === 'connecting' || state.status === 'syncing') return;
    const key = `${state.status}:${state.unsent ? 1 : 0}`;
    if (key === this.status) return;
    const first = this.status === null;
    this.status = key;
    if (first && state.status === 'online') return;
    this.say(statusText(t, state));
  }

  /** Forgets the runs it watched (another document). */
  reset(): void {
    this.running.clear();
  }

  /** Says which of the changed cells finished running, with a summary of what they printed. */
  runs(t: Translate, doc: Y.Doc, change: NotebookChange): void {
    const cells = cellsOf(doc);
    const ids = cells.map(cellIdOf);
    for (const id of change.cells) {
      const index = ids.indexOf(id);
      if (index < 0) continue;
      const cell = cells.get(index);
      if (cell.get('execution_state') === 'running') this.running.add(id);
      else if (this.running.delete(id))
        this.say(t('announce.finished', { n: index + 1, summary: summary(t, cell) }));
    }
  }
}

/** The first words of a cell's output: its error's name, its first text, or "no output". */
const summary = (t: Translate, cell: Y.Map<unknown>): string => {
  const outputs = cell.get('outputs') as Y.Array<unknown> | undefined;
  const list = (outputs?.toJSON() ?? []) as {
    output_type?: string;
    ename?: string;
    text?: string;
    data?: Record<string, unknown>;
  }[];
  const error = list.find((o) => o.output_type === 'error');
  if (error) return t('announce.error', { name: String(error.ename ?? '') });
  for (const o of list) {
    const text = o.output_type === 'stream' ? o.text : o.data?.['text/plain'];
    if (typeof text === 'string' && text.trim()) return stripAnsi(text).trim().slice(0, 140);
  }
  return t('announce.noOutput');
};
