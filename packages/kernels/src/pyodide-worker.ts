// The Pyodide kernel's worker: a module Web Worker in browsers, a
// worker_threads worker in Node (tests, benchmarks), the same code. It
// imports only files without imports of their own, so it can be served as
// built (dist/pyodide-worker.js with its two neighbours) or bundled.

import {
  type FromWorker,
  inputOffset,
  SIGFLUSH,
  SIGINT,
  Slot,
  type ToWorker,
  type WorkerIOPubType,
  type WorkerTexts,
} from './pyodide-protocol.js';
import { pythonModules } from './pyodide-python.js';

interface Port {
  post(message: FromWorker): void;
  listen(handler: (message: ToWorker) => void): void;
}

// The slice of Pyodide's API the worker uses (its types come with Node's).
interface PyProxyLike {
  destroy(): void;
}
type PyFunction = PyProxyLike & ((...args: unknown[]) => unknown);
interface Pyodide {
  version: string;
  runPython(code: string): unknown;
  pyimport(name: string): PyProxyLike & Record<string, PyFunction>;
  registerJsModule(name: string, module: object): void;
  setInterruptBuffer(buffer: Int32Array): void;
  loadPackagesFromImports(
    code: string,
    options: { messageCallback: (m: string) => void; errorCallback: (m: string) => void },
  ): Promise<unknown>;
  FS: {
    mkdirTree(path: string): void;
    writeFile(path: string, data: string | Uint8Array): void;
    unlink(path: string): void;
    cwd(): string;
  };
}
type LoadPyodide = (options: object) => Promise<Pyodide>;

const connect = async (): Promise<Port> => {
  const scope = globalThis as unknown as {
    WorkerGlobalScope?: unknown;
    postMessage(message: unknown): void;
    addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  };
  if (scope.WorkerGlobalScope !== undefined) {
    return {
      post: (message) => scope.postMessage(message),
      listen: (handler) => scope.addEventListener('message', (event) => handler(event.data as ToWorker)),
    };
  }
  // Node: a variable specifier keeps bundlers from following it in browser builds.
  const threads = 'node:worker_threads';
  const { parentPort } = (await import(/* @vite-ignore */ threads)) as {
    parentPort: { postMessage(m: unknown): void; on(e: 'message', h: (m: unknown) => void): void } | null;
  };
  if (!parentPort) throw new Error('pyodide-worker must run in a worker thread');
  return {
    post: (message) => parentPort.postMessage(message),
    listen: (handler) => parentPort.on('message', (message) => handler(message as ToWorker)),
  };
};

const port = await connect();
const decoder = new TextDecoder();

let pyodide: Pyodide | undefined;
// The `_candyce` module, kept for the life of the worker.
let runtime: (PyProxyLike & Record<string, PyFunction>) | undefined;
let control: Int32Array | undefined;
let controlBuffer: SharedArrayBuffer | undefined;
let texts: WorkerTexts = { inputNeedsIsolation: '', inputNotAvailable: '', moduleMissing: '' };
let packageIndexURL: string | undefined;
let runId = -1;
let allowStdin = false;

const iopub = (msgType: WorkerIOPubType, content: { [key: string]: unknown }) => {
  if (runId >= 0) port.post({ type: 'iopub', id: runId, msgType, content });
};

// Consumes a pending signal: a flush request is dropped (the buffer was
// flushed before waiting), any other signal is returned as an interrupt.
// Hoisted: takeInterrupt is declared below.
const takeSignal = (): number => {
  if (!control) return 0;
  const signal = Atomics.load(control, Slot.signal);
  if (signal === 0) return 0;
  if (signal === SIGFLUSH) {
    Atomics.compareExchange(control, Slot.signal, SIGFLUSH, 0);
    return 0;
  }
  Atomics.store(control, Slot.signal, 0);
  // A repeat of an interrupt already taken is dropped, like a flush request.
  if (signal === SIGINT && !takeInterrupt()) return 0;
  return signal;
};

// Records that this run's interrupt arrived; false when it had already arrived (a repeat).
const takeInterrupt = (): boolean =>
  control === undefined || Atomics.exchange(control, Slot.interruptTaken, 1) === 0;

