import { getCell, readOutputs, setNotebookMetadata } from '@candyce/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExecutionQueue,
  type ExecuteCellOptions,
  jupyterGateway,
  KernelError,
  type KernelGateway,
  type KernelSession,
  kernelNameOf,
} from '../src/index.js';
import { startJupyterServer, type TestJupyterServer } from './helpers/jupyter-server.js';
import { notebook, runCode, streamText } from './helpers/notebook.js';

let server: TestJupyterServer;
let gateway: KernelGateway;
let session: KernelSession;

beforeAll(async () => {
  server = await startJupyterServer();
  gateway = jupyterGateway({ url: server.url, token: server.token, interruptTimeoutMs: 5000 });
  session = await gateway.startKernel('python3');
}, 60_000);

afterAll(async () => {
  await session?.shutdown();
  await server?.stop();
}, 30_000);

const run = (code: string, options?: ExecuteCellOptions) => runCode(session, code, options);

// Strips the ANSI colours of IPython tracebacks.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const plain = (lines: string[]) => lines.join('\n').replace(ansi, '');

describe('the Jupyter gateway', () => {
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
    expect(getCell(doc, 'c1').get('execution_state')).toBe('idle');
    expect(session.info?.implementation).toBe('ipython');
  });

  it('reports an error with its traceback', async () => {
    const { result, outputs } = await run('def f():\n    return 1 / 0\n\nf()');
    expect(result.status).toBe('error');
    const error = outputs[0];
    expect(error).toMatchObject({
      output_type: 'error',
      ename: 'ZeroDivisionError',
      evalue: 'division by zero',
    });
    expect(plain(error?.output_type === 'error' ? error.traceback : [])).toMatch(/return 1 \/ 0/);
  });

  it('displays a PNG image, and updates a display by its id', async () => {
    const { outputs } = await run(
      [
        'import base64',
        'from IPython.display import Image, display',
        'png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")',
        'display(Image(data=png))',
        'h = display("first", display_id=True)',
        'h.update("second")',
      ].join('\n'),
    );
    expect(outputs[0]).toMatchObject({
      output_type: 'display_data',
      data: { 'image/png': expect.stringMatching(/^iVBORw0KGgo/) },
    });
    expect(outputs[1]).toMatchObject({ output_type: 'display_data', data: { 'text/plain': "'second'" } });
    expect(outputs).toHaveLength(2);
  });

  it('clears the output when asked, waiting for the next output', async () => {
    const { outputs } = await run(
      'from IPython.display import clear_output\nfor i in range(5):\n    clear_output(wait=True)\n    print("frame", i)',
    );
    expect(outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'frame 4\n' }]);
  });

  it('lets input() wait for an answer', async () => {
    const { doc } = await run('name = input("Name? ")\nprint("hi", name)', { input: async () => 'Ada' });
    expect(streamText(doc, 'c1')).toBe('Name? Ada\nhi Ada\n');
  });

  it('interrupts an endless loop and keeps the variables', async () => {
    const doc = notebook('x = 41', 'while True:\n    x += 0', 'print(x + 1)');
    const queue = createExecutionQueue(doc, session, { flushInterval: 5 });
    await queue.run('c1');
    const looping = queue.run(['c2', 'c3']);
    while (getCell(doc, 'c2').get('execution_state') !== 'running')
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await queue.interrupt();
    expect((await looping).map((r) => r.status)).toEqual(['error', 'aborted']);
    expect(readOutputs(doc, 'c2')[0]).toMatchObject({ output_type: 'error', ename: 'KeyboardInterrupt' });
    await queue.run('c3');
    expect(streamText(doc, 'c3')).toBe('42\n');
  });

  it('restarts a kernel that died, and says so in the cell', async () => {
    const { result, doc } = await run('lost = True\nimport os\nos._exit(1)');
    expect(result.status).toBe('error');
    expect(streamText(doc, 'c1')).toMatch(/^The kernel stopped while running this cell and was restarted/);
    const after = await run('print("lost" in globals())');
    expect(after.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'False\n' }]);
  }, 30_000);

  it('starts the kernel that the notebook names, and says clearly when there is none', async () => {
    const doc = notebook('');
    expect(kernelNameOf(doc)).toBe('python3');
    setNotebookMetadata(doc, 'kernelspec', { name: 'ocaml-jupyter', display_name: 'OCaml' });
    expect(kernelNameOf(doc)).toBe('ocaml-jupyter');
    const failure = await gateway.startKernel(kernelNameOf(doc)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(KernelError);
    expect((failure as KernelError).notice.detail).toMatch(/ocaml-jupyter/);
  });
});
