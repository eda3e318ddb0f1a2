import type { CompleteReply, InspectReply, KernelGateway, KernelSession } from './gateway.js';
import { createStatus } from './status.js';

/** Options of {@link lazyKernel}. */
export interface LazyKernelOptions {
  /** The kernelspec name to start (default `python3`). */
  kernelName?: string;
  /**
   * Milliseconds without any execution after which the kernel is shut down,
   * to free the server; the next run starts a new one and says so in the
   * cell. Default 30 minutes; `Infinity` keeps it running.
   */
  idleShutdownMs?: number;
  /** The folder the kernel works in (see `StartOptions`); the gateway's default without it. */
  directory?: string;
}

/**
 * Returns a session that starts its kernel on `gateway` at the first run
 * and shuts it down after `idleShutdownMs` without activity, such as the
 * one kernel of a room on the server. The returned object stays the same
 * across those restarts, so a room can keep it for its whole life.
 */
export function lazyKernel(gateway: KernelGateway, options: LazyKernelOptions = {}): KernelSession {
  const kernelName = options.kernelName ?? 'python3';
  const idleMs = options.idleShutdownMs ?? 30 * 60 * 1000;
  let real: KernelSession | undefined;
  let starting: Promise<KernelSession> | undefined;
  let unsubscribe = () => {};
  const state = createStatus('unknown');
  let stoppedWhileIdle = false;
  let active = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const ensure = (): Promise<KernelSession> => {
    if (real) return Promise.resolve(real);
    if (!starting) {
      state.set('starting');
      starting = gateway
        .startKernel(kernelName, options.directory ? { directory: options.directory } : undefined)
        .then(
          (session) => {
            real = session;
            unsubscribe = session.onStatus(state.set);
            state.set(session.status);
            return session;
          },
          (error: unknown) => {
            starting = undefined;
            state.set('unknown');
            throw error;
          },
        );
    }
    return starting;
  };

  const stop = async (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const session = real;
    real = undefined;
    starting = undefined;
    unsubscribe();
    unsubscribe = () => {};
    state.set('unknown');
    await session?.shutdown().catch(() => undefined);
  };

  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (active > 0 || !real || !Number.isFinite(idleMs)) return;
    timer = setTimeout(() => {
      stoppedWhileIdle = true;
      void stop();
    }, idleMs);
    // An idle kernel must not keep a Node process alive.
    (timer as { unref?: () => void }).unref?.();
  };

  return {
    get id() {
      return real?.id ?? '';
    },
    kernelName,
    get status() {
      return state.current;
    },
    get info() {
      return real?.info;
    },
    onStatus(listener) {
      return state.on(listener);
    },
    async execute(code, executeOptions = {}) {
      active++;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      try {
        const session = await ensure();
        if (stoppedWhileIdle) {
          stoppedWhileIdle = false;
          executeOptions.onNotice?.({ code: 'idle-restart' });
        }
        return await session.execute(code, executeOptions);
      } finally {
        active--;
        arm();
      }
    },
    answerInput(value) {
      real?.answerInput(value);
    },
    async interrupt() {
      await real?.interrupt();
    },
    async restart() {
      await real?.restart();
    },
    async shutdown() {
      stoppedWhileIdle = false;
      await stop();
    },
    async syncFiles(files) {
      // No files and no kernel yet: nothing to put anywhere, no kernel to start for it.
      if (!real && files.length === 0) return;
      const session = await ensure();
      await session.syncFiles?.(files);
    },
    // Completion and inspection never start a kernel: typing must not load Pyodide.
    async complete(code, cursorPos): Promise<CompleteReply> {
      const session = real;
      return session?.complete
        ? session.complete(code, cursorPos)
        : { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos };
    },
    async inspect(code, cursorPos, detailLevel): Promise<InspectReply> {
      const session = real;
      return session?.inspect ? session.inspect(code, cursorPos, detailLevel) : { found: false, data: {} };
    },
  };
}
