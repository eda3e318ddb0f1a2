// Rooms for the runaway-code tests: a live room with a notebook of runaway
// cells, a collaborator who keeps editing, a watcher, and a runner that runs
// cells on a real Jupyter Server (through the server's /execute) or on a
// Pyodide worker beside a client (as in a pupil's browser).
import { createExecutionQueue, jupyterGateway, type KernelSession } from '@candyce/kernels';
import { nodePyodideGateway } from '@candyce/kernels/node';
import { getCell, type Output, readOutputs, sourceOf } from '@candyce/model';
import { expect } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  startJupyterServer,
  type TestJupyterServer,
} from '../../packages/kernels/test/helpers/jupyter-server.js';
import { type startServer, synced, type TestClient, waitFor } from './helpers.js';

/** The runaway cells of the notebook, by id (`paste` is filled by a collaborator). */
export const cells = {
  loop: 'i = 0\nwhile True:\n    print("line", i)\n    i += 1',
  huge: 'print("x" * 30_000_000)\nprint("after")',
  recursion: 'def down(n):\n    return down(n + 1)\n\ndown(0)',
  deep: 'import sys\nsys.setrecursionlimit(10**7)\ndef down(n):\n    return down(n + 1)\n\ndown(0)',
  alive: 'print("alive")',
  paste: '',
};

/** The notebook of a runaway room: the code cells above and a markdown cell `notes`. */
export const notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    ...Object.entries(cells).map(([id, source]) => ({
      id,
      cell_type: 'code',
      metadata: {},
      source,
      outputs: [],
      execution_count: null,
    })),
    { id: 'notes', cell_type: 'markdown', metadata: {}, source: '' },
  ],
};

/** The text of every output of a cell, joined: what the cell shows. */
export const shown = (doc: Y.Doc, cell: string): string =>
  readOutputs(doc, cell)
    .map((o: Output) =>
      o.output_type === 'stream'
        ? o.text
        : o.output_type === 'error'
          ? `${o.ename}: ${o.evalue}\n${o.traceback.join('\n')}`
          : JSON.stringify(o.data),
    )
    .join('\n');

/** The encoded size of a document. */
export const docBytes = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc).length;

/** How a gateway runs cells of the room: through the server (Jupyter) or beside a client (Pyodide). */
export interface Runner {
  start(cell: string): Promise<string>;
  interrupt(): Promise<void>;
}

/** A live room with runaway cells. */
export interface RunawayRoom {
  runner: Runner;
  /** A collaborator who only edits. */
  peer: TestClient;
  /** A collaborator who watches: what everyone sees. */
  watcher: TestClient;
  /** Bytes the shared document must stay under. */
  limitBytes: number;
}

/**
 * While `running` is pending, the peer types markers into the notes cell one
 * by one, each seen by a second client through the server before the next:
 * the room stays live. Returns how many round trips were made.
 */
export const keepEditing = async (peer: TestClient, watcher: TestClient, running: Promise<unknown>) => {
  let done = false;
  void running.finally(() => {
    done = true;
  });
  let rounds = 0;
  while (!done && rounds < 200) {
    const marker = `[${rounds}]`;
    sourceOf(getCell(peer.doc, 'notes')).insert(0, marker);
    await waitFor(
      () => sourceOf(getCell(watcher.doc, 'notes')).toString().startsWith(marker),
      `edit ${rounds} of the peer to reach the room while the code runs`,
    );
    rounds++;
    await new Promise((r) => setTimeout(r, 20));
  }
  return rounds;
};

const putNotebook = async (http: string, room: string) => {
  const res = await fetch(`${http}/api/notebooks/${room}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(notebook),
  });
  expect(res.status).toBeLessThan(300);
};

/** Bytes the shared document must stay under: each cell's bounded output (1 MiB of text by default) plus the paste. */
export const limitBytes = 12 * 1024 * 1024;

let jupyter: TestJupyterServer | undefined;
let pyodide: KernelSession | undefined;
const open: (() => Promise<void>)[] = [];
/** Closes every room, client, kernel and Jupyter Server started here. */
export const closeRunawayRooms = async (): Promise<void> => {
  for (const close of open.reverse()) await close();
  open.length = 0;
  await pyodide?.shutdown();
  await jupyter?.stop();
};

/** A server outside the per-test teardown: it lives for the whole describe block. */
const longServer = async (options: Parameters<typeof startServer>[0]) => {
  const { createServer, createLogger } = await import('../src/index.js');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dataDir = await mkdtemp(join(tmpdir(), 'candyce-runaway-'));
  const server = createServer({ logger: createLogger('silent'), ...options, dataDir, port: 0 });
  const port = await server.listen();
  open.push(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { server, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/sync` };
};

/** A stock client that lives for the whole describe block. */
const longClient = (ws: string, room: string): TestClient => {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(ws, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const destroy = () => {
    provider.destroy();
    doc.destroy();
  };
  open.push(async () => destroy());
  return { doc, provider, text: doc.getText('t'), closes: [], destroy };
};

/** Starts a Jupyter Server and a room whose cells run on it through POST /execute. */
export const jupyterRoom = async (): Promise<RunawayRoom> => {
  jupyter = await startJupyterServer();
  const { http, ws } = await longServer({
    execution: {
      gateway: jupyterGateway({ url: jupyter.url, token: jupyter.token, interruptTimeoutMs: 5000 }),
    },
  });
  await putNotebook(http, 'runaway-jupyter');
  const peer = longClient(ws, 'runaway-jupyter');
  const watcher = longClient(ws, 'runaway-jupyter');
  await Promise.all([synced(peer), synced(watcher)]);
  const runner: Runner = {
    async start(cell) {
      const res = await fetch(`${http}/api/notebooks/runaway-jupyter/execute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cell_id: cell }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { status: string }).status;
    },
    async interrupt() {
      expect(
        (await fetch(`${http}/api/notebooks/runaway-jupyter/interrupt`, { method: 'POST' })).status,
      ).toBe(200);
    },
  };
  return { runner, peer, watcher, limitBytes };
};

/** Starts a room whose cells run on a Pyodide worker beside a client. */
export const pyodideRoom = async (): Promise<RunawayRoom> => {
  const { http, ws } = await longServer({});
  await putNotebook(http, 'runaway-pyodide');
  // The runner is a client whose kernel is a Pyodide worker, as in a pupil's browser.
  const host = longClient(ws, 'runaway-pyodide');
  const peer = longClient(ws, 'runaway-pyodide');
  const watcher = longClient(ws, 'runaway-pyodide');
  await Promise.all([synced(host), synced(peer), synced(watcher)]);
  pyodide = await nodePyodideGateway({ interruptTimeoutMs: 3000 }).startKernel('python3');
  const queue = createExecutionQueue(host.doc, pyodide, { flushInterval: 20, stopOnError: false });
  const runner: Runner = {
    async start(cell) {
      // The runner's browser runs the cell as it has it: wait until it has the room's version.
      const source = () => sourceOf(getCell(watcher.doc, cell)).toString();
      await waitFor(
        () => sourceOf(getCell(host.doc, cell)).toString() === source(),
        'the runner to have the cell',
      );
      return (await queue.run(cell))[0]!.status;
    },
    interrupt: () => queue.interrupt(),
  };
  return { runner, peer, watcher, limitBytes };
};
