// Fixtures of the classroom tests: a JSON client of the HTTP API, a small
// notebook, and edits of notebook cells through the stock client's document.
import { cellsOf, findCell, sourceOf } from '@candyce/model';
import type * as Y from 'yjs';
import { connect, onTeardown, synced, type TestClient, waitFor } from '../../../server/test/helpers.js';

/** The notebook of the test activities: a statement and two code cells. */
export const lesson = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { id: 'statement', cell_type: 'markdown', metadata: {}, source: '# Fractions\nAdd 1/2 and 1/3.' },
    { id: 'answer', cell_type: 'code', metadata: {}, execution_count: null, source: '', outputs: [] },
    { id: 'check', cell_type: 'code', metadata: {}, execution_count: null, source: 'print(1)', outputs: [] },
  ],
};

/** A JSON answer of the API: its shape is what the assertions check. */
// biome-ignore lint/suspicious/noExplicitAny: answers are read as loosely as JSON and checked by assertions.
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the HTTP API with a JSON body, a bearer token and a language; parses JSON answers. */
export const call = async <T = Json>(
  http: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; lang?: string } = {},
): Promise<Reply<T>> => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.lang) headers['accept-language'] = options.lang;
  const res = await fetch(`${http}${path}`, {
    method,
    headers,
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return {
    status: res.status,
    body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
    headers: res.headers,
  };
};

/** Creates an activity and returns the answer's body (fails the test on anything but 201). */
export const createActivity = async (
  http: string,
  body: Record<string, unknown>,
  token?: string,
): Promise<Json> => {
  const reply = await call(http, 'POST', '/api/activities', { body, ...(token ? { token } : {}) });
  if (reply.status !== 201) throw new Error(`create answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
};

/** Joins an activity and returns the answer's body (fails the test on anything but 200). */
export const joinActivity = async (http: string, body: Record<string, unknown>): Promise<Json> => {
  const reply = await call(http, 'POST', '/api/join', { body });
  if (reply.status !== 200) throw new Error(`join answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
};

/** Connects the stock client to a room with a token and waits for the sync. */
export const open = async (ws: string, room: string, token: string): Promise<TestClient> => {
  const client = connect(ws, room, token);
  await synced(client);
  return client;
};

/** Returns the source of a cell of a document ('' when absent). */
export const sourceIn = (doc: Y.Doc, cellId: string): string => {
  const cell = findCell(doc, cellId);
  return cell ? sourceOf(cell).toString() : '';
};

/** Appends text to a cell's source in a client's document. */
export const typeIn = (client: TestClient, cellId: string, text: string): void => {
  const cell = findCell(client.doc, cellId);
  if (!cell) throw new Error(`no cell ${cellId} in ${client.provider.roomname}`);
  const source = sourceOf(cell);
  source.insert(source.length, text);
};

/** Returns the ids of the cells of a document. */
export const cellIdsIn = (doc: Y.Doc): string[] =>
  cellsOf(doc)
    .toArray()
    .map((c) => String(c.get('id')));

/** Waits until the server's copy of a room (loaded) satisfies a condition on its document. */
export const waitForRoom = async (
  server: { rooms: { peek(name: string): Promise<{ doc: Y.Doc } | null> } },
  room: string,
  condition: (doc: Y.Doc) => boolean,
  what: string,
): Promise<void> =>
  waitFor(async () => {
    const loaded = await server.rooms.peek(room);
    return loaded !== null && condition(loaded.doc);
  }, what);

/** One Server-Sent Event. */
export interface ServerEvent {
  event: string;
  data: Json;
}

/** An open event stream: the events received so far, in order. */
export interface EventStream {
  status: number;
  events: ServerEvent[];
  close(): void;
}

/** Opens `/api/activities/<id>/events` with fetch (the token in the Authorization header) and collects its events. */
export const openEvents = async (http: string, path: string, token?: string): Promise<EventStream> => {
  const controller = new AbortController();
  const res = await fetch(`${http}${path}`, {
    signal: controller.signal,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  const events: ServerEvent[] = [];
  const stream: EventStream = { status: res.status, events, close: () => controller.abort() };
  onTeardown(() => controller.abort());
  if (!res.ok || !res.body) return stream;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Aborted at teardown.
    }
  })();
  return stream;
};
