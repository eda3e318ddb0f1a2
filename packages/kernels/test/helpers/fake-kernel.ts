import {
  createMessage,
  type ExecuteOptions,
  type ExecuteReply,
  type ExecutionMessage,
  type KernelGateway,
  type KernelSession,
  type KernelStatus,
} from '../../src/index.js';

/** What a scripted execution can do: send messages, wait for input or for the abort signal. */
export interface FakeRun {
  code: string;
  options: ExecuteOptions;
  send(type: ExecutionMessage['msg_type'], content: object): void;
  /** Resolves with the answer given to answerInput. */
  input(prompt: string): Promise<string>;
  /** Resolves when the run is interrupted. */
  interrupted: Promise<void>;
}

/** A kernel session whose executions run `script`, for tests that need no real kernel. */
export const fakeSession = (script: (run: FakeRun) => Promise<Partial<ExecuteReply> | undefined>) => {
  let count = 0;
  let answer: ((value: string) => void) | undefined;
  let interrupt: (() => void) | undefined;
  const codes: string[] = [];
  let tail: Promise<unknown> = Promise.resolve();
  const session: KernelSession & { codes: string[]; interrupts: number; shutdowns: number } = {
    id: 'fake',
    kernelName: 'python3',
    status: 'idle' as KernelStatus,
    info: undefined,
    codes,
    interrupts: 0,
    shutdowns: 0,
    onStatus: () => () => {},
    execute(code, options = {}) {
      const result = tail.then(async () => {
        if (options.signal?.aborted) return { status: 'aborted', execution_count: null } as ExecuteReply;
        codes.push(code);
        const n = ++count;
        let onInterrupt!: () => void;
        const interrupted = new Promise<void>((resolve) => {
          onInterrupt = resolve;
        });
        interrupt = onInterrupt;
        options.signal?.addEventListener('abort', () => onInterrupt(), { once: true });
        const send = (type: ExecutionMessage['msg_type'], content: object) =>
          options.onMessage?.(createMessage(type, content, 'iopub', { session: 'fake' }) as ExecutionMessage);
        send('status', { execution_state: 'busy' });
        send('execute_input', { code, execution_count: n });
        const partial = await script({
          code,
          options,
          send,
          input: (prompt) =>
            new Promise<string>((resolve) => {
              answer = resolve;
              options.onMessage?.(
                createMessage('input_request', { prompt, password: false }, 'stdin', {
                  session: 'fake',
                }) as ExecutionMessage,
              );
            }),
          interrupted,
        });
        const reply: ExecuteReply = { status: 'ok', execution_count: n, ...partial };
        send('execute_reply', reply);
        send('status', { execution_state: 'idle' });
        return reply;
      });
      tail = result.catch(() => undefined);
      return result;
    },
    answerInput(value) {
      answer?.(value);
    },
    async interrupt() {
      session.interrupts++;
      interrupt?.();
    },
    async restart() {},
    async shutdown() {
      session.shutdowns++;
    },
  };
  return session;
};

/** A gateway that hands out fake sessions and counts them. */
export const fakeGateway = (script: Parameters<typeof fakeSession>[0]) => {
  const sessions: ReturnType<typeof fakeSession>[] = [];
  const gateway: KernelGateway & { sessions: typeof sessions } = {
    name: 'fake',
    sessions,
    async startKernel() {
      const session = fakeSession(script);
      sessions.push(session);
      return session;
    },
  };
  return gateway;
};
