// The SQL kernel of the browser: SQLite compiled to WebAssembly (sql.js), in
// the worker that sql.js ships (worker.sql-wasm.js, served by the Candyce
// server at /sqljs/ with its wasm). One worker, so one database, per kernel
// session; a query that does not end is stopped by replacing the worker,
// which loses the database, and the cell says so.
import type {
  ExecuteOptions,
  ExecuteReply,
  KernelGateway,
  KernelInfo,
  KernelSession,
  WorkingFile,
} from './gateway.js';
import { KernelError, type KernelNotice } from './kernel-notice.js';
import { createMessage, type ExecutionMessage } from './messages.js';
import { englishSqlTexts, formatSqlResult, type SqlResult, type SqlTexts } from './sql-format.js';
import { createStatus } from './status.js';
import type { WorkerFactory, WorkerPort } from './worker-port.js';

/** Options of {@link sqlGateway}. */
export interface SqlGatewayOptions {
  /**
   * Starts a worker running sql.js's `worker.sql-wasm.js`; default a classic
   * Web Worker of `/sqljs/worker.sql-wasm.js` (in Node, see `nodeSqlGateway`).
   */
  worker?: WorkerFactory;
  /** The words of the kernel; default English. */
  texts?: SqlTexts;
  /** Rows shown of one result set (default 1000). */
  maxRows?: number;
}

/** Returns a factory of classic Web Workers running the script at `url` (sql.js's worker is not a module). */
export const classicWorker =
  (url: string | URL): WorkerFactory =>
  () => {
    const worker = new Worker(url);
    let terminated = false;
    return {
      postMessage: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.addEventListener('message', (event) => listener(event.data)),
      onError: (listener) => {
        worker.addEventListener('error', (event) => {
          if (!terminated) listener(new Error(event.message || `The worker ${String(url)} failed to run`));
        });
      },
      terminate: () => {
        terminated = true;
        worker.terminate();
      },
    };
  };

// What sql.js's worker answers: results, rows modified, or an error message.
interface WorkerAnswer {
  id?: unknown;
  results?: SqlResult[];
  rowsModified?: number;
  error?: string;
  ready?: boolean;
}

const sqlName = /sql|sqlite/i;
let sessions = 0;

