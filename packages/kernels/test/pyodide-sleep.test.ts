// time.sleep in browser Python really waits (the worker blocks on the shared
// control buffer with a timeout) and an interrupt ends it at once, as on a
// desktop: KeyboardInterrupt, variables kept.
import { readOutputs } from '@candyce/model';
import { describe, expect, it } from 'vitest';
import { executeCell } from '../src/index.js';
import { notebook, runCode } from './helpers/notebook.js';
import { usePyodide } from './helpers/pyodide.js';

const kernel = usePyodide({ interruptTimeoutMs: 3000 });

describe('time.sleep in browser Python', () => {
  it('waits as long as asked', async () => {
    const started = performance.now();
    const { result, outputs } = await runCode(
      kernel(),
      'import time\nt = time.monotonic()\ntime.sleep(0.5)\nprint(time.monotonic() - t >= 0.5)',
    );
    const elapsed = performance.now() - started;
    expect(result.status).toBe('ok');
    expect(outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'True\n' }]);
    expect(elapsed).toBeGreaterThanOrEqual(500);
  });

  for (const seconds of ['30', '10**9']) {
    it(`stops sleep(${seconds}) at once when interrupted, and keeps the variables`, async () => {
      const doc = notebook(`import time\nkept = 42\ntime.sleep(${seconds})\nkept = 0`, 'print(kept)');
      const running = executeCell(doc, 'c1', kernel(), { flushInterval: 5 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const asked = performance.now();
      await kernel().interrupt();
      const result = await running;
      expect(performance.now() - asked).toBeLessThan(1000);
      expect(result.status).toBe('error');
      expect(readOutputs(doc, 'c1')[0]).toMatchObject({ output_type: 'error', ename: 'KeyboardInterrupt' });
      // Not a restart: the interpreter stopped in the sleep and still holds the variables.
      await executeCell(doc, 'c2', kernel(), { flushInterval: 5 });
      expect(readOutputs(doc, 'c2')).toEqual([{ output_type: 'stream', name: 'stdout', text: '42\n' }]);
    }, 30_000);
  }

  it('refuses a negative time as CPython does', async () => {
    const { outputs } = await runCode(kernel(), 'import time\ntime.sleep(-1)');
    expect(outputs[0]).toMatchObject({ ename: 'ValueError', evalue: 'sleep length must be non-negative' });
  });
});
