// Runs the real entry point (apps/server/src/main.ts) as a child process, the way
// `npm start` does, and reads the port from its "listening" log line.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTeardown } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildServer {
  child: ChildProcess;
  port: number;
  ws: string;
  http: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logs: string[];
}

/** Spawns `node --conditions=source --import tsx apps/server/src/main.ts` on a free port. */
export const spawnServer = async (
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ChildServer> => {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'apps/server/src/main.ts'],
    {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  onTeardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${logs.join('\n')}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening' && entry.port) {
            clearTimeout(timer);
            resolve(entry.port);
          }
        } catch {
          // not a log line
        }
        nl = buffer.indexOf('\n');
      }
    });
    child.on('exit', () => reject(new Error(`server exited early: ${logs.join('\n')}`)));
  });
  return { child, port, ws: `ws://127.0.0.1:${port}/sync`, http: `http://127.0.0.1:${port}`, exited, logs };
};