// What Python calls (module `_candyce_host`). Calls block the worker: that is
// how input() waits for an answer without returning to the event loop.
const host = {
  get signals() {
    return control !== undefined;
  },
  take_interrupt(): boolean {
    return takeInterrupt();
  },
  stream(name: string, text: string) {
    iopub('stream', { name, text });
  },
  publish(msgType: WorkerIOPubType, json: string) {
    iopub(msgType, JSON.parse(json) as { [key: string]: unknown });
  },
  module_missing(name: string): string {
    return (texts.moduleMissing ?? '').replaceAll('{module}', name);
  },
  stdin_problem(): string {
    if (!allowStdin) return texts.inputNotAvailable;
    if (!control) return texts.inputNeedsIsolation;
    return '';
  },
  input(prompt: string, password: boolean): string | undefined {
    if (!control || !controlBuffer) return undefined;
    Atomics.store(control, Slot.inputReady, 0);
    port.post({ type: 'input', id: runId, prompt, password });
    for (;;) {
      Atomics.wait(control, Slot.inputReady, 0, 100);
      if (Atomics.load(control, Slot.inputReady) === 1) {
        const length = Atomics.load(control, Slot.inputLength);
        // TextDecoder refuses views of shared memory: copy first.
        const bytes = new Uint8Array(length);
        bytes.set(new Uint8Array(controlBuffer, inputOffset, length));
        Atomics.store(control, Slot.inputReady, 0);
        return decoder.decode(bytes);
      }
      if (takeSignal() === SIGINT) return undefined;
    }
  },
  sleep(seconds: number): boolean {
    if (!control) return true;
    const end = performance.now() + seconds * 1000;
    for (;;) {
      const left = end - performance.now();
      if (left <= 0) return true;
      Atomics.wait(control, Slot.signal, 0, left);
      if (takeSignal() === SIGINT) return false;
    }
  },
};

const isFatal = (error: unknown): boolean =>
  (error as { pyodide_fatal_error?: boolean } | null)?.pyodide_fatal_error === true ||
  String(error).includes('fatal error');

// Counts the bytes of Pyodide's files as they arrive, for the page's
// "Loading Python… 4 / 13 MB". Each response is read through a copy (the
// original goes to Pyodide untouched, streaming compilation included).
const countDownloads = (indexURL: string): (() => void) => {
  const scope = globalThis as { fetch: typeof fetch };
  const original = scope.fetch;
  if (typeof original !== 'function' || !/^https?:/.test(indexURL)) return () => {};
  let loaded = 0;
  let told = 0;
  const step = 256 * 1024;
  const count = async (response: Response) => {
    const reader = response.body?.getReader();
    if (!reader) return;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      if (loaded - told >= step) {
        told = loaded;
        port.post({ type: 'progress', loaded });
      }
    }
    port.post({ type: 'progress', loaded });
  };
  scope.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (response.ok && new URL(url, indexURL).href.startsWith(indexURL)) {
      void count(response.clone()).catch(() => undefined);
    }
    return response;
  };
  return () => {
    scope.fetch = original;
  };
};

