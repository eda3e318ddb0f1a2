/**
 * Why an execution ended in a way that the kernel itself did not report, so
 * that the cell can say what happened. Gateways send a code; the words come
 * from {@link KernelTexts}, in the user's language.
 *
 * - `kernel-died`: the kernel process or worker stopped (crash, `os._exit`,
 *   out of memory); it was restarted and its variables are lost.
 * - `interrupt-restart`: the kernel did not stop when interrupted, so it was
 *   restarted.
 * - `idle-restart`: the kernel had been shut down after a period without
 *   activity and was started again for this run.
 * - `connection-lost`: the connection to the kernel broke during the run.
 * - `kernel-lost`: the kernel no longer existed on its server; a new one was started.
 * - `start-failed`: the kernel could not be started (`detail` says why).
 * - `restarted`: someone restarted the kernel while this cell was running.
 */
export interface KernelNotice {
  code:
    | 'kernel-died'
    | 'interrupt-restart'
    | 'idle-restart'
    | 'connection-lost'
    | 'kernel-lost'
    | 'start-failed'
    | 'restarted';
  /** A technical detail (an error message), shown after the explanation. */
  detail?: string;
}

/**
 * An error that a gateway throws when it cannot do what was asked. `notice`
 * says what to tell the user; the message names the values for developers.
 */
export class KernelError extends Error {
  override readonly name = 'KernelError';
  constructor(
    message: string,
    readonly notice: KernelNotice,
  ) {
    super(message);
  }
}
