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
import type { JupyterRest } from './jupyter-rest.js';
import { decodeFrame, type WebSocketConstructor, type WebSocketLike } from './jupyter-wire.js';
import { KernelError, type KernelNotice } from './kernel-notice.js';
import {
  type Channel,
  createMessage,
  type ExecuteReplyContent,
  type ExecutionMessage,
  executionMessageTypes,
  type KernelMessage,
  type KernelStatus,
  type MessageAuthor,
  type MessageHeader,
  newMessageId,
} from './messages.js';
import { createSerial, delay } from './serial.js';
import { createStatus } from './status.js';

/** What a Jupyter session needs; see `jupyterGateway` for the meaning of each. */
export interface JupyterSessionConfig {
  rest: JupyterRest;
  WebSocket: WebSocketConstructor;
  interruptTimeoutMs: number;
  startTimeoutMs: number;
  username: string;
  /** The folder the kernel works in, relative to the server's root; its data files go there. */
  directory?: string;
}

interface Run {
  msgId: string;
  emit(message: ExecutionMessage): void;
  onNotice: ((notice: KernelNotice) => void) | undefined;
  resolve(reply: ExecuteReply): void;
  reply?: ExecuteReply;
  idle: boolean;
  inputParent?: MessageHeader;
  interruptTimer?: ReturnType<typeof setTimeout>;
  idleTimer?: ReturnType<typeof setTimeout>;
  unlisten(): void;
}

type Content = { [key: string]: unknown };

/**
 * A kernel of a Jupyter Server, driven through its REST API and its
 * WebSocket (messaging protocol v5.3). A kernel that dies is restarted by
 * the server (or by the session when the server gives up); a kernel the
 * server forgot is replaced by a new one; either way the running cell says so.
 */
export class JupyterSession implements KernelSession {
  info: KernelInfo | undefined;
  private kernelId: string;
  private readonly state = createStatus('starting');
  private readonly author: MessageAuthor;
  private readonly serial = createSerial();
  private readonly requests = new Map<string, (content: Content) => void>();
  // Requests waiting for an IOPub message of theirs (see kernelInfo).
  private readonly heard = new Map<string, () => void>();
  private deaf = false;
  private socket: WebSocketLike | undefined;
  private connecting: Promise<void> | undefined;
  private run: Run | undefined;
  private pendingNotice: KernelNotice | undefined;
  private dead = false;
  private restarting = false;
  /** The restart in progress: a run sent meanwhile would reach the dying kernel and never be answered. */
  private restartDone: Promise<void> | undefined;
  private closed = false;
  /** The data files written into the kernel's folder: name to sha256. */
  private readonly written = new Map<string, string>();

  constructor(
    readonly kernelName: string,
    kernelId: string,
    private readonly config: JupyterSessionConfig,
  ) {
    this.kernelId = kernelId;
    this.author = { session: newMessageId(), username: config.username };
  }

  get id(): string {
    return this.kernelId;
  }

  get status(): KernelStatus {
    return this.state.current;
  }

  onStatus(listener: (status: KernelStatus) => void): () => void {
    return this.state.on(listener);
  }

