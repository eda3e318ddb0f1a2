import type { Comment, CopyRow, CopyState, CopyStatus } from '@candyce/classroom/wire';
import { readErrorBody } from '@candyce/protocol';
import type { ActivityMode } from './format.js';

// The classroom HTTP API as the pages use it (docs/API.md): typed calls,
// errors as ApiError with the server's stable code, live events through
// EventSource. Every call sends the page's language so that the server's
// messages come back in it.

/** An activity as its teacher sees it. */
export interface Activity {
  id: string;
  title: string;
  mode: ActivityMode;
  code: string;
  deadline: string | null;
  locked: boolean;
  joinOpen: boolean;
  /** Most copies the activity holds. */
  maxCopies?: number;
  createdAt?: string;
  templateRoom: string;
}

/** What creating an activity returns. */
export interface CreatedActivity {
  id: string;
  title: string;
  mode: ActivityMode;
  code: string;
  deadline: string | null;
  teacherToken: string;
  /** The teacher code (`ABCDE-FGHJK`), shown once: it recovers the activity on another computer. */
  teacherCode?: string;
  teacherName?: string;
  templateRoom: string;
  joinPath: string;
  teacherPath: string;
}

/** What recovering an activity with its teacher code returns. */
export interface RecoveredActivity {
  id: string;
  title: string;
  mode: ActivityMode;
  code: string;
  teacherToken: string;
  teacherPath: string;
}

/** What joining returns. */
export interface Joined {
  activity: { id: string; title: string; mode: ActivityMode; deadline: string | null };
  pupil: { id: string; name: string };
  /** In a demonstration, `id` is null and `room` is the template. */
  copy: { id: string | null; room: string; pairCode?: string | null };
  token: string;
  /** The pupil's personal code, given once: at their first join. */
  resumeCode?: string;
}

/** What the join page learns of a join code before joining. */
export interface JoinPeek {
  activity: { title: string; mode: ActivityMode; open: boolean };
}

/** A member of a copy (a pupil), as a dashboard row lists it. */
export type Member = CopyRow['members'][number];

export type { CopyRow, CopyStatus };

/** A comment on a cell, as the API stores it. */
export type ApiComment = Comment;

/** A cell in the preview of a push. */
export interface PreviewCell {
  id: string;
  type: string;
  excerpt: string;
}

/** What a push would change in the copies, since the previous push. */
export interface PushPreview {
  since: string | null;
  added: PreviewCell[];
  changed: PreviewCell[];
  removed: PreviewCell[];
  copies: number;
}

/**
 * An error answered by the API: the HTTP status, the stable `code` (for
 * example `unknown-code`, `pair-full`) and the server's sentence, already in
 * the page's language. A network failure has status 0 and code `network`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where and how the pages call the API. */
export interface ApiOptions {
  /** The server's origin (empty: the page's own). */
  base?: string;
  lang: 'fr' | 'en';
  token?: string;
}

/**
 * A random id of this browser, kept in localStorage: the server counts wrong
 * join codes per browser, so that one pupil guessing codes does not lock out
 * the rest of a class behind the same school address.
 */
const deviceId = (): string | null => {
  try {
    let id = localStorage.getItem('candyce-device');
    if (!id) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem('candyce-device', id);
    }
    return id;
  } catch {
    return null;
  }
};

