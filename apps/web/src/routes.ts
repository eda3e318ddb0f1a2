import { roomNameProblem } from '@candyce/protocol';
/** The pages of the web app. */
export type Route =
  | { page: 'home' }
  | { page: 'notebook'; room: string }
  | { page: 'join'; code: string }
  | { page: 'dashboard'; activityId: string };

const decode = (part: string): string | null => {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
};

/**
 * Returns the page of a path: `/n/<room>` is a notebook, `/j` and
 * `/j/<CODE>` the join form, `/a/<id>` an activity's dashboard, anything else
 * the home page.
 */
export const routeOf = (pathname: string): Route => {
  const notebook = /^\/n\/([^/]+)\/?$/.exec(pathname);
  if (notebook) {
    const room = decode(notebook[1]!);
    return room === null ? { page: 'home' } : { page: 'notebook', room };
  }
  const join = /^\/j(?:\/([^/]*))?\/?$/.exec(pathname);
  if (join) return { page: 'join', code: decode(join[1] ?? '') ?? '' };
  const dashboard = /^\/a\/([a-z2-7]{10})\/?$/.exec(pathname);
  if (dashboard) return { page: 'dashboard', activityId: dashboard[1]! };
  return { page: 'home' };
};

/** Returns the path of the notebook page of `room`. */
export const notebookPath = (room: string): string => `/n/${encodeURIComponent(room)}`;

/** Returns the path of the join page, with the code when known. */
export const joinPath = (code = ''): string => (code ? `/j/${encodeURIComponent(code)}` : '/j');

/** Returns the path of an activity's dashboard. */
export const dashboardPath = (activityId: string): string => `/a/${encodeURIComponent(activityId)}`;

/** Returns `path` with a token in its fragment (a fragment never reaches a server log). */
export const withToken = (path: string, token: string): string =>
  `${path}#token=${encodeURIComponent(token)}`;

/**
 * Returns true when `room` is a name the home form accepts: exactly the names
 * the server accepts (one rule, in @candyce/protocol), so that a name the form
 * lets through never ends in a refused connection.
 */
export const isRoomName = (room: string): boolean => roomNameProblem(room) === null;

/** Returns the sync WebSocket URL of the server that serves the page. */
export const syncUrlOf = (location: { protocol: string; host: string }): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
