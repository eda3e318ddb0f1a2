import { readErrorBody } from '@candyce/protocol';
import type * as Y from 'yjs';
import { type CellRunner, RunError, type RunRefusal, type RunState } from './cell-runner.js';

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
 */
export function serverRunner(server: string, room: string, token: string): CellRunner {
  const url = `${httpBaseOf(server)}/api/notebooks/${encodeURIComponent(room)}/execute`;
  const waiting: Waiting[] = [];
  const listeners = new Set<(state: RunState) => void>();
  let running: string | null = null;
  let pumping = false;

  const changed = () => {
    const state = { running, queued: waiting.map((w) => w.cellId) };
    for (const listener of listeners) listener(state);
  };

  const post = async (cellId: string): Promise<void> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ cell_id: cellId }) });
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
          await post(next.cellId);
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

  const runCells = async (_doc: Y.Doc, cellIds: readonly string[]): Promise<void> => {
    const runs = cellIds
      .filter((id) => id !== running && !waiting.some((w) => w.cellId === id))
      .map(
        (cellId) =>
          new Promise<void>((resolve, reject) => {
            waiting.push({ cellId, resolve, reject });
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
    runCells,
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
