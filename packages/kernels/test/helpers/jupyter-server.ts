import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A Jupyter Server started for a test, with a random token, in a temporary directory. */
export interface TestJupyterServer {
  url: string;
  token: string;
  /** Stops the server (and its kernels) and removes its directory. */
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/**
 * Starts Debian's `jupyter-server` on a free port with a random token and
 * resolves once `/api/status` answers. Its configuration, runtime and data
 * directories are temporary, so that nothing of the machine's leaks in.
 */
export async function startJupyterServer(): Promise<TestJupyterServer> {
  const root = mkdtempSync(join(tmpdir(), 'candyce-jupyter-'));
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: join(root, 'config'),
    JUPYTER_RUNTIME_DIR: join(root, 'runtime'),
    JUPYTER_DATA_DIR: join(root, 'data'),
    IPYTHONDIR: join(root, 'ipython'),
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
  const child = spawn(
    '/usr/bin/jupyter-server',
    [
      '--no-browser',
      '--allow-root',
      `--port=${port}`,
      '--ip=127.0.0.1',
      `--ServerApp.token=${token}`,
      `--ServerApp.root_dir=${root}`,
      '--ServerApp.port_retries=0',
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
    rmSync(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` } });
      if (response.ok) return { url, token, stop };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`jupyter-server did not start on port ${port}:\n${log}`);
}

/**
 * Starts a Jupyter Server before the tests of the current suite and stops it
 * after them; returns a getter of the running server (it throws when called
 * before the server started, i.e. outside a test).
 */
export const useJupyterServer = (): (() => TestJupyterServer) => {
  let server: TestJupyterServer | undefined;
  beforeAll(async () => {
    server = await startJupyterServer();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('The Jupyter Server is not started yet: call this inside a test');
    return server;
  };
};
