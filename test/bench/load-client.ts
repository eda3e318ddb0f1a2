// A lightweight simulated pupil: one WebSocket, one Y.Doc holding only its own
// keystrokes (it never integrates the others' updates unless asked to), and
// counters. Latency is measured with a side map shared by the clients of one
// generator process: the typist records when it sent the keystroke of
// (client id, clock), and sampling receivers find those keys in the updates
// they receive (Y.parseUpdateMeta), so nothing is embedded in the text.
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  type Dialect,
  decodeFrame,
  encodeAwareness,
  encodeHello,
  encodeSync,
  messageSync,
  roomUrl,
  syncStep1,
  syncStep2,
  syncUpdate,
} from './wire.js';

/** What all clients of one generator process share: the side map and the counters. */
export interface Ledger {
  sentAt: Map<string, number>;
  latencies: number[];
  keystrokes: number;
  awarenessUpdates: number;
  bytesUp: number;
  bytesDown: number;
  messagesUp: number;
  messagesDown: number;
  updatesDown: number;
  /** Bytes of the sync update messages only (keystrokes), without awareness or acknowledgements. */
  updateBytesUp: number;
  updateBytesDown: number;
  errors: string[];
  disconnects: number;
}

/** Returns an empty ledger. */
export const createLedger = (): Ledger => ({
  sentAt: new Map(),
  latencies: [],
  keystrokes: 0,
  awarenessUpdates: 0,
  bytesUp: 0,
  bytesDown: 0,
  messagesUp: 0,
  messagesDown: 0,
  updatesDown: 0,
  updateBytesUp: 0,
  updateBytesDown: 0,
  errors: [],
  disconnects: 0,
});

/** Zeroes the counters of a ledger (after the warm-up). */
export const resetLedger = (ledger: Ledger): void => {
  Object.assign(ledger, { ...createLedger(), sentAt: ledger.sentAt, errors: ledger.errors });
  ledger.disconnects = 0;
};

export interface LoadClientOptions {
  dialect: Dialect;
  base: string;
  room: string;
  /** Measures the latency of the updates it receives. */
  sampler: boolean;
  /** Applies received updates to its doc (cold open, verification); off for load. */
  integrate: boolean;
}

/** A simulated client connected to one room of a peer. */
export interface LoadClient {
  options: LoadClientOptions;
  ws: WebSocket;
  doc: Y.Doc;
  /** Resolves with the milliseconds from `new WebSocket` to the server's sync step 2 applied. */
  synced: Promise<number>;
  /** For each other client id, the highest clock this sampler received. */
  seen: Map<number, number>;
  awarenessClock: number;
  closing: boolean;
}

/** Opens a client; `synced` settles when the peer's sync step 2 has arrived (and was applied). */
export const connectClient = (options: LoadClientOptions, ledger: Ledger): LoadClient => {
  const { dialect, room } = options;
  const started = performance.now();
  const ws = new WebSocket(roomUrl(dialect, options.base, room), { perMessageDeflate: false });
  ws.binaryType = 'nodebuffer';
  const doc = new Y.Doc();
  let resolveSynced: (ms: number) => void = () => {};
  let rejectSynced: (err: Error) => void = () => {};
  const client: LoadClient = {
    options,
    ws,
    doc,
    synced: new Promise<number>((resolve, reject) => {
      resolveSynced = resolve;
      rejectSynced = reject;
    }),
    seen: new Map(),
    awarenessClock: 0,
    closing: false,
  };
  client.synced.catch(() => {});
  const send = (data: Uint8Array): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ledger.bytesUp += data.length;
    ledger.messagesUp++;
    ws.send(data);
  };
  ws.on('open', () => {
    const hello = encodeHello(dialect, room);
    if (hello) send(hello);
    send(encodeSync(dialect, room, syncStep1, Y.encodeStateVector(doc)));
  });
  ws.on('message', (raw: Buffer) => {
    const data = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    ledger.bytesDown += data.length;
    ledger.messagesDown++;
    const f = decodeFrame(dialect, data, options.sampler || options.integrate);
    if (f.type !== messageSync) return;
    if (f.sub === syncStep1) {
      send(encodeSync(dialect, room, syncStep2, Y.encodeStateAsUpdate(doc, f.payload!)));
      return;
    }
    if (f.sub === syncStep2) {
      if (options.integrate) Y.applyUpdate(doc, f.payload!);
      resolveSynced(performance.now() - started);
      return;
    }
    if (f.sub !== syncUpdate) return;
    ledger.updatesDown++;
    ledger.updateBytesDown += data.length;
    if (options.integrate) Y.applyUpdate(doc, f.payload!);
    if (!options.sampler) return;
    const now = performance.now();
    const { from, to } = Y.parseUpdateMeta(f.payload!);
    for (const [id, end] of to) {
      if (id === doc.clientID) continue;
      const seen = client.seen.get(id) ?? 0;
      for (let clock = Math.max(from.get(id) ?? 0, seen); clock < end; clock++) {
        const t = ledger.sentAt.get(`${id}:${clock}`);
        if (t !== undefined) ledger.latencies.push(now - t);
      }
      if (end > seen) client.seen.set(id, end);
    }
  });
  ws.on('error', (err) => {
    ledger.errors.push(`${room}: ${err.message}`);
    rejectSynced(err);
  });
  ws.on('close', (code) => {
    if (!client.closing) {
      ledger.disconnects++;
      ledger.errors.push(`${room}: closed with ${code}`);
    }
    rejectSynced(new Error(`${room}: closed with ${code} before sync`));
  });
  return client;
};

/** Types one character at the end of the client's own text and sends the update. */
export const typeKey = (client: LoadClient, ledger: Ledger): void => {
  const { doc, options } = client;
  const text = doc.getText(`cell-${doc.clientID}`);
  const clock = Y.getState(doc.store, doc.clientID);
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => {
    update = u;
  };
  doc.on('update', capture);
  text.insert(text.length, String.fromCharCode(97 + (ledger.keystrokes % 26)));
  doc.off('update', capture);
  ledger.sentAt.set(`${doc.clientID}:${clock}`, performance.now());
  ledger.keystrokes++;
  const data = encodeSync(options.dialect, options.room, syncUpdate, update!);
  if (client.ws.readyState !== WebSocket.OPEN) return;
  ledger.bytesUp += data.length;
  ledger.updateBytesUp += data.length;
  ledger.messagesUp++;
  client.ws.send(data);
};

/** Sends an awareness update with the cursor at the end of the client's text, as an editor does. */
export const moveCursor = (client: LoadClient, ledger: Ledger): void => {
  const { doc, options } = client;
  client.awarenessClock++;
  const state = JSON.stringify({
    user: { name: `pupil-${doc.clientID % 1000}`, color: '#30bced' },
    cursor: { anchor: doc.getText(`cell-${doc.clientID}`).length },
  });
  const data = encodeAwareness(options.dialect, options.room, doc.clientID, client.awarenessClock, state);
  if (client.ws.readyState !== WebSocket.OPEN) return;
  ledger.awarenessUpdates++;
  ledger.bytesUp += data.length;
  ledger.messagesUp++;
  client.ws.send(data);
};

/** Closes a client without counting it as a disconnect. */
export const closeClient = (client: LoadClient): void => {
  client.closing = true;
  client.ws.close();
};