const request = async <T>(
  o: ApiOptions,
  method: string,
  path: string,
  body?: unknown,
  accept = 'application/json',
): Promise<T> => {
  const headers: Record<string, string> = { accept, 'accept-language': o.lang };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const device = path === '/api/join' ? deviceId() : null;
  if (device) headers['x-candyce-device'] = device;
  let response: Response;
  try {
    response = await fetch(`${o.base ?? ''}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) {
    // Not JSON (a proxy's page): the status says enough.
    const said = readErrorBody(await response.json().catch(() => null));
    throw new ApiError(
      response.status,
      said.code ?? `http-${response.status}`,
      said.error ?? response.statusText,
    );
  }
  if (accept !== 'application/json') return (await response.text()) as T;
  return (await response.json()) as T;
};

const enc = encodeURIComponent;
const act = (id: string) => `/api/activities/${enc(id)}`;

/** The calls of the classroom API, bound to one page's language and token. */
export const classroomApi = (o: ApiOptions) => ({
  createActivity: (body: {
    title: string;
    mode: ActivityMode;
    deadline: string | null;
    notebook?: unknown;
    maxCopies?: number;
    teacherName?: string;
    /** An id of `GET /api/kernels` (`pyodide`, `sql`, `server:<name>`). */
    kernel?: string;
  }) => request<CreatedActivity>(o, 'POST', '/api/activities', body),
  /** What the deployment offers to run notebooks with (the body of `GET /api/kernels`). */
  kernels: () => request<unknown>(o, 'GET', '/api/kernels'),
  recover: (code: string) => request<RecoveredActivity>(o, 'POST', '/api/recover', { code }),
  join: (body: { code: string; name?: string; pairCode?: string; resumeCode?: string }) =>
    request<Joined>(o, 'POST', '/api/join', body),
  /** The title and mode of the activity of a join code (before joining). */
  peek: (code: string) => request<JoinPeek>(o, 'GET', `/api/join?code=${enc(code)}`),
  /** A new personal code for the pupil `member` of a copy (the old one stops working). */
  newResumeCode: (id: string, copy: string, member?: string) =>
    request<{ member: string; name: string; resumeCode: string }>(
      o,
      'POST',
      `${act(id)}/copies/${enc(copy)}/resume-code`,
      member ? { member } : {},
    ),
  activity: (id: string) => request<Activity>(o, 'GET', act(id)),
  updateActivity: (
    id: string,
    body: {
      title?: string;
      deadline?: string | null;
      locked?: boolean;
      joinOpen?: boolean;
      maxCopies?: number;
    },
  ) => request<Activity>(o, 'PATCH', act(id), body),
  copies: (id: string) => request<{ copies: CopyRow[] }>(o, 'GET', `${act(id)}/copies`),
  createCopy: (id: string, label: string) =>
    request<{ id: string; room: string; label: string; pairCode: string }>(o, 'POST', `${act(id)}/copies`, {
      label,
    }),
  copyStatus: (id: string, copy: string) => request<CopyStatus>(o, 'GET', `${act(id)}/copies/${enc(copy)}`),
  updateCopy: (id: string, copy: string, body: { state?: CopyState; grade?: string | null }) =>
    request<unknown>(o, 'PATCH', `${act(id)}/copies/${enc(copy)}`, body),
  setStates: (id: string, copies: string[] | 'all', state: CopyState) =>
    request<unknown>(o, 'PATCH', `${act(id)}/copies`, { copies, state }),
  handIn: (id: string, copy: string) =>
    request<{ handinId: string; at: string }>(o, 'POST', `${act(id)}/copies/${enc(copy)}/handin`),
  handins: (id: string, copy: string) =>
    request<{ handins: { id: string; at: string }[] }>(o, 'GET', `${act(id)}/copies/${enc(copy)}/handins`),
  /** The .ipynb of a hand-in, as text (it is downloaded as it is). */
  handinNotebook: (id: string, copy: string, handinId: string) =>
    request<string>(
      o,
      'GET',
      `${act(id)}/copies/${enc(copy)}/handins/${enc(handinId)}`,
      undefined,
      'application/x-ipynb+json',
    ),
  addComment: (id: string, copy: string, cellId: string, text: string) =>
    request<ApiComment>(o, 'POST', `${act(id)}/copies/${enc(copy)}/comments`, { cell_id: cellId, text }),
  deleteComment: (id: string, copy: string, commentId: string) =>
    request<unknown>(o, 'DELETE', `${act(id)}/copies/${enc(copy)}/comments/${enc(commentId)}`),
  pushPreview: (id: string) => request<PushPreview>(o, 'GET', `${act(id)}/push`),
  /** Pushes the whole template, or only the cells `cells`. */
  push: (id: string, cells?: string[]) =>
    request<{ copies: number; cells?: string[] }>(
      o,
      'POST',
      `${act(id)}/push`,
      cells ? { cells } : undefined,
    ),
  /** Removes a copy for good (its room, grade, comments and hand-ins). */
  removeCopy: (id: string, copy: string) => request<unknown>(o, 'DELETE', `${act(id)}/copies/${enc(copy)}`),
  /** Revokes every teacher link of the activity; resolves to the new teacher token. */
  revokeLinks: (id: string) => request<{ teacherToken: string }>(o, 'POST', `${act(id)}/revoke`),
  gradesCsv: (id: string) => request<string>(o, 'GET', `${act(id)}/grades.csv`, undefined, 'text/csv'),
});

/** The classroom API of one page. */
export type ClassroomApi = ReturnType<typeof classroomApi>;

/** Where an activity's live events come from, and the token that opens them (sent as a header). */
export interface EventsSource {
  readonly url: string;
  readonly token: string;
}

/**
 * The live events of an activity. The token travels in the Authorization
 * header, never in the URL (URLs end up in proxy logs), so the stream is read
 * with fetch rather than EventSource, which cannot send headers.
 */
export const eventsUrl = (base: string, id: string, token: string): EventsSource => ({
  url: `${base}${act(id)}/events`,
  token,
});