class SqlSession implements KernelSession {
  readonly id = `sql-${++sessions}`;
  readonly kernelName: string;
  info: KernelInfo | undefined;
  private readonly state = createStatus('starting');
  private worker: WorkerPort | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: WorkerAnswer) => void>();
  private count = 0;
  private tail: Promise<unknown> = Promise.resolve();
  // Ends the running execution with an interrupt (the worker is replaced).
  private stopRun: (() => void) | undefined;
  private closed = false;
  private files: WorkingFile[] = [];
  /** The worker whose database got the attached files. */
  private seeded: WorkerPort | undefined;
  private readonly author = { session: `sql-${sessions}` };

  constructor(
    kernelName: string,
    private readonly factory: WorkerFactory,
    private readonly texts: SqlTexts,
    private readonly maxRows: number,
  ) {
    this.kernelName = kernelName;
  }

  get status() {
    return this.state.current;
  }

  onStatus(listener: Parameters<KernelSession['onStatus']>[0]) {
    return this.state.on(listener);
  }

  async start(): Promise<void> {
    const worker = this.factory();
    this.worker = worker;
    worker.onMessage((message) => {
      const answer = (message ?? {}) as WorkerAnswer;
      const resolve = typeof answer.id === 'number' ? this.waiting.get(answer.id) : undefined;
      if (!resolve) return;
      this.waiting.delete(answer.id as number);
      resolve(answer);
    });
    worker.onError((error) => this.lost(error.message));
    const version = await this.ask({ action: 'exec', sql: 'select sqlite_version()' });
    if (version.error !== undefined || !version.results) {
      throw new KernelError(`SQLite did not start: ${version.error}`, {
        code: 'start-failed',
        detail: String(version.error),
      });
    }
    this.info = {
      implementation: 'sql.js',
      implementationVersion: '',
      language: 'sql',
      languageVersion: String(version.results[0]?.values[0]?.[0] ?? ''),
      fileExtension: '.sql',
      banner: `SQLite ${String(version.results[0]?.values[0]?.[0] ?? '')} (sql.js, WebAssembly)`,
    };
    this.state.set('idle');
  }

  /**
   * Keeps the notebook's attached files: the first `.db` (by name) is opened
   * and the `.sql` files are run, in name order, when the database starts
   * (the next run after the start, a restart or an interrupt).
   */
  async syncFiles(files: readonly WorkingFile[]): Promise<void> {
    this.files = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // Opens the attached database and runs the scripts once per worker; says so in the cell.
  private async seed(emit: (type: string, content: unknown) => void): Promise<string | null> {
    if (this.seeded === this.worker) return null;
    this.seeded = this.worker;
    const database = this.files.find((f) => /\.(db|sqlite3?)$/i.test(f.name)) ?? null;
    const scripts = this.files.filter((f) => /\.sql$/i.test(f.name));
    if (!database && scripts.length === 0) return null;
    if (database) {
      const opened = await this.ask({ action: 'open', buffer: database.bytes });
      if (opened.error !== undefined) return `${database.name}: ${String(opened.error)}`;
    }
    for (const script of scripts) {
      const ran = await this.ask({ action: 'exec', sql: new TextDecoder().decode(script.bytes) });
      if (ran.error !== undefined) return `${script.name}: ${String(ran.error)}`;
    }
    emit('stream', {
      name: 'stdout',
      text: `${this.texts.filesOpened(
        database?.name ?? null,
        scripts.map((s) => s.name),
      )}\n`,
    });
    return null;
  }

  private ask(request: { action: string; sql?: string; buffer?: Uint8Array }): Promise<WorkerAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker?.postMessage({ id, ...request });
    });
  }

  // The worker failed: every pending question gets an error answer.
  private lost(detail: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const resolve of this.waiting.values()) resolve({ error: detail, id: -1 });
    this.waiting.clear();
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    const result = this.tail.then(() => this.run(code, options));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async run(code: string, options: ExecuteOptions): Promise<ExecuteReply> {
    if (options.signal?.aborted || this.closed) return { status: 'aborted', execution_count: null };
    if (!this.worker) await this.start();
    const count = ++this.count;
    const parent = createMessage('execute_request', { code }, 'shell', this.author).header;
    const emit = (type: string, content: unknown, channel: 'iopub' | 'shell' = 'iopub') =>
      options.onMessage?.(createMessage(type, content, channel, this.author, parent) as ExecutionMessage);
    this.state.set('busy');
    emit('status', { execution_state: 'busy' });
    emit('execute_input', { code, execution_count: count });
    const reply = await this.query(code, count, options, emit);
    emit('execute_reply', reply, 'shell');
    emit('status', { execution_state: 'idle' });
    this.state.set(this.closed ? 'dead' : 'idle');
    return reply;
  }

  private async query(
    code: string,
    count: number,
    options: ExecuteOptions,
    emit: (type: string, content: unknown) => void,
  ): Promise<ExecuteReply> {
    const seedFailed = await this.seed(emit);
    if (seedFailed !== null) {
      emit('error', { ename: 'SQLError', evalue: seedFailed, traceback: [`SQLError: ${seedFailed}`] });
      return { status: 'error', execution_count: count, ename: 'SQLError', evalue: seedFailed };
    }
    if (code.trim() === '') return { status: 'ok', execution_count: count };
    let notice: KernelNotice | undefined;
    const stopped = new Promise<WorkerAnswer>((resolve) => {
      this.stopRun = () => {
        notice = { code: 'interrupt-restart' };
        resolve({ error: 'interrupted' });
      };
    });
    const onAbort = () => void this.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const answer = await Promise.race([this.ask({ action: 'exec', sql: code }), stopped]);
      if (notice) {
        options.onNotice?.(notice);
        return { status: 'error', execution_count: count, ename: 'KeyboardInterrupt', evalue: '' };
      }
      if (answer.error !== undefined) {
        const evalue = String(answer.error);
        emit('error', { ename: 'SQLError', evalue, traceback: [`SQLError: ${evalue}`] });
        return { status: 'error', execution_count: count, ename: 'SQLError', evalue };
      }
      const results = Array.isArray(answer.results) ? answer.results : [];
      results.forEach((result, i) => {
        const data = formatSqlResult(result, this.texts, this.maxRows);
        if (i === results.length - 1) emit('execute_result', { execution_count: count, data, metadata: {} });
        else emit('display_data', { data, metadata: {}, transient: {} });
      });
      if (results.length === 0) {
        const changed = await this.ask({ action: 'getRowsModified' });
        if (typeof changed.rowsModified === 'number' && changed.rowsModified > 0)
          emit('stream', { name: 'stdout', text: `${this.texts.rowsChanged(changed.rowsModified)}\n` });
      }
      return { status: 'ok', execution_count: count };
    } finally {
      this.stopRun = undefined;
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  answerInput(): void {}

  async interrupt(): Promise<void> {
    // sql.js cannot stop a statement: the worker (and its database) is replaced.
    const stop = this.stopRun;
    if (!stop) return;
    this.lost('interrupted');
    this.count = 0;
    stop();
  }

  async restart(): Promise<void> {
    this.stopRun?.();
    this.lost('restarted');
    this.count = 0;
    await this.start();
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.stopRun?.();
    this.lost('shut down');
    this.state.set('dead');
  }
}

/**
 * Returns the gateway of the SQL kernel (kernelspec name `sql`): each
 * session is one SQLite database in a worker, kept until the session ends;
 * result sets come back as tables (`text/html`, every value escaped, and
 * `text/plain`), errors as Jupyter errors (`SQLError`).
 */
export function sqlGateway(options: SqlGatewayOptions = {}): KernelGateway {
  return {
    name: 'sql',
    async startKernel(kernelName = 'sql') {
      if (!sqlName.test(kernelName))
        throw new KernelError(`The SQL gateway cannot run the kernel ${kernelName}`, {
          code: 'start-failed',
          detail: kernelName,
        });
      const factory = options.worker ?? classicWorker('/sqljs/worker.sql-wasm.js');
      const session = new SqlSession(
        kernelName,
        factory,
        options.texts ?? englishSqlTexts,
        options.maxRows ?? 1000,
      );
      await session.start();
      return session;
    },
  };
}