const init = async (message: Extract<ToWorker, { type: 'init' }>) => {
  const stopCounting = countDownloads(message.indexURL);
  try {
    texts = message.texts;
    packageIndexURL = message.packageIndexURL;
    if (message.control) {
      controlBuffer = message.control;
      control = new Int32Array(message.control, 0, 4);
    }
    const { loadPyodide } = (await import(/* @vite-ignore */ message.moduleURL)) as {
      loadPyodide: LoadPyodide;
    };
    const options: { [key: string]: unknown } = {
      indexURL: message.indexURL,
      env: { HOME: '/home/pyodide', MPLBACKEND: 'module://_candyce_matplotlib' },
      // Lines that C code writes to the process's stdout and stderr.
      stdout: (line: string) => host.stream('stdout', `${line}\n`),
      stderr: (line: string) => host.stream('stderr', `${line}\n`),
    };
    if (packageIndexURL) {
      // A URL in browsers; in Node, a folder path (Pyodide reads it with fs).
      options.lockFileURL = /^[a-z][a-z0-9+.-]*:/i.test(packageIndexURL)
        ? new URL('pyodide-lock.json', packageIndexURL).href
        : `${packageIndexURL}pyodide-lock.json`;
      options.packageBaseUrl = packageIndexURL;
    }
    const py = await loadPyodide(options);
    stopCounting();
    if (control) py.setInterruptBuffer(new Int32Array(message.control as SharedArrayBuffer, 0, 1));
    py.registerJsModule('_candyce_host', host);
    py.FS.mkdirTree('/lib/candyce');
    for (const [name, text] of Object.entries(pythonModules)) py.FS.writeFile(`/lib/candyce/${name}`, text);
    const version = py.runPython(
      "import sys\nsys.path.insert(0, '/lib/candyce')\nimport _candyce\n'.'.join(map(str, sys.version_info[:3]))",
    );
    runtime = py.pyimport('_candyce');
    pyodide = py;
    port.post({ type: 'ready', pyodideVersion: py.version, pythonVersion: String(version) });
  } catch (error) {
    stopCounting();
    port.post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};

const execute = async (message: Extract<ToWorker, { type: 'execute' }>) => {
  runId = message.id;
  allowStdin = message.allowStdin;
  // An interrupt sent before this run reached the worker stops it here, before any Python runs:
  // raised inside Pyodide's own loader it would be fatal to the interpreter.
  if (control && Atomics.exchange(control, Slot.signal, 0) === SIGINT) {
    takeInterrupt();
    const interrupted = { ename: 'KeyboardInterrupt', evalue: '', traceback: ['KeyboardInterrupt'] };
    iopub('error', interrupted);
    port.post({ type: 'reply', id: message.id, content: { status: 'error', ...interrupted } });
    runId = -1;
    return;
  }
  let content: { [key: string]: unknown };
  try {
    if (!pyodide || !runtime?.run) throw new Error('Pyodide is not loaded');
    if (packageIndexURL) {
      await pyodide.loadPackagesFromImports(message.code, {
        messageCallback: () => {},
        errorCallback: (m) => host.stream('stderr', `${m}\n`),
      });
    }
    content = JSON.parse(String(await (runtime.run(message.code, message.count) as Promise<unknown>)));
  } catch (error) {
    if (isFatal(error)) {
      port.post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const evalue = error instanceof Error ? error.message : String(error);
    content = { status: 'error', ename: 'InternalError', evalue, traceback: [evalue] };
    iopub('error', content);
  }
  port.post({ type: 'reply', id: message.id, content });
  runId = -1;
};

// A data file's name is one path component (checked by the server, again here): it lands in the cwd.
const safeName = (name: string): boolean =>
  name !== '' && name.length <= 120 && !/[/\\]/.test(name) && !name.includes('..');

const files = (message: Extract<ToWorker, { type: 'files' }>) => {
  let content: { [key: string]: unknown } = { status: 'ok' };
  try {
    if (!pyodide) throw new Error('Pyodide is not loaded');
    const dir = pyodide.FS.cwd();
    for (const name of message.remove.filter(safeName)) {
      try {
        pyodide.FS.unlink(`${dir}/${name}`);
      } catch {
        // Already gone (removed by the code itself).
      }
    }
    for (const file of message.write)
      if (safeName(file.name)) pyodide.FS.writeFile(`${dir}/${file.name}`, file.bytes);
  } catch (error) {
    content = { status: 'error', evalue: error instanceof Error ? error.message : String(error) };
  }
  port.post({ type: 'reply', id: message.id, content });
};

const call = (name: 'complete' | 'inspect', id: number, ...args: unknown[]) => {
  let content: { [key: string]: unknown } = {};
  try {
    const fn = runtime?.[name];
    if (fn) content = JSON.parse(String(fn(...args)));
  } catch (error) {
    if (isFatal(error)) return port.post({ type: 'fatal', message: String(error) });
  }
  port.post({ type: 'reply', id, content });
};

// One message at a time, in order: a completion asked during a run waits for it.
let queue: Promise<void> = Promise.resolve();
port.listen((message) => {
  queue = queue.then(async () => {
    switch (message.type) {
      case 'init':
        return init(message);
      case 'execute':
        return execute(message);
      case 'complete':
        return call('complete', message.id, message.code, message.cursorPos);
      case 'inspect':
        return call('inspect', message.id, message.code, message.cursorPos, message.detailLevel);
      case 'files':
        return files(message);
    }
  });
});
