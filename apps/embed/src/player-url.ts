// The address of the player page, and what its fragment carries. The token
// goes in the fragment (after `#`), which the browser never sends to a
// server: it cannot end up in an access log or a Referer header.

/** What the host tells the player through the fragment of its URL. */
export interface PlayerParams {
  /** The room (notebook) to open. */
  readonly room: string;
  /** The Candyce token minted by the host for this user and room (empty in open mode). */
  readonly token: string;
  /** The sync URL (`wss://candyce.example/sync`); empty: the server that serves the player. */
  readonly server: string;
  /** `fr` or `en`; empty: French. */
  readonly lang: string;
  /** `pyodide` (default), `server` or `none`. */
  readonly kernel: string;
}

/**
 * Returns the URL of the player page of the Candyce server at `candyce`
 * (its http(s) base URL) with `params` in the fragment.
 */
export const playerUrl = (candyce: string, params: Partial<PlayerParams> & { room: string }): string => {
  const url = new URL('/embed/player.html', candyce);
  const fragment = new URLSearchParams();
  for (const key of ['room', 'token', 'server', 'lang', 'kernel'] as const) {
    const value = params[key];
    if (value) fragment.set(key, value);
  }
  url.hash = fragment.toString();
  return url.toString();
};

/**
 * Reads the player's parameters from a URL fragment (`location.hash`).
 * Throws a RangeError when the room is missing, or when `server` is not a
 * ws: or wss: URL.
 */
export const readPlayerParams = (hash: string): PlayerParams => {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const room = q.get('room') ?? '';
  if (!room) throw new RangeError('The player URL names no room (#room=…)');
  const server = q.get('server') ?? '';
  if (server && !/^wss?:\/\//.test(server)) {
    throw new RangeError(`server ${JSON.stringify(server)} is not a ws:// or wss:// URL`);
  }
  const lang = q.get('lang') ?? '';
  return {
    room,
    token: q.get('token') ?? '',
    server,
    lang: lang === 'fr' || lang === 'en' ? lang : '',
    kernel: q.get('kernel') ?? '',
  };
};
