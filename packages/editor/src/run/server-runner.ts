import type { CellRunner } from './cell-runner.js';

/** Returns the HTTP base URL (`http://host:port`) of a sync WebSocket URL (`ws://host:port/sync`). */
export const httpBaseOf = (server: string): string => {
  const url = new URL(server);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = url.pathname.replace(/\/sync\/?$/, '');
  return url.toString().replace(/\/$/, '');
};

/**
 * Returns a runner that asks the Candyce server to run cells on the room's
 * server-side kernel (`POST /api/notebooks/<room>/execute`); the server writes
 * the outputs into the shared document.
 */
export function serverRunner(server: string, room: string, token: string): CellRunner {
  const url = `${httpBaseOf(server)}/api/notebooks/${encodeURIComponent(room)}/execute`;
  return {
    kind: 'server',
    available: true,
    async run({ cellId }) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ cell_id: cellId }),
      });
      if (!response.ok) {
        let reason = `${response.status} ${response.statusText}`;
        try {
          const body = (await response.json()) as { error?: string };
          if (body.error) reason = body.error;
        } catch {
          // The status line says enough.
        }
        throw new Error(reason);
      }
    },
  };
}
