import { deleteCell, getCell, readOutputs } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { createExecutionQueue, executeCell, KernelError } from '../src/index.js';
import { fakeGateway, fakeSession } from './helpers/fake-kernel.js';
import { notebook, streamText } from './helpers/notebook.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('running a cell', () => {
  it('writes what the kernel sends into the cell and ends idle', async () => {
    const doc = notebook('print("hi")');
    const session = fakeSession(async (run) => {
      run.send('stream', { name: 'stdout', text: 'hi\n' });
      return {};
    });
    const run = await executeCell(doc, 'c1', session, { flushInterval: 1 });
    expect(run).toEqual({ cellId: 'c1', status: 'ok', executionCount: 1 });
    expect(session.codes).toEqual(['print("hi")']);
    expect(streamText(doc, 'c1')).toBe('hi\n');
    expect(getCell(doc, 'c1').get('execution_state')).toBe('idle');
  });

  it('shows the cell running while the kernel starts', async () => {
    const doc = notebook('1');
    let start!: (s: ReturnType<typeof fakeSession>) => void;
    const starting = new Promise<ReturnType<typeof fakeSession>>((resolve) => {
      start = resolve;
    });
    const done = executeCell(doc, 'c1', starting);
    expect(getCell(doc, 'c1').get('execution_state')).toBe('running');
    start(fakeSession(async () => ({})));
    await done;
    expect(getCell(doc, 'c1').get('execution_state')).toBe('idle');
  });

  it('writes why a kernel could not start into the cell', async () => {
    const doc = notebook('1');
    const failed = Promise.reject(new KernelError('boom', { code: 'start-failed', detail: 'HTTP 404' }));
    const run = await executeCell(doc, 'c1', failed);
    expect(run.status).toBe('error');
    expect(streamText(doc, 'c1')).toMatch(/^The kernel could not start \(HTTP 404\)\. Run the cell again/);
    expect(getCell(doc, 'c1').get('execution_state')).toBe('idle');
  });

  it('asks for input, shows the prompt and the answer, and passes the answer on', async () => {
    const doc = notebook('name = input("Name? ")');
    const session = fakeSession(async (run) => {
      const name = await run.input('Name? ');
      run.send('stream', { name: 'stdout', text: `hi ${name}\n` });
      return {};
    });
    const prompts: string[] = [];
    await executeCell(doc, 'c1', session, {
      flushInterval: 1,
      input: async (request) => {
        prompts.push(request.prompt);
        expect(streamText(doc, 'c1')).toBe('Name? ');
        return 'Ada';
      },
    });
    expect(prompts).toEqual(['Name? ']);
    expect(streamText(doc, 'c1')).toBe('Name? Ada\nhi Ada\n');
  });

  it('refuses a markdown cell and an unknown cell', async () => {
    const doc = notebook('1');
    const session = fakeSession(async () => ({}));
    await expect(executeCell(doc, 'm', session)).rejects.toThrow(RangeError);
    await expect(executeCell(doc, 'nope', session)).rejects.toThrow(/No cell with id "nope"/);
  });
});

describe('the execution queue', () => {
  it('runs all code cells in order, one at a time', async () => {
    const doc = notebook('a', 'b', 'c');
    let running = 0;
    let most = 0;
    const session = fakeSession(async (run) => {
      running++;
      most = Math.max(most, running);
      await tick();
      run.send('stream', { name: 'stdout', text: run.code });
      running--;
      return {};
    });
    const queue = createExecutionQueue(doc, session, { flushInterval: 1 });
    const runs = await queue.runAll();
    expect(runs.map((r) => [r.cellId, r.status])).toEqual([
      ['c1', 'ok'],
      ['c2', 'ok'],
      ['c3', 'ok'],
    ]);
    expect(session.codes).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(streamText(doc, 'c3')).toBe('c');
  });

  it('runs a cell and the ones below it', async () => {
    const doc = notebook('a', 'b', 'c');
    const session = fakeSession(async () => ({}));
    const queue = createExecutionQueue(doc, session);
    await queue.runBelow('c2');
    expect(session.codes).toEqual(['b', 'c']);
  });

  it('queues a cell once, and skips a cell deleted while queued', async () => {
    const doc = notebook('a', 'b', 'c');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const session = fakeSession(async (run) => {
      if (run.code === 'a') await gate;
      return {};
    });
    const queue = createExecutionQueue(doc, session);
    const all = queue.run(['c1', 'c2', 'c3']);
    const again = queue.run('c2');
    await tick();
    expect(queue.running()).toBe('c1');
    expect(queue.queued()).toEqual(['c2', 'c3']);
    deleteCell(doc, 'c2', { role: 'teacher' });
    release();
    const runs = await all;
    expect(runs.map((r) => r.status)).toEqual(['ok', 'skipped', 'ok']);
    expect((await again)[0]!.status).toBe('skipped');
    expect(session.codes).toEqual(['a', 'c']);
  });

  it('cancels the queue and interrupts the running cell on interrupt', async () => {
    const doc = notebook('while True: pass', 'b', 'c');
    const session = fakeSession(async (run) => {
      if (run.code.startsWith('while')) {
        await run.interrupted;
        run.send('error', { ename: 'KeyboardInterrupt', evalue: '', traceback: ['KeyboardInterrupt'] });
        return { status: 'error' };
      }
      return {};
    });
    const queue = createExecutionQueue(doc, session, { flushInterval: 1 });
    const all = queue.runAll();
    await tick();
    await queue.interrupt();
    const runs = await all;
    expect(runs.map((r) => r.status)).toEqual(['error', 'aborted', 'aborted']);
    expect(session.codes).toEqual(['while True: pass']);
    expect(readOutputs(doc, 'c1')[0]).toMatchObject({ output_type: 'error', ename: 'KeyboardInterrupt' });
    expect(getCell(doc, 'c1').get('execution_state')).toBe('idle');
  });

  it('stops a run of cells at the first error', async () => {
    const doc = notebook('a', 'raise', 'c');
    const session = fakeSession(async (run) => (run.code === 'raise' ? { status: 'error' } : {}));
    const queue = createExecutionQueue(doc, session);
    const runs = await queue.runAll();
    expect(runs.map((r) => r.status)).toEqual(['ok', 'error', 'aborted']);
    const keepGoing = createExecutionQueue(
      doc,
      fakeSession(async () => ({ status: 'error' })),
      {
        stopOnError: false,
      },
    );
    expect((await keepGoing.runAll()).map((r) => r.status)).toEqual(['error', 'error', 'error']);
  });

  it('starts the kernel on the first run only, and again after a failed start', async () => {
    const doc = notebook('a', 'b');
    const gateway = fakeGateway(async () => ({}));
    let attempts = 0;
    const queue = createExecutionQueue(doc, () => {
      attempts++;
      if (attempts === 1) throw new KernelError('offline', { code: 'start-failed', detail: 'offline' });
      return gateway.startKernel();
    });
    expect(attempts).toBe(0);
    expect((await queue.run('c1'))[0]!.status).toBe('error');
    await queue.run(['c1', 'c2']);
    await queue.run('c2');
    expect(attempts).toBe(2);
    expect(gateway.sessions).toHaveLength(1);
    expect(gateway.sessions[0]!.codes).toEqual(['a', 'b', 'b']);
  });
});
