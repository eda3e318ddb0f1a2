import type { KernelGateway, KernelSession, StartOptions } from './gateway.js';
import { JupyterRest } from './jupyter-rest.js';
import { JupyterSession } from './jupyter-session.js';
import { loadWebSocket, type WebSocketConstructor } from './jupyter-wire.js';

/** Options of {@link jupyterGateway}. */
export interface JupyterGatewayOptions {
  /**
   * The server's URL with its base URL: `http://127.0.0.1:8888/` for a
   * Jupyter Server, Kernel Gateway or Enterprise Gateway (the Candyce server
   * reads it from `JUPYTER_URL`).
   */
  url: string;
  /** The server's token (`JUPYTER_TOKEN`), sent as `Authorization: token …` and on the WebSocket URL. */
  token?: string;
  /** The WebSocket class; default the global one, else the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** Milliseconds an interrupted cell has to stop before the kernel is restarted (default 5000). */
  interruptTimeoutMs?: number;
  /** Milliseconds a new kernel has to answer before starting fails (default 60000). */
  startTimeoutMs?: number;
  /** The user name written in message headers (default `candyce`). */
  username?: string;
}

/**
 * Returns the gateway that runs kernels on a Jupyter Server (or Kernel
 * Gateway, or Enterprise Gateway) through its REST and WebSocket kernel API,
 * Jupyter messaging protocol v5.3: any installed kernel can serve (Python,
 * R, Julia, OCaml…). Pair it with `lazyKernel` for one kernel per room that
 * stops when idle.
 */
export function jupyterGateway(options: JupyterGatewayOptions): KernelGateway {
  const rest = new JupyterRest(options.url, options.token);
  return {
    name: 'jupyter',
    kernelSpecs: (signal) => rest.kernelSpecs(signal),
    async startKernel(kernelName = 'python3', start: StartOptions = {}): Promise<KernelSession> {
      const WebSocket = options.WebSocket ?? (await loadWebSocket());
      const model = await rest.startKernel(kernelName, start.directory).catch(async (error: unknown) => {
        throw (await rest.missingKernelSpec(kernelName)) ?? error;
      });
      const session = new JupyterSession(model.name ?? kernelName, model.id, {
        rest,
        WebSocket,
        interruptTimeoutMs: options.interruptTimeoutMs ?? 5000,
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
        username: options.username ?? 'candyce',
        ...(start.directory ? { directory: start.directory } : {}),
      });
      try {
        await session.connect();
      } catch (error) {
        await rest.shutdown(model.id).catch(() => undefined);
        throw error;
      }
      return session;
    },
  };
}
