// @candyce/kernels/node — what only Node needs: Pyodide in worker_threads,
// and the paths of the files a server serves to browsers.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { KernelGateway } from './gateway.js';
import { nodeWorker } from './node-worker.js';
import { type PyodideGatewayOptions, pyodideGateway } from './pyodide-gateway.js';
import { type SqlGatewayOptions, sqlGateway } from './sql-gateway.js';

export { defaultWorkerURL, nodeWorker } from './node-worker.js';

/** Returns the directory of the installed `pyodide` package, to serve at `/pyodide/` (read-only, static). */
export const pyodideDirectory = (): string =>
  dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

/**
 * Returns the directory holding the built browser worker (`pyodide-worker.js`
 * and the two modules it imports), to serve at `/kernels/`. It is this
 * package's `dist/` once built (`tsc -b`).
 */
export const kernelsBrowserDirectory = (): string => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('src') ? join(here, '..', 'dist') : here;
};

/** The files of {@link kernelsBrowserDirectory} that browsers need, relative to it. */
export const kernelsBrowserFiles: readonly string[] = [
  'pyodide-worker.js',
  'pyodide-protocol.js',
  'pyodide-python.js',
];

/**
 * Returns a Pyodide gateway for Node: workers are `worker_threads` and
 * Pyodide comes from the installed package, unless the options say otherwise.
 */
export function nodePyodideGateway(options: PyodideGatewayOptions = {}): KernelGateway {
  const dir = pyodideDirectory();
  return pyodideGateway({
    indexURL: `${dir}/`,
    moduleURL: pathToFileURL(join(dir, 'pyodide.mjs')).href,
    worker: nodeWorker(),
    ...options,
  });
}

/** Returns the directory of sql.js's browser files (`worker.sql-wasm.js`, `sql-wasm.wasm`), to serve at `/sqljs/`. */
export const sqlJsDirectory = (): string =>
  dirname(createRequire(import.meta.url).resolve('sql.js/dist/worker.sql-wasm.js'));

/** The files of {@link sqlJsDirectory} that the SQL kernel of the browser loads. */
export const sqlJsBrowserFiles: readonly string[] = ['worker.sql-wasm.js', 'sql-wasm.wasm'];

/** Returns the SQL gateway for Node: sql.js's worker in `worker_threads`. */
export function nodeSqlGateway(options: SqlGatewayOptions = {}): KernelGateway {
  return sqlGateway({
    worker: nodeWorker(pathToFileURL(join(sqlJsDirectory(), 'worker.sql-wasm.js'))),
    ...options,
  });
}
