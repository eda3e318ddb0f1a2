import { syncUrlOf } from './routes.js';

// Which sync server a notebook page connects to. A link may name another one
// (`?server=wss://…`), but the page may be about to send it a token this
// device kept (a pupil's, for 180 days): a link anyone can write must not
// carry that token to a server of their choosing. So a kept token goes only
// to the page's own server or to one the operator allowed.

/** The page's location, as far as the choice needs it. */
export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
}

/**
 * Returns the sync servers the operator allows besides the page's own: the
 * space-separated WebSocket origins of `<meta name="candyce-sync-servers">`
 * in the page (none when absent), e.g. `wss://sync.lycee.example`.
 */
export const allowedSyncServers = (doc: Pick<Document, 'querySelector'> = document): string[] =>
  (doc.querySelector('meta[name="candyce-sync-servers"]')?.getAttribute('content') ?? '')
    .split(/\s+/)
    .map(originOf)
    .filter((origin): origin is string => origin !== null);

/** The origin (`wss://host:port`) of a WebSocket URL, or null when it is not one. */
const originOf = (url: string): string | null => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'ws:' || parsed.protocol === 'wss:' ? parsed.origin : null;
  } catch {
    return null;
  }
};

/**
 * Returns the sync URL a notebook page uses: `requested` (the link's
 * `server`) when there is one and the page may send its token there, else
 * the page's own. It may when `requested` is the page's own server or an
 * allowed one, or when the token is not one this device kept but came with
 * the same link (its author holds it already). A `requested` that is not a
 * ws:/wss: URL is never used.
 */
export const syncServerFor = (
  requested: string | null,
  location: PageLocation,
  options: { tokenKept: boolean; allowed?: readonly string[] },
): string => {
  const own = syncUrlOf(location);
  if (!requested) return own;
  const origin = originOf(requested);
  if (origin === null) return own;
  if (origin === originOf(own) || (options.allowed ?? []).includes(origin)) return requested;
  return options.tokenKept ? own : requested;
};
