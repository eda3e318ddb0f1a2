import {
  type CompleteReply,
  completeReplyOf,
  type ExecuteOptions,
  type ExecuteReply,
  type InspectReply,
  inspectReplyOf,
  type KernelInfo,
  type KernelSession,
  type WorkingFile,
} from './gateway.js';
import { KernelError, type KernelNotice } from './kernel-notice.js';
import type { KernelTexts } from './kernel-texts.js';
import {
  createMessage,
  type ExecutionMessage,
  type KernelStatus,
  type MessageAuthor,
  type MessageHeader,
  newMessageId,
} from './messages.js';
import {
  controlBytes,
  type FromWorker,
  inputOffset,
  SIGFLUSH,
  SIGINT,
  Slot,
  type ToWorker,
} from './pyodide-protocol.js';
import { createSerial } from './serial.js';
import { createStatus } from './status.js';
import type { WorkerFactory, WorkerPort } from './worker-port.js';

/** What a Pyodide session needs to start workers; see `pyodideGateway` for the meaning of each. */
export interface PyodideSessionConfig {
  worker: WorkerFactory;
  moduleURL: string;
  indexURL: string;
  packageIndexURL: string | undefined;
  sharedMemory: boolean;
  interruptTimeoutMs: number;
  flushRequestMs: number;
  texts: KernelTexts;
  onProgress: ((loaded: number) => void) | undefined;
}

interface Run {
  id: number;
  count: number;
  emit(message: ExecutionMessage): void;
  parent: MessageHeader;
  onNotice: ((notice: KernelNotice) => void) | undefined;
  resolve(reply: ExecuteReply): void;
  flushTimer?: ReturnType<typeof setInterval>;
  interruptTimer?: ReturnType<typeof setTimeout>;
  /** Stores the interrupt again until the worker takes it. */
  repeatTimer?: ReturnType<typeof setInterval>;
  unlisten(): void;
}

const encoder = new TextEncoder();
/** How often an interrupt not yet taken by the worker is stored again. */
const interruptRepeatMs = 50;

/**
 * A Python kernel in a worker. The worker is started by `start`, and started
 * again after it dies or is terminated because it did not respond to an
 * interrupt. With shared memory, `input()` waits on it and interrupts go
 * through Pyodide's interrupt buffer; without, interrupting restarts.
 */
export class PyodideSession implements KernelSession {
  readonly id = newMessageId().slice(0, 16);
  info: KernelInfo | undefined;
  private readonly state = createStatus('starting');
  private readonly author: MessageAuthor = { session: newMessageId() };
  private readonly serial = createSerial();
  private readonly requests = new Map<number, (content: { [key: string]: unknown }) => void>();
  private worker: WorkerPort | undefined;
  private control: SharedArrayBuffer | undefined;
  private ready: Promise<void> | undefined;
  private run: Run | undefined;
  private nextId = 1;
  /** The worker that holds the data files of {@link workerFiles} (name to sha256). */
  private filesWorker: WorkerPort | undefined;
  private workerFiles = new Map<string, string>();
  private count = 0;
  private closed = false;

  constructor(
    readonly kernelName: string,
    private readonly config: PyodideSessionConfig,
  ) {}

  get status(): KernelStatus {
    return this.state.current;
  }

  onStatus(listener: (status: KernelStatus) => void): () => void {
    return this.state.on(listener);
  }

  /** Starts the worker and resolves once Python is ready; rejects with a `KernelError` if it cannot load. */
  start(): Promise<void> {
    if (!this.ready) this.spawn();
    return this.ready as Promise<void>;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    return this.serial(async () => {
      if (options.signal?.aborted) return { status: 'aborted', execution_count: null };
      if (this.closed)
        throw new KernelError(`Pyodide kernel ${this.id} is shut down`, {
          code: 'start-failed',
          detail: 'shut down',
        });
      await this.start();
      return this.runCode(code, options);
    });
  }

  answerInput(value: string): void {
    if (!this.control) return;
    const ctrl = new Int32Array(this.control, 0, 4);
    const room = new Uint8Array(this.control, inputOffset);
    // Browsers refuse to encode into shared memory: encode, then copy.
    let bytes = encoder.encode(value);
    if (bytes.length > room.length) bytes = encoder.encode(value.slice(0, room.length / 3));
    room.set(bytes);
    Atomics.store(ctrl, Slot.inputLength, bytes.length);
    Atomics.store(ctrl, Slot.inputReady, 1);
    Atomics.notify(ctrl, Slot.inputReady);
  }

