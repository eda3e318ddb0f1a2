/** The pages of the web app. */
export type Route = { page: 'home' } | { page: 'notebook'; room: string };

/** Returns the page of a path: `/n/<room>` is a notebook, anything else the home page. */
export const routeOf = (pathname: string): Route => {
  const match = /^\/n\/([^/]+)\/?$/.exec(pathname);
  if (!match) return { page: 'home' };
  try {
    return { page: 'notebook', room: decodeURIComponent(match[1]!) };
  } catch {
    return { page: 'home' };
  }
};

/** Returns the path of the notebook page of `room`. */
export const notebookPath = (room: string): string => `/n/${encodeURIComponent(room)}`;

/** Returns true when `room` is a name the home form accepts. */
export const isRoomName = (room: string): boolean => /^[\p{L}\p{N}_-]{1,100}$/u.test(room);

/** Returns the sync WebSocket URL of the server that serves the page. */
export const syncUrlOf = (location: { protocol: string; host: string }): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