  /** Opens the WebSocket and resolves once the kernel answers `kernel_info_request`. */
  connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    return this.serial(async () => {
      if (options.signal?.aborted) return { status: 'aborted', execution_count: null };
      await this.ensure();
      const notice = this.pendingNotice;
      this.pendingNotice = undefined;
      if (notice) options.onNotice?.(notice);
      return this.runCode(code, options);
    });
  }

  answerInput(value: string): void {
    const parent = this.run?.inputParent;
    if (!parent || !this.run) return;
    this.run.inputParent = undefined;
    this.send('input_reply', { status: 'ok', value }, 'stdin', parent);
  }

  async interrupt(): Promise<void> {
    const run = this.run;
    if (!run) return;
    run.interruptTimer ??= setTimeout(() => {
      if (this.run === run) void this.restartWith({ code: 'interrupt-restart' }, 'error');
    }, this.config.interruptTimeoutMs);
    await this.config.rest.interrupt(this.kernelId).catch(() => undefined);
  }

  restart(): Promise<void> {
    return this.restartWith({ code: 'restarted' }, 'aborted');
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    if (this.run) this.finish(this.run, { status: 'aborted', execution_count: null });
    this.socket?.close();
    this.socket = undefined;
    this.state.set('dead');
    await this.config.rest.shutdown(this.kernelId).catch(() => undefined);
  }

  /**
   * Writes the data files whose sha256 changed into the kernel's folder and
   * removes those no longer listed, through the contents API; files stay on
   * the server's disk across restarts of the kernel. Without a folder, nothing.
   */
  async syncFiles(files: readonly WorkingFile[]): Promise<void> {
    const directory = this.config.directory;
    if (!directory) return;
    const listed = new Set(files.map((f) => f.name));
    for (const name of [...this.written.keys()]) {
      if (listed.has(name)) continue;
      await this.config.rest.deleteFile(`${directory}/${name}`);
      this.written.delete(name);
    }
    const changed = files.filter((f) => this.written.get(f.name) !== f.sha256 && !/[/\\]|\.\./.test(f.name));
    if (changed.length > 0) await this.config.rest.ensureDirectory(directory);
    for (const file of changed) {
      await this.config.rest.putFile(`${directory}/${file.name}`, file.bytes);
      this.written.set(file.name, file.sha256);
    }
  }

  async complete(code: string, cursorPos: number): Promise<CompleteReply> {
    await this.ensure();
    return completeReplyOf(
      await this.request('complete_request', { code, cursor_pos: cursorPos }),
      cursorPos,
    );
  }

  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1 = 0): Promise<InspectReply> {
    await this.ensure();
    return inspectReplyOf(
      await this.request('inspect_request', { code, cursor_pos: cursorPos, detail_level: detailLevel }),
    );
  }

  // Makes sure the kernel exists, is alive and connected, replacing it when the server lost it.
  private async ensure(): Promise<void> {
    await this.restartDone?.catch(() => undefined);
    if (this.closed)
      throw new KernelError(`Jupyter kernel ${this.kernelId} is shut down`, {
        code: 'start-failed',
        detail: 'shut down',
      });
    if (this.dead) {
      this.dead = false;
      await this.config.rest.restart(this.kernelId).catch(() => undefined);
    }
    if (this.socket && this.socket.readyState === 1) {
      if (this.deaf) await this.kernelInfo();
      return;
    }
    const model = await this.config.rest.getKernel(this.kernelId);
    if (!model) {
      const fresh = await this.config.rest.startKernel(this.kernelName, this.config.directory);
      this.kernelId = fresh.id;
      this.pendingNotice = { code: 'kernel-lost' };
    }
    await this.connect();
  }

  private async open(): Promise<void> {
    this.socket?.close();
    const socket = new this.config.WebSocket(
      this.config.rest.channelsURL(this.kernelId, this.author.session),
    );
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', (event) =>
        reject(
          new KernelError(`WebSocket to kernel ${this.kernelId} failed: ${event.message ?? 'error'}`, {
            code: 'start-failed',
            detail: 'the connection to the Jupyter server failed',
          }),
        ),
      );
    });
    socket.addEventListener('message', (event) => {
      if (socket !== this.socket) return;
      const message = decodeFrame(event.data);
      if (message) this.receive(message);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.socket) return;
      this.socket = undefined;
      if (this.run) {
        const detail = event.reason || `WebSocket closed with code ${event.code ?? '?'}`;
        this.finish(
          this.run,
          { status: 'error', execution_count: null },
          { code: 'connection-lost', detail },
        );
      }
    });
    await this.kernelInfo();
  }

  // Asks kernel_info until the kernel answers on both shell and IOPub: a
  // kernel still starting drops requests, and after a restart the server's
  // IOPub subscription takes a moment, during which outputs would be lost
  // (what Jupyter Server calls a nudge).
  private async kernelInfo(): Promise<void> {
    const deadline = Date.now() + this.config.startTimeoutMs;
    while (Date.now() < deadline && this.socket) {
      const message = this.send('kernel_info_request', {}, 'shell');
      const id = message.header.msg_id;
      const reply = new Promise<Content>((resolve) => this.requests.set(id, resolve));
      const heard = new Promise<void>((resolve) => this.heard.set(id, resolve));
      const answered = await Promise.race([Promise.all([reply, heard]), delay(1000).then(() => null)]);
      this.requests.delete(id);
      this.heard.delete(id);
      if (!answered) continue;
      const [content] = answered;
      const language = (content.language_info ?? {}) as Content;
      this.info = {
        implementation: String(content.implementation ?? ''),
        implementationVersion: String(content.implementation_version ?? ''),
        language: String(language.name ?? ''),
        languageVersion: String(language.version ?? ''),
        fileExtension: String(language.file_extension ?? ''),
        banner: String(content.banner ?? ''),
      };
      this.deaf = false;
      this.state.set('idle');
      return;
    }
    throw new KernelError(`Kernel ${this.kernelId} did not answer kernel_info_request`, {
      code: 'start-failed',
      detail: `the kernel did not answer within ${Math.round(this.config.startTimeoutMs / 1000)} s`,
    });
  }

  private send(
    msgType: string,
    content: Content,
    channel: Channel,
    parent?: MessageHeader,
    metadata?: Content,
  ) {
    const message = createMessage(msgType, content, channel, this.author, parent, (metadata ?? {}) as never);
    this.socket?.send(JSON.stringify({ ...message, buffers: [] }));
    return message;
  }

  private request(msgType: string, content: Content): Promise<Content> {
    return new Promise((resolve) => {
      const message = this.send(msgType, content, 'shell');
      this.requests.set(message.header.msg_id, resolve);
    });
  }

  private runCode(code: string, options: ExecuteOptions): Promise<ExecuteReply> {
    return new Promise<ExecuteReply>((resolve) => {
      const onAbort = () => void this.interrupt();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const message = this.send(
        'execute_request',
        {
          code,
          silent: false,
          store_history: true,
          user_expressions: {},
          allow_stdin: options.allowStdin === true,
          stop_on_error: false,
        },
        'shell',
        undefined,
        options.cellId ? { cellId: options.cellId } : {},
      );
      this.run = {
        msgId: message.header.msg_id,
        emit: (m) => options.onMessage?.(m),
        onNotice: options.onNotice,
        resolve,
        idle: false,
        unlisten: () => options.signal?.removeEventListener('abort', onAbort),
      };
    });
  }

  private receive(message: KernelMessage): void {
    const parentId = (message.parent_header as Partial<MessageHeader>).msg_id;
    if (message.channel === 'iopub' && parentId) this.heard.get(parentId)?.();
    if (message.channel === 'iopub' && message.msg_type === 'status') {
      const state = (message.content as { execution_state?: KernelStatus }).execution_state;
      if (state === 'restarting' || state === 'dead') {
        this.died(state);
        return;
      }
      if (state === 'busy' || state === 'idle' || state === 'starting') this.state.set(state);
    }
    if (message.channel === 'shell' && parentId && this.requests.has(parentId)) {
      const resolve = this.requests.get(parentId)!;
      this.requests.delete(parentId);
      resolve(message.content as Content);
      return;
    }
    const run = this.run;
    if (!run || parentId !== run.msgId || !executionMessageTypes.has(message.msg_type)) return;
    if (message.msg_type === 'input_request') run.inputParent = message.header;
    run.emit(message as unknown as ExecutionMessage);
    if (message.msg_type === 'execute_reply') {
      const content = message.content as unknown as ExecuteReplyContent;
      run.reply = {
        status: content.status,
        execution_count: typeof content.execution_count === 'number' ? content.execution_count : null,
      };
      if (content.ename !== undefined) run.reply.ename = content.ename;
      if (content.evalue !== undefined) run.reply.evalue = content.evalue;
      if (Array.isArray(content.traceback)) run.reply.traceback = content.traceback.map(String);
      // The idle status normally follows; a lost one must not hang the cell.
      run.idleTimer = setTimeout(() => this.finish(run, run.reply!), 3000);
    }
    if (
      message.msg_type === 'status' &&
      (message.content as { execution_state?: string }).execution_state === 'idle'
    )
      run.idle = true;
    if (run.idle && run.reply) this.finish(run, run.reply);
  }

  // The server says the kernel died: it restarts it ("restarting") or gave up ("dead").
  private died(state: 'restarting' | 'dead'): void {
    if (this.restarting) return;
    this.state.set(state);
    this.deaf = true;
    if (state === 'dead') this.dead = true;
    if (this.run) this.finish(this.run, { status: 'error', execution_count: null }, { code: 'kernel-died' });
  }

  private restartWith(notice: KernelNotice, status: 'error' | 'aborted'): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = this.restartNow(notice, status).finally(() => {
      if (this.restartDone === done) this.restartDone = undefined;
    });
    this.restartDone = done;
    return done;
  }

  private async restartNow(notice: KernelNotice, status: 'error' | 'aborted'): Promise<void> {
    this.restarting = true;
    try {
      if (this.run) this.finish(this.run, { status, execution_count: null }, notice);
      this.state.set('restarting');
      await this.config.rest.restart(this.kernelId);
      this.dead = false;
      this.deaf = true;
      if (this.socket?.readyState === 1) await this.kernelInfo();
    } finally {
      this.restarting = false;
    }
  }

  private finish(run: Run, reply: ExecuteReply, notice?: KernelNotice): void {
    if (this.run !== run) return;
    this.run = undefined;
    clearTimeout(run.interruptTimer);
    clearTimeout(run.idleTimer);
    run.unlisten();
    if (notice) {
      run.onNotice?.(notice);
      const parent = createMessage('execute_request', {}, 'shell', this.author).header;
      parent.msg_id = run.msgId;
      run.emit(createMessage('execute_reply', reply, 'shell', this.author, parent) as ExecutionMessage);
    }
    run.resolve(reply);
  }
}
