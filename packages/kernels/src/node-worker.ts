import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerFactory } from './worker-port.js';

// Run from source (tests, benchmarks through the "source" condition), this
// module sits next to pyodide-worker.ts, which Node cannot load by itself:
// a tiny bootstrap registers tsx in the worker first.
const tsBootstrap = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx)
  .then((tsx) => { (tsx.register ?? tsx.default.register)(); return import(workerData.entry); })
  .catch((error) => { setTimeout(() => { throw error; }); });
`;

// The ES module of tsx's register API, found through tsx's own exports map.
const tsxApi = (): string => {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = JSON.parse(readFileSync(manifest, 'utf8')).exports as {
    './esm/api': { import: { default: string } };
  };
  return pathToFileURL(join(dirname(manifest), exports['./esm/api'].import.default)).href;
};

/** The URL of the worker script next to this module (`.js` when built, `.ts` from source). */
export const defaultWorkerURL = (): URL =>
  new URL(import.meta.url.endsWith('.ts') ? './pyodide-worker.ts' : './pyodide-worker.js', import.meta.url);

/**
 * Returns a factory of Node `worker_threads` workers running the Pyodide
 * worker script (default: the one of this package), for tests, benchmarks
 * and scripts.
 */
export const nodeWorker =
  (script: string | URL = defaultWorkerURL()): WorkerFactory =>
  () => {
    const url = typeof script === 'string' ? pathToFileURL(script) : script;
    const worker = url.pathname.endsWith('.ts')
      ? new Worker(tsBootstrap, {
          eval: true,
          workerData: {
            entry: url.href,
            tsx: tsxApi(),
          },
        })
      : new Worker(url);
    let terminated = false;
    return {
      postMessage: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.on('message', listener),
      onError: (listener) => {
        worker.on('error', (error) => {
          if (!terminated) listener(error);
        });
        worker.on('exit', (code) => {
          if (!terminated) listener(new Error(`The Pyodide worker exited with code ${code}`));
        });
      },
      terminate: () => {
        terminated = true;
        void worker.terminate();
      },
    };
  };
