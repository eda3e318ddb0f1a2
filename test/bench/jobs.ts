// Runs one generator job in a fresh child process and returns its result.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job, JobResult } from './generator.js';

const generatorPath = fileURLToPath(new URL('./generator.ts', import.meta.url));

/**
 * Forks the generator, hands it `job`, calls `onWindowStart` when a load job
 * starts its measured window, and resolves with the result (rejects after
 * `timeoutMs` or if the child fails).
 */
export const runJob = <R extends JobResult>(
  job: Job,
  onWindowStart: () => void | Promise<void> = () => {},
  timeoutMs = 600_000,
): Promise<R> =>
  new Promise((resolve, reject) => {
    const child = fork(generatorPath, [], {
      execArgv: ['--conditions=source', '--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new Error(`generator job ${job.kind} took more than ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (err: Error | null, result?: R) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(result!);
    };
    child.on('message', (m: { kind: string; result?: R; message?: string }) => {
      if (m.kind === 'window-start') void onWindowStart();
      else if (m.kind === 'result') finish(null, m.result);
      else if (m.kind === 'failure') finish(new Error(`generator job ${job.kind}: ${m.message}`));
    });
    child.on('exit', (code) => finish(new Error(`generator exited with ${code} during job ${job.kind}`)));
    child.send(job);
  });
