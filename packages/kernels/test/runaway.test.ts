// What a cell says when a runaway run's own messages are lost: a Jupyter
// server drops IOPub messages above its rate limit (after a print loop), the
// error output among them, while the execute reply still carries the error.
// The end-to-end runaway scenarios are in server/test/runaway.test.ts.
import { readOutputs } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { executeCell } from '../src/index.js';
import { fakeSession } from './helpers/fake-kernel.js';
import { notebook } from './helpers/notebook.js';

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
