import { readErrorBody } from '@candyce/protocol';
// Getting the host's room ready before the notebook connects to it: a new
// or empty room gets the content the host gave (PUT /api/notebooks/<room>);
// a room that already has cells keeps them, because the live room is the
// truth (other people may be in it) and the host's copy only a snapshot.

/** Why the room could not be made ready, for the message shown and the error the host gets. */
export class RoomError extends Error {
  override readonly name = 'RoomError';
  constructor(
    readonly kind: 'unauthorized' | 'forbidden' | 'badContent' | 'network' | 'server',
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${kind} (${status}): ${detail}`);
  }
}

/** What became of the room. */
export type RoomOutcome =
  /** The room had cells: it was left as it is. */
  | 'kept'
  /** The room was created or filled with the host's content. */
  | 'filled'
  /** The token cannot write and the room is new: the content is shown in this page only. */
  | 'local';

/** A notebook with no cells (nbformat 4.5), for a new activity. */
export const blankNotebook = (): object => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
    language_info: { name: 'python' },
  },
  cells: [],
});

const errorOf = async (response: Response): Promise<RoomError> => {
  // Not JSON: keep the status text.
  const detail = readErrorBody(await response.json().catch(() => null)).error ?? response.statusText;
  const kind =
    response.status === 401
      ? 'unauthorized'
      : response.status === 403
        ? 'forbidden'
        : response.status === 400 || response.status === 413
          ? 'badContent'
          : 'server';
  return new RoomError(kind, response.status, detail);
};

/**
 * Makes `room` of the server at `httpBase` ready for `content` (null: a new
 * activity, a blank notebook), with `token` as a Bearer token (none in open
 * mode). Rejects with a {@link RoomError}.
 */
export const prepareRoom = async (
  httpBase: string,
  room: string,
  token: string,
  content: object | null,
  fetchImpl: typeof fetch = fetch,
): Promise<RoomOutcome> => {
  const url = `${httpBase}/api/notebooks/${encodeURIComponent(room)}`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = async (init: RequestInit) => {
    try {
      return await fetchImpl(url, { ...init, headers, cache: 'no-store' });
    } catch (err) {
      throw new RoomError('network', 0, (err as Error).message);
    }
  };
  const current = await request({ method: 'GET' });
  if (current.ok) {
    const notebook = (await current.json()) as { cells?: unknown[] };
    if ((notebook.cells?.length ?? 0) > 0 || content === null) return 'kept';
  } else if (current.status !== 404) {
    throw await errorOf(current);
  }
  const put = await request({ method: 'PUT', body: JSON.stringify(content ?? blankNotebook()) });
  if (put.ok) return 'filled';
  if (put.status === 403) return 'local';
  throw await errorOf(put);
};
