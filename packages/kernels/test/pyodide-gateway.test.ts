import { getCell, readOutputs } from '@candyce/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  createExecutionQueue,
  type ExecuteCellOptions,
  executeCell,
  type KernelSession,
} from '../src/index.js';
import { nodePyodideGateway } from '../src/node.js';
import { notebook, runCode, streamText } from './helpers/notebook.js';
import { usePyodide } from './helpers/pyodide.js';

// One worker serves the whole file: Pyodide takes seconds to load.
const kernel = usePyodide({ interruptTimeoutMs: 1500 });

const run = (code: string, options?: ExecuteCellOptions) => runCode(kernel(), code, options);

// Records the stream text of the cell at every document update.
const watchText = (doc: Y.Doc) => {
  const seen: string[] = [];
  doc.on('update', () => {
    const text = streamText(doc, 'c1');
    if (seen[seen.length - 1] !== text) seen.push(text);
  });
  return seen;
};

describe('the Pyodide gateway', () => {
  it('prints, and shows the value of the last expression', async () => {
    const { result, outputs, doc } = await run('print("hello")\n6 * 7');
    expect(result.status).toBe('ok');
    expect(outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'hello\n' },
      {
        output_type: 'execute_result',
        data: { 'text/plain': '42' },
        metadata: {},
        execution_count: result.executionCount,
      },
    ]);
    expect(getCell(doc, 'c1').get('execution_count')).toBe(result.executionCount);
    expect(kernel().info?.language).toBe('python');
  });

  it('streams output as it comes, across a sleep and a busy loop', async () => {
    const doc = notebook(
      'import time\nprint("a")\ntime.sleep(0.4)\nprint("b")\nt = time.monotonic()\nwhile time.monotonic() - t < 0.4: pass\nprint("c")',
    );
    const seen = watchText(doc);
    await executeCell(doc, 'c1', kernel(), { flushInterval: 5 });
    expect(seen).toContain('a\n');
    expect(seen).toContain('a\nb\n');
    expect(seen[seen.length - 1]).toBe('a\nb\nc\n');
  });

  it('reports an error with a traceback that starts at the cell', async () => {
    const { result, outputs } = await run('def f():\n    return 1 / 0\n\nf()');
    expect(result.status).toBe('error');
    const error = outputs.find((o) => o.output_type === 'error');
    expect(error).toMatchObject({ ename: 'ZeroDivisionError', evalue: 'division by zero' });
    const traceback = error?.output_type === 'error' ? error.traceback.join('\n') : '';
    expect(traceback).toMatch(/File "Cell In\[\d+\]", line 4, in <module>/);
    expect(traceback).toMatch(/line 2, in f\n\s+return 1 \/ 0/);
    expect(traceback).not.toMatch(/_candyce|pyodide/);
  });

  it('displays HTML, Markdown, SVG, PNG and objects with _repr_ methods', async () => {
    const { outputs } = await run(
      [
        'from IPython.display import display, HTML, Markdown, SVG, Image',
        'import base64',
        'png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")',
        'display(HTML("<b>bold</b>"), Markdown("# Title"))',
        'display(SVG("<svg xmlns=\'http://www.w3.org/2000/svg\'/>"))',
        'display(Image(data=png))',
        'class Card:',
        '    def _repr_html_(self): return "<div>card</div>"',
        'Card()',
      ].join('\n'),
    );
    const data = outputs.map((o) =>
      o.output_type === 'display_data' || o.output_type === 'execute_result' ? o.data : {},
    );
    expect(data[0]).toMatchObject({ 'text/html': '<b>bold</b>' });
    expect(data[1]).toMatchObject({ 'text/markdown': '# Title' });
    expect(data[2]!['image/svg+xml']).toMatch(/^<svg/);
    expect(data[3]!['image/png']).toMatch(/^iVBORw0KGgo/);
    expect(outputs[4]).toMatchObject({
      output_type: 'execute_result',
      data: { 'text/html': '<div>card</div>' },
    });
  });

  it('clears the output when asked, waiting for the next output', async () => {
    const { outputs } = await run(
      'from IPython.display import clear_output\nfor i in range(5):\n    clear_output(wait=True)\n    print("frame", i)',
    );
    expect(outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'frame 4\n' }]);
  });

  it('lets input() wait for an answer, and says why when nobody can answer', async () => {
    const { outputs } = await run('name = input("Name? ")\nprint("hi", name)', { input: async () => 'Ada' });
    expect(outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'Name? Ada\nhi Ada\n' }]);
    const refused = await run('input("Name? ")');
    expect(refused.outputs[0]).toMatchObject({
      output_type: 'error',
      ename: 'StdinNotImplementedError',
      evalue: expect.stringMatching(/nobody can answer/),
    });
  });

  it('keeps a long output within its limit', async () => {
    const { doc } = await run('for i in range(200_000): print(i)', { limits: { maxText: 10_000 } });
    const text = streamText(doc, 'c1');
    expect(text.length).toBeLessThanOrEqual(10_000);
    expect(text.startsWith('0\n1\n2\n')).toBe(true);
    expect(text.endsWith('199998\n199999\n')).toBe(true);
    expect(text).toMatch(/⋯ [\d,]+ lines .* not shown/);
  });

  it('completes names', async () => {
    await run('import math');
    const reply = await kernel().complete!('math.sq', 7);
    expect(reply.matches).toContain('math.sqrt');
    expect(reply.cursorStart).toBe(0);
  });

  it('interrupts an endless loop and keeps the variables', async () => {
    const doc = notebook('x = 41', 'while True:\n    x += 0', 'print(x + 1)');
    const queue = createExecutionQueue(doc, kernel(), { flushInterval: 5 });
    await queue.run('c1');
    const looping = queue.run(['c2', 'c3']);
    while (queue.running() !== 'c2' || getCell(doc, 'c2').get('execution_state') !== 'running')
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await queue.interrupt();
    expect((await looping).map((r) => r.status)).toEqual(['error', 'aborted']);
    expect(readOutputs(doc, 'c2')[0]).toMatchObject({ output_type: 'error', ename: 'KeyboardInterrupt' });
    await queue.run('c3');
    expect(streamText(doc, 'c3')).toBe('42\n');
  });

  it('keeps an interrupt sent before the worker has picked the run up', async () => {
    await run('y = 7');
    const messages: string[] = [];
    // Interrupted as soon as the run starts, before the request is even posted to the worker.
    const looping = kernel().execute('while True:\n    y += 0', {
      onMessage: (m) => {
        if (m.msg_type === 'execute_input') void kernel().interrupt();
        if (m.msg_type === 'error') messages.push(String(m.content.ename));
      },
    });
    expect((await looping).status).toBe('error');
    expect(messages).toEqual(['KeyboardInterrupt']);
    // Stopped by the interrupt, not by a restart: the variables are still there.
    expect((await run('print(y)')).outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: '7\n' }]);
  });

  it('restarts a worker that does not respond to an interrupt, and says so in the cell', async () => {
    const doc = notebook('import js\njs.eval("for (;;) {}")');
    const queue = createExecutionQueue(doc, kernel(), { flushInterval: 5 });
    const stuck = queue.run('c1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await queue.interrupt();
    expect((await stuck)[0]!.status).toBe('error');
    expect(streamText(doc, 'c1')).toMatch(/did not stop when interrupted, so it was restarted/);
    const after = await run('print("alive")');
    expect(after.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'alive\n' }]);
  }, 30_000);

  it('starts a new worker when the worker dies, and says so in the cell', async () => {
    const { result, doc } = await run('y = 1\nimport js\njs.process.exit(3)');
    expect(result.status).toBe('error');
    expect(streamText(doc, 'c1')).toMatch(/The kernel stopped while running this cell .*exited with code 3/);
    const after = await run('print("y" in globals())');
    expect(after.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'False\n' }]);
  }, 30_000);
});

describe('the Pyodide gateway on a page without shared memory', () => {
  let isolated: KernelSession;
  beforeAll(async () => {
    isolated = await nodePyodideGateway({ sharedMemory: false }).startKernel();
  }, 60_000);
  afterAll(async () => {
    await isolated?.shutdown();
  });

  it('says that input() needs an isolated page, and interrupts by restarting', async () => {
    const doc = notebook('input("Name? ")', 'while True: pass', 'print("back")');
    const queue = createExecutionQueue(doc, isolated, {
      flushInterval: 5,
      input: async () => 'x',
      stopOnError: false,
    });
    const [refused] = await queue.run('c1');
    expect(refused!.status).toBe('error');
    expect(readOutputs(doc, 'c1')[0]).toMatchObject({
      evalue: expect.stringMatching(/not cross-origin isolated/),
    });
    const looping = queue.run('c2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await queue.interrupt();
    await looping;
    expect(streamText(doc, 'c2')).toMatch(/restarted/);
    await queue.run('c3');
    expect(streamText(doc, 'c3')).toBe('back\n');
  }, 30_000);
});