  async interrupt(): Promise<void> {
    const run = this.run;
    if (!run) return;
    if (!this.control) return this.replaceWorker(run);
    const ctrl = new Int32Array(this.control, 0, 4);
    const signal = () => {
      Atomics.store(ctrl, Slot.signal, SIGINT);
      Atomics.notify(ctrl, Slot.signal);
      Atomics.notify(ctrl, Slot.inputReady);
    };
    // Each request is new: code that caught the last KeyboardInterrupt gets another one.
    Atomics.store(ctrl, Slot.interruptTaken, 0);
    signal();
    // Pyodide clears the slot with a read then a write, which can erase a SIGINT stored in
    // between: store it again until the worker says it took it, rather than restart the worker.
    clearInterval(run.repeatTimer);
    run.repeatTimer = setInterval(() => {
      if (this.run !== run || Atomics.load(ctrl, Slot.interruptTaken) === 1) clearInterval(run.repeatTimer);
      // A pending flush request gives way: the interrupt matters more.
      else if (Atomics.load(ctrl, Slot.signal) !== SIGINT) signal();
    }, interruptRepeatMs);
    run.interruptTimer ??= setTimeout(() => {
      if (this.run === run) this.replaceWorker(run);
    }, this.config.interruptTimeoutMs);
  }

  async restart(): Promise<void> {
    if (this.closed) return;
    this.kill();
    if (this.run)
      this.finish(this.run, { status: 'aborted', execution_count: this.run.count }, { code: 'restarted' });
    this.count = 0;
    this.state.set('restarting');
    await this.start();
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.kill();
    if (this.run) this.finish(this.run, { status: 'aborted', execution_count: this.run.count });
    for (const resolve of this.requests.values()) resolve({});
    this.requests.clear();
    this.state.set('dead');
  }

