// Pyodide clears its interrupt buffer with a plain read and then a write of 0:
// a SIGINT stored between the two is erased. Before, that cost a pupil the
// kernel (restarted after the interrupt timeout, variables lost); now the
// session stores the interrupt again until the worker says it took it.
import { readOutputs } from '@candyce/model';
import { describe, expect, it, vi } from 'vitest';
import { executeCell } from '../src/index.js';
import { SIGINT, Slot } from '../src/pyodide-protocol.js';
import { notebook } from './helpers/notebook.js';
import { usePyodide } from './helpers/pyodide.js';

const kernel = usePyodide({ interruptTimeoutMs: 3000 });

// Plays Pyodide's erasing write, deterministically: the next SIGINT the main thread stores
// never reaches the slot, as if the worker's write of 0 had landed just after it.
const eraseNextInterrupt = () => {
  const store = Atomics.store.bind(Atomics) as (array: Int32Array, index: number, value: number) => number;
  const spy = vi.spyOn(Atomics, 'store');
  spy.mockImplementation(((array: Int32Array, index: number, value: number) => {
    if (index === Slot.signal && value === SIGINT) {
      spy.mockRestore();
      return value;
    }
    return store(array, index, value);
  }) as typeof Atomics.store);
};

describe('an interrupt erased by Pyodide', () => {
  it('is stored again and stops the loop without a restart', async () => {
    const doc = notebook('kept = 42\nwhile True: pass', 'print(kept)');
    const running = executeCell(doc, 'c1', kernel(), { flushInterval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const asked = performance.now();
    eraseNextInterrupt();
    await kernel().interrupt();
    const result = await running;
    expect(performance.now() - asked).toBeLessThan(1500);
    expect(result.status).toBe('error');
    // The error alone: no notice of a restart beside it.
    expect(readOutputs(doc, 'c1')).toMatchObject([{ output_type: 'error', ename: 'KeyboardInterrupt' }]);
    expect(readOutputs(doc, 'c1')).toHaveLength(1);
    await executeCell(doc, 'c2', kernel(), { flushInterval: 5 });
    expect(readOutputs(doc, 'c2')).toEqual([{ output_type: 'stream', name: 'stdout', text: '42\n' }]);
  }, 30_000);

  it('interrupts again code that caught the first KeyboardInterrupt', async () => {
    const doc = notebook(
      'try:\n    while True: pass\nexcept KeyboardInterrupt:\n    print("once")\nwhile True: pass',
      'print("after")',
    );
    const running = executeCell(doc, 'c1', kernel(), { flushInterval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await kernel().interrupt();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await kernel().interrupt();
    const result = await running;
    expect(result.status).toBe('error');
    expect(readOutputs(doc, 'c1')).toMatchObject([
      { output_type: 'stream', text: 'once\n' },
      { output_type: 'error', ename: 'KeyboardInterrupt' },
    ]);
  }, 30_000);
});
