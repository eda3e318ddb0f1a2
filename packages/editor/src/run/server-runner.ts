import { readErrorBody } from '@candyce/protocol';
import type * as Y from 'yjs';
import { type CellRunner, RunError, type RunRefusal, type RunState } from './cell-runner.js';
import { executedInOrder } from './executed-order.js';

/** Returns the HTTP base URL (`http://host:port`) of a sync WebSocket URL (`ws://host:port/sync`). */
export const httpBaseOf = (server: string): string => {
  const url = new URL(server);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = url.pathname.replace(/\/sync\/?$/, '');
  return url.toString().replace(/\/$/, '');
};

/** Returns what an HTTP status of the execute endpoint means for the user. */
export const refusalOf = (status: number): RunRefusal =>
  status === 501
    ? 'not-configured'
    : status === 401
      ? 'unauthorized'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'not-found'
          : 'failed';

interface Waiting {
  cellId: string;
  /** The first cell of a re-run: the server then ends its "variables lost" notice. */
  rerun?: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Returns a runner that asks the Candyce server to run cells on the room's
 * server-side kernel (`POST /api/notebooks/<room>/execute`, which answers
 * when the run has ended); the server writes the outputs into the shared
 * document. Cells asked together go one after the other; a refusal (no
 * kernel on the server, no rights, no network) rejects with a
 * {@link RunError} and cancels the cells still waiting. Interrupting cancels
 * the waiting cells and asks `POST /api/notebooks/<room>/interrupt` to
 * interrupt the running one (a server without that endpoint lets it end).
 * Restarting asks `POST /api/notebooks/<room>/restart`; a re-run tells the
 * server, which then ends the room's "variables lost" notice.
 */
export function serverRunner(server: string, room: string, token: string, userName = ''): CellRunner {
  const url = `${httpBaseOf(server)}/api/notebooks/${encodeURIComponent(room)}/execute`;
  const waiting: Waiting[] = [];
  const listeners = new Set<(state: RunState) => void>();
  let running: string | null = null;
  let pumping = false;

  const changed = () => {
    const state = { running, queued: waiting.map((w) => w.cellId) };
    for (const listener of listeners) listener(state);
  };

  const post = async (cellId: string, rerun: boolean): Promise<void> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      const body = rerun ? { cell_id: cellId, rerun: true } : { cell_id: cellId };
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    } catch (err) {
      throw new RunError('unreachable', err instanceof Error ? err.message : String(err));
    }
    if (response.ok) {
      const body = (await response.json().catch(() => ({}))) as { status?: string };
      if (body.status === 'error') throw new CellFailed();
      return;
    }
    // Not JSON: the status line says enough.
    const detail =
      readErrorBody(await response.json().catch(() => null)).error ??
      `${response.status} ${response.statusText}`;
    throw new RunError(refusalOf(response.status), detail, response.status);
  };

  const cancelWaiting = () => {
    for (const w of waiting.splice(0)) w.resolve();
  };

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      for (let next = waiting.shift(); next; next = waiting.shift()) {
        running = next.cellId;
        changed();
        try {
          await post(next.cellId, next.rerun === true);
          next.resolve();
        } catch (err) {
          // A cell that ended in an error stops "run all"; its traceback is in the document already.
          cancelWaiting();
          if (err instanceof CellFailed) next.resolve();
          else next.reject(err);
        }
        running = null;
        changed();
      }
    } finally {
      pumping = false;
    }
  };

  const runCells = async (_doc: Y.Doc, cellIds: readonly string[], rerun = false): Promise<void> => {
    const runs = cellIds
      .filter((id) => id !== running && !waiting.some((w) => w.cellId === id))
      .map(
        (cellId, i) =>
          new Promise<void>((resolve, reject) => {
            waiting.push({ cellId, resolve, reject, ...(rerun && i === 0 ? { rerun: true } : {}) });
          }),
      );
    changed();
    void pump();
    await Promise.all(runs);
  };

  return {
    kind: 'server',
    available: true,
    run: ({ doc, cellId }) => runCells(doc, [cellId]),
    runCells: (doc, cellIds) => runCells(doc, cellIds),
    rerun: (doc) => runCells(doc, executedInOrder(doc), true),
    restart() {
      cancelWaiting();
      changed();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      // With a token the server names who restarted from it; without (open mode) it takes this name.
      const body = JSON.stringify(token ? {} : { by: userName });
      fetch(url.replace(/\/execute$/, '/restart'), { method: 'POST', headers, body }).catch(() => undefined);
    },
    interrupt() {
      cancelWaiting();
      changed();
      // Interrupts the running cell on servers that offer it; elsewhere the cell runs to its end.
      if (running === null) return;
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      fetch(url.replace(/\/execute$/, '/interrupt'), { method: 'POST', headers }).catch(() => undefined);
    },
    onChange(listener) {
      listeners.add(listener);
      listener({ running, queued: waiting.map((w) => w.cellId) });
      return () => listeners.delete(listener);
    },
    dispose() {
      cancelWaiting();
      listeners.clear();
    },
  };
}

/** A run that ended with an error in the cell (already shown there): not a refusal. */
class CellFailed extends Error {}
