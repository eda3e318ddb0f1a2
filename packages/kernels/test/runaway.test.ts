// What a cell says when a runaway run's own messages are lost: a Jupyter
// server drops IOPub messages above its rate limit (after a print loop), the
// error output among them, while the execute reply still carries the error.
// And a run asked for while a stuck kernel is being restarted. The
// end-to-end runaway scenarios are in server/test/runaway.test.ts.
import { readOutputs } from '@candyce/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExecutionQueue,
  englishTexts,
  executeCell,
  frenchTexts,
  jupyterGateway,
  type KernelSession,
} from '../src/index.js';
import { fakeSession } from './helpers/fake-kernel.js';
import { startJupyterServer, type TestJupyterServer } from './helpers/jupyter-server.js';
import { notebook, streamText } from './helpers/notebook.js';

const interrupted = {
  status: 'error' as const,
  ename: 'KeyboardInterrupt',
  evalue: '',
  traceback: ['KeyboardInterrupt: interrupted by the teacher'],
};

describe('a run whose error output was dropped', () => {
  it('writes the error of the execute reply into the cell', async () => {
    const doc = notebook('while True: print(1)');
    const session = fakeSession(async (run) => {
      run.send('stream', { name: 'stderr', text: 'IOPub data rate exceeded.\n' });
      return interrupted;
    });
    const result = await executeCell(doc, 'c1', session, { flushInterval: 1 });
    expect(result.status).toBe('error');
    expect(readOutputs(doc, 'c1')).toEqual([
      { output_type: 'stream', name: 'stderr', text: 'IOPub data rate exceeded.\n' },
      { output_type: 'error', ename: 'KeyboardInterrupt', evalue: '', traceback: interrupted.traceback },
    ]);
  });

  it('does not write the error twice when the error output came', async () => {
    const doc = notebook('1 / 0');
    const session = fakeSession(async (run) => {
      run.send('error', { ename: 'KeyboardInterrupt', evalue: '', traceback: interrupted.traceback });
      return interrupted;
    });
    await executeCell(doc, 'c1', session, { flushInterval: 1 });
    expect(readOutputs(doc, 'c1').filter((o) => o.output_type === 'error')).toHaveLength(1);
  });
});

describe('a run asked for while a stuck Jupyter kernel restarts', () => {
  let server: TestJupyterServer;
  let session: KernelSession;
  beforeAll(async () => {
    server = await startJupyterServer();
    session = await jupyterGateway({
      url: server.url,
      token: server.token,
      interruptTimeoutMs: 1000,
    }).startKernel('python3');
  }, 60_000);
  afterAll(async () => {
    await session?.shutdown();
    await server?.stop();
  }, 30_000);

  it('waits for the restart instead of sending its code to the dying kernel', async () => {
    // The loop ignores interrupts: the session restarts the kernel after interruptTimeoutMs.
    const doc = notebook(
      'import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True: time.sleep(0.01)',
      'print("after")',
    );
    const queue = createExecutionQueue(doc, session, { flushInterval: 5, stopOnError: false });
    const stuck = queue.run('c1');
    await new Promise((r) => setTimeout(r, 1000));
    await queue.interrupt();
    expect((await stuck)[0]!.status).toBe('error');
    expect(streamText(doc, 'c1')).toMatch(/did not stop when interrupted, so it was restarted/);
    // Asked at once, while the restart is under way.
    const [after] = await queue.run('c2');
    expect(after!.status).toBe('ok');
    expect(streamText(doc, 'c2')).toBe('after\n');
  }, 60_000);
});

describe('the notice of one huge line left out', () => {
  it('speaks of one line, in English and in French', () => {
    expect(englishTexts.elided(1, 30_000_000, 1 << 20)).toMatch(/^⋯ 1 line \(28\.6 MiB\) not shown/);
    expect(frenchTexts.elided(1, 30_000_000, 1 << 20)).toMatch(/^⋯ 1 ligne \(28,6 Mio\) non affichée :/);
    expect(englishTexts.elided(2, 10, 100)).toMatch(/^⋯ 2 lines /);
  });
});
