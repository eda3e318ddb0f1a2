import type { ExecuteOptions, KernelSession } from './gateway.js';
import type { ExecutionMessage } from './messages.js';

/**
 * Runs `code` on `session` and returns its messages as an async iterator,
 * ending with the `execute_reply`. Breaking out of the loop does not stop
 * the execution; pass `options.signal` for that.
 *
 * ```ts
 * for await (const message of executeMessages(session, 'print(1)')) console.log(message.msg_type);
 * ```
 */
export function executeMessages(
  session: KernelSession,
  code: string,
  options: Omit<ExecuteOptions, 'onMessage'> = {},
): AsyncIterableIterator<ExecutionMessage> {
  const queue: ExecutionMessage[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  let failure: unknown;
  let failed = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  session
    .execute(code, {
      ...options,
      onMessage: (message) => {
        queue.push(message);
        notify();
      },
    })
    .then(
      () => {
        done = true;
        notify();
      },
      (error: unknown) => {
        failure = error;
        failed = true;
        done = true;
        notify();
      },
    );
  const iterator: AsyncIterableIterator<ExecutionMessage> = {
    async next() {
      for (;;) {
        const message = queue.shift();
        if (message) return { value: message, done: false };
        if (failed) throw failure;
        if (done) return { value: undefined, done: true };
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async return() {
      done = true;
      queue.length = 0;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
