// The servers compared, each started as a child process on 127.0.0.1 with a
// free port and, when it persists, a fresh temporary data directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dirSize } from './stats.js';
import type { Dialect } from './wire.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** One server under test. */
export interface PeerSpec {
  id: string;
  label: string;
  dialect: Dialect;
  /** Keeps documents on disk across restarts. */
  persistent: boolean;
  /** The command line after `node`, and the environment added to the harness's. */
  command(port: number, dataDir: string): { args: string[]; env: Record<string, string> };
  /** The WebSocket base URL; rooms are appended (y-websocket) or named in messages (Hocuspocus). */
  base(port: number): string;
}

const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

/** Versions of everything measured, for the report. */
export const versions = () => ({
  node: process.version,
  candyce: versionOf('@candyce/server'),
  yjs: versionOf('yjs'),
  'y-websocket (reference server)': versionOf('y-websocket-v1'),
  'y-leveldb': versionOf('y-leveldb'),
  '@hocuspocus/server': versionOf('@hocuspocus/server'),
  'better-sqlite3': versionOf('better-sqlite3'),
  ws: versionOf('ws'),
});

const yWebsocketServer = join(root, 'node_modules/y-websocket-v1/bin/server.js');

/**
 * Our server; `script` may point at another build (BENCH_BASELINE, to measure
 * before and after a change in the same run).
 */
const candyce = (id: string, label: string, script: string): PeerSpec => ({
  id,
  label,
  dialect: 'y-websocket',
  persistent: true,
  command: (port, dataDir) => ({
    args: [script],
    // Open mode (no tokens), as the others run; warn level so logging does not count against us or for us.
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      CANDYCE_SECRET: '',
    },
  }),
  base: (port) => `ws://127.0.0.1:${port}/sync`,
});

const baseline = process.env.BENCH_BASELINE;

/**
 * The peers, in the order runs alternate through them. `BENCH_BASELINE=<path to
 * an older build's entry point>` (`server/dist/main.js` before the composition root moved to
 * apps/server, `apps/server/dist/main.js` since) adds that build as the peer `candyce-before`.
 */
export const peers: PeerSpec[] = [
  candyce('candyce', 'Candyce (LevelDB)', 'apps/server/dist/main.js'),
  ...(baseline ? [candyce('candyce-before', 'Candyce before (LevelDB)', baseline)] : []),
  {
    id: 'y-websocket',
    label: 'y-websocket 1.x (memory)',
    dialect: 'y-websocket',
    persistent: false,
    command: (port) => ({ args: [yWebsocketServer], env: { PORT: String(port), HOST: '127.0.0.1' } }),
    base: (port) => `ws://127.0.0.1:${port}`,
  },
  {
    id: 'y-websocket-leveldb',
    label: 'y-websocket 1.x (y-leveldb)',
    dialect: 'y-websocket',
    persistent: true,
    command: (port, dataDir) => ({
      args: [yWebsocketServer],
      env: { PORT: String(port), HOST: '127.0.0.1', YPERSISTENCE: dataDir },
    }),
    base: (port) => `ws://127.0.0.1:${port}`,
  },
  {
    id: 'hocuspocus',
    label: 'Hocuspocus 3 (memory)',
    dialect: 'hocuspocus',
    persistent: false,
    command: (port) => ({ args: ['test/bench/hocuspocus-server.mjs'], env: { PORT: String(port) } }),
    base: (port) => `ws://127.0.0.1:${port}`,
  },
  {
    id: 'hocuspocus-sqlite',
    label: 'Hocuspocus 3 (SQLite)',
    dialect: 'hocuspocus',
    persistent: true,
    command: (port, dataDir) => ({
      args: ['test/bench/hocuspocus-server.mjs'],
      env: { PORT: String(port), SQLITE_FILE: join(dataDir, 'documents.sqlite') },
    }),
    base: (port) => `ws://127.0.0.1:${port}`,
  },
];

/** A peer running as a child process. */
export interface RunningPeer {
  spec: PeerSpec;
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  dataDir: string;
  /** Stops the child (SIGTERM, then SIGKILL after 15 s; or SIGKILL at once). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** The last lines the child wrote, for error messages. */
  output(): string;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Makes an empty temporary data directory for a peer. */
export const makeDataDir = (id: string): Promise<string> => mkdtemp(join(tmpdir(), `candyce-bench-${id}-`));

/** Removes a data directory. */
export const removeDataDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** Bytes on disk under a peer's data directory. */
export const dataBytes = (peer: RunningPeer): Promise<number> => dirSize(peer.dataDir);

/**
 * Starts a peer on a free port and resolves once it accepts TCP connections.
 * `nodeArgs` go before the script (e.g. `--cpu-prof`).
 */
export const startPeer = async (
  spec: PeerSpec,
  dataDir: string,
  nodeArgs: string[] = [],
): Promise<RunningPeer> => {
  const port = await freePort();
  const { args, env } = spec.command(port, dataDir);
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const deadline = performance.now() + 20_000;
  while (!(await accepts(port))) {
    if (exited !== undefined)
      throw new Error(`${spec.label} exited with ${exited} before listening:\n${tail}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${spec.label} did not listen on ${port} within 20 s:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    spec,
    child,
    pid: child.pid!,
    port,
    base: spec.base(port),
    dataDir,
    async stop(signal = 'SIGTERM') {
      if (exited !== undefined) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
    output: () => tail,
  };
};