  async complete(code: string, cursorPos: number): Promise<CompleteReply> {
    return completeReplyOf(await this.request({ type: 'complete', id: 0, code, cursorPos }), cursorPos);
  }

  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1 = 0): Promise<InspectReply> {
    return inspectReplyOf(await this.request({ type: 'inspect', id: 0, code, cursorPos, detailLevel }));
  }

  /**
   * Writes the files whose sha256 the current worker has not got and removes
   * those no longer listed; a new worker (after a restart) gets them all again.
   */
  async syncFiles(files: readonly WorkingFile[]): Promise<void> {
    await this.start();
    if (this.filesWorker !== this.worker) {
      this.filesWorker = this.worker;
      this.workerFiles = new Map();
    }
    const listed = new Set(files.map((f) => f.name));
    const write = files.filter((f) => this.workerFiles.get(f.name) !== f.sha256);
    const remove = [...this.workerFiles.keys()].filter((name) => !listed.has(name));
    if (write.length === 0 && remove.length === 0) return;
    const worker = this.worker;
    const reply = await this.request({
      type: 'files',
      id: 0,
      write: write.map(({ name, bytes }) => ({ name, bytes })),
      remove,
    });
    if (reply.status !== 'ok' || this.worker !== worker) return;
    for (const name of remove) this.workerFiles.delete(name);
    for (const file of write) this.workerFiles.set(file.name, file.sha256);
  }

  private async request(message: Extract<ToWorker, { type: 'complete' | 'inspect' | 'files' }>) {
    await this.start();
    const id = this.nextId++;
    return new Promise<{ [key: string]: unknown }>((resolve) => {
      this.requests.set(id, resolve);
      this.worker?.postMessage({ ...message, id });
    });
  }

  private spawn(): void {
    const port = this.config.worker();
    this.worker = port;
    this.control = this.config.sharedMemory ? new SharedArrayBuffer(controlBytes) : undefined;
    if (this.state.current !== 'restarting') this.state.set('starting');
    let started = false;
    const ready = new Promise<void>((resolve, reject) => {
      const fail = (detail: string) => {
        reject(
          new KernelError(`Pyodide could not start from ${this.config.indexURL}: ${detail}`, {
            code: 'start-failed',
            detail,
          }),
        );
      };
      port.onMessage((data) => {
        if (port !== this.worker) return;
        const message = data as FromWorker;
        if (message.type === 'ready') {
          this.info = {
            implementation: 'pyodide',
            implementationVersion: message.pyodideVersion,
            language: 'python',
            languageVersion: message.pythonVersion,
            fileExtension: '.py',
            banner: `Pyodide ${message.pyodideVersion} (Python ${message.pythonVersion})`,
          };
          started = true;
          this.state.set('idle');
          resolve();
        } else if (message.type === 'failed') {
          this.kill();
          this.state.set('dead');
          fail(message.message);
        } else {
          this.receive(message);
        }
      });
      port.onError((error) => {
        if (port !== this.worker) return;
        if (started) return this.lost(error.message);
        // A worker that never started is not started again in a loop.
        this.kill();
        this.state.set('dead');
        fail(error.message);
      });
    });
    // A failed start is retried by the next call rather than remembered.
    ready.catch(() => {
      if (this.ready === ready) this.ready = undefined;
    });
    this.ready = ready;
    const init: ToWorker = {
      type: 'init',
      moduleURL: this.config.moduleURL,
      indexURL: this.config.indexURL,
      texts: {
        inputNeedsIsolation: this.config.texts.inputNeedsIsolation,
        inputNotAvailable: this.config.texts.inputNotAvailable,
        moduleMissing: this.config.texts.moduleMissing,
      },
    };
    if (this.control) init.control = this.control;
    if (this.config.packageIndexURL) init.packageIndexURL = this.config.packageIndexURL;
    port.postMessage(init);
  }

  private kill(): void {
    const port = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    port?.terminate();
  }

  // The worker died by itself: end the run, say so, and start a new worker.
  private lost(detail: string): void {
    const run = this.run;
    this.respawn(
      run,
      { status: 'error', execution_count: run?.count ?? null },
      { code: 'kernel-died', detail },
    );
  }

  // The worker cannot be interrupted, or did not stop when asked: stop `run` by replacing the worker.
  private replaceWorker(run: Run): void {
    const reply: ExecuteReply = {
      status: 'error',
      execution_count: run.count,
      ename: 'KeyboardInterrupt',
      evalue: '',
    };
    this.respawn(run, reply, { code: 'interrupt-restart' });
  }

  // Terminates the worker, ends `run` with `reply` and `notice`, and starts a new worker.
  private respawn(run: Run | undefined, reply: ExecuteReply, notice: KernelNotice): void {
    this.kill();
    this.count = 0;
    if (run) this.finish(run, reply, notice);
    if (this.closed) return;
    this.state.set('restarting');
    this.start().catch(() => this.state.set('dead'));
  }

  private receive(message: FromWorker): void {
    const run = this.run;
    switch (message.type) {
      case 'progress':
        if (typeof message.loaded === 'number') this.config.onProgress?.(message.loaded);
        return;
      case 'iopub':
        if (run?.id === message.id)
          run.emit(this.message(message.msgType, message.content, 'iopub', run.parent));
        return;
      case 'input':
        if (run?.id === message.id)
          run.emit(
            this.message(
              'input_request',
              { prompt: message.prompt, password: message.password },
              'stdin',
              run.parent,
            ),
          );
        return;
      case 'reply': {
        const request = this.requests.get(message.id);
        if (request) {
          this.requests.delete(message.id);
          request(message.content);
          return;
        }
        if (run?.id !== message.id) return;
        const c = message.content;
        const reply: ExecuteReply = {
          status: c.status === 'ok' ? 'ok' : 'error',
          execution_count: run.count,
        };
        if (typeof c.ename === 'string') reply.ename = c.ename;
        if (typeof c.evalue === 'string') reply.evalue = c.evalue;
        this.finish(run, reply);
        return;
      }
      case 'fatal':
        this.lost(message.message);
        return;
      default:
        return;
    }
  }

  private message(
    type: string,
    content: unknown,
    channel: 'iopub' | 'stdin' | 'shell',
    parent: MessageHeader,
  ) {
    return createMessage(type, content, channel, this.author, parent) as ExecutionMessage;
  }

  private runCode(code: string, options: ExecuteOptions): Promise<ExecuteReply> {
    const count = ++this.count;
    const id = this.nextId++;
    const parent = createMessage('execute_request', { code }, 'shell', this.author).header;
    return new Promise<ExecuteReply>((resolve) => {
      const onAbort = () => void this.interrupt();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      // Cleared here, while the worker is idle, not by the worker when the run starts: an
      // interrupt sent before the worker picks the run up must stop that run, not be lost.
      if (this.control) {
        const ctrl = new Int32Array(this.control, 0, 4);
        Atomics.store(ctrl, Slot.signal, 0);
        Atomics.store(ctrl, Slot.interruptTaken, 0);
      }
      const run: Run = {
        id,
        count,
        parent,
        emit: (message) => options.onMessage?.(message),
        onNotice: options.onNotice,
        resolve,
        unlisten: () => options.signal?.removeEventListener('abort', onAbort),
      };
      this.run = run;
      this.state.set('busy');
      run.emit(this.message('status', { execution_state: 'busy' }, 'iopub', parent));
      run.emit(this.message('execute_input', { code, execution_count: count }, 'iopub', parent));
      if (this.control) {
        const ctrl = new Int32Array(this.control, 0, 4);
        run.flushTimer = setInterval(
          () => Atomics.compareExchange(ctrl, Slot.signal, 0, SIGFLUSH),
          this.config.flushRequestMs,
        );
      }
      const message: ToWorker = { type: 'execute', id, code, count, allowStdin: options.allowStdin === true };
      this.worker?.postMessage(message);
    });
  }

  private finish(run: Run, reply: ExecuteReply, notice?: KernelNotice): void {
    if (this.run !== run) return;
    this.run = undefined;
    clearInterval(run.flushTimer);
    clearTimeout(run.interruptTimer);
    clearInterval(run.repeatTimer);
    run.unlisten();
    if (notice) run.onNotice?.(notice);
    run.emit(this.message('execute_reply', reply, 'shell', run.parent));
    run.emit(this.message('status', { execution_state: 'idle' }, 'iopub', run.parent));
    if (this.worker) this.state.set('idle');
    run.resolve(reply);
  }
}
